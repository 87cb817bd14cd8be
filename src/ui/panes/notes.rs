//! Meeting notes: newest first with a preview, the note itself, and "my open action items".

use super::scroll_for;
use crate::i18n::catalogue::{Label, Msg, Noun, count, t};
use crate::ui::app::App;
use crate::ui::widgets::{clean, fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

fn names(app: &App, ids: &[crate::domain::Id]) -> String {
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
    if app.notes.my_actions {
        draw_actions(frame, area, app);
        return;
    }
    let th = app.theme;
    let lang = app.lang;
    let st = &app.notes;
    let filter = st
        .query
        .partner
        .map(|p| names(app, &[p]))
        .unwrap_or_else(|| t(lang, Msg::AllPartners).to_string());
    let mut title = Line::from(vec![
        Span::styled(count(lang, st.notes.len(), Noun::Note), th.title()),
        Span::raw(format!(
            " · {filter} · {}: {}",
            t(lang, Msg::MyActionItems),
            st.actions.len()
        )),
    ]);
    title.spans.extend(super::search_spans(app));
    if !st.loaded {
        frame.render_widget(
            Paragraph::new(vec![title, Line::from(t(lang, Msg::Loading))]),
            area,
        );
        return;
    }
    if st.notes.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                title,
                Line::from(""),
                Line::from(t(lang, Msg::EmptyNotes)),
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
    let start = scroll_for(st.selected, rows_h);
    for (i, n) in st.notes.iter().enumerate().skip(start).take(rows_h) {
        let sel = i == st.selected;
        let style = if sel { th.selected() } else { th.normal() };
        let open_items = n.data.actions.iter().filter(|a| !a.done).count();
        let head = format!(
            "{}{} {} · {} · {} · {}",
            if sel { "▸" } else { " " },
            n.data.date,
            truncate(&n.data.title, 40),
            n.data.kind.label(lang),
            names(app, &n.data.partners),
            count(lang, open_items, Noun::ActionItem)
        );
        lines.push(Line::from(Span::styled(fit(&head, w), style)));
        let preview = clean(
            &n.data
                .body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        );
        lines.push(Line::from(Span::styled(
            fit(&format!("   {preview}"), w),
            th.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), list);
    if let (Some(r), Some(n)) = (reader, st.open.and_then(|o| st.notes.get(o))) {
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
}

fn draw_actions(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let lang = app.lang;
    let st = &app.notes;
    let w = area.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(t(lang, Msg::MyActionItems), th.title()),
        Span::raw(format!(
            " · {} · {}",
            app.user,
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
    let start = scroll_for(st.action_sel, rows_h);
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
