//! Drawing the export, import and conflict dialogs (pure: reads the app, writes the frame).

use super::app::{App, ConflictView};
use super::transfer::{ExportRun, Failure, ImportReview, ImportRun, cancelling};
use super::widgets::{Field, Input, clean, fit, truncate, width};
use super::{centered, clear_area, popup};
use crate::i18n::catalogue::{self as cat, Msg, t};
use crate::keymap::{Action, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const LABEL: usize = 10;

/// The lines of a small form: label, value; the focused one marked.
fn field_lines<'a>(app: &App, fields: &[Field], focus: usize, cols: usize) -> Vec<Line<'a>> {
    let th = app.theme;
    let lang = app.lang;
    let value_cols = cols.saturating_sub(LABEL + 3);
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let focused = i == focus;
            let value = match &f.input {
                Input::Text { value, .. } if focused => {
                    // Keep the end of a long path in view: that is where people type.
                    let v = clean(value);
                    let w = width(&v);
                    if w + 1 > value_cols {
                        let tail: String = v
                            .chars()
                            .rev()
                            .scan(0, |acc, c| {
                                *acc += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                                (*acc < value_cols.saturating_sub(1)).then_some(c)
                            })
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .collect();
                        format!("…{tail}▏")
                    } else {
                        format!("{v}▏")
                    }
                }
                _ => f.display(lang),
            };
            let mark = if focused { "▸" } else { " " };
            let label = Span::styled(
                format!("{mark}{} ", fit(t(lang, f.label), LABEL)),
                if focused { th.selected() } else { th.dim() },
            );
            Line::from(vec![label, Span::raw(truncate(&value, value_cols))])
        })
        .collect()
}

fn problem_lines<'a>(app: &App, problem: Option<Msg>, error: Option<&Failure>) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    if let Some(m) = problem {
        out.push(Line::from(Span::styled(
            t(app.lang, m).to_string(),
            app.theme.warn(),
        )));
    }
    if let Some(e) = error {
        out.push(Line::from(Span::styled(
            clean(&e.text(app.lang)),
            app.theme.warn(),
        )));
    }
    out
}

fn form_keys(app: &App, export: bool) -> String {
    let k = |a| app.key_for(Context::Forms, a);
    cat::transfer_keys(
        app.lang,
        &k(Action::NextField),
        &k(Action::Save),
        &k(Action::Cancel),
        export,
    )
}

/// What the Export and Import dialogs have in common: fields, a problem line, the keys.
struct TransferView<'d> {
    fields: &'d [Field],
    focus: usize,
    problem: Option<Msg>,
    error: Option<&'d Failure>,
    /// Height without the problem lines.
    height: u16,
    title: Msg,
    export: bool,
}

fn draw_transfer(frame: &mut Frame, body: Rect, app: &App, v: TransferView<'_>) {
    let extra = (usize::from(v.problem.is_some()) + usize::from(v.error.is_some())) * 2;
    let r = centered(body, 78, v.height + extra as u16);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let mut lines = field_lines(app, v.fields, v.focus, cols);
    lines.push(Line::from(""));
    lines.extend(problem_lines(app, v.problem, v.error));
    lines.push(Line::from(Span::styled(
        form_keys(app, v.export),
        app.theme.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(popup(t(app.lang, v.title), app)),
        r,
    );
}

/// The Export CSV… dialog.
pub fn draw_export(frame: &mut Frame, body: Rect, app: &App, d: &super::transfer::ExportDialog) {
    let view = TransferView {
        fields: &d.fields,
        focus: d.focus,
        problem: d.problem,
        error: d.error.as_ref(),
        height: 11,
        title: Msg::ExportTitle,
        export: true,
    };
    draw_transfer(frame, body, app, view);
}

/// The Import CSV… dialog.
pub fn draw_import(frame: &mut Frame, body: Rect, app: &App, d: &super::transfer::ImportDialog) {
    let view = TransferView {
        fields: &d.fields,
        focus: d.focus,
        problem: d.problem,
        error: d.error.as_ref(),
        height: 8,
        title: Msg::ImportTitle,
        export: false,
    };
    draw_transfer(frame, body, app, view);
}

/// An export in progress: a bar fed by the export's progress callback.
pub fn draw_exporting(frame: &mut Frame, body: Rect, app: &App, run: &ExportRun) {
    let lang = app.lang;
    let r = centered(body, 70, 7);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let (rows, total) = run.progress.map(|p| (p.rows, p.total)).unwrap_or((0, None));
    let count = cat::rows_so_far(lang, rows, total);
    let bar_cols = cols.saturating_sub(width(&count) + 3).max(10);
    let bar = match total {
        Some(t) if t > 0 => {
            let done = (rows.min(t) * bar_cols) / t;
            format!("{}{}", "█".repeat(done), "░".repeat(bar_cols - done))
        }
        _ => {
            // Unknown total: a marker that moves with the rows.
            let pos = (rows / 100) % bar_cols.max(1);
            (0..bar_cols)
                .map(|i| if i == pos { '█' } else { '░' })
                .collect()
        }
    };
    let state = if cancelling(run) {
        t(lang, Msg::ExportCancelled)
    } else {
        t(lang, Msg::EscCancels)
    };
    let lines = vec![
        Line::from(truncate(&run.path, cols)),
        Line::from(""),
        Line::from(format!("{bar}  {count}")),
        Line::from(""),
        Line::from(Span::styled(state, app.theme.key())),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(lang, Msg::Exporting), app)),
        r,
    );
}

/// An import or its dry run in progress.
pub fn draw_importing(frame: &mut Frame, body: Rect, app: &App, run: &ImportRun) {
    let r = centered(body, 60, 5);
    clear_area(frame, r);
    let msg = if run.dry_run {
        Msg::Checking
    } else {
        Msg::Importing
    };
    frame.render_widget(
        Paragraph::new(vec![Line::from(t(app.lang, msg))])
            .block(popup(t(app.lang, Msg::ImportTitle), app)),
        r,
    );
}

/// The dry run's report (scrollable) and the choice.
pub fn draw_import_review(frame: &mut Frame, body: Rect, app: &App, rv: &ImportReview) {
    let th = app.theme;
    let lang = app.lang;
    let r = centered(body, body.width.min(100), body.height);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let inner = r.height.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(truncate(&rv.path.display().to_string(), cols)),
        Line::from(Span::styled(
            cat::import_checked(lang, rv.report.rows, rv.report.valid),
            th.title(),
        )),
    ];
    let report = rv.lines();
    // Rows left for the report: the head (2), a gap, the choices and the keys.
    let room = inner.saturating_sub(2 + 2 + rv.choices.len() + 1).max(1);
    if report.is_empty() {
        lines.push(Line::from(t(lang, Msg::ImportAllPass)));
    }
    for l in report.iter().skip(rv.scroll).take(room) {
        lines.push(Line::from(Span::styled(truncate(l, cols), th.warn())));
    }
    let shown = lines.len();
    for _ in shown..(2 + room) {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(""));
    for (i, c) in rv.choices.iter().enumerate() {
        let text = t(lang, c.label());
        if i == rv.selected {
            lines.push(Line::from(Span::styled(
                fit(&format!("▸ {text}"), cols),
                th.selected(),
            )));
        } else {
            lines.push(Line::from(format!("  {text}")));
        }
    }
    let k = |a| app.key_for(Context::Menus, a);
    let keys = cat::review_keys(
        lang,
        &format!("{}/{}", k(Action::MoveUp), k(Action::MoveDown)),
        &format!("{}/{}", k(Action::PageUp), k(Action::PageDown)),
        &k(Action::Open),
        &k(Action::Back),
    );
    lines.push(Line::from(Span::styled(keys, th.key())));
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(lang, Msg::ImportReportTitle), app)),
        r,
    );
}

/// The conflict dialog over the form.
pub fn draw_conflict(frame: &mut Frame, body: Rect, app: &App, v: &ConflictView) {
    let th = app.theme;
    let lang = app.lang;
    let h = (v.rows.len().max(1) + 9) as u16;
    let r = centered(body, body.width.min(100), body.height.min(h));
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(clean(&cat::conflict_by(
            lang,
            &v.info.changed_by,
            &v.info.changed_at.iso(),
        ))),
        Line::from(""),
    ];
    let label_w = 18;
    let n_values = if v.show_was { 3 } else { 2 };
    let value_w = (cols.saturating_sub(label_w + 1) / n_values).saturating_sub(1);
    let mut head = vec![Span::styled(
        fit(t(lang, Msg::ConflictField), label_w),
        th.dim(),
    )];
    let mut heads = Vec::new();
    if v.show_was {
        heads.push(Msg::ConflictWas);
    }
    heads.extend([Msg::ConflictTheirs, Msg::ConflictYours]);
    for m in heads {
        head.push(Span::raw(" "));
        head.push(Span::styled(fit(t(lang, m), value_w), th.dim()));
    }
    lines.push(Line::from(head));
    if v.rows.is_empty() {
        lines.push(Line::from(t(lang, Msg::ConflictNoFields)));
    }
    let room = (r.height as usize).saturating_sub(2 + 3 + 3);
    for row in v.rows.iter().take(room.max(1)) {
        let mut spans = vec![Span::styled(
            fit(cat::field_label(lang, &row.field), label_w),
            th.key(),
        )];
        if v.show_was {
            spans.push(Span::raw(" "));
            spans.push(Span::raw(fit(&row.was, value_w)));
        }
        spans.push(Span::raw(" "));
        spans.push(Span::raw(fit(&row.theirs, value_w)));
        spans.push(Span::raw(" "));
        let style = if row.yours == row.theirs {
            th.normal()
        } else {
            th.warn()
        };
        spans.push(Span::styled(fit(&row.yours, value_w), style));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let k = |a| app.key_for(Context::Dialogs, a);
    lines.push(Line::from(Span::styled(
        cat::conflict_keys(
            lang,
            &k(Action::ShowDiff),
            &k(Action::Reload),
            &k(Action::Overwrite),
            &k(Action::ConfirmNo),
        ),
        th.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(popup(t(lang, Msg::ConflictTitle), app)),
        r,
    );
}
