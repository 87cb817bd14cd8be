//! The life cycle's part of the service API: what the partner detail, the link dialog, the
//! overview and the reports are answered with.

use crate::domain::{Goal, GoalLinks, GoalStatus, Id, LinkSource, Record};
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
