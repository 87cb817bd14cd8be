//! Writing datasets: fetch through the [`Client`] in bounded chunks, write rows as they come.

use super::columns;
use super::life::{self, Part};
use super::rows::Rows;
use super::sink::AtomicFile;
use super::{Dataset, ExportError, ExportOptions, Scope};
use crate::client::Client;
use crate::domain::{AddedValue, EntityKind, Enumerated, Id, Partner};
use crate::i18n::Lang;
use crate::service::{
    ActionQuery, ActivityQuery, AnyRecord, AuditQuery, MatrixQuery, NoteQuery, PartnerQuery,
    Request, Response,
};
use chrono::{Datelike, NaiveDate};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// How far an export has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows written so far.
    pub rows: usize,
    /// The expected number of rows, when known (an upper bound when a text filter applies).
    pub total: Option<usize>,
}

/// Export `dataset` to `path` atomically (a private temporary file in the same directory, fsync,
/// rename; the file gets mode 0600). On cancel or error no file is left behind. Returns the number
/// of data rows.
pub fn export_to_path(
    client: &dyn Client,
    dataset: Dataset,
    scope: &Scope,
    opts: &ExportOptions,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<usize, ExportError> {
    let file_err = |source| ExportError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut file = AtomicFile::create(path).map_err(file_err)?;
    let rows = match export_to_writer(client, dataset, scope, opts, &mut file, progress, cancel) {
        Ok(n) => n,
        Err(ExportError::Write(e)) => return Err(file_err(e)),
        Err(e) => return Err(e),
    };
    file.commit().map_err(file_err)?;
    Ok(rows)
}

/// Export `dataset` to any writer (stdout, a buffer). Returns the number of data rows. Checks
/// `cancel` between chunks and every few hundred rows; a cancelled export returns
/// [`ExportError::Cancelled`] (what was already written to `w` stays there: use
/// [`export_to_path`] for files).
pub fn export_to_writer(
    client: &dyn Client,
    dataset: Dataset,
    scope: &Scope,
    opts: &ExportOptions,
    w: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<usize, ExportError> {
    let mut enc = Rows::new(client, columns::of(dataset), opts);
    if opts.dialect.bom() {
        enc.preamble(b"\xEF\xBB\xBF");
    }
    enc.header();
    let mut out = Out {
        enc,
        w,
        total: None,
        progress,
        cancel,
        client,
    };
    if let Err(e) = dataset_rows(&mut out, dataset, scope, opts.collation) {
        // What was encoded still reaches the writer, as the rows written so far do.
        let _ = out.write_out();
        let _ = out.w.flush();
        return Err(e);
    }
    out.write_out()?;
    out.w.flush().map_err(ExportError::Write)?;
    let rows = out.enc.count;
    (out.progress)(Progress {
        rows,
        total: Some(rows),
    });
    Ok(rows)
}

/// The rows of `dataset` for `scope`.
fn dataset_rows(
    out: &mut Out<'_, '_, '_>,
    dataset: Dataset,
    scope: &Scope,
    collation: Lang,
) -> Result<(), ExportError> {
    match (dataset, scope) {
        (Dataset::Partners, Scope::All | Scope::Partners(_)) => {
            partners(out, partner_query(scope, collation))?
        }
        (Dataset::Agreements, Scope::All | Scope::Partners(_)) => {
            agreements_contacts(out, partner_query(scope, collation), true)?
        }
        (Dataset::Contacts, Scope::All | Scope::Partners(_)) => {
            agreements_contacts(out, partner_query(scope, collation), false)?
        }
        (Dataset::Matrix, Scope::All | Scope::Partners(_)) => {
            matrix(out, partner_query(scope, collation))?
        }
        (Dataset::Assessments, Scope::All | Scope::Partners(_)) => {
            assessments(out, partner_query(scope, collation))?
        }
        (Dataset::Activities, Scope::All) => {
            super::activities::export(out, ActivityQuery::default())?
        }
        (Dataset::Activities, Scope::Activities(q)) => super::activities::export(out, q.clone())?,
        (Dataset::Notes, Scope::All) => notes(out, NoteQuery::default())?,
        (Dataset::Notes, Scope::Notes(q)) => notes(out, q.clone())?,
        (Dataset::Actions, Scope::All) => actions(out, ActionQuery::default())?,
        (Dataset::Actions, Scope::Actions(q)) => actions(out, q.clone())?,
        (Dataset::Audit, Scope::All) => audit(out)?,
        (Dataset::Goals, Scope::All | Scope::Partners(_)) => {
            life::export(out, partner_query(scope, collation), Part::Goals)?
        }
        (Dataset::Evaluations, Scope::All | Scope::Partners(_)) => {
            life::export(out, partner_query(scope, collation), Part::Evaluations)?
        }
        (Dataset::PhaseHistory, Scope::All | Scope::Partners(_)) => {
            life::export(out, partner_query(scope, collation), Part::PhaseHistory)?
        }
        (dataset, scope) => {
            let scope = match scope {
                Scope::All => "no",
                Scope::Partners(_) => "partner",
                Scope::Activities(_) => "activity",
                Scope::Notes(_) => "note",
                Scope::Actions(_) => "action item",
            };
            return Err(ExportError::ScopeMismatch { dataset, scope });
        }
    }
    Ok(())
}

/// The partners of `scope`, sorted by name in the order of `collation` (a pane's own query
/// keeps the order the pane shows).
fn partner_query(scope: &Scope, collation: Lang) -> PartnerQuery {
    match scope {
        Scope::Partners(q) => PartnerQuery {
            offset: 0,
            limit: 0,
            ..q.clone()
        },
        _ => PartnerQuery {
            lang: collation,
            ..PartnerQuery::default()
        },
    }
}

pub(super) fn call(client: &dyn Client, req: Request) -> Result<Response, ExportError> {
    match client.call(req) {
        Response::Forbidden { denied, role } => Err(ExportError::Forbidden { denied, role }),
        Response::Failed(m) => Err(ExportError::Service(m)),
        r => Ok(r),
    }
}

pub(super) fn unexpected(r: &Response) -> ExportError {
    let s = format!("{r:?}");
    tracing::error!(answer = %s.chars().take(120).collect::<String>(), "unexpected answer");
    ExportError::Service(crate::service::Failure::Internal)
}

/// Rows are handed to the writer in chunks of about this many bytes.
pub(super) const FLUSH_AT: usize = 256 * 1024;

/// The export in progress: the row encoder (its methods are available on `Out` itself), the
/// writer, progress and cancel.
pub(super) struct Out<'a, 'w, 'p> {
    pub enc: Rows<'a>,
    pub w: &'w mut dyn Write,
    pub total: Option<usize>,
    pub progress: &'p mut dyn FnMut(Progress),
    pub cancel: &'a AtomicBool,
    pub client: &'a dyn Client,
}

impl<'a> std::ops::Deref for Out<'a, '_, '_> {
    type Target = Rows<'a>;
    fn deref(&self) -> &Rows<'a> {
        &self.enc
    }
}

impl<'a> std::ops::DerefMut for Out<'a, '_, '_> {
    fn deref_mut(&mut self) -> &mut Rows<'a> {
        &mut self.enc
    }
}

impl Out<'_, '_, '_> {
    /// Hand the encoded rows to the writer.
    pub fn write_out(&mut self) -> Result<(), ExportError> {
        self.w
            .write_all(&self.enc.bytes)
            .map_err(ExportError::Write)?;
        self.enc.clear_bytes();
        Ok(())
    }
    /// End the row; report progress and honour cancel now and then.
    pub(super) fn end(&mut self) -> Result<(), ExportError> {
        self.enc.finish_row();
        if self.enc.bytes.len() >= FLUSH_AT {
            self.write_out()?;
        }
        if self.enc.count.is_multiple_of(512) {
            self.check()?;
        }
        Ok(())
    }
    /// Report progress; stop when cancelled.
    pub fn check(&mut self) -> Result<(), ExportError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        (self.progress)(Progress {
            rows: self.enc.count,
            total: self.total,
        });
        Ok(())
    }
}

/// The selected partners, in the query's order, with their names remembered.
pub(super) fn partner_ids(
    out: &mut Out<'_, '_, '_>,
    q: PartnerQuery,
) -> Result<Vec<Id>, ExportError> {
    match call(out.client, Request::Partners(q))? {
        Response::Partners(page) => {
            let mut ids = Vec::with_capacity(page.items.len());
            for row in page.items {
                ids.push(row.id);
                out.names.insert(row.id, row.name);
            }
            Ok(ids)
        }
        r => Err(unexpected(&r)),
    }
}

fn partners(out: &mut Out<'_, '_, '_>, q: PartnerQuery) -> Result<(), ExportError> {
    let ids = partner_ids(out, q)?;
    out.total = Some(ids.len());
    for id in ids {
        let r = match call(
            out.client,
            Request::Get {
                kind: EntityKind::Partner,
                id,
            },
        )? {
            Response::Record(AnyRecord::Partner(r)) => r,
            Response::NotFound { .. } => continue,
            r => return Err(unexpected(&r)),
        };
        write_partner(out, id, &r.data)?;
    }
    Ok(())
}

fn write_partner(out: &mut Out<'_, '_, '_>, id: Id, p: &Partner) -> Result<(), ExportError> {
    out.num(id.0)?;
    out.text(&p.name)?;
    out.text(p.short_name.as_deref().unwrap_or(""))?;
    out.en(p.kind)?;
    out.text(&p.country)?;
    out.text(&p.city)?;
    out.text(&p.website)?;
    out.en(p.phase)?;
    out.en(p.tier)?;
    out.en_list(&p.formats)?;
    out.list(&p.faculties)?;
    out.list(&p.tags)?;
    out.list(&p.sponsors_ours)?;
    out.list(&p.sponsors_partner)?;
    out.text(&p.coordinator)?;
    out.end()
}

fn agreements_contacts(
    out: &mut Out<'_, '_, '_>,
    q: PartnerQuery,
    agreements: bool,
) -> Result<(), ExportError> {
    let ids = partner_ids(out, q)?;
    for (n, pid) in ids.iter().enumerate() {
        if n % 64 == 0 {
            out.check()?;
        }
        let d = match call(out.client, Request::PartnerDetail(*pid))? {
            Response::PartnerDetail(d) => d,
            Response::NotFound { .. } => continue,
            r => return Err(unexpected(&r)),
        };
        if agreements {
            for a in &d.agreements {
                let a_id = a.meta.id;
                let a = &a.data;
                out.num(a_id.0)?;
                out.num(a.partner.0)?;
                out.partner_name(a.partner)?;
                out.en(a.kind)?;
                out.text(&a.title)?;
                out.opt_date(a.signed)?;
                out.date(a.start)?;
                out.opt_date(a.end)?;
                out.list(&a.signatories)?;
                out.num(u64::from(a.renewal_lead_months))?;
                out.en(a.status)?;
                out.opt_date(a.renewal_draft_sent)?;
                out.opt_date(a.renewal_signed)?;
                out.end()?;
            }
        } else {
            for c in &d.contacts {
                let c_id = c.meta.id;
                let c = &c.data;
                out.num(c_id.0)?;
                out.num(c.partner.0)?;
                out.partner_name(c.partner)?;
                out.en(c.side)?;
                out.text(&c.name)?;
                out.en(c.role)?;
                out.text(&c.email)?;
                out.text(&c.phone)?;
                out.end()?;
            }
        }
    }
    Ok(())
}

fn matrix(out: &mut Out<'_, '_, '_>, q: PartnerQuery) -> Result<(), ExportError> {
    let m = match call(
        out.client,
        Request::Matrix(MatrixQuery {
            partners: q,
            ..Default::default()
        }),
    )? {
        Response::Matrix(m) => m,
        r => return Err(unexpected(&r)),
    };
    out.total = Some(m.rows.items.len());
    for row in &m.rows.items {
        out.num(row.partner.0)?;
        out.text(&row.name)?;
        for cell in &row.scores {
            out.opt_num(cell.map(|c| c.score))?;
            out.opt_num(cell.and_then(|c| c.target))?;
        }
        out.end()?;
    }
    Ok(())
}

fn assessments(out: &mut Out<'_, '_, '_>, q: PartnerQuery) -> Result<(), ExportError> {
    let ids = partner_ids(out, q)?;
    for (n, pid) in ids.iter().enumerate() {
        if n % 64 == 0 {
            out.check()?;
        }
        for v in AddedValue::ALL {
            let list = match call(
                out.client,
                Request::AssessmentHistory {
                    partner: *pid,
                    value: *v,
                },
            )? {
                Response::Assessments(l) => l,
                r => return Err(unexpected(&r)),
            };
            // The service answers newest first; the file reads oldest first, like a history.
            for r in list.iter().rev() {
                let a = &r.data;
                out.num(r.meta.id.0)?;
                out.num(a.partner.0)?;
                out.partner_name(a.partner)?;
                out.en(a.value)?;
                out.num(u64::from(a.score))?;
                out.opt_num(a.target)?;
                out.date(a.date)?;
                out.text(&a.assessor)?;
                out.text(&a.evidence)?;
                out.end()?;
            }
        }
    }
    Ok(())
}

/// Notes, newest first, one request per year.
fn notes(out: &mut Out<'_, '_, '_>, q: NoteQuery) -> Result<(), ExportError> {
    let probe = |offset: usize| NoteQuery {
        from: q.from,
        to: q.to,
        partner: q.partner,
        archived: q.archived,
        offset,
        limit: 1,
        ..Default::default()
    };
    let (total, newest) = match call(out.client, Request::Notes(probe(0)))? {
        Response::Notes(p) => (p.total, p.items.first().map(|r| r.data.date)),
        r => return Err(unexpected(&r)),
    };
    let Some(newest) = newest else { return Ok(()) };
    let oldest = match call(out.client, Request::Notes(probe(total.saturating_sub(1))))? {
        Response::Notes(p) => p.items.first().map(|r| r.data.date).unwrap_or(newest),
        r => return Err(unexpected(&r)),
    };
    out.total = Some(total);
    for year in (oldest.year()..=newest.year()).rev() {
        let (Some(jan1), Some(dec31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let chunk = NoteQuery {
            from: Some(q.from.map_or(jan1, |f| f.max(jan1))),
            to: Some(q.to.map_or(dec31, |t| t.min(dec31))),
            offset: 0,
            limit: 0,
            ..q.clone()
        };
        let page = match call(out.client, Request::Notes(chunk))? {
            Response::Notes(p) => p,
            r => return Err(unexpected(&r)),
        };
        for r in &page.items {
            let n = &r.data;
            out.num(r.meta.id.0)?;
            out.date(n.date)?;
            out.en(n.kind)?;
            out.text(&n.title)?;
            out.ids(&n.partners)?;
            out.partner_names(&n.partners)?;
            out.list(&n.attendees)?;
            out.text(&n.body)?;
            out.list(&n.decisions)?;
            out.num(n.actions.len() as u64)?;
            out.end()?;
        }
        out.check()?;
    }
    Ok(())
}

fn actions(out: &mut Out<'_, '_, '_>, q: ActionQuery) -> Result<(), ExportError> {
    let rows = match call(out.client, Request::ActionItems(q))? {
        Response::ActionItems(rows) => rows,
        r => return Err(unexpected(&r)),
    };
    out.total = Some(rows.len());
    for r in &rows {
        out.num(r.note.0)?;
        out.date(r.note_date)?;
        out.text(&r.note_title)?;
        out.ids(&r.partners)?;
        out.partner_names(&r.partners)?;
        out.num(r.index as u64 + 1)?;
        out.text(&r.item.text)?;
        out.text(&r.item.owner)?;
        out.opt_date(r.item.due)?;
        out.yes_no(r.item.done)?;
        out.yes_no(r.overdue)?;
        out.end()?;
    }
    Ok(())
}

fn kind_label(k: EntityKind, lang: Option<Lang>) -> &'static str {
    match lang {
        None => k.key(),
        Some(l) => crate::i18n::vocab::entity_label(l, k),
    }
}

fn action_label(a: crate::store::AuditAction, lang: Option<Lang>) -> &'static str {
    match lang {
        None => a.key(),
        Some(l) => crate::i18n::vocab::audit_action_label(l, a),
    }
}

/// The audit log, newest first, in pages.
fn audit(out: &mut Out<'_, '_, '_>) -> Result<(), ExportError> {
    const PAGE: usize = 5000;
    let mut before = None;
    loop {
        let entries = match call(
            out.client,
            Request::Audit(AuditQuery {
                record: None,
                before,
                limit: PAGE,
            }),
        )? {
            Response::Audit(e) => e,
            r => return Err(unexpected(&r)),
        };
        for e in &entries {
            out.num(e.seq)?;
            out.text(&e.at.iso())?;
            out.text(&e.user)?;
            let lang = out.lang;
            out.text(action_label(e.action, lang))?;
            out.text(kind_label(e.kind, lang))?;
            out.num(e.id.0)?;
            out.num(e.version)?;
            out.text(&e.label)?;
            let changes: Vec<String> = e
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, c.old, c.new))
                .collect();
            out.list(&changes)?;
            out.end()?;
        }
        match entries.last() {
            Some(last) if entries.len() == PAGE && last.seq > 0 => before = Some(last.seq),
            _ => break,
        }
        out.check()?;
    }
    Ok(())
}
