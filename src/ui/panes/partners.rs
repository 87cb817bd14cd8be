//! The partners pane: the table, its search, filters, sort and archive view, and the detail view
//! ([`super::detail`]) of the partner opened.

use super::detail::{Detail, DetailDone};
use super::{PaneView, Search, cycle, moved};
use crate::domain::{EntityKind, Enumerated, OrgKind, Phase, Tier};
use crate::i18n::Lang;
use crate::i18n::catalogue::Msg;
use crate::keymap::Action;
use crate::service::{
    AnyRecord, Archived, PartnerColumn, PartnerQuery, PartnerRow, Request, Response,
};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Confirm, Overlay, PromptKind};
use crate::ui::view::Ctx;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Rows one window of the table holds (the pane asks for no more at a time).
pub const WINDOW: usize = 120;
/// A new window is asked for when the selection comes this close to an edge of the one held.
const MARGIN: usize = 40;

/// The partners pane. It holds a window of the table (at most [`WINDOW`] rows, `offset ..` of
/// the whole list) and how many partners match; the selection is a position in the whole list.
#[derive(Debug, Default)]
pub struct PartnersPane {
    query: PartnerQuery,
    rows: Vec<PartnerRow>,
    offset: usize,
    /// How many partners match.
    total: usize,
    /// A window asked for and not answered yet (its offset).
    asked: Option<usize>,
    /// The partner to keep selected when the next answer comes.
    keep: Option<crate::domain::Id>,
    selected: usize,
    loaded: bool,
    seq: u64,
    search: Search,
    detail: Option<Detail>,
}

impl PartnersPane {
    pub fn new(lang: Lang) -> PartnersPane {
        let mut p = PartnersPane::default();
        p.query.lang = lang;
        p
    }
    /// The rows of the window held.
    pub fn rows(&self) -> &[PartnerRow] {
        &self.rows
    }
    /// How many partners match.
    pub fn total(&self) -> usize {
        self.total
    }
    /// The window held: its first row's position in the whole list, and its length.
    pub fn window(&self) -> (usize, usize) {
        (self.offset, self.rows.len())
    }
    /// The partner a report is about, with its name: the one open in the detail view, else the
    /// selected row.
    pub fn report_target(&self) -> Option<(crate::domain::Id, String)> {
        match &self.detail {
            Some(d) => {
                let name = d.data().map(|x| x.partner.data.name.clone());
                Some((d.id(), name.unwrap_or_default()))
            }
            None => self.row(self.selected).map(|r| (r.id, r.name.clone())),
        }
    }
    /// Row `i` of the whole list, when the window holds it.
    fn row(&self, i: usize) -> Option<&PartnerRow> {
        self.rows.get(i.checked_sub(self.offset)?)
    }

    /// Rows to show until the first answer comes (the first screen kept from the last session);
    /// that answer replaces them.
    pub fn preview(&mut self, mut page: crate::service::Page<PartnerRow>) {
        if self.loaded || page.offset != 0 {
            return;
        }
        page.items.truncate(WINDOW);
        self.total = page.total;
        self.rows = page.items;
        self.loaded = true;
    }

    /// Ask for the window of rows starting at `offset`.
    fn ask(&mut self, offset: usize, fx: &mut Effects) {
        self.asked = Some(offset);
        let q = PartnerQuery {
            offset,
            limit: WINDOW,
            ..self.query.clone()
        };
        let to = Route::Partners {
            seq: self.seq,
            quick: false,
        };
        fx.send(Request::Partners(q), to);
    }

    /// Ask for the window around the selection when it comes near an edge of the one held.
    fn follow(&mut self, fx: &mut Effects) {
        let end = self.offset + self.rows.len();
        let low = self.offset > 0 && self.selected < self.offset + MARGIN;
        let high = end < self.total && self.selected + MARGIN >= end;
        if self.loaded && (low || high) {
            let at = self.selected.saturating_sub(WINDOW / 2);
            if self.asked != Some(at) {
                self.ask(at, fx);
            }
        }
    }
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn query(&self) -> &PartnerQuery {
        &self.query
    }
    /// Show the detail of partner `id`, opened from pane `from` (Esc returns there).
    pub fn open_detail(&mut self, id: crate::domain::Id, from: super::Pane, fx: &mut Effects) {
        let mut d = if from == super::Pane::Partners {
            Detail::new(id)
        } else {
            Detail::from_pane(id, from)
        };
        d.refresh(fx);
        self.detail = Some(d);
    }

    pub fn detail(&self) -> Option<&Detail> {
        self.detail.as_ref()
    }
    /// The archive view is showing.
    pub fn archive_view(&self) -> bool {
        self.query.archived == Archived::Only
    }

    /// Close the detail view (its partner was archived).
    pub fn close_detail(&mut self) {
        self.detail = None;
    }

    /// Filter by a country code (the prompt's answer).
    pub fn set_country(&mut self, c: &str, cx: &Ctx, fx: &mut Effects) {
        let c = c.trim().to_uppercase();
        self.query.country = if c.is_empty() { None } else { Some(c) };
        self.selected = 0;
        self.refresh(cx, fx);
    }

    fn requery(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.selected = 0;
        self.refresh(cx, fx);
    }

    fn confirm_archive(&self, fx: &mut Effects) {
        match self.row(self.selected) {
            Some(r) if !r.archived => fx.open(Overlay::Confirm(Confirm::Archive {
                kind: EntityKind::Partner,
                id: r.id,
                version: r.version,
                name: r.name.clone(),
            })),
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn restore(&self, fx: &mut Effects) {
        match self.row(self.selected) {
            Some(r) if r.archived => fx.open(Overlay::Confirm(Confirm::Restore {
                kind: EntityKind::Partner,
                id: r.id,
                version: r.version,
                name: r.name.clone(),
            })),
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn filter(&mut self, action: Action, fx: &mut Effects) -> bool {
        let q = &mut self.query;
        match action {
            Action::FilterPhase => q.phase = cycle(q.phase, Phase::ALL),
            Action::FilterKind => q.kind = cycle(q.kind, OrgKind::ALL),
            Action::FilterTier => q.tier = cycle(q.tier, Tier::ALL),
            Action::FilterGovernance => q.governance_behind = !q.governance_behind,
            Action::FilterCountry => {
                let c = q.country.clone().unwrap_or_default();
                fx.open(Overlay::prompt(PromptKind::Country, &c));
                return false;
            }
            Action::SortNextColumn => {
                use PartnerColumn as C;
                q.sort = match q.sort {
                    C::Name => C::Kind,
                    C::Kind => C::Country,
                    C::Country => C::Phase,
                    C::Phase => C::AgreementEnd,
                    C::AgreementEnd => C::Value,
                    C::Value => C::Name,
                };
            }
            Action::SortReverse => q.descending = !q.descending,
            Action::ShowArchive => {
                q.archived = match q.archived {
                    Archived::Only => Archived::Hide,
                    _ => Archived::Only,
                };
            }
            Action::Back | Action::ClearFilter => {
                q.text.clear();
                self.search.editor.clear();
                q.phase = None;
                q.kind = None;
                q.country = None;
                q.tier = None;
                q.governance_behind = false;
            }
            _ => return false,
        }
        true
    }

    fn answer_rows(&mut self, page: crate::service::Page<PartnerRow>) {
        let keep = self.keep.take();
        self.offset = page.offset;
        self.total = page.total;
        self.rows = page.items;
        self.asked = None;
        self.loaded = true;
        if let Some(p) = keep.and_then(|k| self.rows.iter().position(|r| r.id == k)) {
            self.selected = self.offset + p;
        }
        self.selected = self.selected.min(self.total.saturating_sub(1));
    }
}

impl PaneView for PartnersPane {
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.lang = cx.lang;
        self.refresh_rows(fx);
        if let Some(d) = &mut self.detail {
            d.refresh(fx);
        }
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if action == Action::ChangePhase {
            let id = match &self.detail {
                Some(d) => Some(d.id()),
                None => self.row(self.selected).map(|r| r.id),
            };
            match id {
                Some(id) => fx.send(Request::PhaseCriteria(id), Route::PhaseDialog),
                None => fx.notice(Msg::NotHere),
            }
            return;
        }
        if let Some(d) = &mut self.detail {
            if d.action(action, count, cx, fx) == DetailDone::Close {
                if let Some(p) = d.back_to() {
                    fx.push(crate::ui::effect::Effect::SetPane(p));
                }
                self.detail = None;
            }
            return;
        }
        if let Some(s) = moved(action, self.selected, self.total, count, 15) {
            self.selected = s;
            return self.follow(fx);
        }
        if self.filter(action, fx) {
            return self.requery(cx, fx);
        }
        match action {
            Action::Open => {
                if let Some(row) = self.row(self.selected) {
                    let mut d = Detail::new(row.id);
                    d.refresh(fx);
                    self.detail = Some(d);
                }
            }
            Action::Add => fx.form(crate::ui::forms::partner::form(
                None,
                &crate::ui::app::parse_cx(cx),
            )),
            Action::Edit => {
                if let Some(row) = self.row(self.selected) {
                    let req = Request::Get {
                        kind: EntityKind::Partner,
                        id: row.id,
                    };
                    fx.send(req, Route::EditLoaded);
                }
            }
            Action::Archive => self.confirm_archive(fx),
            Action::Restore => self.restore(fx),
            Action::Search => self.search.active = true,
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn answer(
        &mut self,
        route: &Route,
        resp: Response,
        _cx: &Ctx,
        _fx: &mut Effects,
    ) -> Option<Response> {
        match (route, resp) {
            (Route::Partners { seq, .. }, Response::Partners(page)) => {
                if *seq == self.seq {
                    self.answer_rows(page);
                }
                None
            }
            (Route::Detail(seq), resp) => match &mut self.detail {
                Some(d) => d.answer(*seq, resp),
                None => None,
            },
            (Route::DetailLife(seq), resp) => match &mut self.detail {
                Some(d) => d.answer_life(*seq, resp),
                None => None,
            },
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, rec: &AnyRecord, _cx: &Ctx, fx: &mut Effects) {
        if let Some(d) = &mut self.detail {
            d.apply(rec, fx);
        }
        match rec {
            AnyRecord::Partner(r) => {
                let shown = self.query.archived.admits(r.meta.archived);
                match self.rows.iter().position(|row| row.id == r.meta.id) {
                    Some(i) if !shown => {
                        self.rows.remove(i);
                        self.total = self.total.saturating_sub(1);
                        self.selected = self.selected.min(self.total.saturating_sub(1));
                    }
                    Some(i) => {
                        if let Some(row) = self.rows.get_mut(i) {
                            update_row(row, r);
                        }
                    }
                    // A partner new to this view: its place and derived columns come from the
                    // service.
                    None if shown => self.refresh_rows(fx),
                    None => {}
                }
            }
            AnyRecord::Assessment(r) => {
                if let Some(row) = self.rows.iter_mut().find(|row| row.id == r.data.partner) {
                    super::matrix::set_cell(&mut row.scores, r);
                }
            }
            // Agreement end dates and renewal marks are computed over all of a partner's
            // agreements: the service recomputes them.
            AnyRecord::Agreement(r) if self.rows.iter().any(|row| row.id == r.data.partner) => {
                self.refresh_rows(fx)
            }
            _ => {}
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
        self.requery(cx, fx);
    }

    fn export(&self, _cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope) {
        (
            crate::csvio::Dataset::Partners,
            crate::csvio::Scope::Partners(self.query.clone()),
        )
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        match &self.detail {
            Some(d) => d.draw(frame, area, cx),
            None => draw(frame, area, self, cx),
        }
    }
}

impl PartnersPane {
    /// Ask for the window around the selection again (the query or the rows changed).
    fn refresh_rows(&mut self, fx: &mut Effects) {
        self.seq += 1;
        self.keep = self.row(self.selected).map(|r| r.id);
        self.ask(self.selected.saturating_sub(WINDOW / 2), fx);
    }
}

/// A partner's own fields into its table row (computed columns stay).
fn update_row(row: &mut PartnerRow, r: &crate::domain::Record<crate::domain::Partner>) {
    let p = &r.data;
    row.version = r.meta.version;
    row.name = p.name.clone();
    row.short_name = p.short_name.clone();
    row.kind = p.kind;
    row.country = p.country.clone();
    row.city = p.city.clone();
    row.phase = p.phase;
    row.tier = p.tier;
    row.archived = r.meta.archived;
}

mod draw;
use draw::draw;
pub use draw::value_summary;
