//! The help screen (the live keymap of the context under it, searchable) and the command palette
//! (every action by name or description, fuzzy).

use super::Overlay;
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::{Action, Context};
use crate::ui::effect::{Effect, Effects};
use crate::ui::frame::{centered, clear_area, popup};
use crate::ui::view::Ctx;
use crate::ui::widgets::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Subsequence fuzzy match: higher is better; None when not all query characters appear in order.
pub fn fuzzy(query: &str, hay: &str) -> Option<i64> {
    let q = crate::domain::text::fold(query);
    let h = crate::domain::text::fold(hay);
    if q.trim().is_empty() {
        return Some(0);
    }
    if let Some(p) = h.find(q.trim()) {
        return Some(1000 - p as i64);
    }
    let mut score = 0i64;
    let mut hi = h.chars().enumerate();
    let mut last = 0usize;
    for qc in q.chars().filter(|c| !c.is_whitespace()) {
        let (i, _) = hi.find(|(_, hc)| *hc == qc)?;
        score -= (i - last) as i64;
        last = i;
    }
    Some(score)
}

/// The palette's matches for its query, best first.
pub fn palette_matches(query: &str, cx: &Ctx) -> Vec<Action> {
    let mut scored: Vec<(i64, Action)> = Action::ALL
        .iter()
        .filter_map(|a| {
            let hay = format!("{} {}", a.name(), a.description(cx.lang));
            fuzzy(query, &hay).map(|s| (s, *a))
        })
        .collect();
    scored.sort_by_key(|(s, a)| (std::cmp::Reverse(*s), *a));
    scored.into_iter().map(|(_, a)| a).collect()
}

/// The help lines for a context, filtered: (keys, action).
pub fn help_lines(context: Context, filter: &str, cx: &Ctx) -> Vec<(String, Action)> {
    let f = crate::domain::text::fold(filter);
    cx.keymap
        .effective_bindings(context)
        .into_iter()
        .filter(|(k, a)| {
            f.is_empty()
                || crate::domain::text::fold(&format!(
                    "{k} {} {}",
                    a.name(),
                    a.description(cx.lang)
                ))
                .contains(&f)
        })
        .collect()
}

pub fn action(o: &mut Overlay, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
    match o {
        Overlay::Help { scroll, .. } => match action {
            Action::MoveDown | Action::PageDown => *scroll += count,
            Action::MoveUp | Action::PageUp => *scroll = scroll.saturating_sub(count),
            Action::First => *scroll = 0,
            Action::Back | Action::Help | Action::Open => fx.close(),
            other => fx.push(Effect::Run(other)),
        },
        Overlay::Palette {
            query, selected, ..
        } => {
            let matches = palette_matches(&query.text(), cx);
            match action {
                Action::MoveDown => {
                    *selected = (*selected + count).min(matches.len().saturating_sub(1))
                }
                Action::MoveUp => *selected = selected.saturating_sub(count),
                Action::Open => {
                    fx.close();
                    if let Some(a) = matches.get(*selected) {
                        fx.push(Effect::Run(*a));
                    }
                }
                Action::Back => fx.close(),
                other => fx.push(Effect::Run(other)),
            }
        }
        _ => {}
    }
}

pub fn draw(frame: &mut Frame, body: Rect, o: &Overlay, cx: &Ctx) {
    let (th, lang) = (cx.theme, cx.lang);
    match o {
        Overlay::Help {
            filter,
            scroll,
            context,
        } => {
            let r = centered(body, 76, body.height);
            clear_area(frame, r);
            let intro =
                crate::i18n::catalogue::help_intro(lang, &cx.key(Context::Menus, Action::Back));
            let mut lines = vec![
                Line::from(Span::styled(intro, th.dim())),
                Line::from(format!("{}: {}▏", t(lang, Msg::Search), filter.text())),
            ];
            for (k, a) in help_lines(*context, &filter.text(), cx)
                .into_iter()
                .skip(*scroll)
            {
                lines.push(Line::from(vec![
                    Span::styled(fit(&k, 12), th.key()),
                    Span::raw(fit(a.description(lang), 34)),
                    Span::styled(truncate(a.name(), 26), th.dim()),
                ]));
            }
            let title = format!("{} — {}", t(lang, Msg::Help), context.name());
            frame.render_widget(Paragraph::new(lines).block(popup(&title, cx)), r);
        }
        Overlay::Palette {
            query,
            selected,
            context,
        } => draw_palette(frame, body, &query.text(), *selected, *context, cx),
        _ => {}
    }
}

fn draw_palette(
    frame: &mut Frame,
    body: Rect,
    query: &str,
    selected: usize,
    context: Context,
    cx: &Ctx,
) {
    let (th, lang) = (cx.theme, cx.lang);
    let r = centered(body, 70, body.height.min(18));
    clear_area(frame, r);
    let k = |a| cx.key(Context::Menus, a);
    let hint = crate::i18n::catalogue::palette_hint(
        lang,
        &format!("{}{}", k(Action::MoveUp), k(Action::MoveDown)),
        &k(Action::Open),
        &k(Action::Back),
    );
    let mut lines = vec![
        Line::from(format!(": {query}▏")),
        Line::from(Span::styled(hint, th.dim())),
    ];
    let rows = r.height.saturating_sub(4) as usize;
    let matches = palette_matches(query, cx);
    let start = selected.saturating_sub(rows.saturating_sub(1));
    for (i, a) in matches.iter().enumerate().skip(start).take(rows) {
        let key = cx
            .keymap
            .keys_for(context, *a)
            .into_iter()
            .next()
            .unwrap_or_default();
        let text = format!(
            "{} {} {}",
            fit(a.description(lang), 32),
            fit(a.name(), 20),
            fit(&key, 10)
        );
        let style = if i == selected {
            th.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(lang, Msg::Palette), cx)),
        r,
    );
}
