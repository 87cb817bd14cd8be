//! The Overview pane (key 5): what is due this week and in the next 30 days, in groups with
//! headings and counts (renewals, governance meetings, evaluations, goals without follow-up,
//! upcoming activities, the team's action items by owner). It asks the service once when shown
//! and again after changes; Enter opens a line's record (the partner detail, or the activity or
//! note).

use super::{PaneView, Search, moved, page_start};
use crate::domain::EntityKind;
use crate::i18n::catalogue::{Label, Msg, t};
use crate::keymap::Action;
use crate::service::{
    ActionQuery, AnyRecord, Overview, OverviewGroup, OverviewItem, OverviewLine, Renewal, Request,
    Response,
};
use crate::ui::effect::{Effect, Effects, Route};
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, fit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The overview and the selected line.
#[derive(Debug, Default)]
pub struct OverviewPane {
    data: Option<Overview>,
    /// Position in [`OverviewPane::shown`].
    selected: usize,
    seq: u64,
    search: Search,
}

/// One row of the drawn list.
enum Row<'a> {
    Heading(OverviewGroup, usize),
    Owner(&'a str, usize),
    /// A line and its position among the shown lines.
    Item(&'a OverviewLine, usize),
    /// How many lines of the group above the answer counts but does not list.
    More(usize),
}

impl OverviewPane {
    /// The overview as last answered.
    pub fn overview(&self) -> Option<&Overview> {
        self.data.as_ref()
    }

    /// The lines the search admits, in order.
    pub fn shown(&self) -> Vec<&OverviewLine> {
        let text = crate::domain::text::fold(&self.search.text());
        self.data
            .iter()
            .flat_map(|d| d.lines.iter())
            .filter(|l| text.is_empty() || crate::domain::text::fold(&words(l)).contains(&text))
            .collect()
    }

    /// The selected line.
    pub fn selected(&self) -> Option<&OverviewLine> {
        self.shown().get(self.selected).copied()
    }

    /// Open the record of the selected line.
    fn open(&self, fx: &mut Effects) {
        let Some(line) = self.selected() else { return };
        let get = |kind, id| Request::Get { kind, id };
        match &line.item {
            OverviewItem::Renewal { partner, .. }
            | OverviewItem::Meeting { partner, .. }
            | OverviewItem::Evaluation { partner, .. }
            | OverviewItem::Goal { partner, .. } => fx.push(Effect::OpenPartner(*partner)),
            OverviewItem::Activity { id, .. } => {
                fx.send(get(EntityKind::Activity, *id), Route::EditLoaded)
            }
            OverviewItem::Action { note, .. } => {
                fx.send(get(EntityKind::Note, *note), Route::EditLoaded)
            }
        }
    }

    /// The rows to draw: headings with counts, owners' headings, lines.
    fn rows(&self) -> Vec<Row<'_>> {
        let shown = self.shown();
        let counts = self.data.as_ref().map(Overview::counts).unwrap_or_default();
        let mut rows = Vec::new();
        for (g, group) in OverviewGroup::ALL.iter().enumerate() {
            let mine: Vec<(usize, &OverviewLine)> = shown
                .iter()
                .enumerate()
                .filter(|(_, l)| l.item.group() == *group)
                .map(|(i, l)| (i, *l))
                .collect();
            if mine.is_empty() {
                continue;
            }
            rows.push(Row::Heading(*group, counts[g]));
            let more = if self.search.text().is_empty() {
                counts[g].saturating_sub(mine.len())
            } else {
                0
            };
            let mut owner: Option<&str> = None;
            for (i, l) in mine {
                if let OverviewItem::Action { owner: o, .. } = &l.item
                    && owner != Some(o.as_str())
                {
                    owner = Some(o.as_str());
                    let n = shown
                        .iter()
                        .filter(
                            |x| matches!(&x.item, OverviewItem::Action { owner: y, .. } if y == o),
                        )
                        .count();
                    rows.push(Row::Owner(o.as_str(), n));
                }
                rows.push(Row::Item(l, i));
            }
            if more > 0 {
                rows.push(Row::More(more));
            }
        }
        rows
    }
}

/// The words of a line that the search looks at.
fn words(l: &OverviewLine) -> String {
    match &l.item {
        OverviewItem::Goal { text, .. } => format!("{} {text}", l.partners),
        OverviewItem::Activity { title, .. } => format!("{} {title}", l.partners),
        OverviewItem::Action { owner, text, .. } => format!("{} {owner} {text}", l.partners),
        _ => l.partners.clone(),
    }
}

/// The heading of a group.
fn heading(g: OverviewGroup) -> Msg {
    match g {
        OverviewGroup::Renewals => Msg::OvRenewals,
        OverviewGroup::Meetings => Msg::OvMeetings,
        OverviewGroup::Evaluations => Msg::OvEvaluations,
        OverviewGroup::Goals => Msg::OvGoals,
        OverviewGroup::Activities => Msg::OvActivities,
        OverviewGroup::Actions => Msg::OvActions,
    }
}

/// What a line says after its date column: (date, text).
fn line_text(l: &OverviewLine, cx: &Ctx) -> (String, String) {
    let lang = cx.lang;
    let p = clean(&l.partners);
    match &l.item {
        OverviewItem::Renewal {
            renewal, checklist, ..
        } => {
            let steps = checklist
                .map(|c| format!(" · {}", crate::i18n::phrases::renewal_progress(&c, lang)))
                .unwrap_or_default();
            match renewal {
                Renewal::Expired { end } => (
                    end.to_string(),
                    format!("{p} · {}{steps}", t(lang, Msg::OvEnded)),
                ),
                Renewal::Due { end } => (
                    end.to_string(),
                    format!("{p} · {}{steps}", t(lang, Msg::OvRenewalDue)),
                ),
                Renewal::None => (String::new(), p),
            }
        }
        OverviewItem::Meeting { kind, due, .. } => match due {
            Some(d) => (d.to_string(), format!("{p} · {}", kind.label(lang))),
            None => (
                "—".into(),
                format!("{p} · {} · {}", kind.label(lang), t(lang, Msg::OvNeverHeld)),
            ),
        },
        OverviewItem::Evaluation { due, .. } => (due.to_string(), p),
        OverviewItem::Goal { text, last, .. } => (
            last.map_or_else(|| "—".into(), |d| d.to_string()),
            format!("{p} · {}", clean(text)),
        ),
        OverviewItem::Activity { date, title, .. } => {
            (date.to_string(), format!("{} · {p}", clean(title)))
        }
        OverviewItem::Action { text, due, .. } => {
            let over = if *due < cx.today {
                format!(" · {}", t(lang, Msg::Overdue))
            } else {
                String::new()
            };
            (due.to_string(), format!("{}{over} · {p}", clean(text)))
        }
    }
}

impl PaneView for OverviewPane {
    fn refresh(&mut self, _cx: &Ctx, fx: &mut Effects) {
        self.seq += 1;
        fx.send(Request::Overview, Route::Overview(self.seq));
    }

    fn action(&mut self, action: Action, count: usize, _cx: &Ctx, fx: &mut Effects) {
        let n = self.shown().len();
        if let Some(s) = moved(action, self.selected, n, count, 10) {
            self.selected = s;
            return;
        }
        match action {
            Action::Open => self.open(fx),
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
            (Route::Overview(s), Response::Overview(o)) if *s == self.seq => {
                self.data = Some(*o);
                self.selected = self.selected.min(self.shown().len().saturating_sub(1));
                None
            }
            (Route::Overview(_), Response::Overview(_)) => None,
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, _rec: &AnyRecord, _cx: &Ctx, fx: &mut Effects) {
        fx.push(Effect::Refresh(super::Pane::Overview));
    }

    fn search(&self) -> &Search {
        &self.search
    }
    fn search_mut(&mut self) -> &mut Search {
        &mut self.search
    }
    fn search_changed(&mut self, _cx: &Ctx, _fx: &mut Effects) {
        self.selected = 0;
    }

    fn export(&self, _cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope) {
        let q = ActionQuery {
            owner: None,
            partner: None,
            open_only: true,
        };
        (
            crate::csvio::Dataset::Actions,
            crate::csvio::Scope::Actions(q),
        )
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let th = cx.theme;
        let lang = cx.lang;
        let w = area.width as usize;
        let mut title = vec![Span::styled(t(lang, Msg::PaneOverview), th.title())];
        if let Some(d) = &self.data {
            title.push(Span::raw(format!(
                " · {} {} – {}",
                t(lang, Msg::OvWindow),
                d.today,
                d.until
            )));
        }
        title.extend(super::search_spans(&self.search, cx));
        let mut lines = vec![Line::from(title)];
        if self.data.is_none() {
            lines.push(Line::from(t(lang, Msg::Loading)));
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        let rows = self.rows();
        if rows.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(t(lang, Msg::OvNothing)));
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        let height = (area.height as usize).saturating_sub(1);
        let at = rows
            .iter()
            .position(|r| matches!(r, Row::Item(_, i) if *i == self.selected))
            .unwrap_or(0);
        for r in rows
            .iter()
            .skip(page_start(at, height, rows.len()))
            .take(height)
        {
            lines.push(match r {
                Row::Heading(g, n) => Line::from(Span::styled(
                    fit(&format!("{} ({n})", t(lang, heading(*g))), w),
                    th.header(),
                )),
                Row::Owner(o, n) => {
                    let o = if o.is_empty() {
                        t(lang, Msg::OvNoOwner).to_string()
                    } else {
                        clean(o)
                    };
                    Line::from(Span::styled(fit(&format!("  {o} ({n})"), w), th.title()))
                }
                Row::More(n) => Line::from(Span::styled(
                    fit(
                        &format!("    {}", crate::i18n::messages::overview_more(lang, *n)),
                        w,
                    ),
                    th.dim(),
                )),
                Row::Item(l, i) => {
                    let (date, text) = line_text(l, cx);
                    let style = if *i == self.selected {
                        th.selected()
                    } else {
                        th.normal()
                    };
                    let s = format!("    {} {text}", fit(&date, 10));
                    Line::from(Span::styled(fit(&s, w), style))
                }
            });
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
