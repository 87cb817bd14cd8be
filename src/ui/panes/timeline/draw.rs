//! The timeline's drawing: the title with the active filters, the chart of activities per month,
//! and the rows of activities and notes (a selected row restyles its lead only).

use super::{TimelinePane, TlRow};
use crate::domain::{Activity, ActivityStatus, Note, Record};
use crate::i18n::catalogue::{Label, Msg, Noun, count, month_year, t, week, weekday_short};
use crate::keymap::Action;
use crate::service::Archived;
use crate::service::TimelineItem;
use crate::ui::panes::page_start;
use crate::ui::view::Ctx;
use crate::ui::widgets::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

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
        Span::styled(count(lang, tl.activities_total, Noun::Activity), th.title()),
        Span::raw(format!(" · {}", count(lang, tl.notes_total, Noun::Note))),
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
    spans.extend(crate::ui::panes::search_spans(&tl.search, cx));
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
    let lead = format!(
        "{mark} {} {} {} {}",
        d,
        fit(&weekday_short(lang, d), 3),
        fit(&week(lang, d), 5),
        truncate(&a.data.title, 36),
    );
    let rest = format!(
        " · {} · {} · {}",
        a.data.kind.label(lang),
        a.data.status.label(lang),
        cx.names_of(&a.data.partners),
    );
    Line::from(crate::ui::panes::lead_row(
        &lead,
        &rest,
        w,
        selected,
        th.selected(),
        style,
    ))
}

fn note_line(n: &Record<Note>, selected: bool, w: usize, cx: &Ctx) -> Line<'static> {
    let (th, lang) = (cx.theme, cx.lang);
    let d = n.data.date;
    let style = if d < cx.today {
        th.past()
    } else {
        th.upcoming()
    };
    let lead = format!(
        "✎ {} {} {} {}",
        d,
        fit(&weekday_short(lang, d), 3),
        fit(&week(lang, d), 5),
        truncate(&n.data.title, 36),
    );
    let rest = format!(
        " ({}) · {}",
        t(lang, Msg::NoteMarker),
        cx.names_of(&n.data.partners),
    );
    Line::from(crate::ui::panes::lead_row(
        &lead,
        &rest,
        w,
        selected,
        th.selected(),
        style,
    ))
}

pub(super) fn draw(frame: &mut Frame, area: Rect, tl: &TimelinePane, cx: &Ctx) {
    let lang = cx.lang;
    let [title, chart, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 30 { 8 } else { 6 }),
        Constraint::Min(1),
    ])
    .areas(area);
    crate::ui::widgets::draw_lines(frame, title, &[title_line(tl, cx)]);
    if !tl.loaded {
        frame.render_widget(Paragraph::new(t(lang, Msg::Loading)), list);
        return;
    }
    crate::ui::panes::chart::draw_chart(frame, chart, tl, cx);
    if tl.row_count() == 0 {
        let k = cx.key(crate::keymap::Context::Timeline, Action::Add);
        let text = crate::i18n::catalogue::empty_timeline(lang, &k);
        frame.render_widget(Paragraph::new(text), list);
        return;
    }
    let w = list.width as usize;
    let rows_h = list.height as usize;
    let start = page_start(tl.selected, rows_h, tl.row_count());
    let mut lines = Vec::with_capacity(rows_h);
    for i in start..(start + rows_h).min(tl.row_count()) {
        let selected = i == tl.selected;
        let line = match tl.row(i) {
            Some(TlRow::Month(k)) => {
                let Some(m) = tl.months.get(k) else { continue };
                Line::from(Span::styled(
                    fit(
                        &format!(
                            "── {} · {}",
                            month_year(lang, m.month),
                            count(lang, m.activities as usize, Noun::Activity)
                        ),
                        w,
                    ),
                    if selected {
                        cx.theme.selected()
                    } else {
                        cx.theme.header()
                    },
                ))
            }
            Some(TlRow::Item(ix)) => match tl.item(ix) {
                Some(TimelineItem::Activity(a)) => activity_line(a, selected, w, cx),
                Some(TimelineItem::Note(n)) => note_line(n, selected, w, cx),
                // Not in the window yet: it is on its way.
                None => Line::from(Span::styled(
                    fit("…", w),
                    if selected {
                        cx.theme.selected()
                    } else {
                        cx.theme.dim()
                    },
                )),
            },
            None => continue,
        };
        lines.push(line);
    }
    crate::ui::widgets::draw_lines(frame, list, &lines);
}
