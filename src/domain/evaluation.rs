//! An evaluation of a partnership over a period: for each of the five characteristics and the
//! six added values our assessment and the partner's, the outcome against each goal, the
//! decision taken, and when the next evaluation is due.

use super::{AddedValue, Entity, EntityKind, Enumerated, FieldError, Id, date_days, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

enumeration!(
    /// The five characteristics of a strategic partnership (the seed deck).
    Characteristic {
        /// Senior management commitment and participation on both sides.
        SeniorCommitment = "senior_commitment",
        /// Mutual, long-term commitment.
        LongTerm = "long_term",
        /// Common goals and challenges, in line with both parties' strategies.
        CommonGoals = "common_goals",
        /// A diversity of collaboration formats and joint activities.
        DiverseActivities = "diverse_activities",
        /// Outcomes that neither party could reach alone.
        MutualBenefit = "mutual_benefit",
    }
);

enumeration!(
    /// What an evaluation decides.
    Decision {
        Continue = "continue",
        Renew = "renew",
        NewStart = "new_start",
        PhaseOut = "phase_out",
    }
);

enumeration!(
    /// How a goal stands at the end of an evaluated period.
    GoalOutcome {
        Reached = "reached",
        OnTrack = "on_track",
        Behind = "behind",
        Dropped = "dropped",
    }
);

/// Our assessment and the partner's, each a score 0..=4 or not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sides {
    pub ours: Option<u8>,
    pub partner: Option<u8>,
}

/// The outcome of one goal of the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalResult {
    pub goal: Id,
    pub outcome: GoalOutcome,
}

/// An evaluation of one partnership over `start..=end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub partner: Id,
    #[serde(with = "date_days")]
    pub start: NaiveDate,
    #[serde(with = "date_days")]
    pub end: NaiveDate,
    /// In the order of [`Characteristic::ALL`].
    pub characteristics: [Sides; 5],
    /// In the order of [`AddedValue::ALL`].
    pub values: [Sides; 6],
    pub goals: Vec<GoalResult>,
    pub decision: Decision,
    /// When the next evaluation is due.
    #[serde(with = "date_days::opt")]
    pub next: Option<NaiveDate>,
    pub comment: String,
}

impl Evaluation {
    /// The assessments of a characteristic.
    pub fn characteristic(&self, c: Characteristic) -> Sides {
        Characteristic::ALL
            .iter()
            .position(|x| *x == c)
            .and_then(|i| self.characteristics.get(i).copied())
            .unwrap_or_default()
    }

    /// The assessments of an added value.
    pub fn value(&self, v: AddedValue) -> Sides {
        AddedValue::ALL
            .iter()
            .position(|x| *x == v)
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or_default()
    }

    /// Whether the periods of two evaluations share a day.
    pub fn overlaps(&self, other: &Evaluation) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

fn sides_text(s: Sides) -> String {
    let one = |x: Option<u8>| x.map_or_else(|| "-".to_string(), |v| v.to_string());
    format!("{}/{}", one(s.ours), one(s.partner))
}

impl Entity for Evaluation {
    const KIND: EntityKind = EntityKind::Evaluation;
    fn normalise(&mut self) {
        self.comment = text::clean_multiline(&self.comment);
    }
    fn validate(&self) -> Vec<FieldError> {
        super::validate::evaluation(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("partner", self.partner.to_string()),
            ("start", self.start.to_string()),
            ("end", self.end.to_string()),
        ];
        for (c, s) in Characteristic::ALL.iter().zip(self.characteristics) {
            f.push((c.key(), sides_text(s)));
        }
        for (v, s) in AddedValue::ALL.iter().zip(self.values) {
            f.push((v.key(), sides_text(s)));
        }
        f.push((
            "goals",
            self.goals
                .iter()
                .map(|g| format!("{}:{}", g.goal, g.outcome.key()))
                .collect::<Vec<_>>()
                .join("; "),
        ));
        f.push(("decision", self.decision.key().into()));
        f.push(("next", self.next.map(|d| d.to_string()).unwrap_or_default()));
        f.push(("comment", self.comment.clone()));
        f
    }
    fn label(&self) -> String {
        format!("{}–{} {}", self.start, self.end, self.decision.key())
    }
}
