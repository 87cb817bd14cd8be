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

pub fn draw(frame: &mut Frame, body: Rect, cx: &Ctx, form: &Form, show_cursor: bool) {
    let th = cx.theme;
    let lang = cx.lang;
    let r = crate::ui::centered(body, body.width.min(110), body.height);
    crate::ui::clear_area(frame, r);
    let mut title = t(lang, form.title()).to_string();
    if let FormKind::Assessment {
        partner_name,
        value,
        ..
    } = form.kind()
    {
        title = format!(
            "{title}: {} · {}",
            truncate(partner_name, 40),
            value.label(lang)
        );
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), th.title()))
        .title_bottom(Span::styled(format!(" {} ", hint(form, cx)), th.dim()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let (fields_area, history_area) = if let FormKind::Assessment { .. } = form.kind() {
        let h = inner.height.saturating_sub(8);
        (
            Rect {
                height: inner.height - h,
                ..inner
            },
            Some(Rect {
                y: inner.y + inner.height - h,
                height: h,
                ..inner
            }),
        )
    } else {
        (inner, None)
    };
    // Top lines: general errors and saving state.
    let mut y = fields_area.y;
    let bottom = fields_area.y + fields_area.height;
    for g in form.general() {
        let text = format!("✗ {}", g.text(lang));
        let w = (fields_area.width as usize).max(1);
        let h = (crate::ui::widgets::width(&text).div_ceil(w) as u16).clamp(1, 3);
        if y + h <= bottom {
            frame.render_widget(
                Paragraph::new(Span::styled(text, th.error()))
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                Rect {
                    y,
                    height: h,
                    ..fields_area
                },
            );
            y += h;
        }
    }
    if form.is_saving() && y < bottom {
        frame.render_widget(
            Paragraph::new(Span::styled(t(lang, Msg::Saving), th.dim())),
            Rect {
                y,
                height: 1,
                ..fields_area
            },
        );
        y += 1;
    }
    // Scroll so that the focused field is visible.
    let avail = bottom.saturating_sub(y);
    let mut first = 0;
    loop {
        let used: u16 = form
            .rows()
            .get(first..=form.focus())
            .map(|fs| fs.iter().map(field_height).sum())
            .unwrap_or(0);
        if used <= avail || first >= form.focus() {
            break;
        }
        first += 1;
    }
    let vw = (fields_area.width as usize).saturating_sub(LABEL_W + 1);
    let mut action_n = None;
    for (i, f) in form.rows().iter().enumerate().skip(first) {
        let h = field_height(f);
        if y + h > bottom {
            break;
        }
        let focused = i == form.focus();
        // A heading before each action item.
        let label = t(lang, f.key.label());
        let label = if let FieldKey::Action(_, super::note::A::Text) = f.key {
            action_n = Some(action_n.map_or(1, |n: usize| n + 1));
            format!(
                "{} {}: {label}",
                t(lang, Msg::ActionItem),
                action_n.unwrap_or(1)
            )
        } else {
            label.to_string()
        };
        let marker = if f.problem.is_some() {
            "✗"
        } else if focused {
            "▸"
        } else {
            " "
        };
        let lstyle = if f.problem.is_some() {
            th.error()
        } else if focused {
            th.key()
        } else {
            th.normal()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(&format!("{marker}{label}"), LABEL_W),
                lstyle,
            )),
            Rect {
                y,
                height: 1,
                width: LABEL_W as u16,
                ..fields_area
            },
        );
        let vx = fields_area.x + LABEL_W as u16 + 1;
        match &f.input {
            Input::Area(ed) => {
                let area = Rect {
                    x: vx,
                    y,
                    width: vw as u16,
                    height: AREA_H,
                };
                let mut ta = ed.textarea().clone();
                ta.set_block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(if focused { th.key() } else { th.dim() }),
                );
                if !focused || !show_cursor {
                    ta.set_cursor_style(ratatui::style::Style::default());
                }
                frame.render_widget(&ta, area);
            }
            _ => {
                let mut text = crate::ui::widgets::clean(&f.input.display(lang));
                if text.is_empty()
                    && focused
                    && let Some(hint) = f.hint
                {
                    text = String::new();
                    frame.render_widget(
                        Paragraph::new(Span::styled(fit(t(lang, hint), vw), th.dim())),
                        Rect {
                            x: vx,
                            y,
                            width: vw as u16,
                            height: 1,
                        },
                    );
                } else {
                    let style = if focused { th.upcoming() } else { th.normal() };
                    // Keep the cursor visible in long text.
                    let shown = match f.input.cursor_col() {
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
                    frame.render_widget(
                        Paragraph::new(Span::styled(fit(&shown, vw), style)),
                        Rect {
                            x: vx,
                            y,
                            width: vw as u16,
                            height: 1,
                        },
                    );
                }
                if focused
                    && show_cursor
                    && !form.is_read_only()
                    && let Some(c) = f.input.cursor_col()
                {
                    let c = c.min(vw.saturating_sub(1)) as u16;
                    frame.set_cursor_position(Position::new(vx + c, y));
                }
            }
        }
        if let Some(p) = &f.problem {
            let msg = format!("  {label} {}", p.text(lang));
            frame.render_widget(
                Paragraph::new(Span::styled(
                    fit(&msg, fields_area.width as usize),
                    th.error(),
                )),
                Rect {
                    y: y + h - 1,
                    height: 1,
                    ..fields_area
                },
            );
        }
        y += h;
    }
    if let (Some(area), FormKind::Assessment { history, .. }) = (history_area, form.kind()) {
        let mut lines = vec![Line::from(Span::styled(t(lang, Msg::History), th.header()))];
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
}
