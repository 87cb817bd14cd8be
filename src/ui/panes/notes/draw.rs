//! The meeting notes' drawing: the list of notes with a preview of each, the note opened for
//! reading, and the action items.

use super::NotesPane;
use crate::domain::{Note, Record};
use crate::i18n::catalogue::{Label, Msg, Noun, count, t};
use crate::keymap::Action;
use crate::service::Archived;
use crate::ui::panes::page_start;
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub(super) fn draw(frame: &mut Frame, area: Rect, st: &NotesPane, cx: &Ctx) {
    if st.my_actions {
        draw_actions(frame, area, st, cx);
        return;
    }
    let th = cx.theme;
    let lang = cx.lang;
    let filter = st
        .query
        .partner
        .map(|p| cx.names_of(&[p]))
        .unwrap_or_else(|| t(lang, Msg::AllPartners).to_string());
    let mut title = Line::from(vec![
        Span::styled(
            if st.query.archived == Archived::Only {
                format!("{} ", t(lang, Msg::ArchiveView))
            } else {
                String::new()
            },
            th.warn(),
        ),
        Span::styled(count(lang, st.total, Noun::Note), th.title()),
        Span::raw(format!(
            " · {filter} · {}: {}",
            t(lang, Msg::MyActionItems),
            st.actions.len()
        )),
    ]);
    title
        .spans
        .extend(crate::ui::panes::search_spans(&st.search, cx));
    if !st.loaded {
        frame.render_widget(
            Paragraph::new(vec![title, Line::from(t(lang, Msg::Loading))]),
            area,
        );
        return;
    }
    if st.total == 0 {
        frame.render_widget(
            Paragraph::new(vec![
                title,
                Line::from(""),
                Line::from(if st.query.archived == Archived::Only {
                    t(lang, Msg::EmptyArchive).to_string()
                } else {
                    crate::i18n::catalogue::empty_notes(
                        lang,
                        &cx.key(crate::keymap::Context::Notes, Action::Add),
                    )
                }),
            ]),
            area,
        );
        return;
    }
    let (list, reader) = match st.open {
        Some(_) => {
            let [a, b] = Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(area);
            (a, Some(b))
        }
        None => (area, None),
    };
    let w = list.width as usize;
    let mut lines = vec![title];
    let rows_h = (list.height as usize).saturating_sub(1) / 2;
    let start = page_start(st.selected, rows_h, st.total);
    for i in start..(start + rows_h).min(st.total) {
        match st.note(i) {
            Some(n) => lines.extend(note_lines(n, i == st.selected, w, cx)),
            // Not in the window yet: it is on its way.
            None => lines.extend([Line::from(fit(" …", w)), Line::from("")]),
        }
    }
    crate::ui::widgets::draw_lines(frame, list, &lines);
    if let (Some(r), Some(n)) = (reader, st.open.and_then(|o| st.note(o))) {
        draw_reader(frame, r, n, cx);
    }
}

/// A note in the list: its head line and a preview of the text.
fn note_lines(n: &Record<Note>, sel: bool, w: usize, cx: &Ctx) -> Vec<Line<'static>> {
    let (th, lang) = (cx.theme, cx.lang);
    let mut out = Vec::new();
    let open_items = n.data.actions.iter().filter(|a| !a.done).count();
    let lead = format!(
        "{}{} {}",
        if sel { "▸" } else { " " },
        n.data.date,
        truncate(&n.data.title, 40),
    );
    let rest = format!(
        " · {} · {} · {}",
        n.data.kind.label(lang),
        cx.names_of(&n.data.partners),
        count(lang, open_items, Noun::ActionItem)
    );
    out.push(Line::from(crate::ui::panes::lead_row(
        &lead,
        &rest,
        w,
        sel,
        th.selected(),
        th.normal(),
    )));
    let preview = clean(
        &n.data
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    );
    out.push(Line::from(Span::styled(
        fit(&format!("   {preview}"), w),
        th.dim(),
    )));
    out
}

/// The note opened for reading.
fn draw_reader(frame: &mut Frame, r: Rect, n: &Record<Note>, cx: &Ctx) {
    let (th, lang) = (cx.theme, cx.lang);
    let mut body = vec![Line::from(format!(
        "{} · {} · {}: {}",
        n.data.date,
        n.data.kind.label(lang),
        t(lang, Msg::Attendees),
        clean(&n.data.attendees.join(", "))
    ))];
    for l in n.data.body.lines() {
        body.push(Line::from(clean(l)));
    }
    if !n.data.decisions.is_empty() {
        body.push(Line::from(Span::styled(
            t(lang, Msg::Decisions),
            th.header(),
        )));
        for d in &n.data.decisions {
            body.push(Line::from(format!("• {}", clean(d))));
        }
    }
    if !n.data.actions.is_empty() {
        body.push(Line::from(Span::styled(
            t(lang, Msg::OpenActions),
            th.header(),
        )));
        for a in &n.data.actions {
            body.push(Line::from(format!(
                "{} {} · {} · {}",
                if a.done { "[x]" } else { "[ ]" },
                clean(&a.text),
                clean(&a.owner),
                a.due.map(|d| d.to_string()).unwrap_or_default()
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::TOP)
                .title(Span::styled(truncate(&n.data.title, 60), th.title())),
        ),
        r,
    );
}

fn draw_actions(frame: &mut Frame, area: Rect, st: &NotesPane, cx: &Ctx) {
    let th = cx.theme;
    let lang = cx.lang;
    let w = area.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(t(lang, Msg::MyActionItems), th.title()),
        Span::raw(format!(
            " · {} · {}",
            cx.user,
            count(lang, st.actions.len(), Noun::ActionItem)
        )),
    ])];
    if st.actions.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(t(lang, Msg::EmptyActions)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "   {} {} {}",
                fit(t(lang, Msg::ColDue), 11),
                fit(t(lang, Msg::FActionText), 40),
                t(lang, Msg::PaneNotes)
            ),
            w,
        ),
        th.header(),
    )));
    let rows_h = (area.height as usize).saturating_sub(2);
    let start = page_start(st.action_sel, rows_h, st.actions.len());
    for (i, a) in st.actions.iter().enumerate().skip(start).take(rows_h) {
        let sel = i == st.action_sel;
        let mark = if a.item.done { "[x]" } else { "[ ]" };
        let due = a
            .item
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into());
        let over = if a.overdue {
            format!("⚠ {} ", t(lang, Msg::Overdue))
        } else {
            String::new()
        };
        let text = format!(
            "{mark} {} {over}{} · {} {}",
            fit(&due, 10),
            truncate(&a.item.text, 40),
            a.note_date,
            truncate(&a.note_title, 30)
        );
        let style = if sel {
            th.selected()
        } else if a.overdue {
            th.warn()
        } else {
            th.normal()
        };
        lines.push(Line::from(Span::styled(fit(&text, w), style)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
