//! Swedish and English labels for enumerated values, used in CSV cells, and parsing that accepts a
//! label in either language or the machine key ([`Enumerated::key`]).
//!
//! This is a small local table on purpose: the typed UI catalogue lives in `crate::i18n` and is
//! built separately; CSV labels must stay stable for files people keep.

use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, AgreementKind, AgreementStatus, ContactRole,
    Enumerated, Format, MeetingKind, OrgKind, Phase, Side, Tier, text::fold,
};
use crate::i18n::Lang;

/// An enumeration with a label in English and Swedish.
pub trait Labelled: Enumerated {
    /// (English, Swedish) labels, in [`Enumerated::ALL`] order.
    const LABELS: &'static [(&'static str, &'static str)];

    /// The label in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        match (Self::LABELS.get(i), lang) {
            (Some((en, _)), Lang::En) => en,
            (Some((_, sv)), Lang::Sv) => sv,
            (None, _) => self.key(),
        }
    }

    /// The cell text: the machine key, or the label in `lang`.
    fn cell(self, lang: Option<Lang>) -> &'static str {
        match lang {
            Some(l) => self.label(l),
            None => self.key(),
        }
    }

    /// Parse a machine key or a label in either language (case, accents and surrounding space are
    /// ignored).
    fn parse_any(s: &str) -> Option<Self> {
        let f = fold(s.trim());
        Self::ALL
            .iter()
            .zip(Self::LABELS)
            .find_map(|(v, (en, sv))| {
                (fold(v.key()) == f || fold(en) == f || fold(sv) == f).then_some(*v)
            })
    }

    /// Every accepted spelling for an error message: `key (English / Swedish)`.
    fn valid_list(lang: Lang) -> String {
        Self::ALL
            .iter()
            .map(|v| format!("{} ({})", v.key(), v.label(lang)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! labels {
    ($ty:ty, [$(($en:literal, $sv:literal)),+ $(,)?]) => {
        impl Labelled for $ty {
            const LABELS: &'static [(&'static str, &'static str)] = &[$(($en, $sv)),+];
        }
    };
}

labels!(
    OrgKind,
    [
        ("University", "Universitet"),
        ("Company", "Företag"),
        ("Public organisation", "Offentlig organisation"),
        ("Non-profit", "Ideell organisation"),
        ("Other organisation", "Annan organisation"),
    ]
);
labels!(
    Phase,
    [
        ("Prospect", "Kandidat"),
        ("Start-up", "Uppstart"),
        ("Running", "Pågående"),
        ("Evaluation", "Utvärdering"),
        ("New start", "Nystart"),
        ("Phase-out", "Avveckling"),
        ("Ended", "Avslutad"),
    ]
);
labels!(Tier, [("Strategic", "Strategisk"), ("Other", "Övrig")]);
labels!(
    Format,
    [
        ("Research", "Forskning"),
        ("Education", "Utbildning"),
        ("Student mobility", "Studentmobilitet"),
        ("Staff mobility", "Personalmobilitet"),
        ("Joint funding applications", "Gemensamma ansökningar"),
        ("Infrastructure sharing", "Delad infrastruktur"),
        ("Innovation", "Innovation"),
        ("Continuing education", "Fort- och vidareutbildning"),
        ("Doctoral training", "Forskarutbildning"),
        (
            "Internships and degree projects",
            "Praktik och examensarbeten"
        ),
        ("Advisory roles", "Rådgivande uppdrag"),
        ("Events", "Evenemang"),
    ]
);
labels!(
    AgreementKind,
    [
        ("MoU", "Avsiktsförklaring"),
        ("Framework agreement", "Ramavtal"),
        ("Exchange agreement", "Utbytesavtal"),
        ("Research agreement", "Forskningsavtal"),
        ("Other agreement", "Annat avtal"),
    ]
);
labels!(
    AgreementStatus,
    [
        ("Draft", "Utkast"),
        ("Negotiation", "Förhandling"),
        ("Active", "Aktivt"),
        ("Expired", "Utgånget"),
        ("Terminated", "Uppsagt"),
    ]
);
labels!(Side, [("Partner", "Partnern"), ("Ours", "Vår sida")]);
labels!(
    ContactRole,
    [
        ("Partner director", "Partnerchef"),
        ("Partner manager", "Partnersamordnare"),
        ("Steering group", "Styrgrupp"),
        ("Signatory", "Firmatecknare"),
        ("Other role", "Annan roll"),
    ]
);
labels!(
    ActivityKind,
    [
        ("Meeting", "Möte"),
        ("Visit", "Besök"),
        ("Workshop", "Workshop"),
        ("Conference or event", "Konferens eller evenemang"),
        ("Joint application", "Gemensam ansökan"),
        ("Agreement milestone", "Avtalsmilstolpe"),
        ("Publication", "Publikation"),
        ("Mobility or exchange", "Mobilitet eller utbyte"),
        ("Funding decision", "Finansieringsbeslut"),
        ("Other activity", "Annan aktivitet"),
    ]
);
labels!(
    ActivityStatus,
    [
        ("Planned", "Planerad"),
        ("Done", "Genomförd"),
        ("Cancelled", "Inställd")
    ]
);
labels!(
    AddedValue,
    [
        ("Quality", "Kvalitet"),
        ("Resources", "Resurser"),
        ("Impact", "Samhällspåverkan"),
        ("Influence", "Inflytande"),
        ("Reputation", "Anseende"),
        ("Cultural change", "Kulturförändring"),
    ]
);
labels!(
    MeetingKind,
    [
        ("Steering group meeting", "Styrgruppsmöte"),
        ("Management meeting", "Ledningsmöte"),
        ("Working group", "Arbetsgrupp"),
        ("Annual review", "Årlig uppföljning"),
        ("Other meeting", "Annat möte"),
    ]
);

/// Yes/no cells: `true`/`false` in machine form, Ja/Nej or Yes/No otherwise.
pub fn bool_cell(b: bool, lang: Option<Lang>) -> &'static str {
    match (lang, b) {
        (None, true) => "true",
        (None, false) => "false",
        (Some(Lang::En), true) => "Yes",
        (Some(Lang::En), false) => "No",
        (Some(Lang::Sv), true) => "Ja",
        (Some(Lang::Sv), false) => "Nej",
    }
}

/// Parse a yes/no cell in any of the forms [`bool_cell`] writes (and 1/0, x/empty).
pub fn parse_bool(s: &str) -> Option<bool> {
    match fold(s.trim()).as_str() {
        "true" | "yes" | "ja" | "1" | "x" => Some(true),
        "false" | "no" | "nej" | "0" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<E: Labelled + std::fmt::Debug>() {
        assert_eq!(E::ALL.len(), E::LABELS.len());
        // Every spelling parses back to its own variant: no label of one variant equals a key or a
        // label of another, in either language.
        for v in E::ALL {
            assert_eq!(E::parse_any(v.key()), Some(*v));
            assert_eq!(E::parse_any(v.label(Lang::En)), Some(*v), "{v:?}");
            assert_eq!(E::parse_any(v.label(Lang::Sv)), Some(*v), "{v:?}");
            assert_eq!(E::parse_any(&v.label(Lang::Sv).to_uppercase()), Some(*v));
        }
    }

    #[test]
    fn labels_are_complete_and_unambiguous() {
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
    }
}
