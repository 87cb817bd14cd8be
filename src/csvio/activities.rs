//! The activity export, the largest dataset (hundreds of thousands of rows): read in storage (id)
//! order, on two threads when it is large.
//!
//! In process (`spets export`, the TUI on its own workspace) the store is read in place through
//! [`Service::for_each_activity`](crate::service::Service::for_each_activity): each record is
//! decoded without copying ([`ActivityRef`]) and written straight into the row buffer. From a
//! daemon the same records come in batches through [`Request::ActivityScan`].
//!
//! A large export is cut into id ranges ("chunks") of about [`CHUNK_RECORDS`] records. Two worker
//! threads take turns, chunk `k` going to worker `k % 2`; each reads its chunk sequentially (from
//! a daemon, in batches that stop at the chunk's end) and encodes the rows itself into its own
//! byte buffers, so a record is decoded and written by one thread while it is still in that
//! core's cache. The calling thread writes the pieces in chunk order, reports progress and honours
//! cancel. Memory stays bounded: a worker that runs ahead blocks once it holds a few chunks.
//!
//! Chunks are cut by id value from the span of activity ids (found with one-record scans) and
//! the record count. Only the balance between the workers depends on that estimate: every chunk
//! reads exactly the ids in its range, and the last one reads to the end of the tree.

use super::ExportError;
use super::export::{FLUSH_AT, Out, call, unexpected};
use super::rows::Rows;
use crate::client::Client;
use crate::domain::Id;
use crate::i18n::Lang;
use crate::service::{ActivityQuery, Archived, Request, Response};
use crate::store::codec::ActivityRef;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// Records per batch (one request): small enough that a batch is still in the core's cache
/// when its rows are written.
const BATCH: usize = 1024;
/// Records per chunk of a parallel export.
const CHUNK_RECORDS: u128 = 8192;
/// Below this many activities one thread does it all.
const PARALLEL_MIN: usize = 16_384;
/// Rows per piece a worker hands over (and so between progress reports).
const PIECE_ROWS: usize = 512;
/// Pieces a worker may hold before it waits for the writer: about two chunks.
const QUEUED_PIECES: usize = 2 * (CHUNK_RECORDS as usize / PIECE_ROWS) + 4;

pub(super) fn export(out: &mut Out<'_, '_, '_>, q: ActivityQuery) -> Result<(), ExportError> {
    let unfiltered = q.from.is_none()
        && q.to.is_none()
        && q.partner.is_none()
        && q.kind.is_none()
        && q.status.is_none()
        && q.value.is_none()
        && q.text.trim().is_empty();
    let Some(span) = id_span(out.client)? else {
        return Ok(());
    };
    if unfiltered {
        out.total = Some(span.total);
    }
    let chunks = span.chunks();
    if chunks.len() < 2 {
        return sequential(out, &q);
    }
    // Every partner name up front, so the workers share one lookup instead of one request per
    // partner each; partners missing from it (archived ones) are fetched when met.
    let lang = out.lang.unwrap_or(Lang::En);
    match call(out.client, Request::PartnerNames { lang })? {
        Response::PartnerNames(names) => out.names.insert_all(names),
        r => return Err(unexpected(&r)),
    }
    // The BOM and the header go first.
    out.write_out()?;
    parallel(out, &q, &chunks, &span)
}

/// One thread reads everything (small exports).
fn sequential(out: &mut Out<'_, '_, '_>, q: &ActivityQuery) -> Result<(), ExportError> {
    let Out {
        enc,
        w,
        total,
        progress,
        cancel,
        client,
    } = out;
    let never = AtomicBool::new(false);
    let mut piece = |enc: &mut Rows<'_>| -> Result<(), ExportError> {
        if enc.bytes.len() >= FLUSH_AT {
            w.write_all(&enc.bytes).map_err(ExportError::Write)?;
            enc.clear_bytes();
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        progress(super::Progress {
            rows: enc.count,
            total: *total,
        });
        Ok(())
    };
    scan(
        *client,
        q,
        Chunk { lo: 0, hi: None },
        None,
        enc,
        &never,
        &mut piece,
    )
}

/// What a worker hands to the writer.
enum Piece {
    /// Encoded rows, and how many.
    Rows(Vec<u8>, usize),
    /// The chunk is complete.
    Done,
    Failed(ExportError),
}

/// Two workers encode alternate chunks; this thread writes them in order.
fn parallel(
    out: &mut Out<'_, '_, '_>,
    q: &ActivityQuery,
    chunks: &[Chunk],
    span: &Span,
) -> Result<(), ExportError> {
    let stop = AtomicBool::new(false);
    let density = Some((span.total as u128, span.ids()));
    std::thread::scope(|s| {
        let mut queues = Vec::new();
        let mut handles = Vec::new();
        for worker in 0..2 {
            let (tx, rx) = mpsc::sync_channel::<Piece>(QUEUED_PIECES);
            // Written buffers go back to the worker for reuse.
            let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
            let mut enc = out.enc.fork();
            let client = out.client;
            let stop = &stop;
            handles.push(s.spawn(move || {
                let mut sent = 0;
                let mut piece = |enc: &mut Rows<'_>| -> Result<(), ExportError> {
                    let fresh = back_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(FLUSH_AT / 2));
                    let bytes = enc.take_bytes(fresh);
                    let rows = enc.count - sent;
                    sent = enc.count;
                    tx.send(Piece::Rows(bytes, rows))
                        .map_err(|_| ExportError::Cancelled)
                };
                for chunk in chunks.iter().skip(worker).step_by(2) {
                    let done = scan(client, q, *chunk, density, &mut enc, stop, &mut piece);
                    let msg = match done {
                        Ok(()) => Piece::Done,
                        Err(e) => Piece::Failed(e),
                    };
                    let failed = matches!(msg, Piece::Failed(_));
                    if tx.send(msg).is_err() || failed {
                        break;
                    }
                }
            }));
            queues.push((rx, back_tx));
        }
        let written = (|| {
            for k in 0..chunks.len() {
                let (rx, back) = &queues[k % 2];
                loop {
                    match rx.recv() {
                        Ok(Piece::Rows(bytes, rows)) => {
                            out.w.write_all(&bytes).map_err(ExportError::Write)?;
                            let _ = back.send(bytes);
                            out.enc.count += rows;
                            out.check()?;
                        }
                        Ok(Piece::Done) => break,
                        Ok(Piece::Failed(e)) => return Err(e),
                        Err(_) => {
                            tracing::error!("an export thread stopped unexpectedly");
                            return Err(ExportError::Service(crate::service::Failure::Internal));
                        }
                    }
                }
            }
            Ok(())
        })();
        stop.store(true, Ordering::Relaxed);
        drop(queues);
        let mut result = written;
        for h in handles {
            if h.join().is_err() && result.is_ok() {
                tracing::error!("an export thread panicked");
                result = Err(ExportError::Service(crate::service::Failure::Internal));
            }
        }
        result
    })
}

/// An id range `[lo, hi)`; `hi` None: to the end of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chunk {
    lo: u64,
    hi: Option<u64>,
}

/// Read one chunk and encode its rows into `enc`, calling `piece` every [`PIECE_ROWS`] rows and
/// at the end. In process the records are read in place, never copied; from a daemon they come in
/// batches, and `density` (records, ids) sizes a batch so that the last one stops near the
/// chunk's end.
fn scan(
    client: &dyn Client,
    q: &ActivityQuery,
    chunk: Chunk,
    density: Option<(u128, u128)>,
    enc: &mut Rows<'_>,
    stop: &AtomicBool,
    piece: &mut dyn FnMut(&mut Rows<'_>) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut row = |enc: &mut Rows<'_>, a: &ActivityRef<'_>| -> Result<(), ExportError> {
        write_activity(enc, a)?;
        if enc.count.is_multiple_of(PIECE_ROWS) {
            if stop.load(Ordering::Relaxed) {
                return Err(ExportError::Cancelled);
            }
            piece(enc)?;
        }
        Ok(())
    };
    if let Some(service) = client.local() {
        service.for_each_activity(q, chunk.lo, chunk.hi, |a| row(enc, a))?;
    } else {
        batches(client, q, chunk, density, stop, &mut |a| row(enc, a))?;
    }
    piece(enc)
}

/// Read one chunk from a daemon in batches, handing each activity to `each`.
fn batches(
    client: &dyn Client,
    q: &ActivityQuery,
    chunk: Chunk,
    density: Option<(u128, u128)>,
    stop: &AtomicBool,
    each: &mut dyn FnMut(&ActivityRef<'_>) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut from = chunk.lo;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        let limit = match (chunk.hi, density) {
            (Some(hi), _) if from >= hi => return Ok(()),
            (Some(hi), Some((records, ids))) => {
                let left = (u128::from(hi - from) * records).div_ceil(ids.max(1));
                usize::try_from(left).unwrap_or(BATCH).clamp(64, BATCH)
            }
            _ => BATCH,
        };
        let request = Request::ActivityScan {
            query: q.clone(),
            after: from.checked_sub(1).map(Id),
            limit,
        };
        let (items, next) = match call(client, request)? {
            Response::ActivityBatch { items, next, .. } => (items, next),
            r => return Err(unexpected(&r)),
        };
        for r in &items {
            if chunk.hi.is_some_and(|hi| r.meta.id.0 >= hi) {
                return Ok(());
            }
            each(&ActivityRef::of(r))?;
        }
        drop(items);
        match next.and_then(|n| n.0.checked_add(1)) {
            Some(n) => from = n,
            None => return Ok(()),
        }
    }
}

fn write_activity(enc: &mut Rows<'_>, r: &ActivityRef<'_>) -> Result<(), ExportError> {
    let a = &r.data;
    enc.num(r.meta.id.0)?;
    enc.date(a.date)?;
    enc.opt_date(a.end_date)?;
    enc.ids(a.partners.as_slice())?;
    enc.partner_names(a.partners.as_slice())?;
    enc.en(a.kind)?;
    enc.text(a.title)?;
    enc.text(a.description)?;
    enc.en_list(a.values.as_slice())?;
    enc.en(a.status)?;
    enc.text(a.owner)?;
    enc.finish_row();
    Ok(())
}

/// Where activity ids start and end, and how many activities there are (archived included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: u64,
    last: u64,
    total: usize,
}

impl Span {
    /// How many ids the span covers.
    fn ids(&self) -> u128 {
        u128::from(self.last - self.first) + 1
    }

    /// The chunks of a parallel export; one chunk (everything) for a small one.
    fn chunks(&self) -> Vec<Chunk> {
        if self.total < PARALLEL_MIN {
            return vec![Chunk { lo: 0, hi: None }];
        }
        let n = (self.total as u128 / CHUNK_RECORDS).clamp(2, 1 << 16);
        let ids = self.ids();
        let at = |k: u128| u64::try_from(u128::from(self.first) + ids * k / n).unwrap_or(u64::MAX);
        let mut chunks: Vec<Chunk> = (0..n)
            .map(|k| Chunk {
                lo: if k == 0 { 0 } else { at(k) },
                hi: (k + 1 < n).then(|| at(k + 1)),
            })
            .collect();
        // Ranges too narrow to hold an id are dropped; their neighbours still meet.
        chunks.retain(|c| c.hi.is_none_or(|hi| hi > c.lo));
        chunks
    }
}

/// Find the span of activity ids with one-record scans: a scan after `x` answers with the first
/// activity above `x`. Gallops ahead on ids that exist, then bisects to the last one; a few dozen
/// cheap requests.
fn id_span(client: &dyn Client) -> Result<Option<Span>, ExportError> {
    let mut total = 0;
    let mut first_from = |x: u64| -> Result<Option<u64>, ExportError> {
        let request = Request::ActivityScan {
            query: ActivityQuery {
                archived: Archived::Include,
                ..ActivityQuery::default()
            },
            after: x.checked_sub(1).map(Id),
            limit: 1,
        };
        match call(client, request)? {
            Response::ActivityBatch {
                items, total: t, ..
            } => {
                total = t;
                Ok(items.first().map(|r| r.meta.id.0))
            }
            r => Err(unexpected(&r)),
        }
    };
    let Some(first) = first_from(0)? else {
        return Ok(None);
    };
    // `last` exists; nothing lies at or above `end`.
    let mut last = first;
    let mut step: u64 = 1024;
    let mut end: u128 = loop {
        let Some(x) = last.checked_add(step) else {
            break 1 << 64;
        };
        match first_from(x)? {
            Some(id) => {
                last = id;
                step = step.saturating_mul(2);
            }
            None => break u128::from(x),
        }
    };
    while end - u128::from(last) > 1 {
        let mid = u128::from(last) + (end - u128::from(last)) / 2;
        let Ok(x) = u64::try_from(mid) else { break };
        match first_from(x)? {
            Some(id) if u128::from(id) < end => last = id,
            _ => end = mid,
        }
    }
    Ok(Some(Span { first, last, total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunks start at 0, meet end to end, are not empty, and the last one is open.
    fn assert_covering(chunks: &[Chunk]) {
        assert_eq!(chunks.first().map(|c| c.lo), Some(0));
        assert_eq!(chunks.last().map(|c| c.hi), Some(None));
        for w in chunks.windows(2) {
            assert_eq!(w[0].hi, Some(w[1].lo));
            assert!(w[0].lo < w[1].lo);
        }
    }

    #[test]
    fn chunks_cover_every_id_once() {
        let span = Span {
            first: 52_785,
            last: 252_784,
            total: 200_000,
        };
        let chunks = span.chunks();
        assert_eq!(chunks.len(), 24);
        assert_covering(&chunks);
        assert_eq!(chunks[1].lo, 52_785 + 200_000 / 24);
        let small = Span {
            first: 1,
            last: 10,
            total: 10,
        };
        assert_eq!(small.chunks(), vec![Chunk { lo: 0, hi: None }]);
        // A span narrower than the chunk count (cannot happen, but must not break): no empty
        // chunks, nothing left out.
        let odd = Span {
            first: u64::MAX - 3,
            last: u64::MAX,
            total: 100_000,
        };
        let chunks = odd.chunks();
        assert!(chunks.len() <= 6, "{chunks:?}");
        assert_covering(&chunks);
    }
}
