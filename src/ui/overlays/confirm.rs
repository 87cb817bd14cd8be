//! Confirmations (default No: only the yes key, or the localised yes key shown on screen,
//! confirms; Enter and Esc answer no), start-up notices, and the offer of a kept draft.

use super::Overlay;
use crate::domain::{Activity, EntityKind, Id, Record};
use crate::i18n::Lang;
use crate::i18n::catalogue::{self as cat, Msg, t};
use crate::keymap::{Action, Context};
use crate::ui::effect::{Effect, Effects};
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::view::Ctx;
use crate::ui::widgets;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// What a confirmation dialog does on yes.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    Quit,
    CancelForm,
    Archive {
        kind: EntityKind,
        id: Id,
        version: u64,
        name: String,
    },
    Restore {
        kind: EntityKind,
        id: Id,
        version: u64,
        name: String,
    },
    CancelActivity(Box<Record<Activity>>),
    /// Replace an existing export file (the path).
    OverwriteExport(String),
    /// Replace an existing report file: write the report again with `replace`.
    ReplaceReport {
        partner: Option<Id>,
        format: crate::report::Format,
        path: String,
    },
}

/// The yes key of a language that is not `y` ("j" for ja), typed on the dialog.
fn localised_yes(lang: Lang) -> Option<char> {
    match lang {
        Lang::Sv => Some('j'),
        Lang::En => None,
    }
}

fn yes(o: &Overlay, fx: &mut Effects) {
    fx.close();
    match o {
        Overlay::Confirm(c) => fx.push(Effect::Confirmed(c.clone())),
        Overlay::Draft(d) => fx.push(Effect::Draft(d.clone(), true)),
        _ => {}
    }
}

fn no(o: &Overlay, fx: &mut Effects) {
    fx.close();
    match o {
        Overlay::Confirm(c) => fx.push(Effect::Declined(c.clone())),
        Overlay::Draft(d) => fx.push(Effect::Draft(d.clone(), false)),
        _ => {}
    }
}

pub fn action(o: &mut Overlay, action: Action, fx: &mut Effects) {
    match action {
        Action::ConfirmYes => yes(o, fx),
        Action::ConfirmNo | Action::Back | Action::Cancel => no(o, fx),
        Action::Open if matches!(o, Overlay::Info(_)) => fx.close(),
        _ => {}
    }
}

/// The localised yes key confirms too; nothing else does anything.
pub fn key(o: &mut Overlay, ev: KeyEvent, cx: &Ctx, fx: &mut Effects) {
    if let (KeyCode::Char(c), true) = (
        ev.code,
        ev.modifiers.difference(KeyModifiers::SHIFT).is_empty(),
    ) && Some(c) == localised_yes(cx.lang)
    {
        yes(o, fx);
    }
}

/// "y yes · n no": the answer keys from the live keymap.
pub fn answer_keys(cx: &Ctx) -> String {
    let y = cx.key(Context::Dialogs, Action::ConfirmYes);
    let n = cx.key(Context::Dialogs, Action::ConfirmNo);
    let y = match localised_yes(cx.lang) {
        Some(l) if y != l.to_string() => format!("{l}/{y}"),
        _ => y,
    };
    cat::confirm_keys(cx.lang, &y, &n)
}

fn text(c: &Confirm, lang: Lang) -> String {
    match c {
        Confirm::Quit => t(lang, Msg::ConfirmQuitUnsaved).to_string(),
        Confirm::CancelForm => t(lang, Msg::ConfirmCancelForm).to_string(),
        Confirm::Archive { name, .. } => cat::confirm_archive(lang, &widgets::clean(name)),
        Confirm::Restore { name, .. } => cat::confirm_restore(lang, &widgets::clean(name)),
        Confirm::CancelActivity(r) => format!(
            "{}: {}?",
            t(lang, Msg::Cancelled).trim_end_matches('.'),
            widgets::clean(&r.data.title)
        ),
        Confirm::OverwriteExport(path) | Confirm::ReplaceReport { path, .. } => format!(
            "{} {}",
            widgets::clean(path),
            t(lang, Msg::ConfirmOverwriteFile)
        ),
    }
}

pub fn draw(frame: &mut Frame, body: Rect, o: &Overlay, cx: &Ctx) {
    match o {
        Overlay::Confirm(c) => {
            let mut s = text(c, cx.lang);
            if let Confirm::Archive { .. } = c {
                s = s.replace(
                    "(A)",
                    &format!("({})", cx.key(Context::Global, Action::ShowArchive)),
                );
            }
            draw_question(frame, body, cx, &s);
        }
        Overlay::Draft(d) => {
            let s = cat::draft_offer(
                cx.lang,
                t(cx.lang, d.title()),
                &crate::i18n::dates::local_minute(cx.lang, &d.saved_at),
            );
            draw_question(frame, body, cx, &s);
        }
        Overlay::Info(notices) => draw_info(frame, body, notices, cx),
        _ => {}
    }
}

fn draw_question(frame: &mut Frame, body: Rect, cx: &Ctx, text: &str) {
    let r = centered(body, 60, 7);
    clear_area(frame, r);
    let lines = vec![
        Line::from(text.to_string()),
        Line::from(""),
        Line::from(Span::styled(answer_keys(cx), cx.theme.key())),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(popup(t(cx.lang, Msg::Confirm), cx)),
        r,
    );
}

fn draw_info(frame: &mut Frame, body: Rect, notices: &[crate::ui::effect::Notice], cx: &Ctx) {
    let r = centered(body, body.width.min(100), body.height.min(16));
    clear_area(frame, r);
    let mut lines = Vec::new();
    for n in notices {
        for part in n.text(cx.lang).split(" | ") {
            lines.push(Line::from(widgets::clean(part)));
        }
        lines.push(Line::from(""));
    }
    let keys: Vec<String> = cx
        .keymap
        .keys_for(Context::Dialogs, Action::ConfirmNo)
        .iter()
        .map(|k| crate::ui::view::friendly(k))
        .collect();
    let close = cat::info_close(cx.lang, &keys.join("/"));
    lines.push(Line::from(Span::styled(close, cx.theme.key())));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(popup(t(cx.lang, Msg::Notices), cx)),
        r,
    );
}
