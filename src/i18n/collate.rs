//! Sort keys that follow the language: in Swedish å, ä and ö are letters of their own after z; in
//! English they sort with a and o. Case and other accents only break ties.

use super::Lang;

/// A key that sorts `s` in the order of `lang` when compared bytewise. The original string is
/// appended after a separator so that keys are unique and ties are stable.
pub fn sort_key(lang: Lang, s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        for l in c.to_lowercase() {
            let mapped = match (lang, l) {
                (Lang::Sv, 'å') => '\u{7b}',
                (Lang::Sv, 'ä' | 'æ') => '\u{7c}',
                (Lang::Sv, 'ö' | 'ø') => '\u{7d}',
                (Lang::Sv, 'ü') => 'y',
                _ => crate::domain::text::fold(&l.to_string())
                    .chars()
                    .next()
                    .unwrap_or(l),
            };
            if mapped.is_alphanumeric() || ('\u{7b}'..='\u{7d}').contains(&mapped) || mapped == ' '
            {
                out.push(mapped);
            }
        }
    }
    out.push('\u{0}');
    out.push_str(s);
    out
}

/// Compare two strings in the order of `lang`.
pub fn compare(lang: Lang, a: &str, b: &str) -> std::cmp::Ordering {
    sort_key(lang, a).cmp(&sort_key(lang, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_and_english_orders() {
        let mut v = vec![
            "Örebro",
            "Zürich",
            "Aalto",
            "Ängelholm",
            "Oslo",
            "Åbo",
            "azur",
        ];
        v.sort_by(|a, b| compare(Lang::Sv, a, b));
        assert_eq!(
            v,
            [
                "Aalto",
                "azur",
                "Oslo",
                "Zürich",
                "Åbo",
                "Ängelholm",
                "Örebro"
            ]
        );
        v.sort_by(|a, b| compare(Lang::En, a, b));
        assert_eq!(
            v,
            [
                "Aalto",
                "Åbo",
                "Ängelholm",
                "azur",
                "Örebro",
                "Oslo",
                "Zürich"
            ]
        );
    }
}
