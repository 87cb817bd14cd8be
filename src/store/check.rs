//! `spets check`: verify that every record decodes, indexes agree with records, and versions are sane.

use super::{Store, StoreError, TreeId, codec, decode_at, hex, index};
use crate::domain::{Activity, Agreement, Assessment, Contact, Note, Partner, Record};
use std::collections::HashSet;

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Records read, per tree name.
    pub counted: Vec<(&'static str, usize)>,
    /// Problems, one sentence each.
    pub problems: Vec<String>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check the whole workspace. Only storage failures are errors; damage goes into the report.
pub fn check(store: &Store) -> Result<Report, StoreError> {
    let mut report = Report::default();
    let mut expected: HashSet<(usize, Vec<u8>)> = HashSet::new();
    match store.schema_version()? {
        Some(v) if v == super::SCHEMA_VERSION => {}
        Some(v) => report.problems.push(format!(
            "schema version is {v}, this spets writes {}",
            super::SCHEMA_VERSION
        )),
        None => report
            .problems
            .push("the schema-version key is missing".into()),
    }
    check_records::<Partner>(store, &mut report, &mut expected)?;
    check_records::<Agreement>(store, &mut report, &mut expected)?;
    check_records::<Contact>(store, &mut report, &mut expected)?;
    check_records::<Activity>(store, &mut report, &mut expected)?;
    check_records::<Assessment>(store, &mut report, &mut expected)?;
    check_records::<Note>(store, &mut report, &mut expected)?;

    // The audit log, and its index by record.
    let mut audits = 0;
    for kv in store.tree(TreeId::Audit).iter() {
        let (k, v) = kv?;
        audits += 1;
        match codec::decode_audit(&v) {
            Ok(e) => {
                if e.seq.to_be_bytes() != k.as_ref() {
                    report.problems.push(format!(
                        "audit entry {} is stored under key {}",
                        e.seq,
                        hex(&k)
                    ));
                }
                expected.insert((
                    TreeId::AuditByRecord as usize,
                    index::audit_record_key(e.kind, e.id, e.seq),
                ));
            }
            Err(err) => report
                .problems
                .push(format!("audit entry {} does not decode: {err}", hex(&k))),
        }
    }
    report.counted.push(("audit", audits));
    if store.audit_count() < audits {
        report.problems.push(format!(
            "the audit counter ({}) is below the number of audit entries ({audits})",
            store.audit_count()
        ));
    }

    for t in TreeId::ALL.iter().filter(|t| t.is_index()) {
        let mut n = 0;
        for k in store.tree(*t).iter().keys() {
            let k = k?;
            n += 1;
            if !expected.remove(&(*t as usize, k.to_vec())) {
                report.problems.push(format!(
                    "{} has an entry {} that no record explains",
                    t.name(),
                    hex(&k)
                ));
            }
        }
        report.counted.push((t.name(), n));
    }
    let mut missing: Vec<_> = expected.into_iter().collect();
    missing.sort();
    for (slot, k) in missing {
        report.problems.push(format!(
            "{} lacks the entry {}",
            TreeId::ALL[slot].name(),
            hex(&k)
        ));
    }
    Ok(report)
}

fn check_records<T: super::Stored>(
    store: &Store,
    report: &mut Report,
    expected: &mut HashSet<(usize, Vec<u8>)>,
) -> Result<(), StoreError> {
    let tree = TreeId::of(T::KIND);
    let mut n = 0;
    for kv in store.tree(tree).iter() {
        let (k, v) = kv?;
        n += 1;
        let r: Record<T> = match decode_at::<T>(tree, &k, &v) {
            Ok(r) => r,
            Err(e) => {
                report.problems.push(e.to_string());
                continue;
            }
        };
        let name = tree.name();
        if r.meta.id.to_be_bytes() != k.as_ref() {
            report.problems.push(format!(
                "{name} {} is stored under key {}",
                r.meta.id,
                hex(&k)
            ));
        }
        if r.meta.version == 0 {
            report.problems.push(format!(
                "{name} {} has version 0 (versions start at 1)",
                r.meta.id
            ));
        }
        if r.meta.updated_at < r.meta.created_at {
            report.problems.push(format!(
                "{name} {} was updated before it was created",
                r.meta.id
            ));
        }
        for (t, key) in index::keys(&r) {
            expected.insert((t as usize, key));
        }
    }
    report.counted.push((tree.name(), n));
    if store.count(T::KIND) != n {
        report.problems.push(format!(
            "the {} counter says {} records, the tree holds {n}",
            tree.name(),
            store.count(T::KIND)
        ));
    }
    Ok(())
}
