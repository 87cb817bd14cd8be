//! One client connection: the handshake, then requests in order on this thread, and everything the
//! daemon sends through a bounded outbox written by a second thread.
//!
//! * A quiet connection blocks on its first byte with no timeout: it costs nothing and stays. Once
//!   a frame has begun it must be complete within [`FRAME_TIMEOUT`], so a slow sender holds
//!   nothing for long.
//! * Answers larger than a frame go in parts ([`ServerMsg::Part`]), each waiting for room in the
//!   outbox: a streamed answer moves as fast as the client reads it.
//! * Change events never wait: a client whose unread data passes [`MAX_UNREAD`] is dropped, and
//!   nobody else notices.
//! * The user's role is looked up again for every request (the access file is re-checked at most
//!   every [`super::access::RECHECK`]); a change is audited and told to the client at once.
//! * When the connection closes, its threads end and its descriptor is closed at once.

use super::access::NoRole;
use super::protocol::{
    self, ClientMsg, FRAME_TIMEOUT, FrameError, MAX_CLIENT_FRAME, MAX_SERVER_FRAME, PART_BYTES,
    ServerMsg,
};
use super::server::Shared;
use crate::service::{Identity, Request, Response, Role};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Unread bytes a client may leave in its outbox before it is dropped.
pub const MAX_UNREAD: usize = 32 << 20;
/// A streamed answer waits while the outbox holds more than this.
const STREAM_WINDOW: usize = 4 << 20;
/// How long a write to a client may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an answer waits for the client to read anything at all before the client is dropped.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Frames waiting to be written to one client.
#[derive(Default)]
struct Queue {
    frames: VecDeque<Arc<Vec<u8>>>,
    bytes: usize,
    closed: bool,
}

/// A connection's outbox and its writer thread's signals.
#[derive(Default)]
pub(super) struct Outbox {
    q: Mutex<Queue>,
    /// Signalled when a frame is queued or the outbox closes.
    filled: Condvar,
    /// Signalled when frames were written.
    drained: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Outbox {
    /// Queue frames that must not wait (change events). False when the client has too much unread
    /// and was dropped, or the connection is closed.
    pub fn push_now(&self, frames: Arc<Vec<u8>>) -> bool {
        let mut q = lock(&self.q);
        if q.closed {
            return false;
        }
        if q.bytes + frames.len() > MAX_UNREAD {
            q.closed = true;
            self.filled.notify_all();
            self.drained.notify_all();
            return false;
        }
        q.bytes += frames.len();
        q.frames.push_back(frames);
        self.filled.notify_one();
        true
    }

    /// Queue frames of an answer, waiting while the outbox is fuller than [`STREAM_WINDOW`]. False
    /// when the connection closed, or the client read nothing for [`STALL_TIMEOUT`] (it is then
    /// dropped: its unread answers stay bounded, and nobody else waits for it).
    fn push_wait(&self, frames: Vec<u8>) -> bool {
        let mut q = lock(&self.q);
        let mut last = (q.bytes, Instant::now());
        while !q.closed && q.bytes > STREAM_WINDOW {
            if q.bytes < last.0 {
                last = (q.bytes, Instant::now());
            }
            let left = STALL_TIMEOUT.saturating_sub(last.1.elapsed());
            if left.is_zero() {
                q.closed = true;
                self.filled.notify_all();
                return false;
            }
            q = self
                .drained
                .wait_timeout(q, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        if q.closed {
            return false;
        }
        q.bytes += frames.len();
        q.frames.push_back(Arc::new(frames));
        self.filled.notify_one();
        true
    }

    /// Close the outbox: the writer ends, nothing more is queued.
    pub fn close(&self) {
        lock(&self.q).closed = true;
        self.filled.notify_all();
        self.drained.notify_all();
    }

    pub fn is_closed(&self) -> bool {
        lock(&self.q).closed
    }

    /// Write queued frames until the outbox closes or a write fails.
    fn write_loop(&self, mut stream: UnixStream) {
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        loop {
            let next = {
                let mut q = lock(&self.q);
                while q.frames.is_empty() && !q.closed {
                    q = self.filled.wait(q).unwrap_or_else(|p| p.into_inner());
                }
                if q.closed && q.frames.is_empty() {
                    break;
                }
                q.frames.pop_front()
            };
            let Some(frames) = next else { break };
            let written = stream.write_all(&frames).and_then(|_| stream.flush());
            let mut q = lock(&self.q);
            q.bytes = q.bytes.saturating_sub(frames.len());
            self.drained.notify_all();
            if written.is_err() {
                q.closed = true;
                break;
            }
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}

/// One frame (length and body) ready for the outbox.
fn framed(msg: &ServerMsg) -> Option<Vec<u8>> {
    let body = protocol::encode_msg(msg)
        .map_err(|e| tracing::error!(error = %e, "a message could not be encoded"))
        .ok()?;
    let mut out = Vec::with_capacity(body.len() + 4);
    protocol::append_frame(&mut out, &body).ok()?;
    Some(out)
}

/// Read one frame: the first byte with no time limit (an idle client waits as long as it likes),
/// the rest within [`FRAME_TIMEOUT`].
fn read_frame_idle(stream: &mut UnixStream) -> Result<Vec<u8>, FrameError> {
    let _ = stream.set_read_timeout(None);
    let mut first = [0u8; 1];
    loop {
        match stream.read(&mut first) {
            Ok(0) => return Err(FrameError::Closed),
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let _ = stream.set_read_timeout(Some(FRAME_TIMEOUT));
    let mut rest = [0u8; 3];
    stream.read_exact(&mut rest).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => FrameError::Closed,
        _ => e.into(),
    })?;
    let len = u32::from_be_bytes([first[0], rest[0], rest[1], rest[2]]) as usize;
    if len > MAX_CLIENT_FRAME {
        return Err(FrameError::TooLarge {
            len,
            max: MAX_CLIENT_FRAME,
        });
    }
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => FrameError::Closed,
        _ => e.into(),
    })?;
    Ok(body)
}

/// Who is on the other end of a connection.
pub(super) struct Peer {
    pub user: String,
    pub pid: i32,
    pub groups: Vec<String>,
}

/// A connection after its handshake: serve requests until it closes.
pub(super) fn serve(
    shared: &Arc<Shared>,
    mut stream: UnixStream,
    peer: &Peer,
    mut role: Role,
    outbox: Arc<Outbox>,
) {
    let user = &peer.user;
    let pid = peer.pid;
    let writer = match stream.try_clone() {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(%user, pid, error = %e, "cannot clone the connection; closing");
            return;
        }
    };
    let wbox = Arc::clone(&outbox);
    let spawned = std::thread::Builder::new()
        .name("spets-conn-out".into())
        .spawn(move || wbox.write_loop(writer));
    if spawned.is_err() {
        shared.note_spawn_failure();
        return;
    }
    // Imports this connection opened and has not finished: rolled back when it closes.
    let mut imports: Vec<u64> = Vec::new();
    loop {
        if outbox.is_closed() {
            tracing::warn!(%user, pid, "the client stopped reading; closing the connection");
            break;
        }
        let frame = match read_frame_idle(&mut stream) {
            Ok(f) => f,
            Err(FrameError::Closed) => break,
            Err(e) => {
                tracing::warn!(%user, pid, error = %e, "bad frame; closing the connection");
                break;
            }
        };
        let msg: ClientMsg = match protocol::decode_msg(&frame) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(%user, pid, error = %e, "undecodable frame; closing the connection");
                break;
            }
        };
        let (id, request) = match msg {
            ClientMsg::Ping => {
                if let Some(f) = framed(&ServerMsg::Pong) {
                    outbox.push_wait(f);
                }
                continue;
            }
            ClientMsg::Request { id, request } => (id, request),
        };
        // The role now: the access file may have changed since the last request.
        match shared.access.role(user, &peer.groups) {
            Ok(now) if now != role => {
                shared.role_changed(peer, role, Some(now));
                role = now;
                if let Some(f) = framed(&ServerMsg::Role(now)) {
                    outbox.push_wait(f);
                }
            }
            Ok(_) => {}
            Err(why) => {
                shared.role_changed(peer, role, None);
                let denied = match why {
                    NoRole::NotInFile { .. } | NoRole::NotInGroup { .. } => {
                        crate::service::Denied::ReadOnly
                    }
                };
                let answer = ServerMsg::Response {
                    id,
                    response: Response::Forbidden {
                        denied,
                        role: Role::Viewer,
                    },
                };
                if let Some(f) = framed(&answer) {
                    outbox.push_wait(f);
                }
                tracing::warn!(%user, pid, "no longer allowed; closing the connection");
                break;
            }
        }
        let who = Identity {
            user: user.clone(),
            role,
        };
        let ends = match &request {
            Request::ImportCommit { session } | Request::ImportAbort { session } => Some(*session),
            _ => None,
        };
        if !answer(shared, &outbox, &who, id, request, &mut imports) {
            break;
        }
        if let Some(done) = ends {
            imports.retain(|s| *s != done);
        }
    }
    if !imports.is_empty() {
        tracing::warn!(%user, pid, imports = imports.len(), "client left during an import; rolling it back");
        shared.service.abort_imports(&imports);
    }
    outbox.close();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Run one request and queue its answer (in parts when it is large). False when the connection
/// should close.
fn answer(
    shared: &Shared,
    outbox: &Arc<Outbox>,
    who: &Identity,
    id: u64,
    request: Request,
    imports: &mut Vec<u64>,
) -> bool {
    if matches!(request, Request::Backup) {
        return backup(shared, outbox, who, id);
    }
    let response = if matches!(request, Request::Check) {
        // A whole-workspace read: on the heavy worker, one at a time.
        let service = Arc::clone(&shared.service);
        let who = who.clone();
        shared
            .heavy
            .run(move || service.handle(&who, request))
            .unwrap_or(Response::Failed(crate::service::Failure::ShuttingDown))
    } else {
        shared.service.handle(who, request)
    };
    if let Response::ImportStarted { session } = &response {
        imports.push(*session);
    }
    let msg = ServerMsg::Response { id, response };
    let Some(frame) = framed(&msg) else {
        return true;
    };
    if frame.len() <= MAX_SERVER_FRAME {
        return outbox.push_wait(frame);
    }
    // Too large for one frame: the encoded answer in parts, as fast as the client reads them.
    let ServerMsg::Response { response, .. } = msg else {
        return true;
    };
    drop(frame);
    let Ok(body) = protocol::encode_msg(&response)
        .map_err(|e| tracing::error!(error = %e, "an answer could not be encoded"))
    else {
        return true;
    };
    let mut chunks = body.chunks(PART_BYTES).peekable();
    while let Some(chunk) = chunks.next() {
        let part = ServerMsg::Part {
            id,
            bytes: chunk.to_vec(),
            last: chunks.peek().is_none(),
        };
        let Some(f) = framed(&part) else {
            return false;
        };
        if !outbox.push_wait(f) {
            return false;
        }
    }
    true
}

/// Stream a backup (on the heavy worker): its bytes in parts as they are produced, then the
/// summary.
fn backup(shared: &Shared, outbox: &Arc<Outbox>, who: &Identity, id: u64) -> bool {
    let service = Arc::clone(&shared.service);
    let out = Arc::clone(outbox);
    let who = who.clone();
    shared
        .heavy
        .run(move || stream_backup(&service, &out, &who, id))
        .unwrap_or(false)
}

fn stream_backup(
    service: &crate::service::Service,
    outbox: &Outbox,
    who: &Identity,
    id: u64,
) -> bool {
    struct Parts<'a> {
        outbox: &'a Outbox,
        id: u64,
        buf: Vec<u8>,
    }
    impl Parts<'_> {
        fn send(&mut self) -> std::io::Result<()> {
            if self.buf.is_empty() {
                return Ok(());
            }
            let part = ServerMsg::BackupPart {
                id: self.id,
                bytes: std::mem::take(&mut self.buf),
            };
            let gone = || std::io::Error::other("the client stopped reading the backup");
            let f = framed(&part).ok_or_else(gone)?;
            if self.outbox.push_wait(f) {
                Ok(())
            } else {
                Err(gone())
            }
        }
    }
    impl Write for Parts<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.buf.extend_from_slice(b);
            if self.buf.len() >= PART_BYTES {
                self.send()?;
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.send()
        }
    }
    let mut parts = Parts {
        outbox,
        id,
        buf: Vec::with_capacity(PART_BYTES + (64 << 10)),
    };
    let response = service.backup_to(who, &mut parts);
    if parts.flush().is_err() {
        return false;
    }
    match framed(&ServerMsg::Response { id, response }) {
        Some(f) => outbox.push_wait(f),
        None => true,
    }
}
