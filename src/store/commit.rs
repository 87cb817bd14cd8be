//! Writing records: one transaction per change, or a staged batch of changes in one transaction.
//!
//! A create never overwrites: it writes its key only if the key is absent, and refuses otherwise
//! ([`StoreError::IdInUse`], logged loudly), so a workspace whose id counter fell behind (a restored
//! backup with a reset counter) loses nothing.

use super::{
    AUDIT_COUNTER, AuditAction, AuditEntry, Change, Committed, Reject, Result, Store, StoreError,
    Stored, TreeId, codec, count_key, decode_at, index, read_u64,
};
use crate::domain::{EntityKind, Id, Record, Timestamp};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

/// Where a commit reads and writes: a sled transaction, or a [`Staged`] batch.
pub(super) trait Stage {
    type Error: From<StoreError>;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>, Self::Error>;
    fn insert(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<(), Self::Error>;
    fn remove(&self, t: TreeId, key: &[u8]) -> Result<(), Self::Error>;
}

/// How a transaction body fails: a store error aborts it.
pub type TxError = ConflictableTransactionError<StoreError>;

/// A sled transaction over every tree, for a commit: each write first lets open snapshots keep the
/// key's old value ([`Store::capture`]).
pub(super) struct TxView<'a> {
    pub tx: &'a [sled::transaction::TransactionalTree],
    pub store: &'a Store,
}

impl Stage for TxView<'_> {
    type Error = TxError;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>, TxError> {
        Ok(self.tx[t.slot()].get(key)?)
    }
    fn insert(&self, t: TreeId, key: &[u8], value: Vec<u8>) -> Result<(), TxError> {
        let tree = &self.tx[t.slot()];
        self.store
            .capture(t, key, || Ok::<_, TxError>(tree.get(key)?))?;
        tree.insert(key, value)?;
        Ok(())
    }
    fn remove(&self, t: TreeId, key: &[u8]) -> Result<(), TxError> {
        let tree = &self.tx[t.slot()];
        self.store
            .capture(t, key, || Ok::<_, TxError>(tree.get(key)?))?;
        tree.remove(key)?;
        Ok(())
    }
}

impl TxView<'_> {
    /// Insert a key that must be new (a create): refuse when it is taken.
    pub(super) fn insert_new(
        &self,
        t: TreeId,
        kind: EntityKind,
        id: Id,
        value: Vec<u8>,
    ) -> Result<(), TxError> {
        let key = id.to_be_bytes();
        if self.tx[t.slot()].get(key)?.is_some() {
            return Err(id_in_use(kind, id).into());
        }
        self.insert(t, &key, value)
    }
}

impl Store {
    /// Remove the personal content of a purged record from its audit history: every entry about it
    /// keeps who did what and when, and the values of codes, dates and numbers, but its label and
    /// every text field are blanked (names, e-mail addresses, phone numbers and free text go with
    /// the record). Import entries, which name only an id range, stay as they are.
    pub fn scrub_audit(&self, kind: EntityKind, id: Id) -> Result<usize> {
        let prefix = index::audit_record_prefix(kind, id);
        let seqs: Vec<Vec<u8>> = self
            .tree(TreeId::AuditByRecord)?
            .scan_prefix(&prefix)
            .keys()
            .map(|k| k.map(|k| k[k.len().saturating_sub(8)..].to_vec()))
            .collect::<std::result::Result<_, _>>()?;
        self.transact(|v| {
            let mut n = 0;
            for seq in &seqs {
                let Some(bytes) = v.get(TreeId::Audit, seq)? else {
                    continue;
                };
                let Ok(mut e) = codec::decode_audit(&bytes) else {
                    continue;
                };
                if e.action == AuditAction::Import {
                    continue;
                }
                e.label = PURGED.into();
                for c in &mut e.changes {
                    if !KEPT_AFTER_PURGE.contains(&c.field.as_str()) {
                        c.old.clear();
                        c.new.clear();
                    }
                }
                let b = codec::encode_audit(&e).map_err(StoreError::from_codec)?;
                v.insert(TreeId::Audit, seq, b)?;
                n += 1;
            }
            Ok(n)
        })
    }

    /// Run `f` as one sled transaction over every tree, with the snapshot gate held.
    pub(super) fn transact<R>(&self, f: impl Fn(&TxView<'_>) -> Result<R, TxError>) -> Result<R> {
        let _g = self.gate();
        let h = self.handles()?;
        tx_result(h.trees[..].transaction(|tx| f(&TxView { tx, store: self })))
    }
}

/// Lets `?` turn a store error inside a sled transaction into an abort carrying it.
impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        ConflictableTransactionError::Abort(e)
    }
}

/// A transaction's error as a store error.
pub(super) fn tx_result<T>(r: std::result::Result<T, TransactionError<StoreError>>) -> Result<T> {
    match r {
        Ok(v) => Ok(v),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}

/// Add `delta` to the stored record count of `kind`, inside a commit.
pub(super) fn bump_count<V: Stage + ?Sized>(
    v: &V,
    kind: EntityKind,
    delta: i64,
) -> Result<(), V::Error> {
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
pub(super) fn next_audit_seq<V: Stage + ?Sized>(v: &V) -> Result<u64, V::Error> {
    let seq = v
        .get(TreeId::Counters, AUDIT_COUNTER)?
        .as_deref()
        .map(read_u64)
        .unwrap_or(0)
        + 1;
    v.insert(TreeId::Counters, AUDIT_COUNTER, seq.to_be_bytes().to_vec())?;
    Ok(seq)
}

/// The label of an audit entry whose record was purged.
pub const PURGED: &str = "(purged)";

/// Fields whose values stay in the audit history of a purged record: codes, dates, numbers and
/// ids, nothing anyone wrote about a person (names, e-mail, phone, titles and free text go).
const KEPT_AFTER_PURGE: &[&str] = &[
    "kind",
    "phase",
    "tier",
    "formats",
    "country",
    "status",
    "side",
    "role",
    "value",
    "values",
    "score",
    "target",
    "date",
    "end_date",
    "start",
    "end",
    "signed",
    "renewal_lead_months",
    "partner",
    "partners",
];

/// Refuse a create whose key is taken, loudly: it means the id counter is behind.
pub(super) fn id_in_use(kind: EntityKind, id: Id) -> StoreError {
    tracing::error!(
        kind = kind.key(),
        id = id.0,
        "a new record's id is already in use: the id counter is behind; nothing was written (run spets check --repair)"
    );
    StoreError::IdInUse { kind, id }
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

pub(super) struct StagedView<'a> {
    pub store: &'a Store,
    pub staged: &'a Staged,
}

impl Stage for StagedView<'_> {
    type Error = StoreError;
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>> {
        if let Some(v) = self.staged.writes.borrow().get(&(t.slot(), key.to_vec())) {
            return Ok(v.as_deref().map(sled::IVec::from));
        }
        Ok(self.store.tree(t)?.get(key)?)
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

    /// Apply the staged inserts and removals of keys under `prefix` in tree `t` to `keys`.
    pub(super) fn overlay_keys(
        &self,
        t: TreeId,
        prefix: &[u8],
        keys: &mut std::collections::BTreeSet<Vec<u8>>,
    ) {
        let slot = t.slot();
        for ((s, k), v) in self.writes.borrow().range((slot, prefix.to_vec())..) {
            if *s != slot || !k.starts_with(prefix) {
                break;
            }
            match v {
                Some(_) => keys.insert(k.clone()),
                None => keys.remove(k),
            };
        }
    }
}

impl Store {
    /// Write one change to one record atomically: the record, its index entries and an audit entry,
    /// in one transaction, and return the audit entry with the record as written (None after a
    /// purge). The caller must [`Store::flush`] before reporting it as saved (the service does,
    /// outside its write lock, so concurrent saves share one disk flush). `decide` sees the
    /// current record (if any) and returns the change; it may run more than once and must have no
    /// side effects. With `expected` set, a record whose version differs is a conflict. A
    /// [`AuditAction::Create`] whose id is taken is refused ([`StoreError::IdInUse`]).
    pub fn commit<T: Stored>(
        &self,
        id: Id,
        user: &str,
        action: AuditAction,
        expected: Option<u64>,
        decide: impl Fn(Option<&Record<T>>) -> Change<T>,
    ) -> Result<Committed<T>> {
        let now = Timestamp::now();
        self.transact(|v| commit_in::<T, _>(v, id, user, action, expected, now, &decide))
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
        self.transact(|v| {
            for ((slot, key), value) in &writes {
                let t = TreeId::ALL[*slot];
                match value {
                    Some(bytes) => v.insert(t, key, bytes.clone())?,
                    None => v.remove(t, key)?,
                }
            }
            Ok(())
        })
    }

    /// Insert many new records of one kind at once (demo data): one transaction per batch of 512
    /// with their index entries and one audit entry naming the batch's id range, and one flush at the
    /// end. Records must have ids from [`Store::reserve_ids`]; an id in use is refused
    /// ([`StoreError::IdInUse`]) and its batch is not written.
    pub fn insert_bulk<T: Stored>(&self, user: &str, records: &[Record<T>]) -> Result<()> {
        let tree = TreeId::of(T::KIND);
        let now = Timestamp::now();
        for chunk in records.chunks(512) {
            let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
                continue;
            };
            let mut encoded = Vec::with_capacity(chunk.len());
            for r in chunk {
                let bytes = codec::encode_record(r).map_err(StoreError::from_codec)?;
                encoded.push((r.meta.id, bytes, index::keys(r)));
            }
            let (first, last) = (first.meta.id, last.meta.id);
            self.transact(|v| {
                bump_count(v, T::KIND, encoded.len() as i64)?;
                for (id, bytes, keys) in &encoded {
                    v.insert_new(tree, T::KIND, *id, bytes.clone())?;
                    for (t, k) in keys {
                        v.insert(*t, k, Vec::new())?;
                    }
                }
                let seq = next_audit_seq(v)?;
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
                v.insert(TreeId::Audit, &seq.to_be_bytes(), bytes)?;
                v.insert(
                    TreeId::AuditByRecord,
                    &index::audit_record_key(T::KIND, first, seq),
                    Vec::new(),
                )?;
                Ok(())
            })?;
        }
        self.write_log()
    }
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
    let raw = v.get(tree, &key)?;
    // A create writes a new key or nothing (whatever the stored bytes hold, even damage).
    if action == AuditAction::Create && raw.is_some() {
        return Err(id_in_use(T::KIND, id).into());
    }
    let cur = match raw {
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
            let bytes = codec::encode_record(r).map_err(StoreError::from_codec)?;
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
        label: crate::domain::audit_summary(&label),
        changes,
    };
    let bytes = codec::encode_audit(&entry).map_err(StoreError::from_codec)?;
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

/// Several commits in one transaction (see [`Store::together`]).
pub struct Together<'a> {
    view: TxView<'a>,
    now: Timestamp,
}

impl Together<'_> {
    /// [`Store::commit`] inside the shared transaction. A rejected commit writes nothing, but
    /// the commits made before it stay in the transaction: make the commits that can be rejected
    /// (updates with an expected version) first.
    pub fn commit<T: Stored>(
        &self,
        id: Id,
        user: &str,
        action: AuditAction,
        expected: Option<u64>,
        decide: impl Fn(Option<&Record<T>>) -> Change<T>,
    ) -> Result<Committed<T>, TxError> {
        commit_in::<T, _>(&self.view, id, user, action, expected, self.now, &decide)
    }
}

impl Store {
    /// Commit several records at once, each with its index entries and audit entry, in one
    /// transaction: all of it or none of it. `f` may run more than once (no side effects).
    pub fn together<R>(
        &self,
        f: impl Fn(&Together<'_>) -> std::result::Result<R, TxError>,
    ) -> Result<R> {
        let now = Timestamp::now();
        self.transact(|v| {
            f(&Together {
                view: TxView {
                    tx: v.tx,
                    store: v.store,
                },
                now,
            })
        })
    }
}
