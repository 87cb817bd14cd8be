//! clap's errors in Swedish, through clap's own hook: an [`ErrorFormatter`] that reads the
//! error's kind and context (never its English text).

use super::Lang;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};

/// clap's error formatter for a Swedish session: the common errors (unknown subcommand or
/// argument, missing argument or subcommand, invalid value) in Swedish, with the usage line and
/// a pointer to `--help`.
pub struct SwedishErrors;

fn quoted(v: Option<&ContextValue>) -> String {
    match v {
        Some(ContextValue::String(s)) => format!("'{s}'"),
        Some(ContextValue::Strings(v)) => v
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::StyledStr(s)) => format!("'{}'", s.to_string().trim()),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| format!("'{}'", s.to_string().trim()))
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl ErrorFormatter for SwedishErrors {
    fn format_error(error: &clap::error::Error<Self>) -> clap::builder::StyledStr {
        let get = |k| quoted(error.get(k));
        let message = match error.kind() {
            ErrorKind::InvalidSubcommand => {
                format!("okänt kommando {}", get(ContextKind::InvalidSubcommand))
            }
            ErrorKind::UnknownArgument => {
                format!("okänt argument {}", get(ContextKind::InvalidArg))
            }
            ErrorKind::MissingRequiredArgument => format!(
                "argument som krävs saknas: {}",
                get(ContextKind::InvalidArg)
            ),
            ErrorKind::MissingSubcommand => format!(
                "{} behöver ett kommando",
                get(ContextKind::InvalidSubcommand)
            ),
            ErrorKind::InvalidValue => {
                let value = get(ContextKind::InvalidValue);
                let value = if value.is_empty() {
                    "''".to_string()
                } else {
                    value
                };
                let mut m = format!(
                    "ogiltigt värde {value} för {}",
                    get(ContextKind::InvalidArg)
                );
                let valid = get(ContextKind::ValidValue);
                if !valid.is_empty() {
                    m.push_str(&format!("; möjliga värden: {valid}"));
                }
                m
            }
            ErrorKind::ValueValidation => {
                let why = std::error::Error::source(error)
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                format!(
                    "ogiltigt värde {} för {}: {why}",
                    get(ContextKind::InvalidValue),
                    get(ContextKind::InvalidArg)
                )
            }
            ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
                format!("fel antal värden för {}", get(ContextKind::InvalidArg))
            }
            ErrorKind::ArgumentConflict => format!(
                "{} kan inte användas tillsammans med {}",
                get(ContextKind::InvalidArg),
                get(ContextKind::PriorArg)
            ),
            ErrorKind::NoEquals => format!(
                "{} behöver ett värde efter likhetstecken",
                get(ContextKind::InvalidArg)
            ),
            ErrorKind::InvalidUtf8 => "ett argument är inte giltig UTF-8".to_string(),
            _ => "kommandoraden kan inte tolkas".to_string(),
        };
        let mut out = format!("{} {message}\n", super::messages::error_prefix(Lang::Sv));
        let suggested = get(ContextKind::SuggestedSubcommand);
        if !suggested.is_empty() {
            out.push_str(&format!("\n  tips: menade du {suggested}?\n"));
        }
        let suggested = get(ContextKind::SuggestedArg);
        if !suggested.is_empty() {
            out.push_str(&format!("\n  tips: menade du {suggested}?\n"));
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.to_string();
            let usage = usage.trim().trim_start_matches("Usage:").trim();
            out.push_str(&format!("\nAnvändning: {usage}\n"));
        }
        out.push_str("\nMer information: prova '--help'.\n");
        out.into()
    }
}
