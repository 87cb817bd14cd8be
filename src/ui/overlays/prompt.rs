//! A one-line question for filters that need text (country, partner, date range).

use super::Overlay;
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::Action;
use crate::ui::effect::{Effect, Effects};
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::input::LineEditor;
use crate::ui::view::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Country,
    Partner,
    DateRange,
}

impl PromptKind {
    fn label(self) -> Msg {
        match self {
            PromptKind::Country => Msg::CountryPrompt,
            PromptKind::Partner => Msg::PartnerPrompt,
            PromptKind::DateRange => Msg::DateRangePrompt,
        }
    }
}

fn finish(o: &Overlay, fx: &mut Effects) {
    if let Overlay::Prompt { kind, field } = o {
        fx.close();
        fx.push(Effect::Prompt(*kind, field.text().trim().to_string()));
    }
}

pub fn action(o: &mut Overlay, action: Action, fx: &mut Effects) {
    match action {
        Action::Cancel | Action::Back => fx.close(),
        Action::Save => finish(o, fx),
        other => fx.push(Effect::Run(other)),
    }
}

pub fn key(o: &mut Overlay, ev: KeyEvent, fx: &mut Effects) {
    if ev.code == KeyCode::Enter {
        return finish(o, fx);
    }
    if let Overlay::Prompt { field, .. } = o {
        field.key(ev);
    }
}

pub fn draw(frame: &mut Frame, body: Rect, kind: PromptKind, field: &LineEditor, cx: &Ctx) {
    let r = centered(body, 72, 5);
    clear_area(frame, r);
    let lines = vec![
        Line::from(Span::styled(t(cx.lang, kind.label()), cx.theme.dim())),
        Line::from(format!("> {}▏", crate::ui::widgets::clean(&field.text()))),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(cx.lang, Msg::FilterPrompt), cx)),
        r,
    );
}
