//! `spets check --repair`: mend what a check finds, with an audit entry for each step.
//!
//! 1. Counters first: the audit counter is raised to the last audit entry (so the audit entries of
//!    the repair cannot overwrite the log).
//! 2. Records and audit entries that do not decode move to the `quarantine` tree as raw bytes,
//!    under their tree's name and key, where they stay for a later rescue.
//! 3. Index trees are rebuilt where they differ from what the records need.
//! 4. The id counter is raised to the highest id in use (quarantine included), and each kind's
//!    record count is set to what its tree holds.

use super::{Expected, Report, scan, scan_quarantine};
use crate::domain::{EntityKind, FieldChange, Id, Timestamp};
use crate::store::commit::{Stage, TxError, next_audit_seq};
use crate::store::{
    AUDIT_COUNTER, AuditAction, AuditEntry, ID_COUNTER, Store, StoreError, TreeId, codec,
    count_key, hex, id_suffix, index, read_u64,
};
use serde::{Deserialize, Serialize};

/// One thing the repair did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepairStep {
    /// A record that did not decode was moved to the quarantine tree.
    Quarantined {
        tree: String,
        key: String,
        why: String,
    },
    /// An index tree was brought in line with the records.
    IndexRebuilt {
        tree: String,
        removed: usize,
        added: usize,
    },
    /// A counter was raised to what the workspace holds.
    CounterRaised { counter: String, from: u64, to: u64 },
    /// A kind's record count was set to what its tree holds.
    CountSet {
        kind: EntityKind,
        from: u64,
        to: u64,
    },
}

/// The quarantine key of a record: its tree's name, a zero byte, its key.
fn quarantine_key(tree: TreeId, key: &[u8]) -> Vec<u8> {
    [tree.name().as_bytes(), &[0], key].concat()
}

/// A quarantine key split into the tree's name and the record's key.
pub(super) fn split_quarantine_key(k: &[u8]) -> Option<(&str, &[u8])> {
    let at = k.iter().position(|b| *b == 0)?;
    let name = std::str::from_utf8(&k[..at]).ok()?;
    Some((name, &k[at + 1..]))
}

/// Write one audit entry of the repair.
pub(crate) fn audit(
    store: &Store,
    user: &str,
    kind: EntityKind,
    id: Id,
    label: String,
    change: FieldChange,
) -> Result<(), StoreError> {
    audit_as(store, AuditAction::Repair, user, kind, id, label, change)
}

/// Write one audit entry that belongs to no record's change (a repair step, an access change).
pub(crate) fn audit_as(
    store: &Store,
    action: AuditAction,
    user: &str,
    kind: EntityKind,
    id: Id,
    label: String,
    change: FieldChange,
) -> Result<(), StoreError> {
    store.transact(|v| {
        let seq = next_audit_seq(v)?;
        let entry = AuditEntry {
            seq,
            at: Timestamp::now(),
            user: user.to_string(),
            action,
            kind,
            id,
            version: 0,
            label: crate::domain::audit_summary(&label),
            changes: vec![change.clone()],
        };
        let bytes = codec::encode_audit(&entry).map_err(StoreError::from_codec)?;
        v.insert(TreeId::Audit, &seq.to_be_bytes(), bytes)?;
        v.insert(
            TreeId::AuditByRecord,
            &index::audit_record_key(kind, id, seq),
            Vec::new(),
        )?;
        Ok::<_, TxError>(())
    })
}

/// Set a counter (outside any record transaction).
fn set_counter(store: &Store, key: &[u8], to: u64) -> Result<(), StoreError> {
    store.put_raw(TreeId::Counters, key, to.to_be_bytes().to_vec())
}

/// Mend the workspace (see the module docs) as `user`, and say what was done. The caller holds the
/// workspace exclusively (the service's write lock) and flushes afterwards.
pub fn repair(store: &Store, user: &str) -> Result<Vec<RepairStep>, StoreError> {
    let mut steps = Vec::new();
    let expected = || -> Result<Expected, StoreError> {
        let snap = store.snapshot();
        let mut report = Report::default();
        let ex = scan(&snap, &mut report, true)?;
        scan_quarantine(&snap, ex)
    };
    let ex = expected()?;
    raise_audit_counter(store, user, &ex, &mut steps)?;
    quarantine(store, user, &mut steps)?;
    // What the indexes and counters should be, now that only readable records are left.
    let ex = expected()?;
    rebuild_indexes(store, user, &ex, &mut steps)?;
    fix_counters(store, user, &ex, &mut steps)?;
    Ok(steps)
}

fn raise_audit_counter(
    store: &Store,
    user: &str,
    ex: &Expected,
    steps: &mut Vec<RepairStep>,
) -> Result<(), StoreError> {
    let from = store.audit_count() as u64;
    if from < ex.max_seq {
        set_counter(store, AUDIT_COUNTER, ex.max_seq)?;
        audit(
            store,
            user,
            EntityKind::Partner,
            Id(0),
            format!("audit counter raised from {from} to {}", ex.max_seq),
            FieldChange::bounded("audit_seq", &from.to_string(), &ex.max_seq.to_string()),
        )?;
        steps.push(RepairStep::CounterRaised {
            counter: "audit_seq".into(),
            from,
            to: ex.max_seq,
        });
    }
    Ok(())
}

/// Move every record and audit entry that does not decode to the quarantine tree.
fn quarantine(store: &Store, user: &str, steps: &mut Vec<RepairStep>) -> Result<(), StoreError> {
    let trees = EntityKind::ALL
        .iter()
        .map(|k| TreeId::of(*k))
        .chain([TreeId::Audit]);
    for tree in trees {
        let mut bad = Vec::new();
        for kv in store.tree(tree)?.iter() {
            let (k, v) = kv?;
            if let Some(why) = undecodable(tree, &v) {
                bad.push((k.to_vec(), v.to_vec(), why));
            }
        }
        for (key, bytes, why) in bad {
            store.transact(|v| {
                v.insert(
                    TreeId::Quarantine,
                    &quarantine_key(tree, &key),
                    bytes.clone(),
                )?;
                v.remove(tree, &key)?;
                Ok::<_, TxError>(())
            })?;
            store.forget_damage(tree, &key);
            let kind = tree.entity().unwrap_or(EntityKind::Partner);
            let id = if tree == TreeId::Audit {
                Id(0)
            } else {
                id_suffix(&key)
            };
            audit(
                store,
                user,
                kind,
                id,
                format!("{} {} moved to quarantine: {why}", tree.name(), hex(&key)),
                FieldChange::bounded("quarantine", "", &hex(&key)),
            )?;
            steps.push(RepairStep::Quarantined {
                tree: tree.name().into(),
                key: hex(&key),
                why,
            });
        }
    }
    Ok(())
}

/// Why stored bytes of `tree` cannot stay (they do not decode, or the record breaks a limit), or
/// None when they can.
fn undecodable(tree: TreeId, v: &[u8]) -> Option<String> {
    use crate::domain::{Activity, Agreement, Assessment, Contact, Note, Partner};
    fn record<T: crate::store::Stored>(v: &[u8]) -> Option<String> {
        match codec::decode_record::<T>(v) {
            Err(e) => Some(e.to_string()),
            Ok(r) => super::over_limit(&r.data, v.len()).map(|e| e.to_string()),
        }
    }
    match tree {
        TreeId::Partner => record::<Partner>(v),
        TreeId::Agreement => record::<Agreement>(v),
        TreeId::Contact => record::<Contact>(v),
        TreeId::Activity => record::<Activity>(v),
        TreeId::Assessment => record::<Assessment>(v),
        TreeId::Note => record::<Note>(v),
        TreeId::Goal => record::<crate::domain::Goal>(v),
        TreeId::GoalLinks => record::<crate::domain::GoalLinks>(v),
        TreeId::PhaseChange => record::<crate::domain::PhaseChange>(v),
        TreeId::Suitability => record::<crate::domain::Suitability>(v),
        TreeId::Rhythm => record::<crate::domain::Rhythm>(v),
        TreeId::Evaluation => record::<crate::domain::Evaluation>(v),
        TreeId::Audit => codec::decode_audit(v).err().map(|e| e.to_string()),
        _ => None,
    }
}

/// Bring every index tree in line with what the records need.
fn rebuild_indexes(
    store: &Store,
    user: &str,
    ex: &Expected,
    steps: &mut Vec<RepairStep>,
) -> Result<(), StoreError> {
    for t in TreeId::ALL.into_iter().filter(|t| t.is_index()) {
        let tree = store.tree(t)?;
        let mut stray = Vec::new();
        for k in tree.iter().keys() {
            let k = k?;
            if !ex.explains(t, &k) {
                stray.push(k.clone());
            }
        }
        let mut missing = Vec::new();
        for (_, k) in ex.keys.iter().flatten().filter(|(tt, _)| *tt == t) {
            if !tree.contains_key(k)? {
                missing.push(k);
            }
        }
        if stray.is_empty() && missing.is_empty() {
            continue;
        }
        for k in &stray {
            store.remove_raw(t, k)?;
        }
        for k in &missing {
            store.put_raw(t, k, Vec::new())?;
        }
        let (removed, added) = (stray.len(), missing.len());
        audit(
            store,
            user,
            EntityKind::Partner,
            Id(0),
            format!(
                "index {} rebuilt: {removed} stray entries removed, {added} missing entries added",
                t.name()
            ),
            FieldChange::bounded(t.name(), &removed.to_string(), &added.to_string()),
        )?;
        steps.push(RepairStep::IndexRebuilt {
            tree: t.name().into(),
            removed,
            added,
        });
    }
    Ok(())
}

/// Raise the id counter to the highest id in use, and set each kind's count to its tree's.
fn fix_counters(
    store: &Store,
    user: &str,
    ex: &Expected,
    steps: &mut Vec<RepairStep>,
) -> Result<(), StoreError> {
    let from = store.id_counter();
    if from < ex.max_id {
        // Atomically, in case ids are handed out meanwhile (they are not: the caller is alone).
        store.update_raw(TreeId::Counters, ID_COUNTER, |old| {
            let cur = old.map(read_u64).unwrap_or(0);
            Some(cur.max(ex.max_id).to_be_bytes().to_vec())
        })?;
        audit(
            store,
            user,
            EntityKind::Partner,
            Id(0),
            format!("id counter raised from {from} to {}", ex.max_id),
            FieldChange::bounded("record_id", &from.to_string(), &ex.max_id.to_string()),
        )?;
        steps.push(RepairStep::CounterRaised {
            counter: "record_id".into(),
            from,
            to: ex.max_id,
        });
    }
    for (kind, actual) in &ex.counts {
        let stored = store.count(*kind) as u64;
        if stored != *actual {
            set_counter(store, &count_key(*kind), *actual)?;
            audit(
                store,
                user,
                *kind,
                Id(0),
                format!("{kind} count set from {stored} to {actual}"),
                FieldChange::bounded("count", &stored.to_string(), &actual.to_string()),
            )?;
            steps.push(RepairStep::CountSet {
                kind: *kind,
                from: stored,
                to: *actual,
            });
        }
    }
    Ok(())
}
