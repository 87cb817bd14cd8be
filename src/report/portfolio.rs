//! The portfolio's document: one line per strategic partner (phase, agreement end and renewal,
//! governance, matrix means, goals), then the totals, the activities per month and the heat
//! matrix of our mean scores per phase and value.

use super::partner::{month_labels, renewal_text, scale, subtitle};
use super::{Block, Doc, HeatCell, Section};
use crate::domain::{AddedValue, Enumerated, GoalStatus, Phase};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Msg, t};
use crate::i18n::counts::decimal;
use crate::i18n::vocab::Label;
use crate::service::{GovernanceMark, Portfolio};

fn mean(lang: Lang, x: Option<f32>) -> String {
    x.map(|x| decimal(lang, f64::from(x), 1))
        .unwrap_or_default()
}

pub(super) fn governance(lang: Lang, g: GovernanceMark) -> &'static str {
    match g {
        GovernanceMark::Kept => t(lang, Msg::RpKept),
        GovernanceMark::Behind => t(lang, Msg::RpBehind),
        GovernanceMark::NotGoverned => t(lang, Msg::RpNotGoverned),
    }
}

/// The portfolio report of `p` in `lang`.
pub fn doc(p: &Portfolio, lang: Lang) -> Doc {
    let mut head: Vec<String> = [
        Msg::ColName,
        Msg::ColCountry,
        Msg::ColPhase,
        Msg::ColAgreementEnd,
        Msg::RpRenewal,
        Msg::RpGovernanceCol,
        Msg::RpMeanOurs,
        Msg::RpMeanTheirs,
    ]
    .iter()
    .map(|m| t(lang, *m).to_string())
    .collect();
    head.extend(
        [GoalStatus::Open, GoalStatus::Reached, GoalStatus::Dropped]
            .iter()
            .map(|s| s.label(lang).to_string()),
    );
    head.push(t(lang, Msg::RpWithoutFollowUp).into());
    head.push(t(lang, Msg::RpActivitiesCol).into());
    let mut numeric = vec![false; 6];
    numeric.extend([true; 7]);
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.country.clone(),
                r.phase.label(lang).into(),
                r.agreement_end.map(|d| d.to_string()).unwrap_or_default(),
                renewal_text(lang, r.renewal),
                governance(lang, r.governance).into(),
                mean(lang, r.ours),
                mean(lang, r.theirs),
                r.goals.open.to_string(),
                r.goals.reached.to_string(),
                r.goals.dropped.to_string(),
                r.goals.no_follow_up.to_string(),
                r.activities.to_string(),
            ]
        })
        .collect();
    let partners = if rows.is_empty() {
        Block::Para(t(lang, Msg::RpNothing).into())
    } else {
        Block::Table {
            head,
            rows,
            numeric,
        }
    };
    Doc {
        lang,
        title: t(lang, Msg::RpPortfolioTitle).into(),
        subtitle: subtitle(lang, p.year, p.today),
        sections: vec![
            totals(p, lang),
            Section {
                id: "partners",
                heading: t(lang, Msg::RpPortfolio).into(),
                blocks: vec![partners],
            },
        ],
    }
}

fn totals(p: &Portfolio, lang: Lang) -> Section {
    let n = |x: u32| x.to_string();
    let mut facts = vec![
        (
            t(lang, Msg::RpStrategicCount).into(),
            p.rows.len().to_string(),
        ),
        (t(lang, Msg::RpRenewalsDue).into(), n(p.renewals_due)),
        (t(lang, Msg::RpExpired).into(), n(p.renewals_expired)),
        (t(lang, Msg::RpGovKept).into(), n(p.governance[0])),
        (t(lang, Msg::RpGovBehind).into(), n(p.governance[1])),
        (t(lang, Msg::RpMeanOurs).into(), mean(lang, p.ours)),
        (t(lang, Msg::RpMeanTheirs).into(), mean(lang, p.theirs)),
    ];
    for (s, x) in [
        (GoalStatus::Open, p.goals.open),
        (GoalStatus::Reached, p.goals.reached),
        (GoalStatus::Dropped, p.goals.dropped),
    ] {
        facts.push((format!("{}: {}", t(lang, Msg::RpGoal), s.label(lang)), n(x)));
    }
    facts.push((
        t(lang, Msg::RpWithoutFollowUp).into(),
        n(p.goals.no_follow_up),
    ));
    facts.push((
        t(lang, Msg::RpActivitiesCol).into(),
        n(p.months.iter().sum()),
    ));
    let phase_rows: Vec<Vec<String>> = Phase::ALL
        .iter()
        .zip(&p.phases)
        .filter(|(_, n)| **n > 0)
        .map(|(ph, n)| vec![ph.label(lang).into(), n.to_string()])
        .collect();
    let cells = |means: &[Option<f32>; 6]| -> Vec<HeatCell> {
        means
            .iter()
            .map(|m| HeatCell {
                score: *m,
                text: m.map_or_else(|| "–".into(), |x| decimal(lang, f64::from(x), 1)),
                trend: None,
            })
            .collect()
    };
    let mut heat: Vec<(String, Vec<HeatCell>)> = Phase::ALL
        .iter()
        .zip(&p.phase_values)
        .zip(&p.phases)
        .filter(|(_, n)| **n > 0)
        .map(|((ph, m), _)| (ph.label(lang).to_string(), cells(m)))
        .collect();
    heat.push((t(lang, Msg::RpAll).into(), cells(&p.value_means)));
    let mut blocks = vec![Block::Facts(facts)];
    if !phase_rows.is_empty() {
        blocks.push(Block::Table {
            head: vec![t(lang, Msg::ColPhase).into(), t(lang, Msg::RpCount).into()],
            rows: phase_rows,
            numeric: vec![false, true],
        });
    }
    blocks.push(Block::Months {
        caption: format!("{} {}", t(lang, Msg::ActivitiesPerMonth), p.year),
        labels: month_labels(lang, p.year),
        counts: p.months,
    });
    blocks.push(Block::Heat {
        caption: t(lang, Msg::RpHeatPhases).into(),
        columns: AddedValue::ALL
            .iter()
            .map(|v| v.label(lang).to_string())
            .collect(),
        rows: heat,
    });
    blocks.push(Block::Para(scale(lang)));
    Section {
        id: "totals",
        heading: t(lang, Msg::RpTotals).into(),
        blocks,
    }
}
