//! The Export CSV… and Import CSV… dialogs, their progress, and the import's dry-run report.

use super::Overlay;
use crate::i18n::catalogue::{self as cat, Msg, t};
use crate::keymap::{Action, Context};
use crate::ui::effect::{Effect, Effects};
use crate::ui::forms::field::Input;
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::transfer::{
    ExportDialog, ExportRun, Failure, ImportChoice, ImportDialog, ImportReview, ImportRun,
    TransferRow, cancelling, edit_row,
};
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, fit, truncate, width};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn fields_focus(o: &mut Overlay) -> Option<(usize, &mut usize)> {
    match o {
        Overlay::Export(d) => Some((d.fields.len(), &mut d.focus)),
        Overlay::Import(d) => Some((d.fields.len(), &mut d.focus)),
        _ => None,
    }
}

fn review_action(r: &mut ImportReview, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
    let n = r.choices.len().max(1);
    let lines = r.lines().len();
    match action {
        Action::MoveDown | Action::MoveRight => r.selected = (r.selected + 1) % n,
        Action::MoveUp | Action::MoveLeft => r.selected = (r.selected + n - 1) % n,
        Action::PageDown => r.scroll = (r.scroll + 10 * count).min(lines.saturating_sub(1)),
        Action::PageUp => r.scroll = r.scroll.saturating_sub(10 * count),
        Action::First => r.scroll = 0,
        Action::Last => r.scroll = lines.saturating_sub(1),
        Action::Open => {
            let c = r.choices.get(r.selected).copied();
            fx.push(Effect::ImportChoice(c.unwrap_or(ImportChoice::Cancel)));
        }
        Action::Back | Action::Cancel => fx.push(Effect::ImportChoice(ImportChoice::Cancel)),
        Action::ToggleLanguage => fx.push(Effect::SetLang(cx.lang.toggle())),
        _ => {}
    }
}

pub fn action(o: &mut Overlay, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
    match o {
        Overlay::Exporting(_) => {
            if matches!(action, Action::ConfirmNo | Action::Back | Action::Cancel) {
                fx.push(Effect::CancelExport);
            }
            return;
        }
        Overlay::Importing(_) => return,
        Overlay::ImportReview(r) => return review_action(r, action, count, cx, fx),
        _ => {}
    }
    let Some((n, focus)) = fields_focus(o) else {
        return;
    };
    let n = n.max(1);
    match action {
        Action::NextField => *focus = (*focus + 1) % n,
        Action::PrevField => *focus = (*focus + n - 1) % n,
        Action::Cancel | Action::Back => fx.close(),
        Action::Save => fx.push(Effect::Transfer(Box::new(o.clone()))),
        Action::ToggleLanguage => fx.push(Effect::SetLang(cx.lang.toggle())),
        Action::Redraw => fx.push(Effect::Redraw),
        _ => {}
    }
}

/// Typing into the focused field; Enter starts.
pub fn key(o: &mut Overlay, ev: KeyEvent, fx: &mut Effects) {
    if ev.code == KeyCode::Enter {
        fx.push(Effect::Transfer(Box::new(o.clone())));
        return;
    }
    match o {
        Overlay::Export(d) => {
            let changed = edit_row(&mut d.fields, d.focus, ev);
            changed.then(|| d.changed());
        }
        Overlay::Import(d) => {
            let changed = edit_row(&mut d.fields, d.focus, ev);
            d.problem = d.problem.filter(|_| !changed);
            d.error = d.error.take().filter(|_| !changed);
        }
        _ => {}
    }
}

pub fn draw(frame: &mut Frame, body: Rect, o: &Overlay, cx: &Ctx) {
    match o {
        Overlay::Export(d) => draw_export(frame, body, cx, d),
        Overlay::Import(d) => draw_import(frame, body, cx, d),
        Overlay::Exporting(run) => draw_exporting(frame, body, cx, run),
        Overlay::Importing(run) => draw_importing(frame, body, cx, run),
        Overlay::ImportReview(rv) => draw_import_review(frame, body, cx, rv),
        _ => {}
    }
}

const LABEL: usize = 10;

/// The lines of a small form: label, value; the focused one marked.
fn field_lines<'a>(cx: &Ctx, fields: &[TransferRow], focus: usize, cols: usize) -> Vec<Line<'a>> {
    let th = cx.theme;
    let lang = cx.lang;
    let value_cols = cols.saturating_sub(LABEL + 3);
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let focused = i == focus;
            let value = match &f.input {
                Input::Text(e) if focused => {
                    // Keep the end of a long path in view: that is where people type.
                    let v = clean(&e.text());
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
                _ => f.input.display(lang),
            };
            let mark = if focused { "▸" } else { " " };
            let label = Span::styled(
                format!("{mark}{} ", fit(t(lang, f.key.label()), LABEL)),
                if focused { th.selected() } else { th.dim() },
            );
            Line::from(vec![label, Span::raw(truncate(&value, value_cols))])
        })
        .collect()
}

fn problem_lines<'a>(cx: &Ctx, problem: Option<Msg>, error: Option<&Failure>) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    if let Some(m) = problem {
        out.push(Line::from(Span::styled(
            t(cx.lang, m).to_string(),
            cx.theme.warn(),
        )));
    }
    if let Some(e) = error {
        out.push(Line::from(Span::styled(
            clean(&e.text(cx.lang)),
            cx.theme.warn(),
        )));
    }
    out
}

fn form_keys(cx: &Ctx, export: bool) -> String {
    let k = |a| {
        cx.keymap
            .keys_for(Context::Forms, a)
            .into_iter()
            .next()
            .unwrap_or_else(|| Action::name(&a).to_string())
    };
    cat::transfer_keys(
        cx.lang,
        &k(Action::NextField),
        &k(Action::Save),
        &k(Action::Cancel),
        export,
    )
}

/// What the Export and Import dialogs have in common: fields, a problem line, the keys.
struct TransferView<'d> {
    fields: &'d [TransferRow],
    focus: usize,
    problem: Option<Msg>,
    error: Option<&'d Failure>,
    /// Height without the problem lines.
    height: u16,
    title: Msg,
    export: bool,
}

fn draw_transfer(frame: &mut Frame, body: Rect, cx: &Ctx, v: TransferView<'_>) {
    let extra = (usize::from(v.problem.is_some()) + usize::from(v.error.is_some())) * 2;
    let r = centered(body, 78, v.height + extra as u16);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let mut lines = field_lines(cx, v.fields, v.focus, cols);
    lines.push(Line::from(""));
    lines.extend(problem_lines(cx, v.problem, v.error));
    lines.push(Line::from(Span::styled(
        form_keys(cx, v.export),
        cx.theme.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(popup(t(cx.lang, v.title), cx)),
        r,
    );
}

/// The Export CSV… dialog.
fn draw_export(frame: &mut Frame, body: Rect, cx: &Ctx, d: &ExportDialog) {
    let view = TransferView {
        fields: &d.fields,
        focus: d.focus,
        problem: d.problem,
        error: d.error.as_ref(),
        height: 11,
        title: Msg::ExportTitle,
        export: true,
    };
    draw_transfer(frame, body, cx, view);
}

/// The Import CSV… dialog.
fn draw_import(frame: &mut Frame, body: Rect, cx: &Ctx, d: &ImportDialog) {
    let view = TransferView {
        fields: &d.fields,
        focus: d.focus,
        problem: d.problem,
        error: d.error.as_ref(),
        height: 8,
        title: Msg::ImportTitle,
        export: false,
    };
    draw_transfer(frame, body, cx, view);
}

/// An export in progress: a bar fed by the export's progress callback.
fn draw_exporting(frame: &mut Frame, body: Rect, cx: &Ctx, run: &ExportRun) {
    let lang = cx.lang;
    let r = centered(body, 70, 7);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let (rows, total) = run.progress.map(|p| (p.rows, p.total)).unwrap_or((0, None));
    let (bar, count) = progress_bar(lang, rows, total, cols);
    let state = if cancelling(run) {
        t(lang, Msg::ExportCancelled).to_string()
    } else {
        {
            let keys = cx.keymap.keys_for(Context::Dialogs, Action::ConfirmNo);
            let k = keys.iter().find(|k| *k == "<Esc>").or(keys.first());
            cat::esc_cancels(
                lang,
                &crate::ui::view::friendly(k.map_or("Esc", String::as_str)),
            )
        }
    };
    let lines = vec![
        Line::from(truncate(&run.path, cols)),
        Line::from(""),
        Line::from(format!("{bar}  {count}")),
        Line::from(""),
        Line::from(Span::styled(state, cx.theme.key())),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(lang, Msg::Exporting), cx)),
        r,
    );
}

/// An import or its dry run in progress.
/// A bar of `cols` cells for `rows` of `total` (a moving marker when the total is unknown), and
/// the count as words.
fn progress_bar(
    lang: crate::i18n::Lang,
    rows: usize,
    total: Option<usize>,
    cols: usize,
) -> (String, String) {
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
    (bar, count)
}

fn draw_importing(frame: &mut Frame, body: Rect, cx: &Ctx, run: &ImportRun) {
    use crate::csvio::ImportProgress;
    let r = centered(body, 70, 5);
    clear_area(frame, r);
    let cols = r.width.saturating_sub(2) as usize;
    let msg = if run.dry_run {
        Msg::Checking
    } else {
        Msg::Importing
    };
    // Checking the rows, then sending them: the bar fills while they are sent.
    let (rows, total) = match run.progress {
        Some(ImportProgress::Checking { rows }) => (rows, None),
        Some(ImportProgress::Writing { rows, total }) => (rows, Some(total)),
        None => (0, None),
    };
    let (bar, count) = progress_bar(cx.lang, rows, total, cols);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(t(cx.lang, msg)),
            Line::from(""),
            Line::from(format!("{bar}  {count}")),
        ])
        .block(popup(t(cx.lang, Msg::ImportTitle), cx)),
        r,
    );
}

/// The dry run's report (scrollable) and the choice.
fn draw_import_review(frame: &mut Frame, body: Rect, cx: &Ctx, rv: &ImportReview) {
    let th = cx.theme;
    let lang = cx.lang;
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
    let k = |a| {
        cx.keymap
            .keys_for(Context::Menus, a)
            .into_iter()
            .next()
            .unwrap_or_else(|| Action::name(&a).to_string())
    };
    let keys = cat::review_keys(
        lang,
        &format!("{}/{}", k(Action::MoveUp), k(Action::MoveDown)),
        &format!("{}/{}", k(Action::PageUp), k(Action::PageDown)),
        &k(Action::Open),
        &k(Action::Back),
    );
    lines.push(Line::from(Span::styled(keys, th.key())));
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(lang, Msg::ImportReportTitle), cx)),
        r,
    );
}
