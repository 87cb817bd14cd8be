//! Languages and language-aware text handling: the language enum, collation (sort order) and the
//! typed sv/en message catalogue of the interface ([`catalogue`]), and the words of the workspace's
//! integrity checks and repairs ([`integrity`]).

pub mod catalogue;
pub mod cli;
pub mod collate;
pub mod integrity;

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
