//! The service API: typed requests and responses. The embedded client calls
//! [`super::Service::handle`] in-process; the daemon carries the same values over its socket.

use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, Agreement, Assessment, Contact, EntityKind,
    Evaluation, FieldChange, FieldError, Goal, GoalLinks, Id, Note, OrgKind, Partner, Phase,
    PhaseChange, Record, Rhythm, Suitability, Tier, Timestamp,
};
use crate::i18n::Lang;
use crate::store::{AuditAction, AuditEntry};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::answers::*;

/// What a user may do. Ordered: each role can do everything the one before can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads everything, changes nothing.
    Viewer,
    /// Adds, edits, archives and restores records.
    Editor,
    /// Also purges records and reads the audit log.
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// Who is asking. The embedded client uses the process's Unix user; the daemon uses the peer's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub user: String,
    pub role: Role,
}

/// The data of any entity, for create and update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnyData {
    Partner(Partner),
    Agreement(Agreement),
    Contact(Contact),
    Activity(Activity),
    Assessment(Assessment),
    Note(Note),
    Goal(Goal),
    GoalLinks(GoalLinks),
    PhaseChange(PhaseChange),
    Suitability(Suitability),
    Rhythm(Rhythm),
    Evaluation(Evaluation),
}

impl AnyData {
    pub fn kind(&self) -> EntityKind {
        match self {
            AnyData::Partner(_) => EntityKind::Partner,
            AnyData::Agreement(_) => EntityKind::Agreement,
            AnyData::Contact(_) => EntityKind::Contact,
            AnyData::Activity(_) => EntityKind::Activity,
            AnyData::Assessment(_) => EntityKind::Assessment,
            AnyData::Note(_) => EntityKind::Note,
            AnyData::Goal(_) => EntityKind::Goal,
            AnyData::GoalLinks(_) => EntityKind::GoalLinks,
            AnyData::PhaseChange(_) => EntityKind::PhaseChange,
            AnyData::Suitability(_) => EntityKind::Suitability,
            AnyData::Rhythm(_) => EntityKind::Rhythm,
            AnyData::Evaluation(_) => EntityKind::Evaluation,
        }
    }
}

/// Any stored record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnyRecord {
    Partner(Record<Partner>),
    Agreement(Record<Agreement>),
    Contact(Record<Contact>),
    Activity(Record<Activity>),
    Assessment(Record<Assessment>),
    Note(Record<Note>),
    Goal(Record<Goal>),
    GoalLinks(Record<GoalLinks>),
    PhaseChange(Record<PhaseChange>),
    Suitability(Record<Suitability>),
    Rhythm(Record<Rhythm>),
    Evaluation(Record<Evaluation>),
}

impl AnyRecord {
    pub fn meta(&self) -> &crate::domain::Meta {
        match self {
            AnyRecord::Partner(r) => &r.meta,
            AnyRecord::Agreement(r) => &r.meta,
            AnyRecord::Contact(r) => &r.meta,
            AnyRecord::Activity(r) => &r.meta,
            AnyRecord::Assessment(r) => &r.meta,
            AnyRecord::Note(r) => &r.meta,
            AnyRecord::Goal(r) => &r.meta,
            AnyRecord::GoalLinks(r) => &r.meta,
            AnyRecord::PhaseChange(r) => &r.meta,
            AnyRecord::Suitability(r) => &r.meta,
            AnyRecord::Rhythm(r) => &r.meta,
            AnyRecord::Evaluation(r) => &r.meta,
        }
    }
}

/// Which records a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Archived {
    /// Only records that are not archived (the normal view).
    #[default]
    Hide,
    /// Only archived records (the archive, to restore from).
    Only,
    /// Both.
    Include,
}

impl Archived {
    pub fn admits(self, archived: bool) -> bool {
        match self {
            Archived::Hide => !archived,
            Archived::Only => archived,
            Archived::Include => true,
        }
    }
}

/// Columns the partner table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PartnerColumn {
    #[default]
    Name,
    Kind,
    Country,
    Phase,
    AgreementEnd,
    /// Mean of the latest scores.
    Value,
}

/// A filtered, sorted page of partners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PartnerQuery {
    /// Matched (case- and accent-insensitively) against name, short name, city and tags.
    pub text: String,
    pub phase: Option<Phase>,
    pub kind: Option<OrgKind>,
    pub country: Option<String>,
    pub tier: Option<Tier>,
    /// Only strategic partners whose governance meetings are overdue or never held.
    pub governance_behind: bool,
    pub archived: Archived,
    pub sort: PartnerColumn,
    pub descending: bool,
    /// Collation for sorting by name.
    pub lang: Lang,
    pub offset: usize,
    /// 0 means all.
    pub limit: usize,
}

/// Activities in a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ActivityQuery {
    /// Inclusive.
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
    pub partner: Option<Id>,
    pub kind: Option<ActivityKind>,
    pub status: Option<ActivityStatus>,
    pub value: Option<AddedValue>,
    /// Matched against the title and description.
    pub text: String,
    pub archived: Archived,
    pub newest_first: bool,
    pub offset: usize,
    /// 0 means all.
    pub limit: usize,
}

/// Where a window of the timeline starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowAt {
    /// At this item of the whole list (0 is the first).
    Offset(usize),
    /// `before` items ahead of the first item dated on or after `date` (today, say); the answer's
    /// [`TimelineWindow::anchor`] says where that item is.
    Date { date: NaiveDate, before: usize },
}

/// A window of the timeline: the activities `activities` selects and the meeting notes (not
/// archived) of the same date range and partner, in one order: by date, activities before notes
/// on a day, then by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineQuery {
    /// The filters; its `offset`, `limit` and `newest_first` are not used.
    pub activities: ActivityQuery,
    pub at: WindowAt,
    /// Items in the window, at most [`crate::domain::limits::WINDOW_ROWS`].
    pub limit: usize,
    /// Also count the items of every month (for the chart and the month headers).
    pub months: bool,
}

/// The value matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MatrixQuery {
    /// Which partners (its sort is used unless `sort_by_value` is set).
    pub partners: PartnerQuery,
    /// Sort rows by the latest score on this value (highest first unless `partners.descending`).
    pub sort_by_value: Option<AddedValue>,
    /// Count activities per value in the last 12 months (the evidence view).
    pub with_activity_counts: bool,
}

/// Meeting notes, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NoteQuery {
    pub partner: Option<Id>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub text: String,
    pub archived: Archived,
    pub offset: usize,
    pub limit: usize,
}

/// Action items across notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ActionQuery {
    /// Only items owned by this user (the "my open action items" view).
    pub owner: Option<String>,
    pub partner: Option<Id>,
    pub open_only: bool,
}

/// Audit entries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    /// Only this record's history (oldest first then).
    pub record: Option<(EntityKind, Id)>,
    /// Entries with a sequence number below this (for paging back).
    pub before: Option<u64>,
    pub limit: usize,
}

/// Counts for status lines and checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Stats {
    pub partners: usize,
    pub agreements: usize,
    pub contacts: usize,
    pub activities: usize,
    pub assessments: usize,
    pub notes: usize,
    pub audit_entries: usize,
    /// Records that readers met and could not decode (left out of every answer; `spets check`
    /// lists them).
    pub damaged: usize,
}

/// One row of an import: its row number in the file (for messages) and its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row: u64,
    pub data: AnyData,
}

/// Why one row of an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowErrors {
    pub row: u64,
    pub errors: Vec<FieldError>,
}

/// A request to the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    Partners(PartnerQuery),
    PartnerDetail(Id),
    Get {
        kind: EntityKind,
        id: Id,
    },
    Activities(ActivityQuery),
    /// A window of the timeline (activities and meeting notes) with its counts.
    Timeline(TimelineQuery),
    Matrix(MatrixQuery),
    /// Every assessment of one partner on one value, newest first.
    AssessmentHistory {
        partner: Id,
        value: AddedValue,
    },
    Notes(NoteQuery),
    ActionItems(ActionQuery),
    Audit(AuditQuery),
    Stats,
    /// Partners whose agreements are inside their renewal lead time or past their end.
    RenewalsDue,
    /// What is due this week and in the next 30 days (the Overview pane, the start notice).
    Overview,
    Create(AnyData),
    Update {
        id: Id,
        expected_version: u64,
        data: AnyData,
    },
    Archive {
        kind: EntityKind,
        id: Id,
        expected_version: u64,
    },
    Restore {
        kind: EntityKind,
        id: Id,
        expected_version: u64,
    },
    /// Remove an archived record for good (admins only).
    Purge {
        kind: EntityKind,
        id: Id,
    },
    /// Activities matching `query` in storage (id) order, after the id `after`: the fast path for
    /// exports, which reads records sequentially instead of in date order. Answered with
    /// [`Response::ActivityBatch`]; `query`'s sort, offset and limit are ignored. A batch reads at
    /// most `limit` records (fewer match under a narrow filter): continue after its `next`, which
    /// also lets a caller scan id ranges in parallel.
    ActivityScan {
        query: ActivityQuery,
        after: Option<Id>,
        limit: usize,
    },
    /// Ids and names of every partner that is not archived, in name order for `lang`: cheap, for
    /// pickers and filters.
    PartnerNames {
        lang: Lang,
    },
    /// The service's date (the daemon's, for clients in other time zones).
    Today,
    /// Fill an empty workspace with the demo data (`spets demo`'s default size; admins only).
    LoadDemo,
    /// Verify the workspace (`spets check`).
    Check,
    /// Mend what a check finds (`spets check --repair`; admins only).
    Repair,
    /// Start an import of `rows` records of `kind` (editors). Rows follow in chunks; nothing is
    /// visible or kept until [`Request::ImportCommit`]. With `valid_only`, rows that fail their
    /// checks are left out instead of stopping the import.
    ImportBegin {
        kind: EntityKind,
        rows: u64,
        valid_only: bool,
    },
    /// Rows of an import (at most [`crate::service::IMPORT_CHUNK_ROWS`] per request).
    ImportRows {
        session: u64,
        rows: Vec<ImportRow>,
    },
    /// Make an import durable, all rows at once.
    ImportCommit {
        session: u64,
    },
    /// Give an import up: nothing of it stays.
    ImportAbort {
        session: u64,
    },
    /// A consistent snapshot of the workspace in the backup format (admins only).
    Backup,
    /// A partner's life cycle: goals and their follow-up.
    Lifecycle(Id),
    /// What the dialog that links an activity or note to goals needs.
    GoalLinksFor {
        source: crate::domain::LinkSource,
        id: Id,
    },
    /// What the phase dialog needs: the criteria of every phase, checked for this partner.
    PhaseCriteria(Id),
    /// Move a partner to another phase: the partner and the history record (with the reason and
    /// the criteria of `to` that are not met, which the change overrides) in one transaction.
    ChangePhase {
        partner: Id,
        expected_version: u64,
        to: Phase,
        date: NaiveDate,
        reason: String,
    },
    /// The portfolio of strategic partners for a report: one line each (in name order for
    /// `lang`) and the totals, with activities counted in `year`.
    Portfolio {
        year: i32,
        lang: Lang,
    },
    /// A partner's activities in `year` per month, added value and goal (for its report).
    PartnerYear {
        partner: Id,
        year: i32,
    },
}

impl Request {
    /// True for requests that change data.
    pub fn is_mutation(&self) -> bool {
        matches!(
            self,
            Request::Create(_)
                | Request::Update { .. }
                | Request::Archive { .. }
                | Request::Restore { .. }
                | Request::Purge { .. }
                | Request::Repair
                | Request::ImportBegin { .. }
                | Request::ImportRows { .. }
                | Request::ImportCommit { .. }
                | Request::ImportAbort { .. }
                | Request::ChangePhase { .. }
        )
    }

    /// True for mutations that go through the group commit (single-record changes); imports and
    /// repairs have their own path.
    pub fn is_batched(&self) -> bool {
        matches!(
            self,
            Request::Create(_)
                | Request::Update { .. }
                | Request::Archive { .. }
                | Request::Restore { .. }
                | Request::Purge { .. }
                | Request::ChangePhase { .. }
        )
    }
}

/// What a save ran into: the record changed since the caller read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictInfo {
    pub kind: EntityKind,
    pub id: Id,
    pub expected_version: u64,
    pub current: AnyRecord,
    /// Who saved last, and when.
    pub changed_by: String,
    pub changed_at: Timestamp,
    /// Fields changed by others since `expected_version` (from the audit log).
    pub fields: Vec<FieldChange>,
}

/// Why a request was refused for the caller's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Denied {
    /// Viewers change nothing.
    ReadOnly,
    /// Purging needs an admin.
    PurgeNeedsAdmin,
    /// The audit log is for admins.
    AuditNeedsAdmin,
    /// Only admins may do this (backups).
    AdminOnly,
}

/// The service's answer. (Variants differ in size; each answer is moved once, so boxing the large
/// ones would only add allocations.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Partners(Page<PartnerRow>),
    PartnerDetail(Box<PartnerDetail>),
    Record(AnyRecord),
    Activities(Page<Record<Activity>>),
    Timeline(TimelineWindow),
    Matrix(Matrix),
    Assessments(Vec<Record<Assessment>>),
    Notes(Page<Record<Note>>),
    ActionItems(Vec<ActionRow>),
    Audit(Vec<AuditEntry>),
    Stats(Stats),
    Renewals(Vec<RenewalRow>),
    /// The mutation is durable: it was flushed to disk before this answer.
    Saved {
        kind: EntityKind,
        id: Id,
        version: u64,
    },
    Conflict(Box<ConflictInfo>),
    Forbidden {
        denied: Denied,
        role: Role,
    },
    Invalid(Vec<FieldError>),
    NotFound {
        kind: EntityKind,
        id: Id,
    },
    /// The store failed, or the daemon could not be reached: the reason, as data (the client
    /// words it in its user's language).
    Failed(super::Failure),
    /// What `spets check` found: records per tree, and findings.
    CheckReport {
        counted: Vec<(String, usize)>,
        findings: Vec<crate::store::check::Finding>,
    },
    /// What `spets check --repair` did.
    Repaired(Vec<crate::store::check::RepairStep>),
    /// An import session was opened.
    ImportStarted {
        session: u64,
    },
    /// A chunk of import rows was taken: rows accepted so far in the session, and the rows of this
    /// chunk that were refused.
    ImportRowsTaken {
        accepted: u64,
        rejected: Vec<RowErrors>,
    },
    /// An import is durable: `written` records, and the rows left out (with `valid_only`).
    Imported {
        written: u64,
        rejected: Vec<RowErrors>,
    },
    /// An import was refused as a whole (some rows failed, without `valid_only`); nothing of it
    /// was kept.
    ImportRefused {
        rejected: Vec<RowErrors>,
    },
    /// An import was given up; nothing of it was kept.
    ImportAborted,
    /// No such import session (it was committed, aborted, rolled back after a failed write, or
    /// belongs to someone else).
    ImportGone,
    /// A backup file's bytes (in process; through a daemon the bytes come in parts and
    /// [`Response::BackupDone`] follows them).
    Backup(Vec<u8>),
    /// A backup was written: how many entries and bytes, and its checksum.
    BackupDone {
        entries: u64,
        bytes: u64,
        checksum: u32,
    },
    /// Demo data was loaded; the workspace's counts now.
    DemoLoaded(Stats),
    PartnerNames(Vec<(Id, String)>),
    Today(NaiveDate),
    /// One batch of an [`Request::ActivityScan`]: continue after `next` until it is `None`.
    /// `scanned` records were examined for it, out of `total` activities in the workspace.
    ActivityBatch {
        items: Vec<Record<Activity>>,
        next: Option<Id>,
        scanned: usize,
        total: usize,
    },
    Lifecycle(Box<super::PartnerLifecycle>),
    GoalLinkChoices(Box<super::GoalLinkChoices>),
    PhaseCriteria(Box<super::PhaseCriteria>),
    Overview(Box<super::Overview>),
    Portfolio(Box<super::Portfolio>),
    PartnerYear(Box<super::PartnerYear>),
}

/// Pushed to every subscriber after a change is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub seq: u64,
    pub kind: EntityKind,
    pub id: Id,
    pub version: u64,
    pub action: AuditAction,
    pub user: String,
    pub at: Timestamp,
}
