//! Dates and times as people read them: chrono's localised month and weekday names (`sv_SE`,
//! `en_GB`), ISO weeks ("v. 48"), and moments in the local time zone.

use super::Lang;
use super::catalogue::{Msg, t};
use chrono::{Datelike, NaiveDate};

fn locale(lang: Lang) -> chrono::Locale {
    match lang {
        Lang::En => chrono::Locale::en_GB,
        Lang::Sv => chrono::Locale::sv_SE,
    }
}

/// "November 2026" / "november 2026".
pub fn month_year(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%B %Y", locale(lang)).to_string()
}

/// "Nov" / "nov" (for chart labels).
pub fn month_short(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%b", locale(lang))
        .to_string()
        .trim_end_matches('.')
        .to_string()
}

/// "Sat" / "lör".
pub fn weekday_short(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%a", locale(lang)).to_string()
}

/// "w. 48" / "v. 48": the ISO week.
pub fn week(lang: Lang, d: NaiveDate) -> String {
    format!("{} {}", t(lang, Msg::Week), d.iso_week().week())
}

/// How a moment reads: "28 Nov 2026, 21:14" (British English) / "2026-11-28 kl. 21.14" (the
/// Swedish convention: ISO date, "kl." and a period between hours and minutes).
fn moment_pattern(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "%-d %b %Y, %H:%M",
        Lang::Sv => "%Y-%m-%d kl. %H.%M",
    }
}

/// A moment in the user's local time zone, in the language's own format. Never raw UTC.
pub fn moment(lang: Lang, at: crate::domain::Timestamp) -> String {
    let local = at.to_datetime().with_timezone(&chrono::Local);
    local
        .format_localized(moment_pattern(lang), locale(lang))
        .to_string()
}

/// A local date and time read from a draft's or log's `YYYY-MM-DD HH:MM`, in the language's
/// format (the text itself when it does not parse).
pub fn local_minute(lang: Lang, text: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M") {
        Ok(t) => t
            .and_utc()
            .format_localized(moment_pattern(lang), locale(lang))
            .to_string(),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_weeks_and_moments() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        assert_eq!(month_year(Lang::Sv, d), "november 2026");
        assert_eq!(month_year(Lang::En, d), "November 2026");
        assert_eq!(week(Lang::Sv, d), "v. 48");
        assert_eq!(week(Lang::En, d), "w. 48");
        assert_eq!(
            local_minute(Lang::Sv, "2026-11-28 09:05"),
            "2026-11-28 kl. 09.05"
        );
        assert_eq!(
            local_minute(Lang::En, "2026-11-28 09:05"),
            "28 Nov 2026, 09:05"
        );
        let at = crate::domain::Timestamp(1_795_000_000_000);
        assert!(!moment(Lang::Sv, at).contains('Z'));
    }
}
