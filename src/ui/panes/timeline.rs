//! The timeline: activities and meeting notes by date, grouped by month, with a chart of
//! activities per month over the visible range.

use super::scroll_around;
use crate::domain::ActivityStatus;
use crate::i18n::catalogue::{
    Label, Msg, Noun, count, month_short, month_year, t, week, weekday_short,
};
use crate::ui::app::{App, TlRow};
use crate::ui::widgets::{fit, truncate};
use chrono::{Datelike, Months, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

fn partner_name(app: &App, ids: &[crate::domain::Id]) -> String {
    ids.iter()
        .filter_map(|id| {
            app.partner_names
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, n)| n.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let lang = app.lang;
    let tl = &app.timeline;
    let q = &tl.query;
    let [title, chart, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 30 { 8 } else { 6 }),
        Constraint::Min(1),
    ])
    .areas(area);
    // Title: range and filters.
    let mut filt = Vec::new();
    if let Some(p) = q.partner {
        filt.push(partner_name(app, &[p]));
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
    let mut spans = vec![
        Span::styled(count(lang, tl.activities.len(), Noun::Activity), th.title()),
        Span::raw(format!(" · {}", count(lang, tl.notes.len(), Noun::Note))),
        Span::styled(
            format!(
                " · {} {} {}",
                t(lang, Msg::Today),
                app.today,
                week(lang, app.today)
            ),
            th.dim(),
        ),
        Span::raw(format!(" · {range}")),
    ];
    if !filt.is_empty() {
        spans.push(Span::raw(format!(
            " · {}: {}",
            t(lang, Msg::Filters),
            filt.join(", ")
        )));
    }
    spans.extend(super::search_spans(app));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    if !tl.loaded {
        frame.render_widget(Paragraph::new(t(lang, Msg::Loading)), list);
        return;
    }
    draw_chart(frame, chart, app);
    if tl.rows.is_empty() {
        frame.render_widget(Paragraph::new(t(lang, Msg::EmptyTimeline)), list);
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
                if selected { th.selected() } else { th.header() },
            )),
            TlRow::Activity(ix) => {
                let Some(a) = tl.activities.get(ix) else {
                    continue;
                };
                let d = a.data.date;
                let (mark, style) = if a.data.status == ActivityStatus::Cancelled {
                    ("✗", th.past())
                } else if d < app.today {
                    ("·", th.past())
                } else if d == app.today {
                    ("◆", th.upcoming())
                } else {
                    ("›", th.upcoming())
                };
                let tag = if d < app.today {
                    Msg::Past
                } else {
                    Msg::Upcoming
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
                    partner_name(app, &a.data.partners),
                );
                let _ = tag;
                Line::from(Span::styled(fit(&text, w), style))
            }
            TlRow::Note(ix) => {
                let Some(n) = tl.notes.get(ix) else { continue };
                let d = n.data.date;
                let style = if selected {
                    th.selected()
                } else if d < app.today {
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
                    partner_name(app, &n.data.partners),
                );
                Line::from(Span::styled(fit(&text, w), style))
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// Activities per month over the query range.
pub fn per_month(app: &App) -> Vec<(NaiveDate, u64)> {
    let tl = &app.timeline;
    let (Some(from), Some(to)) = (
        tl.query
            .from
            .or_else(|| tl.activities.first().map(|a| a.data.date)),
        tl.query
            .to
            .or_else(|| tl.activities.last().map(|a| a.data.date)),
    ) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut m = from.with_day(1).unwrap_or(from);
    while m <= to && months.len() < 48 {
        months.push((m, 0u64));
        m = match m.checked_add_months(Months::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
    for a in &tl.activities {
        let ms = a.data.date.with_day(1).unwrap_or(a.data.date);
        if let Some(e) = months.iter_mut().find(|(d, _)| *d == ms) {
            e.1 += 1;
        }
    }
    months
}

fn draw_chart(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let data = per_month(app);
    if data.is_empty() {
        return;
    }
    let inner_w = area.width.saturating_sub(2) as usize;
    let bar_w = ((inner_w / data.len().max(1)).saturating_sub(1)).clamp(1, 5) as u16;
    let labels: Vec<String> = data.iter().map(|(d, _)| month_short(lang, *d)).collect();
    let bars: Vec<Bar> = data
        .iter()
        .zip(labels.iter())
        .map(|((d, n), l)| {
            let style = if d.year() == app.today.year() && d.month() == app.today.month() {
                app.theme.upcoming()
            } else {
                Style::default()
            };
            Bar::default()
                .value(*n)
                .label(Line::from(truncate(l, bar_w as usize)))
                .style(style)
        })
        .collect();
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(t(lang, Msg::ActivitiesPerMonth)),
        )
        .bar_width(bar_w)
        .bar_gap(1)
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(chart, area);
}
