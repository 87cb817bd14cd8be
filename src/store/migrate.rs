//! Schema migrations, one step per version, run by [`Store::open`] before anything reads.
//!
//! Every step is safe to run again: a step cut short (a crash, a full disk) leaves the schema
//! version where it was, and the next open finishes it without doing anything twice.

use super::commit::Stage;
use super::{AuditAction, Change, Result, Store, TreeId, index};
use crate::domain::{
    Goal, GoalStatus, Id, Meta, Note, Partner, Record, Timestamp, text::clean_line,
};

/// Schema 1 → 2: goal lines on partners become goal records, and meeting notes get their entries
/// in the meeting-kind index (`idx_note_kind`, for the governance rhythm).
pub(super) fn one_to_two(store: &Store, user: &str) -> Result<()> {
    goal_lines_to_records(store, user)?;
    index_notes_by_kind(store)
}

/// Each partner with goal lines, in a transaction of its own: the partner without them (a new
/// version, audited) and one open goal per line (created, audited), owned by the partner's
/// coordinator.
fn goal_lines_to_records(store: &Store, user: &str) -> Result<()> {
    let with_lines: Vec<Record<Partner>> = store
        .scan::<Partner>()
        .filter_map(|r| r.ok())
        .filter(|r| !r.data.goals.is_empty())
        .collect();
    for p in with_lines {
        let lines: Vec<String> = p
            .data
            .goals
            .iter()
            .map(|l| clean_line(l))
            .filter(|l| !l.is_empty())
            .collect();
        let first = store.reserve_ids(lines.len() as u64)?;
        let now = Timestamp::now();
        let pid = p.meta.id;
        store.together(|t| {
            let moved = t.commit::<Partner>(
                pid,
                user,
                AuditAction::Update,
                Some(p.meta.version),
                |cur| match cur {
                    Some(c) => Change::Put(Record {
                        meta: Meta {
                            version: c.meta.version + 1,
                            updated_at: now,
                            updated_by: user.to_string(),
                            ..c.meta.clone()
                        },
                        data: Partner {
                            goals: Vec::new(),
                            ..c.data.clone()
                        },
                    }),
                    None => Change::Purge,
                },
            )?;
            if moved.is_err() {
                // Changed meanwhile (nothing else writes during an open): leave it for the next.
                return Ok(());
            }
            for (i, line) in lines.iter().enumerate() {
                let id = Id(first + i as u64);
                let goal = Goal {
                    partner: pid,
                    text: line.clone(),
                    values: Vec::new(),
                    indicator: String::new(),
                    target: String::new(),
                    deadline: None,
                    status: GoalStatus::Open,
                    owner: p.data.coordinator.clone(),
                };
                let created = t.commit::<Goal>(id, user, AuditAction::Create, None, |_| {
                    Change::Put(Record {
                        meta: Meta {
                            archived: p.meta.archived,
                            ..Meta::first(id, user, now)
                        },
                        data: goal.clone(),
                    })
                })?;
                if created.is_err() {
                    return Err(super::StoreError::Invalid(format!(
                        "goal {id} from a goal line of partner {pid} could not be created"
                    ))
                    .into());
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The meeting-kind index entries of every note (a transaction per 1,000 notes).
fn index_notes_by_kind(store: &Store) -> Result<()> {
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let flush = |keys: &mut Vec<Vec<u8>>| -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        store.transact(|v| {
            for k in keys.iter() {
                v.insert(TreeId::NoteByKind, k, Vec::new())?;
            }
            Ok(())
        })?;
        keys.clear();
        Ok(())
    };
    for n in store.scan::<Note>() {
        let Ok(n) = n else { continue };
        keys.extend(
            index::keys(&n)
                .into_iter()
                .filter(|(t, _)| *t == TreeId::NoteByKind)
                .map(|(_, k)| k),
        );
        if keys.len() >= 1000 {
            flush(&mut keys)?;
        }
    }
    flush(&mut keys)
}
