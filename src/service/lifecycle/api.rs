//! The life cycle's part of the service API: what the partner detail, the link dialog, the
//! overview and the reports are answered with.

use crate::domain::{
    Criterion, Goal, GoalLinks, GoalStatus, Id, LinkSource, Phase, PhaseChange, Record, Suitability,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An activity or a meeting note linked to a goal, as the follow-up lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedItem {
    pub source: LinkSource,
    pub id: Id,
    pub date: NaiveDate,
    pub title: String,
}

/// One goal with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalFollowUp {
    pub goal: Record<Goal>,
    /// Linked activities and notes dated in the last 12 months up to today, newest first.
    pub linked: Vec<LinkedItem>,
    /// The latest linked activity or note up to today.
    pub last: Option<NaiveDate>,
    /// An open goal with nothing linked in the last 6 months.
    pub no_follow_up: bool,
}

/// The life cycle of one partner, for its detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerLifecycle {
    pub partner: Id,
    /// Goals that are not archived: open ones first, then reached, then dropped; by deadline.
    pub goals: Vec<GoalFollowUp>,
    pub archived_goals: Vec<Record<Goal>>,
    /// Phase changes, newest first.
    pub phases: Vec<Record<PhaseChange>>,
    /// The next phase in the usual course and how its criteria stand (None after evaluation,
    /// where the evaluation decides, and once ended).
    pub next: Option<PhaseChecks>,
    /// Suitability and risk assessments, newest first.
    pub suitability: Vec<Record<Suitability>>,
    pub archived_suitability: Vec<Record<Suitability>>,
    /// The governance rhythm and its compliance (None: not a strategic partner between
    /// start-up and phase-out).
    pub governance: Option<Governance>,
    /// Evaluations that are not archived, the latest period first.
    pub evaluations: Vec<Record<crate::domain::Evaluation>>,
}

/// Whether the meetings of one kind keep their rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RhythmState {
    /// The next meeting is due today or later.
    Kept,
    /// The next meeting was due before today.
    Overdue,
    /// No meeting of this kind is recorded.
    NoneRecorded,
}

/// The meetings of one governed kind against the rhythm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCompliance {
    pub kind: crate::domain::MeetingKind,
    /// The months between meetings.
    pub months: u8,
    /// The latest meeting on or before today.
    pub last: Option<NaiveDate>,
    /// The last meeting plus the rhythm (the month's last day where the day does not exist).
    pub next_due: Option<NaiveDate>,
    pub state: RhythmState,
}

/// A partner's governance rhythm and how its meetings keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Governance {
    /// The partner's own rhythm (None: the defaults).
    pub rhythm: Option<Record<crate::domain::Rhythm>>,
    /// One entry per governed meeting kind.
    pub meetings: Vec<MeetingCompliance>,
}

impl Governance {
    /// Whether any governed meeting is overdue or was never held.
    pub fn behind(&self) -> bool {
        self.meetings.iter().any(|m| m.state != RhythmState::Kept)
    }
}

/// The Partners pane's governance mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum GovernanceMark {
    /// Not expected to keep a rhythm.
    #[default]
    NotGoverned,
    /// Every governed meeting is in rhythm.
    Kept,
    /// A governed meeting is overdue or was never held.
    Behind,
}

/// Whether a criterion of a phase is met now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionCheck {
    pub criterion: Criterion,
    pub met: bool,
    /// Why an unmet criterion cannot be met from the records, where the criterion alone does not
    /// say.
    pub why: Option<Shortfall>,
}

/// Why a criterion is not met, beyond the criterion's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shortfall {
    /// No evaluation of the partner is recorded.
    NoEvaluation,
    /// The latest evaluation's period ended on this day, more than 12 months ago.
    LastEvaluation(NaiveDate),
}

/// The criteria of entering one phase, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChecks {
    pub phase: Phase,
    pub checks: Vec<CriterionCheck>,
}

/// What the phase dialog needs: the partner as it is and the criteria of every phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseCriteria {
    pub partner: Id,
    pub name: String,
    pub version: u64,
    pub current: Phase,
    /// Every phase, in the order of `Phase::ALL`.
    pub phases: Vec<PhaseChecks>,
    /// The date of the latest phase change (a new one may not lie before it).
    pub last_change: Option<chrono::NaiveDate>,
}

/// A goal offered in the link dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalChoice {
    pub id: Id,
    pub partner: Id,
    pub partner_name: String,
    pub text: String,
    pub status: GoalStatus,
}

/// What the link dialog of an activity or note needs: its current links record (if any) and the
/// goals of its partners (open ones, and whatever it links to already).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLinkChoices {
    pub source: LinkSource,
    pub source_id: Id,
    pub title: String,
    pub links: Option<Record<GoalLinks>>,
    pub goals: Vec<GoalChoice>,
}
