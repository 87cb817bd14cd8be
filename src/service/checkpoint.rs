//! A checkpoint of the in-memory model, so that opening a large workspace does not decode every
//! partner and agreement record one sled lookup at a time.
//!
//! When a service closes (the TUI quits, the daemon stops), it writes the model's partners,
//! agreements, archived ids, name orders, and (when built) the activity table, the notes' table
//! and the open action items to `model.checkpoint` in the workspace directory,
//! together with the number of audit entries the store held at that moment. Every change to the
//! store writes an audit entry in the same transaction, so when the next open finds the same number
//! (and the same spets and schema version), nothing has changed since and the checkpoint *is* the
//! model. Otherwise — a crash, another version, a damaged file — it is ignored and the model is
//! loaded from the records as always. The checkpoint is never the only copy of anything.
//!
//! Layout: magic, then sections (each length-prefixed), then a CRC-32 of everything before it.
//! Sections of records hold each record on its own (a u32 length, then the record as the codec
//! encodes it), so that every record decodes within the codec's read limit however many there are;
//! the two halves of the partners are decoded on parallel threads. Archived ids and name orders
//! are fixed-width big-endian ids. The activity table and the notes' table have their own
//! big-endian encodings ([`super::activities::Table::encode`],
//! [`super::timeline::NoteTable::encode`]); they and the action items are optional sections (empty
//! when the model had not built them). With them, opening a large workspace reads no activity
//! or note record: the overview the UI shows first needs both, and building them meant reading
//! every activity and note through sled, whose page cache then held tens of megabytes.

use super::api::ActionRow;
use super::model::PartnerEntry;
use crate::domain::{Agreement, EntityKind, Id, Partner, Record};
use crate::i18n::Lang;
use crate::store::{SCHEMA_VERSION, Store, codec};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const FILE: &str = "model.checkpoint";
const MAGIC: &[u8; 8] = b"SPETSMC5";

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
    pub activities: Option<super::activities::Table>,
    pub actions: Option<Vec<ActionRow>>,
    pub notes: Option<super::timeline::NoteTable>,
}

/// The model's tables a checkpoint holds when they are built.
pub(super) struct Tables<'a> {
    pub activities: Option<&'a super::activities::Table>,
    pub actions: Option<&'a [ActionRow]>,
    pub notes: Option<&'a super::timeline::NoteTable>,
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
    let [
        head,
        first,
        second,
        agreements,
        archived,
        sorted,
        activities,
        actions,
        notes,
    ] = s.as_slice()
    else {
        return None;
    };
    let head: Header = codec::decode(head).ok()?;
    let half = |bytes: &[u8]| -> Option<Vec<PartnerEntry>> {
        read_records_as(bytes, |r: Record<Partner>| PartnerEntry::new(r))
    };
    let (a, b, rest) = std::thread::scope(|sc| {
        let a = sc.spawn(|| half(first));
        let b = sc.spawn(|| half(second));
        let rest = (|| {
            let agreements: Vec<Record<Agreement>> = read_records(agreements)?;
            let tables = (
                read_optional(activities, super::activities::Table::decode)?,
                read_optional(actions, read_records::<ActionRow>)?,
                read_optional(notes, super::timeline::NoteTable::decode)?,
            );
            Some((
                agreements,
                read_archived(archived)?,
                read_sorted(sorted)?,
                tables,
            ))
        })();
        (a.join().ok().flatten(), b.join().ok().flatten(), rest)
    });
    let (agreement_list, archived, sorted, (activities, actions, notes)) = rest?;
    let (a, b) = (a?, b?);
    let mut partners = HashMap::with_capacity(a.len() + b.len());
    for e in a.into_iter().chain(b) {
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
        activities,
        actions,
        notes,
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
    tables: Tables<'_>,
) -> Result<(), String> {
    let head = header(store);
    let mut list: Vec<&Record<Partner>> = partners.values().map(|e| &e.rec).collect();
    list.sort_by_key(|r| r.meta.id);
    let (first, second) = list.split_at(list.len() / 2);
    let agreements: Vec<&Record<Agreement>> = agreements.values().flatten().collect();
    let sections = [
        codec::encode(&head).map_err(|e| e.to_string())?,
        write_records(first)?,
        write_records(second)?,
        write_records(&agreements)?,
        write_archived(archived),
        write_sorted(sorted),
        write_optional(tables.activities.map(|t| t.encode())),
        write_optional(
            tables
                .actions
                .map(|a| write_records(&a.iter().collect::<Vec<_>>()))
                .transpose()?,
        ),
        write_optional(tables.notes.map(|t| t.encode())),
    ];
    let mut out = MAGIC.to_vec();
    for s in sections {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(&s);
    }
    let crc = crc32fast::hash(&out[MAGIC.len()..]);
    out.extend_from_slice(&crc.to_be_bytes());
    crate::store::backup::write_atomic(&path(store.path()), &out).map_err(|e| e.to_string())
}

/// An optional section: empty when absent, else a 1 and the bytes.
fn write_optional(bytes: Option<Vec<u8>>) -> Vec<u8> {
    match bytes {
        None => Vec::new(),
        Some(b) => {
            let mut out = Vec::with_capacity(1 + b.len());
            out.push(1);
            out.extend_from_slice(&b);
            out
        }
    }
}

/// An optional section: Some(None) when absent, None when damaged.
fn read_optional<T>(bytes: &[u8], read: impl FnOnce(&[u8]) -> Option<T>) -> Option<Option<T>> {
    match bytes.split_first() {
        None => Some(None),
        Some((1, rest)) => read(rest).map(Some),
        Some(_) => None,
    }
}

/// Records one after the other, each as a u32 length and the record as the codec encodes it.
fn write_records<T: Serialize>(records: &[&T]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for r in records {
        let b = codec::encode(r).map_err(|e| e.to_string())?;
        let len = u32::try_from(b.len()).map_err(|e| e.to_string())?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&b);
    }
    Ok(out)
}

/// The records [`write_records`] wrote, each decoded within the codec's limit.
fn read_records<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<Vec<T>> {
    read_records_as(bytes, |r| r)
}

/// [`read_records`], each record turned into a `U` as it is decoded, into a vector sized by a
/// first pass over the length prefixes: no record list beside the result, and no doubling on the
/// way (the open's peak memory).
fn read_records_as<T: serde::de::DeserializeOwned, U>(
    bytes: &[u8],
    each: impl Fn(T) -> U,
) -> Option<Vec<U>> {
    let (mut n, mut at) = (0usize, bytes);
    while let Some((len, rest)) = at.split_first_chunk::<4>() {
        at = rest.get(u32::from_be_bytes(*len) as usize..)?;
        n += 1;
    }
    let mut out = Vec::with_capacity(n);
    let mut bytes = bytes;
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        let item = rest.get(..len)?;
        out.push(each(codec::decode(item).ok()?));
        bytes = &rest[len..];
    }
    Some(out)
}

/// Archived records as 9-byte keys (kind byte, id).
fn write_archived(archived: &HashSet<(EntityKind, Id)>) -> Vec<u8> {
    let mut keys: Vec<Vec<u8>> = archived
        .iter()
        .map(|(k, id)| crate::store::archived_key(*k, *id))
        .collect();
    keys.sort();
    keys.concat()
}

fn read_archived(bytes: &[u8]) -> Option<Vec<(EntityKind, Id)>> {
    bytes
        .chunks(9)
        .map(|k| {
            let kind = crate::store::kind_of_byte(*k.first()?)?;
            (k.len() == 9).then(|| (kind, crate::store::id_suffix(k)))
        })
        .collect()
}

/// Name orders: per language its key's first byte, the number of ids (u64), the ids.
fn write_sorted(sorted: &HashMap<Lang, Vec<Id>>) -> Vec<u8> {
    let mut langs: Vec<(&Lang, &Vec<Id>)> = sorted.iter().collect();
    langs.sort_by_key(|(l, _)| l.key());
    let mut out = Vec::new();
    for (lang, ids) in langs {
        out.push(lang.key().as_bytes()[0]);
        out.extend_from_slice(&(ids.len() as u64).to_be_bytes());
        for id in ids {
            out.extend_from_slice(&id.to_be_bytes());
        }
    }
    out
}

fn read_sorted(mut bytes: &[u8]) -> Option<Vec<(Lang, Vec<Id>)>> {
    let mut out = Vec::new();
    while let Some((tag, rest)) = bytes.split_first() {
        let lang = [Lang::En, Lang::Sv]
            .into_iter()
            .find(|l| l.key().as_bytes()[0] == *tag)?;
        let (n, rest) = rest.split_first_chunk::<8>()?;
        let n = usize::try_from(u64::from_be_bytes(*n)).ok()?;
        let ids = rest.get(..n.checked_mul(8)?)?;
        out.push((lang, ids.chunks(8).map(crate::store::id_suffix).collect()));
        bytes = &rest[ids.len()..];
    }
    Some(out)
}

/// The audit count a checkpoint on disk would have to match (for deciding whether to rewrite it).
pub(super) fn current_seq(store: &Store) -> u64 {
    header(store).audit_entries
}
