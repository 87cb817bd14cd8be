//! The timeline: activities and meeting notes by date, grouped by month, with a chart of
//! activities per month over the visible range. `A` shows the archived activities (`u` restores).

use super::{PaneView, Search, add_months, month_start, moved};
use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, EntityKind, Enumerated, Id, Note, Record,
};
use crate::i18n::catalogue::Msg;
use crate::keymap::Action;
use crate::service::{
    ActivityQuery, AnyRecord, Archived, MonthCount, Request, Response, TimelineItem, TimelineQuery,
    TimelineWindow, WindowAt,
};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Confirm, Overlay, PromptKind};
use crate::ui::view::Ctx;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Items one window of the timeline holds (the pane asks for no more at a time).
pub const WINDOW: usize = 300;
/// A new window is asked for when the selection comes this close to an edge of the one held.
const MARGIN: usize = 100;

/// One line of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlRow {
    /// The header of the `k`th month of [`TimelinePane::months`].
    Month(usize),
    /// The `i`th item of the whole list.
    Item(usize),
}

/// The timeline pane. It holds a window of the list (at most [`WINDOW`] items) and the counts of
/// the whole list per month; rows are numbered over the whole list (month headers included), and
/// the window follows the selection.
#[derive(Debug, Default)]
pub struct TimelinePane {
    query: ActivityQuery,
    /// Every month with an item, with its counts (from the last answer that counted).
    months: Vec<MonthCount>,
    /// Per month of `months`: the row of its header and the position of its first item.
    heads: Vec<(usize, usize)>,
    activities_total: usize,
    notes_total: usize,
    /// The window: items `offset ..` of the whole list.
    offset: usize,
    items: Vec<TimelineItem>,
    /// The selected row.
    selected: usize,
    loaded: bool,
    /// The query's generation: answers to an older one are dropped.
    seq: u64,
    /// The window asked for and not answered yet.
    asked: Option<WindowAt>,
    jump_today: bool,
    /// The record to keep selected when the next answer comes.
    keep: Option<(EntityKind, Id)>,
    search: Search,
    /// The chart as last drawn, redrawn only when what it shows changes.
    pub(super) chart: super::chart::ChartMemo,
}

fn default_range(today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
    (
        Some(month_start(add_months(today, -6))),
        month_start(add_months(today, 6)).pred_opt(),
    )
}

impl TimelinePane {
    pub fn new(today: NaiveDate) -> TimelinePane {
        let mut p = TimelinePane::default();
        (p.query.from, p.query.to) = default_range(today);
        p.jump_today = true;
        p
    }
    /// The activities of the window held.
    pub fn activities(&self) -> Vec<&Record<Activity>> {
        self.items
            .iter()
            .filter_map(|i| match i {
                TimelineItem::Activity(a) => Some(a),
                TimelineItem::Note(_) => None,
            })
            .collect()
    }
    /// The meeting notes of the window held.
    pub fn notes(&self) -> Vec<&Record<Note>> {
        self.items
            .iter()
            .filter_map(|i| match i {
                TimelineItem::Note(n) => Some(n),
                TimelineItem::Activity(_) => None,
            })
            .collect()
    }
    /// How many activities and notes the whole list has.
    pub fn totals(&self) -> (usize, usize) {
        (self.activities_total, self.notes_total)
    }
    /// The window held: its first item's position in the whole list, and its length.
    pub fn window(&self) -> (usize, usize) {
        (self.offset, self.items.len())
    }
    /// Every month with an item, with its counts.
    pub fn months(&self) -> &[MonthCount] {
        &self.months
    }
    pub fn query(&self) -> &ActivityQuery {
        &self.query
    }
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }
    /// The selected row, and how many rows the whole list has (month headers included).
    pub fn position(&self) -> (usize, usize) {
        (self.selected, self.row_count())
    }

    /// Rows of the whole list: its items and a header per month.
    fn row_count(&self) -> usize {
        self.activities_total + self.notes_total + self.months.len()
    }

    /// What row `row` shows.
    pub fn row(&self, row: usize) -> Option<TlRow> {
        if row >= self.row_count() {
            return None;
        }
        let k = self
            .heads
            .partition_point(|(r, _)| *r <= row)
            .checked_sub(1)?;
        let (head, first) = *self.heads.get(k)?;
        Some(if head == row {
            TlRow::Month(k)
        } else {
            TlRow::Item(first + (row - head - 1))
        })
    }

    /// The row of item `i` of the whole list.
    fn row_of_item(&self, i: usize) -> usize {
        let k = self
            .heads
            .partition_point(|(_, first)| *first <= i)
            .saturating_sub(1);
        match self.heads.get(k) {
            Some((head, first)) => head + 1 + (i - first),
            None => 0,
        }
    }

    /// Item `i` of the whole list, when the window holds it.
    fn item(&self, i: usize) -> Option<&TimelineItem> {
        self.items.get(i.checked_sub(self.offset)?)
    }

    fn selected_item(&self) -> Option<&TimelineItem> {
        match self.row(self.selected)? {
            TlRow::Item(i) => self.item(i),
            TlRow::Month(_) => None,
        }
    }

    /// The selected activity.
    pub fn selected_activity(&self) -> Option<&Record<Activity>> {
        match self.selected_item()? {
            TimelineItem::Activity(a) => Some(a),
            TimelineItem::Note(_) => None,
        }
    }

    fn selected_note(&self) -> Option<&Record<Note>> {
        match self.selected_item()? {
            TimelineItem::Note(n) => Some(n),
            TimelineItem::Activity(_) => None,
        }
    }

    /// The item at or next after the selected row (a header stands for its month's first item).
    fn selected_position(&self) -> usize {
        match self.row(self.selected) {
            Some(TlRow::Item(i)) => i,
            Some(TlRow::Month(k)) => self.heads.get(k).map_or(0, |h| h.1),
            None => 0,
        }
    }

    /// Filter by partner (the prompt's answer).
    pub fn set_partner(&mut self, id: Option<Id>, cx: &Ctx, fx: &mut Effects) {
        self.query.partner = id;
        self.refresh(cx, fx);
    }

    /// Filter by a typed date range `FROM..TO` (empty: the default ±6 months). False when a
    /// date does not parse.
    pub fn set_range(&mut self, v: &str, cx: &Ctx, fx: &mut Effects) -> bool {
        use crate::ui::forms::field::parse_date;
        if v.trim().is_empty() {
            (self.query.from, self.query.to) = default_range(cx.today);
        } else {
            let (a, b) = v.split_once("..").unwrap_or((v, ""));
            let (from, to) = (parse_date(a), parse_date(b));
            if (from.is_none() && !a.trim().is_empty()) || (to.is_none() && !b.trim().is_empty()) {
                return false;
            }
            self.query.from = from;
            self.query.to = to;
        }
        self.refresh(cx, fx);
        true
    }

    /// Ask for a window of the list (and its counts when `months`).
    fn ask(&mut self, at: WindowAt, months: bool, fx: &mut Effects) {
        self.asked = Some(at);
        let q = TimelineQuery {
            activities: self.query.clone(),
            at,
            limit: WINDOW,
            months,
        };
        fx.send(Request::Timeline(q), Route::Timeline(self.seq));
    }

    /// Ask for the window around the selection when it comes near an edge of the one held.
    fn follow(&mut self, fx: &mut Effects) {
        if !self.loaded {
            return;
        }
        let i = self.selected_position();
        let total = self.activities_total + self.notes_total;
        let end = self.offset + self.items.len();
        let low = self.offset > 0 && i < self.offset + MARGIN;
        let high = end < total && i + MARGIN >= end;
        if low || high {
            let at = WindowAt::Offset(i.saturating_sub(WINDOW / 2));
            if self.asked != Some(at) {
                self.ask(at, false, fx);
            }
        }
    }

    /// A window arrived.
    fn take(&mut self, w: TimelineWindow, today: NaiveDate) {
        let keep = self
            .keep
            .take()
            .or_else(|| self.selected_item().map(TimelineItem::key));
        let counted = !w.months.is_empty() || w.activities + w.notes == 0;
        if counted {
            self.months = w.months;
            let mut heads = Vec::with_capacity(self.months.len());
            let (mut row, mut first) = (0, 0);
            for m in &self.months {
                heads.push((row, first));
                let n = (m.activities + m.notes) as usize;
                row += 1 + n;
                first += n;
            }
            self.heads = heads;
        }
        self.activities_total = w.activities;
        self.notes_total = w.notes;
        self.offset = w.offset;
        self.items = w.items;
        self.asked = None;
        self.loaded = true;
        let last = self.row_count().saturating_sub(1);
        if self.jump_today
            && let Some(a) = w.anchor
        {
            self.jump_today = false;
            self.selected = if a >= self.activities_total + self.notes_total {
                last
            } else {
                self.row_of_item(a)
            };
            let _ = today;
            return;
        }
        if counted {
            let found = keep.and_then(|k| self.items.iter().position(|it| it.key() == k));
            if let Some(p) = found {
                self.selected = self.row_of_item(self.offset + p);
            }
        }
        self.selected = self.selected.min(last);
    }

    fn filter(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) -> bool {
        let q = &mut self.query;
        match action {
            Action::MoveLeft | Action::MoveRight => {
                let m = if action == Action::MoveLeft { -1 } else { 1 }
                    * i32::try_from(count).unwrap_or(1);
                q.from = q.from.map(|d| add_months(d, m));
                q.to = q.to.map(|d| add_months(d, m));
            }
            Action::FilterKind => q.kind = super::cycle(q.kind, ActivityKind::ALL),
            Action::FilterStatus => q.status = super::cycle(q.status, ActivityStatus::ALL),
            Action::FilterValue => q.value = super::cycle(q.value, AddedValue::ALL),
            Action::ShowArchive => {
                q.archived = match q.archived {
                    Archived::Only => Archived::Hide,
                    _ => Archived::Only,
                };
            }
            Action::ClearFilter | Action::Back => {
                q.partner = None;
                q.kind = None;
                q.status = None;
                q.value = None;
                q.text.clear();
                self.search.editor.clear();
            }
            Action::FilterPartner => {
                fx.open(Overlay::prompt(PromptKind::Partner, ""));
                return false;
            }
            Action::FilterDateRange => {
                let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                let cur = format!("{}..{}", d(q.from), d(q.to));
                fx.open(Overlay::prompt(PromptKind::DateRange, &cur));
                return false;
            }
            Action::JumpToday => {
                let inside =
                    q.from.is_none_or(|f| f <= cx.today) && q.to.is_none_or(|t| t >= cx.today);
                self.jump_today = true;
                if inside {
                    // Where today is in the list: the service says, with the window around it.
                    let at = WindowAt::Date {
                        date: cx.today,
                        before: WINDOW / 3,
                    };
                    self.ask(at, false, fx);
                    return false;
                }
                // Bring today back into the range, then jump when the rows are in.
                (q.from, q.to) = default_range(cx.today);
            }
            _ => return false,
        }
        true
    }

    fn open(&self, cx: &Ctx, fx: &mut Effects) {
        let pcx = crate::ui::app::parse_cx(cx);
        if let Some(r) = self.selected_activity() {
            fx.form(crate::ui::forms::activity::form(Some(r), &[], &pcx));
        } else if let Some(n) = self.selected_note() {
            fx.form(crate::ui::forms::note::form(Some(n), &[], &pcx));
        }
    }

    fn archive(&self, fx: &mut Effects) {
        if let Some(r) = self.selected_activity() {
            fx.open(Overlay::Confirm(Confirm::CancelActivity(Box::new(
                r.clone(),
            ))));
        } else {
            fx.notice(Msg::NotHere);
        }
    }

    fn restore(&self, fx: &mut Effects) {
        match self.selected_activity() {
            Some(r) if r.meta.archived => fx.open(Overlay::Confirm(Confirm::Restore {
                kind: EntityKind::Activity,
                id: r.meta.id,
                version: r.meta.version,
                name: r.data.title.clone(),
            })),
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn admits(&self, a: &Record<Activity>) -> bool {
        let (q, d) = (&self.query, &a.data);
        let needle = crate::domain::text::fold(q.text.trim());
        q.archived.admits(a.meta.archived)
            && q.from.is_none_or(|f| d.date >= f)
            && q.to.is_none_or(|t| d.date <= t)
            && q.partner.is_none_or(|p| d.partners.contains(&p))
            && q.kind.is_none_or(|x| d.kind == x)
            && q.status.is_none_or(|x| d.status == x)
            && q.value.is_none_or(|x| d.values.contains(&x))
            && (needle.is_empty()
                || crate::domain::text::fold(&format!("{} {}", d.title, d.description))
                    .contains(&needle))
    }

    fn admits_note(&self, n: &Record<Note>) -> bool {
        let q = &self.query;
        !n.meta.archived
            && q.from.is_none_or(|f| n.data.date >= f)
            && q.to.is_none_or(|t| n.data.date <= t)
            && q.partner.is_none_or(|p| n.data.partners.contains(&p))
    }
}

impl PaneView for TimelinePane {
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.seq += 1;
        self.keep = self.selected_item().map(TimelineItem::key);
        let at = if self.jump_today {
            WindowAt::Date {
                date: cx.today,
                before: WINDOW / 3,
            }
        } else {
            WindowAt::Offset(self.selected_position().saturating_sub(WINDOW / 2))
        };
        self.ask(at, true, fx);
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if let Some(s) = moved(action, self.selected, self.row_count(), count, 15) {
            self.selected = s;
            return self.follow(fx);
        }
        if self.filter(action, count, cx, fx) {
            return self.refresh(cx, fx);
        }
        match action {
            Action::JumpToday | Action::FilterPartner | Action::FilterDateRange => {}
            Action::Add => {
                let pre: Vec<Id> = self.query.partner.into_iter().collect();
                let pcx = crate::ui::app::parse_cx(cx);
                fx.form(crate::ui::forms::activity::form(None, &pre, &pcx));
            }
            Action::Edit | Action::Open => self.open(cx, fx),
            Action::LinkGoals => {
                let source = match (self.selected_activity(), self.selected_note()) {
                    (Some(a), _) => Some((crate::domain::LinkSource::Activity, a.meta.id)),
                    (None, Some(n)) => Some((crate::domain::LinkSource::Note, n.meta.id)),
                    (None, None) => None,
                };
                match source {
                    Some((source, id)) => {
                        fx.send(Request::GoalLinksFor { source, id }, Route::LinkGoals)
                    }
                    None => fx.notice(Msg::NotHere),
                }
            }
            Action::Archive => self.archive(fx),
            Action::Restore => self.restore(fx),
            Action::Search => self.search.active = true,
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn answer(
        &mut self,
        route: &Route,
        resp: Response,
        cx: &Ctx,
        _fx: &mut Effects,
    ) -> Option<Response> {
        match (route, resp) {
            (Route::Timeline(seq), Response::Timeline(w)) => {
                if *seq == self.seq {
                    self.take(w, cx.today);
                }
                None
            }
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, rec: &AnyRecord, cx: &Ctx, fx: &mut Effects) {
        let (key, date, shown) = match rec {
            AnyRecord::Activity(r) => (
                (EntityKind::Activity, r.meta.id),
                r.data.date,
                self.admits(r),
            ),
            AnyRecord::Note(r) => (
                (EntityKind::Note, r.meta.id),
                r.data.date,
                self.admits_note(r),
            ),
            _ => return,
        };
        let held = self.items.iter().position(|it| it.key() == key);
        match held {
            // Still shown on the same day: in place, the counts stay.
            Some(p) if shown && self.items.get(p).is_some_and(|it| it.date() == date) => {
                if let Some(slot) = self.items.get_mut(p) {
                    *slot = match rec {
                        AnyRecord::Activity(r) => TimelineItem::Activity(r.clone()),
                        AnyRecord::Note(r) => TimelineItem::Note(r.clone()),
                        _ => return,
                    };
                }
            }
            // New to the list, gone from it, or moved: the window and counts again.
            Some(_) => self.refresh(cx, fx),
            None if shown && self.loaded => self.refresh(cx, fx),
            None => {}
        }
    }

    fn search(&self) -> &Search {
        &self.search
    }
    fn search_mut(&mut self) -> &mut Search {
        &mut self.search
    }
    fn search_changed(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.text = self.search.text();
        self.selected = 0;
        self.refresh(cx, fx);
    }

    fn export(&self, _cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope) {
        (
            crate::csvio::Dataset::Activities,
            crate::csvio::Scope::Activities(self.query.clone()),
        )
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, area, self, cx);
    }
}

mod draw;
use draw::draw;
