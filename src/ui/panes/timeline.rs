//! The timeline: activities and meeting notes by date, grouped by month, with a chart of
//! activities per month over the visible range. `A` shows the archived activities (`u` restores).

use super::{PaneView, Search, add_months, month_start, moved, scroll_around};
use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, EntityKind, Enumerated, Id, Note, Record,
};
use crate::i18n::catalogue::{Label, Msg, Noun, count, month_year, t, week, weekday_short};
use crate::keymap::Action;
use crate::service::{ActivityQuery, AnyRecord, Archived, NoteQuery, Request, Response};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Confirm, Overlay, PromptKind};
use crate::ui::view::Ctx;
use crate::ui::widgets::{fit, truncate};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One line of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlRow {
    /// A month header (first day of the month) with its number of activities.
    Month(NaiveDate, usize),
    Activity(usize),
    Note(usize),
}

/// The timeline pane.
#[derive(Debug, Default)]
pub struct TimelinePane {
    query: ActivityQuery,
    activities: Vec<Record<Activity>>,
    notes: Vec<Record<Note>>,
    rows: Vec<TlRow>,
    selected: usize,
    loaded: bool,
    seq: u64,
    notes_seq: u64,
    jump_today: bool,
    search: Search,
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
    pub fn activities(&self) -> &[Record<Activity>] {
        &self.activities
    }
    pub fn notes(&self) -> &[Record<Note>] {
        &self.notes
    }
    pub fn query(&self) -> &ActivityQuery {
        &self.query
    }
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// The selected activity.
    pub fn selected_activity(&self) -> Option<&Record<Activity>> {
        match self.rows.get(self.selected)? {
            TlRow::Activity(i) => self.activities.get(*i),
            _ => None,
        }
    }

    fn selected_note(&self) -> Option<&Record<Note>> {
        match self.rows.get(self.selected)? {
            TlRow::Note(i) => self.notes.get(*i),
            _ => None,
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

    fn rebuild(&mut self) {
        let keep = self
            .rows
            .get(self.selected)
            .copied()
            .and_then(|r| self.row_id(r));
        let mut dated: Vec<(NaiveDate, u8, usize)> = Vec::new();
        for (i, a) in self.activities.iter().enumerate() {
            dated.push((a.data.date, 0, i));
        }
        for (i, n) in self.notes.iter().enumerate() {
            dated.push((n.data.date, 1, i));
        }
        dated.sort();
        let mut rows = Vec::new();
        let mut header: Option<(usize, NaiveDate, usize)> = None;
        for (date, kind, i) in dated {
            let m = month_start(date);
            if header.is_none_or(|(_, hm, _)| hm != m) {
                close_header(&mut rows, header);
                header = Some((rows.len(), m, 0));
                rows.push(TlRow::Month(m, 0));
            }
            if kind == 0 {
                if let Some(h) = &mut header {
                    h.2 += 1;
                }
                rows.push(TlRow::Activity(i));
            } else {
                rows.push(TlRow::Note(i));
            }
        }
        close_header(&mut rows, header);
        self.rows = rows;
        self.loaded = true;
        let found = keep.and_then(|k| self.rows.iter().position(|r| self.row_id(*r) == Some(k)));
        self.selected = found.unwrap_or(self.selected.min(self.rows.len().saturating_sub(1)));
    }

    fn row_id(&self, r: TlRow) -> Option<(u8, Id)> {
        match r {
            TlRow::Activity(i) => self.activities.get(i).map(|a| (0, a.meta.id)),
            TlRow::Note(i) => self.notes.get(i).map(|n| (1, n.meta.id)),
            TlRow::Month(..) => None,
        }
    }

    fn jump_to_today(&mut self, today: NaiveDate) {
        let pos = self.rows.iter().position(|r| match r {
            TlRow::Activity(i) => self
                .activities
                .get(*i)
                .is_some_and(|a| a.data.date >= today),
            TlRow::Note(i) => self.notes.get(*i).is_some_and(|n| n.data.date >= today),
            _ => false,
        });
        self.selected = pos.unwrap_or(self.rows.len().saturating_sub(1));
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
                if inside {
                    self.jump_today = false;
                    self.jump_to_today(cx.today);
                    return false;
                }
                // Bring today back into the range, then jump when the rows are in.
                (q.from, q.to) = default_range(cx.today);
                self.jump_today = true;
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

    /// Put a changed record into `list` (or take it out), keeping it where the query wants it.
    fn place<T: Clone>(list: &mut Vec<Record<T>>, rec: &Record<T>, shown: bool) -> bool {
        let at = list.iter().position(|r| r.meta.id == rec.meta.id);
        match (at, shown) {
            (Some(i), true) => {
                if let Some(slot) = list.get_mut(i) {
                    *slot = rec.clone();
                }
            }
            (Some(i), false) => {
                list.remove(i);
            }
            (None, true) => list.push(rec.clone()),
            (None, false) => return false,
        }
        true
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

fn close_header(rows: &mut [TlRow], header: Option<(usize, NaiveDate, usize)>) {
    if let Some((at, m, n)) = header
        && let Some(h) = rows.get_mut(at)
    {
        *h = TlRow::Month(m, n);
    }
}

impl PaneView for TimelinePane {
    fn refresh(&mut self, _cx: &Ctx, fx: &mut Effects) {
        self.seq += 1;
        self.notes_seq += 1;
        fx.send(
            Request::Activities(self.query.clone()),
            Route::Timeline(self.seq),
        );
        let nq = NoteQuery {
            partner: self.query.partner,
            from: self.query.from,
            to: self.query.to,
            ..NoteQuery::default()
        };
        fx.send(Request::Notes(nq), Route::TimelineNotes(self.notes_seq));
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if let Some(s) = moved(action, self.selected, self.rows.len(), count, 15) {
            self.selected = s;
            return;
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
            (Route::Timeline(seq), Response::Activities(page)) => {
                if *seq == self.seq {
                    self.activities = page.items;
                    self.rebuild();
                    // Start at today once; later reloads keep the cursor where the user put it.
                    if self.jump_today {
                        self.jump_today = false;
                        self.jump_to_today(cx.today);
                    }
                }
                None
            }
            (Route::TimelineNotes(seq), Response::Notes(page)) => {
                if *seq == self.notes_seq {
                    self.notes = page.items;
                    self.rebuild();
                }
                None
            }
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, rec: &AnyRecord, _cx: &Ctx, _fx: &mut Effects) {
        let changed = match rec {
            AnyRecord::Activity(r) => {
                let shown = self.admits(r);
                let c = Self::place(&mut self.activities, r, shown);
                self.activities.sort_by_key(|a| a.data.date);
                c
            }
            AnyRecord::Note(r) => {
                let shown = self.admits_note(r);
                Self::place(&mut self.notes, r, shown)
            }
            _ => false,
        };
        if changed && self.loaded {
            self.rebuild();
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

fn title_line(tl: &TimelinePane, cx: &Ctx) -> Line<'static> {
    let (th, lang, q) = (cx.theme, cx.lang, &tl.query);
    let mut filt = Vec::new();
    if let Some(p) = q.partner {
        filt.push(cx.names_of(&[p]));
    }
    if let Some(k) = q.kind {
        filt.push(k.label(lang).to_string());
    }
    if let Some(s) = q.status {
        filt.push(s.label(lang).to_string());
    }
    if let Some(v) = q.value {
        filt.push(v.label(lang).to_string());
    }
    let range = format!(
        "{} – {}",
        q.from.map(|d| d.to_string()).unwrap_or_default(),
        q.to.map(|d| d.to_string()).unwrap_or_default()
    );
    let mut spans = Vec::new();
    if q.archived == Archived::Only {
        spans.push(Span::styled(
            format!("{} ", t(lang, Msg::ArchiveView)),
            th.warn(),
        ));
    }
    spans.extend([
        Span::styled(count(lang, tl.activities.len(), Noun::Activity), th.title()),
        Span::raw(format!(" · {}", count(lang, tl.notes.len(), Noun::Note))),
        Span::styled(
            format!(
                " · {} {} {}",
                t(lang, Msg::Today),
                cx.today,
                week(lang, cx.today)
            ),
            th.dim(),
        ),
        Span::raw(format!(" · {range}")),
    ]);
    if !filt.is_empty() {
        spans.push(Span::raw(format!(
            " · {}: {}",
            t(lang, Msg::Filters),
            filt.join(", ")
        )));
    }
    spans.extend(super::search_spans(&tl.search, cx));
    Line::from(spans)
}

fn activity_line(a: &Record<Activity>, selected: bool, w: usize, cx: &Ctx) -> Line<'static> {
    let (th, lang) = (cx.theme, cx.lang);
    let d = a.data.date;
    let (mark, style) = if a.data.status == ActivityStatus::Cancelled {
        ("✗", th.past())
    } else if d < cx.today {
        ("·", th.past())
    } else if d == cx.today {
        ("◆", th.upcoming())
    } else {
        ("›", th.upcoming())
    };
    let style = if selected { th.selected() } else { style };
    let text = format!(
        "{mark} {} {} {} {} · {} · {} · {}",
        d,
        fit(&weekday_short(lang, d), 3),
        fit(&week(lang, d), 5),
        truncate(&a.data.title, 36),
        a.data.kind.label(lang),
        a.data.status.label(lang),
        cx.names_of(&a.data.partners),
    );
    Line::from(Span::styled(fit(&text, w), style))
}

fn note_line(n: &Record<Note>, selected: bool, w: usize, cx: &Ctx) -> Line<'static> {
    let (th, lang) = (cx.theme, cx.lang);
    let d = n.data.date;
    let style = if selected {
        th.selected()
    } else if d < cx.today {
        th.past()
    } else {
        th.upcoming()
    };
    let text = format!(
        "✎ {} {} {} {} ({}) · {}",
        d,
        fit(&weekday_short(lang, d), 3),
        fit(&week(lang, d), 5),
        truncate(&n.data.title, 36),
        t(lang, Msg::NoteMarker),
        cx.names_of(&n.data.partners),
    );
    Line::from(Span::styled(fit(&text, w), style))
}

fn draw(frame: &mut Frame, area: Rect, tl: &TimelinePane, cx: &Ctx) {
    let lang = cx.lang;
    let [title, chart, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 30 { 8 } else { 6 }),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(title_line(tl, cx)), title);
    if !tl.loaded {
        frame.render_widget(Paragraph::new(t(lang, Msg::Loading)), list);
        return;
    }
    super::chart::draw_chart(frame, chart, tl, cx);
    if tl.rows.is_empty() {
        let k = cx.key(crate::keymap::Context::Timeline, Action::Add);
        let text = crate::i18n::catalogue::empty_timeline(lang, &k);
        frame.render_widget(Paragraph::new(text), list);
        return;
    }
    let w = list.width as usize;
    let rows_h = list.height as usize;
    let start = scroll_around(tl.selected, rows_h, tl.rows.len());
    let mut lines = Vec::new();
    for (i, row) in tl.rows.iter().enumerate().skip(start).take(rows_h) {
        let selected = i == tl.selected;
        let line = match *row {
            TlRow::Month(m, n) => Line::from(Span::styled(
                fit(
                    &format!(
                        "── {} · {}",
                        month_year(lang, m),
                        count(lang, n, Noun::Activity)
                    ),
                    w,
                ),
                if selected {
                    cx.theme.selected()
                } else {
                    cx.theme.header()
                },
            )),
            TlRow::Activity(ix) => match tl.activities.get(ix) {
                Some(a) => activity_line(a, selected, w, cx),
                None => continue,
            },
            TlRow::Note(ix) => match tl.notes.get(ix) {
                Some(n) => note_line(n, selected, w, cx),
                None => continue,
            },
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), list);
}
