//! What each added value covers, with examples, in the product's own words (the matrix's
//! explanation box).

use super::Lang;
use crate::domain::AddedValue;

/// What a value covers, and examples, in the product's own words.
pub fn value_description(lang: Lang, v: AddedValue) -> (&'static str, &'static [&'static str]) {
    match (lang, v) {
        (Lang::En, AddedValue::Quality) => (
            "The partnership lifts the quality and relevance of our research and teaching.",
            &[
                "Courses shaped together with the partner's practitioners",
                "Joint research that neither side could run alone",
                "Collaboration that is structured and can scale",
            ],
        ),
        (Lang::Sv, AddedValue::Quality) => (
            "Partnerskapet höjer kvaliteten och relevansen i vår forskning och utbildning.",
            &[
                "Kurser som formas tillsammans med partnerns yrkesverksamma",
                "Gemensam forskning som ingen part klarar ensam",
                "Samverkan med struktur som går att skala upp",
            ],
        ),
        (Lang::En, AddedValue::Resources) => (
            "We gain access to resources we would not otherwise have.",
            &[
                "Unique infrastructure, data or technology at the partner",
                "Investments the partner co-funds",
                "Stronger joint applications for external funding",
            ],
        ),
        (Lang::Sv, AddedValue::Resources) => (
            "Vi får tillgång till resurser vi annars inte skulle ha.",
            &[
                "Unik infrastruktur, data eller teknik hos partnern",
                "Satsningar som partnern medfinansierar",
                "Starkare gemensamma ansökningar om extern finansiering",
            ],
        ),
        (Lang::En, AddedValue::Impact) => (
            "Knowledge is created together and put to use in society.",
            &[
                "Research results applied in the partner's operations",
                "Co-created solutions to shared challenges",
                "Closer ties between the university and society",
            ],
        ),
        (Lang::Sv, AddedValue::Impact) => (
            "Kunskap skapas tillsammans och kommer till nytta i samhället.",
            &[
                "Forskningsresultat som används i partnerns verksamhet",
                "Lösningar på gemensamma utmaningar som tas fram tillsammans",
                "Närmare band mellan lärosätet och samhället",
            ],
        ),
        (Lang::En, AddedValue::Influence) => (
            "Together we carry more weight with decision-makers and in public debate.",
            &[
                "Joint statements on research and education policy",
                "Raising societal needs with funders and government",
                "An alliance that sets the agenda in a field",
            ],
        ),
        (Lang::Sv, AddedValue::Influence) => (
            "Tillsammans väger vi tyngre hos beslutsfattare och i samhällsdebatten.",
            &[
                "Gemensamma inspel om forsknings- och utbildningspolitik",
                "Att lyfta samhällsbehov hos finansiärer och regering",
                "En allians som sätter agendan inom ett område",
            ],
        ),
        (Lang::En, AddedValue::Reputation) => (
            "The partnership makes us visible and attractive.",
            &[
                "Visibility and a clearer profile",
                "Recruiting staff and students through the partner",
                "Showing the university's role in society",
            ],
        ),
        (Lang::Sv, AddedValue::Reputation) => (
            "Partnerskapet gör oss synliga och attraktiva.",
            &[
                "Synlighet och en tydligare profil",
                "Rekrytering av personal och studenter via partnern",
                "Att visa lärosätets roll i samhället",
            ],
        ),
        (Lang::En, AddedValue::CulturalChange) => (
            "Working together changes how we set priorities and talk about collaboration.",
            &[
                "Rallying faculties around joint initiatives",
                "A shared basis for setting priorities",
                "Staff who see and can explain the value of collaboration",
            ],
        ),
        (Lang::Sv, AddedValue::CulturalChange) => (
            "Samarbetet förändrar hur vi prioriterar och talar om samverkan.",
            &[
                "Fakulteter som samlas kring gemensamma initiativ",
                "En gemensam grund för prioriteringar",
                "Medarbetare som ser och kan förklara värdet av samverkan",
            ],
        ),
    }
}
