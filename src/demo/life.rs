//! The life cycle of the demo workspace: goals with indicators and targets, and the activities
//! and meeting decisions that follow them up; governance rhythms of their own for some strategic
//! partners; the phase changes that brought each partner to its phase; yearly evaluations that
//! never overlap, some recent and some overdue.
//!
//! Generated after every other record from a random sequence of its own, so that the partners,
//! activities and notes are the same as before the life cycle existed.

use super::{DemoSpec, DemoSummary, Rng, days, meta, sample};
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the rest of the demo made, for the life cycle to refer to.
pub(super) struct Made<'a> {
    pub partners: &'a [Record<Partner>],
    /// Per partner, the goals it was given.
    pub goal_lines: &'a [Vec<&'static str>],
    pub activities: &'a [Activity],
    /// The id of `activities[0]` (the rest follow in order).
    pub first_activity: u64,
    pub notes: &'a [Note],
    pub first_note: u64,
}

/// How each demo goal is measured: (indicator, target).
const MEASURES: &[(&str, &str)] = &[
    ("Doctoral students in the joint programme", "8 by 2028"),
    ("Students in the double-degree programme", "15 a year"),
    ("Joint Horizon Europe applications", "2 a year"),
    ("Exchange students each way", "20 a year"),
    ("Research groups using the test bed", "5"),
    ("Engineers in continuing education", "40 a year"),
    ("Joint publications on circular materials", "10 a year"),
    ("Antal gemensamma publikationer", "12 per år"),
    ("Antal gemensamma ansökningar", "3 per år"),
];

/// Generate and store the life cycle; returns the summary with its counts.
pub(super) fn generate(
    store: &Store,
    spec: &DemoSpec,
    user: &str,
    now: Timestamp,
    made: &Made<'_>,
    mut summary: DemoSummary,
) -> Result<DemoSummary, StoreError> {
    let mut rng = Rng(spec.seed ^ 0x11FE_C7C1_E000_0001);
    let today = spec.today;

    // Goals, from the lines each partner was given.
    let mut goals: Vec<Goal> = Vec::new();
    for (p, lines) in made.partners.iter().zip(made.goal_lines) {
        for line in lines {
            let (indicator, target) = *rng.pick(MEASURES);
            let status = match rng.below(10) {
                0 => GoalStatus::Dropped,
                1 | 2 => GoalStatus::Reached,
                _ => GoalStatus::Open,
            };
            goals.push(Goal {
                partner: p.meta.id,
                text: (*line).to_string(),
                values: sample(&mut rng, AddedValue::ALL, 1, 2),
                indicator: indicator.to_string(),
                target: target.to_string(),
                deadline: if rng.chance(80) {
                    Some(days(today, rng.below(365 * 4) as i64 - 180))
                } else {
                    None
                },
                status,
                owner: p.data.coordinator.clone(),
            });
        }
    }
    let first_goal = store.reserve_ids(goals.len() as u64)?;
    let goal_records: Vec<Record<Goal>> = goals
        .into_iter()
        .enumerate()
        .map(|(i, g)| Record {
            meta: meta(Id(first_goal + i as u64), user, now),
            data: g,
        })
        .collect();
    let mut goals_of: HashMap<Id, Vec<Id>> = HashMap::new();
    for g in &goal_records {
        goals_of.entry(g.data.partner).or_default().push(g.meta.id);
    }

    // Links: about a third of the activities of partners with goals serve one or two of them;
    // so do the decisions of some of their meeting notes. Some goals go without, which the
    // overview then flags.
    let mut links: Vec<GoalLinks> = Vec::new();
    for (i, a) in made.activities.iter().enumerate() {
        let Some(mine) = a.partners.first().and_then(|p| goals_of.get(p)) else {
            continue;
        };
        if a.status == ActivityStatus::Cancelled || !rng.chance(35) {
            continue;
        }
        links.push(GoalLinks {
            source: LinkSource::Activity,
            source_id: Id(made.first_activity + i as u64),
            goals: sample(&mut rng, mine, 1, 1),
        });
    }
    for (i, n) in made.notes.iter().enumerate() {
        let Some(mine) = n.partners.first().and_then(|p| goals_of.get(p)) else {
            continue;
        };
        if n.decisions.is_empty() || !rng.chance(50) {
            continue;
        }
        links.push(GoalLinks {
            source: LinkSource::Note,
            source_id: Id(made.first_note + i as u64),
            goals: sample(&mut rng, mine, 1, 0),
        });
    }
    summary.goals = goal_records.len();
    summary.goal_links = links.len();
    store.insert_bulk(user, &goal_records)?;
    super::insert_all(store, user, now, links)?;

    // Rhythms, phase histories and evaluations, from a sequence of their own again, so that the
    // goals and links above stay as they were.
    let mut rng = Rng(spec.seed ^ 0x11FE_C7C1_E000_0002);
    let mut rhythms = Vec::new();
    let mut changes = Vec::new();
    let mut evaluations = Vec::new();
    for p in made.partners {
        let id = p.meta.id;
        if let Some(r) = rhythm(&mut rng, p) {
            rhythms.push(r);
        }
        changes.extend(phase_history(&mut rng, p, today));
        let mine = goals_of.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        evaluations.extend(evaluations_of(&mut rng, p, mine, today));
    }
    summary.rhythms = rhythms.len();
    summary.phase_changes = changes.len();
    summary.evaluations = evaluations.len();
    super::insert_all(store, user, now, rhythms)?;
    super::insert_all(store, user, now, changes)?;
    super::insert_all(store, user, now, evaluations)?;
    Ok(summary)
}

/// About a third of the strategic partners keep a rhythm of their own.
fn rhythm(rng: &mut Rng, p: &Record<Partner>) -> Option<Rhythm> {
    if p.data.tier != Tier::Strategic || !rng.chance(35) {
        return None;
    }
    Some(Rhythm {
        partner: p.meta.id,
        steering_group_months: *rng.pick(&[2, 3, 4, 6]),
        management_months: *rng.pick(&[4, 9, 12]),
    })
}

/// Why a partnership moved on, by the phase it entered.
fn reason(rng: &mut Rng, to: Phase) -> &'static str {
    let options: &[&'static str] = match to {
        Phase::Prospect => &["Identified at a conference"],
        Phase::StartUp => &[
            "Letter of intent signed by both rectors",
            "Suitability assessed; the steering group said yes",
        ],
        Phase::Running => &[
            "Agreement signed and the steering group named",
            "First joint activities under way",
        ],
        Phase::Evaluation => &[
            "The agreement ends next year",
            "Three years since the start: time to evaluate",
        ],
        Phase::NewStart => &["The evaluation recommended a new start with new goals"],
        Phase::PhaseOut => &[
            "The partner's priorities changed",
            "Few joint activities in the last two years",
        ],
        Phase::Ended => &["The last agreement has ended"],
    };
    options
        .get(rng.below(options.len()))
        .copied()
        .unwrap_or_default()
}

/// The changes that brought the partner from prospect to its phase now, oldest first, the
/// latest before today. Now and then a change went ahead with a criterion unmet.
fn phase_history(rng: &mut Rng, p: &Record<Partner>, today: NaiveDate) -> Vec<PhaseChange> {
    let Some(upto) = Phase::ALL.iter().position(|x| *x == p.data.phase) else {
        return Vec::new();
    };
    let steps: Vec<(Phase, Phase)> = Phase::ALL[..=upto]
        .windows(2)
        .map(|w| (w[0], w[1]))
        .collect();
    // Dates backwards from the latest change.
    let mut date = days(today, -(1 + rng.below(300) as i64));
    let mut dated = Vec::with_capacity(steps.len());
    for (from, to) in steps.into_iter().rev() {
        dated.push((from, to, date));
        date = days(date, -(60 + rng.below(500) as i64));
    }
    dated
        .into_iter()
        .rev()
        .map(|(from, to, date)| PhaseChange {
            partner: p.meta.id,
            from,
            to,
            date,
            reason: reason(rng, to).to_string(),
            unmet: if rng.chance(12) {
                vec![*rng.pick(Criterion::ALL)]
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// Yearly evaluations of partners that have been running for a while: one to three periods
/// back to back with gaps between them, the latest ended recently or long ago (when the next
/// one is overdue).
fn evaluations_of(
    rng: &mut Rng,
    p: &Record<Partner>,
    goals: &[Id],
    today: NaiveDate,
) -> Vec<Evaluation> {
    let evaluated = matches!(
        p.data.phase,
        Phase::Running | Phase::Evaluation | Phase::NewStart | Phase::PhaseOut | Phase::Ended
    );
    if !evaluated || !rng.chance(60) {
        return Vec::new();
    }
    let n = 1 + rng.below(3);
    let mut end = days(today, -(10 + rng.below(700) as i64));
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let start = days(end, -364);
        let score = |rng: &mut Rng| (!rng.chance(10)).then(|| rng.below(5) as u8);
        let sides = |rng: &mut Rng| Sides {
            ours: score(rng),
            partner: score(rng),
        };
        let characteristics = [(); 5].map(|_| sides(rng));
        let values = [(); 6].map(|_| sides(rng));
        let picked = if goals.is_empty() {
            Vec::new()
        } else {
            sample(rng, goals, 0, 3)
        };
        let results = picked
            .into_iter()
            .map(|goal| GoalResult {
                goal,
                outcome: *rng.pick(GoalOutcome::ALL),
            })
            .collect();
        out.push(Evaluation {
            partner: p.meta.id,
            start,
            end,
            characteristics,
            values,
            goals: results,
            decision: *rng.pick(&[Decision::Continue, Decision::Continue, Decision::Renew]),
            next: Some(days(end, 365)),
            comment: "Reviewed by both steering groups.".to_string(),
        });
        end = days(start, -(1 + rng.below(120) as i64));
    }
    out.reverse();
    out
}
