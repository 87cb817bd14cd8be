//! Text width helpers.
//!
//! Layout is measured in terminal columns (unicode-width), never in bytes or chars: CJK names are
//! two columns per character, combining accents zero, emoji two. Text that does not fit is cut with
//! an ellipsis so that the result is exactly as wide as asked.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `lines` one per row from the top of `area`, each cut at its width: what
/// `Paragraph::new(lines)` draws for lines that fit, without its reflow machinery. The list panes
/// draw every frame, and the reflow was a sixth of a key's time.
pub fn draw_lines(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    lines: &[ratatui::text::Line<'_>],
) {
    let buf = frame.buffer_mut();
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// `s` without characters that could upset the terminal (line breaks become spaces).
pub fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if crate::domain::text::is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns; when cut, the last column is an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    let s = clean(s);
    if width(&s) <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    for _ in w..cols {
        out.push(' ');
    }
    out
}

/// `s` right-aligned in exactly `cols` columns.
pub fn fit_right(s: &str, cols: usize) -> String {
    let cut = truncate(s, cols);
    let w = width(&cut);
    format!("{}{cut}", " ".repeat(cols.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cjk_is_two_columns() {
        assert_eq!(width("東京大学"), 8);
        assert_eq!(truncate("東京大学", 5), "東京…");
        assert_eq!(width(&truncate("東京大学", 5)), 5);
        assert_eq!(fit("東京大学", 6), "東京… ");
        assert_eq!(width(&fit("東京大学", 6)), 6);
        assert_eq!(fit("東京", 5), "東京 ");
    }

    #[test]
    fn combining_accents_take_no_column() {
        let s = "Ko\u{308}ln Universita\u{308}t";
        assert_eq!(width(s), 16);
        assert_eq!(fit(s, 16), s);
        let cut = truncate(s, 4);
        assert_eq!(cut, "Ko\u{308}l…");
        assert_eq!(width(&cut), 4);
        assert_eq!(width(&fit("Örebro universitet", 8)), 8);
    }

    #[test]
    fn emoji_are_two_columns() {
        assert_eq!(width("🎓"), 2);
        assert_eq!(width(&fit("🎓 Campus 🎓", 7)), 7);
        assert_eq!(truncate("🎓🎓🎓", 4), "🎓…");
        assert_eq!(width(&fit("🎓🎓🎓", 4)), 4);
        assert_eq!(fit_right("🎓", 4), "  🎓");
    }

    #[test]
    fn controls_never_pass() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202E}c\nd"), "a[2Jbc d");
        assert_eq!(truncate("x\u{7}y", 10), "xy");
    }
}
