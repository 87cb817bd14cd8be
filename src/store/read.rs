//! Reading records and indexes.
//!
//! A record that does not decode (a disk error, a workspace written by a buggy build) never takes
//! a reader down: bulk readers skip it, single reads treat it as absent, and the store remembers it
//! ([`Store::damaged`]) so that the service can say how many there are and what to run. Only
//! `spets check` and writes to that very record see the error. Records of an import that is still
//! being written are hidden from every reader until it commits.

use super::{
    AuditEntry, Result, Store, StoreError, Stored, TreeId, codec, commit::StagedView, decode_at,
    hex, index,
};
use crate::domain::{EntityKind, Id, Record};
use std::ops::{Bound, ControlFlow};

/// A record that could not be read: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub tree: TreeId,
    pub key: Vec<u8>,
    pub why: String,
}

impl Store {
    /// Remember a record that did not decode.
    pub(super) fn note_damage(&self, tree: TreeId, key: &[u8], why: &dyn std::fmt::Display) {
        let mut d = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        if d.insert((tree, key.to_vec()), why.to_string()).is_none() {
            tracing::error!(tree = tree.name(), key = %hex(key), error = %why, "a record cannot be read; skipped");
        }
    }

    /// Forget a damaged record (it was moved to quarantine).
    pub(super) fn forget_damage(&self, tree: TreeId, key: &[u8]) {
        let mut d = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        d.remove(&(tree, key.to_vec()));
    }

    /// Records that readers met and could not decode, since the store was opened.
    pub fn damaged(&self) -> Vec<Damaged> {
        let d = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        d.iter()
            .map(|((tree, key), why)| Damaged {
                tree: *tree,
                key: key.clone(),
                why: why.clone(),
            })
            .collect()
    }

    /// How many records readers met and could not decode.
    pub fn damaged_count(&self) -> usize {
        self.damaged.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// A stored record, or None when it is damaged (noted) or part of an unfinished import.
    fn readable<T: Stored>(&self, tree: TreeId, key: &[u8], bytes: &[u8]) -> Option<Record<T>> {
        if self.is_pending(T::KIND, super::id_suffix(key)) {
            return None;
        }
        match decode_at::<T>(tree, key, bytes) {
            Ok(r) => Some(r),
            Err(e) => {
                self.note_damage(tree, key, &e);
                None
            }
        }
    }

    /// Read one record. A damaged record reads as absent (and is noted, see [`Store::damaged`]).
    pub fn get<T: Stored>(&self, id: Id) -> Result<Option<Record<T>>> {
        let tree = TreeId::of(T::KIND);
        let key = id.to_be_bytes();
        Ok(match self.tree(tree)?.get(key)? {
            Some(b) => self.readable::<T>(tree, &key, &b),
            None => None,
        })
    }

    /// Every readable record of one kind, in id order.
    pub fn scan<T: Stored>(&self) -> impl Iterator<Item = Result<Record<T>>> + '_ {
        self.scan_range::<T>(Id(0), None)
    }

    /// Readable records of one kind with ids in `[from, to)` (`to` None: to the end), in id order.
    pub fn scan_range<T: Stored>(
        &self,
        from: Id,
        to: Option<Id>,
    ) -> impl Iterator<Item = Result<Record<T>>> + '_ {
        let tree = TreeId::of(T::KIND);
        let end = to.map_or(Bound::Unbounded, |t| Bound::Excluded(t.to_be_bytes()));
        let (range, failed) = match self.tree(tree) {
            Ok(t) => (
                Some(t.range((Bound::Included(from.to_be_bytes()), end))),
                None,
            ),
            Err(e) => (None, Some(e)),
        };
        failed
            .map(Err)
            .into_iter()
            .chain(range.into_iter().flatten().filter_map(move |kv| match kv {
                Err(e) => Some(Err(StoreError::from(e))),
                Ok((k, v)) => self.readable::<T>(tree, &k, &v).map(Ok),
            }))
    }

    /// Activities with ids in `[from, below)` (`below` None: to the end), in id order, each
    /// decoded in place without copying ([`codec::ActivityRef`]), until `each` breaks. True when
    /// the range ran out. What bulk readers use: the export, the timeline's table, batch scans.
    /// Damaged activities are skipped (and noted).
    pub fn visit_activities<E: From<StoreError>>(
        &self,
        from: Id,
        below: Option<Id>,
        mut each: impl FnMut(codec::ActivityRef<'_>) -> std::result::Result<ControlFlow<()>, E>,
    ) -> std::result::Result<bool, E> {
        let upper = below.map_or(Bound::Unbounded, |b| Bound::Excluded(b.to_be_bytes()));
        let tree = self.tree(TreeId::Activity)?;
        for kv in tree.range((Bound::Included(from.to_be_bytes()), upper)) {
            let (k, v) = kv.map_err(StoreError::from)?;
            if self.is_pending(EntityKind::Activity, super::id_suffix(&k)) {
                continue;
            }
            let a = match codec::ActivityRef::decode(&v) {
                Ok(a) => a,
                Err(e) => {
                    self.note_damage(TreeId::Activity, &k, &e);
                    continue;
                }
            };
            if each(a)?.is_break() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Activity `id` decoded in place (see [`Store::visit_activities`]) and handed to `f`: None
    /// when it is missing, not yet committed or damaged (damage is noted).
    pub fn with_activity<R>(
        &self,
        id: Id,
        f: impl FnOnce(&codec::ActivityRef<'_>) -> R,
    ) -> Result<Option<R>> {
        let key = id.to_be_bytes();
        if self.is_pending(EntityKind::Activity, id) {
            return Ok(None);
        }
        let Some(v) = self.tree(TreeId::Activity)?.get(key)? else {
            return Ok(None);
        };
        Ok(match codec::ActivityRef::decode(&v) {
            Ok(a) => Some(f(&a)),
            Err(e) => {
                self.note_damage(TreeId::Activity, &key, &e);
                None
            }
        })
    }

    /// The smallest and largest record id of one kind.
    pub fn id_bounds(&self, kind: EntityKind) -> Result<Option<(Id, Id)>> {
        let tree = self.tree(TreeId::of(kind))?;
        Ok(match (tree.first()?, tree.last()?) {
            (Some((a, _)), Some((b, _))) => Some((super::id_suffix(&a), super::id_suffix(&b))),
            _ => None,
        })
    }

    /// Keys of an index tree under `prefix`, in order.
    pub fn index_prefix(
        &self,
        t: TreeId,
        prefix: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<sled::IVec>> + '_ {
        let (keys, failed) = match self.tree(t) {
            Ok(tree) => (Some(tree.scan_prefix(prefix).keys()), None),
            Err(e) => (None, Some(e)),
        };
        Failed(failed).chain(
            keys.into_iter()
                .flatten()
                .map(|k| k.map_err(StoreError::from)),
        )
    }

    /// Keys of an index tree in `[from, to)`, in order.
    pub fn index_range(
        &self,
        t: TreeId,
        from: &[u8],
        to: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<sled::IVec>> + '_ {
        let (keys, failed) = match self.tree(t) {
            Ok(tree) => (Some(tree.range(from.to_vec()..to.to_vec()).keys()), None),
            Err(e) => (None, Some(e)),
        };
        Failed(failed).chain(
            keys.into_iter()
                .flatten()
                .map(|k| k.map_err(StoreError::from)),
        )
    }

    /// Readable audit entries, newest first, starting below `before` (exclusive) when given.
    pub fn audit(&self, before: Option<u64>) -> impl Iterator<Item = Result<AuditEntry>> + '_ {
        let end = before.unwrap_or(u64::MAX);
        let (range, failed) = match self.tree(TreeId::Audit) {
            Ok(t) => (Some(t.range(..end.to_be_bytes()).rev()), None),
            Err(e) => (None, Some(e)),
        };
        failed
            .map(Err)
            .into_iter()
            .chain(range.into_iter().flatten().filter_map(move |kv| match kv {
                Err(e) => Some(Err(StoreError::from(e))),
                Ok((k, v)) => match codec::decode_audit(&v) {
                    Ok(e) => Some(Ok(e)),
                    Err(e) => {
                        self.note_damage(TreeId::Audit, &k, &e);
                        None
                    }
                },
            }))
    }

    /// The audit entries of one record, oldest first.
    pub fn audit_of(&self, kind: EntityKind, id: Id) -> Result<Vec<AuditEntry>> {
        self.audit_of_in(None, kind, id)
    }

    /// [`Store::audit_of`], including the entries in `staged` when given.
    pub fn audit_of_in(
        &self,
        staged: Option<&super::Staged>,
        kind: EntityKind,
        id: Id,
    ) -> Result<Vec<AuditEntry>> {
        let prefix = index::audit_record_prefix(kind, id);
        let mut keys = std::collections::BTreeSet::new();
        for k in self
            .tree(TreeId::AuditByRecord)?
            .scan_prefix(&prefix)
            .keys()
        {
            keys.insert(k?.to_vec());
        }
        if let Some(st) = staged {
            st.overlay_keys(TreeId::AuditByRecord, &prefix, &mut keys);
        }
        let audit = self.tree(TreeId::Audit)?;
        let mut out = Vec::new();
        for k in keys {
            let seq = &k[k.len() - 8..];
            let found = match staged {
                Some(staged) => super::commit::Stage::get(
                    &StagedView {
                        store: self,
                        staged,
                    },
                    TreeId::Audit,
                    seq,
                )?,
                None => audit.get(seq)?,
            };
            if let Some(v) = found {
                match codec::decode_audit(&v) {
                    Ok(e) => out.push(e),
                    Err(e) => self.note_damage(TreeId::Audit, seq, &e),
                }
            }
        }
        Ok(out)
    }
}

/// An iterator of at most one error: how a reader whose tree is unavailable says so.
struct Failed(Option<StoreError>);

impl Iterator for Failed {
    type Item = Result<sled::IVec>;
    fn next(&mut self) -> Option<Self::Item> {
        self.0.take().map(Err)
    }
}

impl DoubleEndedIterator for Failed {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.take().map(Err)
    }
}
