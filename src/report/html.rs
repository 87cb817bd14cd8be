//! The report as one self-contained HTML file: inline CSS (with `@page` A4 and print rules) and
//! inline SVG, no scripts, no links to anything outside the file. Every text is escaped.

use super::{Block, Doc};
use std::fmt::Write;

/// Text escaped for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; }
h2 { font-size: 13pt; margin: 14pt 0 4pt 0; border-bottom: 1px solid #bbb; padding-bottom: 2pt; }
p.sub { color: #555; margin: 0 0 8pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt 0; }
th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f6; }
td.num, th.num { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 1pt 10pt; margin: 4pt 0 8pt 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
figure { margin: 6pt 0; }
figcaption { font-size: 9.5pt; color: #444; }
svg.chart { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; }
  h2 { break-after: avoid; }
  table, figure, dl.facts { break-inside: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The document as HTML.
pub fn render(d: &Doc) -> String {
    let mut s = String::with_capacity(16 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{title}</h1><p class=\"sub\">{sub}</p></header>\n",
        lang = d.lang.key(),
        title = esc(&d.title),
        sub = esc(&d.subtitle),
    );
    for sec in &d.sections {
        let _ = write!(
            s,
            "<section id=\"{id}\">\n<h2>{h}</h2>\n",
            id = sec.id,
            h = esc(&sec.heading)
        );
        for b in &sec.blocks {
            block(&mut s, b);
        }
        s.push_str("</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn block(s: &mut String, b: &Block) {
    match b {
        Block::Para(p) => {
            let _ = writeln!(s, "<p>{}</p>", esc(p));
        }
        Block::Facts(f) => {
            s.push_str("<dl class=\"facts\">");
            for (k, v) in f {
                let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
            }
            s.push_str("</dl>\n");
        }
        Block::Table {
            head,
            rows,
            numeric,
        } => {
            let class = |i: usize| {
                if numeric.get(i).copied().unwrap_or(false) {
                    " class=\"num\""
                } else {
                    ""
                }
            };
            s.push_str("<table>\n<thead><tr>");
            for (i, h) in head.iter().enumerate() {
                let _ = write!(s, "<th{}>{}</th>", class(i), esc(h));
            }
            s.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                s.push_str("<tr>");
                for (i, c) in r.iter().enumerate() {
                    let _ = write!(s, "<td{}>{}</td>", class(i), esc(c));
                }
                s.push_str("</tr>\n");
            }
            s.push_str("</tbody>\n</table>\n");
        }
        Block::Months {
            caption,
            labels,
            counts,
        } => {
            let _ = writeln!(
                s,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                super::svg::months(caption, labels, counts),
                esc(caption)
            );
        }
        Block::Heat {
            caption,
            columns,
            rows,
        } => {
            let _ = writeln!(
                s,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                super::svg::heat(caption, columns, rows),
                esc(caption)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            super::esc(r#"<a href='x'>&"#),
            "&lt;a href=&#39;x&#39;&gt;&amp;"
        );
        assert_eq!(super::esc("\"q\""), "&quot;q&quot;");
    }
}
