//! `spets check`: verify that every record decodes, indexes agree with records, and versions and
//! counters are sane; and `spets check --repair`, which mends what it found (see [`repair`]).

use super::{Snapshot, Store, StoreError, TreeId, codec, hex, id_suffix, index};
use crate::domain::{
    Activity, Agreement, Assessment, Contact, EntityKind, Goal, GoalLinks, Id, Note, Partner,
    PhaseChange, Suitability,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

mod repair;
pub(crate) use repair::audit_as;
pub use repair::{RepairStep, repair};

/// One thing a check found. Structured, so that each client words it in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finding {
    /// The schema-version key is missing or not this build's.
    Schema { found: Option<u32>, expected: u32 },
    /// A record (or audit entry) does not decode; `spets check --repair` moves it to quarantine.
    Undecodable {
        tree: String,
        key: String,
        why: String,
    },
    /// A record is stored under another id's key.
    WrongKey { tree: String, id: Id, key: String },
    /// A record has version 0 (versions start at 1).
    VersionZero { tree: String, id: Id },
    /// A record says it was updated before it was created.
    UpdatedBeforeCreated { tree: String, id: Id },
    /// An index entry that no record explains.
    StrayIndex { tree: String, key: String },
    /// An index entry that a record needs is missing.
    MissingIndex { tree: String, key: String },
    /// A counter is below what the workspace holds: `record_id` below the highest id in use makes
    /// the next new records collide with existing ones; `audit_seq` below the last audit entry
    /// overwrites the log.
    CounterBehind {
        counter: String,
        stored: u64,
        needed: u64,
    },
    /// A record breaks one of the limits of [`crate::domain::limits`] (written by an older spets);
    /// `spets check --repair` moves it to quarantine.
    OverLimit {
        tree: String,
        id: Id,
        field: String,
        rule: crate::domain::Rule,
    },
    /// The stored record count of a kind differs from the records in its tree.
    CountMismatch {
        kind: EntityKind,
        stored: u64,
        actual: u64,
    },
}

impl Finding {
    /// The finding as one sentence in `lang`.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::integrity::finding(lang, self)
    }

    /// Whether `spets check --repair` mends this finding.
    pub fn repairable(&self) -> bool {
        matches!(
            self,
            Finding::Undecodable { .. }
                | Finding::OverLimit { .. }
                | Finding::StrayIndex { .. }
                | Finding::MissingIndex { .. }
                | Finding::CounterBehind { .. }
                | Finding::CountMismatch { .. }
        )
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Records read, per tree name.
    pub counted: Vec<(&'static str, usize)>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// What the record scan leaves for the index and counter checks.
#[derive(Default)]
pub(super) struct Expected {
    /// Index entries the readable records need, by tree slot.
    pub keys: HashSet<(TreeId, Vec<u8>)>,
    /// The highest record id in any entity tree or in quarantine.
    pub max_id: u64,
    /// The highest audit sequence number stored.
    pub max_seq: u64,
    /// Records per kind, not counting imports in progress.
    pub counts: Vec<(EntityKind, u64)>,
    /// Import audit entries by sequence number: the kind and id range each covers.
    pub imports: std::collections::HashMap<u64, (EntityKind, Id, Id)>,
    /// Records of imports in progress.
    pub pending_ids: Vec<(EntityKind, Id)>,
    /// The counters as of the snapshot.
    pub counters: std::collections::HashMap<Vec<u8>, u64>,
}

impl Expected {
    /// Whether an index entry is needed, or allowed: the audit-index entry of a record that an
    /// import's entry covers.
    pub fn explains(&self, t: TreeId, key: &[u8]) -> bool {
        if self.keys.contains(&(t, key.to_vec())) {
            return true;
        }
        if t != TreeId::AuditByRecord || key.len() != 17 {
            return false;
        }
        let seq = super::read_u64(&key[9..]);
        let id = id_suffix(&key[..9]);
        self.imports.get(&seq).is_some_and(|(kind, first, last)| {
            super::kind_of_byte(key[0]) == Some(*kind) && *first <= id && id <= *last
        })
    }
}

/// Check the whole workspace as it is when the check begins (from a [`super::Snapshot`]: saves go
/// on meanwhile). Only storage failures are errors; damage goes into the report.
pub fn check(store: &Store) -> Result<Report, StoreError> {
    let mut report = Report::default();
    match store.schema_version()? {
        Some(v) if v == super::SCHEMA_VERSION => {}
        found => report.findings.push(Finding::Schema {
            found,
            expected: super::SCHEMA_VERSION,
        }),
    }
    let snap = store.snapshot();
    let expected = scan(&snap, &mut report)?;
    check_indexes(&snap, &expected, &mut report)?;
    let expected = scan_quarantine(&snap, expected)?;
    check_counters(&snap, &expected, &mut report)?;
    Ok(report)
}

/// Read every record and audit entry (the snapshot's trees up to the audit log): findings for the
/// ones that do not decode or are inconsistent, and what the indexes and counters should be.
pub(super) fn scan(snap: &Snapshot<'_>, report: &mut Report) -> Result<Expected, StoreError> {
    let store = snap.store();
    let mut ex = Expected::default();
    let pending = store.pending_imports();
    for p in &pending {
        ex.max_seq = ex.max_seq.max(p.seq);
    }
    scan_records::<Partner>(snap, report, &mut ex)?;
    scan_records::<Agreement>(snap, report, &mut ex)?;
    scan_records::<Contact>(snap, report, &mut ex)?;
    scan_records::<Activity>(snap, report, &mut ex)?;
    scan_records::<Assessment>(snap, report, &mut ex)?;
    scan_records::<Note>(snap, report, &mut ex)?;
    scan_records::<Goal>(snap, report, &mut ex)?;
    scan_records::<GoalLinks>(snap, report, &mut ex)?;
    scan_records::<PhaseChange>(snap, report, &mut ex)?;
    scan_records::<Suitability>(snap, report, &mut ex)?;
    scan_records::<crate::domain::Rhythm>(snap, report, &mut ex)?;
    scan_records::<crate::domain::Evaluation>(snap, report, &mut ex)?;
    // Imports in progress: their records' audit keys point to an entry written at commit.
    for p in &pending {
        for id in ex.pending_ids.iter().filter(|(k, _)| *k == p.kind) {
            if p.first <= id.1 && id.1 <= p.last {
                ex.keys.insert((
                    TreeId::AuditByRecord,
                    index::audit_record_key(p.kind, id.1, p.seq),
                ));
            }
        }
    }
    let mut audits = 0;
    snap.for_each(TreeId::Audit, |k, v| {
        audits += 1;
        ex.max_seq = ex.max_seq.max(super::read_u64(k));
        match codec::decode_audit(v) {
            Ok(e) => {
                if let Some((first, last)) = e.import_range() {
                    ex.imports.insert(e.seq, (e.kind, first, last));
                }
                if e.seq.to_be_bytes() != k {
                    report.findings.push(Finding::WrongKey {
                        tree: "audit".into(),
                        id: Id(e.seq),
                        key: hex(k),
                    });
                }
                ex.keys.insert((
                    TreeId::AuditByRecord,
                    index::audit_record_key(e.kind, e.id, e.seq),
                ));
            }
            Err(err) => report.findings.push(Finding::Undecodable {
                tree: "audit".into(),
                key: hex(k),
                why: err.to_string(),
            }),
        }
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    report.counted.push(("audit", audits));
    for key in [super::ID_COUNTER.to_vec(), super::AUDIT_COUNTER.to_vec()]
        .into_iter()
        .chain(EntityKind::ALL.iter().map(|k| super::count_key(*k)))
    {
        let v = snap.get(TreeId::Counters, &key)?;
        ex.counters
            .insert(key, v.as_deref().map(super::read_u64).unwrap_or(0));
    }
    Ok(ex)
}

/// Quarantined records keep their ids: new records must not take them (the last tree read).
pub(super) fn scan_quarantine(
    snap: &Snapshot<'_>,
    mut ex: Expected,
) -> Result<Expected, StoreError> {
    snap.for_each(TreeId::Quarantine, |k, _| {
        if let Some((tree, key)) = repair::split_quarantine_key(k)
            && TreeId::named(tree).is_some_and(|t| t.entity().is_some())
        {
            ex.max_id = ex.max_id.max(id_suffix(key).0);
        }
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    Ok(ex)
}

fn scan_records<T: super::Stored>(
    snap: &Snapshot<'_>,
    report: &mut Report,
    ex: &mut Expected,
) -> Result<(), StoreError> {
    let store = snap.store();
    let tree = TreeId::of(T::KIND);
    let name = tree.name();
    let mut n = 0u64;
    let mut pending = 0u64;
    snap.for_each(tree, |k, v| {
        let key_id = id_suffix(k);
        ex.max_id = ex.max_id.max(key_id.0);
        if store.is_pending(T::KIND, key_id) {
            pending += 1;
            ex.pending_ids.push((T::KIND, key_id));
        } else {
            n += 1;
        }
        let r = match codec::decode_record::<T>(v) {
            Ok(r) => r,
            Err(e) => {
                report.findings.push(Finding::Undecodable {
                    tree: name.into(),
                    key: hex(k),
                    why: e.to_string(),
                });
                return Ok(std::ops::ControlFlow::Continue(()));
            }
        };
        if let Some(e) = over_limit(&r.data, v.len()) {
            report.findings.push(Finding::OverLimit {
                tree: name.into(),
                id: r.meta.id,
                field: e.field,
                rule: e.rule,
            });
        }
        if r.meta.id.to_be_bytes() != k {
            report.findings.push(Finding::WrongKey {
                tree: name.into(),
                id: r.meta.id,
                key: hex(k),
            });
        }
        if r.meta.version == 0 {
            report.findings.push(Finding::VersionZero {
                tree: name.into(),
                id: r.meta.id,
            });
        }
        if r.meta.updated_at < r.meta.created_at {
            report.findings.push(Finding::UpdatedBeforeCreated {
                tree: name.into(),
                id: r.meta.id,
            });
        }
        for (t, key) in index::keys(&r) {
            ex.keys.insert((t, key));
        }
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    report
        .counted
        .push((name, usize::try_from(n + pending).unwrap_or(usize::MAX)));
    ex.counts.push((T::KIND, n));
    Ok(())
}

/// The first limit a stored record breaks (a field too long, a list too long, the record too
/// large), if any.
pub(super) fn over_limit<T: crate::domain::Entity>(
    data: &T,
    encoded: usize,
) -> Option<crate::domain::FieldError> {
    use crate::domain::{FieldError, Rule, limits};
    if encoded > limits::MAX_RECORD_BYTES {
        return Some(FieldError::new(
            "record",
            "",
            Rule::RecordTooLarge {
                max: limits::MAX_RECORD_BYTES,
                given: encoded,
            },
        ));
    }
    data.validate()
        .into_iter()
        .find(|e| matches!(e.rule, Rule::TooLong { .. } | Rule::TooMany { .. }))
}

/// Index entries that no record explains, and entries that records need but lack.
fn check_indexes(
    snap: &Snapshot<'_>,
    ex: &Expected,
    report: &mut Report,
) -> Result<(), StoreError> {
    let mut seen: HashSet<(TreeId, Vec<u8>)> = HashSet::new();
    for t in TreeId::ALL.iter().filter(|t| t.is_index()) {
        let mut n = 0;
        snap.for_each(*t, |k, _| {
            n += 1;
            if !ex.explains(*t, k) {
                report.findings.push(Finding::StrayIndex {
                    tree: t.name().into(),
                    key: hex(k),
                });
            }
            seen.insert((*t, k.to_vec()));
            Ok(std::ops::ControlFlow::Continue(()))
        })?;
        report.counted.push((t.name(), n));
    }
    let mut missing: Vec<_> = ex.keys.difference(&seen).collect();
    missing.sort();
    for (t, k) in missing {
        report.findings.push(Finding::MissingIndex {
            tree: t.name().into(),
            key: hex(k),
        });
    }
    Ok(())
}

/// Counters below what the workspace holds, and record counts that differ from the trees.
fn check_counters(
    _snap: &Snapshot<'_>,
    ex: &Expected,
    report: &mut Report,
) -> Result<(), StoreError> {
    let counter = |k: &[u8]| ex.counters.get(k).copied().unwrap_or(0);
    let ids = counter(super::ID_COUNTER);
    if ids < ex.max_id {
        report.findings.push(Finding::CounterBehind {
            counter: "record_id".into(),
            stored: ids,
            needed: ex.max_id,
        });
    }
    let seq = counter(super::AUDIT_COUNTER);
    if seq < ex.max_seq {
        report.findings.push(Finding::CounterBehind {
            counter: "audit_seq".into(),
            stored: seq,
            needed: ex.max_seq,
        });
    }
    for (kind, actual) in &ex.counts {
        let stored = counter(&super::count_key(*kind));
        if stored != *actual {
            report.findings.push(Finding::CountMismatch {
                kind: *kind,
                stored,
                actual: *actual,
            });
        }
    }
    Ok(())
}
