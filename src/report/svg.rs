//! Inline SVG charts for the HTML report: activities per month (bars) and the heat matrix. Every
//! text is escaped; sizes are fixed so the charts print the same on A4.

use super::HeatCell;
use super::html::esc;
use std::fmt::Write;

/// A bar chart of twelve months.
pub fn months(caption: &str, labels: &[String], counts: &[u32; 12]) -> String {
    const W: u32 = 660;
    const H: u32 = 200;
    const TOP: u32 = 24;
    const BOTTOM: u32 = 24;
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let step = W / 12;
    let bar = step - 14;
    let plot = H - TOP - BOTTOM;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart months" role="img" aria-label="{cap}" viewBox="0 0 {W} {H}" width="{W}" height="{H}"><title>{cap}</title>"#,
        cap = esc(caption)
    );
    let _ = write!(
        s,
        r##"<line x1="0" y1="{y}" x2="{W}" y2="{y}" stroke="#888" stroke-width="1"/>"##,
        y = H - BOTTOM
    );
    for (i, (label, n)) in labels.iter().zip(counts).enumerate() {
        let x = i as u32 * step + 7;
        let h = (u64::from(*n) * u64::from(plot) / u64::from(max)) as u32;
        let y = H - BOTTOM - h;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="{bar}" height="{h}" fill="#3b6ea5"><title>{l}: {n}</title></rect>"##,
            l = esc(label)
        );
        let cx = x + bar / 2;
        let _ = write!(
            s,
            r#"<text x="{cx}" y="{ty}" text-anchor="middle" font-size="11">{n}</text>"#,
            ty = y.saturating_sub(4).max(10)
        );
        let _ = write!(
            s,
            r#"<text x="{cx}" y="{ly}" text-anchor="middle" font-size="11">{l}</text>"#,
            ly = H - 8,
            l = esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// The fill of a score 0-4 (a mean may lie between): from pale to deep green.
fn fill(score: Option<f32>) -> String {
    match score {
        None => "#f2f2f2".into(),
        Some(x) => {
            let f = (x / 4.0).clamp(0.0, 1.0);
            let lerp = |a: f32, b: f32| (a + (b - a) * f).round() as u8;
            format!(
                "#{:02x}{:02x}{:02x}",
                lerp(235.0, 31.0),
                lerp(245.0, 120.0),
                lerp(235.0, 70.0)
            )
        }
    }
}

/// A heat matrix: rows of cells under column labels.
pub fn heat(caption: &str, columns: &[String], rows: &[(String, Vec<HeatCell>)]) -> String {
    const LABEL: u32 = 170;
    const CELL_H: u32 = 26;
    const HEAD: u32 = 44;
    let n = columns.len().max(1) as u32;
    let cell_w = ((660 - LABEL) / n).clamp(60, 180);
    let w = LABEL + cell_w * n;
    let h = HEAD + CELL_H * rows.len() as u32 + 4;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart heat" role="img" aria-label="{cap}" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title>{cap}</title>"#,
        cap = esc(caption)
    );
    // Narrow columns take their labels on two alternating lines, so long value names (the
    // Swedish word for impact has 16 letters) never run into their neighbours'.
    let stagger = cell_w < 120;
    for (i, c) in columns.iter().enumerate() {
        let x = LABEL + i as u32 * cell_w + cell_w / 2;
        let y = if stagger && i % 2 == 0 {
            HEAD - 24
        } else {
            HEAD - 8
        };
        let _ = write!(
            s,
            r#"<text x="{x}" y="{y}" text-anchor="middle" font-size="11" font-weight="bold">{c}</text>"#,
            c = esc(c)
        );
    }
    for (r, (label, cells)) in rows.iter().enumerate() {
        let y = HEAD + r as u32 * CELL_H;
        let _ = write!(
            s,
            r#"<text x="4" y="{ty}" font-size="12">{l}</text>"#,
            ty = y + CELL_H / 2 + 4,
            l = esc(label)
        );
        for (i, c) in cells.iter().enumerate() {
            let x = LABEL + i as u32 * cell_w;
            let arrow = c
                .trend
                .map(|t| format!(" {}", t.arrow()))
                .unwrap_or_default();
            let dark = c.score.is_some_and(|x| x >= 2.5);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{cw}" height="{ch}" fill="{f}" stroke="#fff" stroke-width="2"/><text x="{tx}" y="{ty}" text-anchor="middle" font-size="11" fill="{tc}">{t}{arrow}</text>"##,
                cw = cell_w,
                ch = CELL_H,
                f = fill(c.score),
                tx = x + cell_w / 2,
                ty = y + CELL_H / 2 + 4,
                tc = if dark { "#fff" } else { "#111" },
                t = esc(&c.text),
            );
        }
    }
    s.push_str("</svg>");
    s
}
