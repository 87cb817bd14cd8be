//! The partners pane: the table, its search, filters, sort and archive view, and the detail view
//! ([`super::detail`]) of the partner opened.

use super::detail::{Detail, DetailDone};
use super::{PaneView, Search, cycle, highlighted, moved, reselect, scroll_for};
use crate::domain::{EntityKind, Enumerated, OrgKind, Phase, Tier};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, Noun, count, t};
use crate::keymap::Action;
use crate::service::{
    AnyRecord, Archived, GovernanceMark, PartnerColumn, PartnerQuery, PartnerRow, Renewal, Request,
    Response, Scores,
};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Confirm, Overlay, PromptKind};
use crate::ui::view::Ctx;
use crate::ui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The partners pane.
#[derive(Debug, Default)]
pub struct PartnersPane {
    query: PartnerQuery,
    rows: Vec<PartnerRow>,
    /// How many partners match (the rows may still be the quick first page).
    total: usize,
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
    pub fn rows(&self) -> &[PartnerRow] {
        &self.rows
    }
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn query(&self) -> &PartnerQuery {
        &self.query
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
        match self.rows.get(self.selected) {
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
        match self.rows.get(self.selected) {
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

    fn answer_rows(&mut self, quick: bool, page: crate::service::Page<PartnerRow>) {
        if quick {
            if self.loaded {
                return;
            }
            self.total = page.total;
            self.rows = page.items;
            return;
        }
        let keep = self.rows.get(self.selected).map(|r| r.id);
        self.total = page.total;
        self.rows = page.items;
        self.loaded = true;
        self.selected = reselect(self.rows.iter().map(|r| r.id), keep, self.selected);
    }
}

impl PaneView for PartnersPane {
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.lang = cx.lang;
        self.seq += 1;
        if !self.loaded {
            // A screenful first, so the table shows at once on a large workspace; the whole list
            // follows and replaces it.
            let q = PartnerQuery {
                limit: 100,
                ..self.query.clone()
            };
            let to = Route::Partners {
                seq: self.seq,
                quick: true,
            };
            fx.send(Request::Partners(q), to);
        }
        let to = Route::Partners {
            seq: self.seq,
            quick: false,
        };
        fx.send(Request::Partners(self.query.clone()), to);
        if let Some(d) = &mut self.detail {
            d.refresh(fx);
        }
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if action == Action::ChangePhase {
            let id = match &self.detail {
                Some(d) => Some(d.id()),
                None => self.rows.get(self.selected).map(|r| r.id),
            };
            match id {
                Some(id) => fx.send(Request::PhaseCriteria(id), Route::PhaseDialog),
                None => fx.notice(Msg::NotHere),
            }
            return;
        }
        if let Some(d) = &mut self.detail {
            if d.action(action, count, cx, fx) == DetailDone::Close {
                self.detail = None;
            }
            return;
        }
        if let Some(s) = moved(action, self.selected, self.rows.len(), count, 15) {
            self.selected = s;
            return;
        }
        if self.filter(action, fx) {
            return self.requery(cx, fx);
        }
        match action {
            Action::Open => {
                if let Some(row) = self.rows.get(self.selected) {
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
                if let Some(row) = self.rows.get(self.selected) {
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
            (Route::Partners { seq, quick }, Response::Partners(page)) => {
                if *seq == self.seq {
                    self.answer_rows(*quick, page);
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
                        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
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
    fn refresh_rows(&mut self, fx: &mut Effects) {
        self.seq += 1;
        let to = Route::Partners {
            seq: self.seq,
            quick: false,
        };
        fx.send(Request::Partners(self.query.clone()), to);
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

fn col_name(lang: Lang, c: PartnerColumn) -> &'static str {
    t(
        lang,
        match c {
            PartnerColumn::Name => Msg::ColName,
            PartnerColumn::Kind => Msg::ColKind,
            PartnerColumn::Country => Msg::ColCountry,
            PartnerColumn::Phase => Msg::ColPhase,
            PartnerColumn::AgreementEnd => Msg::ColAgreementEnd,
            PartnerColumn::Value => Msg::ColValues,
        },
    )
}

/// Six digits, one per value ("-" when not scored), e.g. `3 2 4 - 1 3`.
pub fn value_summary(scores: &Scores) -> String {
    scores
        .iter()
        .map(|c| c.map(|c| c.score.to_string()).unwrap_or_else(|| "-".into()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn renewal_marker(r: Renewal) -> &'static str {
    match r {
        Renewal::None => " ",
        Renewal::Due { .. } => "!",
        Renewal::Expired { .. } => "‼",
    }
}

fn title_line(st: &PartnersPane, cx: &Ctx) -> Line<'static> {
    let (th, lang, q) = (cx.theme, cx.lang, &st.query);
    let arrow = if q.descending { "↓" } else { "↑" };
    let mut title = vec![
        Span::styled(
            if q.archived == Archived::Only {
                format!("{} ", t(lang, Msg::ArchiveView))
            } else {
                String::new()
            },
            th.warn(),
        ),
        Span::styled(count(lang, st.total, Noun::Partner), th.title()),
        Span::raw(format!(
            " · {} {} {arrow}",
            t(lang, Msg::SortedBy),
            col_name(lang, q.sort)
        )),
    ];
    title.extend(super::search_spans(&st.search, cx));
    let mut filters = Vec::new();
    if let Some(p) = q.phase {
        filters.push(p.label(lang).to_string());
    }
    if let Some(k) = q.kind {
        filters.push(k.label(lang).to_string());
    }
    if let Some(c) = &q.country {
        filters.push(c.clone());
    }
    if let Some(tr) = q.tier {
        filters.push(tr.label(lang).to_string());
    }
    if q.governance_behind {
        filters.push(t(lang, Msg::GovernanceBehind).to_string());
    }
    if !filters.is_empty() {
        title.push(Span::raw(format!(
            " · {}: {}",
            t(lang, Msg::Filters),
            filters.join(", ")
        )));
    }
    Line::from(title)
}

/// What an empty table says: the archive is empty, nothing matches, or how to start.
fn empty_lines(st: &PartnersPane, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    use crate::i18n::catalogue as cat;
    let q = &st.query;
    lines.push(Line::from(""));
    let empty = q.text.is_empty()
        && q.phase.is_none()
        && q.kind.is_none()
        && q.country.is_none()
        && q.tier.is_none();
    let k = |a| cx.key(cx_pane(), a);
    if q.archived == Archived::Only {
        lines.push(Line::from(t(cx.lang, Msg::EmptyArchive)));
    } else if empty {
        lines.push(Line::from(Span::styled(
            t(cx.lang, Msg::EmptyPartnersTitle),
            cx.theme.title(),
        )));
        lines.push(Line::from(""));
        lines.push(Line::from(cat::empty_partners_add(
            cx.lang,
            &k(Action::Add),
        )));
        lines.push(Line::from(cat::empty_partners_demo(
            cx.lang,
            &k(Action::LoadDemo),
        )));
        lines.push(Line::from(cat::empty_partners_import(
            cx.lang,
            &k(Action::Menu),
        )));
    } else {
        lines.push(Line::from(cat::no_matches(cx.lang, &k(Action::Back))));
    }
}

fn cx_pane() -> crate::keymap::Context {
    crate::keymap::Context::Partners
}

fn head_line(
    st: &PartnersPane,
    cx: &Ctx,
    w: usize,
    (name_w, kind_w, phase_w): (usize, usize, usize),
) -> Line<'static> {
    let (lang, q) = (cx.lang, &st.query);
    let arrow = if q.descending { "↓" } else { "↑" };
    let col = |c: PartnerColumn, text: &str, cols: usize| {
        fit(
            &format!("{text}{}", if q.sort == c { arrow } else { "" }),
            cols,
        )
    };
    let head = format!(
        "   {}{}{}{}{}{}",
        col(
            PartnerColumn::Name,
            col_name(lang, PartnerColumn::Name),
            name_w
        ),
        col(
            PartnerColumn::Kind,
            col_name(lang, PartnerColumn::Kind),
            kind_w + 1
        ),
        col(PartnerColumn::Country, t(lang, Msg::ColCountryShort), 5),
        col(
            PartnerColumn::Phase,
            col_name(lang, PartnerColumn::Phase),
            phase_w + 1
        ),
        col(
            PartnerColumn::AgreementEnd,
            t(lang, Msg::ColAgreementEndShort),
            11
        ),
        col(
            PartnerColumn::Value,
            col_name(lang, PartnerColumn::Value),
            11
        ),
    );
    Line::from(Span::styled(fit(&head, w), cx.theme.header()))
}

fn draw(frame: &mut Frame, area: Rect, st: &PartnersPane, cx: &Ctx) {
    let mut lines = vec![title_line(st, cx)];
    if !st.loaded {
        lines.push(Line::from(t(cx.lang, Msg::Loading)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if st.rows.is_empty() {
        empty_lines(st, cx, &mut lines);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    let w = area.width as usize;
    // Columns: markers 3, name flex, kind, country 4, phase, end 11, values 11.
    // Wide enough for every label's short form (see `crate::i18n::vocab`).
    let (kind_w, phase_w) = if w >= 110 { (18, 12) } else { (14, 11) };
    let fixed = 3 + kind_w + 1 + 5 + phase_w + 1 + 11 + 11 + 1;
    let name_w = w.saturating_sub(fixed).max(10);
    lines.push(head_line(st, cx, w, (name_w, kind_w, phase_w)));
    let rows_h = (area.height as usize).saturating_sub(3);
    let start = scroll_for(st.selected, rows_h);
    for (i, r) in st.rows.iter().enumerate().skip(start).take(rows_h) {
        lines.push(row_line(
            st,
            cx,
            r,
            i == st.selected,
            name_w,
            kind_w,
            phase_w,
            w,
        ));
    }
    let legend = Line::from(Span::styled(
        t(cx.lang, Msg::RenewalMarkerHelp),
        cx.theme.dim(),
    ));
    let body_h = area.height.saturating_sub(1);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: body_h,
            ..area
        },
    );
    frame.render_widget(
        Paragraph::new(legend),
        Rect {
            y: area.y + body_h,
            height: 1,
            ..area
        },
    );
}

#[allow(clippy::too_many_arguments)]
fn row_line(
    st: &PartnersPane,
    cx: &Ctx,
    r: &PartnerRow,
    selected: bool,
    name_w: usize,
    kind_w: usize,
    phase_w: usize,
    w: usize,
) -> Line<'static> {
    let th = cx.theme;
    let lang = cx.lang;
    let base = if selected {
        th.selected()
    } else {
        Style::default()
    };
    let marker_style = match r.renewal {
        Renewal::None => base,
        _ => base.patch(th.warn()),
    };
    let governance_style = match r.governance {
        GovernanceMark::Behind => base.patch(th.warn()),
        _ => base,
    };
    let mut spans = vec![
        Span::styled(renewal_marker(r.renewal), marker_style),
        Span::styled(
            if r.governance == GovernanceMark::Behind {
                "⚑"
            } else {
                " "
            },
            governance_style,
        ),
        Span::styled(if selected { "▸" } else { " " }, base),
    ];
    spans.extend(highlighted(
        &r.name,
        &st.query.text,
        name_w - 1,
        base,
        base.patch(th.matched()),
    ));
    spans.push(Span::styled(" ", base));
    let end = r
        .agreement_end
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    let rest = format!(
        "{}{}{}{}{}",
        fit(r.kind.fitting(lang, kind_w), kind_w) + " ",
        fit(&r.country, 5),
        fit(r.phase.fitting(lang, phase_w), phase_w) + " ",
        fit(&end, 11),
        fit(&value_summary(&r.scores), 11),
    );
    let used = 3 + name_w;
    spans.push(Span::styled(fit(&rest, w.saturating_sub(used)), base));
    Line::from(spans)
}
