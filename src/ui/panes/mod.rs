//! The five panes. Each is a component that owns its state (query, rows, selection, search),
//! handles its own actions and answers, applies changed records in place, and draws itself from
//! its state and the read-only [`Ctx`]. Effects go back to the app.

pub mod chart;
pub mod detail;
pub mod detail_life;
pub mod matrix;
pub mod notes;
pub mod overview;
pub mod partners;
pub mod timeline;

use super::effect::{Effects, Route};
use super::input::{Edit, LineEditor};
use super::view::Ctx;
use super::widgets::{fit, width};
use crate::domain::Id;
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::{Action, Context};
use crate::service::{AnyRecord, Response};
use chrono::{Datelike, Months, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

/// The five panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Partners,
    Timeline,
    Matrix,
    Notes,
    Overview,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Partners,
        Pane::Timeline,
        Pane::Matrix,
        Pane::Notes,
        Pane::Overview,
    ];
    pub fn title(self) -> Msg {
        match self {
            Pane::Partners => Msg::PanePartners,
            Pane::Timeline => Msg::PaneTimeline,
            Pane::Matrix => Msg::PaneMatrix,
            Pane::Notes => Msg::PaneNotes,
            Pane::Overview => Msg::PaneOverview,
        }
    }
    pub fn context(self) -> Context {
        match self {
            Pane::Partners => Context::Partners,
            Pane::Timeline => Context::Timeline,
            Pane::Matrix => Context::Matrix,
            Pane::Notes => Context::Notes,
            // No keys of its own: moving and Enter are global.
            Pane::Overview => Context::Global,
        }
    }
    /// The machine name (`start_pane` in the config).
    pub fn key(self) -> &'static str {
        match self {
            Pane::Partners => "partners",
            Pane::Timeline => "timeline",
            Pane::Matrix => "matrix",
            Pane::Notes => "notes",
            Pane::Overview => "overview",
        }
    }
    /// A pane from its machine name or its title in either language (any case).
    pub fn parse(s: &str) -> Option<Pane> {
        let s = s.trim().to_lowercase();
        Pane::ALL.into_iter().find(|p| {
            p.key() == s
                || [crate::i18n::Lang::En, crate::i18n::Lang::Sv]
                    .iter()
                    .any(|l| t(*l, p.title()).to_lowercase() == s)
        })
    }
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What every pane does for the app.
pub trait PaneView {
    /// Ask for the pane's data.
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects);
    /// Run an action (the app has already refused what the user may not do).
    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects);
    /// An answer to one of the pane's requests; an answer it does not want is handed back.
    fn answer(
        &mut self,
        route: &Route,
        resp: Response,
        cx: &Ctx,
        fx: &mut Effects,
    ) -> Option<Response>;
    /// A record that changed (another user's change, or the pane's own save): update the rows
    /// that show it, in place.
    fn apply(&mut self, rec: &AnyRecord, cx: &Ctx, fx: &mut Effects);
    /// The pane's search line.
    fn search(&self) -> &Search;
    fn search_mut(&mut self) -> &mut Search;
    /// The search text changed: filter again.
    fn search_changed(&mut self, cx: &Ctx, fx: &mut Effects);
    /// What the pane shows, as an export.
    fn export(&self, cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope);
    /// Draw into `area`.
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx);
}

/// A pane's search-as-you-type line (`/`).
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub editor: LineEditor,
    /// Typing goes to the search line.
    pub active: bool,
}

impl Search {
    /// The text searched for.
    pub fn text(&self) -> String {
        self.editor.text()
    }

    /// A key while the search line is active; true when the text changed.
    pub fn key(&mut self, ev: crossterm::event::KeyEvent) -> bool {
        self.editor.key(ev) == Edit::Changed
    }
}

/// " · Search: text▏" for a pane's title line, when a search is active or set.
pub fn search_spans(search: &Search, cx: &Ctx) -> Vec<Span<'static>> {
    let text = search.text();
    if !search.active && text.is_empty() {
        return Vec::new();
    }
    vec![
        Span::raw(format!(" · {}: ", t(cx.lang, Msg::Search))),
        Span::styled(
            format!(
                "{}{}",
                crate::ui::widgets::clean(&text),
                if search.active { "▏" } else { "" }
            ),
            cx.theme.key(),
        ),
    ]
}

/// Keep the selection on the same record after a reload, else keep the index in range.
pub fn reselect(ids: impl Iterator<Item = Id>, keep: Option<Id>, old: usize) -> usize {
    let ids: Vec<Id> = ids.collect();
    if let Some(k) = keep
        && let Some(p) = ids.iter().position(|i| *i == k)
    {
        return p;
    }
    old.min(ids.len().saturating_sub(1))
}

/// Next filter value: none → first → … → last → none.
pub fn cycle<T: Copy + PartialEq>(cur: Option<T>, all: &[T]) -> Option<T> {
    match cur {
        None => all.first().copied(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c).unwrap_or(0);
            all.get(i + 1).copied()
        }
    }
}

/// `d` moved by `m` months.
pub fn add_months(d: NaiveDate, m: i32) -> NaiveDate {
    if m >= 0 {
        d.checked_add_months(Months::new(m.unsigned_abs()))
    } else {
        d.checked_sub_months(Months::new(m.unsigned_abs()))
    }
    .unwrap_or(d)
}

/// The first day of `d`'s month.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// A selection moved by a list action, or None for other actions.
pub fn moved(action: Action, sel: usize, n: usize, count: usize, page: usize) -> Option<usize> {
    let last = n.saturating_sub(1);
    Some(match action {
        Action::MoveDown => (sel + count).min(last),
        Action::MoveUp => sel.saturating_sub(count),
        Action::First => 0,
        Action::Last => last,
        Action::PageDown => (sel + page * count).min(last),
        Action::PageUp => sel.saturating_sub(page * count),
        _ => return None,
    })
}

/// The first row shown when `selected` is selected in a view of `rows` lines over `total`.
///
/// The scrolling rule of every list: the view turns a page at a time. Rows stay where they are
/// while the selection moves inside the view (a key redraws only the two rows whose selection
/// changed); when the selection leaves it, the view moves on by a page less [`PAGE_OVERLAP`] rows,
/// so the rows that were at its bottom are at its top. The last page ends at the last row. A pure
/// function of the selection, so drawing needs no scroll state.
pub fn page_start(selected: usize, rows: usize, total: usize) -> usize {
    if rows == 0 {
        return 0;
    }
    let step = rows.saturating_sub(PAGE_OVERLAP).max(1);
    ((selected / step) * step).min(total.saturating_sub(rows))
}

/// Rows a page turn keeps in view (see [`page_start`]).
pub const PAGE_OVERLAP: usize = 2;

/// A list row in `w` columns: its `lead` (marker and first column) and the `rest`. A selected
/// row shows its lead in `sel` and the rest in its own `style`, so moving the selection restyles
/// a few dozen cells, not two whole rows: over a slow SSH link every byte counts (issue 17).
pub fn lead_row(
    lead: &str,
    rest: &str,
    w: usize,
    selected: bool,
    sel: Style,
    style: Style,
) -> Vec<Span<'static>> {
    let lead = super::widgets::truncate(lead, w);
    let rest = fit(rest, w.saturating_sub(width(&lead)));
    vec![
        Span::styled(lead, if selected { sel } else { style }),
        Span::styled(rest, style),
    ]
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

#[cfg(test)]
mod tests {
    use super::page_start;

    #[test]
    fn the_view_turns_a_page_at_a_time_and_always_shows_the_selection() {
        // Rows stay still inside a page.
        assert_eq!(page_start(0, 10, 100), 0);
        assert_eq!(page_start(7, 10, 100), 0);
        // The next page begins with the two rows that ended the last one.
        assert_eq!(page_start(8, 10, 100), 8);
        assert_eq!(page_start(15, 10, 100), 8);
        // The last page ends at the last row.
        assert_eq!(page_start(99, 10, 100), 90);
        assert_eq!(page_start(3, 10, 5), 0);
        assert_eq!(page_start(3, 0, 5), 0);
        for rows in 1..12 {
            for total in 0..40 {
                for sel in 0..total {
                    let s = page_start(sel, rows, total);
                    assert!(s <= sel && sel < s + rows, "{sel} {rows} {total}");
                }
            }
        }
    }
}
