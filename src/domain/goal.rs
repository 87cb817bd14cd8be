//! Goals of a partnership, followed up: a goal is a record of its own (partner, text, the added
//! values it serves, an indicator and its target, a deadline, a status and an owner), and
//! activities and the decisions of meeting notes link to goals through [`GoalLinks`].

use super::{
    AddedValue, Entity, EntityKind, Enumerated, FieldError, Id, date_days, join, opt_date, set,
    text,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

enumeration!(
    /// Where a goal stands.
    GoalStatus {
        Open = "open",
        Reached = "reached",
        Dropped = "dropped",
    }
);

enumeration!(
    /// What links to goals: an activity, or the decisions of a meeting note.
    LinkSource {
        Activity = "activity",
        Note = "note",
    }
);

impl LinkSource {
    /// The entity kind of the linked record.
    pub fn entity(self) -> EntityKind {
        match self {
            LinkSource::Activity => EntityKind::Activity,
            LinkSource::Note => EntityKind::Note,
        }
    }
}

/// A common goal of a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub partner: Id,
    /// What the partners want to achieve together.
    pub text: String,
    /// The added values it serves (a set).
    pub values: Vec<AddedValue>,
    /// How progress is measured ("joint publications per year").
    pub indicator: String,
    /// The level aimed at ("10 by 2027").
    pub target: String,
    #[serde(with = "date_days::opt")]
    pub deadline: Option<NaiveDate>,
    pub status: GoalStatus,
    /// Who follows the goal up (a user name or a person's name).
    pub owner: String,
}

/// The goals one activity, or the decisions of one meeting note, serve. One record per linked
/// activity or note (its own id, found through the source index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLinks {
    pub source: LinkSource,
    pub source_id: Id,
    /// A set: sorted, no duplicates.
    pub goals: Vec<Id>,
}

impl Entity for Goal {
    const KIND: EntityKind = EntityKind::Goal;
    fn normalise(&mut self) {
        self.text = text::clean_line(&self.text);
        self.indicator = text::clean_line(&self.indicator);
        self.target = text::clean_line(&self.target);
        self.owner = text::clean_line(&self.owner);
        set(&mut self.values);
    }
    fn validate(&self) -> Vec<FieldError> {
        super::validate::goal(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("text", self.text.clone()),
            ("values", join(&self.values)),
            ("indicator", self.indicator.clone()),
            ("goal_target", self.target.clone()),
            ("deadline", opt_date(self.deadline)),
            ("status", self.status.key().into()),
            ("owner", self.owner.clone()),
        ]
    }
    fn label(&self) -> String {
        self.text.clone()
    }
}

impl Entity for GoalLinks {
    const KIND: EntityKind = EntityKind::GoalLinks;
    fn normalise(&mut self) {
        set(&mut self.goals);
    }
    fn validate(&self) -> Vec<FieldError> {
        super::validate::goal_links(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        Vec::new()
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("source", self.source.key().into()),
            ("source_id", self.source_id.to_string()),
            ("goals", join(&self.goals)),
        ]
    }
    fn label(&self) -> String {
        format!("{} {}", self.source.key(), self.source_id)
    }
}

/// How long a goal may go without a linked activity before it is flagged "no follow-up".
pub const FOLLOW_UP_MONTHS: u32 = 6;
/// How far back the partner detail lists a goal's linked activities.
pub const FOLLOW_UP_WINDOW_MONTHS: u32 = 12;

/// Whether an open goal whose latest linked activity (done or planned, on or before `today`) is
/// `last` lacks follow-up: nothing linked in the last [`FOLLOW_UP_MONTHS`] months.
pub fn lacks_follow_up(status: GoalStatus, last: Option<NaiveDate>, today: NaiveDate) -> bool {
    if status != GoalStatus::Open {
        return false;
    }
    let since = today
        .checked_sub_months(chrono::Months::new(FOLLOW_UP_MONTHS))
        .unwrap_or(today);
    last.is_none_or(|d| d < since)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn follow_up_is_six_months_back_around_month_ends_and_leap_days() {
        // 2024-08-31 minus six months is 2024-02-29 (leap year): that day still counts.
        assert!(!lacks_follow_up(
            GoalStatus::Open,
            Some(d("2024-02-29")),
            d("2024-08-31")
        ));
        assert!(lacks_follow_up(
            GoalStatus::Open,
            Some(d("2024-02-28")),
            d("2024-08-31")
        ));
        // 2025-08-31 minus six months is 2025-02-28 (no leap day).
        assert!(!lacks_follow_up(
            GoalStatus::Open,
            Some(d("2025-02-28")),
            d("2025-08-31")
        ));
        assert!(lacks_follow_up(GoalStatus::Open, None, d("2025-08-31")));
        assert!(!lacks_follow_up(GoalStatus::Reached, None, d("2025-08-31")));
        assert!(!lacks_follow_up(GoalStatus::Dropped, None, d("2025-08-31")));
    }
}
