//! Sending the checked rows of an import to the service: one session, rows in chunks, one commit
//! (see [`crate::service::Request::ImportBegin`]).

use super::check::{rule_text, t};
use super::{ImportError, ImportOptions, ImportProgress};
use crate::client::Client;
use crate::i18n::Lang;
use crate::service::{AnyData, IMPORT_CHUNK_ROWS, ImportRow, Request, Response, RowErrors};
use std::collections::HashSet;

/// How the service took the rows.
pub(super) enum Committed {
    /// Committed: `written` records; the rows left out (with `valid_only`).
    Written {
        written: u64,
        rejected: Vec<RowErrors>,
    },
    /// Refused as a whole; nothing was written.
    Refused(Vec<RowErrors>),
}

/// Where rows come from: the producer calls its argument once per row (its row number and data).
pub(super) type Rows<'a> = dyn FnMut(&mut dyn FnMut(usize, AnyData) -> Result<(), ImportError>) -> Result<(), ImportError>
    + 'a;

/// An import session in progress on the client's side.
struct Sending<'a> {
    client: &'a dyn Client,
    session: u64,
    total: usize,
    valid_only: bool,
    chunk: Vec<ImportRow>,
    sent: usize,
    rejected: Vec<RowErrors>,
    /// Rows were refused without `valid_only`: nothing will be written, the rest is not sent.
    refused: bool,
}

impl Sending<'_> {
    /// Send the rows gathered so far.
    fn flush(&mut self, progress: &mut dyn FnMut(ImportProgress)) -> Result<(), Box<Response>> {
        if self.chunk.is_empty() || self.refused {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.chunk);
        self.sent += rows.len();
        match self.client.call(Request::ImportRows {
            session: self.session,
            rows,
        }) {
            Response::ImportRowsTaken { rejected, .. } => self.rejected.extend(rejected),
            other => return Err(Box::new(other)),
        }
        progress(ImportProgress::Writing {
            rows: self.sent,
            total: self.total,
        });
        if !self.rejected.is_empty() && !self.valid_only {
            self.refused = true;
        }
        Ok(())
    }
}

/// Send the rows `rows` produces to the service as one import: all of them are committed at once,
/// or none (see [`crate::service::Request::ImportBegin`]). Only one chunk is held at a time.
pub(super) fn commit(
    client: &dyn Client,
    kind: crate::domain::EntityKind,
    total: usize,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress),
    rows: &mut Rows<'_>,
) -> Result<Committed, ImportError> {
    let lang = opts.lang;
    let begin = Request::ImportBegin {
        kind,
        rows: total as u64,
        valid_only: opts.valid_only,
    };
    let session = match client.call(begin) {
        Response::ImportStarted { session } => session,
        other => return Err(refusal(lang, other)),
    };
    let mut s = Sending {
        client,
        session,
        total,
        valid_only: opts.valid_only,
        chunk: Vec::with_capacity(IMPORT_CHUNK_ROWS),
        sent: 0,
        rejected: Vec::new(),
        refused: false,
    };
    let mut failed: Option<Box<Response>> = None;
    let produced = rows(&mut |row, data| {
        if s.refused || failed.is_some() {
            return Ok(());
        }
        s.chunk.push(ImportRow {
            row: row as u64,
            data,
        });
        if s.chunk.len() >= IMPORT_CHUNK_ROWS
            && let Err(r) = s.flush(progress)
        {
            failed = Some(r);
        }
        Ok(())
    });
    let last = match (&produced, &failed) {
        (Ok(()), None) => s.flush(progress),
        _ => Ok(()),
    };
    if let Some(r) = failed.or(last.err()) {
        let _ = client.call(Request::ImportAbort { session });
        return Err(refusal(lang, *r));
    }
    if let Err(e) = produced {
        let _ = client.call(Request::ImportAbort { session });
        return Err(e);
    }
    if s.refused {
        let _ = client.call(Request::ImportAbort { session });
        return Ok(Committed::Refused(s.rejected));
    }
    let mut rejected = s.rejected;
    match client.call(Request::ImportCommit { session }) {
        Response::Imported {
            written,
            rejected: late,
        } => {
            rejected.extend(late);
            Ok(Committed::Written { written, rejected })
        }
        Response::ImportRefused { rejected: all } => {
            let mut seen: HashSet<u64> = rejected.iter().map(|r| r.row).collect();
            rejected.extend(all.into_iter().filter(|r| seen.insert(r.row)));
            Ok(Committed::Refused(rejected))
        }
        other => Err(refusal(lang, other)),
    }
}

/// Why the service would not take an import, as a message; nothing was written.
fn refusal(lang: Lang, r: Response) -> ImportError {
    let why = match r {
        Response::Forbidden { denied, role } => crate::i18n::reasons::denied(lang, denied, role),
        Response::Invalid(errs) => errs
            .iter()
            .map(|e| format!("{} {}", e.field, rule_text(lang, &e.rule)))
            .collect::<Vec<_>>()
            .join("; "),
        Response::Failed(m) => crate::i18n::reasons::failure(lang, &m),
        Response::ImportGone => t(
            lang,
            "the import was lost on the way (the service restarted, or a write failed)",
            "importen gick förlorad på vägen (tjänsten startade om, eller en skrivning misslyckades)",
        ),
        other => {
            tracing::error!(answer = ?other, "unexpected answer to an import");
            crate::i18n::reasons::failure(lang, &crate::service::Failure::Internal)
        }
    };
    ImportError::Service(match lang {
        Lang::En => format!("{why}; nothing was imported"),
        Lang::Sv => format!("{why}; inget importerades"),
    })
}
