//! The partners pane: the table, search, filters, and the detail view.

use super::{highlighted, scroll_for};
use crate::domain::{Enumerated, Side};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, Noun, count, profile_check, t};
use crate::service::{Archived, PartnerColumn, PartnerRow, Renewal, Scores};
use crate::ui::app::App;
use crate::ui::widgets::{clean, fit, truncate};
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

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if app.partners.detail.is_some() {
        draw_detail(frame, area, app);
        return;
    }
    let th = app.theme;
    let lang = app.lang;
    let st = &app.partners;
    let q = &st.query;
    // Title line: count, sort, search, filters.
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
    title.extend(super::search_spans(app));
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
    if !filters.is_empty() {
        title.push(Span::raw(format!(
            " · {}: {}",
            t(lang, Msg::Filters),
            filters.join(", ")
        )));
    }
    let w = area.width as usize;
    let mut lines = vec![Line::from(title)];
    if !st.loaded {
        lines.push(Line::from(t(lang, Msg::Loading)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if st.rows.is_empty() {
        lines.push(Line::from(""));
        let empty = q.text.is_empty()
            && q.phase.is_none()
            && q.kind.is_none()
            && q.country.is_none()
            && q.tier.is_none();
        if q.archived == Archived::Only {
            lines.push(Line::from(t(lang, Msg::EmptyArchive)));
        } else if empty {
            lines.push(Line::from(Span::styled(
                t(lang, Msg::EmptyPartnersTitle),
                th.title(),
            )));
            lines.push(Line::from(""));
            lines.push(Line::from(t(lang, Msg::EmptyPartnersAdd)));
            lines.push(Line::from(t(lang, Msg::EmptyPartnersDemo)));
            lines.push(Line::from(t(lang, Msg::EmptyPartnersImport)));
        } else {
            lines.push(Line::from(t(lang, Msg::NoMatches)));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    // Columns: marker 2, name flex, kind, country 4, phase, end 11, values 11.
    let (kind_w, phase_w) = if w >= 110 { (16, 12) } else { (12, 10) };
    let fixed = 2 + kind_w + 1 + 5 + phase_w + 1 + 11 + 11 + 1;
    let name_w = w.saturating_sub(fixed).max(10);
    let sort_mark = |c: PartnerColumn| if q.sort == c { arrow } else { "" };
    let head = format!(
        "  {}{}{}{}{}{}",
        fit(
            &format!(
                "{}{}",
                col_name(lang, PartnerColumn::Name),
                sort_mark(PartnerColumn::Name)
            ),
            name_w
        ),
        fit(
            &format!(
                "{}{}",
                col_name(lang, PartnerColumn::Kind),
                sort_mark(PartnerColumn::Kind)
            ),
            kind_w + 1
        ),
        fit(
            &format!(
                "{}{}",
                t(lang, Msg::ColCountryShort),
                sort_mark(PartnerColumn::Country)
            ),
            5
        ),
        fit(
            &format!(
                "{}{}",
                col_name(lang, PartnerColumn::Phase),
                sort_mark(PartnerColumn::Phase)
            ),
            phase_w + 1
        ),
        fit(
            &format!(
                "{}{}",
                t(lang, Msg::ColAgreementEndShort),
                sort_mark(PartnerColumn::AgreementEnd)
            ),
            11
        ),
        fit(
            &format!(
                "{}{}",
                col_name(lang, PartnerColumn::Value),
                sort_mark(PartnerColumn::Value)
            ),
            11
        ),
    );
    lines.push(Line::from(Span::styled(fit(&head, w), th.header())));
    let rows_h = (area.height as usize).saturating_sub(3);
    let start = scroll_for(st.selected, rows_h);
    for (i, r) in st.rows.iter().enumerate().skip(start).take(rows_h) {
        lines.push(row_line(
            app,
            r,
            i == st.selected,
            name_w,
            kind_w,
            phase_w,
            w,
        ));
    }
    let legend = Line::from(Span::styled(t(lang, Msg::RenewalMarkerHelp), th.dim()));
    let body_h = area.height.saturating_sub(1);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: body_h,
            ..area
        },
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

fn row_line(
    app: &App,
    r: &PartnerRow,
    selected: bool,
    name_w: usize,
    kind_w: usize,
    phase_w: usize,
    w: usize,
) -> Line<'static> {
    let th = app.theme;
    let lang = app.lang;
    let base = if selected {
        th.selected()
    } else {
        Style::default()
    };
    let marker_style = match r.renewal {
        Renewal::None => base,
        _ => base.patch(th.warn()),
    };
    let mut spans = vec![Span::styled(
        format!(
            "{}{}",
            renewal_marker(r.renewal),
            if selected { "▸" } else { " " }
        ),
        marker_style,
    )];
    spans.extend(highlighted(
        &r.name,
        &app.partners.query.text,
        name_w - 1,
        base,
        base.patch(th.matched()),
    ));
    spans.push(Span::styled(" ", base));
    let end = r
        .agreement_end
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    let rest = format!(
        "{}{}{}{}{}",
        fit(r.kind.label(lang), kind_w) + " ",
        fit(&r.country, 5),
        fit(r.phase.label(lang), phase_w) + " ",
        fit(&end, 11),
        fit(&value_summary(&r.scores), 11),
    );
    let used = 2 + name_w;
    spans.push(Span::styled(fit(&rest, w.saturating_sub(used)), base));
    Line::from(spans)
}

fn list_or_none(lang: Lang, v: &[String]) -> String {
    if v.is_empty() {
        t(lang, Msg::None).to_string()
    } else {
        clean(&v.join("; "))
    }
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let lang = app.lang;
    let Some(det) = &app.partners.detail else {
        return;
    };
    let Some(d) = &det.data else {
        frame.render_widget(Paragraph::new(t(lang, Msg::Loading)), area);
        return;
    };
    let p = &d.partner.data;
    let w = area.width as usize;
    let h = |m: Msg| Line::from(Span::styled(t(lang, m), th.header()));
    let mut lines = vec![Line::from(vec![
        Span::styled(truncate(&p.name, w.saturating_sub(30)), th.title()),
        Span::raw(format!(
            "  {} · {} · {} · {}",
            p.kind.label(lang),
            clean(&p.country),
            p.phase.label(lang),
            p.tier.label(lang)
        )),
    ])];
    match d.renewal {
        Renewal::Due { end } => lines.push(Line::from(Span::styled(
            format!("! {} {end}", t(lang, Msg::ColAgreementEnd)),
            th.warn(),
        ))),
        Renewal::Expired { end } => lines.push(Line::from(Span::styled(
            format!("‼ {} {end}", t(lang, Msg::ColAgreementEnd)),
            th.error(),
        ))),
        Renewal::None => {}
    }
    // Strategic profile first: it is the point of the view.
    lines.push(h(Msg::StrategicProfile));
    for c in d.profile {
        let (mark, word, style) = if c.met() {
            ("✓", t(lang, Msg::Met), th.ok())
        } else {
            ("✗", t(lang, Msg::NotMet), th.warn())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} {word}: "), style),
            Span::raw(profile_check(lang, c)),
        ]));
    }
    lines.push(h(Msg::Scores));
    let mut s = String::from(" ");
    for (v, c) in crate::domain::AddedValue::ALL.iter().zip(d.scores.iter()) {
        s.push_str(&format!(
            "{} {}  ",
            v.label(lang),
            c.map(|c| c.score.to_string()).unwrap_or_else(|| "-".into())
        ));
    }
    lines.push(Line::from(s));
    lines.push(h(Msg::Agreements));
    if d.agreements.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
    }
    for a in &d.agreements {
        lines.push(Line::from(format!(
            " {} · {} · {} – {} · {}",
            clean(&a.data.title),
            a.data.kind.label(lang),
            a.data.start,
            a.data
                .end
                .map(|e| e.to_string())
                .unwrap_or_else(|| t(lang, Msg::OpenEnded).to_string()),
            a.data.status.label(lang)
        )));
    }
    for (side, m) in [
        (Side::Partner, Msg::ContactsPartner),
        (Side::Ours, Msg::ContactsOurs),
    ] {
        lines.push(h(m));
        let cs: Vec<_> = d.contacts.iter().filter(|c| c.data.side == side).collect();
        if cs.is_empty() {
            lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
        }
        for c in cs {
            lines.push(Line::from(format!(
                " {} · {} · {}",
                clean(&c.data.name),
                c.data.role.label(lang),
                clean(&c.data.email)
            )));
        }
    }
    lines.push(h(Msg::Goals));
    lines.push(Line::from(format!(" {}", list_or_none(lang, &p.goals))));
    lines.push(h(Msg::Formats));
    let formats: Vec<String> = p
        .formats
        .iter()
        .map(|f| f.label(lang).to_string())
        .collect();
    lines.push(Line::from(format!(" {}", list_or_none(lang, &formats))));
    lines.push(h(Msg::Faculties));
    lines.push(Line::from(format!(" {}", list_or_none(lang, &p.faculties))));
    lines.push(h(Msg::SponsorsOurs));
    lines.push(Line::from(format!(
        " {}",
        list_or_none(lang, &p.sponsors_ours)
    )));
    lines.push(h(Msg::SponsorsPartner));
    lines.push(Line::from(format!(
        " {}",
        list_or_none(lang, &p.sponsors_partner)
    )));
    lines.push(h(Msg::OpenActions));
    if d.open_actions.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
    }
    for a in &d.open_actions {
        let due = a.item.due.map(|d| d.to_string()).unwrap_or_default();
        let over = if a.overdue {
            format!(" ({})", t(lang, Msg::Overdue))
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                " □ {} · {} · {due}{over}",
                clean(&a.item.text),
                clean(&a.item.owner)
            ),
            if a.overdue {
                th.warn()
            } else {
                Style::default()
            },
        )));
    }
    lines.push(h(Msg::RecentActivities));
    for a in d.recent_activities.iter().take(15) {
        lines.push(Line::from(format!(
            " {} {} · {} · {}",
            a.data.date,
            truncate(&a.data.title, 40),
            a.data.kind.label(lang),
            a.data.status.label(lang)
        )));
    }
    let _ = Enumerated::key(p.kind);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((det.scroll, 0)),
        area,
    );
}
