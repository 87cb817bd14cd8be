//! The partners table's drawing: the title with the active filters, the column heads, the rows
//! with their renewal and governance marks, the legend, and what an empty table says.

use super::PartnersPane;
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, Noun, count, t};
use crate::keymap::Action;
use crate::service::{Archived, GovernanceMark, PartnerColumn, PartnerRow, Renewal, Scores};
use crate::ui::panes::{highlighted, page_start};
use crate::ui::view::Ctx;
use crate::ui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

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
    title.extend(crate::ui::panes::search_spans(&st.search, cx));
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

pub(super) fn draw(frame: &mut Frame, area: Rect, st: &PartnersPane, cx: &Ctx) {
    let mut lines = vec![title_line(st, cx)];
    if !st.loaded {
        lines.push(Line::from(t(cx.lang, Msg::Loading)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if st.total == 0 {
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
    let start = page_start(st.selected, rows_h, st.total);
    for i in start..(start + rows_h).min(st.total) {
        let Some(r) = st.row(i) else {
            // Not in the window yet: it is on its way.
            lines.push(Line::from(Span::styled(fit("  …", w), cx.theme.dim())));
            continue;
        };
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
    crate::ui::widgets::draw_lines(
        frame,
        Rect {
            height: body_h,
            ..area
        },
        &lines,
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
    // The selection restyles the marker and the name only (not the padding, not the other
    // columns): a key then sends a few dozen cells (issue 17).
    let name = crate::ui::widgets::truncate(&r.name, name_w - 1);
    let shown = crate::ui::widgets::width(&name);
    spans.extend(highlighted(
        &name,
        &st.query.text,
        shown,
        base,
        base.patch(th.matched()),
    ));
    spans.push(Span::raw(" ".repeat(name_w - shown)));
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
    spans.push(Span::raw(fit(&rest, w.saturating_sub(used))));
    Line::from(spans)
}
