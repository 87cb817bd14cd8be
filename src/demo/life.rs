//! The life cycle of the demo workspace: goals with indicators and targets, and the activities
//! and meeting decisions that follow them up.
//!
//! Generated after every other record from a random sequence of its own, so that the partners,
//! activities and notes are the same as before the life cycle existed.

use super::{DemoSpec, DemoSummary, Rng, days, meta, sample};
use crate::domain::*;
use crate::store::{Store, StoreError};
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
    Ok(summary)
}
