//! The timeline's chart: activities per month over the visible range.

use super::timeline::TimelinePane;
use crate::i18n::catalogue::{Msg, month_short, t};
use crate::ui::view::Ctx;
use crate::ui::widgets::truncate;
use chrono::{Datelike, Months, NaiveDate};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders};

/// Activities per month over the query range (or the months that have items, when the range is
/// open), from the counts of the whole list.
pub fn per_month(tl: &TimelinePane) -> Vec<(NaiveDate, u64)> {
    let months = tl.months();
    let (Some(from), Some(to)) = (
        tl.query().from.or_else(|| months.first().map(|m| m.month)),
        tl.query().to.or_else(|| months.last().map(|m| m.month)),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut m = from.with_day(1).unwrap_or(from);
    while m <= to && out.len() < 48 {
        out.push((m, 0u64));
        m = match m.checked_add_months(Months::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
    for c in months {
        if let Some(e) = out.iter_mut().find(|(d, _)| *d == c.month) {
            e.1 = u64::from(c.activities);
        }
    }
    out
}

/// What the chart showed last, and its cells: a key (moving the selection) leaves the chart as it
/// is, so the frame copies its cells instead of laying the bars out again.
pub type ChartMemo = crate::ui::widgets::CellMemo<ChartKey>;

/// Everything the chart's cells depend on.
pub type ChartKey = (
    Rect,
    Vec<(NaiveDate, u64)>,
    crate::i18n::Lang,
    NaiveDate,
    bool,
);

pub fn draw_chart(frame: &mut Frame, area: Rect, tl: &TimelinePane, cx: &Ctx) {
    let data = per_month(tl);
    if data.is_empty() {
        return;
    }
    let key: ChartKey = (area, data.clone(), cx.lang, cx.today, cx.theme.color);
    tl.chart
        .draw(frame, area, key, |buf| render(buf, area, &data, cx));
}

/// The chart drawn into `buf`.
fn render(buf: &mut Buffer, area: Rect, data: &[(NaiveDate, u64)], cx: &Ctx) {
    use ratatui::widgets::Widget;
    let lang = cx.lang;
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
    chart.render(area, buf);
}
