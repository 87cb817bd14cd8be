//! Sorting that follows the language, with ICU4X's collator (`icu_collator`, compiled-in CLDR
//! data): in Swedish å, ä and ö are letters of their own after z (and ü sorts as y); in English
//! they sort with a and o. Case and accents only break ties.

use super::Lang;
use icu_collator::{Collator, CollatorBorrowed, options::CollatorOptions};
use icu_locale::locale;
use std::cmp::Ordering;
use std::sync::OnceLock;

/// One collator per language, made once (they are immutable and cheap to share).
fn collator(lang: Lang) -> Option<&'static CollatorBorrowed<'static>> {
    static SV: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    static EN: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    let (cell, loc) = match lang {
        Lang::Sv => (&SV, locale!("sv")),
        Lang::En => (&EN, locale!("en")),
    };
    cell.get_or_init(|| Collator::try_new(loc.into(), CollatorOptions::default()).ok())
        .as_ref()
}

/// A byte string that sorts like `s` in the order of `lang` (for sorting many strings: computing
/// each key once is cheaper than comparing pairs).
pub fn sort_key(lang: Lang, s: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(s.len() * 2);
    match collator(lang) {
        Some(c) => {
            let _ = c.write_sort_key_to(s, &mut key);
        }
        None => key.extend_from_slice(fallback_key(lang, s).as_bytes()),
    }
    key
}

/// Compare two strings in the order of `lang`.
pub fn compare(lang: Lang, a: &str, b: &str) -> Ordering {
    match collator(lang) {
        Some(c) => c.compare(a, b).then_with(|| a.cmp(b)),
        // The data is compiled in, so this is not expected; keep a sane order anyway.
        None => fallback_key(lang, a).cmp(&fallback_key(lang, b)),
    }
}

/// A key that sorts `s` roughly in the order of `lang` when compared bytewise, used only if the
/// collator cannot be made.
fn fallback_key(lang: Lang, s: &str) -> String {
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
        assert!(fallback_key(Lang::Sv, "Åbo") > fallback_key(Lang::Sv, "Zürich"));
        for lang in [Lang::Sv, Lang::En] {
            let mut by_key = v.clone();
            by_key.sort_by_key(|s| sort_key(lang, s));
            let mut by_cmp = v.clone();
            by_cmp.sort_by(|a, b| compare(lang, a, b));
            assert_eq!(by_key, by_cmp, "{lang:?}");
        }
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
