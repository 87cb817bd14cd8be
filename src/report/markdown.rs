//! The report as Markdown, for pasting into minutes. User text is escaped so that it stays text:
//! it cannot end a table cell (`|`), start a heading or a list, or break a row (newlines).

use super::{Block, Doc};
use std::fmt::Write;

/// Text escaped for Markdown: inline markup characters get a backslash, newlines become spaces
/// (inside a table cell a newline would end the row), control characters are dropped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    // What would start a list, a quote or a numbered item at the start of a line.
    if let Some(first) = out.chars().next()
        && matches!(first, '-' | '+' | '=')
    {
        out.insert(0, '\\');
    }
    if let Some(dot) = out.find(". ").or_else(|| out.find(") "))
        && dot > 0
        && out[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

fn row(s: &mut String, cells: impl Iterator<Item = String>) {
    s.push('|');
    for c in cells {
        let _ = write!(s, " {} |", if c.is_empty() { " ".into() } else { c });
    }
    s.push('\n');
}

fn table(s: &mut String, head: &[String], rows: &[Vec<String>], numeric: &[bool]) {
    row(s, head.iter().map(|h| esc(h)));
    row(
        s,
        (0..head.len()).map(|i| {
            if numeric.get(i).copied().unwrap_or(false) {
                "---:".to_string()
            } else {
                "---".to_string()
            }
        }),
    );
    for r in rows {
        row(
            s,
            (0..head.len()).map(|i| esc(r.get(i).map_or("", String::as_str))),
        );
    }
    s.push('\n');
}

/// The document as Markdown.
pub fn render(d: &Doc) -> String {
    let mut s = String::with_capacity(8 * 1024);
    let _ = writeln!(s, "# {}\n\n{}\n", esc(&d.title), esc(&d.subtitle));
    for sec in &d.sections {
        let _ = writeln!(s, "## {}\n", esc(&sec.heading));
        for b in &sec.blocks {
            block(&mut s, b);
        }
    }
    s
}

fn block(s: &mut String, b: &Block) {
    match b {
        Block::Para(p) => {
            let _ = writeln!(s, "{}\n", esc(p));
        }
        Block::Facts(f) => {
            for (k, v) in f {
                let _ = writeln!(s, "- **{}:** {}", esc(k), esc(v));
            }
            s.push('\n');
        }
        Block::Table {
            head,
            rows,
            numeric,
        } => table(s, head, rows, numeric),
        Block::Months {
            caption,
            labels,
            counts,
        } => {
            let _ = writeln!(s, "**{}**\n", esc(caption));
            let head: Vec<String> = labels.to_vec();
            let rows = vec![counts.iter().map(u32::to_string).collect()];
            table(s, &head, &rows, &[true; 12]);
        }
        Block::Heat {
            caption,
            columns,
            rows,
        } => {
            let _ = writeln!(s, "**{}**\n", esc(caption));
            let mut head = vec![String::new()];
            head.extend(columns.iter().cloned());
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(label, cells)| {
                    let mut r = vec![label.clone()];
                    r.extend(cells.iter().map(|c| match c.trend {
                        Some(t) => format!("{} {}", c.text, t.arrow()),
                        None => c.text.clone(),
                    }));
                    r
                })
                .collect();
            table(s, &head, &body, &[]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn user_text_cannot_break_a_table_or_start_markup() {
        assert_eq!(esc("a|b\nc"), "a\\|b c");
        assert_eq!(esc("# title"), "\\# title");
        assert_eq!(esc("- item"), "\\- item");
        assert_eq!(esc("1. first"), "1\\. first");
        assert_eq!(esc(r"back\slash"), r"back\\slash");
        assert!(!esc("<script>").contains('<') || esc("<script>").starts_with("\\<"));
    }
}
