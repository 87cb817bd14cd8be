//! The one place where bytes become records and back.
//!
//! * Every stored type is wrapped in a version enum (`V1`, later `V2`, …). Variants are only ever
//!   appended, so a record written by an old spets still decodes; [`Stored::unwrap`] upgrades old
//!   variants to the current type.
//! * bincode 2 (`=2.0.1`) with its standard configuration and a byte limit, so a damaged length prefix
//!   cannot make the decoder allocate gigabytes; a decode must consume every byte.
//! * No serde attributes that bincode cannot round-trip (`skip_serializing_if`, `untagged`, `flatten`,
//!   internally tagged enums). `#[serde(with = ...)]` on dates is fine and used.

use crate::domain::Enumerated;
use crate::domain::limits;
use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, Agreement, Assessment, Contact, Entity,
    EntityKind, FieldChange, Goal, GoalLinks, Id, Meta, Note, Partner, PhaseChange, Record, Rhythm,
    Suitability, Timestamp, evaluation::Evaluation,
};
use bincode::BorrowDecode;
use bincode::de::{BorrowDecoder, Decode, Decoder};
use bincode::error::DecodeError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The decoder's byte limit ([`limits::DECODE_LIMIT`], derived from the largest record the store
/// writes): anything that claims more is damage.
pub const BYTE_LIMIT: usize = limits::DECODE_LIMIT;

/// Why bytes could not become a value.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("could not encode: {0}")]
    Encode(#[from] bincode::error::EncodeError),
    #[error("could not decode: {0}")]
    Decode(#[from] bincode::error::DecodeError),
    #[error("{extra} unexpected bytes after the record ({total} bytes in all)")]
    Trailing { extra: usize, total: usize },
    #[error("the record encodes to {size} bytes, more than the {max} a record may take")]
    TooLarge { size: usize, max: usize },
}

/// Refuse an encoded record or audit entry larger than the store writes ([`limits::MAX_RECORD_BYTES`]).
fn bounded(bytes: Vec<u8>) -> Result<Vec<u8>, CodecError> {
    if bytes.len() > limits::MAX_RECORD_BYTES {
        return Err(CodecError::TooLarge {
            size: bytes.len(),
            max: limits::MAX_RECORD_BYTES,
        });
    }
    Ok(bytes)
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<BYTE_LIMIT>()
}

/// Encode any serde value (used for envelopes and protocol frames).
pub fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, CodecError> {
    Ok(bincode::serde::encode_to_vec(v, config())?)
}

/// Decode a value and insist that every byte was consumed.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (v, used): (T, usize) = bincode::serde::decode_from_slice(bytes, config())?;
    if used != bytes.len() {
        return Err(CodecError::Trailing {
            extra: bytes.len() - used,
            total: bytes.len(),
        });
    }
    Ok(v)
}

/// An entity that can be stored: it knows its envelope.
pub trait Stored: Entity + super::index::IndexKeys + Serialize + DeserializeOwned {
    type Envelope: Serialize + DeserializeOwned;
    fn wrap(r: Record<Self>) -> Self::Envelope;
    fn unwrap(e: Self::Envelope) -> Record<Self>;
}

macro_rules! envelope {
    ($env:ident, $ty:ty) => {
        /// Version envelope. Append variants only; never reorder or remove.
        #[derive(Debug, Serialize, Deserialize)]
        pub enum $env {
            V1(Record<$ty>),
        }
        impl Stored for $ty {
            type Envelope = $env;
            fn wrap(r: Record<Self>) -> $env {
                $env::V1(r)
            }
            fn unwrap(e: $env) -> Record<Self> {
                match e {
                    $env::V1(r) => r,
                }
            }
        }
    };
}

envelope!(PartnerEnvelope, Partner);
/// The agreement as spets wrote it before the renewal checklist (envelope `V1`).
#[derive(Debug, Serialize, Deserialize)]
pub struct AgreementV1 {
    pub partner: Id,
    pub kind: crate::domain::AgreementKind,
    pub title: String,
    #[serde(with = "crate::domain::date_days::opt")]
    pub signed: Option<NaiveDate>,
    #[serde(with = "crate::domain::date_days")]
    pub start: NaiveDate,
    #[serde(with = "crate::domain::date_days::opt")]
    pub end: Option<NaiveDate>,
    pub signatories: Vec<String>,
    pub renewal_lead_months: u8,
    pub status: crate::domain::AgreementStatus,
}

/// Version envelope. Append variants only; never reorder or remove.
#[derive(Debug, Serialize, Deserialize)]
pub enum AgreementEnvelope {
    V1(Record<AgreementV1>),
    /// With the renewal checklist's steps.
    V2(Record<Agreement>),
}

impl Stored for Agreement {
    type Envelope = AgreementEnvelope;
    fn wrap(r: Record<Self>) -> AgreementEnvelope {
        AgreementEnvelope::V2(r)
    }
    fn unwrap(e: AgreementEnvelope) -> Record<Self> {
        match e {
            AgreementEnvelope::V1(r) => Record {
                meta: r.meta,
                data: Agreement {
                    partner: r.data.partner,
                    kind: r.data.kind,
                    title: r.data.title,
                    signed: r.data.signed,
                    start: r.data.start,
                    end: r.data.end,
                    signatories: r.data.signatories,
                    renewal_lead_months: r.data.renewal_lead_months,
                    status: r.data.status,
                    renewal_draft_sent: None,
                    renewal_signed: None,
                },
            },
            AgreementEnvelope::V2(r) => r,
        }
    }
}
envelope!(ContactEnvelope, Contact);
envelope!(ActivityEnvelope, Activity);
envelope!(AssessmentEnvelope, Assessment);
envelope!(NoteEnvelope, Note);
envelope!(GoalEnvelope, Goal);
envelope!(GoalLinksEnvelope, GoalLinks);
envelope!(PhaseChangeEnvelope, PhaseChange);
envelope!(SuitabilityEnvelope, Suitability);
envelope!(RhythmEnvelope, Rhythm);
envelope!(EvaluationEnvelope, Evaluation);

/// Encode a record in its current envelope; a record larger than
/// [`limits::MAX_RECORD_BYTES`] is refused ([`CodecError::TooLarge`]), so that every record written
/// decodes within the read limit.
pub fn encode_record<T: Stored>(r: &Record<T>) -> Result<Vec<u8>, CodecError> {
    bounded(encode(&T::wrap(r.clone()))?)
}

/// Decode a record from any envelope version.
pub fn decode_record<T: Stored>(bytes: &[u8]) -> Result<Record<T>, CodecError> {
    Ok(T::unwrap(decode::<T::Envelope>(bytes)?))
}

/// A stored activity read without copying: its text borrows the stored bytes and its short lists
/// stay inline, so a scan that only looks at activities (a filter, an export) allocates nothing per
/// record. [`ActivityRef::to_record`] makes the owned record.
///
/// It is read with bincode's own decoders rather than through serde (several times faster per
/// record). bincode stores no field names, so [`ActivityRef::decode`] reads the fields of
/// `ActivityEnvelope::V1(Record<Activity>)` in their declared order with the decoders serde's
/// path uses for the same types. `to_record` names every field of the owned types (a field added
/// there stops it compiling), and a test decodes both ways and compares.
#[derive(Debug)]
pub struct ActivityRef<'a> {
    pub meta: MetaRef<'a>,
    pub data: ActivityDataRef<'a>,
}

/// [`Meta`], borrowed.
#[derive(Debug)]
pub struct MetaRef<'a> {
    pub id: Id,
    pub version: u64,
    pub created_at: Timestamp,
    pub created_by: &'a str,
    pub updated_at: Timestamp,
    pub updated_by: &'a str,
    pub archived: bool,
}

/// [`Activity`], borrowed.
#[derive(Debug)]
pub struct ActivityDataRef<'a> {
    pub date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub partners: Few<Id, 4>,
    pub kind: ActivityKind,
    pub title: &'a str,
    pub description: &'a str,
    pub values: Few<AddedValue, 6>,
    pub status: ActivityStatus,
    pub owner: &'a str,
}

impl<'de> BorrowDecode<'de, ()> for ActivityRef<'de> {
    fn borrow_decode<D: BorrowDecoder<'de, Context = ()>>(d: &mut D) -> Result<Self, DecodeError> {
        // The envelope's variant: only V1 so far.
        match u32::decode(d)? {
            0 => {}
            v => {
                return Err(DecodeError::OtherString(format!(
                    "activity envelope version {v} is unknown"
                )));
            }
        }
        let meta = MetaRef {
            id: Id(u64::decode(d)?),
            version: u64::decode(d)?,
            created_at: Timestamp(i64::decode(d)?),
            created_by: BorrowDecode::borrow_decode(d)?,
            updated_at: Timestamp(i64::decode(d)?),
            updated_by: BorrowDecode::borrow_decode(d)?,
            archived: bool::decode(d)?,
        };
        let data = ActivityDataRef {
            date: day(i32::decode(d)?)?,
            end_date: Option::<i32>::decode(d)?.map(day).transpose()?,
            partners: Few::decode_with(d, |d| Ok(Id(u64::decode(d)?)))?,
            kind: variant(d)?,
            title: BorrowDecode::borrow_decode(d)?,
            description: BorrowDecode::borrow_decode(d)?,
            values: Few::decode_with(d, variant)?,
            status: variant(d)?,
            owner: BorrowDecode::borrow_decode(d)?,
        };
        Ok(ActivityRef { meta, data })
    }
}

/// A date stored as its day number (see `domain::date_days`).
fn day(n: i32) -> Result<NaiveDate, DecodeError> {
    NaiveDate::from_num_days_from_ce_opt(n)
        .ok_or_else(|| DecodeError::OtherString(format!("day number {n} is not a date")))
}

/// A unit enum stored as its variant index, as serde stores it.
fn variant<D: Decoder, T: Enumerated>(d: &mut D) -> Result<T, DecodeError> {
    let i = u32::decode(d)?;
    usize::try_from(i)
        .ok()
        .and_then(|i| T::ALL.get(i).copied())
        .ok_or_else(|| {
            DecodeError::OtherString(format!(
                "variant {i} of {} does not exist",
                std::any::type_name::<T>()
            ))
        })
}

impl<'a> ActivityRef<'a> {
    /// Decode a stored activity without copying; like [`decode_record`], every byte must be used.
    /// The codec's byte limit is left out: it guards allocations sized by a length prefix, and
    /// this decoder makes none (text is borrowed, lists grow item by item).
    pub fn decode(bytes: &'a [u8]) -> Result<ActivityRef<'a>, CodecError> {
        let (r, used): (ActivityRef<'a>, usize) =
            bincode::borrow_decode_from_slice(bytes, bincode::config::standard())?;
        if used != bytes.len() {
            return Err(CodecError::Trailing {
                extra: bytes.len() - used,
                total: bytes.len(),
            });
        }
        Ok(r)
    }

    /// A view of an owned record (for code that handles both).
    pub fn of(r: &'a Record<Activity>) -> ActivityRef<'a> {
        let (m, a) = (&r.meta, &r.data);
        ActivityRef {
            meta: MetaRef {
                id: m.id,
                version: m.version,
                created_at: m.created_at,
                created_by: &m.created_by,
                updated_at: m.updated_at,
                updated_by: &m.updated_by,
                archived: m.archived,
            },
            data: ActivityDataRef {
                date: a.date,
                end_date: a.end_date,
                partners: Few::from_slice(&a.partners),
                kind: a.kind,
                title: &a.title,
                description: &a.description,
                values: Few::from_slice(&a.values),
                status: a.status,
                owner: &a.owner,
            },
        }
    }

    pub fn to_record(&self) -> Record<Activity> {
        let (m, a) = (&self.meta, &self.data);
        Record {
            meta: Meta {
                id: m.id,
                version: m.version,
                created_at: m.created_at,
                created_by: m.created_by.to_owned(),
                updated_at: m.updated_at,
                updated_by: m.updated_by.to_owned(),
                archived: m.archived,
            },
            data: Activity {
                date: a.date,
                end_date: a.end_date,
                partners: a.partners.to_vec(),
                kind: a.kind,
                title: a.title.to_owned(),
                description: a.description.to_owned(),
                values: a.values.to_vec(),
                status: a.status,
                owner: a.owner.to_owned(),
            },
        }
    }
}

/// A list that keeps up to `N` items inline and spills longer ones to the heap.
#[derive(Debug, Clone)]
pub struct Few<T: Copy, const N: usize> {
    /// Filled from the first item on (`None` while empty).
    inline: Option<[T; N]>,
    len: usize,
    /// Every item, once there are more than `N`.
    spill: Vec<T>,
}

impl<T: Copy, const N: usize> Few<T, N> {
    fn new() -> Self {
        Few {
            inline: None,
            len: 0,
            spill: Vec::new(),
        }
    }

    pub fn push(&mut self, x: T) {
        match &mut self.inline {
            None => self.inline = Some([x; N]),
            Some(a) if self.len < N => a[self.len] = x,
            Some(a) => {
                if self.spill.is_empty() {
                    self.spill.extend_from_slice(a);
                }
                self.spill.push(x);
            }
        }
        self.len += 1;
    }

    pub fn from_slice(items: &[T]) -> Self {
        let mut few = Few::new();
        for x in items {
            few.push(*x);
        }
        few
    }

    pub fn as_slice(&self) -> &[T] {
        if self.len > N {
            return &self.spill;
        }
        self.inline.as_ref().map_or(&[], |a| &a[..self.len])
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.as_slice().to_vec()
    }

    /// A sequence as bincode stores it (its length, then the items), each item read by `item`.
    fn decode_with<D: Decoder>(
        d: &mut D,
        item: impl Fn(&mut D) -> Result<T, DecodeError>,
    ) -> Result<Self, DecodeError> {
        let len = u64::decode(d)?;
        let mut few = Few::new();
        // Nothing is reserved up front: every item takes at least one byte, so a damaged length
        // runs out of bytes long before it could take much memory.
        for _ in 0..len {
            few.push(item(d)?);
        }
        Ok(few)
    }
}

/// What a mutation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Update,
    Archive,
    Restore,
    Purge,
    /// Records added in bulk (demo data, CSV import).
    Import,
    /// A workspace restored from a backup.
    RestoreBackup,
    /// `spets check --repair` mended the workspace (quarantine, indexes, counters).
    Repair,
    /// A user's access changed on an open connection to the daemon (the label says from what to
    /// what).
    Access,
}

impl AuditAction {
    pub fn key(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Archive => "archive",
            AuditAction::Restore => "restore",
            AuditAction::Purge => "purge",
            AuditAction::Import => "import",
            AuditAction::RestoreBackup => "restore_backup",
            AuditAction::Repair => "repair",
            AuditAction::Access => "access",
        }
    }
}

/// One line of the audit log: who, when, which record, what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log (monotonic).
    pub seq: u64,
    pub at: Timestamp,
    pub user: String,
    pub action: AuditAction,
    pub kind: EntityKind,
    pub id: Id,
    /// The record's version after the change (0 after a purge).
    pub version: u64,
    pub label: String,
    pub changes: Vec<FieldChange>,
}

impl AuditEntry {
    /// The ids an import entry covers (its `ids` change reads `first-last`): each imported record
    /// points to this one entry in the audit index.
    pub fn import_range(&self) -> Option<(Id, Id)> {
        if self.action != AuditAction::Import {
            return None;
        }
        let c = self.changes.iter().find(|c| c.field == "ids")?;
        let (a, b) = c.new.split_once('-')?;
        Some((Id(a.parse().ok()?), Id(b.parse().ok()?)))
    }
}

/// Version envelope for audit entries.
#[derive(Debug, Serialize, Deserialize)]
pub enum AuditEnvelope {
    V1(AuditEntry),
}

/// Encode an audit entry; like [`encode_record`], one larger than the record limit is refused.
pub fn encode_audit(e: &AuditEntry) -> Result<Vec<u8>, CodecError> {
    bounded(encode(&AuditEnvelope::V1(e.clone()))?)
}

pub fn decode_audit(bytes: &[u8]) -> Result<AuditEntry, CodecError> {
    match decode::<AuditEnvelope>(bytes)? {
        AuditEnvelope::V1(e) => Ok(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(partners: usize, values: &[AddedValue], text: &str) -> Record<Activity> {
        Record {
            meta: Meta {
                id: Id(42),
                version: 7,
                created_at: Timestamp(1_700_000_000_000),
                created_by: "anna".into(),
                updated_at: Timestamp(1_700_000_100_000),
                updated_by: "björn".into(),
                archived: partners % 2 == 1,
            },
            data: Activity {
                date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
                end_date: (partners > 2).then(|| NaiveDate::from_ymd_opt(2026, 3, 16).unwrap()),
                partners: (0..partners as u64).map(|i| Id(1000 + i * 7)).collect(),
                kind: ActivityKind::ALL[partners % ActivityKind::ALL.len()],
                title: format!("Besök {text}"),
                description: text.repeat(partners + 1),
                values: values.to_vec(),
                status: ActivityStatus::ALL[partners % 3],
                owner: "Åsa Öberg".into(),
            },
        }
    }

    /// The borrowed decode reads exactly what the owned one reads, for lists shorter than, as long
    /// as and longer than what it keeps inline, and refuses what the owned one refuses.
    #[test]
    fn the_borrowed_activity_decode_matches_the_owned_one() {
        let many: Vec<AddedValue> = AddedValue::ALL
            .iter()
            .chain(AddedValue::ALL)
            .copied()
            .collect();
        for partners in 0..7 {
            for values in [&[][..], &AddedValue::ALL[..2], AddedValue::ALL, &many] {
                for text in ["", "x", "Göteborg \";\"\r\n= ok", "日本語"] {
                    let r = activity(partners, values, text);
                    let bytes = encode_record(&r).unwrap();
                    let view = ActivityRef::decode(&bytes).unwrap();
                    assert_eq!(view.to_record(), r);
                    assert_eq!(decode_record::<Activity>(&bytes).unwrap(), r);
                    assert_eq!(ActivityRef::of(&r).to_record(), r);
                    assert_eq!(view.data.partners.as_slice(), &r.data.partners[..]);
                    let mut longer = bytes.clone();
                    longer.push(0);
                    assert!(matches!(
                        ActivityRef::decode(&longer),
                        Err(CodecError::Trailing { extra: 1, .. })
                    ));
                    assert!(ActivityRef::decode(&bytes[..bytes.len() - 1]).is_err());
                }
            }
        }
        // A damaged list length (2^64 - 1 partners) fails when the bytes run out; nothing is
        // reserved for it.
        let damaged = encode(&(
            0u32,
            (1u64, 1u64, 0i64, "a", 0i64, "b", false),
            (739_000i32, None::<i32>, u64::MAX),
        ))
        .unwrap();
        assert!(ActivityRef::decode(&damaged).is_err());
        // Another entity's bytes are not an activity.
        let note_like = encode(&AuditEnvelope::V1(AuditEntry {
            seq: 1,
            at: Timestamp(0),
            user: "u".into(),
            action: AuditAction::Create,
            kind: EntityKind::Activity,
            id: Id(1),
            version: 1,
            label: "l".into(),
            changes: Vec::new(),
        }))
        .unwrap();
        assert!(ActivityRef::decode(&note_like).is_err());
    }

    #[test]
    fn rejects_trailing_bytes_and_huge_lengths() {
        let mut b = encode(&"hello".to_string()).unwrap();
        b.push(0);
        assert!(matches!(
            decode::<String>(&b),
            Err(CodecError::Trailing { extra: 1, .. })
        ));
        // A varint length prefix claiming ~2^64 bytes must fail fast, not allocate.
        let evil = [0xFFu8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        assert!(decode::<Vec<u8>>(&evil).is_err());
        assert!(decode::<String>(&[253, 0, 0, 0, 0, 0, 0, 0, 16]).is_err());
    }
}
