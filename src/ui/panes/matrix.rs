//! The value matrix: partners × the six added values, with means, trends, targets, the evidence
//! view and a side panel that explains the current value.

use super::scroll_for;
use crate::domain::{AddedValue, Enumerated};
use crate::i18n::catalogue::{Label, Msg, t, value_description, value_short};
use crate::service::Cell;
use crate::ui::app::App;
use crate::ui::widgets::{fit, fit_right, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const CELL: usize = 8;

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

fn mean_text(m: Option<f32>) -> String {
    m.map(|m| format!("{m:.1}")).unwrap_or_else(|| "-".into())
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let lang = app.lang;
    let st = &app.matrix;
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
    lines[0].spans.extend(super::search_spans(app));
    if m.rows.items.is_empty() {
        lines.push(Line::from(t(lang, Msg::EmptyMatrix)));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
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
        head.push(Span::styled(fit_right(value_short(lang, *v), CELL), style));
    }
    head.push(Span::styled(
        fit_right(t(lang, Msg::ColMean), 7),
        th.header(),
    ));
    lines.push(Line::from(head));
    let rows_h = (table.height as usize).saturating_sub(4);
    let start = scroll_for(st.row, rows_h);
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
            let ev = r.activity_counts.and_then(|a| a.get(ci).copied());
            let text = cell_text(*c, ev);
            let sel = row_sel && ci == st.col;
            let text = if sel { format!("[{text}]") } else { text };
            let style = if sel {
                th.selected()
            } else {
                th.heat(c.map(|c| c.score))
            };
            spans.push(Span::styled(fit_right(&text, CELL), style));
        }
        spans.push(Span::raw(fit_right(&mean_text(r.mean), 7)));
        lines.push(Line::from(spans));
    }
    let mut foot = vec![Span::styled(
        fit(&format!(" {}", t(lang, Msg::ColMean)), name_w),
        th.header(),
    )];
    for v in m.value_means {
        foot.push(Span::styled(fit_right(&mean_text(v), CELL), th.header()));
    }
    lines.push(Line::from(foot));
    lines.push(Line::from(Span::styled(
        truncate(t(lang, Msg::MatrixLegend), w),
        th.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), table);
    // Side panel: the current value explained.
    let v = AddedValue::ALL
        .get(st.col)
        .copied()
        .unwrap_or(AddedValue::Quality);
    let (desc, examples) = value_description(lang, v);
    let mut side_lines = vec![Line::from(desc.to_string())];
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
    let _ = v.key();
    frame.render_widget(
        Paragraph::new(side_lines).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" {} ", v.label(lang)), th.title())),
        ),
        side,
    );
}
