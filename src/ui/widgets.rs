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
        set_line(buf, area.x, y, line, area.width);
    }
}

/// A region of the screen as last drawn, with what it was drawn from: while the key is the same,
/// the frame copies the cells instead of laying the region out again (the timeline's chart, the
/// matrix's side panel). Rendering stays a function of the state: the key holds everything the
/// cells depend on.
#[derive(Debug)]
pub struct CellMemo<K>(std::cell::RefCell<Option<(K, ratatui::buffer::Buffer)>>);

impl<K> Default for CellMemo<K> {
    fn default() -> Self {
        CellMemo(std::cell::RefCell::new(None))
    }
}

impl<K: PartialEq> CellMemo<K> {
    /// Draw `area` from `key`: copied when the key (which must include the area) is the one
    /// drawn last, else rendered by `render` into an empty buffer and kept.
    pub fn draw(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        key: K,
        render: impl FnOnce(&mut ratatui::buffer::Buffer),
    ) {
        use ratatui::buffer::Buffer;
        let mut memo = self.0.borrow_mut();
        if memo.as_ref().is_none_or(|(k, _)| *k != key) {
            let mut buf = Buffer::empty(area);
            render(&mut buf);
            *memo = Some((key, buf));
        }
        if let Some((_, buf)) = memo.as_ref() {
            let out = frame.buffer_mut();
            for y in area.top()..area.bottom() {
                for x in area.left()..area.right() {
                    if let (Some(from), Some(to)) = (buf.cell((x, y)), out.cell_mut((x, y))) {
                        to.clone_from(from);
                    }
                }
            }
        }
    }
}

/// Characters that are always one grapheme of one column on their own and never join a
/// neighbour: printable ASCII, Latin-1 and Latin Extended-A letters (å, ä, ö, é, ł, …; not the
/// soft hyphen), and the symbols the panes draw with.
fn single_cell(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{AC}' | '\u{AE}'..='\u{17F}')
        || matches!(
            c,
            '·' | '│'
                | '─'
                | '…'
                | '▸'
                | '↑'
                | '↓'
                | '→'
                | '—'
                | '–'
                | '✓'
                | '✗'
                | '⚑'
                | '‼'
                | '◆'
                | '›'
                | '✎'
                | '•'
                | '▏'
                | '⟳'
                | '⚠'
        )
}

/// What `Buffer::set_line` does, with a fast path for spans made only of `single_cell`
/// characters (nearly all of a list row: names, dates, numbers, words, separators): one cell per
/// character, without the grapheme segmentation that was a fifth of a key's time. Other spans go
/// through ratatui's own path; a test compares the two.
pub fn set_line(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    y: u16,
    line: &ratatui::text::Line<'_>,
    max_width: u16,
) {
    let right = buf.area.right();
    let mut x = x;
    let mut remaining = max_width;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if text.chars().all(single_cell) {
            let room = remaining.min(right.saturating_sub(x));
            let mut used = 0u16;
            let mut utf8 = [0u8; 4];
            for c in text.chars().take(usize::from(room)) {
                if let Some(cell) = buf.cell_mut((x, y)) {
                    cell.set_symbol(c.encode_utf8(&mut utf8)).set_style(style);
                }
                x += 1;
                used += 1;
            }
            remaining -= used;
        } else {
            let (nx, _) = buf.set_stringn(x, y, text, usize::from(remaining), style);
            remaining = remaining.saturating_sub(nx.saturating_sub(x));
            x = nx;
        }
    }
}

/// Whether `s` is all printable ASCII (nothing to clean, one column per byte).
fn plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// `s` without characters that could upset the terminal (line breaks become spaces).
pub fn clean(s: &str) -> String {
    // Nearly every name and title needs nothing: copy it whole rather than char by char.
    if plain_ascii(s) || s.chars().all(single_cell) {
        return s.to_string();
    }
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
    if plain_ascii(s) {
        return s.len();
    }
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns; when cut, the last column is an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if plain_ascii(s) && s.len() <= max {
        return s.to_string();
    }
    // Nearly every list cell: one column per character and nothing to clean.
    if s.chars().all(single_cell) {
        if s.chars().count() <= max {
            return s.to_string();
        }
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        if max > 0 {
            out.push('…');
        }
        return out;
    }
    truncate_general(s, max)
}

/// [`truncate`] for any text: cleaned, measured by unicode-width, cut by columns.
fn truncate_general(s: &str, max: usize) -> String {
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
    fn the_one_column_fast_paths_cut_and_measure_as_the_general_ones() {
        let symbols: String = (0u32..0x3000)
            .filter_map(char::from_u32)
            .filter(|c| single_cell(*c))
            .collect();
        let samples = [
            "Malmö universitet · Besök i Åbo ✎ 2026-12-01 ›",
            "Łódź – Uniwersytet Łódzki • ⟳ ◆ ⚠",
            symbols.as_str(),
            "",
            "x",
        ];
        for s in samples {
            let n = s.chars().count();
            for max in 0..n + 3 {
                assert_eq!(truncate(s, max), truncate_general(s, max), "{s:?} at {max}");
            }
            assert_eq!(width(s), UnicodeWidthStr::width(s), "{s:?}");
        }
    }

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
    fn set_line_draws_what_ratatuis_own_does() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::{Color, Style};
        use ratatui::text::{Line, Span};
        let lines = [
            Line::from(vec![
                Span::raw("plain ascii "),
                Span::styled("Örebro 東京 🎓", Style::default().fg(Color::Red)),
                Span::raw(" x\u{7}y ~"),
            ]),
            Line::from(vec![
                Span::raw("Göteborgs universitet · Łódź │ 3↑│4→ …"),
                Span::raw("soft\u{AD}hyphen e\u{301} ✓✗⚑‼ ▸ —–"),
            ]),
            Line::from("a line far too long for the area it is drawn in, cut at its edge")
                .style(Style::default().bg(Color::Blue)),
            Line::from(vec![
                Span::raw("東京大学"),
                Span::raw("abcdefghijklmnopqrstuvwxyz"),
            ]),
            Line::from(""),
        ];
        for (x, w) in [(0u16, 30u16), (3, 20), (25, 40), (0, 0)] {
            let area = Rect::new(0, 0, 32, 5);
            let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
            for (y, l) in lines.iter().enumerate() {
                set_line(&mut ours, x, y as u16, l, w);
                theirs.set_line(x, y as u16, l, w);
            }
            assert_eq!(ours, theirs, "x {x} width {w}");
        }
    }

    #[test]
    fn every_single_cell_character_is_one_cell_as_ratatui_draws_it() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::text::Line;
        let all: String = (0u32..0x3000)
            .filter_map(char::from_u32)
            .filter(|c| single_cell(*c))
            .collect();
        let n = all.chars().count() as u16;
        assert!(n > 300, "{n}");
        let area = Rect::new(0, 0, n + 2, 1);
        let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
        let line = Line::from(all.as_str());
        set_line(&mut ours, 1, 0, &line, n + 1);
        theirs.set_line(1, 0, &line, n + 1);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn controls_never_pass() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202E}c\nd"), "a[2Jbc d");
        assert_eq!(truncate("x\u{7}y", 10), "xy");
    }
}
