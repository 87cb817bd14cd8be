//! The menu (F10) and the chooser of the partner detail view.

use super::{Confirm, Overlay};
use crate::domain::{
    Agreement, Contact, EntityKind, Evaluation, Goal, Id, Record, Rhythm, Suitability,
};
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::{Action, Context};
use crate::ui::effect::{Effect, Effects, Route};
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::view::Ctx;
use crate::ui::widgets::{self, fit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Menu entries, in order.
pub const MENU: [(Msg, Action); 6] = [
    (Msg::MenuExport, Action::ExportCsv),
    (Msg::MenuImport, Action::ImportCsv),
    (Msg::MenuLanguage, Action::ToggleLanguage),
    (Msg::MenuHelp, Action::Help),
    (Msg::MenuReport, Action::Report),
    (Msg::MenuQuit, Action::Quit),
];

/// The label of a chooser entry.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceLabel {
    Msg(Msg),
    /// A fixed message followed by a record's own text (a name, a title).
    Named(Msg, String),
}

/// What a chooser entry does.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    NewAgreement(Id),
    NewContact(Id),
    NewActivity(Id),
    NewNote(Id),
    EditPartner(Id),
    EditAgreement(Box<Record<Agreement>>),
    EditContact(Box<Record<Contact>>),
    NewGoal(Id),
    EditGoal(Box<Record<Goal>>),
    NewSuitability(Id),
    EditSuitability(Box<Record<Suitability>>),
    /// The partner's governance rhythm: its own record, or a new one from the defaults.
    EditRhythm(Id, Option<Box<Record<Rhythm>>>),
    /// A new evaluation of the partner, with its goals (id, text).
    NewEvaluation(
        Id,
        Vec<(Id, String)>,
        Option<Box<crate::ui::forms::evaluation::Evidence>>,
    ),
    EditEvaluation(Box<Record<Evaluation>>, Vec<(Id, String)>),
    /// Ask before archiving or restoring.
    Confirm(Confirm),
    /// Write a report: this partner's, or (None) the portfolio.
    Report(Option<Id>, crate::report::Format),
}

fn choose(c: Choice, cx: &Ctx, fx: &mut Effects) {
    use crate::ui::forms::{
        activity, agreement, contact, evaluation, goal, note, rhythm, suitability,
    };
    let pcx = crate::ui::app::parse_cx(cx);
    match c {
        Choice::Report(partner, format) => fx.push(Effect::Report { partner, format }),
        Choice::NewAgreement(p) => fx.form(agreement::form(None, p, &pcx)),
        Choice::NewContact(p) => fx.form(contact::form(None, p, &pcx)),
        Choice::NewActivity(p) => fx.form(activity::form(None, &[p], &pcx)),
        Choice::NewNote(p) => fx.form(note::form(None, &[p], &pcx)),
        Choice::EditAgreement(r) => fx.form(agreement::form(Some(&r), r.data.partner, &pcx)),
        Choice::EditContact(r) => fx.form(contact::form(Some(&r), r.data.partner, &pcx)),
        Choice::NewGoal(p) => fx.form(goal::form(None, p, &pcx)),
        Choice::EditGoal(r) => fx.form(goal::form(Some(&r), r.data.partner, &pcx)),
        Choice::NewSuitability(p) => fx.form(suitability::form(None, p, &pcx)),
        Choice::EditSuitability(r) => fx.form(suitability::form(Some(&r), r.data.partner, &pcx)),
        Choice::EditRhythm(p, r) => fx.form(rhythm::form(r.as_deref(), p, &pcx)),
        Choice::NewEvaluation(p, goals, evidence) => {
            fx.form(evaluation::form(None, p, (goals, evidence), &pcx))
        }
        Choice::EditEvaluation(r, goals) => fx.form(evaluation::form(
            Some(&r),
            r.data.partner,
            (goals, None),
            &pcx,
        )),
        Choice::EditPartner(id) => {
            let req = crate::service::Request::Get {
                kind: EntityKind::Partner,
                id,
            };
            fx.send(req, Route::EditLoaded);
        }
        Choice::Confirm(c) => fx.open(Overlay::Confirm(c)),
    }
}

/// Move a selection in a list of `n`, wrapping.
fn step(sel: &mut usize, action: Action, n: usize, count: usize) -> bool {
    let n = n.max(1);
    match action {
        Action::MoveDown | Action::MoveRight => *sel = (*sel + count) % n,
        Action::MoveUp | Action::MoveLeft => *sel = (*sel + n * count - count % n) % n,
        Action::First => *sel = 0,
        Action::Last => *sel = n - 1,
        _ => return false,
    }
    true
}

pub fn action(o: &mut Overlay, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
    match o {
        Overlay::Menu { selected } => {
            if step(selected, action, MENU.len(), count) {
                return;
            }
            match action {
                Action::Open => {
                    fx.close();
                    if let Some((_, a)) = MENU.get(*selected) {
                        fx.push(Effect::Run(*a));
                    }
                }
                Action::Back | Action::Menu => fx.close(),
                other => fx.push(Effect::Run(other)),
            }
        }
        Overlay::Choose {
            items, selected, ..
        } => {
            if step(selected, action, items.len(), 1) {
                return;
            }
            match action {
                Action::Open => {
                    fx.close();
                    if let Some((_, c)) = items.get(*selected) {
                        choose(c.clone(), cx, fx);
                    }
                }
                Action::Back => fx.close(),
                other => fx.push(Effect::Run(other)),
            }
        }
        _ => {}
    }
}

pub fn draw(frame: &mut Frame, body: Rect, o: &Overlay, cx: &Ctx) {
    match o {
        Overlay::Menu { selected } => draw_menu(frame, body, *selected, cx),
        Overlay::Choose {
            title,
            items,
            selected,
        } => draw_choose(frame, body, *title, items, *selected, cx),
        _ => {}
    }
}

fn draw_menu(frame: &mut Frame, body: Rect, selected: usize, cx: &Ctx) {
    let r = Rect {
        x: body.x + 1,
        y: body.y,
        width: 32,
        height: MENU.len() as u16 + 2,
    };
    clear_area(frame, r);
    let lines: Vec<Line> = MENU
        .iter()
        .enumerate()
        .map(|(i, (m, a))| {
            let key = cx
                .keymap
                .keys_for(Context::Global, *a)
                .into_iter()
                .next()
                .unwrap_or_default();
            let text = format!("{} {}", fit(t(cx.lang, *m), 20), fit(&key, 7));
            if i == selected {
                Line::from(Span::styled(format!("▸{text}"), cx.theme.selected()))
            } else {
                Line::from(format!(" {text}"))
            }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(cx.lang, Msg::Menu), cx)),
        r,
    );
}

fn draw_choose(
    frame: &mut Frame,
    body: Rect,
    title: Msg,
    items: &[(ChoiceLabel, Choice)],
    selected: usize,
    cx: &Ctx,
) {
    let h = (items.len() as u16 + 2).min(body.height);
    let r = centered(body, 60, h);
    clear_area(frame, r);
    let rows = h.saturating_sub(2) as usize;
    let start = selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, (label, _))| {
            let text = match label {
                ChoiceLabel::Msg(m) => t(cx.lang, *m).to_string(),
                ChoiceLabel::Named(m, name) => {
                    format!("{}: {}", t(cx.lang, *m), widgets::clean(name))
                }
            };
            if i == selected {
                Line::from(Span::styled(
                    fit(&format!("▸{text}"), 58),
                    cx.theme.selected(),
                ))
            } else {
                Line::from(fit(&format!(" {text}"), 58))
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(popup(t(cx.lang, title), cx)), r);
}
