//! Languages and language-aware text handling, in both languages:
//!
//! | module | job |
//! |---|---|
//! | [`vocab`] | the one source of words for every enumerated value: labels, short forms, earlier labels, parsing |
//! | [`catalogue`] | the typed catalogue of fixed interface texts ([`catalogue::Msg`]), field and dataset labels |
//! | [`phrases`] | interface sentences with parts filled in (hints, empty panes, conflicts, rules, file errors) |
//! | [`counts`] | the plural rule of each language, counted messages, decimal numbers |
//! | [`dates`] | month and weekday names, ISO weeks, moments in the local time zone |
//! | [`values`] | what each added value covers |
//! | [`messages`] | what the command line says: the output of its commands |
//! | [`reasons`] | typed reasons in words: failures, refusals, denials, OS errors |
//! | [`keymap`] | keymap problems and warnings in words |
//! | [`integrity`] | the words of `spets check`, repairs and damaged-record notices |
//! | [`cli`], [`cli_errors`] | clap's help, usage, value parsers and errors in Swedish |
//! | [`collate`] | sorting in the language's order |

pub mod catalogue;
pub mod cli;
pub mod cli_errors;
pub mod collate;
pub mod counts;
pub mod dates;
pub mod integrity;
pub mod keymap;
pub mod messages;
pub mod phrases;
pub mod reasons;
pub mod values;
pub mod vocab;

use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    Sv,
}

impl Lang {
    pub fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "sv" | "svenska" | "swedish" => Some(Lang::Sv),
            _ => None,
        }
    }
    /// The default from the locale variables: `sv_*` (in LC_ALL, LC_MESSAGES or LANG, first set
    /// wins) is Swedish, anything else English.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.starts_with("sv") {
                    Lang::Sv
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }
    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Sv,
            Lang::Sv => Lang::En,
        }
    }
}
