//! The timeline's chart: activities per month over the visible range.

use super::timeline::TimelinePane;
use crate::i18n::catalogue::{Msg, month_short, t};
use crate::ui::view::Ctx;
use crate::ui::widgets::truncate;
use chrono::{Datelike, Months, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders};

/// Activities per month over the query range.
pub fn per_month(tl: &TimelinePane) -> Vec<(NaiveDate, u64)> {
    let (Some(from), Some(to)) = (
        tl.query()
            .from
            .or_else(|| tl.activities().first().map(|a| a.data.date)),
        tl.query()
            .to
            .or_else(|| tl.activities().last().map(|a| a.data.date)),
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
    for a in tl.activities() {
        let ms = a.data.date.with_day(1).unwrap_or(a.data.date);
        if let Some(e) = months.iter_mut().find(|(d, _)| *d == ms) {
            e.1 += 1;
        }
    }
    months
}

pub fn draw_chart(frame: &mut Frame, area: Rect, tl: &TimelinePane, cx: &Ctx) {
    let lang = cx.lang;
    let data = per_month(tl);
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
            let style = if d.year() == cx.today.year() && d.month() == cx.today.month() {
                cx.theme.upcoming()
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
