//! What the audit log keeps of a change: the fields that differ between two versions of a record
//! (or every field of a new one), each value bounded in size.

use super::{Entity, limits};
use serde::{Deserialize, Serialize};

/// The fields whose display text differs between two versions of a record, each value bounded
/// for the audit log ([`FieldChange::bounded`]).
pub fn changed_fields<T: Entity>(old: &T, new: &T) -> Vec<FieldChange> {
    old.fields()
        .into_iter()
        .zip(new.fields())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| FieldChange::bounded(name, &a, &b))
        .collect()
}

/// Every non-empty field of a new record, as changes from nothing (for the audit entry of a create).
pub fn changed_fields_from_empty<T: Entity>(new: &T) -> Vec<FieldChange> {
    new.fields()
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(name, v)| FieldChange::bounded(name, "", &v))
        .collect()
}

/// A value as the audit log keeps it: whole up to [`limits::AUDIT_VALUE_CHARS`] characters,
/// otherwise its start, an ellipsis, its full length and a checksum of the whole (so that two long
/// values with the same start still differ), so that an audit entry of a huge change stays small.
pub fn audit_summary(v: &str) -> String {
    let max = limits::AUDIT_VALUE_CHARS;
    if v.len() <= max {
        return v.to_string();
    }
    let total = v.chars().count();
    if total <= max {
        return v.to_string();
    }
    let start: String = v.chars().take(max).collect();
    let sum = crc32fast::hash(v.as_bytes());
    format!("{start}… ({total} characters, #{sum:08x})")
}

/// One changed field, for audit entries and conflict reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

impl FieldChange {
    /// A change with both values summarised for the audit log ([`audit_summary`]).
    pub fn bounded(field: &str, old: &str, new: &str) -> FieldChange {
        FieldChange {
            field: field.to_string(),
            old: audit_summary(old),
            new: audit_summary(new),
        }
    }
}
