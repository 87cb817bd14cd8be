//! Key chords: one key press with its modifiers, parsed from and printed in keymap syntax.
//!
//! Syntax (the same for parsing and display):
//! - a single character stands for itself: `"j"`, `"G"`, `"?"`, `":"`, `"/"`, `"å"`.
//!   Upper case implies Shift, so a crossterm event for `G` with the SHIFT modifier matches `"G"`.
//! - anything else is written in angle brackets: `"<Enter>"`, `"<Esc>"`, `"<Tab>"`, `"<S-Tab>"`
//!   (same as `"<BackTab>"`), `"<Up>"`, `"<Down>"`, `"<Left>"`, `"<Right>"`, `"<PageUp>"`,
//!   `"<PageDown>"`, `"<Home>"`, `"<End>"`, `"<F1>"`..`"<F12>"`, `"<Space>"`, `"<Backspace>"`,
//!   `"<Delete>"`, `"<Insert>"`, `"<lt>"` (`<`) and `"<gt>"` (`>`). Names are case-insensitive.
//! - modifiers are prefixes inside the brackets: `C-` (Ctrl), `A-` or `M-` (Alt), `S-` (Shift):
//!   `"<C-s>"`, `"<A-x>"`, `"<C-A-Delete>"`, `"<A-<>"`.
//! - Shift is only meaningful with letters and named keys; for other characters write the shifted
//!   character itself (`"?"`, not `"<S-/>"`).

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The key syntax, for error hints.
pub const KEY_SYNTAX: &str = "write one character like \"j\" or \"G\", or a name in angle brackets \
like \"<Enter>\", \"<Esc>\", \"<Tab>\", \"<S-Tab>\", \"<Up>\", \"<PageDown>\", \"<F5>\", \"<Space>\", \
with modifiers C- (Ctrl), A- (Alt), S- (Shift) as in \"<C-s>\" or \"<A-x>\"";

/// One key press: a key code and its modifiers, normalised so that equal presses compare equal.
///
/// Normalisation (done by [`KeyChord::new`], `From<KeyEvent>` and parsing):
/// - only Ctrl, Alt and Shift are kept;
/// - for characters, Shift is folded into the character (`g`+Shift becomes `G`) and dropped;
/// - `BackTab` never carries Shift (crossterm reports it with Shift; `<S-Tab>` parses to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The key.
    pub code: KeyCode,
    /// Ctrl, Alt and Shift only.
    pub modifiers: KeyModifiers,
}

/// Why a key string could not be parsed. The text is a sentence fragment without a final period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyParseError(pub String);

impl KeyChord {
    /// Builds a normalised chord.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match code {
            KeyCode::Char(c) => {
                if modifiers.contains(KeyModifiers::SHIFT) && c.is_lowercase() {
                    let mut upper = c.to_uppercase();
                    if let (Some(u), None) = (upper.next(), upper.next()) {
                        code = KeyCode::Char(u);
                    }
                }
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            _ => {}
        }
        KeyChord { code, modifiers }
    }

    /// A chord without modifiers.
    pub fn plain(code: KeyCode) -> Self {
        Self::new(code, KeyModifiers::NONE)
    }

    /// A plain character key.
    pub fn char(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// The chord for a key event, or `None` for key releases (which must not trigger actions).
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        match event.kind {
            KeyEventKind::Release => None,
            _ => Some(Self::from(*event)),
        }
    }

    /// The same chord, normalised (a no-op for chords built by this module).
    pub fn normalized(self) -> Self {
        Self::new(self.code, self.modifiers)
    }

    /// `Some(d)` for the plain digit keys `0`..`9`.
    pub fn digit(&self) -> Option<u32> {
        match self.code {
            KeyCode::Char(c) if self.modifiers.is_empty() => c.to_digit(10),
            _ => None,
        }
    }

    /// True for `<Esc>` without modifiers.
    pub fn is_esc(&self) -> bool {
        self.code == KeyCode::Esc && self.modifiers.is_empty()
    }

    /// True for `<C-c>`, which the application reserves for quitting.
    pub fn is_ctrl_c(&self) -> bool {
        self.code == KeyCode::Char('c') && self.modifiers == KeyModifiers::CONTROL
    }

    /// True for keys that cannot be typed as text: function keys and Ctrl/Alt combinations.
    /// Only such global bindings reach forms, the editor, menus and dialogs.
    pub fn is_command_key(&self) -> bool {
        matches!(self.code, KeyCode::F(_))
            || self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

impl From<KeyEvent> for KeyChord {
    fn from(event: KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }
}

impl From<KeyChord> for KeyEvent {
    fn from(chord: KeyChord) -> Self {
        KeyEvent::new(chord.code, chord.modifiers)
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    let code = match lower.as_str() {
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "enter" | "cr" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "lt" => KeyCode::Char('<'),
        "gt" => KeyCode::Char('>'),
        _ => {
            let n = lower.strip_prefix('f')?.parse::<u8>().ok()?;
            if (1..=24).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
    };
    Some(code)
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

impl FromStr for KeyChord {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(KeyParseError("the key is empty".into()));
        }
        if let Some(c) = single_char(s) {
            return Ok(KeyChord::char(c));
        }
        let Some(inner) = s.strip_prefix('<').and_then(|rest| rest.strip_suffix('>')) else {
            return Err(KeyParseError(format!(
                "\"{s}\" is more than one key; write special keys in angle brackets and a \
                 sequence as separate strings, e.g. [\"g\", \"g\"]"
            )));
        };
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = inner;
        loop {
            let mut chars = rest.chars();
            let (Some(m), Some('-')) = (chars.next(), chars.next()) else {
                break;
            };
            if chars.as_str().is_empty() {
                break;
            }
            let flag = match m.to_ascii_uppercase() {
                'C' => KeyModifiers::CONTROL,
                'A' | 'M' => KeyModifiers::ALT,
                'S' => KeyModifiers::SHIFT,
                _ => {
                    return Err(KeyParseError(format!(
                        "unknown modifier \"{m}-\" in \"{s}\" (use C- for Ctrl, A- for Alt, S- for Shift)"
                    )));
                }
            };
            modifiers |= flag;
            rest = chars.as_str();
        }
        if rest.is_empty() {
            return Err(KeyParseError(format!("\"{s}\" names no key")));
        }
        if let Some((modifier, _)) = rest.split_once('-')
            && single_char(rest).is_none()
        {
            return Err(KeyParseError(format!(
                "unknown modifier \"{modifier}-\" in \"{s}\" (use C- for Ctrl, A- for Alt, S- for Shift)"
            )));
        }
        let code = match single_char(rest) {
            Some(c) => {
                if modifiers.contains(KeyModifiers::SHIFT) && !c.is_alphabetic() {
                    return Err(KeyParseError(format!(
                        "Shift is only allowed with letters and named keys in \"{s}\"; \
                         write the shifted character itself"
                    )));
                }
                KeyCode::Char(c)
            }
            None => named_key(rest)
                .ok_or_else(|| KeyParseError(format!("unknown key name \"{rest}\" in \"{s}\"")))?,
        };
        Ok(KeyChord::new(code, modifiers))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name: String = match self.code {
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) if self.modifiers.is_empty() => return write!(f, "{c}"),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PageUp".into(),
            KeyCode::PageDown => "PageDown".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::Insert => "Insert".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        f.write_str("<")?;
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("A-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        write!(f, "{name}>")
    }
}

/// Parses a whitespace-separated key sequence such as `"g g"` or `"<C-x> <C-s>"`.
///
/// # Errors
/// The first key that cannot be parsed.
pub fn parse_sequence(s: &str) -> Result<Vec<KeyChord>, KeyParseError> {
    s.split_whitespace().map(str::parse).collect()
}

/// Displays a key sequence the way help and hints show it: chords separated by spaces.
pub fn format_sequence(keys: &[KeyChord]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn k(s: &str) -> KeyChord {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_displays_round_trip() {
        for s in [
            "j",
            "G",
            "?",
            ":",
            "/",
            "<",
            ">",
            "å",
            "Ö",
            "<C-s>",
            "<C-p>",
            "<A-x>",
            "<S-Tab>",
            "<Tab>",
            "<Enter>",
            "<Esc>",
            "<Up>",
            "<Down>",
            "<Left>",
            "<Right>",
            "<PageUp>",
            "<PageDown>",
            "<Home>",
            "<End>",
            "<F1>",
            "<F12>",
            "<Space>",
            "<Backspace>",
            "<Delete>",
            "<A-<>",
            "<A->>",
            "<C-S-Tab>",
            "<S-Up>",
            "<C-A-Delete>",
            "<C-->",
        ] {
            assert_eq!(k(s).to_string(), s, "round trip of {s}");
        }
    }

    #[test]
    fn aliases_and_case() {
        assert_eq!(k("<BackTab>"), k("<S-Tab>"));
        assert_eq!(k("<s-tab>"), k("<S-Tab>"));
        assert_eq!(k("<esc>"), k("<Esc>"));
        assert_eq!(k("<CR>"), k("<Enter>"));
        assert_eq!(k("<S-g>"), k("G"));
        assert_eq!(k("<lt>"), k("<"));
        assert_eq!(k(" "), k("<Space>"));
        assert_eq!(k("<M-x>"), k("<A-x>"));
    }

    #[test]
    fn crossterm_events_normalise() {
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from(shift_g), k("G"));
        let shift_lower_g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from(shift_lower_g), k("G"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from(backtab), k("<S-Tab>"));
        let question = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from(question), k("?"));
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(KeyChord::from(ctrl_s), k("<C-s>"));
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(KeyChord::from_event(&release), None);
    }

    #[test]
    fn rejects_bad_keys() {
        for s in [
            "", "gg", "<Ctrl-s>", "<X-s>", "<Foo>", "<S-/>", "<F25>", "<C->",
        ] {
            assert!(s.parse::<KeyChord>().is_err(), "{s} should not parse");
        }
    }

    #[test]
    fn sequences() {
        let seq = parse_sequence("g g").unwrap();
        assert_eq!(seq, vec![k("g"), k("g")]);
        assert_eq!(format_sequence(&seq), "g g");
    }
}
