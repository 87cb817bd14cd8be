//! Text for the terminal from the command line: whatever a user, a CSV file or a daemon put into a
//! message reaches the terminal only through here.
//!
//! Control characters (escape sequences: clear screen, OSC 52 clipboard writes, OSC 8 links,
//! window titles), bidi controls and every other character of
//! [`crate::domain::text::is_unsafe`] are printed as visible escapes (`\x1b`, `\u{202e}`) instead,
//! so a hostile cell shows up as harmless text. The TUI has its own cleaning in its widgets.

use crate::domain::text::is_unsafe;
use std::borrow::Cow;
use std::fmt::Write as _;

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) || keep(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// A message as it may be printed: line breaks and tabs stay, everything else unsafe is escaped.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, |c| c == '\n' || c == '\t')
}

/// A value inside a one-line message: line breaks and tabs are escaped too, so a value cannot
/// start a line of its own.
pub fn inline(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

/// Print a line to standard output, made visible.
pub fn say(s: &str) {
    println!("{}", visible(s));
}

/// Print a line to standard error, made visible.
pub fn warn(s: &str) {
    eprintln!("{}", visible(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_text() {
        let hostile =
            "Acme\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;http://x\u{1b}\\link\u{9b}0m\u{202e}";
        let v = visible(hostile);
        assert!(!v.chars().any(|c| c.is_control()), "{v}");
        assert_eq!(
            v,
            "Acme\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x1b]8;;http://x\\x1b\\link\\x9b0m\\u{202e}"
        );
        assert_eq!(visible("two\nlines"), "two\nlines");
        assert_eq!(inline("two\nlines"), "two\\x0alines");
        assert!(matches!(visible("Göteborg"), Cow::Borrowed(_)));
    }
}
