//! A checkpoint of the in-memory model, so that opening a large workspace does not decode every
//! partner and agreement record one sled lookup at a time.
//!
//! When a service closes (the TUI quits, the daemon stops), it writes the model's partners,
//! agreements, archived ids and name orders to `model.checkpoint` in the workspace directory,
//! together with the number of audit entries the store held at that moment. Every change to the
//! store writes an audit entry in the same transaction, so when the next open finds the same number
//! (and the same spets and schema version), nothing has changed since and the checkpoint *is* the
//! model. Otherwise — a crash, another version, a damaged file — it is ignored and the model is
//! loaded from the records as always. The checkpoint is never the only copy of anything.
//!
//! Layout: magic, then sections (length-prefixed bincode, decoded on parallel threads), then a
//! CRC-32 of everything before it.

use super::model::PartnerEntry;
use crate::domain::{Agreement, EntityKind, Id, Partner, Record};
use crate::i18n::Lang;
use crate::store::{SCHEMA_VERSION, Store, codec};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const FILE: &str = "model.checkpoint";
const MAGIC: &[u8; 8] = b"SPETSMC1";

/// What the checkpoint was taken of.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(super) struct Header {
    spets: String,
    schema: u32,
    audit_entries: u64,
}

/// The parts of the model a checkpoint holds.
pub(super) struct Parts {
    pub partners: HashMap<Id, PartnerEntry>,
    pub agreements: HashMap<Id, Vec<Record<Agreement>>>,
    pub archived: HashSet<(EntityKind, Id)>,
    pub sorted: HashMap<Lang, Vec<Id>>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

fn header(store: &Store) -> Header {
    Header {
        spets: env!("CARGO_PKG_VERSION").to_string(),
        schema: SCHEMA_VERSION,
        audit_entries: store.audit_count() as u64,
    }
}

/// Split a file body into its sections.
fn sections(body: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_be_bytes(*len)).ok()?;
        if len > tail.len() {
            return None;
        }
        let (section, tail) = tail.split_at(len);
        out.push(section);
        rest = tail;
    }
    Some(out)
}

/// Whether a checkpoint taken as `head` describes `store` exactly.
pub(super) fn matches(head: &Header, store: &Store) -> bool {
    *head == header(store)
}

/// The checkpoint in workspace `dir`, if there is one and it is intact. It may be read before the
/// store is open (the two take about as long, on two cores); check it with [`matches`] before
/// using it.
pub(super) fn read(dir: &Path) -> Option<(Header, Parts)> {
    let bytes = std::fs::read(path(dir)).ok()?;
    let body = bytes.strip_prefix(MAGIC.as_slice())?;
    let (body, crc) = body.split_last_chunk::<4>()?;
    if crc32fast::hash(body) != u32::from_be_bytes(*crc) {
        tracing::warn!("the model checkpoint is damaged; loading from the records");
        return None;
    }
    let s = sections(body)?;
    let [head, first, second, agreements, archived, sorted] = s.as_slice() else {
        return None;
    };
    let head: Header = codec::decode(head).ok()?;
    let half = |bytes: &[u8]| -> Option<Vec<PartnerEntry>> {
        let records: Vec<Record<Partner>> = codec::decode(bytes).ok()?;
        Some(records.into_iter().map(PartnerEntry::new).collect())
    };
    let (a, b, rest) = std::thread::scope(|sc| {
        let a = sc.spawn(|| half(first));
        let b = sc.spawn(|| half(second));
        let rest = (|| {
            let agreements: Vec<Record<Agreement>> = codec::decode(agreements).ok()?;
            let archived: Vec<(EntityKind, Id)> = codec::decode(archived).ok()?;
            let sorted: Vec<(Lang, Vec<Id>)> = codec::decode(sorted).ok()?;
            Some((agreements, archived, sorted))
        })();
        (a.join().ok().flatten(), b.join().ok().flatten(), rest)
    });
    let (agreement_list, archived, sorted) = rest?;
    let mut partners = HashMap::new();
    for e in a?.into_iter().chain(b?) {
        partners.insert(e.rec.meta.id, e);
    }
    let mut agreements: HashMap<Id, Vec<Record<Agreement>>> = HashMap::new();
    for r in agreement_list {
        agreements.entry(r.data.partner).or_default().push(r);
    }
    let parts = Parts {
        partners,
        agreements,
        archived: archived.into_iter().collect(),
        sorted: sorted.into_iter().collect(),
    };
    Some((head, parts))
}

/// Write a checkpoint of the model as it is now; it must describe the store (the caller holds the
/// service's write lock or is the last user of the service).
pub(super) fn write(
    store: &Store,
    partners: &HashMap<Id, PartnerEntry>,
    agreements: &HashMap<Id, Vec<Record<Agreement>>>,
    archived: &HashSet<(EntityKind, Id)>,
    sorted: &HashMap<Lang, Vec<Id>>,
) -> Result<(), String> {
    let head = header(store);
    let mut list: Vec<&Record<Partner>> = partners.values().map(|e| &e.rec).collect();
    list.sort_by_key(|r| r.meta.id);
    let (first, second) = list.split_at(list.len() / 2);
    let agreements: Vec<&Record<Agreement>> = agreements.values().flatten().collect();
    let archived: Vec<&(EntityKind, Id)> = archived.iter().collect();
    let sorted: Vec<(&Lang, &Vec<Id>)> = sorted.iter().collect();
    let sections = [
        codec::encode(&head),
        codec::encode(&first),
        codec::encode(&second),
        codec::encode(&agreements),
        codec::encode(&archived),
        codec::encode(&sorted),
    ];
    let mut out = MAGIC.to_vec();
    for s in sections {
        let s = s.map_err(|e| e.to_string())?;
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(&s);
    }
    let crc = crc32fast::hash(&out[MAGIC.len()..]);
    out.extend_from_slice(&crc.to_be_bytes());
    crate::store::backup::write_atomic(&path(store.path()), &out).map_err(|e| e.to_string())
}

/// The audit count a checkpoint on disk would have to match (for deciding whether to rewrite it).
pub(super) fn current_seq(store: &Store) -> u64 {
    header(store).audit_entries
}
