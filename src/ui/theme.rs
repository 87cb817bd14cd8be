//! Colours and text styles. Nothing is shown by colour alone: every coloured state also has a
//! symbol or a text attribute, so the screen reads the same with `NO_COLOR` or 16 colours.

use ratatui::style::{Color, Modifier, Style};

/// The active theme; `color` is false under `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless the `NO_COLOR` environment variable is set to anything non-empty.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn normal(self) -> Style {
        Style::default()
    }
    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn header(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn past(self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }
    pub fn upcoming(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn matched(self) -> Style {
        self.fg(Color::Magenta)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn tab_active(self) -> Style {
        self.fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn bar(self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
    /// A heat colour for a score 0..=4 (the number is always printed too).
    pub fn heat(self, score: Option<u8>) -> Style {
        if !self.color {
            return Style::default();
        }
        let bg = match score {
            None => return Style::default(),
            Some(0) => Color::Indexed(52),
            Some(1) => Color::Indexed(94),
            Some(2) => Color::Indexed(100),
            Some(3) => Color::Indexed(28),
            Some(_) => Color::Indexed(22),
        };
        Style::default().bg(bg).fg(Color::White)
    }
}
