//! Drawing a form: labelled fields, inline validation messages in the user's language, the
//! multi-line editor, the vim mode, and for assessments the history of the cell. Pure: reads the
//! form and the view, writes the frame.

use super::field::{Input, Row};
use super::{FieldKey, Form, FormKind};
use crate::i18n::catalogue::{self as cat, Label, Msg, score_label, t};
use crate::keymap::EditStyle;
use crate::keymap::{Action, Context};
use crate::ui::input::vim::Mode;
use crate::ui::view::Ctx;
use crate::ui::widgets::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

const LABEL_W: usize = 24;
const AREA_H: u16 = 6;

fn field_height(f: &Row<FieldKey>) -> u16 {
    let base = if f.input.is_area() { AREA_H } else { 1 };
    base + u16::from(f.problem.is_some())
}

/// The vim mode for the form's bottom line (None outside the vim preset).
fn input_mode_label(form: &Form, cx: &Ctx) -> Option<String> {
    if cx.style() != EditStyle::Vim {
        return None;
    }
    Some(match form.mode() {
        Mode::Insert => t(cx.lang, Msg::VimInsert).to_string(),
        Mode::Normal { .. } => t(cx.lang, Msg::VimNormal).to_string(),
        Mode::Command(line) => format!(":{}▏", crate::ui::widgets::clean(&line.text())),
    })
}

/// The keys of the form's bottom line, from the live keymap.
fn hint(form: &Form, cx: &Ctx) -> String {
    let k = |a| cx.key(Context::Forms, a);
    let mut s = cat::form_hint(
        cx.lang,
        &k(Action::NextField),
        &k(Action::Save),
        &k(Action::Cancel),
    );
    if form.is_read_only() {
        s = format!("{} · {}", t(cx.lang, Msg::ReadOnlyForm), k(Action::Cancel));
    }
    if let Some(mode) = input_mode_label(form, cx) {
        s = format!("{mode} · {s}");
    }
    s
}

/// Where one field is drawn.
struct Place {
    area: Rect,
    y: u16,
    h: u16,
    focused: bool,
    /// The terminal cursor is shown here (nothing is over the form).
    cursor: bool,
}

pub fn draw(frame: &mut Frame, body: Rect, cx: &Ctx, form: &Form, show_cursor: bool) {
    let r = crate::ui::centered(body, body.width.min(110), body.height);
    crate::ui::clear_area(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            format!(" {} ", title(form, cx)),
            cx.theme.title(),
        ))
        .title_bottom(Span::styled(
            format!(" {} ", hint(form, cx)),
            cx.theme.dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let split = matches!(
        form.kind(),
        FormKind::Assessment { .. }
            | FormKind::PhaseChange(_)
            | FormKind::Evaluation {
                evidence: Some(_),
                ..
            }
    );
    let (fields_area, history_area) = if split {
        // The evaluation's evidence takes what it needs below its many rows; the others keep
        // eight rows of fields above their history or checklist.
        let h = match form.kind() {
            FormKind::Evaluation {
                evidence: Some(e), ..
            } => (e.goals.len() as u16 + 11).min(inner.height / 2),
            _ => inner.height.saturating_sub(8),
        };
        let fields = Rect {
            height: inner.height - h,
            ..inner
        };
        let history = Rect {
            y: inner.y + inner.height - h,
            height: h,
            ..inner
        };
        (fields, Some(history))
    } else {
        (inner, None)
    };
    let mut y = draw_top(frame, fields_area, form, cx);
    let bottom = fields_area.y + fields_area.height;
    let first = first_shown(form, bottom.saturating_sub(y));
    let mut action_n = 0;
    for (i, f) in form.rows().iter().enumerate().skip(first) {
        let h = field_height(f);
        if y + h > bottom {
            break;
        }
        let label = match f.key {
            // A heading before each action item.
            FieldKey::Action(_, super::note::A::Text) => {
                action_n += 1;
                let l = t(cx.lang, f.key.label());
                format!("{} {action_n}: {l}", t(cx.lang, Msg::ActionItem))
            }
            FieldKey::LinkGoal(n) => format!("{} {}", t(cx.lang, Msg::FGoal), n + 1),
            FieldKey::Evaluation(e) => match form.kind() {
                FormKind::Evaluation { goals, .. } => super::evaluation::label(e, goals, cx.lang),
                _ => String::new(),
            },
            k => t(cx.lang, k.label()).to_string(),
        };
        let place = Place {
            area: fields_area,
            y,
            h,
            focused: i == form.focus(),
            cursor: i == form.focus() && show_cursor && !form.is_read_only(),
        };
        draw_row(frame, &place, f, &label, cx);
        if place.cursor
            && let Some(c) = f.input.cursor_col()
        {
            let vw = (fields_area.width as usize).saturating_sub(LABEL_W + 1);
            let c = c.min(vw.saturating_sub(1)) as u16;
            frame.set_cursor_position(Position::new(fields_area.x + LABEL_W as u16 + 1 + c, y));
        }
        y += h;
    }
    match (history_area, form.kind()) {
        (Some(area), FormKind::Assessment { history, .. }) => {
            draw_history(frame, area, history, cx)
        }
        (Some(area), FormKind::PhaseChange(target)) => {
            draw_checklist(frame, area, form, target, cx)
        }
        (
            Some(area),
            FormKind::Evaluation {
                evidence: Some(e), ..
            },
        ) => {
            let lines: Vec<Line> = e
                .lines(cx.lang)
                .into_iter()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        Line::from(Span::styled(l, cx.theme.header()))
                    } else {
                        Line::from(l)
                    }
                })
                .collect();
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(ratatui::widgets::Wrap { trim: true })
                    .block(Block::default().borders(Borders::TOP)),
                area,
            );
        }
        _ => {}
    }
}

fn title(form: &Form, cx: &Ctx) -> String {
    let title = t(cx.lang, form.title()).to_string();
    match form.kind() {
        FormKind::Assessment {
            partner_name,
            value,
            ..
        } => format!(
            "{title}: {} · {}",
            truncate(partner_name, 40),
            value.label(cx.lang)
        ),
        FormKind::GoalLinks { title: what, .. } => format!("{title}: {}", truncate(what, 60)),
        FormKind::PhaseChange(target) => format!(
            "{title}: {} ({} {})",
            truncate(&target.name, 50),
            t(cx.lang, Msg::CurrentPhase).to_lowercase(),
            target.current.label(cx.lang)
        ),
        _ => title,
    }
}

/// General errors and the saving state; returns the first free row.
fn draw_top(frame: &mut Frame, area: Rect, form: &Form, cx: &Ctx) -> u16 {
    let mut y = area.y;
    let bottom = area.y + area.height;
    for g in form.general() {
        let text = format!("✗ {}", g.text(cx.lang));
        let w = (area.width as usize).max(1);
        let h = (crate::ui::widgets::width(&text).div_ceil(w) as u16).clamp(1, 3);
        if y + h <= bottom {
            let p = Paragraph::new(Span::styled(text, cx.theme.error()))
                .wrap(ratatui::widgets::Wrap { trim: true });
            frame.render_widget(
                p,
                Rect {
                    y,
                    height: h,
                    ..area
                },
            );
            y += h;
        }
    }
    if form.is_saving() && y < bottom {
        let p = Paragraph::new(Span::styled(t(cx.lang, Msg::Saving), cx.theme.dim()));
        frame.render_widget(
            p,
            Rect {
                y,
                height: 1,
                ..area
            },
        );
        y += 1;
    }
    y
}

/// The first row shown, so that the focused field is visible in `avail` rows.
fn first_shown(form: &Form, avail: u16) -> usize {
    let mut first = 0;
    loop {
        let used: u16 = form
            .rows()
            .get(first..=form.focus())
            .map(|fs| fs.iter().map(field_height).sum())
            .unwrap_or(0);
        if used <= avail || first >= form.focus() {
            return first;
        }
        first += 1;
    }
}

/// One field: its label, its value (or the multi-line editor) and its problem.
fn draw_row(frame: &mut Frame, at: &Place, f: &Row<FieldKey>, label: &str, cx: &Ctx) {
    let th = cx.theme;
    let (marker, lstyle) = match (&f.problem, at.focused) {
        (Some(_), _) => ("✗", th.error()),
        (None, true) => ("▸", th.key()),
        (None, false) => (" ", th.normal()),
    };
    let label_area = Rect {
        y: at.y,
        height: 1,
        width: LABEL_W as u16,
        ..at.area
    };
    let text = Span::styled(fit(&format!("{marker}{label}"), LABEL_W), lstyle);
    frame.render_widget(Paragraph::new(text), label_area);
    let vw = (at.area.width as usize).saturating_sub(LABEL_W + 1);
    let value = Rect {
        x: at.area.x + LABEL_W as u16 + 1,
        y: at.y,
        width: vw as u16,
        height: 1,
    };
    match &f.input {
        Input::Area(ed) => {
            let mut ta = ed.textarea().clone();
            ta.set_block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(if at.focused { th.key() } else { th.dim() }),
            );
            if !at.cursor {
                ta.set_cursor_style(ratatui::style::Style::default());
            }
            frame.render_widget(
                &ta,
                Rect {
                    height: AREA_H,
                    ..value
                },
            );
        }
        input => frame.render_widget(
            Paragraph::new(value_span(f, input, at.focused, vw, cx)),
            value,
        ),
    }
    if let Some(p) = &f.problem {
        let msg = format!("  {label} {}", p.text(cx.lang));
        let line = Span::styled(fit(&msg, at.area.width as usize), th.error());
        let area = Rect {
            y: at.y + at.h - 1,
            height: 1,
            ..at.area
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A one-line value: the hint when empty and focused; long text scrolled to keep the cursor in
/// view.
fn value_span(
    f: &Row<FieldKey>,
    input: &Input,
    focused: bool,
    vw: usize,
    cx: &Ctx,
) -> Span<'static> {
    let th = cx.theme;
    let text = crate::ui::widgets::clean(&input.display(cx.lang));
    if text.is_empty()
        && focused
        && let Some(hint) = f.hint
    {
        return Span::styled(fit(t(cx.lang, hint), vw), th.dim());
    }
    let style = if focused { th.upcoming() } else { th.normal() };
    let shown = match input.cursor_col() {
        Some(c) if c >= vw => {
            let skip = c + 1 - vw;
            let mut acc = 0;
            text.chars()
                .skip_while(|ch| {
                    acc += unicode_width::UnicodeWidthChar::width(*ch).unwrap_or(0);
                    acc <= skip
                })
                .collect()
        }
        _ => text,
    };
    Span::styled(fit(&shown, vw), style)
}

/// The phase dialog's checklist: the criteria of the chosen phase, met or not.
fn draw_checklist(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    target: &super::phase::PhaseTarget,
    cx: &Ctx,
) {
    let (th, lang) = (cx.theme, cx.lang);
    let mut lines = Vec::new();
    if let Some(checks) = super::phase::checks(form, target) {
        lines.push(Line::from(Span::styled(
            format!("{} {}", t(lang, Msg::CriteriaFor), checks.phase.label(lang)),
            th.header(),
        )));
        if checks.checks.is_empty() {
            lines.push(Line::from(t(lang, Msg::NoCriteria)));
        }
        for c in &checks.checks {
            let (mark, word, style) = if c.met {
                ("✓", t(lang, Msg::Met), th.ok())
            } else {
                ("✗", t(lang, Msg::NotMet), th.warn())
            };
            let why = c
                .why
                .map(|w| format!(" ({})", shortfall(lang, w)))
                .unwrap_or_default();
            lines.push(Line::from(Span::styled(
                format!(" {mark} {}: {word}{why}", c.criterion.label(lang)),
                style,
            )));
        }
        if checks.checks.iter().any(|c| !c.met) {
            lines.push(Line::from(Span::styled(
                t(lang, Msg::OverrideWarning),
                th.warn(),
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(Block::default().borders(Borders::TOP)),
        area,
    );
}

/// The words of why a criterion is not met.
pub fn shortfall(lang: crate::i18n::Lang, w: crate::service::Shortfall) -> String {
    match w {
        crate::service::Shortfall::NoEvaluation => t(lang, Msg::NoEvaluation).to_string(),
        crate::service::Shortfall::LastEvaluation(end) => {
            format!("{} {end}", t(lang, Msg::LastEvaluationEnded))
        }
    }
}

/// The assessment editor's history of the cell.
fn draw_history(
    frame: &mut Frame,
    area: Rect,
    history: &[crate::domain::Record<crate::domain::Assessment>],
    cx: &Ctx,
) {
    let lang = cx.lang;
    let mut lines = vec![Line::from(Span::styled(
        t(lang, Msg::History),
        cx.theme.header(),
    ))];
    if history.is_empty() {
        lines.push(Line::from(t(lang, Msg::NoHistory)));
    }
    for a in history {
        lines.push(Line::from(format!(
            "{} · {} {} · {} {} · {} · {}",
            a.data.date,
            a.data.score,
            score_label(lang, a.data.score),
            t(lang, Msg::Target),
            a.data
                .target
                .map(|t| t.to_string())
                .unwrap_or_else(|| "-".into()),
            a.data.assessor,
            truncate(&a.data.evidence.replace('\n', " "), 50)
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP)),
        area,
    );
}
