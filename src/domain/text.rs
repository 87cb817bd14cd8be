//! Cleaning of user text at the data boundary.
//!
//! Everything a user, a CSV file or a client sends is cleaned before it is validated and stored, so no
//! stored string can move the cursor, reorder text (bidi overrides) or hide characters (zero-width) when
//! it is drawn later.

/// True for characters that must never reach a terminal from user data: control characters (C0,
/// DEL and C1, which hold the escape sequences), every Default_Ignorable_Code_Point of Unicode
/// (zero-width characters, bidi controls, the soft hyphen, U+061C, variation selectors, tag
/// characters, the Hangul fillers, …: ICU's table of the property, not a hand-made list), the
/// line and paragraph separators, and the interlinear annotation marks.
pub fn is_unsafe(c: char) -> bool {
    use icu_properties::{CodePointSetData, props::DefaultIgnorableCodePoint};
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}')
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

/// One line of text: control characters and invisible formatting removed, tabs and newlines become
/// spaces, surrounding whitespace trimmed.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        } else if !is_unsafe(c) {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Multi-line text (note bodies, descriptions): like [`clean_line`] but keeps line breaks (normalised
/// to `\n`) and expands tabs to four spaces; trailing whitespace is trimmed.
pub fn clean_multiline(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\r' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out.trim_end().to_string()
}

/// Clean every entry of a list of lines and drop the empty ones.
pub fn clean_list(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| clean_line(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Lower-case and strip diacritics so that "ore" finds "Örebro" and "mu" finds "München".
/// Used for search keys; not for display.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// [`fold`] into `out` (cleared first), so a loop over many texts reuses one buffer.
pub fn fold_into(out: &mut String, s: &str) {
    out.clear();
    for c in s.chars() {
        for l in c.to_lowercase() {
            out.push(match l {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
                'ñ' | 'ń' | 'ň' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
                'ý' | 'ÿ' => 'y',
                'ś' | 'š' | 'ș' | 'ş' => 's',
                'ź' | 'ż' | 'ž' => 'z',
                'ł' => 'l',
                'ř' => 'r',
                'ț' | 'ţ' | 'ť' => 't',
                'ď' | 'đ' => 'd',
                'ß' => 's',
                'æ' => 'a',
                c => c,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_controls_and_bidi() {
        assert_eq!(
            clean_line("  a\u{1b}[2Jb\u{202E}c\u{200B}d\t e "),
            "a[2Jbcd  e"
        );
        assert_eq!(clean_multiline("x\r\ny\u{7}\n\tz  \n"), "x\ny\n    z");
        assert_eq!(
            clean_list(&["  ".into(), " a ".into()]),
            vec!["a".to_string()]
        );
    }

    #[test]
    fn strips_every_default_ignorable_code_point() {
        // Soft hyphen, Arabic letter mark, a tag character, Hangul fillers, a variation selector,
        // the word joiner, and a C1 control (CSI).
        let s =
            "A\u{AD}c\u{61C}m\u{E0041}e\u{115F}\u{1160}\u{3164}\u{FFA0}\u{FE0F}\u{2060}\u{9B}2J";
        assert_eq!(clean_line(s), "Acme2J");
        assert_eq!(clean_line("Göteborg 日本 ❤"), "Göteborg 日本 ❤");
    }

    #[test]
    fn folds_diacritics() {
        assert_eq!(fold("Örebro"), "orebro");
        assert!(fold("Örebro universitet").contains(&fold("öre")));
        assert!(fold("Örebro").contains("ore"));
        assert_eq!(fold("MÜNCHEN"), "munchen");
        assert_eq!(fold("東京大学"), "東京大学");
    }
}
