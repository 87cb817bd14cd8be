//! The value matrix: partners × the six added values, with means, trends, targets, three views
//! (our latest scores; ours beside the partner's own view from the evaluations; the evidence) and
//! a side panel that explains the current value. Enter opens the assessment editor.

use super::{PaneView, Search, moved, page_start};
use crate::domain::{AddedValue, Assessment, Enumerated, Record};
use crate::i18n::catalogue::{Label, Msg, t, value_description};
use crate::keymap::Action;
use crate::service::{AnyRecord, Cell, Matrix, MatrixQuery, Request, Response, Scores, TheirCell};
use crate::ui::effect::{Effects, Route};
use crate::ui::view::Ctx;
use crate::ui::widgets::{fit, fit_right, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const CELL: usize = 8;

/// The matrix pane.
#[derive(Debug, Default)]
pub struct MatrixPane {
    query: MatrixQuery,
    data: Option<Matrix>,
    row: usize,
    col: usize,
    seq: u64,
    search: Search,
    /// The both-sides view: ours beside the partner's own view.
    both: bool,
    /// The side panel as last drawn (it changes with the column, not with every key).
    side: crate::ui::widgets::CellMemo<SideKey>,
}

/// Everything the side panel's cells depend on: its area, the column, the language, colour, the
/// layout, and in the both-sides view the selected cell's two sides.
type SideKey = (
    Rect,
    usize,
    crate::i18n::Lang,
    bool,
    bool,
    Option<(Option<Cell>, Option<TheirCell>)>,
);

/// A new assessment into a row's latest scores (the newest one wins; the one it replaces gives
/// the trend).
pub fn set_cell(scores: &mut Scores, r: &Record<Assessment>) {
    let Some(i) = AddedValue::ALL.iter().position(|v| *v == r.data.value) else {
        return;
    };
    let Some(slot) = scores.get_mut(i) else {
        return;
    };
    if r.meta.archived {
        return;
    }
    let a = &r.data;
    *slot = match *slot {
        Some(c) if c.assessment == r.meta.id => Some(Cell {
            score: a.score,
            target: a.target,
            date: a.date,
            ..c
        }),
        Some(c) if c.date > a.date => Some(c),
        old => Some(Cell {
            score: a.score,
            target: a.target,
            date: a.date,
            previous: old.map(|c| c.score),
            assessment: r.meta.id,
        }),
    };
}

fn mean(scores: impl Iterator<Item = Option<u8>>) -> Option<f32> {
    let v: Vec<f32> = scores.flatten().map(f32::from).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f32>() / v.len() as f32)
}

impl MatrixPane {
    pub fn new(lang: crate::i18n::Lang) -> MatrixPane {
        let mut p = MatrixPane::default();
        p.query.partners.lang = lang;
        p
    }
    pub fn data(&self) -> Option<&Matrix> {
        self.data.as_ref()
    }
    pub fn col(&self) -> usize {
        self.col
    }
    pub fn query(&self) -> &MatrixQuery {
        &self.query
    }
    /// Whether the both-sides view is on.
    pub fn both_sides(&self) -> bool {
        self.both
    }

    /// The selected cell: (partner id, name, value).
    pub fn cell(&self) -> Option<(crate::domain::Id, String, AddedValue)> {
        let row = self.data.as_ref()?.rows.items.get(self.row)?;
        let v = *AddedValue::ALL.get(self.col)?;
        Some((row.partner, row.name.clone(), v))
    }

    fn recompute_means(m: &mut Matrix) {
        for row in &mut m.rows.items {
            row.mean = mean(row.scores.iter().map(|c| c.map(|c| c.score)));
        }
        for (i, slot) in m.value_means.iter_mut().enumerate() {
            *slot = mean(
                m.rows
                    .items
                    .iter()
                    .map(|r| r.scores.get(i).copied().flatten().map(|c| c.score)),
            );
        }
    }

    fn view_action(&mut self, action: Action) -> bool {
        let q = &mut self.query;
        match action {
            Action::ClearFilter | Action::Back => {
                q.partners.text.clear();
                self.search.editor.clear();
            }
            // Scores → both sides → evidence → scores.
            Action::ToggleMatrixView => {
                (self.both, q.with_activity_counts) = match (self.both, q.with_activity_counts) {
                    (false, false) => (true, false),
                    (true, _) => (false, true),
                    (false, true) => (false, false),
                }
            }
            Action::SortNextColumn => {
                let v = AddedValue::ALL.get(self.col).copied();
                q.sort_by_value = if q.sort_by_value == v { None } else { v };
            }
            Action::SortReverse => q.partners.descending = !q.partners.descending,
            _ => return false,
        }
        true
    }
}

impl PaneView for MatrixPane {
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.partners.lang = cx.lang;
        self.seq += 1;
        fx.send(Request::Matrix(self.query.clone()), Route::Matrix(self.seq));
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        let n = self.data.as_ref().map(|m| m.rows.items.len()).unwrap_or(0);
        if let Some(s) = moved(action, self.row, n, count, 15) {
            self.row = s;
            return;
        }
        if self.view_action(action) {
            return self.refresh(cx, fx);
        }
        match action {
            Action::MoveRight => self.col = (self.col + count).min(5),
            Action::MoveLeft => self.col = self.col.saturating_sub(count),
            Action::Search => self.search.active = true,
            Action::Open | Action::Edit | Action::Add => {
                if let Some((partner, partner_name, value)) = self.cell() {
                    let to = Route::History {
                        partner,
                        partner_name,
                        value,
                    };
                    fx.send(Request::AssessmentHistory { partner, value }, to);
                }
            }
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
            (Route::Matrix(seq), Response::Matrix(m)) => {
                if *seq == self.seq {
                    let keep = self
                        .data
                        .as_ref()
                        .and_then(|d| d.rows.items.get(self.row))
                        .map(|r| r.partner);
                    self.row =
                        super::reselect(m.rows.items.iter().map(|r| r.partner), keep, self.row);
                    self.data = Some(m);
                }
                None
            }
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, rec: &AnyRecord, cx: &Ctx, fx: &mut Effects) {
        let Some(m) = &mut self.data else {
            return;
        };
        match rec {
            AnyRecord::Assessment(r) if r.meta.archived => self.refresh(cx, fx),
            AnyRecord::Assessment(r) => {
                if let Some(row) = m
                    .rows
                    .items
                    .iter_mut()
                    .find(|x| x.partner == r.data.partner)
                {
                    set_cell(&mut row.scores, r);
                    Self::recompute_means(m);
                }
            }
            AnyRecord::Partner(r) => match m.rows.items.iter().position(|x| x.partner == r.meta.id)
            {
                Some(i) if r.meta.archived => {
                    m.rows.items.remove(i);
                    m.rows.total = m.rows.total.saturating_sub(1);
                    Self::recompute_means(m);
                }
                Some(i) => {
                    if let Some(row) = m.rows.items.get_mut(i) {
                        row.name = r.data.name.clone();
                    }
                }
                None if !r.meta.archived => self.refresh(cx, fx),
                None => {}
            },
            // The partner's own view comes from the evaluations.
            AnyRecord::Evaluation(_) => self.refresh(cx, fx),
            // The evidence view counts activities.
            AnyRecord::Activity(_) if self.query.with_activity_counts => self.refresh(cx, fx),
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
        self.query.partners.text = self.search.text();
        self.row = 0;
        self.refresh(cx, fx);
    }

    fn export(&self, _cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope) {
        (
            crate::csvio::Dataset::Matrix,
            crate::csvio::Scope::Partners(self.query.partners.clone()),
        )
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, area, self, cx);
    }
}

/// The text of one cell: score, target and trend ("3/4↑"), or the evidence count.
pub fn cell_text(c: Option<Cell>, evidence: Option<u32>) -> String {
    let mut s = match c {
        None => "-".to_string(),
        Some(c) => {
            let trend = match c.previous {
                None => "",
                Some(p) if c.score > p => "↑",
                Some(p) if c.score < p => "↓",
                Some(_) => "→",
            };
            let target = c.target.map(|t| format!("/{t}")).unwrap_or_default();
            format!("{}{target}{trend}", c.score)
        }
    };
    if let Some(n) = evidence {
        s.push_str(&format!(" ·{n}"));
    }
    s
}

/// The text of one cell in the both-sides view: our score and trend, then the partner's ("3↑│4→").
pub fn both_text(c: Option<Cell>, theirs: Option<TheirCell>) -> String {
    let ours = c.map_or_else(
        || "-".to_string(),
        |c| format!("{}{}", c.score, arrow(Some(c.score), c.previous)),
    );
    let theirs = theirs.map_or_else(
        || "-".to_string(),
        |c| format!("{}{}", c.score, arrow(Some(c.score), c.previous)),
    );
    format!("{ours}│{theirs}")
}

/// The trend arrow from the score before to the latest ("" without both).
fn arrow(now: Option<u8>, before: Option<u8>) -> &'static str {
    match (now, before) {
        (Some(n), Some(b)) if n > b => "↑",
        (Some(n), Some(b)) if n < b => "↓",
        (Some(_), Some(_)) => "→",
        _ => "",
    }
}

fn mean_text(lang: crate::i18n::Lang, m: Option<f32>) -> String {
    m.map(|m| crate::i18n::counts::decimal(lang, f64::from(m), 1))
        .unwrap_or_else(|| "-".into())
}

fn draw(frame: &mut Frame, area: Rect, st: &MatrixPane, cx: &Ctx) {
    let th = cx.theme;
    let lang = cx.lang;
    let wide = area.width >= 110;
    let (table, side) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Min(60), Constraint::Length(40)]).areas(area);
        (a, b)
    } else {
        let [a, b] = Layout::vertical([Constraint::Min(8), Constraint::Length(5)]).areas(area);
        (a, b)
    };
    let Some(m) = &st.data else {
        frame.render_widget(Paragraph::new(t(lang, Msg::Loading)), area);
        return;
    };
    let view = if st.query.with_activity_counts {
        t(lang, Msg::EvidenceView)
    } else if st.both {
        t(lang, Msg::BothSidesView)
    } else {
        t(lang, Msg::ScoresView)
    };
    let sort = st
        .query
        .sort_by_value
        .map(|v| format!(" · {} {}", t(lang, Msg::SortedBy), v.label(lang)))
        .unwrap_or_default();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            crate::i18n::catalogue::count(
                lang,
                m.rows.total,
                crate::i18n::catalogue::Noun::Partner,
            ),
            th.title(),
        ),
        Span::raw(format!(" · {view}{sort}")),
    ])];
    lines[0].spans.extend(super::search_spans(&st.search, cx));
    if m.rows.items.is_empty() {
        let k = cx.key(crate::keymap::Context::Matrix, Action::PanePartners);
        lines.push(Line::from(crate::i18n::catalogue::empty_matrix(lang, &k)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    table_lines(st, m, cx, table, &mut lines);
    crate::ui::widgets::draw_lines(frame, table, &lines);
    draw_side(frame, side, st, cx, wide);
}

/// The header, one line per partner, the means and the legend.
fn table_lines(st: &MatrixPane, m: &Matrix, cx: &Ctx, table: Rect, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    let w = table.width as usize;
    let name_w = w.saturating_sub(CELL * 6 + 7).clamp(10, 40);
    let mut head = vec![Span::styled(
        fit(t(lang, Msg::ColPartner), name_w),
        th.header(),
    )];
    for (i, v) in AddedValue::ALL.iter().enumerate() {
        let style = if i == st.col {
            th.header().patch(th.key())
        } else {
            th.header()
        };
        head.push(Span::styled(
            fit_right(v.fitting(lang, CELL - 1), CELL),
            style,
        ));
    }
    head.push(Span::styled(
        fit_right(t(lang, Msg::ColMean), 7),
        th.header(),
    ));
    lines.push(Line::from(head));
    let rows_h = (table.height as usize).saturating_sub(4);
    let start = page_start(st.row, rows_h, m.rows.items.len());
    for (ri, r) in m.rows.items.iter().enumerate().skip(start).take(rows_h) {
        let row_sel = ri == st.row;
        let mut spans = vec![Span::styled(
            fit(
                &format!("{}{}", if row_sel { "▸" } else { " " }, r.name),
                name_w,
            ),
            if row_sel { th.upcoming() } else { th.normal() },
        )];
        for (ci, c) in r.scores.iter().enumerate() {
            let text = if st.both {
                both_text(*c, r.theirs.get(ci).copied().flatten())
            } else {
                cell_text(*c, r.activity_counts.and_then(|a| a.get(ci).copied()))
            };
            let sel = row_sel && ci == st.col;
            let text = if sel { format!("[{text}]") } else { text };
            let style = if sel {
                th.selected()
            } else {
                th.heat(c.map(|c| c.score))
            };
            spans.push(Span::styled(fit_right(&text, CELL), style));
        }
        spans.push(Span::raw(fit_right(&mean_text(lang, r.mean), 7)));
        lines.push(Line::from(spans));
    }
    let mut foot = vec![Span::styled(
        fit(&format!(" {}", t(lang, Msg::ColMean)), name_w),
        th.header(),
    )];
    for (v, p) in m.value_means.iter().zip(m.partner_means) {
        let text = if st.both {
            format!("{}│{}", mean_text(lang, *v), mean_text(lang, p))
        } else {
            mean_text(lang, *v)
        };
        foot.push(Span::styled(fit_right(&text, CELL), th.header()));
    }
    lines.push(Line::from(foot));
    let legend = if st.both {
        Msg::BothSidesLegend
    } else {
        Msg::MatrixLegend
    };
    lines.push(Line::from(Span::styled(
        truncate(t(lang, legend), w),
        th.dim(),
    )));
}

/// The side panel, drawn anew only when what it shows changes.
fn draw_side(frame: &mut Frame, side: Rect, st: &MatrixPane, cx: &Ctx, wide: bool) {
    let sides = st
        .both
        .then(|| st.data.as_ref().and_then(|m| m.rows.items.get(st.row)))
        .flatten()
        .map(|r| {
            (
                r.scores.get(st.col).copied().flatten(),
                r.theirs.get(st.col).copied().flatten(),
            )
        });
    let key: SideKey = (side, st.col, cx.lang, cx.theme.color, wide, sides);
    st.side.draw(frame, side, key, |buf| {
        use ratatui::widgets::Widget;
        side_panel(st, cx, wide).render(side, buf)
    });
}

/// The side panel: the current value explained.
fn side_panel<'a>(st: &MatrixPane, cx: &Ctx, wide: bool) -> Paragraph<'a> {
    let (th, lang) = (cx.theme, cx.lang);
    let v = AddedValue::ALL
        .get(st.col)
        .copied()
        .unwrap_or(AddedValue::Quality);
    let (desc, examples) = value_description(lang, v);
    let mut side_lines = vec![Line::from(desc.to_string())];
    if st.both
        && let Some(r) = st.data.as_ref().and_then(|m| m.rows.items.get(st.row))
    {
        side_lines.extend(sides_lines(r, st.col, cx));
    }
    if wide {
        side_lines.push(Line::from(""));
        side_lines.push(Line::from(Span::styled(
            t(lang, Msg::Examples),
            th.header(),
        )));
        for e in examples {
            side_lines.push(Line::from(format!("• {e}")));
        }
        side_lines.push(Line::from(""));
        side_lines.push(Line::from(Span::styled(
            t(lang, Msg::ScoreLegend),
            th.dim(),
        )));
    } else {
        side_lines.push(Line::from(Span::styled(examples.join(" · "), th.dim())));
    }
    Paragraph::new(side_lines).wrap(Wrap { trim: true }).block(
        Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", v.label(lang)), th.title())),
    )
}

/// The selected cell's two sides in the side panel: our latest score and its date, the partner's
/// own and the evaluation it comes from.
fn sides_lines(r: &crate::service::MatrixRow, col: usize, cx: &Ctx) -> Vec<Line<'static>> {
    let (th, lang) = (cx.theme, cx.lang);
    let ours = r.scores.get(col).copied().flatten();
    let theirs = r.theirs.get(col).copied().flatten();
    let ours = match ours {
        Some(c) => format!("{}: {} ({})", t(lang, Msg::OurScore), c.score, c.date),
        None => format!("{}: -", t(lang, Msg::OurScore)),
    };
    let theirs = match theirs {
        Some(c) => format!(
            "{}: {} ({} {})",
            t(lang, Msg::TheirScore),
            c.score,
            t(lang, Msg::EvaluationUntil),
            c.date
        ),
        None => format!("{}: -", t(lang, Msg::TheirScore)),
    };
    vec![
        Line::from(""),
        Line::from(Span::styled(ours, th.normal())),
        Line::from(Span::styled(theirs, th.normal())),
    ]
}
