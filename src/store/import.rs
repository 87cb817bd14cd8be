//! Atomic imports of many records: all of them, or none.
//!
//! One sled transaction of 100,000 records takes about 2 GB of memory, so an import is written in
//! chunks under a journal instead:
//!
//! 1. [`Store::import_begin`] reserves the ids and an audit sequence number, and writes a journal
//!    entry naming them; it is on disk before any record is written.
//! 2. [`Store::import_write`] writes a chunk of records (each key only if absent) with their index
//!    entries, in one transaction per chunk. Readers do not see them: the store hides the id range
//!    of every import in progress.
//! 3. [`Store::import_commit`] removes the journal entry, counts the records and writes the audit
//!    entry, in one transaction; once that is flushed, the import is done.
//!
//! A journal entry found when the workspace is opened (the process was killed, the machine lost
//! power, a write failed and the store was reopened) means the import never committed: every record
//! in its id range is removed again, with its index entries, before anyone reads the workspace.
//! [`Store::import_abort`] does the same at once, for an import given up on purpose.

use super::commit::{Stage, TxError, bump_count, next_audit_seq};
use super::{
    AuditAction, AuditEntry, Result, Store, StoreError, Stored, TreeId, codec, decode_at, hex,
    index,
};
use crate::domain::{
    Activity, Agreement, Assessment, Contact, EntityKind, FieldChange, Id, Note, Partner, Record,
    Timestamp,
};
use serde::{Deserialize, Serialize};

/// Journal entries live in the counters tree under this prefix and the first id.
const JOURNAL_PREFIX: &[u8] = b"import:";
/// Records removed per transaction when an import is rolled back.
const ROLLBACK_CHUNK: usize = 1_000;

/// An id range hidden from readers while its import is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub kind: EntityKind,
    pub first: Id,
    pub last: Id,
    /// The audit sequence number the import's records point to.
    pub seq: u64,
}

/// What the journal entry of an import in progress says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct JournalEntry {
    kind: EntityKind,
    first: u64,
    count: u64,
    seq: u64,
    user: String,
    at: Timestamp,
}

/// An import in progress (see the module docs).
#[derive(Debug)]
pub struct ImportJournal {
    entry: JournalEntry,
    /// Records written so far.
    written: u64,
    /// The store's generation when the import began: a reopen in between rolled it back.
    generation: u64,
}

impl ImportJournal {
    /// The kind of record being imported.
    pub fn kind(&self) -> EntityKind {
        self.entry.kind
    }
    /// The id of the `n`-th record of the import (from 0), or None past the reserved range.
    pub fn id(&self, n: u64) -> Option<Id> {
        (n < self.entry.count).then(|| Id(self.entry.first + n))
    }
    /// The first and last reserved id.
    pub fn range(&self) -> (Id, Id) {
        (
            Id(self.entry.first),
            Id(self.entry.first + self.entry.count.saturating_sub(1)),
        )
    }
    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.written
    }
    fn key(&self) -> Vec<u8> {
        journal_key(Id(self.entry.first))
    }
}

fn journal_key(first: Id) -> Vec<u8> {
    [JOURNAL_PREFIX, &first.to_be_bytes()].concat()
}

fn pending_of(e: &JournalEntry) -> Pending {
    Pending {
        kind: e.kind,
        first: Id(e.first),
        last: Id(e.first + e.count.saturating_sub(1)),
        seq: e.seq,
    }
}

impl Store {
    /// Whether record `id` of `kind` belongs to an import that has not committed.
    pub(super) fn is_pending(&self, kind: EntityKind, id: Id) -> bool {
        let p = self.pending.read().unwrap_or_else(|p| p.into_inner());
        p.iter()
            .any(|r| r.kind == kind && r.first <= id && id <= r.last)
    }

    /// The imports being written now: kind, id range and audit sequence number.
    pub(super) fn pending_imports(&self) -> Vec<Pending> {
        self.pending
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_pending(&self, f: impl FnOnce(&mut Vec<Pending>)) {
        f(&mut self.pending.write().unwrap_or_else(|p| p.into_inner()));
    }

    /// Start an import of `count` records of `kind` by `user`: reserve their ids and an audit
    /// sequence number, and write the journal entry to disk.
    pub fn import_begin(&self, kind: EntityKind, count: u64, user: &str) -> Result<ImportJournal> {
        let count = count.max(1);
        let first = self.reserve_ids(count)?;
        let generation = self.generation();
        let user = user.to_string();
        let entry = self.transact(|v| {
            let seq = next_audit_seq(v)?;
            let entry = JournalEntry {
                kind,
                first,
                count,
                seq,
                user: user.clone(),
                at: Timestamp::now(),
            };
            let bytes = codec::encode(&entry).map_err(|e| StoreError::Invalid(e.to_string()))?;
            v.insert(TreeId::Counters, &journal_key(Id(first)), bytes)?;
            Ok::<_, TxError>(entry)
        })?;
        self.set_pending(|p| p.push(pending_of(&entry)));
        if let Err(e) = self.flush() {
            self.set_pending(|p| p.retain(|r| r.first != Id(first)));
            return Err(e);
        }
        Ok(ImportJournal {
            entry,
            written: 0,
            generation,
        })
    }

    /// Refuse to go on with an import that a reopen rolled back.
    fn check_alive(&self, j: &ImportJournal) -> Result<()> {
        if self.generation() != j.generation {
            return Err(StoreError::Invalid(
                "a write failed during the import and the workspace was opened again; the import \
                 was rolled back, nothing of it was saved"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Write a chunk of the import's records (ids from [`ImportJournal::id`]) with their index
    /// entries, in one transaction. Each key is written only if it is absent.
    pub fn import_write<T: Stored>(
        &self,
        j: &mut ImportJournal,
        records: &[Record<T>],
    ) -> Result<()> {
        self.check_alive(j)?;
        let (first, last) = j.range();
        let tree = TreeId::of(T::KIND);
        let mut encoded = Vec::with_capacity(records.len());
        for r in records {
            let id = r.meta.id;
            if T::KIND != j.kind() || id < first || id > last {
                return Err(StoreError::Invalid(format!(
                    "{} {id} is not part of this import ({}..={})",
                    T::KIND,
                    first,
                    last
                )));
            }
            let bytes = codec::encode_record(r).map_err(StoreError::from_codec)?;
            encoded.push((id, bytes, index::keys(r)));
        }
        let seq = j.entry.seq;
        self.transact(|v| {
            for (id, bytes, keys) in &encoded {
                v.insert_new(tree, T::KIND, *id, bytes.clone())?;
                for (t, k) in keys {
                    v.insert(*t, k, Vec::new())?;
                }
                v.insert(
                    TreeId::AuditByRecord,
                    &index::audit_record_key(T::KIND, *id, seq),
                    Vec::new(),
                )?;
            }
            Ok::<_, TxError>(())
        })?;
        j.written += encoded.len() as u64;
        // Let sled write its log buffers out now: left to the commit, the buffers of a large
        // import pile up in memory (about 1 KB per record).
        self.write_log()
    }

    /// Finish an import: remove the `dropped` records again (rows refused at the last moment), count
    /// the rest, write the audit entry (`label` says what was imported) and remove the journal
    /// entry, in one transaction. The import is done once the caller has flushed.
    pub fn import_commit(
        &self,
        j: ImportJournal,
        dropped: &[Id],
        label: &str,
    ) -> Result<AuditEntry> {
        self.check_alive(&j)?;
        let kind = j.kind();
        let (first, last) = j.range();
        let entry = AuditEntry {
            seq: j.entry.seq,
            at: Timestamp::now(),
            user: j.entry.user.clone(),
            action: AuditAction::Import,
            kind,
            id: first,
            version: 1,
            label: crate::domain::audit_summary(label),
            changes: vec![FieldChange {
                field: "ids".into(),
                old: String::new(),
                new: format!("{first}-{last}"),
            }],
        };
        let audit = codec::encode_audit(&entry).map_err(StoreError::from_codec)?;
        let written = i64::try_from(j.written).unwrap_or(i64::MAX);
        self.transact(|v| {
            let mut removed = 0i64;
            for id in dropped {
                if by_kind_remove(v, kind, *id, j.entry.seq)? {
                    removed += 1;
                }
            }
            bump_count(v, kind, written - removed)?;
            v.insert(TreeId::Audit, &entry.seq.to_be_bytes(), audit.clone())?;
            v.remove(TreeId::Counters, &j.key())?;
            Ok::<_, TxError>(())
        })?;
        self.set_pending(|p| p.retain(|r| r.first != first));
        Ok(entry)
    }

    /// Give up an import: remove whatever of it was written, then its journal entry, and flush.
    pub fn import_abort(&self, j: ImportJournal) -> Result<()> {
        let first = Id(j.entry.first);
        let result = if self.generation() == j.generation {
            roll_back(self, &j.entry).and_then(|_| self.flush())
        } else {
            // A reopen rolled it back already.
            Ok(())
        };
        self.set_pending(|p| p.retain(|r| r.first != first));
        result
    }
}

/// Remove record `id` of `kind` (if present) with its index entries and its import audit key.
/// True when there was a record.
fn by_kind_remove<V: Stage + ?Sized>(
    v: &V,
    kind: EntityKind,
    id: Id,
    seq: u64,
) -> Result<bool, V::Error> {
    fn remove<T: Stored, V: Stage + ?Sized>(v: &V, id: Id, seq: u64) -> Result<bool, V::Error> {
        let tree = TreeId::of(T::KIND);
        let key = id.to_be_bytes();
        let Some(bytes) = v.get(tree, &key)? else {
            return Ok(false);
        };
        // Index entries come from the record; a record that does not decode has none to find.
        if let Ok(r) = decode_at::<T>(tree, &key, &bytes) {
            for (t, k) in index::keys(&r) {
                v.remove(t, &k)?;
            }
        }
        v.remove(tree, &key)?;
        v.remove(
            TreeId::AuditByRecord,
            &index::audit_record_key(T::KIND, id, seq),
        )?;
        Ok(true)
    }
    match kind {
        EntityKind::Partner => remove::<Partner, V>(v, id, seq),
        EntityKind::Agreement => remove::<Agreement, V>(v, id, seq),
        EntityKind::Contact => remove::<Contact, V>(v, id, seq),
        EntityKind::Activity => remove::<Activity, V>(v, id, seq),
        EntityKind::Assessment => remove::<Assessment, V>(v, id, seq),
        EntityKind::Note => remove::<Note, V>(v, id, seq),
        EntityKind::Goal => remove::<crate::domain::Goal, V>(v, id, seq),
        EntityKind::GoalLinks => remove::<crate::domain::GoalLinks, V>(v, id, seq),
        EntityKind::PhaseChange => remove::<crate::domain::PhaseChange, V>(v, id, seq),
        EntityKind::Suitability => remove::<crate::domain::Suitability, V>(v, id, seq),
        EntityKind::Rhythm => remove::<crate::domain::Rhythm, V>(v, id, seq),
        EntityKind::Evaluation => remove::<crate::domain::Evaluation, V>(v, id, seq),
    }
}

/// Remove every record in the journal entry's id range, in chunks, then the entry itself. Safe to
/// repeat: a rollback cut short by a crash is finished at the next open.
fn roll_back(store: &Store, e: &JournalEntry) -> Result<()> {
    let tree = store.tree(TreeId::of(e.kind))?;
    let first = Id(e.first);
    let last = Id(e.first + e.count.saturating_sub(1));
    loop {
        let ids: Vec<Id> = tree
            .range(first.to_be_bytes()..=last.to_be_bytes())
            .keys()
            .take(ROLLBACK_CHUNK)
            .map(|k| k.map(|k| super::id_suffix(&k)))
            .collect::<std::result::Result<_, _>>()?;
        if ids.is_empty() {
            break;
        }
        store.transact(|v| {
            for id in &ids {
                by_kind_remove(v, e.kind, *id, e.seq)?;
            }
            Ok::<_, TxError>(())
        })?;
    }
    store.remove_raw(TreeId::Counters, &journal_key(first))
}

/// Roll back every import whose journal entry is still there (see the module docs).
pub(super) fn roll_back_unfinished(store: &Store) -> Result<()> {
    let counters = store.tree(TreeId::Counters)?;
    let entries: Vec<(sled::IVec, sled::IVec)> = counters
        .scan_prefix(JOURNAL_PREFIX)
        .collect::<std::result::Result<_, _>>()?;
    for (k, v) in entries {
        match codec::decode::<JournalEntry>(&v) {
            Ok(e) => {
                tracing::warn!(
                    kind = e.kind.key(),
                    first = e.first,
                    count = e.count,
                    user = %e.user,
                    "an import did not finish; rolling it back"
                );
                roll_back(store, &e)?;
            }
            Err(err) => {
                tracing::error!(key = %hex(&k), error = %err, "an import journal entry cannot be read; removed");
                store.remove_raw(TreeId::Counters, &k)?;
            }
        }
    }
    Ok(())
}
