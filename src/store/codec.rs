//! The one place where bytes become records and back.
//!
//! * Every stored type is wrapped in a version enum (`V1`, later `V2`, …). Variants are only ever
//!   appended, so a record written by an old spets still decodes; [`Stored::unwrap`] upgrades old
//!   variants to the current type.
//! * bincode 2 (`=2.0.1`) with its standard configuration and a byte limit, so a damaged length prefix
//!   cannot make the decoder allocate gigabytes; a decode must consume every byte.
//! * No serde attributes that bincode cannot round-trip (`skip_serializing_if`, `untagged`, `flatten`,
//!   internally tagged enums). `#[serde(with = ...)]` on dates is fine and used.

use crate::domain::{
    Activity, Agreement, Assessment, Contact, Entity, EntityKind, FieldChange, Id, Note, Partner,
    Record, Timestamp,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The largest record the decoder will accept (16 MiB); anything larger is damage.
pub const BYTE_LIMIT: usize = 16 << 20;

/// Why bytes could not become a value.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("could not encode: {0}")]
    Encode(#[from] bincode::error::EncodeError),
    #[error("could not decode: {0}")]
    Decode(#[from] bincode::error::DecodeError),
    #[error("{extra} unexpected bytes after the record ({total} bytes in all)")]
    Trailing { extra: usize, total: usize },
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
envelope!(AgreementEnvelope, Agreement);
envelope!(ContactEnvelope, Contact);
envelope!(ActivityEnvelope, Activity);
envelope!(AssessmentEnvelope, Assessment);
envelope!(NoteEnvelope, Note);

/// Encode a record in its current envelope.
pub fn encode_record<T: Stored>(r: &Record<T>) -> Result<Vec<u8>, CodecError> {
    encode(&T::wrap(r.clone()))
}

/// Decode a record from any envelope version.
pub fn decode_record<T: Stored>(bytes: &[u8]) -> Result<Record<T>, CodecError> {
    Ok(T::unwrap(decode::<T::Envelope>(bytes)?))
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

/// Version envelope for audit entries.
#[derive(Debug, Serialize, Deserialize)]
pub enum AuditEnvelope {
    V1(AuditEntry),
}

pub fn encode_audit(e: &AuditEntry) -> Result<Vec<u8>, CodecError> {
    encode(&AuditEnvelope::V1(e.clone()))
}

pub fn decode_audit(bytes: &[u8]) -> Result<AuditEntry, CodecError> {
    match decode::<AuditEnvelope>(bytes)? {
        AuditEnvelope::V1(e) => Ok(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
