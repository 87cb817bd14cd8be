//! The domain: records, enumerations and validation. Pure types, no I/O.
//!
//! Every stored record is a [`Record<T>`]: the entity data `T` plus [`Meta`] (stable id, version,
//! created/updated time and user, archived flag). Enumerations carry stable machine names
//! ([`Enumerated::key`]) used in CSV headers, the CLI and the catalogue; their labels in Swedish and
//! English live in the i18n catalogue, never here.

pub mod country;
pub mod limits;
pub mod text;
mod validate;

pub use audit::{FieldChange, audit_summary, changed_fields, changed_fields_from_empty};
pub use validate::{FieldError, Rule};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A record id: unique across the whole workspace, never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Id(pub u64);

impl Id {
    /// Big-endian bytes: sled keys sort like the numbers.
    pub fn to_be_bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Milliseconds since the Unix epoch, UTC.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(chrono::Utc::now().timestamp_millis())
    }
    pub fn to_datetime(self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.0).unwrap_or_default()
    }
    /// ISO 8601 in UTC, to the second: `2026-11-28T20:14:17Z`.
    pub fn iso(self) -> String {
        self.to_datetime().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// Dates are stored as days since 0001-01-01 (compact, and cheap to decode).
pub mod date_days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .ok_or_else(|| serde::de::Error::custom(format!("day number {n} is not a date")))
    }

    /// The same for `Option<NaiveDate>`.
    pub mod opt {
        use super::*;
        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.num_days_from_ce()),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<i32>::deserialize(d)? {
                None => Ok(None),
                Some(n) => NaiveDate::from_num_days_from_ce_opt(n)
                    .map(Some)
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("day number {n} is not a date"))
                    }),
            }
        }
    }
}

/// An enumeration with stable machine names.
pub trait Enumerated: Sized + Copy + PartialEq + 'static {
    /// Every variant, in display order.
    const ALL: &'static [Self];
    /// The stable machine name (snake_case): used in CSV, the CLI and as the catalogue key.
    fn key(self) -> &'static str;
    /// Parse a machine name.
    fn from_key(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == s)
    }
}

macro_rules! enumeration {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl Enumerated for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn key(self) -> &'static str { match self { $($name::$variant => $key),+ } }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.key()) }
        }
    };
}

enumeration!(
    /// What kind of organisation a partner is.
    OrgKind {
        University = "university",
        Company = "company",
        PublicOrganisation = "public_organisation",
        NonProfit = "non_profit",
        Other = "other_organisation",
    }
);

enumeration!(
    /// Where a partnership stands in its life cycle (the SPETS guide).
    Phase {
        Prospect = "prospect",
        StartUp = "start_up",
        Running = "running",
        Evaluation = "evaluation",
        NewStart = "new_start",
        PhaseOut = "phase_out",
        Ended = "ended",
    }
);

enumeration!(
    /// Strategic partners get the full follow-up; others are tracked more lightly.
    Tier {
        Strategic = "strategic",
        Other = "other",
    }
);

enumeration!(
    /// Collaboration formats (a partner has a set of them).
    Format {
        Research = "research",
        Education = "education",
        StudentMobility = "student_mobility",
        StaffMobility = "staff_mobility",
        JointFunding = "joint_funding_applications",
        InfrastructureSharing = "infrastructure_sharing",
        Innovation = "innovation",
        ContinuingEducation = "continuing_education",
        DoctoralTraining = "doctoral_training",
        Internships = "internships_degree_projects",
        AdvisoryRoles = "advisory_roles",
        Events = "events",
    }
);

enumeration!(
    /// The type of an agreement.
    AgreementKind {
        Mou = "mou",
        Framework = "framework",
        Exchange = "exchange",
        Research = "research",
        Other = "other",
    }
);

enumeration!(
    /// Where an agreement stands.
    AgreementStatus {
        Draft = "draft",
        Negotiation = "negotiation",
        Active = "active",
        Expired = "expired",
        Terminated = "terminated",
    }
);

enumeration!(
    /// Which side a contact person is on.
    Side {
        Partner = "partner",
        Ours = "ours",
    }
);

enumeration!(
    /// A contact's role in the partnership.
    ContactRole {
        PartnerDirector = "partner_director",
        PartnerManager = "partner_manager",
        SteeringGroup = "steering_group",
        Signatory = "signatory",
        Other = "other",
    }
);

enumeration!(
    /// Kinds of dated activity.
    ActivityKind {
        Meeting = "meeting",
        Visit = "visit",
        Workshop = "workshop",
        Conference = "conference_event",
        JointApplication = "joint_application",
        AgreementMilestone = "agreement_milestone",
        Publication = "publication",
        Mobility = "mobility_exchange",
        FundingDecision = "funding_decision",
        Other = "other",
    }
);

enumeration!(
    /// Whether an activity is planned, done or cancelled.
    ActivityStatus {
        Planned = "planned",
        Done = "done",
        Cancelled = "cancelled",
    }
);

enumeration!(
    /// The six added values of a strategic partnership (the SPETS deck).
    AddedValue {
        Quality = "quality",
        Resources = "resources",
        Impact = "impact",
        Influence = "influence",
        Reputation = "reputation",
        CulturalChange = "cultural_change",
    }
);

enumeration!(
    /// Kinds of meeting that notes are kept for.
    MeetingKind {
        SteeringGroup = "steering_group",
        Management = "management_meeting",
        WorkingGroup = "working_group",
        AnnualReview = "annual_review",
        Other = "other",
    }
);

pub mod evaluation;
pub mod goal;
pub mod phase;
pub mod rhythm;
pub use evaluation::{Characteristic, Decision, Evaluation, GoalOutcome, GoalResult, Sides};
pub use goal::{Goal, GoalLinks, GoalStatus, LinkSource};
pub use phase::{Criterion, PhaseChange, Recommendation, RiskLevel, Suitability};
pub use rhythm::Rhythm;

impl AddedValue {
    /// Position 0..6, for compact index keys and matrix columns.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
}

/// The lowest and highest value score: 0 none, 1 emerging, 2 developing, 3 established, 4 outstanding.
pub const SCORE_MAX: u8 = 4;
/// Machine names of the five score levels, indexed by score.
pub const SCORE_KEYS: [&str; 5] = [
    "none",
    "emerging",
    "developing",
    "established",
    "outstanding",
];

/// Default renewal lead time for an agreement, in months.
pub const DEFAULT_RENEWAL_LEAD_MONTHS: u8 = 6;
/// The renewal lead time of a framework agreement, in months (the guidance: start a year ahead
/// for complex agreements).
pub const FRAMEWORK_RENEWAL_LEAD_MONTHS: u8 = 12;

impl AgreementKind {
    /// The renewal lead time an agreement of this kind gets unless one is given.
    pub fn default_lead_months(self) -> u8 {
        match self {
            AgreementKind::Framework => FRAMEWORK_RENEWAL_LEAD_MONTHS,
            _ => DEFAULT_RENEWAL_LEAD_MONTHS,
        }
    }
}

/// Bookkeeping that every stored record carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: Id,
    /// Starts at 1, +1 on every change; mutations carry the version they expect.
    pub version: u64,
    pub created_at: Timestamp,
    pub created_by: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
    /// Archived records are hidden by default and can be restored; purge removes them for good.
    pub archived: bool,
}

impl Meta {
    /// The bookkeeping of a record `user` creates at `now`: version 1, not archived.
    pub fn first(id: Id, user: &str, now: Timestamp) -> Meta {
        Meta {
            id,
            version: 1,
            created_at: now,
            created_by: user.to_string(),
            updated_at: now,
            updated_by: user.to_string(),
            archived: false,
        }
    }
}

/// A stored record: its metadata and its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record<T> {
    pub meta: Meta,
    pub data: T,
}

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub city: String,
    pub website: String,
    pub phase: Phase,
    pub tier: Tier,
    /// A set: sorted, no duplicates (kept so by [`Partner::normalise`]).
    pub formats: Vec<Format>,
    pub faculties: Vec<String>,
    /// Goal lines as the first schema kept them. Goals are records of their own now ([`Goal`]):
    /// opening a workspace moves these lines into goal records, and the service refuses new ones
    /// ([`Rule::GoalLinesMoved`]), so this is empty in every stored partner.
    pub goals: Vec<String>,
    pub tags: Vec<String>,
    /// Senior sponsors at our university.
    pub sponsors_ours: Vec<String>,
    /// Senior sponsors at the partner.
    pub sponsors_partner: Vec<String>,
    /// Our coordinator (a Unix user name or a person's name).
    pub coordinator: String,
}

/// An agreement with a partner (a partner may have several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub partner: Id,
    pub kind: AgreementKind,
    pub title: String,
    #[serde(with = "date_days::opt")]
    pub signed: Option<NaiveDate>,
    #[serde(with = "date_days")]
    pub start: NaiveDate,
    #[serde(with = "date_days::opt")]
    pub end: Option<NaiveDate>,
    pub signatories: Vec<String>,
    pub renewal_lead_months: u8,
    pub status: AgreementStatus,
    /// The renewal checklist's own steps (the evaluation and the decision come from the
    /// evaluations): the day the draft of the renewed agreement was sent to the partner…
    #[serde(with = "date_days::opt")]
    pub renewal_draft_sent: Option<NaiveDate>,
    /// …and the day the renewal was signed. A signed renewal ends the renewal work.
    #[serde(with = "date_days::opt")]
    pub renewal_signed: Option<NaiveDate>,
}

/// A contact person, at the partner or at our university.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub partner: Id,
    pub side: Side,
    pub name: String,
    pub role: ContactRole,
    pub email: String,
    pub phone: String,
}

/// A dated activity with one or more partners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(with = "date_days")]
    pub date: NaiveDate,
    #[serde(with = "date_days::opt")]
    pub end_date: Option<NaiveDate>,
    pub partners: Vec<Id>,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    /// The added values it contributes to (a set).
    pub values: Vec<AddedValue>,
    pub status: ActivityStatus,
    pub owner: String,
}

/// A score for one partner on one added value. History is kept: one record per assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub partner: Id,
    pub value: AddedValue,
    /// 0..=4: none, emerging, developing, established, outstanding.
    pub score: u8,
    pub target: Option<u8>,
    pub evidence: String,
    #[serde(with = "date_days")]
    pub date: NaiveDate,
    pub assessor: String,
}

/// An action item inside a meeting note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub text: String,
    pub owner: String,
    #[serde(with = "date_days::opt")]
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// Minutes of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub partners: Vec<Id>,
    #[serde(with = "date_days")]
    pub date: NaiveDate,
    pub title: String,
    pub kind: MeetingKind,
    pub attendees: Vec<String>,
    pub body: String,
    pub decisions: Vec<String>,
    pub actions: Vec<ActionItem>,
}

/// Which entity a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    Partner,
    Agreement,
    Contact,
    Activity,
    Assessment,
    Note,
    // The life cycle (schema 2). Append only: the position is the kind's byte in index keys.
    Goal,
    GoalLinks,
    PhaseChange,
    Suitability,
    Rhythm,
    Evaluation,
}

impl EntityKind {
    pub const ALL: [EntityKind; 12] = [
        EntityKind::Partner,
        EntityKind::Agreement,
        EntityKind::Contact,
        EntityKind::Activity,
        EntityKind::Assessment,
        EntityKind::Note,
        EntityKind::Goal,
        EntityKind::GoalLinks,
        EntityKind::PhaseChange,
        EntityKind::Suitability,
        EntityKind::Rhythm,
        EntityKind::Evaluation,
    ];
    /// Machine name, also the sled tree name.
    pub fn key(self) -> &'static str {
        match self {
            EntityKind::Partner => "partner",
            EntityKind::Agreement => "agreement",
            EntityKind::Contact => "contact",
            EntityKind::Activity => "activity",
            EntityKind::Assessment => "assessment",
            EntityKind::Note => "note",
            EntityKind::Goal => "goal",
            EntityKind::GoalLinks => "goal_links",
            EntityKind::PhaseChange => "phase_change",
            EntityKind::Suitability => "suitability",
            EntityKind::Rhythm => "rhythm",
            EntityKind::Evaluation => "evaluation",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What every entity type provides to the store and the service.
pub trait Entity: Clone + PartialEq + fmt::Debug + Send + Sync + 'static {
    const KIND: EntityKind;
    /// Clean user text (see [`text`]) and bring sets into canonical order. Run before validation.
    fn normalise(&mut self);
    /// Field-level checks that need nothing but the record itself.
    fn validate(&self) -> Vec<FieldError>;
    /// The partners this record belongs to (empty for partners themselves).
    fn partner_ids(&self) -> Vec<Id>;
    /// Every field as (machine name, display text): used for audit diffs and conflict reports.
    fn fields(&self) -> Vec<(&'static str, String)>;
    /// A short human label for audit lines and messages.
    fn label(&self) -> String;
}

pub(crate) fn join<T: fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(crate) fn set<T: Ord>(v: &mut Vec<T>) {
    v.sort();
    v.dedup();
}

mod audit;
mod entities;

#[cfg(test)]
mod tests;
