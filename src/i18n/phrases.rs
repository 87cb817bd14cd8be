//! Interface sentences with parts filled in (keys from the live keymap, names, dates), in both
//! languages: hints, empty panes, confirmations, the conflict dialog, profile checks, validation
//! rules and file errors.

use super::Lang;
use super::catalogue::{Label, Msg, t};
use super::counts::{Noun, count};
use crate::domain::Rule;

/// The form's bottom line: its keys from the live keymap.
pub fn form_hint(lang: Lang, next: &str, save: &str, cancel: &str) -> String {
    match lang {
        Lang::En => format!("{next} next field · Space/←→ choose · {save} save · {cancel} cancel"),
        Lang::Sv => {
            format!("{next} nästa fält · Mellanslag/←→ välj · {save} spara · {cancel} avbryt")
        }
    }
}

/// The empty partners pane: how to add the first partner.
pub fn empty_partners_add(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("Press {key} to add your first partner,"),
        Lang::Sv => format!("Tryck {key} för att lägga till din första partner,"),
    }
}

/// The empty partners pane: how to load the demo data.
pub fn empty_partners_demo(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("press {key} to load sample data to try spets with,"),
        Lang::Sv => format!("tryck {key} för att läsa in exempeldata att prova spets med,"),
    }
}

/// The empty partners pane: where the import is.
pub fn empty_partners_import(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("or import a CSV file: Import CSV… in the menu ({key})."),
        Lang::Sv => format!("eller importera en CSV-fil: Importera CSV… i menyn ({key})."),
    }
}

/// Nothing matches the search and filters.
pub fn no_matches(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("Nothing matches the search and filters. Press {key} to clear them."),
        Lang::Sv => format!("Inget matchar sökningen och filtren. Tryck {key} för att rensa dem."),
    }
}

/// The empty timeline.
pub fn empty_timeline(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No activities in this range. Press {key} to add one."),
        Lang::Sv => {
            format!("Inga aktiviteter i detta intervall. Tryck {key} för att lägga till en.")
        }
    }
}

/// The empty notes pane.
pub fn empty_notes(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No meeting notes yet. Press {key} to write one."),
        Lang::Sv => format!("Inga mötesanteckningar ännu. Tryck {key} för att skriva en."),
    }
}

/// The empty matrix.
pub fn empty_matrix(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No partners to assess. Add partners in the Partners pane ({key})."),
        Lang::Sv => {
            format!("Inga partner att bedöma. Lägg till partner i panelen Partner ({key}).")
        }
    }
}

/// Under "the terminal is too small".
pub fn too_small_hint(lang: Lang, quit: &str) -> String {
    match lang {
        Lang::En => {
            format!(
                "Enlarge the window, or press {quit} to quit. Other keys are ignored until then."
            )
        }
        Lang::Sv => format!(
            "Gör fönstret större, eller tryck {quit} för att avsluta. Andra tangenter ignoreras tills dess."
        ),
    }
}

/// The answer keys of a confirmation ("y yes · n no").
pub fn confirm_keys(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!("{yes} yes · {no} no"),
        Lang::Sv => format!("{yes} ja · {no} nej"),
    }
}

/// How a notice dialog closes.
pub fn info_close(lang: Lang, keys: &str) -> String {
    match lang {
        Lang::En => format!("{keys} closes this message."),
        Lang::Sv => format!("{keys} stänger meddelandet."),
    }
}

/// The help screen's first line.
pub fn help_intro(lang: Lang, close: &str) -> String {
    match lang {
        Lang::En => format!(
            "Keys for this view (from the active keymap). Type to search, {close} to close."
        ),
        Lang::Sv => format!(
            "Tangenter för denna vy (från aktiv tangentkarta). Skriv för att söka, {close} stänger."
        ),
    }
}

/// The palette's second line.
pub fn palette_hint(lang: Lang, up_down: &str, run: &str, close: &str) -> String {
    match lang {
        Lang::En => format!("Type to search, {up_down} choose, {run} run, {close} close"),
        Lang::Sv => format!("Skriv för att söka, {up_down} välj, {run} kör, {close} stäng"),
    }
}

/// How a running export is cancelled.
pub fn esc_cancels(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("{key} cancels"),
        Lang::Sv => format!("{key} avbryter"),
    }
}

/// The offer of a draft kept from an earlier session.
pub fn draft_offer(lang: Lang, title: &str, when: &str) -> String {
    match lang {
        Lang::En => format!(
            "Unsaved input of “{title}” from {when} was kept. Restore it? (No discards it.)"
        ),
        Lang::Sv => format!(
            "Osparad inmatning i ”{title}” från {when} har sparats undan. Återställa den? (Nej kastar den.)"
        ),
    }
}

/// "Archive «name»?"
pub fn confirm_archive(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Archive “{name}”? It can be restored from the archive (A)."),
        Lang::Sv => format!("Arkivera ”{name}”? Den kan återställas från arkivet (A)."),
    }
}

/// "Restore «name»?"
pub fn confirm_restore(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Restore “{name}” from the archive?"),
        Lang::Sv => format!("Återställa ”{name}” från arkivet?"),
    }
}

/// A profile check as a sentence with its reason.
pub fn profile_check(lang: Lang, check: crate::service::ProfileCheck) -> String {
    use crate::service::ProfileCheck as P;
    match (lang, check) {
        (Lang::En, P::SeniorSponsors { ours, theirs }) => {
            format!("Senior management on both sides: {ours} of ours, {theirs} at the partner")
        }
        (Lang::Sv, P::SeniorSponsors { ours, theirs }) => {
            format!("Ledningen engagerad på båda sidor: {ours} hos oss, {theirs} hos partnern")
        }
        (
            Lang::En,
            P::LongTermAgreement {
                open_ended: true, ..
            },
        ) => "Long-term commitment: an open-ended agreement".into(),
        (
            Lang::Sv,
            P::LongTermAgreement {
                open_ended: true, ..
            },
        ) => "Långsiktigt åtagande: ett tillsvidareavtal".into(),
        (Lang::En, P::LongTermAgreement { longest_months, .. }) => match longest_months {
            Some(m) => format!(
                "Long-term commitment (5 years or more): longest agreement {}",
                count(lang, m as usize, Noun::Month)
            ),
            Option::None => {
                "Long-term commitment (5 years or more): no agreement with an end date".into()
            }
        },
        (Lang::Sv, P::LongTermAgreement { longest_months, .. }) => match longest_months {
            Some(m) => format!(
                "Långsiktigt åtagande (minst 5 år): längsta avtalet {}",
                count(lang, m as usize, Noun::Month)
            ),
            Option::None => "Långsiktigt åtagande (minst 5 år): inget avtal med slutdatum".into(),
        },
        (Lang::En, P::CommonGoals { goals }) => format!("Common goals recorded: {goals}"),
        (Lang::Sv, P::CommonGoals { goals }) => format!("Gemensamma mål registrerade: {goals}"),
        (Lang::En, P::DiverseActivities { kinds }) => format!(
            "Diverse activities (3+ kinds in 2 years): {}",
            count(lang, kinds, Noun::Kind)
        ),
        (Lang::Sv, P::DiverseActivities { kinds }) => format!(
            "Varierade aktiviteter (minst 3 slag på 2 år): {}",
            count(lang, kinds, Noun::Kind)
        ),
        (
            Lang::En,
            P::MutualBenefit {
                values,
                partner_values,
            },
        ) => format!(
            "Mutual benefit (3+ on 2 values): ours {}, the partner's {}",
            count(lang, values, Noun::Value),
            partner_values.map_or_else(|| "not given".to_string(), |n| n.to_string())
        ),
        (
            Lang::Sv,
            P::MutualBenefit {
                values,
                partner_values,
            },
        ) => format!(
            "Ömsesidig nytta (3+ på 2 värden): {} hos oss, {}",
            count(lang, values, Noun::Value),
            partner_values.map_or_else(
                || "partnerns saknas".to_string(),
                |n| format!("{n} hos partnern")
            )
        ),
        (Lang::En, P::UniversityWide { faculties }) => format!(
            "University-wide (2+ faculties): {}",
            count(lang, faculties, Noun::Faculty)
        ),
        (Lang::Sv, P::UniversityWide { faculties }) => format!(
            "Lärosätesövergripande (minst 2 fakulteter): {}",
            count(lang, faculties, Noun::Faculty)
        ),
    }
}

/// A validation rule as a phrase after the field (and value), in `lang`: the one text of every rule,
/// for forms, CSV import reports and the command line.
pub fn rule(lang: Lang, rule: &Rule) -> String {
    if lang == Lang::En {
        // The domain's own English text (also used in logs).
        return rule.to_string();
    }
    match rule {
        Rule::Required => "får inte vara tomt".into(),
        Rule::TooLong { max, given } => {
            format!("har {given} tecken, fler än de {max} som tillåts; korta det")
        }
        Rule::TooMany { max, given } => {
            format!("har {given} poster, fler än de {max} som tillåts; ta bort några")
        }
        Rule::RecordTooLarge { max, given } => format!(
            "gör posten {given} byte lång, mer än de {max} en post får ta; korta de längsta texterna"
        ),
        Rule::UnknownCountry => {
            "är inte en landskod enligt ISO 3166-1 alpha-2 (t.ex. SE, DE, JP)".into()
        }
        Rule::EndBeforeStart => "slutar innan det börjar; kontrollera båda datumen".into(),
        Rule::ScoreOutOfRange => "måste vara en poäng från 0 till 4".into(),
        Rule::DuplicatePartner { existing } => {
            format!("finns redan i det här landet (partner-id {existing}); ändra den i stället")
        }
        Rule::NoPartner => "behöver minst en partner".into(),
        Rule::UnknownPartner => "är en partner som inte finns eller är arkiverad".into(),
        Rule::InvalidEmail => "är inte en e-postadress (namn@example.org)".into(),
        Rule::InvalidWebsite => "måste börja med https:// eller http://".into(),
        Rule::LeadTimeOutOfRange => "måste vara mellan 0 och 60 månader".into(),
        Rule::DateOutOfRange => "ligger utanför åren 1900–2200; kontrollera året".into(),
        Rule::Duplicated => "anger samma sak två gånger".into(),
        Rule::DuplicateRow { row } => {
            format!("finns redan på rad {row} i den här filen; behåll en av dem")
        }
        Rule::NotArchived => "är inte arkiverad; arkivera den innan den raderas".into(),
        Rule::StillReferenced { count } => {
            format!("används fortfarande av {count} andra poster; radera eller flytta dem först")
        }
        Rule::GoalLinesMoved => "innehåller målrader; mål är egna poster nu: lägg till varje mål hos partnern (eller importera dem med spets import goals)".into(),
        Rule::UnknownGoal => "är ett mål som inte finns eller är arkiverat".into(),
        Rule::GoalOfOtherPartner { goal, partner } => format!(
            "är mål {goal} hos partner {partner}, som den här posten inte gäller; koppla bara mål hos postens egna partner"
        ),
        Rule::UnknownSource => {
            "är en aktivitet eller anteckning som inte finns eller är arkiverad".into()
        }
        Rule::AlreadyLinked { existing } => {
            format!("har redan sina mål i kopplingspost {existing}; ändra den i stället")
        }
        Rule::PhaseUnchanged => "är redan partnerns fas; välj en annan fas".into(),
        Rule::BeforePreviousChange { previous } => format!(
            "ligger före det förra fasbytet ({previous}); använd det datumet eller ett senare"
        ),
        Rule::SignedBeforeDraft { draft } => format!(
            "ligger före dagen då utkastet skickades ({draft}); kontrollera båda datumen"
        ),
        Rule::AfterToday { today } => format!(
            "ligger efter i dag ({today}); registrera det samma dag som det sker eller senare"
        ),
        Rule::RhythmOutOfRange { max } => format!(
            "måste vara från 1 till {max} månader; ett möte var 0:e månad är ingen rytm"
        ),
        Rule::RhythmExists { existing } => format!(
            "har redan sin styrningsrytm i post {existing}; ändra den i stället"
        ),
        Rule::PeriodOverlaps {
            existing,
            start,
            end,
        } => format!(
            "överlappar utvärdering {existing} ({start} till {end}); perioder får inte dela dagar"
        ),
        Rule::NotAfterPeriod { end } => {
            format!("måste ligga efter den utvärderade periodens slut ({end})")
        }
    }
}

/// Why a file could not be written or read, in plain words, naming the path.
pub fn file_error(
    lang: Lang,
    kind: std::io::ErrorKind,
    path: &str,
    dir: &str,
    other: &str,
) -> String {
    use std::io::ErrorKind as K;
    match (lang, kind) {
        (Lang::En, K::NotFound) => format!("{path}: the folder {dir} does not exist"),
        (Lang::Sv, K::NotFound) => format!("{path}: mappen {dir} finns inte"),
        (Lang::En, K::PermissionDenied) => {
            format!("{path}: you have no permission to write in {dir}")
        }
        (Lang::Sv, K::PermissionDenied) => {
            format!("{path}: du har inte behörighet att skriva i {dir}")
        }
        (Lang::En, K::StorageFull) => format!("{path}: the disk is full"),
        (Lang::Sv, K::StorageFull) => format!("{path}: disken är full"),
        (Lang::En, K::IsADirectory) => format!("{path} is a folder, not a file"),
        (Lang::Sv, K::IsADirectory) => format!("{path} är en mapp, inte en fil"),
        (Lang::En, K::ReadOnlyFilesystem) => format!("{path}: the disk is read-only"),
        (Lang::Sv, K::ReadOnlyFilesystem) => format!("{path}: disken är skrivskyddad"),
        (_, _) => format!("{path}: {other}"),
    }
}

/// Why a file could not be read (import).
pub fn read_error(lang: Lang, kind: std::io::ErrorKind, path: &str, other: &str) -> String {
    use std::io::ErrorKind as K;
    match (lang, kind) {
        (Lang::En, K::NotFound) => format!("{path}: there is no such file"),
        (Lang::Sv, K::NotFound) => format!("{path}: filen finns inte"),
        (Lang::En, K::PermissionDenied) => format!("{path}: you have no permission to read it"),
        (Lang::Sv, K::PermissionDenied) => format!("{path}: du har inte behörighet att läsa den"),
        (Lang::En, K::IsADirectory) => format!("{path} is a folder, not a file"),
        (Lang::Sv, K::IsADirectory) => format!("{path} är en mapp, inte en fil"),
        (_, _) => format!("{path}: {other}"),
    }
}

/// The head of the conflict dialog.
pub fn conflict_by(lang: Lang, who: &str, when: &str) -> String {
    match lang {
        Lang::En => format!(
            "{who} saved this record at {when}, after you opened it. The fields they changed:"
        ),
        Lang::Sv => {
            format!("{who} sparade posten {when}, efter att du öppnade den. Fälten som ändrades:")
        }
    }
}

/// The key line of the conflict dialog, from the live keymap.
pub fn conflict_keys(lang: Lang, diff: &str, reload: &str, overwrite: &str, back: &str) -> String {
    match lang {
        Lang::En => format!(
            "{diff} show/hide earlier values · {reload} reload theirs (discard mine) · {overwrite} overwrite with mine · {back} back to the form"
        ),
        Lang::Sv => format!(
            "{diff} visa/dölj tidigare värden · {reload} läs in deras (kasta mina) · {overwrite} skriv över med mina · {back} tillbaka till formuläret"
        ),
    }
}

/// The key line of the export and import dialogs, from the live keymap. `go` is what Save does
/// there ("export", "check the file").
pub fn transfer_keys(lang: Lang, next: &str, save: &str, cancel: &str, export: bool) -> String {
    match (lang, export) {
        (Lang::En, true) => format!(
            "{next} next field · ←/→ or Space change · {save} or Enter export · {cancel} cancel"
        ),
        (Lang::En, false) => format!(
            "{next} next field · ←/→ or Space change · {save} or Enter check the file · {cancel} cancel"
        ),
        (Lang::Sv, true) => format!(
            "{next} nästa fält · ←/→ eller blanksteg ändrar · {save} eller Enter exporterar · {cancel} avbryt"
        ),
        (Lang::Sv, false) => format!(
            "{next} nästa fält · ←/→ eller blanksteg ändrar · {save} eller Enter kontrollerar filen · {cancel} avbryt"
        ),
    }
}

/// The key line under the import report, from the live keymap.
pub fn review_keys(lang: Lang, up_down: &str, pages: &str, run: &str, cancel: &str) -> String {
    match lang {
        Lang::En => format!("{up_down} choose · {pages} scroll · {run} run · {cancel} cancel"),
        Lang::Sv => format!("{up_down} välj · {pages} bläddra · {run} kör · {cancel} avbryt"),
    }
}

/// The renewal checklist's steps as text: "✓ evaluation (2026-06-30) · ✓ decision: renew ·
/// ✗ draft sent · ✗ signed".
pub fn renewal_checklist(c: &crate::service::RenewalChecklist, lang: Lang) -> String {
    let mark = |done: bool| if done { "✓" } else { "✗" };
    let dated = |d: Option<chrono::NaiveDate>| d.map(|d| format!(" {d}")).unwrap_or_default();
    let [evaluated, decided, sent, signed] = c.steps();
    let decision = c
        .evaluation
        .map(|(_, d)| format!(": {}", d.label(lang)))
        .unwrap_or_default();
    [
        format!(
            "{} {}{}",
            mark(evaluated),
            t(lang, Msg::StepEvaluation),
            dated(c.evaluation.map(|(d, _)| d))
        ),
        format!("{} {}{decision}", mark(decided), t(lang, Msg::StepDecision)),
        format!(
            "{} {}{}",
            mark(sent),
            t(lang, Msg::StepDraft),
            dated(c.draft_sent)
        ),
        format!(
            "{} {}{}",
            mark(signed),
            t(lang, Msg::StepSigned),
            dated(c.signed)
        ),
    ]
    .join(" · ")
}

/// The checklist in a few words for a list line: "2/4 · next: draft sent".
pub fn renewal_progress(c: &crate::service::RenewalChecklist, lang: Lang) -> String {
    let steps = c.steps();
    let names = [
        Msg::StepEvaluation,
        Msg::StepDecision,
        Msg::StepDraft,
        Msg::StepSigned,
    ];
    let next = steps
        .iter()
        .zip(names)
        .find(|(done, _)| !**done)
        .map(|(_, m)| format!(" · {}: {}", t(lang, Msg::StepNext), t(lang, m)))
        .unwrap_or_default();
    format!("{}/4{next}", c.done())
}
