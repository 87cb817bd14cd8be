//! The one source of words for enumerated values: every organisation kind, phase, tier, format,
//! agreement kind and status, side, contact role, activity kind and status, added value, meeting
//! kind and score level has exactly one label per language, defined here once.
//!
//! The screen, the CSV export, import parsing, `--filter`, the help and the reports all take their
//! words from here. [`Label::parse`] accepts the stable machine name, the label in either language
//! and every earlier label ([`Words::was`]), ignoring case, accents and surrounding space, so files
//! exported by earlier versions still import.
//!
//! Short forms exist only where a column needs one; they are real abbreviations (with a period) or
//! an agreed short word, never a word cut in the middle ([`Label::fitting`] picks the label when it
//! fits, else the short form; whatever still does not fit is cut with an ellipsis by the UI).

use super::Lang;
use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, AgreementKind, AgreementStatus, Characteristic,
    ContactRole, Criterion, Decision, EntityKind, Enumerated, Format, GoalOutcome, GoalStatus,
    MeetingKind, OrgKind, Phase, Recommendation, RiskLevel, SCORE_KEYS, Side, Tier, text::fold,
};

/// The words of one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub en: &'static str,
    pub sv: &'static str,
    /// Short forms for narrow columns (English, Swedish); the label itself when it is short.
    pub short: (&'static str, &'static str),
    /// Earlier labels (either language), still accepted on import and in filters.
    pub was: &'static [&'static str],
}

impl Words {
    /// A value whose labels are short enough everywhere.
    pub const fn new(en: &'static str, sv: &'static str) -> Words {
        Words {
            en,
            sv,
            short: (en, sv),
            was: &[],
        }
    }
    /// With short forms for narrow columns.
    pub const fn short(self, en: &'static str, sv: &'static str) -> Words {
        Words {
            short: (en, sv),
            ..self
        }
    }
    /// With earlier labels that import and filters still accept.
    pub const fn was(self, was: &'static [&'static str]) -> Words {
        Words { was, ..self }
    }
    /// The label in `lang`.
    pub const fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Sv => self.sv,
        }
    }
    /// The short form in `lang`.
    pub const fn short_form(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.short.0,
            Lang::Sv => self.short.1,
        }
    }
    /// Whether `folded` (see [`fold`]) is one of these words or `key`.
    fn matches(&self, key: &str, folded: &str) -> bool {
        fold(key) == folded
            || fold(self.en) == folded
            || fold(self.sv) == folded
            || fold(self.short.0) == folded
            || fold(self.short.1) == folded
            || self.was.iter().any(|w| fold(w) == folded)
    }
}

/// An enumeration with words in both languages.
pub trait Label: Enumerated {
    /// The words of this value.
    fn words(self) -> &'static Words;

    /// The label in `lang`: what the screen shows and what CSV writes.
    fn label(self, lang: Lang) -> &'static str {
        self.words().label(lang)
    }
    /// The short form in `lang` (the label itself when it has none).
    fn short(self, lang: Lang) -> &'static str {
        self.words().short_form(lang)
    }
    /// The label when it fits in `cols` terminal columns, else the short form.
    fn fitting(self, lang: Lang, cols: usize) -> &'static str {
        let label = self.label(lang);
        if unicode_width::UnicodeWidthStr::width(label) <= cols {
            label
        } else {
            self.short(lang)
        }
    }
    /// The cell text: the machine key (`None`), or the label in the language.
    fn cell(self, lang: Option<Lang>) -> &'static str {
        match lang {
            Some(l) => self.label(l),
            None => self.key(),
        }
    }
    /// A machine key, a label or short form in either language, or an earlier label (case,
    /// accents and surrounding space are ignored): what the screen shows can be typed back.
    fn parse(s: &str) -> Option<Self> {
        let f = fold(s.trim());
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.words().matches(v.key(), &f))
    }
    /// The accepted values for an error message: the labels in `lang` (the machine names and
    /// the other language's labels are accepted too, and documented in the README).
    fn valid_list(lang: Lang) -> String {
        Self::ALL
            .iter()
            .map(|v| v.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocabulary {
    ($ty:ident { $( $v:ident => $w:expr, )* }) => {
        impl Label for $ty {
            fn words(self) -> &'static Words {
                match self {
                    $( $ty::$v => { const W: Words = $w; &W } )*
                }
            }
        }
    };
}

const fn w(en: &'static str, sv: &'static str) -> Words {
    Words::new(en, sv)
}

vocabulary!(OrgKind {
    University => w("University", "Lärosäte").was(&["Universitet"]),
    Company => w("Company", "Företag"),
    PublicOrganisation => w("Public body", "Offentlig organisation")
        .short("Public body", "Offentlig org.")
        .was(&["Public organisation"]),
    NonProfit => w("Non-profit", "Ideell organisation").short("Non-profit", "Ideell org."),
    Other => w("Other organisation", "Annan organisation")
        .short("Other org.", "Annan org.")
        .was(&["Other", "Annan"]),
});

vocabulary!(Phase {
    Prospect => w("Prospect", "Potentiell partner")
        .short("Prospect", "Potentiell")
        .was(&["Kandidat"]),
    StartUp => w("Start-up", "Uppstart"),
    Running => w("Running", "Pågående").was(&["Drift"]),
    Evaluation => w("Evaluation", "Utvärdering"),
    NewStart => w("New start", "Nystart"),
    PhaseOut => w("Phase-out", "Avveckling"),
    Ended => w("Ended", "Avslutad"),
});

vocabulary!(Tier {
    Strategic => w("Strategic", "Strategisk"),
    Other => w("Other", "Övrig"),
});

vocabulary!(Format {
    Research => w("Research", "Forskning"),
    Education => w("Education", "Utbildning"),
    StudentMobility => w("Student mobility", "Studentutbyte").was(&["Studentmobilitet"]),
    StaffMobility => w("Staff mobility", "Personalutbyte").was(&["Personalmobilitet"]),
    JointFunding => w("Joint funding applications", "Gemensamma ansökningar"),
    InfrastructureSharing => w("Shared infrastructure", "Delad infrastruktur")
        .was(&["Infrastructure sharing"]),
    Innovation => w("Innovation", "Innovation"),
    ContinuingEducation => w("Continuing education", "Fort- och vidareutbildning")
        .was(&["Vidareutbildning"]),
    DoctoralTraining => w("Doctoral training", "Forskarutbildning"),
    Internships => w("Internships and degree projects", "Praktik och examensarbeten"),
    AdvisoryRoles => w("Advisory roles", "Rådgivande uppdrag"),
    Events => w("Events", "Evenemang"),
});

vocabulary!(AgreementKind {
    Mou => w("MoU", "Avsiktsförklaring"),
    Framework => w("Framework agreement", "Ramavtal"),
    Exchange => w("Exchange agreement", "Utbytesavtal"),
    Research => w("Research agreement", "Forskningsavtal"),
    Other => w("Other agreement", "Annat avtal"),
});

vocabulary!(AgreementStatus {
    Draft => w("Draft", "Utkast"),
    Negotiation => w("In negotiation", "Under förhandling")
        .was(&["Negotiation", "Förhandling", "Förhandlas"]),
    Active => w("Active", "Gällande").was(&["Aktivt"]),
    Expired => w("Expired", "Utgånget"),
    Terminated => w("Terminated", "Uppsagt"),
});

vocabulary!(Side {
    Partner => w("Partner", "Partnern"),
    Ours => w("Our university", "Vårt lärosäte").was(&["Ours", "Vi", "Vår sida"]),
});

vocabulary!(ContactRole {
    PartnerDirector => w("Partner director", "Huvudansvarig")
        .was(&["Partnerdirektör", "Partnerchef"]),
    PartnerManager => w("Partner manager", "Partnersamordnare").was(&["Partneransvarig"]),
    SteeringGroup => w("Steering group member", "Styrgruppsledamot")
        .was(&["Steering group", "Styrgrupp"]),
    Signatory => w("Signatory", "Undertecknare").was(&["Firmatecknare"]),
    Other => w("Other role", "Annan roll").was(&["Other", "Annan"]),
});

vocabulary!(ActivityKind {
    Meeting => w("Meeting", "Möte"),
    Visit => w("Visit", "Besök"),
    Workshop => w("Workshop", "Workshop"),
    Conference => w("Conference or event", "Konferens eller evenemang")
        .was(&["Conference/event", "Konferens/evenemang"]),
    JointApplication => w("Joint application", "Gemensam ansökan"),
    AgreementMilestone => w("Agreement milestone", "Avtalshändelse").was(&["Avtalsmilstolpe"]),
    Publication => w("Publication", "Publikation"),
    Mobility => w("Mobility or exchange", "Mobilitet eller utbyte")
        .was(&["Mobility/exchange", "Mobilitet/utbyte"]),
    FundingDecision => w("Funding decision", "Finansieringsbeslut"),
    Other => w("Other activity", "Annan aktivitet").was(&["Other", "Annat"]),
});

vocabulary!(ActivityStatus {
    Planned => w("Planned", "Planerad"),
    Done => w("Done", "Genomförd"),
    Cancelled => w("Cancelled", "Inställd"),
});

vocabulary!(AddedValue {
    Quality => w("Quality", "Kvalitet").short("Qual.", "Kval."),
    Resources => w("Resources", "Resurser").short("Res.", "Res."),
    Impact => w("Impact", "Samhällspåverkan").short("Impact", "Samh."),
    Influence => w("Influence", "Inflytande").short("Infl.", "Infl."),
    Reputation => w("Reputation", "Anseende").short("Rep.", "Ans."),
    CulturalChange => w("Cultural change", "Kulturförändring").short("Cult.", "Kult."),
});

vocabulary!(MeetingKind {
    SteeringGroup => w("Steering group meeting", "Styrgruppsmöte")
        .was(&["Steering group", "Styrgrupp"]),
    Management => w("Management meeting", "Ledningsmöte"),
    WorkingGroup => w("Working group meeting", "Arbetsgruppsmöte")
        .was(&["Working group", "Arbetsgrupp"]),
    AnnualReview => w("Annual review", "Årlig uppföljning"),
    Other => w("Other meeting", "Annat möte").was(&["Other", "Annat"]),
});

vocabulary!(GoalStatus {
    Open => w("Open", "Öppet"),
    Reached => w("Reached", "Uppnått"),
    Dropped => w("Dropped", "Avskrivet"),
});

vocabulary!(Criterion {
    SuitabilityAssessed => w("Suitability and risks assessed", "Lämplighet och risker bedömda"),
    AgreementSigned => w("Signed agreement", "Undertecknat avtal"),
    DirectorsBothSides => w("Partner directors on both sides", "Huvudansvariga på båda sidor"),
    SteeringGroup => w("Steering group named", "Styrgrupp utsedd"),
    RecentEvaluation => w(
        "Evaluation in the last 12 months",
        "Utvärdering de senaste 12 månaderna"
    ),
    AgreementsClosed => w("No active agreement left", "Inget gällande avtal kvar"),
});

vocabulary!(Characteristic {
    SeniorCommitment => w("Management commitment", "Ledningens engagemang"),
    LongTerm => w("Long-term commitment", "Långsiktigt åtagande"),
    CommonGoals => w("Common goals", "Gemensamma mål"),
    DiverseActivities => w("Diverse activities", "Varierade aktiviteter"),
    MutualBenefit => w("Mutual benefit", "Ömsesidig nytta"),
});

vocabulary!(Decision {
    Continue => w("Continue", "Fortsätt"),
    Renew => w("Renew", "Förnya"),
    NewStart => w("New start", "Nystart"),
    PhaseOut => w("Phase out", "Avveckla"),
});

vocabulary!(GoalOutcome {
    Reached => w("Reached", "Uppnått"),
    OnTrack => w("On track", "På väg"),
    Behind => w("Behind", "Efter"),
    Dropped => w("Dropped", "Avskrivet"),
});

vocabulary!(RiskLevel {
    Low => w("Low", "Låg"),
    Medium => w("Medium", "Medel"),
    High => w("High", "Hög"),
});

vocabulary!(Recommendation {
    Proceed => w("Proceed", "Gå vidare"),
    Wait => w("Wait", "Avvakta"),
    Decline => w("Decline", "Avstå"),
});

/// The five score levels, indexed by score (machine names in [`SCORE_KEYS`]).
pub const SCORES: [Words; 5] = [
    w("none", "ingen"),
    w("emerging", "begynnande"),
    w("developing", "utvecklande"),
    w("established", "etablerad"),
    w("outstanding", "framstående"),
];

/// The label of a score level 0..=4 (higher scores read as the highest level).
pub fn score_label(lang: Lang, score: u8) -> &'static str {
    let i = usize::from(score).min(SCORES.len() - 1);
    SCORES[i].label(lang)
}

/// A score as a digit, a machine name or a label in either language.
pub fn parse_score(s: &str) -> Option<u8> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u8>() {
        return (usize::from(n) < SCORES.len()).then_some(n);
    }
    let f = fold(t);
    (0..SCORES.len())
        .find(|&i| SCORES[i].matches(SCORE_KEYS[i], &f))
        .and_then(|i| u8::try_from(i).ok())
}

/// Yes and no, in CSV cells and filters.
pub const YES: Words = w("Yes", "Ja");
pub const NO: Words = w("No", "Nej");

/// Yes/no cells: `true`/`false` in machine form, Ja/Nej or Yes/No otherwise.
pub fn yes_no(b: bool, lang: Option<Lang>) -> &'static str {
    match (lang, b) {
        (None, true) => "true",
        (None, false) => "false",
        (Some(l), true) => YES.label(l),
        (Some(l), false) => NO.label(l),
    }
}

/// Parse a yes/no cell in any of the forms [`yes_no`] writes (and 1/0, x/empty).
pub fn parse_yes_no(s: &str) -> Option<bool> {
    let f = fold(s.trim());
    if YES.matches("true", &f) || f == "1" || f == "x" {
        Some(true)
    } else if NO.matches("false", &f) || f == "0" || f.is_empty() {
        Some(false)
    } else {
        None
    }
}

/// The kind of a record, as a noun (audit export, messages).
pub fn entity_label(lang: Lang, k: EntityKind) -> &'static str {
    entity_words(k).label(lang)
}

fn entity_words(k: EntityKind) -> Words {
    match k {
        EntityKind::Partner => w("Partner", "Partner"),
        EntityKind::Agreement => w("Agreement", "Avtal"),
        EntityKind::Contact => w("Contact", "Kontakt"),
        EntityKind::Activity => w("Activity", "Aktivitet"),
        EntityKind::Assessment => w("Assessment", "Bedömning"),
        EntityKind::Note => w("Note", "Anteckning"),
        EntityKind::Goal => w("Goal", "Mål"),
        EntityKind::GoalLinks => w("Goal links", "Målkopplingar"),
        EntityKind::PhaseChange => w("Phase change", "Fasbyte"),
        EntityKind::Suitability => w("Suitability assessment", "Lämplighetsbedömning"),
        EntityKind::Rhythm => w("Governance rhythm", "Styrningsrytm"),
        EntityKind::Evaluation => w("Evaluation", "Utvärdering"),
    }
}

/// What happened to a record, in the audit log.
pub fn audit_action_label(lang: Lang, a: crate::store::AuditAction) -> &'static str {
    use crate::store::AuditAction as A;
    let words = match a {
        A::Create => w("Created", "Skapad"),
        A::Update => w("Updated", "Ändrad"),
        A::Archive => w("Archived", "Arkiverad"),
        A::Restore => w("Restored", "Återställd"),
        A::Purge => w("Purged", "Raderad"),
        A::Import => w("Imported", "Importerad"),
        A::RestoreBackup => w("Restored from backup", "Återläst från säkerhetskopia"),
        A::Repair => w("Repaired", "Reparerad"),
        A::Access => w("Access changed", "Behörighet ändrad"),
    };
    words.label(lang)
}

/// A role on a shared server, as a noun.
pub fn role_label(lang: Lang, r: crate::service::Role) -> &'static str {
    use crate::service::Role as R;
    let words = match r {
        R::Viewer => w("viewer", "läsare"),
        R::Editor => w("editor", "redigerare"),
        R::Admin => w("administrator", "administratör"),
    };
    words.label(lang)
}

/// Every label, short form and earlier label of every enumerated value in `lang` (for the tests
/// that check that nothing on screen or in a file uses a word from elsewhere).
pub fn all_labels(lang: Lang) -> Vec<&'static str> {
    fn of<E: Label>(lang: Lang, out: &mut Vec<&'static str>) {
        for v in E::ALL {
            out.push(v.label(lang));
            out.push(v.short(lang));
        }
    }
    let mut out = Vec::new();
    of::<OrgKind>(lang, &mut out);
    of::<Phase>(lang, &mut out);
    of::<Tier>(lang, &mut out);
    of::<Format>(lang, &mut out);
    of::<AgreementKind>(lang, &mut out);
    of::<AgreementStatus>(lang, &mut out);
    of::<Side>(lang, &mut out);
    of::<ContactRole>(lang, &mut out);
    of::<ActivityKind>(lang, &mut out);
    of::<ActivityStatus>(lang, &mut out);
    of::<AddedValue>(lang, &mut out);
    of::<MeetingKind>(lang, &mut out);
    of::<GoalStatus>(lang, &mut out);
    of::<Criterion>(lang, &mut out);
    of::<RiskLevel>(lang, &mut out);
    of::<Recommendation>(lang, &mut out);
    of::<Characteristic>(lang, &mut out);
    of::<Decision>(lang, &mut out);
    of::<GoalOutcome>(lang, &mut out);
    out.extend(SCORES.iter().map(|s| s.label(lang)));
    out
}

/// The display text of a record's field value (as [`crate::domain::Entity::fields`] gives it,
/// with machine names) in `lang`: enumerated values become their labels, lists of them too.
/// Other fields are returned as they are.
pub fn field_value(lang: Lang, kind: EntityKind, field: &str, value: &str) -> String {
    fn one<E: Label>(lang: Lang, v: &str) -> String {
        v.split("; ")
            .map(|item| match E::from_key(item) {
                Some(e) => e.label(lang).to_string(),
                None => item.to_string(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
    use EntityKind as K;
    match (kind, field) {
        (K::Partner, "kind") => one::<OrgKind>(lang, value),
        (K::Partner, "phase") => one::<Phase>(lang, value),
        (K::Partner, "tier") => one::<Tier>(lang, value),
        (K::Partner, "formats") => one::<Format>(lang, value),
        (K::Agreement, "kind") => one::<AgreementKind>(lang, value),
        (K::Agreement, "status") => one::<AgreementStatus>(lang, value),
        (K::Contact, "side") => one::<Side>(lang, value),
        (K::Contact, "role") => one::<ContactRole>(lang, value),
        (K::Activity, "kind") => one::<ActivityKind>(lang, value),
        (K::Activity, "status") => one::<ActivityStatus>(lang, value),
        (K::Activity, "values") | (K::Assessment, "value") => one::<AddedValue>(lang, value),
        (K::Note, "kind") => one::<MeetingKind>(lang, value),
        (K::Goal, "status") => one::<GoalStatus>(lang, value),
        (K::Goal, "values") => one::<AddedValue>(lang, value),
        (K::PhaseChange, "from" | "to") => one::<Phase>(lang, value),
        (K::PhaseChange, "unmet") => one::<Criterion>(lang, value),
        (K::Suitability, "risk") => one::<RiskLevel>(lang, value),
        (K::Suitability, "recommendation") => one::<Recommendation>(lang, value),
        (K::Evaluation, "decision") => one::<Decision>(lang, value),
        (K::Assessment, "score" | "target") => match value.parse::<u8>() {
            Ok(n) => format!("{n} {}", score_label(lang, n)),
            Err(_) => value.to_string(),
        },
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<E: Label + std::fmt::Debug>() {
        for v in E::ALL {
            for lang in [Lang::En, Lang::Sv] {
                // Every spelling parses back to its own variant: no word of one variant equals a
                // key or a word of another, in either language.
                assert_eq!(E::parse(v.label(lang)), Some(*v), "{v:?}");
                assert_eq!(E::parse(&v.label(lang).to_uppercase()), Some(*v), "{v:?}");
                assert_eq!(E::parse(v.short(lang)), Some(*v), "{v:?}");
                let short = v.short(lang);
                // A short form is the label, a whole word of it, or an abbreviation with a period;
                // never a word cut in the middle.
                assert!(
                    short == v.label(lang)
                        || short.ends_with('.')
                        || v.label(lang).split(' ').any(|word| word == short),
                    "{v:?}: {short:?} is cut from {:?}",
                    v.label(lang)
                );
            }
            assert_eq!(E::parse(v.key()), Some(*v));
            for old in v.words().was {
                assert_eq!(E::parse(old), Some(*v), "{v:?}: {old}");
            }
        }
    }

    #[test]
    fn every_word_parses_back_to_its_own_value() {
        check::<OrgKind>();
        check::<Phase>();
        check::<Tier>();
        check::<Format>();
        check::<AgreementKind>();
        check::<AgreementStatus>();
        check::<Side>();
        check::<ContactRole>();
        check::<ActivityKind>();
        check::<ActivityStatus>();
        check::<AddedValue>();
        check::<MeetingKind>();
        check::<GoalStatus>();
        check::<Criterion>();
        check::<RiskLevel>();
        check::<Recommendation>();
        check::<Characteristic>();
        check::<Decision>();
        check::<GoalOutcome>();
        for (i, key) in SCORE_KEYS.iter().enumerate() {
            for s in [*key, SCORES[i].en, SCORES[i].sv, &i.to_string()] {
                assert_eq!(parse_score(s), u8::try_from(i).ok(), "{s}");
            }
        }
        assert_eq!(parse_yes_no("JA"), Some(true));
        assert_eq!(parse_yes_no("nej"), Some(false));
    }

    #[test]
    fn accents_and_case_are_ignored() {
        assert_eq!(Phase::parse("pagaende"), Some(Phase::Running));
        assert_eq!(Phase::parse(" DRIFT "), Some(Phase::Running));
        assert_eq!(OrgKind::parse("larosate"), Some(OrgKind::University));
        assert_eq!(
            ContactRole::parse("firmatecknare"),
            Some(ContactRole::Signatory)
        );
    }

    #[test]
    fn conflict_values_read_as_labels() {
        assert_eq!(
            field_value(Lang::Sv, EntityKind::Partner, "phase", "start_up"),
            "Uppstart"
        );
        assert_eq!(
            field_value(
                Lang::Sv,
                EntityKind::Partner,
                "formats",
                "research; education"
            ),
            "Forskning; Utbildning"
        );
        assert_eq!(
            field_value(Lang::En, EntityKind::Contact, "role", "other"),
            "Other role"
        );
        assert_eq!(
            field_value(Lang::Sv, EntityKind::Partner, "city", "other"),
            "other"
        );
    }
}
