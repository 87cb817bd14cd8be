//! The multi-line editor (note body, description): ratatui-textarea with the line editor's
//! readline keys, plus the emacs preset's line and page keys and the vim preset's normal mode.

use super::line::Edit;
use crate::keymap::EditStyle;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, Scrolling, TextArea};

/// Several lines of text.
#[derive(Debug, Clone)]
pub struct AreaEditor {
    ta: Box<TextArea<'static>>,
}

impl PartialEq for AreaEditor {
    fn eq(&self, other: &Self) -> bool {
        self.ta.lines() == other.ta.lines()
    }
}

impl AreaEditor {
    /// An editor holding `text`.
    pub fn new(text: &str) -> AreaEditor {
        let lines: Vec<String> = text.lines().map(crate::ui::widgets::clean).collect();
        let mut ta = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        ta.set_cursor_line_style(ratatui::style::Style::default());
        AreaEditor { ta: Box::new(ta) }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.ta.lines().join("\n")
    }

    /// The lines.
    pub fn lines(&self) -> &[String] {
        self.ta.lines()
    }

    /// The widget state, for drawing.
    pub fn textarea(&self) -> &TextArea<'static> {
        &self.ta
    }

    fn mv(&mut self, m: CursorMove) -> Edit {
        self.ta.move_cursor(m);
        Edit::Moved
    }

    fn changed(b: bool) -> Edit {
        if b { Edit::Changed } else { Edit::Moved }
    }

    /// One key in insert mode. Tab and Esc are never consumed (they leave the editor).
    pub fn key(&mut self, ev: KeyEvent, style: EditStyle) -> Edit {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match ev.code {
            KeyCode::Char(c) if ctrl && !alt => self.ctrl(c, style),
            KeyCode::Char(c) if alt && !ctrl => self.alt(c, style),
            KeyCode::Char(_) if ctrl || alt => Edit::Ignored,
            KeyCode::Char(c) if c.is_control() || crate::domain::text::is_unsafe(c) => {
                Edit::Ignored
            }
            KeyCode::Char(c) => {
                self.ta.insert_char(c);
                Edit::Changed
            }
            KeyCode::Enter => {
                self.ta.insert_newline();
                Edit::Changed
            }
            KeyCode::Backspace if alt => Self::changed(self.ta.delete_word()),
            KeyCode::Backspace => Self::changed(self.ta.delete_char()),
            KeyCode::Delete => Self::changed(self.ta.delete_next_char()),
            KeyCode::Left => self.mv(CursorMove::Back),
            KeyCode::Right => self.mv(CursorMove::Forward),
            KeyCode::Up => self.mv(CursorMove::Up),
            KeyCode::Down => self.mv(CursorMove::Down),
            KeyCode::Home => self.mv(CursorMove::Head),
            KeyCode::End => self.mv(CursorMove::End),
            KeyCode::PageDown => {
                self.ta.scroll(Scrolling::PageDown);
                Edit::Moved
            }
            KeyCode::PageUp => {
                self.ta.scroll(Scrolling::PageUp);
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }

    fn ctrl(&mut self, c: char, style: EditStyle) -> Edit {
        match c.to_ascii_lowercase() {
            'a' => self.mv(CursorMove::Head),
            'e' => self.mv(CursorMove::End),
            'b' => self.mv(CursorMove::Back),
            'f' => self.mv(CursorMove::Forward),
            'k' => Self::changed(self.ta.delete_line_by_end()),
            'u' => Self::changed(self.ta.delete_line_by_head()),
            'w' => Self::changed(self.ta.delete_word()),
            'y' => Self::changed(self.ta.paste()),
            'd' => Self::changed(self.ta.delete_next_char()),
            'h' => Self::changed(self.ta.delete_char()),
            '_' | '/' | '7' | 'z' => Self::changed(self.ta.undo()),
            'n' if style == EditStyle::Emacs => self.mv(CursorMove::Down),
            'p' if style == EditStyle::Emacs => self.mv(CursorMove::Up),
            'v' if style == EditStyle::Emacs => {
                self.ta.scroll(Scrolling::PageDown);
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }

    fn alt(&mut self, c: char, style: EditStyle) -> Edit {
        match c {
            'b' => self.mv(CursorMove::WordBack),
            'f' => self.mv(CursorMove::WordForward),
            'd' => Self::changed(self.ta.delete_next_word()),
            'v' if style == EditStyle::Emacs => {
                self.ta.scroll(Scrolling::PageUp);
                Edit::Moved
            }
            '<' if style == EditStyle::Emacs => {
                self.ta.move_cursor(CursorMove::Top);
                self.mv(CursorMove::Head)
            }
            '>' if style == EditStyle::Emacs => {
                self.ta.move_cursor(CursorMove::Bottom);
                self.mv(CursorMove::End)
            }
            _ => Edit::Ignored,
        }
    }

    /// One key of the vim preset's normal mode (`pending` holds a half-typed `d d`).
    pub fn normal(&mut self, c: char, pending: &mut Option<char>) -> Normal {
        if pending.take() == Some('d') {
            return if c == 'd' {
                self.delete_line();
                Normal::Edit(Edit::Changed)
            } else {
                Normal::Edit(Edit::Moved)
            };
        }
        let m = match c {
            'h' => CursorMove::Back,
            'j' => CursorMove::Down,
            'k' => CursorMove::Up,
            'l' => CursorMove::Forward,
            'w' => CursorMove::WordForward,
            'b' => CursorMove::WordBack,
            '0' => CursorMove::Head,
            '$' => CursorMove::End,
            'x' => return Normal::Edit(Self::changed(self.ta.delete_next_char())),
            'u' => return Normal::Edit(Self::changed(self.ta.undo())),
            'd' => {
                *pending = Some('d');
                return Normal::Edit(Edit::Moved);
            }
            'i' => return Normal::Insert,
            'a' => {
                self.ta.move_cursor(CursorMove::Forward);
                return Normal::Insert;
            }
            'o' => {
                self.ta.move_cursor(CursorMove::End);
                self.ta.insert_newline();
                return Normal::Insert;
            }
            _ => return Normal::Pass,
        };
        self.ta.move_cursor(m);
        Normal::Edit(Edit::Moved)
    }

    fn delete_line(&mut self) {
        let row = self.ta.cursor().0;
        let last = self.ta.lines().len().saturating_sub(1);
        self.ta.move_cursor(CursorMove::Head);
        self.ta.delete_line_by_end();
        if row < last {
            self.ta.delete_next_char();
        } else if row > 0 {
            self.ta.delete_char();
        }
    }
}

/// What a normal-mode key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normal {
    Edit(Edit),
    /// Switch to insert mode.
    Insert,
    /// Not a normal-mode key of the editor (the form may use it: `:`, `j`/`k` in one-line
    /// fields, Esc).
    Pass,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key(e: &mut AreaEditor, code: KeyCode, m: KeyModifiers, s: EditStyle) -> Edit {
        e.key(KeyEvent::new(code, m), s)
    }

    #[test]
    fn emacs_lines_and_ends() {
        let mut e = AreaEditor::new("one\ntwo\nthree");
        let c = KeyModifiers::CONTROL;
        key(
            &mut e,
            KeyCode::Char('<'),
            KeyModifiers::ALT,
            EditStyle::Emacs,
        );
        key(&mut e, KeyCode::Char('n'), c, EditStyle::Emacs);
        key(&mut e, KeyCode::Char('e'), c, EditStyle::Emacs);
        key(
            &mut e,
            KeyCode::Char('!'),
            KeyModifiers::NONE,
            EditStyle::Emacs,
        );
        assert_eq!(e.text(), "one\ntwo!\nthree");
        // Outside the emacs preset C-n types nothing and does nothing.
        assert_eq!(
            key(&mut e, KeyCode::Char('n'), c, EditStyle::Default),
            Edit::Ignored
        );
        assert_eq!(e.text(), "one\ntwo!\nthree");
    }

    #[test]
    fn vim_normal_mode() {
        let mut e = AreaEditor::new("alpha\nbeta");
        let mut p = None;
        assert_eq!(e.normal('j', &mut p), Normal::Edit(Edit::Moved));
        e.normal('d', &mut p);
        e.normal('d', &mut p);
        assert_eq!(e.text(), "alpha");
        e.normal('0', &mut p);
        e.normal('x', &mut p);
        assert_eq!(e.text(), "lpha");
        e.normal('u', &mut p);
        assert_eq!(e.text(), "alpha");
        assert_eq!(e.normal('o', &mut p), Normal::Insert);
        assert_eq!(e.normal(':', &mut p), Normal::Pass);
    }
}
