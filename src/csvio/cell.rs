//! Cell-level rules: the formula guard and multi-value lists.

/// The separator between the items of a multi-value cell (formats, faculties, partners, …).
pub const LIST_SEPARATOR: &str = " | ";

/// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
}

/// A plain number such as `-12`, `+46` or `-3.5` / `-3,5`: a spreadsheet reads it as a number,
/// never as a formula, so it is left alone.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, ['.', ',']);
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a text cell needs the guard apostrophe: it starts with a formula trigger (and is not a
/// plain number), or it starts with apostrophes followed by a trigger (so that [`unguard`] gives back
/// exactly the original text).
pub fn needs_guard(s: &str) -> bool {
    let rest = s.trim_start_matches('\'');
    match rest.chars().next() {
        Some(c) if is_trigger(c) => rest.len() != s.len() || !is_plain_number(s),
        _ => false,
    }
}

/// Undo the guard on a cell read from an Excel-dialect file.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

/// Join items with [`LIST_SEPARATOR`]. A `|` or `\` inside an item is escaped with a backslash so
/// that [`split_list`] gives back the same items.
pub fn join_list<S: AsRef<str>>(out: &mut String, items: &[S]) {
    for (i, item) in items.iter().enumerate() {
        push_item(out, i == 0, item.as_ref());
    }
}

/// Append one item of a list cell (see [`join_list`]).
pub(crate) fn push_item(out: &mut String, first: bool, item: &str) {
    if !first {
        out.push_str(LIST_SEPARATOR);
    }
    if item.contains(['|', '\\']) {
        for c in item.chars() {
            if c == '|' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    } else {
        out.push_str(item);
    }
}

/// Split a multi-value cell on `|` (spaces around items are trimmed, empty items dropped);
/// `\|` and `\\` stand for `|` and `\`.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => cur.push(n),
                None => cur.push('\\'),
            },
            '|' => {
                let t = cur.trim();
                if !t.is_empty() {
                    out.push(t.to_string());
                }
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_rules() {
        for s in [
            "=1+2",
            "+SUM(A1)",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1)",
            "\tx",
            "\rx",
            "\nx",
            "'=x",
            "''-x",
        ] {
            assert!(needs_guard(s), "{s:?}");
            let guarded = format!("'{s}");
            assert_eq!(unguard(&guarded), s);
        }
        for s in [
            "", "-5", "+46", "-3.5", "-3,5", "abc", "'abc", "a=b", "Örebro", "-",
        ] {
            assert_eq!(needs_guard(s), s == "-", "{s:?}");
            if s != "-" {
                assert_eq!(unguard(s), s);
            }
        }
    }

    #[test]
    fn lists_round_trip() {
        let items = vec![
            "a|b".to_string(),
            "c\\d".into(),
            "Göteborg".into(),
            "x".into(),
        ];
        let mut s = String::new();
        join_list(&mut s, &items);
        assert_eq!(s, "a\\|b | c\\\\d | Göteborg | x");
        assert_eq!(split_list(&s), items);
        assert!(split_list("").is_empty());
        assert_eq!(split_list(" a |b| "), vec!["a", "b"]);
    }
}
