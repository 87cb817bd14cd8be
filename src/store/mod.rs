//! The durable store: one sled database with a tree per entity, index trees and an audit log.
//!
//! Only the service ([`crate::service`]) uses this module; the UI never touches sled.
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the trees, errors, the open store's handles and counters |
//! | `open.rs` | opening (private modes, schema migration, the lock), reopening after a failed write, the disk-space reserve |
//! | `read.rs` | reading records and indexes; records that do not decode are skipped and counted, never fatal |
//! | `commit.rs` | writing: one transaction per change (or per staged batch), create never overwrites, demo bulk inserts |
//! | `import.rs` | atomic imports of many records, journalled so that a crash rolls them back |
//! | [`check`] | `spets check`: findings; `check --repair`: quarantine, indexes, counters |
//! | [`backup`] | `spets backup` / `spets restore` |
//! | [`codec`] | bytes ↔ records, with the size limits of [`crate::domain::limits`] |
//!
//! * Every mutation is one sled transaction over the record, its index entries and its audit entry,
//!   and is flushed to disk before it is reported as saved ([`Store::commit`]).
//! * The cache is [`CACHE_BYTES`] (4 MiB), not sled's 1 GiB default: a shared server runs one
//!   daemon, but every embedded `spets` is its own process, and 30 staff × 1 GiB is not an option.
//! * Directories and files are created private to their owner (0700/0600).
//! * A schema-version key lives in the default tree; [`Store::open`] migrates older workspaces and
//!   refuses newer ones.
//! * When a write fails (a full disk), sled refuses every later write until it is opened again;
//!   [`Store::reopen`] does that, which also drops whatever was not yet on disk.

pub mod backup;
pub mod check;
pub mod codec;
mod commit;
mod import;
mod index;
mod migrate;
mod open;
mod read;
mod snapshot;

pub use codec::{AuditAction, AuditEntry, Stored};
pub use commit::{Staged, Together, TxError};
pub use import::ImportJournal;
pub use index::{archived_key, date_key, kind_of_byte, link_source_byte, meeting_kind_byte};
pub use open::{RESERVE_BYTES, create_private_dir};
pub use snapshot::{MAX_OVERLAY_BYTES, Snapshot};

use crate::domain::{EntityKind, Id, Record};
use codec::CodecError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The schema this build writes. Bump it together with a migration step in `Store::migrate`.
pub const SCHEMA_VERSION: u32 = 2;
/// sled page-cache size: enough for the working set of a large workspace, small enough for a shared
/// server where many people run spets at once.
///
/// Sized for the windowed reads: a screen reads a few hundred records through the indexes, and the
/// bulk readers (the activity table's build, exports, checks) read each page once, so a larger
/// cache only keeps pages that are not read again. Measured on the large demo workspace (200,000
/// activities): after reading every activity and the date index, a process holds 70 MB with
/// 4 MiB, 86 MB with 16 MiB and 120 MB with 64 MiB (sled alone, 38 MB of it before any read);
/// the open and the first screen take as long with each.
pub const CACHE_BYTES: u64 = 4 << 20;
const SCHEMA_KEY: &[u8] = b"schema_version";
const ID_COUNTER: &[u8] = b"record_id";
const AUDIT_COUNTER: &[u8] = b"audit_seq";

fn read_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    if b.len() == 8 {
        a.copy_from_slice(b);
    }
    u64::from_be_bytes(a)
}

fn count_key(kind: EntityKind) -> Vec<u8> {
    [b"count:".as_slice(), kind.key().as_bytes()].concat()
}

/// The trees of a workspace, in the order a whole-workspace read takes them (records, the audit
/// log, counters, indexes, quarantine: see [`Snapshot::for_each`]). Trees are found by name
/// (sled, backups, quarantine keys), never by position, so a new tree goes where it belongs in
/// that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TreeId {
    Partner,
    Agreement,
    Contact,
    Activity,
    Assessment,
    Note,
    Goal,
    GoalLinks,
    PhaseChange,
    Suitability,
    Rhythm,
    Evaluation,
    Audit,
    Counters,
    AuditByRecord,
    ActivityByDate,
    ActivityByPartner,
    NoteByDate,
    NoteByPartner,
    AssessmentByPartnerValue,
    AgreementByPartner,
    ContactByPartner,
    Archived,
    /// Notes by meeting kind and partner (for the governance rhythm).
    NoteByKind,
    GoalByPartner,
    GoalLinksBySource,
    GoalLinksByGoal,
    PhaseChangeByPartner,
    SuitabilityByPartner,
    RhythmByPartner,
    EvaluationByPartner,
    /// Records that could not be decoded, moved here by `spets check --repair` as raw bytes under
    /// their tree's name and their key, for a later rescue.
    Quarantine,
}

impl TreeId {
    pub const ALL: [TreeId; 32] = [
        TreeId::Partner,
        TreeId::Agreement,
        TreeId::Contact,
        TreeId::Activity,
        TreeId::Assessment,
        TreeId::Note,
        TreeId::Goal,
        TreeId::GoalLinks,
        TreeId::PhaseChange,
        TreeId::Suitability,
        TreeId::Rhythm,
        TreeId::Evaluation,
        TreeId::Audit,
        TreeId::Counters,
        TreeId::AuditByRecord,
        TreeId::ActivityByDate,
        TreeId::ActivityByPartner,
        TreeId::NoteByDate,
        TreeId::NoteByPartner,
        TreeId::AssessmentByPartnerValue,
        TreeId::AgreementByPartner,
        TreeId::ContactByPartner,
        TreeId::Archived,
        TreeId::NoteByKind,
        TreeId::GoalByPartner,
        TreeId::GoalLinksBySource,
        TreeId::GoalLinksByGoal,
        TreeId::PhaseChangeByPartner,
        TreeId::SuitabilityByPartner,
        TreeId::RhythmByPartner,
        TreeId::EvaluationByPartner,
        TreeId::Quarantine,
    ];
    pub fn name(self) -> &'static str {
        match self {
            TreeId::Partner => "partner",
            TreeId::Agreement => "agreement",
            TreeId::Contact => "contact",
            TreeId::Activity => "activity",
            TreeId::Assessment => "assessment",
            TreeId::Note => "note",
            TreeId::Goal => "goal",
            TreeId::GoalLinks => "goal_links",
            TreeId::PhaseChange => "phase_change",
            TreeId::Suitability => "suitability",
            TreeId::Rhythm => "rhythm",
            TreeId::Evaluation => "evaluation",
            TreeId::Audit => "audit",
            TreeId::Counters => "counters",
            TreeId::AuditByRecord => "idx_audit_record",
            TreeId::ActivityByDate => "idx_activity_date",
            TreeId::ActivityByPartner => "idx_activity_partner",
            TreeId::NoteByDate => "idx_note_date",
            TreeId::NoteByPartner => "idx_note_partner",
            TreeId::AssessmentByPartnerValue => "idx_assessment_partner_value",
            TreeId::AgreementByPartner => "idx_agreement_partner",
            TreeId::ContactByPartner => "idx_contact_partner",
            TreeId::Archived => "idx_archived",
            TreeId::NoteByKind => "idx_note_kind",
            TreeId::GoalByPartner => "idx_goal_partner",
            TreeId::GoalLinksBySource => "idx_goal_links_source",
            TreeId::GoalLinksByGoal => "idx_goal_links_goal",
            TreeId::PhaseChangeByPartner => "idx_phase_change_partner",
            TreeId::SuitabilityByPartner => "idx_suitability_partner",
            TreeId::RhythmByPartner => "idx_rhythm_partner",
            TreeId::EvaluationByPartner => "idx_evaluation_partner",
            TreeId::Quarantine => "quarantine",
        }
    }
    /// The tree with this name.
    pub fn named(name: &str) -> Option<TreeId> {
        TreeId::ALL.into_iter().find(|t| t.name() == name)
    }
    fn slot(self) -> usize {
        self as usize
    }
    pub fn of(kind: EntityKind) -> TreeId {
        match kind {
            EntityKind::Partner => TreeId::Partner,
            EntityKind::Agreement => TreeId::Agreement,
            EntityKind::Contact => TreeId::Contact,
            EntityKind::Activity => TreeId::Activity,
            EntityKind::Assessment => TreeId::Assessment,
            EntityKind::Note => TreeId::Note,
            EntityKind::Goal => TreeId::Goal,
            EntityKind::GoalLinks => TreeId::GoalLinks,
            EntityKind::PhaseChange => TreeId::PhaseChange,
            EntityKind::Suitability => TreeId::Suitability,
            EntityKind::Rhythm => TreeId::Rhythm,
            EntityKind::Evaluation => TreeId::Evaluation,
        }
    }
    /// The entity kind whose records this tree holds.
    pub fn entity(self) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| TreeId::of(*k) == self)
    }
    /// Index trees hold keys only; their entries are derived from records.
    pub fn is_index(self) -> bool {
        matches!(
            self,
            TreeId::AuditByRecord
                | TreeId::ActivityByDate
                | TreeId::ActivityByPartner
                | TreeId::NoteByDate
                | TreeId::NoteByPartner
                | TreeId::AssessmentByPartnerValue
                | TreeId::AgreementByPartner
                | TreeId::ContactByPartner
                | TreeId::Archived
                | TreeId::NoteByKind
                | TreeId::GoalByPartner
                | TreeId::GoalLinksBySource
                | TreeId::GoalLinksByGoal
                | TreeId::PhaseChangeByPartner
                | TreeId::SuitabilityByPartner
                | TreeId::RhythmByPartner
                | TreeId::EvaluationByPartner
        )
    }
    /// Trees of records (entities and the audit log), keyed by a big-endian u64.
    pub fn is_record(self) -> bool {
        self.slot() <= TreeId::Audit.slot()
    }
}

/// Everything that can go wrong below the service.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the workspace {path} is already open in another spets process.\n\
         A workspace belongs to one process at a time. To share it, run one daemon for it\n\
         (spets serve --db {path} --socket SOCKET) and start everyone's spets with --connect SOCKET\n\
         (or server = \"SOCKET\" in the config); see \"Shared server\" in the README."
    )]
    InUse { path: PathBuf },
    #[error("cannot use the workspace directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database failed: {0}")]
    Sled(#[from] sled::Error),
    #[error(
        "{tree} record {key} cannot be read ({source}); run `spets check` and restore from a backup"
    )]
    Corrupt {
        tree: &'static str,
        key: String,
        source: CodecError,
    },
    #[error(
        "the workspace {path} was written by a newer spets (schema {found}; this one knows {supported}); upgrade spets"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// A create found its new id already in use: the id counter is behind (a restored backup
    /// with a reset counter, say). Nothing was written; `spets check --repair` mends the counter.
    #[error(
        "{kind} {id} already exists, so a new record cannot take its id; nothing was written. \
         The workspace's id counter is behind: run `spets check --repair`"
    )]
    IdInUse { kind: EntityKind, id: Id },
    /// The workspace could not be reopened after a failed write (the disk is still full, say).
    #[error(
        "the workspace {path} cannot be used until it is opened again ({why}); free disk space, \
         and spets opens it again with the next request"
    )]
    Unavailable { path: PathBuf, why: String },
    /// A record (or its audit entry) encodes larger than the store writes.
    #[error("the record encodes to {size} bytes, more than the {max} a record may take")]
    TooLarge { size: usize, max: usize },
    #[error("{0}")]
    Invalid(String),
    /// A change could not be made durable (the disk is full, say); nothing of it was kept.
    #[error(
        "the change could not be written to disk ({why}); nothing was saved. Free disk space and save again"
    )]
    NotWritten { why: String },
    /// Demo data goes only into an empty workspace.
    #[error(
        "{path} already holds {partners} partners; demo data goes into an empty workspace (use --db with a new directory)"
    )]
    NotEmpty { path: PathBuf, partners: usize },
}

impl StoreError {
    /// A codec failure while writing: too large, or a bug.
    pub fn from_codec(e: CodecError) -> StoreError {
        match e {
            CodecError::TooLarge { size, max } => StoreError::TooLarge { size, max },
            other => StoreError::Invalid(other.to_string()),
        }
    }

    /// True for failures of the disk or the database underneath (as opposed to a refused or
    /// damaged record): after one, the store must be reopened before it can be written again.
    pub fn is_storage_failure(&self) -> bool {
        matches!(
            self,
            StoreError::Sled(_) | StoreError::Io { .. } | StoreError::Unavailable { .. }
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Why a commit did not happen.
#[derive(Debug)]
pub enum Reject<T> {
    /// Someone saved the record since the version the caller expected. Carries the current record.
    Conflict(Box<Record<T>>),
    /// No such record.
    NotFound,
}

/// A commit's outcome: the audit entry and the record as written (None after a purge), or why
/// nothing was written.
pub type Committed<T> = std::result::Result<(AuditEntry, Option<Record<T>>), Reject<T>>;

/// What a commit writes.
pub enum Change<T> {
    Put(Record<T>),
    Purge,
}

/// The open database: sled's handle, one handle per tree, and sled's log file.
pub(crate) struct Handles {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// sled's log file, for the `fdatasync` that follows each flush (see [`Store::flush`]).
    log: Option<std::fs::File>,
}

/// An open workspace.
pub struct Store {
    /// None while the store is being reopened, or after a reopen failed.
    handles: RwLock<Option<Arc<Handles>>>,
    path: PathBuf,
    modes: (u32, u32),
    /// Bumped by every reopen: a write made before a reopen is gone after it.
    generation: std::sync::atomic::AtomicU64,
    /// Records that did not decode, by tree and key, with the reason (see [`Store::damaged`]).
    damaged: Mutex<std::collections::BTreeMap<(TreeId, Vec<u8>), String>>,
    /// Id ranges of imports that are being written: hidden from every reader until committed.
    pending: RwLock<Vec<import::Pending>>,
    /// The disk-space reserve was given away (or could not be made): make it when there is room.
    reserve_missing: std::sync::atomic::AtomicBool,
    /// Open snapshots' overlays (see [`Snapshot`]).
    snapshots: Mutex<Vec<Arc<snapshot::Overlay>>>,
    snapshot_count: std::sync::atomic::AtomicUsize,
    /// Held (shared) by every write; a snapshot begins with it held exclusively.
    gate: RwLock<()>,
    /// When the last write began, for snapshot scans that give way to saves (see
    /// [`Snapshot::for_each`]).
    last_write: snapshot::LastWrite,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current handles, or why there are none.
    pub(crate) fn handles(&self) -> Result<Arc<Handles>> {
        let slot = self.handles.read().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(h) => Ok(Arc::clone(h)),
            None => Err(StoreError::Unavailable {
                path: self.path.clone(),
                why: "a write failed and the workspace is not open again yet".into(),
            }),
        }
    }

    /// One tree (a cheap handle; sled trees are reference-counted).
    pub fn tree(&self, t: TreeId) -> Result<sled::Tree> {
        Ok(self.handles()?.trees[t.slot()].clone())
    }

    /// sled's default tree (the schema version lives there).
    pub(crate) fn default_tree(&self) -> Result<sled::Tree> {
        Ok(std::ops::Deref::deref(&self.handles()?.db).clone())
    }

    /// How many times the store was reopened (see [`Store::reopen`]).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A fresh record id, never reused (the counter is stored data, so backups carry it).
    pub fn new_id(&self) -> Result<Id> {
        Ok(Id(self.reserve_ids(1)?))
    }

    /// Reserve `n` consecutive ids and return the first.
    pub fn reserve_ids(&self, n: u64) -> Result<u64> {
        let next = self.update_raw(TreeId::Counters, ID_COUNTER, |old| {
            let cur = old.map(read_u64).unwrap_or(0);
            Some(cur.saturating_add(n).to_be_bytes().to_vec())
        })?;
        Ok(next.as_deref().map(read_u64).unwrap_or(n) - n + 1)
    }

    /// Write one key outside a transaction (open snapshots keep its old value first).
    pub(crate) fn put_raw(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<()> {
        let _g = self.gate();
        let tree = self.tree(t)?;
        self.capture(t, key, || Ok::<_, StoreError>(tree.get(key)?))?;
        tree.insert(key, value)?;
        Ok(())
    }

    /// Remove one key outside a transaction (open snapshots keep its old value first).
    pub(crate) fn remove_raw(&self, t: TreeId, key: &[u8]) -> Result<()> {
        let _g = self.gate();
        let tree = self.tree(t)?;
        self.capture(t, key, || Ok::<_, StoreError>(tree.get(key)?))?;
        tree.remove(key)?;
        Ok(())
    }

    /// sled's `update_and_fetch`, with open snapshots keeping the old value first.
    pub(crate) fn update_raw(
        &self,
        t: TreeId,
        key: &[u8],
        f: impl FnMut(Option<&[u8]>) -> Option<Vec<u8>>,
    ) -> Result<Option<sled::IVec>> {
        let _g = self.gate();
        let tree = self.tree(t)?;
        self.capture(t, key, || Ok::<_, StoreError>(tree.get(key)?))?;
        Ok(tree.update_and_fetch(key, f)?)
    }

    /// Make everything written so far durable. Returns once the data is on disk.
    ///
    /// sled's flush writes its log with `sync_file_range`, which survives a crashed process but
    /// not a power cut (it neither flushes the disk's write cache nor the file's metadata), so an
    /// `fdatasync` of the log follows. The service calls this once per batch of saves.
    pub fn flush(&self) -> Result<()> {
        self.write_log()?;
        self.sync_log()
    }

    /// The first half of [`Store::flush`]: sled writes its log (in order, covering every change
    /// made so far).
    pub fn write_log(&self) -> Result<()> {
        self.handles()?.db.flush()?;
        Ok(())
    }

    /// The second half of [`Store::flush`]: wait until the log written so far is on stable
    /// storage. Changes made meanwhile may go on (the service commits the next batch).
    pub fn sync_log(&self) -> Result<()> {
        if let Some(f) = &self.handles()?.log {
            f.sync_data().map_err(io_err(&self.path))?;
        }
        Ok(())
    }

    /// Number of records of one kind (archived included), from the stored counter: O(1).
    pub fn count(&self, kind: EntityKind) -> usize {
        self.counter(&count_key(kind))
    }

    /// Number of audit entries written.
    pub fn audit_count(&self) -> usize {
        self.counter(AUDIT_COUNTER)
    }

    /// The id counter: the highest id handed out so far.
    pub fn id_counter(&self) -> u64 {
        self.counter(ID_COUNTER) as u64
    }

    fn counter(&self, key: &[u8]) -> usize {
        match self.tree(TreeId::Counters).and_then(|t| Ok(t.get(key)?)) {
            Ok(Some(v)) => usize::try_from(read_u64(&v)).unwrap_or(usize::MAX),
            _ => 0,
        }
    }
}

/// Decode a stored record, naming the tree and key when it fails.
pub fn decode_at<T: Stored>(tree: TreeId, key: &[u8], bytes: &[u8]) -> Result<Record<T>> {
    codec::decode_record::<T>(bytes).map_err(|source| StoreError::Corrupt {
        tree: tree.name(),
        key: hex(key),
        source,
    })
}

/// Lower-case hex, for keys in messages.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The id at the end of an index key.
pub fn id_suffix(key: &[u8]) -> Id {
    let mut b = [0u8; 8];
    if key.len() >= 8 {
        b.copy_from_slice(&key[key.len() - 8..]);
    }
    Id(u64::from_be_bytes(b))
}
