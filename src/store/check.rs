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
    /// Fingerprints of the index entries the readable records need (8 bytes each, whatever the
    /// key: a check's memory does not grow with the keys' length). A stray entry whose
    /// fingerprint collides with a needed one would go unreported: about one chance in 10^13 for
    /// a million entries.
    pub needed: HashSet<u64, BuildFingerprint>,
    /// The needed entries themselves, when the scan was asked to keep them (a repair, or a check
    /// that found entries missing and names them).
    pub keys: Option<Vec<(TreeId, Vec<u8>)>>,
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

/// The fingerprint of an index entry.
pub(super) fn fingerprint(t: TreeId, key: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (t as u8).hash(&mut h);
    key.hash(&mut h);
    h.finish()
}

/// Fingerprints are hashes already: the set uses them as they are.
#[derive(Default, Clone, Copy)]
pub(super) struct BuildFingerprint;

impl std::hash::BuildHasher for BuildFingerprint {
    type Hasher = FingerprintHasher;
    fn build_hasher(&self) -> FingerprintHasher {
        FingerprintHasher(0)
    }
}

pub(super) struct FingerprintHasher(u64);

impl std::hash::Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Expected {
    /// Note an index entry that a record needs.
    fn need(&mut self, t: TreeId, key: Vec<u8>) {
        self.needed.insert(fingerprint(t, &key));
        if let Some(keys) = &mut self.keys {
            keys.push((t, key));
        }
    }

    /// Whether an index entry is needed (by its fingerprint).
    pub fn needs(&self, t: TreeId, key: &[u8]) -> bool {
        self.needed.contains(&fingerprint(t, key))
    }

    /// Whether an index entry is needed, or allowed: the audit-index entry of a record that an
    /// import's entry covers.
    pub fn explains(&self, t: TreeId, key: &[u8]) -> bool {
        self.needs(t, key) || self.import_covers(t, key)
    }

    /// Whether an audit-index entry belongs to a record that an import's entry covers.
    fn import_covers(&self, t: TreeId, key: &[u8]) -> bool {
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
    let expected = scan(&snap, &mut report, false)?;
    check_indexes(&snap, &expected, &mut report)?;
    let expected = scan_quarantine(&snap, expected)?;
    check_counters(&snap, &expected, &mut report)?;
    Ok(report)
}

/// Read every record and audit entry (the snapshot's trees up to the audit log): findings for the
/// ones that do not decode or are inconsistent, and what the indexes and counters should be.
/// With `keep_keys`, the needed index entries are kept whole as well as fingerprinted.
pub(super) fn scan(
    snap: &Snapshot<'_>,
    report: &mut Report,
    keep_keys: bool,
) -> Result<Expected, StoreError> {
    let store = snap.store();
    let mut ex = Expected {
        keys: keep_keys.then(Vec::new),
        ..Expected::default()
    };
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
        let ids: Vec<Id> = ex
            .pending_ids
            .iter()
            .filter(|(k, id)| *k == p.kind && p.first <= *id && *id <= p.last)
            .map(|(_, id)| *id)
            .collect();
        for id in ids {
            ex.need(
                TreeId::AuditByRecord,
                index::audit_record_key(p.kind, id, p.seq),
            );
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
                ex.need(
                    TreeId::AuditByRecord,
                    index::audit_record_key(e.kind, e.id, e.seq),
                );
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
            ex.need(t, key);
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

/// Index entries that no record explains, and entries that records need but lack. Memory stays
/// with the fingerprints: entries are counted, and only when some are missing is the scan run
/// again to name them.
fn check_indexes(
    snap: &Snapshot<'_>,
    ex: &Expected,
    report: &mut Report,
) -> Result<(), StoreError> {
    let mut present = 0usize;
    for t in TreeId::ALL.iter().filter(|t| t.is_index()) {
        let mut n = 0;
        snap.for_each(*t, |k, _| {
            n += 1;
            if ex.needs(*t, k) {
                present += 1;
            } else if !ex.import_covers(*t, k) {
                report.findings.push(Finding::StrayIndex {
                    tree: t.name().into(),
                    key: hex(k),
                });
            }
            Ok(std::ops::ControlFlow::Continue(()))
        })?;
        report.counted.push((t.name(), n));
    }
    if present >= ex.needed.len() {
        return Ok(());
    }
    // Some are missing: find which, from the records again (the same snapshot).
    let full = scan(snap, &mut Report::default(), true)?;
    let mut missing = Vec::new();
    for (t, k) in full.keys.unwrap_or_default() {
        if snap.get(t, &k)?.is_none() {
            missing.push((t, k));
        }
    }
    missing.sort();
    missing.dedup();
    for (t, k) in missing {
        report.findings.push(Finding::MissingIndex {
            tree: t.name().into(),
            key: hex(&k),
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
