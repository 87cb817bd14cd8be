//! Counted messages: every number with a noun goes through one plural rule per language
//! ([`plural_en`], [`plural_sv`]), so that 0, 1 and many read right everywhere ("1 rad", "0 rader",
//! "1 row", "2 rows"). Decimal numbers follow the language too ([`decimal`]).

use super::Lang;

/// Which form of a noun a number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    One,
    Other,
}

/// English: "1 row", "0 rows", "2 rows".
pub fn plural_en(n: u64) -> Form {
    if n == 1 { Form::One } else { Form::Other }
}

/// Swedish: "1 rad", "0 rader", "2 rader" (one and other, as in English; nouns such as "avtal"
/// and "partner" have the same form for both).
pub fn plural_sv(n: u64) -> Form {
    if n == 1 { Form::One } else { Form::Other }
}

/// The plural rule of `lang`.
pub fn plural(lang: Lang, n: u64) -> Form {
    match lang {
        Lang::En => plural_en(n),
        Lang::Sv => plural_sv(n),
    }
}

macro_rules! nouns {
    ($( $(#[$m:meta])* $name:ident => ($en1:literal, $en2:literal), ($sv1:literal, $sv2:literal); )*) => {
        /// Things counted anywhere in spets, with their singular and plural forms.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Noun { $( $(#[$m])* $name, )* }

        impl Noun {
            /// Every noun (for the tests).
            pub const ALL: &'static [Noun] = &[ $( Noun::$name, )* ];

            /// (singular, plural) in `lang`.
            pub fn forms(self, lang: Lang) -> (&'static str, &'static str) {
                match (self, lang) {
                    $(
                        (Noun::$name, Lang::En) => ($en1, $en2),
                        (Noun::$name, Lang::Sv) => ($sv1, $sv2),
                    )*
                }
            }
        }
    };
}

nouns! {
    Partner => ("partner", "partners"), ("partner", "partner");
    Agreement => ("agreement", "agreements"), ("avtal", "avtal");
    Contact => ("contact", "contacts"), ("kontakt", "kontakter");
    Activity => ("activity", "activities"), ("aktivitet", "aktiviteter");
    Assessment => ("assessment", "assessments"), ("bedömning", "bedömningar");
    Note => ("note", "notes"), ("anteckning", "anteckningar");
    ActionItem => ("action item", "action items"), ("åtgärdspunkt", "åtgärdspunkter");
    Goal => ("goal", "goals"), ("mål", "mål");
    Row => ("row", "rows"), ("rad", "rader");
    /// Records of the workspace (check, restore, damaged records).
    Record => ("record", "records"), ("post", "poster");
    /// Entries of a backup (records, index entries, counters).
    Entry => ("entry", "entries"), ("post", "poster");
    Tree => ("tree", "trees"), ("träd", "träd");
    Byte => ("byte", "bytes"), ("byte", "byte");
    Problem => ("problem", "problems"), ("problem", "problem");
    Warning => ("warning", "warnings"), ("varning", "varningar");
    /// Kinds of activity (the diversity check of the strategic profile).
    Kind => ("kind", "kinds"), ("slag", "slag");
    /// Added values (the mutual-benefit check).
    Value => ("value", "values"), ("värde", "värden");
    Faculty => ("faculty", "faculties"), ("fakultet", "fakulteter");
    Month => ("month", "months"), ("månad", "månader");
    Column => ("column", "columns"), ("kolumn", "kolumner");
}

/// The form of `noun` for `n` in `lang`, without the number.
pub fn noun(lang: Lang, n: u64, noun: Noun) -> &'static str {
    let (one, other) = noun.forms(lang);
    match plural(lang, n) {
        Form::One => one,
        Form::Other => other,
    }
}

/// "1 activity", "3 activities", "1 aktivitet", "3 aktiviteter".
pub fn count(lang: Lang, n: usize, what: Noun) -> String {
    let n = n as u64;
    format!("{n} {}", noun(lang, n, what))
}

/// A decimal number with `places` decimals, with a decimal comma in Swedish ("2,5") and a point
/// in English ("2.5"). CSV files keep their dialect's own rule (see `crate::csvio`).
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match lang {
        Lang::En => s,
        Lang::Sv => s.replace('.', ","),
    }
}

/// The start-up notice with the overview's counts (renewals, meetings overdue, evaluations due,
/// goals without follow-up, upcoming activities, action items due), and where to see them. The
/// renewals say how many are due and ended and name the first partner. Only the groups with
/// something in them are named, so the line fits a narrow terminal.
pub fn overview_notice(
    lang: Lang,
    c: &[usize; 6],
    renewals: Option<(usize, usize, &str)>,
) -> String {
    let words: [&str; 6] = match lang {
        Lang::En => [
            "renewals",
            "meetings overdue",
            "evaluations due",
            "goals without follow-up",
            "activities",
            "action items",
        ],
        Lang::Sv => [
            "förnyelser",
            "försenade möten",
            "utvärderingar",
            "mål utan uppföljning",
            "aktiviteter",
            "åtgärdspunkter",
        ],
    };
    let mut parts: Vec<String> = words
        .iter()
        .zip(c)
        .filter(|(_, n)| **n > 0)
        .map(|(w, n)| format!("{w} {n}"))
        .collect();
    if let Some((due, expired, first)) = renewals
        && c[0] > 0
    {
        parts[0] = match lang {
            Lang::En => {
                format!("{due} due for renewal, {expired} ended ({first}…; ! ‼ in Partners)")
            }
            Lang::Sv => {
                format!("{due} ska förnyas, {expired} har gått ut ({first}…; ! ‼ i Partner)")
            }
        };
    }
    let head = match lang {
        Lang::En => "Overview (5)",
        Lang::Sv => "Översikt (5)",
    };
    format!("{head}: {}", parts.join(" · "))
}

/// "Exported 1 row to PATH" / "Exporterade 3 rader till PATH".
pub fn export_done(lang: Lang, rows: usize, path: &str) -> String {
    let what = count(lang, rows, Noun::Row);
    match lang {
        Lang::En => format!("Exported {what} to {path}"),
        Lang::Sv => format!("Exporterade {what} till {path}"),
    }
}

/// Rows written so far (the progress line of an export).
pub fn rows_so_far(lang: Lang, rows: usize, total: Option<usize>) -> String {
    match (lang, total) {
        (Lang::En, Some(t)) => format!("{rows} of {}", count(lang, t, Noun::Row)),
        (Lang::Sv, Some(t)) => format!("{rows} av {}", count(lang, t, Noun::Row)),
        (_, None) => count(lang, rows, Noun::Row),
    }
}

/// The notice after an import: "Imported 3 partners; 1 row with problems was skipped."
pub fn import_done(lang: Lang, written: usize, what: Noun, skipped: usize) -> String {
    let done = count(lang, written, what);
    let rows = count(lang, skipped, Noun::Row);
    match (lang, skipped, plural(lang, skipped as u64)) {
        (Lang::En, 0, _) => format!("Imported {done}."),
        (Lang::Sv, 0, _) => format!("Importerade {done}."),
        (Lang::En, _, Form::One) => format!("Imported {done}; {rows} with problems was skipped."),
        (Lang::En, _, Form::Other) => {
            format!("Imported {done}; {rows} with problems were skipped.")
        }
        (Lang::Sv, _, _) => format!("Importerade {done}; {rows} med fel hoppades över."),
    }
}

/// The dry-run summary: "12 rows read, 11 valid, 1 with problems."
pub fn import_checked(lang: Lang, rows: usize, valid: usize) -> String {
    let bad = rows.saturating_sub(valid);
    let read = count(lang, rows, Noun::Row);
    match lang {
        Lang::En => format!("{read} read, {valid} valid, {bad} with problems."),
        Lang::Sv => {
            // The adjectives agree with the number: "1 rad läst, 1 giltig", "2 rader lästa".
            let (read_adj, valid_adj) = match (plural_sv(rows as u64), plural_sv(valid as u64)) {
                (Form::One, Form::One) => ("läst", "giltig"),
                (Form::One, Form::Other) => ("läst", "giltiga"),
                (Form::Other, Form::One) => ("lästa", "giltig"),
                (Form::Other, Form::Other) => ("lästa", "giltiga"),
            };
            format!("{read} {read_adj}, {valid} {valid_adj}, {bad} med fel.")
        }
    }
}

/// Every counted message of spets, each with the noun its number counts: the sweep test calls
/// each with 0, 1, 2 and 5 and checks the noun's form.
#[cfg(test)]
#[allow(clippy::type_complexity)]
pub(crate) fn counted_messages() -> Vec<(&'static str, Noun, Box<dyn Fn(Lang, usize) -> String>)> {
    use super::{integrity, messages as m};
    vec![
        (
            "count",
            Noun::Activity,
            Box::new(|l, n| count(l, n, Noun::Activity)),
        ),
        (
            "export_done",
            Noun::Row,
            Box::new(|l, n| export_done(l, n, "/x.csv")),
        ),
        (
            "rows_so_far",
            Noun::Row,
            Box::new(|l, n| rows_so_far(l, 0, Some(n))),
        ),
        (
            "import_done",
            Noun::Partner,
            Box::new(|l, n| import_done(l, n, Noun::Partner, 0)),
        ),
        (
            "import_done_skipped",
            Noun::Row,
            Box::new(|l, n| import_done(l, 3, Noun::Activity, n)),
        ),
        (
            "import_checked",
            Noun::Row,
            Box::new(|l, n| import_checked(l, n, 0)),
        ),
        (
            "damaged_notice",
            Noun::Record,
            Box::new(integrity::damaged_notice),
        ),
        (
            "check_problems",
            Noun::Problem,
            Box::new(|l, n| m::problems_found(l, n, "/ws")),
        ),
        (
            "more_import_problems",
            Noun::Problem,
            Box::new(|l, n| m::more_import_problems(l, n, 1000)),
        ),
        (
            "keymap_problems",
            Noun::Problem,
            Box::new(|l, n| m::keymap_problems(l, n, "k.toml")),
        ),
        (
            "restored",
            Noun::Entry,
            Box::new(|l, n| m::restored(l, n, "f", "d")),
        ),
        (
            "backup_entries",
            Noun::Entry,
            Box::new(|l, n| m::backup_written(l, "f", n, 2, 100, 0)),
        ),
        (
            "backup_trees",
            Noun::Tree,
            Box::new(|l, n| m::backup_written(l, "f", 1, n, 100, 0)),
        ),
        (
            "backup_bytes",
            Noun::Byte,
            Box::new(|l, n| m::backup_written(l, "f", 1, 2, n, 0)),
        ),
        (
            "remote_backup",
            Noun::Byte,
            Box::new(|l, n| m::remote_backup_written(l, "s", "f", n)),
        ),
        (
            "demo_partners",
            Noun::Partner,
            Box::new(|l, n| m::demo_written(l, "d", 1.5, &[n, 1, 1, 1, 1, 1])),
        ),
        (
            "demo_notes",
            Noun::Note,
            Box::new(|l, n| m::demo_written(l, "d", 1.5, &[1, 1, 1, 1, 1, n])),
        ),
        (
            "diverse",
            Noun::Kind,
            Box::new(|l, n| {
                super::phrases::profile_check(
                    l,
                    crate::service::ProfileCheck::DiverseActivities { kinds: n },
                )
            }),
        ),
        (
            "mutual",
            Noun::Value,
            Box::new(|l, n| {
                super::phrases::profile_check(
                    l,
                    crate::service::ProfileCheck::MutualBenefit {
                        values: n,
                        partner_values: Some(n),
                    },
                )
            }),
        ),
        (
            "university_wide",
            Noun::Faculty,
            Box::new(|l, n| {
                super::phrases::profile_check(
                    l,
                    crate::service::ProfileCheck::UniversityWide { faculties: n },
                )
            }),
        ),
        (
            "long_term",
            Noun::Month,
            Box::new(|l, n| {
                super::phrases::profile_check(
                    l,
                    crate::service::ProfileCheck::LongTermAgreement {
                        longest_months: u32::try_from(n).ok(),
                        open_ended: false,
                    },
                )
            }),
        ),
        (
            "import_progress_checking",
            Noun::Row,
            Box::new(m::import_checking),
        ),
        (
            "import_progress_writing",
            Noun::Row,
            Box::new(|l, n| m::import_writing(l, 0, n)),
        ),
        (
            "ignored_columns",
            Noun::Column,
            Box::new(|l, n| m::ignored_columns(l, &vec!["x".to_string(); n])),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counted_message_takes_the_right_form_for_0_1_2_and_5() {
        for (name, what, message) in counted_messages() {
            for lang in [Lang::En, Lang::Sv] {
                for n in [0usize, 1, 2, 5] {
                    let text = message(lang, n);
                    // "Imported 3 activities." says nothing about 0 skipped rows, rightly.
                    if n == 0 && name.ends_with("_skipped") {
                        continue;
                    }
                    let (one, other) = what.forms(lang);
                    let want = format!("{n} {}", if n == 1 { one } else { other });
                    assert!(
                        text.contains(&want),
                        "{name} {lang:?} {n}: {text:?} lacks {want:?}"
                    );
                    if one != other {
                        let wrong = format!("{n} {}", if n == 1 { other } else { one });
                        let wrong_alone = !text.contains(&format!("{wrong} "))
                            && !text.ends_with(&wrong)
                            && !text.contains(&format!("{wrong},"))
                            && !text.contains(&format!("{wrong}."))
                            && !text.contains(&format!("{wrong};"));
                        assert!(wrong_alone, "{name} {lang:?} {n}: {text:?}");
                    }
                    assert!(!text.contains("(s)"), "{name}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn plurals_and_decimals() {
        assert_eq!(count(Lang::Sv, 1, Noun::Activity), "1 aktivitet");
        assert_eq!(count(Lang::Sv, 3, Noun::Activity), "3 aktiviteter");
        assert_eq!(count(Lang::En, 0, Noun::Note), "0 notes");
        assert_eq!(
            export_done(Lang::Sv, 0, "/x.csv"),
            "Exporterade 0 rader till /x.csv"
        );
        assert_eq!(
            import_checked(Lang::Sv, 1, 1),
            "1 rad läst, 1 giltig, 0 med fel."
        );
        assert_eq!(
            import_done(Lang::Sv, 2, Noun::Activity, 3),
            "Importerade 2 aktiviteter; 3 rader med fel hoppades över."
        );
        assert_eq!(decimal(Lang::Sv, 2.5, 1), "2,5");
        assert_eq!(decimal(Lang::En, 2.5, 1), "2.5");
    }
}

/// How often a governed meeting is expected: "every 3 months", "every month"; "var 3:e månad",
/// "var 2:a månad", "varje månad".
pub fn every_months(lang: Lang, n: u8) -> String {
    match (lang, n) {
        (Lang::En, 1) => "every month".into(),
        (Lang::En, n) => format!("every {n} months"),
        (Lang::Sv, 1) => "varje månad".into(),
        (Lang::Sv, n) => {
            // Swedish ordinals: 2:a, 21:a, 22:a but 11:e, 12:e; all others :e.
            let a = matches!(n % 10, 1 | 2) && !matches!(n % 100, 11 | 12);
            format!("var {n}:{} månad", if a { "a" } else { "e" })
        }
    }
}

#[cfg(test)]
mod every_tests {
    use super::*;

    #[test]
    fn rhythms_read_right_in_both_languages() {
        assert_eq!(every_months(Lang::En, 1), "every month");
        assert_eq!(every_months(Lang::En, 3), "every 3 months");
        assert_eq!(every_months(Lang::Sv, 1), "varje månad");
        assert_eq!(every_months(Lang::Sv, 2), "var 2:a månad");
        assert_eq!(every_months(Lang::Sv, 3), "var 3:e månad");
        assert_eq!(every_months(Lang::Sv, 12), "var 12:e månad");
        assert_eq!(every_months(Lang::Sv, 22), "var 22:a månad");
    }
}
