//! The partner report's document: phase and history, agreements and renewal, governance
//! compliance, goals with their follow-up, the year's activities (per month, value and goal), the
//! value matrix of both sides with trends, the year's decisions and the open action items.

use super::{Block, Doc, HeatCell, PartnerData, Section, Trend};
use crate::domain::{AddedValue, Enumerated, GoalStatus, Id};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Msg, t};
use crate::i18n::vocab::Label;
use crate::service::{Renewal, RhythmState};
use chrono::NaiveDate;

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A table, or a line saying there is nothing, when it has no rows.
fn table(lang: Lang, head: Vec<String>, rows: Vec<Vec<String>>, numeric: Vec<bool>) -> Block {
    if rows.is_empty() {
        return Block::Para(t(lang, Msg::RpNothing).into());
    }
    Block::Table {
        head,
        rows,
        numeric,
    }
}

fn heads(lang: Lang, msgs: &[Msg]) -> Vec<String> {
    msgs.iter().map(|m| t(lang, *m).to_string()).collect()
}

/// The twelve month labels of a year ("jan", "feb", ...).
pub(super) fn month_labels(lang: Lang, year: i32) -> Vec<String> {
    (1..=12u32)
        .map(|m| {
            NaiveDate::from_ymd_opt(year, m, 1)
                .map(|d| crate::i18n::dates::month_short(lang, d))
                .unwrap_or_else(|| m.to_string())
        })
        .collect()
}

/// The report's subtitle: the year and the day it was made.
pub(super) fn subtitle(lang: Lang, year: i32, today: NaiveDate) -> String {
    format!(
        "{} {year} · {} {today}",
        t(lang, Msg::RpYear),
        t(lang, Msg::RpMade)
    )
}

/// What a renewal state says.
pub(super) fn renewal_text(lang: Lang, r: Renewal) -> String {
    match r {
        Renewal::None => String::new(),
        Renewal::Due { end } => format!("{} ({end})", t(lang, Msg::OvRenewalDue)),
        Renewal::Expired { end } => format!("{} ({end})", t(lang, Msg::OvEnded)),
    }
}

/// The score scale, from the score labels: "Poäng 0-4: 0 inget, 1 …".
pub(super) fn scale(lang: Lang) -> String {
    let levels: Vec<String> = (0..=crate::domain::SCORE_MAX)
        .map(|s| format!("{s} {}", crate::i18n::vocab::score_label(lang, s)))
        .collect();
    format!("{}: {}", t(lang, Msg::Scores), levels.join(", "))
}

/// The partner report of `d` in `lang`.
pub fn doc(d: &PartnerData, lang: Lang) -> Doc {
    let p = &d.detail.partner.data;
    Doc {
        lang,
        title: format!("{}: {}", t(lang, Msg::RpPartnerTitle), p.name),
        subtitle: subtitle(lang, d.year, d.today),
        sections: vec![
            phases(d, lang),
            agreements(d, lang),
            governance(d, lang),
            goals(d, lang),
            activities(d, lang),
            matrix(d, lang),
            decisions(d, lang),
            actions(d, lang),
        ],
    }
}

fn phases(d: &PartnerData, lang: Lang) -> Section {
    let p = &d.detail.partner.data;
    let facts = vec![
        (t(lang, Msg::ColKind).into(), p.kind.label(lang).into()),
        (t(lang, Msg::ColCountry).into(), p.country.clone()),
        (t(lang, Msg::ColTier).into(), p.tier.label(lang).into()),
        (
            t(lang, Msg::RpCurrentPhase).into(),
            p.phase.label(lang).into(),
        ),
        (t(lang, Msg::RpCoordinator).into(), p.coordinator.clone()),
    ];
    let rows = d
        .life
        .phases
        .iter()
        .map(|r| {
            vec![
                r.data.date.to_string(),
                r.data.from.label(lang).into(),
                r.data.to.label(lang).into(),
                r.meta.created_by.clone(),
                r.data.reason.clone(),
            ]
        })
        .collect();
    let head = heads(
        lang,
        &[
            Msg::ColDate,
            Msg::RpFrom,
            Msg::RpTo,
            Msg::RpBy,
            Msg::RpReason,
        ],
    );
    Section {
        id: "phases",
        heading: t(lang, Msg::RpPhases).into(),
        blocks: vec![Block::Facts(facts), table(lang, head, rows, vec![false; 5])],
    }
}

fn agreements(d: &PartnerData, lang: Lang) -> Section {
    let rows = d
        .detail
        .agreements
        .iter()
        .map(|a| {
            let a = &a.data;
            let end = match a.end {
                Some(e) => e.to_string(),
                None => t(lang, Msg::OpenEnded).into(),
            };
            let renewal = match a.renewal_due() {
                Some(due) => due.to_string(),
                None => String::new(),
            };
            vec![
                a.title.clone(),
                a.kind.label(lang).into(),
                a.status.label(lang).into(),
                a.start.to_string(),
                end,
                a.renewal_lead_months.to_string(),
                renewal,
            ]
        })
        .collect();
    let head = heads(
        lang,
        &[
            Msg::ColTitle,
            Msg::ColKind,
            Msg::ColStatus,
            Msg::FStart,
            Msg::RpEnd,
            Msg::RpLeadMonths,
            Msg::RpRenewal,
        ],
    );
    let mut blocks = vec![table(
        lang,
        head,
        rows,
        vec![false, false, false, false, false, true, false],
    )];
    let r = renewal_text(lang, d.detail.renewal);
    if !r.is_empty() {
        blocks.push(Block::Facts(vec![(t(lang, Msg::RpRenewal).into(), r)]));
    }
    if let Some(c) = &d.detail.checklist {
        blocks.push(Block::Facts(vec![(
            t(lang, Msg::RenewalChecklist).into(),
            crate::i18n::phrases::renewal_checklist(c, lang),
        )]));
    }
    Section {
        id: "agreements",
        heading: t(lang, Msg::RpAgreements).into(),
        blocks,
    }
}

pub(super) fn rhythm_state(lang: Lang, s: RhythmState) -> &'static str {
    match s {
        RhythmState::Kept => t(lang, Msg::RpKept),
        RhythmState::Overdue => t(lang, Msg::Overdue),
        RhythmState::NoneRecorded => t(lang, Msg::OvNeverHeld),
    }
}

fn governance(d: &PartnerData, lang: Lang) -> Section {
    let blocks = match &d.life.governance {
        None => vec![Block::Para(t(lang, Msg::RpNotGoverned).into())],
        Some(g) => {
            let rows = g
                .meetings
                .iter()
                .map(|m| {
                    vec![
                        m.kind.label(lang).into(),
                        date(m.last),
                        date(m.next_due),
                        rhythm_state(lang, m.state).into(),
                    ]
                })
                .collect();
            let head = heads(
                lang,
                &[
                    Msg::RpMeeting,
                    Msg::RpLastHeld,
                    Msg::RpNextDue,
                    Msg::RpState,
                ],
            );
            let state = if g.behind() {
                Msg::RpBehind
            } else {
                Msg::RpKept
            };
            vec![
                Block::Facts(vec![(
                    t(lang, Msg::RpGovernanceCol).into(),
                    t(lang, state).into(),
                )]),
                table(lang, head, rows, vec![false; 4]),
            ]
        }
    };
    Section {
        id: "governance",
        heading: t(lang, Msg::RpGovernance).into(),
        blocks,
    }
}

/// Activities of the year linked to goal `id`.
fn in_year(d: &PartnerData, id: Id) -> u32 {
    d.counts
        .goals
        .iter()
        .find(|(g, _)| *g == id)
        .map_or(0, |(_, n)| *n)
}

fn goals(d: &PartnerData, lang: Lang) -> Section {
    let rows = d
        .life
        .goals
        .iter()
        .map(|g| {
            let flag = if g.no_follow_up && g.goal.data.status == GoalStatus::Open {
                t(lang, Msg::RpNoFollowUp).to_string()
            } else {
                String::new()
            };
            vec![
                g.goal.data.text.clone(),
                g.goal.data.status.label(lang).into(),
                date(g.goal.data.deadline),
                in_year(d, g.goal.meta.id).to_string(),
                date(g.last),
                flag,
            ]
        })
        .collect();
    let head = heads(
        lang,
        &[
            Msg::RpGoal,
            Msg::ColStatus,
            Msg::RpDeadline,
            Msg::RpInYear,
            Msg::RpLastFollowUp,
            Msg::RpWithoutFollowUp,
        ],
    );
    Section {
        id: "goals",
        heading: t(lang, Msg::RpGoals).into(),
        blocks: vec![table(
            lang,
            head,
            rows,
            vec![false, false, false, true, false, false],
        )],
    }
}

fn activities(d: &PartnerData, lang: Lang) -> Section {
    let c = &d.counts;
    let by_value: Vec<Vec<String>> = AddedValue::ALL
        .iter()
        .map(|v| vec![v.label(lang).into(), c.values[v.index()].to_string()])
        .collect();
    let by_goal: Vec<Vec<String>> = d
        .life
        .goals
        .iter()
        .map(|g| {
            vec![
                g.goal.data.text.clone(),
                in_year(d, g.goal.meta.id).to_string(),
            ]
        })
        .collect();
    let total = vec![(t(lang, Msg::RpTotal).into(), c.total.to_string())];
    Section {
        id: "activities",
        heading: t(lang, Msg::RpActivities).into(),
        blocks: vec![
            Block::Facts(total),
            Block::Months {
                caption: format!("{} {}", t(lang, Msg::ActivitiesPerMonth), d.year),
                labels: month_labels(lang, d.year),
                counts: c.months,
            },
            table(
                lang,
                heads(lang, &[Msg::RpValue, Msg::RpCount]),
                by_value,
                vec![false, true],
            ),
            table(
                lang,
                heads(lang, &[Msg::RpGoal, Msg::RpCount]),
                by_goal,
                vec![false, true],
            ),
        ],
    }
}

fn cell(lang: Lang, score: Option<u8>, previous: Option<u8>) -> HeatCell {
    match score {
        Some(s) => HeatCell {
            score: Some(f32::from(s)),
            text: format!("{s} {}", crate::i18n::vocab::score_label(lang, s)),
            trend: Trend::of(s, previous),
        },
        None => HeatCell {
            score: None,
            text: "–".into(),
            trend: None,
        },
    }
}

fn matrix(d: &PartnerData, lang: Lang) -> Section {
    // The partner's side as the value matrix shows it: from the latest evaluation that gives a
    // score on the value, the trend from the one before that gives one.
    let rows = AddedValue::ALL
        .iter()
        .map(|v| {
            let i = v.index();
            let ours = d.detail.scores[i];
            let theirs = d.detail.theirs[i];
            (
                v.label(lang).to_string(),
                vec![
                    cell(lang, ours.map(|c| c.score), ours.and_then(|c| c.previous)),
                    cell(
                        lang,
                        theirs.map(|c| c.score),
                        theirs.and_then(|c| c.previous),
                    ),
                ],
            )
        })
        .collect();
    let mut blocks = vec![Block::Heat {
        caption: t(lang, Msg::RpMatrixBoth).into(),
        columns: heads(lang, &[Msg::RpOurs, Msg::RpTheirs]),
        rows,
    }];
    // Where the partner's scores come from: the evaluations (by the end of their period) that
    // gave them, newest first.
    let mut from: Vec<NaiveDate> = d.detail.theirs.iter().flatten().map(|c| c.date).collect();
    from.sort_unstable_by(|a, b| b.cmp(a));
    from.dedup();
    if !from.is_empty() {
        let dates: Vec<String> = from.iter().map(NaiveDate::to_string).collect();
        blocks.push(Block::Facts(vec![(
            t(lang, Msg::RpTheirs).into(),
            format!("{} {}", t(lang, Msg::EvaluationUntil), dates.join(", ")),
        )]));
    }
    blocks.push(Block::Para(format!(
        "{} {}",
        t(lang, Msg::RpTrendLegend),
        scale(lang)
    )));
    Section {
        id: "matrix",
        heading: t(lang, Msg::PaneMatrix).into(),
        blocks,
    }
}

fn decisions(d: &PartnerData, lang: Lang) -> Section {
    let mut rows = Vec::new();
    for n in &d.notes {
        for dec in &n.data.decisions {
            rows.push(vec![
                n.data.date.to_string(),
                n.data.kind.label(lang).into(),
                n.data.title.clone(),
                dec.clone(),
            ]);
        }
    }
    let head = heads(
        lang,
        &[Msg::ColDate, Msg::RpMeeting, Msg::ColTitle, Msg::Decisions],
    );
    Section {
        id: "decisions",
        heading: t(lang, Msg::RpDecisions).into(),
        blocks: vec![table(lang, head, rows, vec![false; 4])],
    }
}

fn actions(d: &PartnerData, lang: Lang) -> Section {
    let rows = d
        .detail
        .open_actions
        .iter()
        .filter(|a| !a.item.done)
        .map(|a| {
            let flag = if a.overdue {
                t(lang, Msg::Overdue).to_string()
            } else {
                String::new()
            };
            vec![
                a.item.text.clone(),
                a.item.owner.clone(),
                date(a.item.due),
                flag,
                a.note_title.clone(),
            ]
        })
        .collect();
    let head = heads(
        lang,
        &[
            Msg::ActionItem,
            Msg::ColOwner,
            Msg::ColDue,
            Msg::Overdue,
            Msg::RpMeeting,
        ],
    );
    Section {
        id: "actions",
        heading: t(lang, Msg::OpenActions).into(),
        blocks: vec![table(lang, head, rows, vec![false; 5])],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn month_labels_follow_the_language() {
        let sv = super::month_labels(crate::i18n::Lang::Sv, 2026);
        let en = super::month_labels(crate::i18n::Lang::En, 2026);
        assert_eq!(sv.len(), 12);
        assert_ne!(sv[4], en[4]);
    }
}
