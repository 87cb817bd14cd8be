//! The four panes and the form overlay. Each `draw` reads the app state and writes the frame.

pub mod form;
pub mod matrix;
pub mod notes;
pub mod partners;
pub mod timeline;

use super::widgets::{fit, width};
use ratatui::style::Style;
use ratatui::text::Span;

/// " · Search: text▏" for a pane's title line, when a search is active or set.
pub fn search_spans(app: &crate::ui::App) -> Vec<Span<'static>> {
    use crate::i18n::catalogue::{Msg, t};
    let text = app.search_text();
    if !app.searching && text.is_empty() {
        return Vec::new();
    }
    vec![
        Span::raw(format!(" · {}: ", t(app.lang, Msg::Search))),
        Span::styled(
            format!(
                "{}{}",
                crate::ui::widgets::clean(text),
                if app.searching { "▏" } else { "" }
            ),
            app.theme.key(),
        ),
    ]
}

/// Scroll offset that keeps `selected` visible in `rows` lines.
pub fn scroll_for(selected: usize, rows: usize) -> usize {
    if rows == 0 {
        return 0;
    }
    selected.saturating_sub(rows - 1)
}

/// Scroll offset that keeps `selected` about a third down the view (for lists you browse
/// around a point, like the timeline around today).
pub fn scroll_around(selected: usize, rows: usize, total: usize) -> usize {
    let want = selected.saturating_sub(rows / 3);
    want.min(total.saturating_sub(rows))
}

/// `text` fitted to `cols` with the parts matching `needle` (folded) highlighted.
pub fn highlighted(
    text: &str,
    needle: &str,
    cols: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let shown = fit(text, cols);
    let n = crate::domain::text::fold(needle.trim());
    if n.is_empty() {
        return vec![Span::styled(shown, base)];
    }
    // Fold char by char so positions map back to the shown text.
    let chars: Vec<char> = shown.chars().collect();
    let folded: Vec<String> = chars
        .iter()
        .map(|c| crate::domain::text::fold(&c.to_string()))
        .collect();
    let mut marks = vec![false; chars.len()];
    let nchars: Vec<char> = n.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        let mut k = 0;
        while j < chars.len() && k < nchars.len() {
            let f: Vec<char> = folded[j].chars().collect();
            if f.is_empty() {
                j += 1;
                continue;
            }
            if nchars[k..].starts_with(&f) {
                k += f.len();
                j += 1;
            } else {
                break;
            }
        }
        if k >= nchars.len() {
            for m in marks.iter_mut().take(j).skip(i) {
                *m = true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_mark = false;
    for (c, m) in chars.iter().zip(marks) {
        if m != cur_mark && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_mark { hl } else { base },
            ));
        }
        cur_mark = m;
        cur.push(*c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_mark { hl } else { base }));
    }
    let _ = width;
    spans
}
