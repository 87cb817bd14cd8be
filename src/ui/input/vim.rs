//! The vim preset's modes in forms: insert mode types, normal mode moves and edits, and `:`
//! opens a command line (`:w` saves, `:q` leaves, `:wq` both, `:q!` discards).

use super::area::Normal;
use super::line::{Edit, LineEditor};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A form's vim mode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    /// Keys type into the field.
    #[default]
    Insert,
    /// Keys move and edit; `pending` holds the first key of `dd`.
    Normal { pending: Option<char> },
    /// A `:` command being typed.
    Command(LineEditor),
}

/// A `:` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Write,
    Quit,
    WriteQuit,
    ForceQuit,
    Unknown,
}

impl Command {
    /// The command a typed line names.
    pub fn parse(s: &str) -> Command {
        match s.trim() {
            "w" | "write" => Command::Write,
            "q" | "quit" => Command::Quit,
            "wq" | "x" => Command::WriteQuit,
            "q!" => Command::ForceQuit,
            _ => Command::Unknown,
        }
    }
}

fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// One normal-mode key on a one-line field. `j`/`k` are left to the form (next, previous field).
pub fn normal_line(ed: &mut LineEditor, c: char, pending: &mut Option<char>) -> Normal {
    if pending.take() == Some('d') {
        if c == 'd' {
            ed.clear();
            return Normal::Edit(Edit::Changed);
        }
        return Normal::Edit(Edit::Moved);
    }
    let ev = match c {
        'h' => plain(KeyCode::Left),
        'l' => plain(KeyCode::Right),
        '0' => plain(KeyCode::Home),
        '$' => plain(KeyCode::End),
        'x' => plain(KeyCode::Delete),
        'w' => KeyEvent::new(KeyCode::Char('f'), KeyModifiers::ALT),
        'b' => KeyEvent::new(KeyCode::Char('b'), KeyModifiers::ALT),
        'u' => return Normal::Edit(ed.undo()),
        'd' => {
            *pending = Some('d');
            return Normal::Edit(Edit::Moved);
        }
        'i' => return Normal::Insert,
        'a' => {
            ed.key(plain(KeyCode::Right));
            return Normal::Insert;
        }
        _ => return Normal::Pass,
    };
    Normal::Edit(ed.key(ev))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(Command::parse("w"), Command::Write);
        assert_eq!(Command::parse(" q "), Command::Quit);
        assert_eq!(Command::parse("wq"), Command::WriteQuit);
        assert_eq!(Command::parse("q!"), Command::ForceQuit);
        assert_eq!(Command::parse("e"), Command::Unknown);
    }

    #[test]
    fn normal_mode_on_one_line() {
        let mut e = LineEditor::new("Lund");
        let mut p = None;
        normal_line(&mut e, '0', &mut p);
        normal_line(&mut e, 'x', &mut p);
        assert_eq!(e.text(), "und");
        assert_eq!(normal_line(&mut e, 'j', &mut p), Normal::Pass);
        normal_line(&mut e, 'd', &mut p);
        normal_line(&mut e, 'd', &mut p);
        assert_eq!(e.text(), "");
        normal_line(&mut e, 'u', &mut p);
        assert_eq!(e.text(), "und");
    }
}
