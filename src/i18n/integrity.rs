//! What `spets check`, `check --repair`, `restore` and the damaged-record notices say, in both
//! languages. Built on the client from structured findings, so a daemon never sends prose.

use super::Lang;
use crate::store::check::{Finding, RepairStep};

/// One finding of `spets check` as a sentence.
pub fn finding(lang: Lang, f: &Finding) -> String {
    let sv = lang == Lang::Sv;
    match f {
        Finding::Schema { found, expected } => match (found, sv) {
            (Some(v), false) => format!("the schema version is {v}; this spets writes {expected}"),
            (Some(v), true) => format!("schemaversionen är {v}; den här spets skriver {expected}"),
            (None, false) => "the schema-version key is missing".into(),
            (None, true) => "nyckeln för schemaversion saknas".into(),
        },
        Finding::Undecodable { tree, key, why } => {
            if sv {
                format!(
                    "{tree}-posten {key} kan inte läsas ({why}); `spets check --repair` flyttar den till karantän"
                )
            } else {
                format!(
                    "{tree} record {key} cannot be read ({why}); `spets check --repair` moves it to quarantine"
                )
            }
        }
        Finding::OverLimit {
            tree,
            id,
            field,
            rule,
        } => {
            let r = super::catalogue::rule(lang, rule);
            if sv {
                format!(
                    "{tree} {id}, fältet {field}: {r}; `spets check --repair` flyttar posten till karantän"
                )
            } else {
                format!(
                    "{tree} {id}, field {field}: {r}; `spets check --repair` moves the record to quarantine"
                )
            }
        }
        Finding::WrongKey { tree, id, key } => {
            if sv {
                format!("{tree} {id} ligger under nyckeln {key}")
            } else {
                format!("{tree} {id} is stored under key {key}")
            }
        }
        Finding::VersionZero { tree, id } => {
            if sv {
                format!("{tree} {id} har version 0 (versioner börjar på 1)")
            } else {
                format!("{tree} {id} has version 0 (versions start at 1)")
            }
        }
        Finding::UpdatedBeforeCreated { tree, id } => {
            if sv {
                format!("{tree} {id} ändrades innan den skapades")
            } else {
                format!("{tree} {id} was updated before it was created")
            }
        }
        Finding::StrayIndex { tree, key } => {
            if sv {
                format!("{tree} har posten {key} som ingen post förklarar")
            } else {
                format!("{tree} has an entry {key} that no record explains")
            }
        }
        Finding::MissingIndex { tree, key } => {
            if sv {
                format!("{tree} saknar posten {key}")
            } else {
                format!("{tree} lacks the entry {key}")
            }
        }
        Finding::CounterBehind {
            counter,
            stored,
            needed,
        } => {
            if sv {
                format!(
                    "räknaren {counter} står på {stored} men arbetsytan använder redan {needed}; nya poster skulle skriva över gamla. `spets check --repair` höjer den"
                )
            } else {
                format!(
                    "the {counter} counter is {stored}, but the workspace already uses {needed}; new records would overwrite old ones. `spets check --repair` raises it"
                )
            }
        }
        Finding::CountMismatch {
            kind,
            stored,
            actual,
        } => {
            if sv {
                format!("antalet {kind}-poster är sparat som {stored}, men trädet har {actual}")
            } else {
                format!("the {kind} count says {stored} records, the tree holds {actual}")
            }
        }
    }
}

/// One step of a repair as a sentence.
pub fn repair_step(lang: Lang, s: &RepairStep) -> String {
    let sv = lang == Lang::Sv;
    match s {
        RepairStep::Quarantined { tree, key, why } => {
            if sv {
                format!("{tree}-posten {key} flyttades till karantän ({why})")
            } else {
                format!("{tree} record {key} moved to quarantine ({why})")
            }
        }
        RepairStep::IndexRebuilt {
            tree,
            removed,
            added,
        } => {
            if sv {
                format!("indexet {tree} byggdes om: {removed} borttagna, {added} tillagda")
            } else {
                format!("index {tree} rebuilt: {removed} removed, {added} added")
            }
        }
        RepairStep::CounterRaised { counter, from, to } => {
            if sv {
                format!("räknaren {counter} höjdes från {from} till {to}")
            } else {
                format!("the {counter} counter was raised from {from} to {to}")
            }
        }
        RepairStep::CountSet { kind, from, to } => {
            if sv {
                format!("antalet {kind}-poster sattes från {from} till {to}")
            } else {
                format!("the {kind} count was set from {from} to {to}")
            }
        }
    }
}

/// The notice shown when readers met records they could not decode.
pub fn damaged_notice(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => {
            "1 record cannot be read and is left out; run `spets check` to see it, and `spets check --repair` to move it to quarantine".into()
        }
        (Lang::En, n) => format!(
            "{n} records cannot be read and are left out; run `spets check` to see them, and `spets check --repair` to move them to quarantine"
        ),
        (Lang::Sv, 1) => {
            "1 post kan inte läsas och har utelämnats; kör `spets check` för att se den och `spets check --repair` för att flytta den till karantän".into()
        }
        (Lang::Sv, n) => format!(
            "{n} poster kan inte läsas och har utelämnats; kör `spets check` för att se dem och `spets check --repair` för att flytta dem till karantän"
        ),
    }
}
