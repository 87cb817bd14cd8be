//! The durable store: one sled database with a tree per entity, index trees and an audit log.
//!
//! Only the service ([`crate::service`]) uses this module; the UI never touches sled.
//!
//! * Every mutation is one sled transaction over the record, its index entries and its audit entry,
//!   and is flushed to disk before it is reported as saved ([`Store::commit`]).
//! * The cache is [`CACHE_BYTES`] (32 MiB), not sled's 1 GiB default: a shared server runs one
//!   daemon, but every embedded `spets` is its own process, and 30 staff × 1 GiB is not an option.
//! * Directories and files are created private to their owner (0700/0600).
//! * A schema-version key lives in the default tree; [`Store::open`] migrates older workspaces and
//!   refuses newer ones.

pub mod backup;
pub mod check;
pub mod codec;
mod index;

pub use codec::{AuditAction, AuditEntry, Stored};
pub use index::{archived_key, date_key, kind_of_byte};

use crate::domain::{EntityKind, Id, Record, Timestamp};
use codec::CodecError;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use std::ops::{Bound, ControlFlow};
use std::path::{Path, PathBuf};

/// The schema this build writes. Bump it together with a migration step in `Store::migrate`.
pub const SCHEMA_VERSION: u32 = 1;
/// sled page-cache size: enough for the working set of a large workspace, small enough for a shared
/// server where many people run spets at once.
pub const CACHE_BYTES: u64 = 32 << 20;
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

/// Add `delta` to the stored record count of `kind`, inside a commit.
fn bump_count<V: Stage + ?Sized>(v: &V, kind: EntityKind, delta: i64) -> Result<(), V::Error> {
    let key = count_key(kind);
    let n = v
        .get(TreeId::Counters, &key)?
        .as_deref()
        .map(read_u64)
        .unwrap_or(0);
    let n = n.saturating_add_signed(delta);
    v.insert(TreeId::Counters, &key, n.to_be_bytes().to_vec())
}

/// Next audit sequence number, inside a commit.
fn next_audit_seq<V: Stage + ?Sized>(v: &V) -> Result<u64, V::Error> {
    let seq = v
        .get(TreeId::Counters, AUDIT_COUNTER)?
        .as_deref()
        .map(read_u64)
        .unwrap_or(0)
        + 1;
    v.insert(TreeId::Counters, AUDIT_COUNTER, seq.to_be_bytes().to_vec())?;
    Ok(seq)
}

/// Where a commit reads and writes: a sled transaction, or a [`Staged`] batch.
trait Stage {
    type Error: From<StoreError>;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>, Self::Error>;
    fn insert(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<(), Self::Error>;
    fn remove(&self, t: TreeId, key: &[u8]) -> Result<(), Self::Error>;
}

type TxError = ConflictableTransactionError<StoreError>;

impl Stage for [sled::transaction::TransactionalTree] {
    type Error = TxError;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>, TxError> {
        Ok(self[t.slot()].get(key)?)
    }
    fn insert(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<(), TxError> {
        self[t.slot()].insert(key, value)?;
        Ok(())
    }
    fn remove(&self, t: TreeId, key: &[u8]) -> Result<(), TxError> {
        self[t.slot()].remove(key)?;
        Ok(())
    }
}

/// Changes staged for one transaction: commits made with [`Store::commit_staged`] read their own
/// and each other's writes here, and [`Store::apply_staged`] writes them all at once. The service
/// uses it to commit a burst of saves as one transaction (sled seals its log buffer twice per
/// transaction and writes each sealed buffer with its own disk sync, so fifty small transactions
/// cost far more than one of fifty changes).
///
/// Reads fall through to the store, so nothing else may write to the store between the first
/// staged commit and `apply_staged` (the service holds its write lock throughout).
#[derive(Debug, Default)]
pub struct Staged {
    writes: std::cell::RefCell<std::collections::BTreeMap<StagedKey, Option<Vec<u8>>>>,
    /// What each write replaced, newest last, so a failed commit can be taken back.
    undo: std::cell::RefCell<Vec<StagedUndo>>,
}

/// A tree slot and a key.
type StagedKey = (usize, Vec<u8>);
type StagedUndo = (StagedKey, Option<Option<Vec<u8>>>);

struct StagedView<'a> {
    store: &'a Store,
    staged: &'a Staged,
}

impl Stage for StagedView<'_> {
    type Error = StoreError;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>> {
        if let Some(v) = self.staged.writes.borrow().get(&(t.slot(), key.to_vec())) {
            return Ok(v.as_deref().map(sled::IVec::from));
        }
        Ok(self.store.tree(t).get(key)?)
    }
    fn insert(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<()> {
        self.staged.put((t.slot(), key.to_vec()), Some(value));
        Ok(())
    }
    fn remove(&self, t: TreeId, key: &[u8]) -> Result<()> {
        self.staged.put((t.slot(), key.to_vec()), None);
        Ok(())
    }
}

impl Staged {
    fn put(&self, key: (usize, Vec<u8>), value: Option<Vec<u8>>) {
        let before = self.writes.borrow_mut().insert(key.clone(), value);
        self.undo.borrow_mut().push((key, before));
    }

    /// A point to [`Staged::rollback`] to.
    pub fn mark(&self) -> usize {
        self.undo.borrow().len()
    }

    /// Take back every write made since `mark`.
    pub fn rollback(&self, mark: usize) {
        let mut undo = self.undo.borrow_mut();
        let mut writes = self.writes.borrow_mut();
        while undo.len() > mark {
            let Some((key, before)) = undo.pop() else {
                break;
            };
            match before {
                Some(v) => {
                    writes.insert(key, v);
                }
                None => {
                    writes.remove(&key);
                }
            }
        }
    }
}

/// Lets `?` turn a store error inside a sled transaction into an abort carrying it.
impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        ConflictableTransactionError::Abort(e)
    }
}

/// The trees of a workspace. The order is the order of `Store::trees`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeId {
    Partner,
    Agreement,
    Contact,
    Activity,
    Assessment,
    Note,
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
}

impl TreeId {
    pub const ALL: [TreeId; 17] = [
        TreeId::Partner,
        TreeId::Agreement,
        TreeId::Contact,
        TreeId::Activity,
        TreeId::Assessment,
        TreeId::Note,
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
    ];
    pub fn name(self) -> &'static str {
        match self {
            TreeId::Partner => "partner",
            TreeId::Agreement => "agreement",
            TreeId::Contact => "contact",
            TreeId::Activity => "activity",
            TreeId::Assessment => "assessment",
            TreeId::Note => "note",
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
        }
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
        }
    }
    /// Index trees hold keys only; their entries are derived from records.
    pub fn is_index(self) -> bool {
        self.slot() >= TreeId::AuditByRecord.slot()
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
    #[error("{0}")]
    Invalid(String),
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

/// An open workspace.
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// sled's log file, for the `fdatasync` that follows each flush (see [`Store::flush`]).
    log: Option<std::fs::File>,
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

/// sled reports a workspace locked by another process as an `Other` I/O error about its lock.
fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Other && e.to_string().contains("could not acquire lock")
}

/// Create `dir` (and parents) with mode 0700 if missing.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))
}

/// Make every file below `dir` owner-only (sled creates files with the process umask).
fn restrict(dir: &Path, file_mode: u32, dir_mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode))
        .map_err(io_err(dir))?;
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(io_err(&p))?;
        if ft.is_dir() {
            restrict(&p, file_mode, dir_mode)?;
        } else if ft.is_file() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(file_mode))
                .map_err(io_err(&p))?;
        }
    }
    Ok(())
}

impl Store {
    /// Open (or create) the workspace in `dir`, private to its owner.
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with_modes(dir, 0o600, 0o700)
    }

    /// Open with explicit permissions (the daemon opens a group-shared workspace with 0660/0770).
    pub fn open_with_modes(dir: &Path, file_mode: u32, dir_mode: u32) -> Result<Store> {
        create_private_dir(dir)?;
        // No timed background flush: every write path flushes before it reports success, and an
        // idle daemon should not wake up twice a second.
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(CACHE_BYTES)
            .flush_every_ms(None);
        // sled releases its lock from a background thread after the last handle is dropped, so a
        // workspace closed a moment ago (a restarted daemon, a test) may still look locked: retry
        // for half a second before calling it in use.
        let mut attempts = 0;
        let opened = loop {
            match config.open() {
                Err(sled::Error::Io(ref io)) if is_lock_error(io) && attempts < 20 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                other => break other,
            }
        };
        let db = opened.map_err(|e| match e {
            sled::Error::Io(ref io) if is_lock_error(io) => StoreError::InUse {
                path: dir.to_path_buf(),
            },
            sled::Error::Io(io) => StoreError::Io {
                path: dir.to_path_buf(),
                source: io,
            },
            other => StoreError::Sled(other),
        })?;
        let trees = TreeId::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let log = std::fs::File::open(dir.join("db")).ok();
        let store = Store {
            db,
            trees,
            path: dir.to_path_buf(),
            log,
        };
        store.migrate()?;
        store.db.flush()?;
        restrict(dir, file_mode, dir_mode)?;
        tracing::info!(path = %dir.display(), "workspace opened");
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn tree(&self, t: TreeId) -> &sled::Tree {
        &self.trees[t.slot()]
    }

    /// The schema version stored in the workspace.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        Ok(match self.db.get(SCHEMA_KEY)? {
            Some(v) if v.len() == 4 => Some(u32::from_be_bytes([v[0], v[1], v[2], v[3]])),
            Some(v) => {
                return Err(StoreError::Invalid(format!(
                    "the schema-version key holds {} bytes, expected 4",
                    v.len()
                )));
            }
            None => None,
        })
    }

    fn is_empty(&self) -> bool {
        self.trees.iter().all(|t| t.is_empty())
    }

    /// Bring the workspace to [`SCHEMA_VERSION`]. Each step upgrades one version, in order.
    fn migrate(&self) -> Result<()> {
        let found = match self.schema_version()? {
            Some(v) => v,
            None if self.is_empty() => {
                self.db.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
                return Ok(());
            }
            None => {
                return Err(StoreError::Invalid(format!(
                    "{} holds data but no schema version: it is not a spets workspace, or it is damaged",
                    self.path.display()
                )));
            }
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let mut v = found;
        while v < SCHEMA_VERSION {
            // Migration steps go here: `1 => migrate_1_to_2(self)?`. Records in old envelope
            // versions are upgraded on read by `Stored::unwrap`, so most schema changes need none.
            tracing::info!(from = v, to = v + 1, "migrating workspace");
            v += 1;
            self.db.insert(SCHEMA_KEY, &v.to_be_bytes())?;
        }
        Ok(())
    }

    /// A fresh record id, never reused (the counter is stored data, so backups carry it).
    pub fn new_id(&self) -> Result<Id> {
        Ok(Id(self.reserve_ids(1)?))
    }

    /// Reserve `n` consecutive ids and return the first.
    pub fn reserve_ids(&self, n: u64) -> Result<u64> {
        let next = self
            .tree(TreeId::Counters)
            .update_and_fetch(ID_COUNTER, |old| {
                let cur = old.map(read_u64).unwrap_or(0);
                Some(cur.saturating_add(n).to_be_bytes().to_vec())
            })?;
        Ok(next.as_deref().map(read_u64).unwrap_or(n) - n + 1)
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
        self.db.flush()?;
        Ok(())
    }

    /// The second half of [`Store::flush`]: wait until the log written so far is on stable
    /// storage. Changes made meanwhile may go on (the service commits the next batch).
    pub fn sync_log(&self) -> Result<()> {
        if let Some(f) = &self.log {
            f.sync_data().map_err(io_err(&self.path))?;
        }
        Ok(())
    }

    /// Read one record.
    pub fn get<T: Stored>(&self, id: Id) -> Result<Option<Record<T>>> {
        let tree = TreeId::of(T::KIND);
        match self.tree(tree).get(id.to_be_bytes())? {
            Some(b) => Ok(Some(decode_at::<T>(tree, &id.to_be_bytes(), &b)?)),
            None => Ok(None),
        }
    }

    /// Every record of one kind, in id order.
    pub fn scan<T: Stored>(&self) -> impl Iterator<Item = Result<Record<T>>> + '_ {
        let tree = TreeId::of(T::KIND);
        self.tree(tree).iter().map(move |kv| {
            let (k, v) = kv?;
            decode_at::<T>(tree, &k, &v)
        })
    }

    /// Records of one kind with ids in `[from, to)` (`to` None: to the end), in id order.
    pub fn scan_range<T: Stored>(
        &self,
        from: Id,
        to: Option<Id>,
    ) -> impl Iterator<Item = Result<Record<T>>> + '_ {
        let tree = TreeId::of(T::KIND);
        let end = to.map_or(std::ops::Bound::Unbounded, |t| {
            std::ops::Bound::Excluded(t.to_be_bytes())
        });
        self.tree(tree)
            .range((std::ops::Bound::Included(from.to_be_bytes()), end))
            .map(move |kv| {
                let (k, v) = kv?;
                decode_at::<T>(tree, &k, &v)
            })
    }

    /// Activities with ids in `[from, below)` (`below` None: to the end), in id order, each
    /// decoded in place without copying ([`codec::ActivityRef`]), until `each` breaks. True when
    /// the range ran out. What bulk readers use: the export, the timeline's table, batch scans.
    pub fn visit_activities<E: From<StoreError>>(
        &self,
        from: Id,
        below: Option<Id>,
        mut each: impl FnMut(codec::ActivityRef<'_>) -> std::result::Result<ControlFlow<()>, E>,
    ) -> std::result::Result<bool, E> {
        let upper = below.map_or(Bound::Unbounded, |b| Bound::Excluded(b.to_be_bytes()));
        let tree = self.tree(TreeId::Activity);
        for kv in tree.range((Bound::Included(from.to_be_bytes()), upper)) {
            let (k, v) = kv.map_err(StoreError::from)?;
            if each(decode_activity_ref(&k, &v)?)?.is_break() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The smallest and largest record id of one kind.
    pub fn id_bounds(&self, kind: EntityKind) -> Result<Option<(Id, Id)>> {
        let tree = self.tree(TreeId::of(kind));
        Ok(match (tree.first()?, tree.last()?) {
            (Some((a, _)), Some((b, _))) => Some((id_suffix(&a), id_suffix(&b))),
            _ => None,
        })
    }

    /// Number of records of one kind (archived included), from the stored counter: O(1).
    pub fn count(&self, kind: EntityKind) -> usize {
        self.counter(&count_key(kind))
    }

    /// Number of audit entries written.
    pub fn audit_count(&self) -> usize {
        self.counter(AUDIT_COUNTER)
    }

    fn counter(&self, key: &[u8]) -> usize {
        match self.tree(TreeId::Counters).get(key) {
            Ok(Some(v)) => usize::try_from(read_u64(&v)).unwrap_or(usize::MAX),
            _ => 0,
        }
    }

    /// Keys of an index tree under `prefix`, in order.
    pub fn index_prefix(
        &self,
        t: TreeId,
        prefix: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<sled::IVec>> + '_ {
        self.tree(t)
            .scan_prefix(prefix)
            .keys()
            .map(|k| k.map_err(StoreError::from))
    }

    /// Keys of an index tree in `[from, to)`, in order.
    pub fn index_range(
        &self,
        t: TreeId,
        from: &[u8],
        to: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<sled::IVec>> + '_ {
        self.tree(t)
            .range(from.to_vec()..to.to_vec())
            .keys()
            .map(|k| k.map_err(StoreError::from))
    }

    /// Audit entries, newest first, starting below `before` (exclusive) when given.
    pub fn audit(&self, before: Option<u64>) -> impl Iterator<Item = Result<AuditEntry>> + '_ {
        let end = before.unwrap_or(u64::MAX);
        self.tree(TreeId::Audit)
            .range(..end.to_be_bytes())
            .rev()
            .map(|kv| {
                let (k, v) = kv?;
                codec::decode_audit(&v).map_err(|source| StoreError::Corrupt {
                    tree: "audit",
                    key: hex(&k),
                    source,
                })
            })
    }

    /// The audit entries of one record, oldest first.
    pub fn audit_of(&self, kind: EntityKind, id: Id) -> Result<Vec<AuditEntry>> {
        self.audit_of_in(None, kind, id)
    }

    /// [`Store::audit_of`], including the entries in `staged` when given.
    pub fn audit_of_in(
        &self,
        staged: Option<&Staged>,
        kind: EntityKind,
        id: Id,
    ) -> Result<Vec<AuditEntry>> {
        let prefix = index::audit_record_prefix(kind, id);
        let mut keys = std::collections::BTreeSet::new();
        for k in self.tree(TreeId::AuditByRecord).scan_prefix(&prefix).keys() {
            keys.insert(k?.to_vec());
        }
        if let Some(st) = staged {
            let slot = TreeId::AuditByRecord.slot();
            for ((s, k), v) in st.writes.borrow().range((slot, prefix.clone())..) {
                if *s != slot || !k.starts_with(&prefix) {
                    break;
                }
                match v {
                    Some(_) => keys.insert(k.clone()),
                    None => keys.remove(k),
                };
            }
        }
        let view = staged.map(|staged| StagedView {
            store: self,
            staged,
        });
        let mut out = Vec::new();
        for k in keys {
            let seq = &k[k.len() - 8..];
            let found = match &view {
                Some(v) => v.get(TreeId::Audit, seq)?,
                None => self.tree(TreeId::Audit).get(seq)?,
            };
            if let Some(v) = found {
                out.push(
                    codec::decode_audit(&v).map_err(|source| StoreError::Corrupt {
                        tree: "audit",
                        key: hex(seq),
                        source,
                    })?,
                );
            }
        }
        Ok(out)
    }

    /// Write one change to one record atomically: the record, its index entries and an audit entry,
    /// in one transaction, and return the audit entry with the record as written (None after a
    /// purge). The caller must [`Store::flush`] before reporting it as saved (the service does,
    /// outside its write lock, so concurrent saves share one disk flush). `decide` sees the
    /// current record (if any) and returns the change; it may run more than once and must have no
    /// side effects. With `expected` set, a record whose version differs is a conflict.
    pub fn commit<T: Stored>(
        &self,
        id: Id,
        user: &str,
        action: AuditAction,
        expected: Option<u64>,
        decide: impl Fn(Option<&Record<T>>) -> Change<T>,
    ) -> Result<Committed<T>> {
        let now = Timestamp::now();
        let outcome = self.trees[..]
            .transaction(|tx| commit_in::<T, _>(&tx[..], id, user, action, expected, now, &decide));
        match outcome {
            Ok(r) => Ok(r),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// [`Store::commit`] into `staged` instead of a transaction of its own: the change becomes
    /// visible to later staged commits at once and reaches the store with
    /// [`Store::apply_staged`].
    pub fn commit_staged<T: Stored>(
        &self,
        staged: &Staged,
        id: Id,
        user: &str,
        action: AuditAction,
        expected: Option<u64>,
        decide: impl Fn(Option<&Record<T>>) -> Change<T>,
    ) -> Result<Committed<T>> {
        let view = StagedView {
            store: self,
            staged,
        };
        let mark = staged.mark();
        let outcome =
            commit_in::<T, _>(&view, id, user, action, expected, Timestamp::now(), &decide);
        // A rejected or failed commit leaves nothing behind (as an aborted transaction).
        if !matches!(outcome, Ok(Ok(_))) {
            staged.rollback(mark);
        }
        outcome
    }

    /// A record as the staged commits left it.
    pub fn get_staged<T: Stored>(&self, staged: &Staged, id: Id) -> Result<Option<Record<T>>> {
        let tree = TreeId::of(T::KIND);
        let key = id.to_be_bytes();
        let view = StagedView {
            store: self,
            staged,
        };
        match view.get(tree, &key)? {
            Some(b) => Ok(Some(decode_at::<T>(tree, &key, &b)?)),
            None => Ok(None),
        }
    }

    /// Write everything staged in one transaction: all of it or none of it.
    pub fn apply_staged(&self, staged: Staged) -> Result<()> {
        let writes = staged.writes.into_inner();
        if writes.is_empty() {
            return Ok(());
        }
        let outcome = self.trees[..].transaction(|tx| {
            for ((slot, key), value) in &writes {
                match value {
                    Some(v) => {
                        tx[*slot].insert(key.as_slice(), v.as_slice())?;
                    }
                    None => {
                        tx[*slot].remove(key.as_slice())?;
                    }
                }
            }
            Ok::<_, TxError>(())
        });
        match outcome {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Insert many new records of one kind at once (demo data): one transaction per batch of 512
    /// with their index entries and one audit entry naming the batch's id range, and one flush at the
    /// end. Records must have ids from [`Store::reserve_ids`] that are not in use.
    pub fn insert_bulk<T: Stored>(&self, user: &str, records: &[Record<T>]) -> Result<()> {
        let tree = TreeId::of(T::KIND);
        let now = Timestamp::now();
        for chunk in records.chunks(512) {
            let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
                continue;
            };
            let mut encoded = Vec::with_capacity(chunk.len());
            for r in chunk {
                let bytes =
                    codec::encode_record(r).map_err(|e| StoreError::Invalid(e.to_string()))?;
                encoded.push((r.meta.id.to_be_bytes(), bytes, index::keys(r)));
            }
            let (first, last) = (first.meta.id, last.meta.id);
            self.trees[..]
                .transaction(|tx| {
                    bump_count(&tx[..], T::KIND, encoded.len() as i64)?;
                    for (key, bytes, keys) in &encoded {
                        tx[tree.slot()].insert(key, bytes.as_slice())?;
                        for (t, k) in keys {
                            tx[t.slot()].insert(k.as_slice(), &[])?;
                        }
                    }
                    let seq = next_audit_seq(&tx[..])?;
                    let entry = AuditEntry {
                        seq,
                        at: now,
                        user: user.to_string(),
                        action: AuditAction::Import,
                        kind: T::KIND,
                        id: first,
                        version: 1,
                        label: format!("{} {} records", encoded.len(), T::KIND),
                        changes: vec![crate::domain::FieldChange {
                            field: "ids".into(),
                            old: String::new(),
                            new: format!("{first}-{last}"),
                        }],
                    };
                    let bytes = codec::encode_audit(&entry).map_err(|e| {
                        ConflictableTransactionError::Abort(StoreError::Invalid(e.to_string()))
                    })?;
                    tx[TreeId::Audit.slot()].insert(&seq.to_be_bytes(), bytes)?;
                    tx[TreeId::AuditByRecord.slot()]
                        .insert(index::audit_record_key(T::KIND, first, seq), &[])?;
                    Ok(())
                })
                .map_err(|e| match e {
                    TransactionError::Abort(e) => e,
                    TransactionError::Storage(e) => e.into(),
                })?;
        }
        self.db.flush()?;
        Ok(())
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

/// Decode a stored activity without copying it (see [`codec::ActivityRef`]), naming the key when
/// it fails.
fn decode_activity_ref<'a>(key: &[u8], bytes: &'a [u8]) -> Result<codec::ActivityRef<'a>> {
    codec::ActivityRef::decode(bytes).map_err(|source| StoreError::Corrupt {
        tree: TreeId::Activity.name(),
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

/// The body of a commit, on a transaction or a staged batch: check the expected version, let
/// `decide` choose the change, write the record, its index entries, the counters and the audit
/// entry.
fn commit_in<T: Stored, V: Stage + ?Sized>(
    v: &V,
    id: Id,
    user: &str,
    action: AuditAction,
    expected: Option<u64>,
    now: Timestamp,
    decide: &dyn Fn(Option<&Record<T>>) -> Change<T>,
) -> Result<Committed<T>, V::Error> {
    let tree = TreeId::of(T::KIND);
    let key = id.to_be_bytes();
    let cur = match v.get(tree, &key)? {
        Some(b) => Some(decode_at::<T>(tree, &key, &b)?),
        None => None,
    };
    if let Some(want) = expected {
        match &cur {
            None => return Ok(Err(Reject::NotFound)),
            Some(c) if c.meta.version != want => {
                return Ok(Err(Reject::Conflict(Box::new(c.clone()))));
            }
            Some(_) => {}
        }
    }
    let change = decide(cur.as_ref());
    let old_keys = cur.as_ref().map(|c| index::keys(c)).unwrap_or_default();
    match (&cur, &change) {
        (None, Change::Put(_)) => bump_count(v, T::KIND, 1)?,
        (Some(_), Change::Purge) => bump_count(v, T::KIND, -1)?,
        _ => {}
    }
    let (new_keys, version, label, changes) = match &change {
        Change::Put(r) => {
            let bytes = codec::encode_record(r).map_err(|e| StoreError::Invalid(e.to_string()))?;
            v.insert(tree, &key, bytes)?;
            let changes = match &cur {
                Some(c) => crate::domain::changed_fields(&c.data, &r.data),
                None => crate::domain::changed_fields_from_empty(&r.data),
            };
            (index::keys(r), r.meta.version, r.data.label(), changes)
        }
        Change::Purge => {
            let Some(c) = &cur else {
                return Ok(Err(Reject::NotFound));
            };
            v.remove(tree, &key)?;
            (Vec::new(), 0, c.data.label(), Vec::new())
        }
    };
    for (t, k) in &old_keys {
        if !new_keys.contains(&(*t, k.clone())) {
            v.remove(*t, k)?;
        }
    }
    for (t, k) in &new_keys {
        if !old_keys.contains(&(*t, k.clone())) {
            v.insert(*t, k, Vec::new())?;
        }
    }
    let seq = next_audit_seq(v)?;
    let entry = AuditEntry {
        seq,
        at: now,
        user: user.to_string(),
        action,
        kind: T::KIND,
        id,
        version,
        label,
        changes,
    };
    let bytes = codec::encode_audit(&entry).map_err(|e| StoreError::Invalid(e.to_string()))?;
    v.insert(TreeId::Audit, &seq.to_be_bytes(), bytes)?;
    v.insert(
        TreeId::AuditByRecord,
        &index::audit_record_key(T::KIND, id, seq),
        Vec::new(),
    )?;
    let written = match change {
        Change::Put(r) => Some(r),
        Change::Purge => None,
    };
    Ok(Ok((entry, written)))
}
