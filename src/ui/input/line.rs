//! The one-line editor of every text field, the search line, the palette and help filters:
//! readline/emacs editing with a kill buffer and undo.
//!
//! Keys (in every keymap preset): `C-a`/Home start, `C-e`/End end, `C-b`/Left and `C-f`/Right
//! one character, `M-b`/`M-f` one word, `C-k` kill to the end, `C-u` kill to the start, `C-w` and
//! `M-Backspace` kill the word before, `M-d` the word after, `C-y` yank, `C-d`/Delete the
//! character under the cursor, `C-h`/Backspace the one before, `C-_`, `C-/` or `C-z` undo.
//! A key with Ctrl or Alt is never inserted as text: an unknown chord is [`Edit::Ignored`].

use crate::ui::widgets::width;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The key is not an editing key; the caller may use it.
    Ignored,
}

impl Edit {
    /// True unless the key was ignored.
    pub fn consumed(self) -> bool {
        self != Edit::Ignored
    }
}

/// A single line of text with a cursor (a char index), a kill buffer and an undo history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    chars: Vec<char>,
    cursor: usize,
    kill: String,
    undo: Vec<(Vec<char>, usize)>,
    /// The last change was typing a word character (typing is undone a word at a time).
    typing: bool,
}

/// The undo history keeps this many steps.
const UNDO_STEPS: usize = 100;

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl LineEditor {
    /// An editor holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineEditor {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !crate::domain::text::is_unsafe(*c))
            .collect();
        let cursor = chars.len();
        LineEditor {
            chars,
            cursor,
            ..LineEditor::default()
        }
    }

    /// The text.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// True when the line is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The cursor as a char index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Display columns before the cursor.
    pub fn cursor_col(&self) -> usize {
        width(&self.chars[..self.cursor].iter().collect::<String>())
    }

    /// Replace the whole text (undoable).
    pub fn set(&mut self, text: &str) {
        self.remember(false);
        *self = LineEditor {
            kill: std::mem::take(&mut self.kill),
            undo: std::mem::take(&mut self.undo),
            ..LineEditor::new(text)
        };
    }

    /// Empty the line (undoable).
    pub fn clear(&mut self) {
        self.set("");
    }

    fn remember(&mut self, typing: bool) {
        if !(typing && self.typing) {
            self.undo.push((self.chars.clone(), self.cursor));
            if self.undo.len() > UNDO_STEPS {
                self.undo.remove(0);
            }
        }
        self.typing = typing;
    }

    /// Insert a character at the cursor (control and bidi characters are refused).
    pub fn insert(&mut self, c: char) -> Edit {
        if c.is_control() || crate::domain::text::is_unsafe(c) {
            return Edit::Ignored;
        }
        self.remember(is_word(c));
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
        Edit::Changed
    }

    /// Undo the last change.
    pub fn undo(&mut self) -> Edit {
        self.typing = false;
        match self.undo.pop() {
            Some((chars, cursor)) => {
                self.chars = chars;
                self.cursor = cursor.min(self.chars.len());
                Edit::Changed
            }
            None => Edit::Moved,
        }
    }

    fn word_start(&self) -> usize {
        let mut i = self.cursor;
        while i > 0 && !is_word(self.chars[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.chars[i - 1]) {
            i -= 1;
        }
        i
    }

    fn word_end(&self) -> usize {
        let mut i = self.cursor;
        let n = self.chars.len();
        while i < n && !is_word(self.chars[i]) {
            i += 1;
        }
        while i < n && is_word(self.chars[i]) {
            i += 1;
        }
        i
    }

    /// Remove `from..to` (char indexes), keeping it in the kill buffer when `kill`.
    fn cut(&mut self, from: usize, to: usize, kill: bool) -> Edit {
        if from >= to {
            return Edit::Moved;
        }
        self.remember(false);
        let gone: String = self.chars.drain(from..to).collect();
        if kill {
            self.kill = gone;
        }
        self.cursor = from;
        Edit::Changed
    }

    fn move_to(&mut self, to: usize) -> Edit {
        self.typing = false;
        self.cursor = to.min(self.chars.len());
        Edit::Moved
    }

    fn yank(&mut self) -> Edit {
        if self.kill.is_empty() {
            return Edit::Moved;
        }
        self.remember(false);
        let text: Vec<char> = self.kill.chars().collect();
        let n = text.len();
        self.chars.splice(self.cursor..self.cursor, text);
        self.cursor += n;
        Edit::Changed
    }

    /// Apply one key press.
    pub fn key(&mut self, ev: KeyEvent) -> Edit {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match ev.code {
            KeyCode::Char(c) if ctrl && !alt => self.ctrl(c),
            KeyCode::Char(c) if alt && !ctrl => self.alt(c),
            KeyCode::Char(_) if ctrl || alt => Edit::Ignored,
            KeyCode::Char(c) => self.insert(c),
            KeyCode::Backspace if alt => self.cut(self.word_start(), self.cursor, true),
            KeyCode::Backspace if self.cursor > 0 => self.cut(self.cursor - 1, self.cursor, false),
            KeyCode::Backspace => Edit::Moved,
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.cut(self.cursor, self.cursor + 1, false)
            }
            KeyCode::Delete => Edit::Moved,
            KeyCode::Left if ctrl || alt => self.move_to(self.word_start()),
            KeyCode::Right if ctrl || alt => self.move_to(self.word_end()),
            KeyCode::Left => self.move_to(self.cursor.saturating_sub(1)),
            KeyCode::Right => self.move_to(self.cursor + 1),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.chars.len()),
            _ => Edit::Ignored,
        }
    }

    fn ctrl(&mut self, c: char) -> Edit {
        match c.to_ascii_lowercase() {
            'a' => self.move_to(0),
            'e' => self.move_to(self.chars.len()),
            'b' => self.move_to(self.cursor.saturating_sub(1)),
            'f' => self.move_to(self.cursor + 1),
            'k' => self.cut(self.cursor, self.chars.len(), true),
            'u' => self.cut(0, self.cursor, true),
            'w' => self.cut(self.word_start(), self.cursor, true),
            'y' => self.yank(),
            'd' if self.cursor < self.chars.len() => self.cut(self.cursor, self.cursor + 1, false),
            'd' => Edit::Moved,
            'h' if self.cursor > 0 => self.cut(self.cursor - 1, self.cursor, false),
            'h' => Edit::Moved,
            '_' | '/' | '7' | 'z' => self.undo(),
            _ => Edit::Ignored,
        }
    }

    fn alt(&mut self, c: char) -> Edit {
        match c {
            'b' => self.move_to(self.word_start()),
            'f' => self.move_to(self.word_end()),
            'd' => self.cut(self.cursor, self.word_end(), true),
            _ => Edit::Ignored,
        }
    }
}

/// True for the keys the line editor uses (for `spets keymap check` and the precedence rule).
pub fn is_editing_chord(code: KeyCode, mods: KeyModifiers) -> bool {
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let alt = mods.contains(KeyModifiers::ALT);
    match code {
        KeyCode::Char(c) if ctrl && !alt => "aebfkuwydh_/z".contains(c.to_ascii_lowercase()),
        KeyCode::Char(c) if alt && !ctrl => "bfd".contains(c),
        KeyCode::Backspace | KeyCode::Delete | KeyCode::Home | KeyCode::End => true,
        KeyCode::Left | KeyCode::Right => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }
    fn c(ch: char) -> KeyEvent {
        k(KeyCode::Char(ch), KeyModifiers::CONTROL)
    }
    fn a(ch: char) -> KeyEvent {
        k(KeyCode::Char(ch), KeyModifiers::ALT)
    }

    #[test]
    fn readline_keys_never_type_letters() {
        let mut e = LineEditor::new("Pharma");
        for ev in [
            c('a'),
            c('e'),
            c('k'),
            c('u'),
            c('w'),
            c('y'),
            c('q'),
            a('x'),
        ] {
            e.key(ev);
        }
        assert!(!e.text().contains("aek"), "{}", e.text());
        assert_eq!(e.text(), "Pharma", "C-u then C-y puts it back");
    }

    #[test]
    fn words_kills_and_undo() {
        let mut e = LineEditor::new("Uppsala universitet");
        e.key(c('w'));
        assert_eq!(e.text(), "Uppsala ");
        e.key(c('a'));
        e.key(a('f'));
        assert_eq!(e.cursor(), 7);
        e.key(c('k'));
        assert_eq!(e.text(), "Uppsala");
        e.key(c('_'));
        assert_eq!(e.text(), "Uppsala ");
        e.key(c('z'));
        assert_eq!(e.text(), "Uppsala universitet");
        e.key(c('a'));
        e.key(c('d'));
        assert_eq!(e.text(), "ppsala universitet");
        e.key(a('d'));
        assert_eq!(e.text(), " universitet");
        e.key(c('e'));
        e.key(c('y'));
        assert_eq!(e.text(), " universitetppsala");
    }

    #[test]
    fn typing_is_undone_a_word_at_a_time() {
        let mut e = LineEditor::new("");
        for ch in "KTH Royal".chars() {
            e.insert(ch);
        }
        e.undo();
        assert_eq!(e.text(), "KTH ");
        e.undo();
        e.undo();
        assert_eq!(e.text(), "");
    }

    #[test]
    fn multibyte_cursor_and_width() {
        let mut e = LineEditor::new("東京");
        e.key(k(KeyCode::Left, KeyModifiers::NONE));
        assert_eq!(e.cursor_col(), 2);
        e.insert('x');
        assert_eq!(e.text(), "東x京");
        e.key(k(KeyCode::Backspace, KeyModifiers::NONE));
        e.key(k(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(e.text(), "京");
        assert!(!e.insert('\u{202E}').consumed());
    }
}
