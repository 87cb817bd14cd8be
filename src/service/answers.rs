//! The answers about partners that the service gives: partner rows and pages, the detail with
//! its strategic profile, scores and the partner's own view, the renewal checklist, the matrix and
//! the timeline's windows. Re-exported by [`super::api`], which holds the requests.

use crate::domain::{
    Activity, Agreement, Contact, EntityKind, Id, Note, OrgKind, Partner, Phase, Record, Tier,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Renewal state of a partner's agreements, for notices and markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Renewal {
    /// No agreement with an end date needs attention.
    None,
    /// An agreement is inside its renewal lead time.
    Due { end: NaiveDate },
    /// An agreement that was active has passed its end date.
    Expired { end: NaiveDate },
}

/// The latest score of one partner on one value, with what is needed for a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub score: u8,
    pub target: Option<u8>,
    pub date: NaiveDate,
    /// The score of the assessment before the latest, for the trend arrow.
    pub previous: Option<u8>,
    pub assessment: Id,
}

/// Latest scores on the six values, in `AddedValue::ALL` order.
pub type Scores = [Option<Cell>; 6];

/// The partner's own score on one value, from its side of our evaluations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TheirCell {
    pub score: u8,
    /// The end of the period of the evaluation that gave it.
    pub date: NaiveDate,
    /// The partner's score in the evaluation before, for the trend arrow.
    pub previous: Option<u8>,
}

/// The partner's view on the six values, in `AddedValue::ALL` order.
pub type Theirs = [Option<TheirCell>; 6];

/// The renewal checklist of an agreement inside its lead time (or past its end): the guide's
/// four steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalChecklist {
    pub agreement: Id,
    pub end: NaiveDate,
    /// The latest evaluation, if its period ended in the 12 months before today: that end and
    /// its decision.
    pub evaluation: Option<(NaiveDate, crate::domain::Decision)>,
    /// The day the draft of the renewed agreement was sent.
    pub draft_sent: Option<NaiveDate>,
    /// The day the renewal was signed.
    pub signed: Option<NaiveDate>,
}

impl RenewalChecklist {
    /// The checklist of agreement `a`, from the partner's latest evaluation (not archived).
    pub fn of(
        a: &Record<Agreement>,
        latest: Option<&Record<crate::domain::Evaluation>>,
        today: NaiveDate,
    ) -> RenewalChecklist {
        let year_ago = today
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(today);
        RenewalChecklist {
            agreement: a.meta.id,
            end: a.data.end.unwrap_or(today),
            evaluation: latest
                .filter(|e| e.data.end >= year_ago)
                .map(|e| (e.data.end, e.data.decision)),
            draft_sent: a.data.renewal_draft_sent.filter(|d| *d <= today),
            signed: counted_signature(&a.data, today),
        }
    }

    /// The four steps in order: evaluation done, decision taken, draft sent, signed.
    pub fn steps(&self) -> [bool; 4] {
        let evaluated = self.evaluation.is_some();
        [
            evaluated,
            // Every evaluation records its decision: taken once the evaluation is done.
            evaluated,
            self.draft_sent.is_some(),
            self.signed.is_some(),
        ]
    }

    /// How many of the four steps are done.
    pub fn done(&self) -> usize {
        self.steps().iter().filter(|s| **s).count()
    }
}

/// The day an agreement's renewal was signed, if it counts for the renewal work now: signed on or
/// after the start of the lead time and not after today. A date from an earlier cycle (the end
/// was moved later since) or a future one does not count.
pub fn counted_signature(a: &Agreement, today: NaiveDate) -> Option<NaiveDate> {
    let due = a.renewal_due()?;
    a.renewal_signed.filter(|s| due <= *s && *s <= today)
}

/// A partner whose agreement needs renewal work (or has run out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalRow {
    pub partner: Id,
    pub name: String,
    pub renewal: Renewal,
}

/// One row of the partner table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerRow {
    pub id: Id,
    pub version: u64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub country: String,
    pub city: String,
    pub phase: Phase,
    pub tier: Tier,
    /// The latest end date among its agreements that are not archived.
    pub agreement_end: Option<NaiveDate>,
    pub renewal: Renewal,
    pub governance: crate::service::GovernanceMark,
    pub scores: Scores,
    pub archived: bool,
}

/// A page of results and the total number that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub total: usize,
    pub offset: usize,
    pub items: Vec<T>,
}

/// One of the five characteristics of a strategic partnership, checked against the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileCheck {
    /// Senior sponsors on both sides (counts: ours, theirs).
    SeniorSponsors { ours: usize, theirs: usize },
    /// An agreement of five years or more (the longest, in months; None if none has an end).
    LongTermAgreement {
        longest_months: Option<u32>,
        open_ended: bool,
    },
    /// Common goals recorded (how many).
    CommonGoals { goals: usize },
    /// At least three kinds of activity in the last two years (how many kinds).
    DiverseActivities { kinds: usize },
    /// Scores of 3 or more on at least two values, on both sides: ours from the value matrix,
    /// the partner's from its view in the latest evaluation (None: not given yet).
    MutualBenefit {
        values: usize,
        partner_values: Option<usize>,
    },
    /// Several faculties involved (how many; two or more make it university-wide).
    UniversityWide { faculties: usize },
}

impl ProfileCheck {
    /// Whether the characteristic is met.
    pub fn met(self) -> bool {
        match self {
            ProfileCheck::SeniorSponsors { ours, theirs } => ours > 0 && theirs > 0,
            ProfileCheck::LongTermAgreement {
                longest_months,
                open_ended,
            } => open_ended || longest_months.is_some_and(|m| m >= 60),
            ProfileCheck::CommonGoals { goals } => goals > 0,
            ProfileCheck::DiverseActivities { kinds } => kinds >= 3,
            ProfileCheck::MutualBenefit {
                values,
                partner_values,
            } => values >= 2 && partner_values.is_some_and(|p| p >= 2),
            ProfileCheck::UniversityWide { faculties } => faculties >= 2,
        }
    }
}

/// An action item with the note it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRow {
    pub note: Id,
    pub note_version: u64,
    pub note_title: String,
    pub note_date: NaiveDate,
    pub partners: Vec<Id>,
    /// Position in the note's action list.
    pub index: usize,
    pub item: crate::domain::ActionItem,
    /// Due before today and not done.
    pub overdue: bool,
}

/// Everything the partner detail view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerDetail {
    pub partner: Record<Partner>,
    pub agreements: Vec<Record<Agreement>>,
    pub contacts: Vec<Record<Contact>>,
    /// The partner's archived agreements and contacts (to restore from).
    pub archived_agreements: Vec<Record<Agreement>>,
    pub archived_contacts: Vec<Record<Contact>>,
    /// Newest first, at most 50.
    pub recent_activities: Vec<Record<Activity>>,
    pub open_actions: Vec<ActionRow>,
    pub scores: Scores,
    /// The renewal checklist of the current agreement, from the start of its lead time.
    pub checklist: Option<RenewalChecklist>,
    /// The partner's own view on the values (from the evaluations).
    pub theirs: Theirs,
    /// Activities (not cancelled) in the last 12 months per value.
    pub value_activities: [u32; 6],
    pub renewal: Renewal,
    pub profile: [ProfileCheck; 6],
}

/// One item of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TimelineItem {
    Activity(Record<Activity>),
    Note(Record<Note>),
}

impl TimelineItem {
    pub fn date(&self) -> NaiveDate {
        match self {
            TimelineItem::Activity(a) => a.data.date,
            TimelineItem::Note(n) => n.data.date,
        }
    }
    /// The record's kind and id.
    pub fn key(&self) -> (EntityKind, Id) {
        match self {
            TimelineItem::Activity(a) => (EntityKind::Activity, a.meta.id),
            TimelineItem::Note(n) => (EntityKind::Note, n.meta.id),
        }
    }
}

/// How many activities and notes of the timeline fall in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// The first day of the month.
    pub month: NaiveDate,
    pub activities: u32,
    pub notes: u32,
}

/// A window of the timeline, with the totals of the whole list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineWindow {
    /// Activities and notes in the whole list.
    pub activities: usize,
    pub notes: usize,
    /// The position of the first item of `items` in the whole list.
    pub offset: usize,
    pub items: Vec<TimelineItem>,
    /// Every month that has an item, in order (when asked for; dates are within the years
    /// 1900-2200, so at most 3,612 months).
    pub months: Vec<MonthCount>,
    /// For [`super::WindowAt::Date`]: the position of the first item on or after the date (the number
    /// of items when none is).
    pub anchor: Option<usize>,
}

/// One matrix row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub partner: Id,
    pub name: String,
    pub scores: Scores,
    /// The partner's own view beside ours.
    pub theirs: Theirs,
    /// Activities in the last 12 months per value (when asked for).
    pub activity_counts: Option<[u32; 6]>,
    /// Mean of the latest scores (None when nothing is scored).
    pub mean: Option<f32>,
}

/// The matrix: rows and the mean per value over every matching partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub rows: Page<MatrixRow>,
    pub value_means: [Option<f32>; 6],
    /// The mean of the partners' own views per value over every matching partner.
    pub partner_means: [Option<f32>; 6],
}
