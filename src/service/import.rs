//! Imports through the service: all rows in one commit, or none.
//!
//! A client (the CSV importer, embedded or through the daemon) opens a session with
//! [`Request::ImportBegin`], sends the rows in chunks ([`Request::ImportRows`], each at most
//! [`IMPORT_CHUNK_ROWS`]), and ends it with [`Request::ImportCommit`] or [`Request::ImportAbort`].
//! Every row goes through the same normalisation, validation and cross-checks as a single save;
//! rows that pass are written at once under the store's import journal (invisible to everyone until
//! the commit, rolled back if anything stops the import: see [`crate::store::ImportJournal`]). The
//! commit checks the references once more under the write lock (a partner archived by someone
//! else meanwhile), then makes the whole import durable with one flush and announces it as one
//! change event.
//!
//! The daemon aborts the sessions of a connection that closes; a process that dies leaves a journal
//! that the next open rolls back.

use super::{ChangeEvent, Identity, ImportRow, Kind, Response, RowErrors, Service, by_kind, lock};
use crate::domain::limits::IMPORT_ROWS;
use crate::domain::{EntityKind, FieldError, Id, Meta, Record, Rule, Timestamp, text::fold};
use crate::store::{AuditAction, ImportJournal, StoreError};
use std::collections::HashMap;

/// Rows in one [`Request::ImportRows`](super::Request::ImportRows).
pub const IMPORT_CHUNK_ROWS: usize = 2_000;
/// Imports one user may have open at once.
pub const IMPORTS_PER_USER: usize = 2;

/// An import in progress.
pub(super) struct Session {
    user: String,
    journal: ImportJournal,
    valid_only: bool,
    /// Rows accepted so far (the next row takes the journal's id of this number).
    accepted: u64,
    /// Rows refused, with why.
    rejected: Vec<RowErrors>,
    /// Partners that accepted rows refer to, and the rows' ids (re-checked at commit).
    refs: HashMap<Id, Vec<Id>>,
    /// Folded name and country of every partner accepted so far, with its row and id (duplicates
    /// within the file, and partners of the same name saved by someone else meanwhile).
    names: HashMap<(String, String), (u64, Id)>,
    /// The file's row of each accepted record, by its number in the import.
    rows: Vec<u64>,
}

impl Session {
    /// The file's row of accepted record `id`.
    fn row_of(&self, id: Id) -> u64 {
        let n = id.0.saturating_sub(self.journal.range().0.0);
        usize::try_from(n)
            .ok()
            .and_then(|n| self.rows.get(n).copied())
            .unwrap_or(0)
    }
}

fn invalid(errors: Vec<FieldError>) -> Response {
    Response::Invalid(errors)
}

impl Service {
    /// [`super::Request::ImportBegin`].
    pub(super) fn import_begin(
        &self,
        who: &Identity,
        kind: EntityKind,
        rows: u64,
        valid_only: bool,
    ) -> Result<Response, StoreError> {
        if rows > IMPORT_ROWS as u64 {
            return Ok(invalid(vec![FieldError::new(
                "rows",
                rows.to_string(),
                Rule::TooMany {
                    max: IMPORT_ROWS,
                    given: usize::try_from(rows).unwrap_or(usize::MAX),
                },
            )]));
        }
        {
            let open = lock(&self.imports);
            let mine = open.values().filter(|s| s.user == who.user).count();
            if mine >= IMPORTS_PER_USER {
                return Ok(invalid(vec![FieldError::new(
                    "imports",
                    mine.to_string(),
                    Rule::TooMany {
                        max: IMPORTS_PER_USER,
                        given: mine + 1,
                    },
                )]));
            }
        }
        let journal = {
            let _w = lock(&self.write);
            self.store.import_begin(kind, rows, &who.user)?
        };
        let session = self
            .next_import
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        lock(&self.imports).insert(
            session,
            Session {
                user: who.user.clone(),
                journal,
                valid_only,
                accepted: 0,
                rejected: Vec::new(),
                refs: HashMap::new(),
                names: HashMap::new(),
                rows: Vec::new(),
            },
        );
        Ok(Response::ImportStarted { session })
    }

    /// Take the session `id` of `who` out of the table (so that nobody else works on it
    /// meanwhile); None when there is no such session of theirs ([`Response::ImportGone`]).
    fn take_session(&self, who: &Identity, id: u64) -> Option<Session> {
        let mut open = lock(&self.imports);
        match open.get(&id) {
            Some(s) if s.user == who.user => open.remove(&id),
            _ => None,
        }
    }

    /// [`super::Request::ImportRows`].
    pub(super) fn import_rows(
        &self,
        who: &Identity,
        id: u64,
        rows: Vec<ImportRow>,
    ) -> Result<Response, StoreError> {
        if rows.len() > IMPORT_CHUNK_ROWS {
            return Ok(invalid(vec![FieldError::new(
                "rows",
                rows.len().to_string(),
                Rule::TooMany {
                    max: IMPORT_CHUNK_ROWS,
                    given: rows.len(),
                },
            )]));
        }
        let Some(mut s) = self.take_session(who, id) else {
            return Ok(Response::ImportGone);
        };
        let kind = s.journal.kind();
        let outcome = by_kind!(kind, rows_of_kind, self, who, &mut s, rows);
        match outcome {
            Ok(rejected) => {
                let accepted = s.accepted;
                lock(&self.imports).insert(id, s);
                Ok(Response::ImportRowsTaken { accepted, rejected })
            }
            Err(e) => {
                // The import cannot go on: take back what it wrote.
                let generation = self.store.generation();
                {
                    let _w = lock(&self.write);
                    if let Err(abort) = self.store.import_abort(s.journal) {
                        tracing::error!(error = %abort, "an import could not be rolled back at once; the next open does it");
                    }
                }
                if e.is_storage_failure() {
                    self.recover_from(generation);
                }
                Err(e)
            }
        }
    }

    /// [`super::Request::ImportCommit`].
    pub(super) fn import_commit(&self, who: &Identity, id: u64) -> Result<Response, StoreError> {
        let Some(mut s) = self.take_session(who, id) else {
            return Ok(Response::ImportGone);
        };
        let _w = lock(&self.write);
        // A partner archived or purged by someone else while the rows were sent.
        let mut dropped: Vec<Id> = Vec::new();
        let mut late: Vec<RowErrors> = Vec::new();
        {
            let mut model = lock(&self.model);
            for (partner, records) in &s.refs {
                if !model.is_active_partner(*partner) {
                    for r in records {
                        dropped.push(*r);
                        late.push(RowErrors {
                            row: s.row_of(*r),
                            errors: vec![FieldError::new(
                                "partners",
                                partner.to_string(),
                                Rule::UnknownPartner,
                            )],
                        });
                    }
                }
            }
            for ((name, country), (row, id)) in &s.names {
                if let Some(existing) = model.named(name, country) {
                    dropped.push(*id);
                    late.push(RowErrors {
                        row: *row,
                        errors: vec![FieldError::new(
                            "name",
                            name.clone(),
                            Rule::DuplicatePartner { existing },
                        )],
                    });
                }
            }
        }
        late.sort_by_key(|r| r.row);
        if !late.is_empty() && !s.valid_only {
            s.rejected.extend(late);
            let rejected = std::mem::take(&mut s.rejected);
            self.store.import_abort(s.journal)?;
            return Ok(Response::ImportRefused { rejected });
        }
        if !s.rejected.is_empty() && !s.valid_only {
            let rejected = std::mem::take(&mut s.rejected);
            self.store.import_abort(s.journal)?;
            return Ok(Response::ImportRefused { rejected });
        }
        s.rejected.extend(late);
        let kind = s.journal.kind();
        let (first, last) = s.journal.range();
        let written = s.journal.written() - dropped.len() as u64;
        let label = format!("{written} {kind} records imported");
        let generation = self.store.generation();
        let entry = self.store.import_commit(s.journal, &dropped, &label)?;
        if let Err(e) = self.store.flush() {
            drop(_w);
            self.recover_from(generation);
            return Err(StoreError::NotWritten { why: e.to_string() });
        }
        // The model takes the imported records; everyone's screens refresh once.
        let today = self.today();
        by_kind!(kind, follow_import, self, first, last, today)?;
        self.publish(&[ChangeEvent {
            seq: entry.seq,
            kind,
            id: first,
            version: 1,
            action: AuditAction::Import,
            user: who.user.clone(),
            at: entry.at,
        }]);
        Ok(Response::Imported {
            written,
            rejected: s.rejected,
        })
    }

    /// [`super::Request::ImportAbort`].
    pub(super) fn import_abort(&self, who: &Identity, id: u64) -> Result<Response, StoreError> {
        match self.take_session(who, id) {
            Some(s) => {
                let _w = lock(&self.write);
                self.store.import_abort(s.journal)?;
                Ok(Response::ImportAborted)
            }
            None => Ok(Response::ImportGone),
        }
    }

    /// Abort every import session of `user` (the daemon calls this when a connection closes; the
    /// embedded client when it is dropped).
    pub fn abort_imports(&self, sessions: &[u64]) {
        for id in sessions {
            let s = lock(&self.imports).remove(id);
            let _w = lock(&self.write);
            if let Some(s) = s
                && let Err(e) = self.store.import_abort(s.journal)
            {
                tracing::error!(error = %e, "an import could not be rolled back at once; the next open does it");
            }
        }
    }
}

/// Check and write one chunk of rows of kind `T`; returns the rows refused in this chunk.
fn rows_of_kind<T: Kind>(
    svc: &Service,
    who: &Identity,
    s: &mut Session,
    rows: Vec<ImportRow>,
) -> Result<Vec<RowErrors>, StoreError> {
    let now = Timestamp::now();
    let mut records = Vec::with_capacity(rows.len());
    let mut refused = Vec::new();
    for ImportRow { row, data } in rows {
        let kind = data.kind();
        let Some(mut data) = T::from_data(data) else {
            return Err(StoreError::Invalid(format!(
                "row {row} holds a {kind}, but this import takes {} records",
                T::KIND
            )));
        };
        data.normalise();
        let mut errors = data.validate();
        errors.extend(svc.cross_check(&data, None));
        let name_key = data
            .as_partner()
            .map(|p| (fold(&p.name), p.country.clone()));
        if let Some(key) = &name_key
            && let Some((first, _)) = s.names.get(key)
        {
            errors.push(FieldError::new(
                "name",
                data.label(),
                Rule::DuplicateRow { row: *first },
            ));
        }
        if !errors.is_empty() {
            refused.push(RowErrors { row, errors });
            continue;
        }
        let Some(id) = s.journal.id(s.accepted) else {
            refused.push(RowErrors {
                row,
                errors: vec![FieldError::new(
                    "rows",
                    "",
                    Rule::TooMany {
                        max: usize::try_from(s.accepted).unwrap_or(usize::MAX),
                        given: usize::try_from(s.accepted + 1).unwrap_or(usize::MAX),
                    },
                )],
            });
            continue;
        };
        s.accepted += 1;
        s.rows.push(row);
        if let Some(key) = name_key {
            s.names.insert(key, (row, id));
        }
        for p in data.partner_ids() {
            s.refs.entry(p).or_default().push(id);
        }
        records.push(Record {
            meta: Meta::first(id, &who.user, now),
            data,
        });
    }
    if !records.is_empty() {
        let _w = lock(&svc.write);
        svc.store.import_write(&mut s.journal, &records)?;
    }
    s.rejected.extend(refused.iter().cloned());
    Ok(refused)
}

/// Bring the model up to date with the records of a committed import (read back in id order).
fn follow_import<T: Kind>(
    svc: &Service,
    first: Id,
    last: Id,
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let mut model = lock(&svc.model);
    for r in svc.store.scan_range::<T>(first, Some(Id(last.0 + 1))) {
        let r = r?;
        model.apply::<T>(&svc.store, r.meta.id, Some(&r), today)?;
    }
    Ok(())
}
