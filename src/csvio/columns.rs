//! Column names per dataset: a stable English snake_case machine name and labels in English and
//! Swedish. Import matches a header against all three.

use super::Dataset;
use crate::domain::text::fold;
use crate::i18n::Lang;

/// One column of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable machine name (`--machine-headers`).
    pub key: &'static str,
    pub en: &'static str,
    pub sv: &'static str,
    /// Numbers (ids, scores, counts): never touched by the formula guard.
    pub numeric: bool,
    /// Earlier headers (either language), still matched on import.
    pub was: &'static [&'static str],
}

impl Column {
    /// The header text: the machine name, or the label in `lang`.
    pub fn header(&self, lang: Option<Lang>) -> &'static str {
        match lang {
            None => self.key,
            Some(Lang::En) => self.en,
            Some(Lang::Sv) => self.sv,
        }
    }
    /// Whether a header cell names this column (any language or the machine name; case, accents,
    /// surrounding space and `_` versus space are ignored).
    pub fn matches(&self, header: &str) -> bool {
        let h = norm(header);
        h == norm(self.key)
            || h == norm(self.en)
            || h == norm(self.sv)
            || self.was.iter().any(|w| h == norm(w))
    }
    /// With earlier headers that import still matches.
    const fn was(self, was: &'static [&'static str]) -> Column {
        Column { was, ..self }
    }
}

fn norm(s: &str) -> String {
    fold(s.trim()).replace('_', " ")
}

const fn t(key: &'static str, en: &'static str, sv: &'static str) -> Column {
    Column {
        key,
        en,
        sv,
        numeric: false,
        was: &[],
    }
}
const fn n(key: &'static str, en: &'static str, sv: &'static str) -> Column {
    Column {
        key,
        en,
        sv,
        numeric: true,
        was: &[],
    }
}

pub const PARTNERS: &[Column] = &[
    n("id", "ID", "ID"),
    t("name", "Name", "Namn"),
    t("short_name", "Short name", "Kortnamn"),
    t("kind", "Kind", "Typ"),
    t("country", "Country", "Land"),
    t("city", "City", "Ort"),
    t("website", "Website", "Webbplats"),
    t("phase", "Phase", "Fas"),
    t("tier", "Tier", "Nivå"),
    t("formats", "Formats", "Samverkansformer").was(&["Samarbetsformer"]),
    t("faculties", "Faculties", "Fakulteter"),
    t("tags", "Tags", "Taggar"),
    t("sponsors_ours", "Our senior sponsors", "Vår ledning")
        .was(&["Our sponsors", "Våra sponsorer"]),
    t(
        "sponsors_partner",
        "Partner's senior sponsors",
        "Partnerns ledning",
    )
    .was(&["Partner's sponsors", "Partnerns sponsorer"]),
    t("coordinator", "Coordinator", "Samordnare"),
];

pub const AGREEMENTS: &[Column] = &[
    n("id", "ID", "ID"),
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("kind", "Kind", "Typ"),
    t("title", "Title", "Titel"),
    t("signed", "Signed", "Undertecknat"),
    t("start", "Start", "Start"),
    t("end", "End", "Slut"),
    t("signatories", "Signatories", "Undertecknare"),
    n(
        "renewal_lead_months",
        "Renewal lead (months)",
        "Förnyelse i förväg (månader)",
    ),
    t("status", "Status", "Status"),
    t(
        "renewal_draft_sent",
        "Renewal draft sent",
        "Förnyelseutkast skickat",
    ),
    t("renewal_signed", "Renewal signed", "Förnyelse undertecknad"),
];

pub const CONTACTS: &[Column] = &[
    n("id", "ID", "ID"),
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("side", "Side", "Sida"),
    t("name", "Name", "Namn"),
    t("role", "Role", "Roll"),
    t("email", "E-mail", "E-post"),
    t("phone", "Phone", "Telefon"),
];

pub const ACTIVITIES: &[Column] = &[
    n("id", "ID", "ID"),
    t("date", "Date", "Datum"),
    t("end_date", "End date", "Slutdatum"),
    t("partner_ids", "Partner IDs", "Partner-ID"),
    t("partners", "Partners", "Partner"),
    t("kind", "Kind", "Typ"),
    t("title", "Title", "Titel"),
    t("description", "Description", "Beskrivning"),
    t("values", "Added values", "Mervärden"),
    t("status", "Status", "Status"),
    t("owner", "Owner", "Ansvarig"),
];

pub const MATRIX: &[Column] = &[
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    n("quality_score", "Quality: score", "Kvalitet: poäng"),
    n("quality_target", "Quality: target", "Kvalitet: mål"),
    n("resources_score", "Resources: score", "Resurser: poäng"),
    n("resources_target", "Resources: target", "Resurser: mål"),
    n("impact_score", "Impact: score", "Samhällspåverkan: poäng"),
    n("impact_target", "Impact: target", "Samhällspåverkan: mål"),
    n("influence_score", "Influence: score", "Inflytande: poäng"),
    n("influence_target", "Influence: target", "Inflytande: mål"),
    n("reputation_score", "Reputation: score", "Anseende: poäng"),
    n("reputation_target", "Reputation: target", "Anseende: mål"),
    n(
        "cultural_change_score",
        "Cultural change: score",
        "Kulturförändring: poäng",
    ),
    n(
        "cultural_change_target",
        "Cultural change: target",
        "Kulturförändring: mål",
    ),
];

pub const ASSESSMENTS: &[Column] = &[
    n("id", "ID", "ID"),
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("value", "Added value", "Mervärde"),
    n("score", "Score", "Poäng"),
    n("target", "Target", "Mål"),
    t("date", "Date", "Datum"),
    t("assessor", "Assessor", "Bedömare"),
    t("evidence", "Evidence", "Underlag"),
];

pub const NOTES: &[Column] = &[
    n("id", "ID", "ID"),
    t("date", "Date", "Datum"),
    t("kind", "Meeting kind", "Mötestyp").was(&["Meeting", "Möte"]),
    t("title", "Title", "Titel"),
    t("partner_ids", "Partner IDs", "Partner-ID"),
    t("partners", "Partners", "Partner"),
    t("attendees", "Attendees", "Deltagare"),
    t("body", "Minutes", "Protokoll"),
    t("decisions", "Decisions", "Beslut"),
    n("action_items", "Action items", "Åtgärder"),
];

pub const ACTIONS: &[Column] = &[
    n("note_id", "Note ID", "Antecknings-ID"),
    t("note_date", "Note date", "Mötesdatum"),
    t("note_title", "Note", "Anteckning"),
    t("partner_ids", "Partner IDs", "Partner-ID"),
    t("partners", "Partners", "Partner"),
    n("position", "Position", "Nummer"),
    t("text", "Action item", "Åtgärd"),
    t("owner", "Owner", "Ansvarig"),
    t("due", "Due", "Senast"),
    t("done", "Done", "Klar"),
    t("overdue", "Overdue", "Försenad"),
];

pub const AUDIT: &[Column] = &[
    n("seq", "No.", "Nr"),
    t("at", "Time (UTC)", "Tid (UTC)"),
    t("user", "User", "Användare"),
    t("action", "Action", "Händelse"),
    t("kind", "Record type", "Posttyp"),
    n("record_id", "Record ID", "Post-ID"),
    n("version", "Version", "Version"),
    t("label", "Record", "Post"),
    t("changes", "Changes", "Ändringar"),
];

pub const GOALS: &[Column] = &[
    n("id", "ID", "ID"),
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("text", "Goal", "Mål"),
    t("values", "Added values", "Mervärden"),
    t("indicator", "Indicator", "Indikator"),
    t("target", "Target", "Målvärde"),
    t("deadline", "Deadline", "Senast"),
    t("status", "Status", "Status"),
    t("owner", "Owner", "Ansvarig"),
    n(
        "linked_activities",
        "Linked activities (12 months)",
        "Kopplade aktiviteter (12 månader)",
    ),
    t("last_follow_up", "Last follow-up", "Senaste uppföljning"),
    t("no_follow_up", "No follow-up", "Ingen uppföljning"),
];

pub const EVALUATIONS: &[Column] = &[
    n("id", "ID", "ID"),
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("from", "Period from", "Period från"),
    t("to", "Period to", "Period till"),
    t("decision", "Decision", "Beslut"),
    t("next", "Next evaluation", "Nästa utvärdering"),
    n(
        "senior_commitment_ours",
        "Management commitment: ours",
        "Ledningens engagemang: vår",
    ),
    n(
        "senior_commitment_partner",
        "Management commitment: partner's",
        "Ledningens engagemang: partnerns",
    ),
    n(
        "long_term_ours",
        "Long-term commitment: ours",
        "Långsiktigt åtagande: vår",
    ),
    n(
        "long_term_partner",
        "Long-term commitment: partner's",
        "Långsiktigt åtagande: partnerns",
    ),
    n(
        "common_goals_ours",
        "Common goals: ours",
        "Gemensamma mål: vår",
    ),
    n(
        "common_goals_partner",
        "Common goals: partner's",
        "Gemensamma mål: partnerns",
    ),
    n(
        "diverse_activities_ours",
        "Diverse activities: ours",
        "Varierade aktiviteter: vår",
    ),
    n(
        "diverse_activities_partner",
        "Diverse activities: partner's",
        "Varierade aktiviteter: partnerns",
    ),
    n(
        "mutual_benefit_ours",
        "Mutual benefit: ours",
        "Ömsesidig nytta: vår",
    ),
    n(
        "mutual_benefit_partner",
        "Mutual benefit: partner's",
        "Ömsesidig nytta: partnerns",
    ),
    n("quality_ours", "Quality: ours", "Kvalitet: vår"),
    n(
        "quality_partner",
        "Quality: partner's",
        "Kvalitet: partnerns",
    ),
    n("resources_ours", "Resources: ours", "Resurser: vår"),
    n(
        "resources_partner",
        "Resources: partner's",
        "Resurser: partnerns",
    ),
    n("impact_ours", "Impact: ours", "Samhällspåverkan: vår"),
    n(
        "impact_partner",
        "Impact: partner's",
        "Samhällspåverkan: partnerns",
    ),
    n("influence_ours", "Influence: ours", "Inflytande: vår"),
    n(
        "influence_partner",
        "Influence: partner's",
        "Inflytande: partnerns",
    ),
    n("reputation_ours", "Reputation: ours", "Anseende: vår"),
    n(
        "reputation_partner",
        "Reputation: partner's",
        "Anseende: partnerns",
    ),
    n(
        "cultural_change_ours",
        "Cultural change: ours",
        "Kulturförändring: vår",
    ),
    n(
        "cultural_change_partner",
        "Cultural change: partner's",
        "Kulturförändring: partnerns",
    ),
    t("goal_outcomes", "Goal outcomes", "Måluppfyllelse"),
];

pub const PHASE_HISTORY: &[Column] = &[
    n("partner_id", "Partner ID", "Partner-ID"),
    t("partner", "Partner", "Partner"),
    t("date", "Date", "Datum"),
    t("from", "From phase", "Från fas"),
    t("to", "To phase", "Till fas"),
    t("user", "User", "Användare"),
    t("reason", "Reason", "Motivering"),
    t("overridden", "Overridden criteria", "Åsidosatta kriterier"),
];

/// The columns of a dataset, in file order.
pub fn of(d: Dataset) -> &'static [Column] {
    match d {
        Dataset::Partners => PARTNERS,
        Dataset::Agreements => AGREEMENTS,
        Dataset::Contacts => CONTACTS,
        Dataset::Activities => ACTIVITIES,
        Dataset::Matrix => MATRIX,
        Dataset::Assessments => ASSESSMENTS,
        Dataset::Notes => NOTES,
        Dataset::Actions => ACTIONS,
        Dataset::Audit => AUDIT,
        Dataset::Goals => GOALS,
        Dataset::Evaluations => EVALUATIONS,
        Dataset::PhaseHistory => PHASE_HISTORY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_unique_per_dataset() {
        for d in Dataset::ALL {
            let cols = of(*d);
            for (i, a) in cols.iter().enumerate() {
                for b in &cols[i + 1..] {
                    for h in [a.key, a.en, a.sv].iter().chain(a.was) {
                        assert!(
                            !b.matches(h),
                            "{d:?}: {h:?} matches both {} and {}",
                            a.key,
                            b.key
                        );
                    }
                }
            }
        }
    }
}
