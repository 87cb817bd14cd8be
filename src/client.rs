//! How the app reaches a service. The UI and the CLI talk to a [`Client`]; the embedded client runs
//! the service in-process on a workspace this process opened (the daemon's socket client implements
//! the same trait).

use crate::service::{ChangeEvent, Identity, Request, Response, Role, Service};
use std::sync::{Arc, mpsc};

/// How a client tells of its connection coming and going (see [`Client::connection_feed`]).
pub enum ConnectionFeed {
    /// It never goes away (a workspace in this process): nothing to watch.
    Never,
    /// Each change is sent here as it happens (true: connected again).
    Push(mpsc::Receiver<bool>),
    /// Ask [`Client::wait_connection_change`] (it looks now and then).
    Poll,
}

/// Something that answers service requests for one user.
pub trait Client: Send + Sync {
    /// Run a request. Mutations return once they are durable.
    fn call(&self, req: Request) -> Response;
    /// Change events from every user, from now on.
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent>;
    /// Who this client acts as (a daemon may change the role while it is connected).
    fn identity(&self) -> Identity;
    /// Where the data lives, for the status bar ("~/.local/share/spets/workspace" or a socket).
    fn location(&self) -> String;
    /// False while a socket client is reconnecting to a restarted daemon (show it, keep the
    /// user's input, and refresh when it turns true: a refresh event is also sent then).
    fn connected(&self) -> bool {
        true
    }
    /// Wait until the connection state is no longer `was`, or `within` has passed; returns the
    /// state. The UI waits here on a thread of its own to show "offline" at once. (Clients that
    /// cannot be woken look every 100 ms.)
    fn wait_connection_change(&self, was: bool, within: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + within;
        loop {
            let now = self.connected();
            if now != was || std::time::Instant::now() >= deadline {
                return now;
            }
            std::thread::sleep(std::time::Duration::from_millis(100).min(within));
        }
    }
    /// How the UI learns that the connection went away or came back. Clients that can tell at
    /// once push the changes, so an idle UI sleeps until something happens.
    fn connection_feed(&self) -> ConnectionFeed {
        ConnectionFeed::Poll
    }
    /// The user is leaving: an embedded workspace leaves its model checkpoint so the next open is
    /// quick (a daemon writes its own when it stops).
    fn close(&self) {}
    /// The service itself when it runs in this process: bulk readers (the activity export) read it
    /// directly instead of in batches of copied records.
    fn local(&self) -> Option<&Service> {
        None
    }
    /// Write a backup of the workspace to `w` as it comes (admins only): answers
    /// [`Response::BackupDone`] or why not.
    fn backup_to(&self, w: &mut dyn std::io::Write) -> Response {
        match self.call(Request::Backup) {
            Response::Backup(bytes) => match w.write_all(&bytes) {
                Ok(()) => Response::BackupDone {
                    entries: 0,
                    bytes: bytes.len() as u64,
                    checksum: bytes
                        .last_chunk::<4>()
                        .map(|c| u32::from_be_bytes(*c))
                        .unwrap_or(0),
                },
                Err(e) => Response::Failed(crate::service::Failure::Io {
                    path: String::new(),
                    kind: crate::service::IoKind::of(&e),
                }),
            },
            other => other,
        }
    }
}

/// The service in this process. The user owns the workspace, so they are its admin.
pub struct Embedded {
    service: Arc<Service>,
    who: Identity,
}

impl Embedded {
    pub fn new(service: Arc<Service>, user: String) -> Embedded {
        Embedded {
            service,
            who: Identity {
                user,
                role: Role::Admin,
            },
        }
    }

    pub fn service(&self) -> &Arc<Service> {
        &self.service
    }
}

impl Client for Embedded {
    fn call(&self, req: Request) -> Response {
        self.service.handle(&self.who, req)
    }
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent> {
        self.service.subscribe()
    }
    fn identity(&self) -> Identity {
        self.who.clone()
    }
    fn location(&self) -> String {
        self.service.store().path().display().to_string()
    }
    fn backup_to(&self, w: &mut dyn std::io::Write) -> Response {
        self.service.backup_to(&self.who, w)
    }
    fn close(&self) {
        self.service.checkpoint();
    }
    fn connection_feed(&self) -> ConnectionFeed {
        ConnectionFeed::Never
    }
    fn local(&self) -> Option<&Service> {
        Some(&self.service)
    }
}

/// Why a daemon could not be reached or would not serve us.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "no spets daemon is listening on {path} ({source}).\nStart one with `spets serve --db DIR --socket {path}`, or check the path (--connect or server = \"...\" in the config)"
    )]
    NoDaemon {
        path: String,
        source: std::io::Error,
    },
    #[error("the spets daemon on {path} refused the connection: {}", reason.encode())]
    Refused {
        path: String,
        reason: crate::service::Refusal,
    },
    #[error(
        "you ({user}) may not open {path}: it is for the members of the group {group}. Ask an administrator to add you (sudo usermod -aG {group} {user}), then log in again"
    )]
    NotInGroup {
        path: String,
        user: String,
        group: String,
    },
    #[error("{path} did not answer like a spets daemon: {why}")]
    Protocol { path: String, why: String },
}

use crate::daemon::protocol::{self, ClientMsg, ServerMsg, Welcome};
use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How long a call waits for a lost daemon to come back before it gives up.
const RECONNECT_WAIT: Duration = Duration::from_secs(15);
/// How long a call waits for its answer.
const ANSWER_WAIT: Duration = Duration::from_secs(120);

/// Where an answer (or a streamed backup) goes.
enum Waiting {
    Answer(mpsc::Sender<Response>),
    /// A backup: its parts, then the answer. Bounded, so a slow writer slows the daemon down.
    Stream(mpsc::SyncSender<Streamed>),
}

/// What a streamed request receives.
enum Streamed {
    Part(Vec<u8>),
    Done(Box<Response>),
}

struct RemoteInner {
    path: PathBuf,
    who: Mutex<Identity>,
    workspace: String,
    writer: Mutex<Option<UnixStream>>,
    connected: Mutex<bool>,
    connected_changed: Condvar,
    next_id: AtomicU64,
    pending: Mutex<HashMap<u64, Waiting>>,
    subscribers: Mutex<Vec<mpsc::Sender<ChangeEvent>>>,
    /// Who is told when the connection goes away or comes back.
    watchers: Mutex<Vec<mpsc::Sender<bool>>>,
    closing: AtomicBool,
}

/// A client of `spets serve` over its Unix socket. It reconnects by itself when the daemon
/// restarts; meanwhile [`Client::connected`] is false and calls wait for the daemon to return. A
/// quiet connection costs nothing on either side: there is no heartbeat (the kernel tells each
/// side at once when the other goes away).
pub struct Remote {
    inner: Arc<RemoteInner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The group a socket (or its directory) is for: the one a user must be in.
fn socket_group(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let gid = dir
        .and_then(|d| std::fs::metadata(d).ok())
        .filter(|m| m.mode() & 0o007 == 0)
        .or_else(|| std::fs::metadata(path).ok())?
        .gid();
    crate::identity::group_name(gid)
}

/// Connect and shake hands; returns the stream and the daemon's welcome.
fn handshake(path: &Path) -> Result<(UnixStream, Welcome), ConnectError> {
    let shown = path.display().to_string();
    let mut stream = UnixStream::connect(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::PermissionDenied
            && let Some(group) = socket_group(path)
        {
            return ConnectError::NotInGroup {
                path: shown.clone(),
                user: crate::identity::current_user(),
                group,
            };
        }
        ConnectError::NoDaemon {
            path: shown.clone(),
            source,
        }
    })?;
    let proto = |why: String| ConnectError::Protocol {
        path: shown.clone(),
        why,
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| proto(e.to_string()))?;
    let hello = protocol::handshake(
        protocol::HELLO,
        protocol::PROTOCOL_VERSION,
        &format!("spets {}", env!("CARGO_PKG_VERSION")),
    );
    protocol::write_frame(&mut stream, &hello).map_err(|e| proto(e.to_string()))?;
    let frame = protocol::read_frame(&mut stream, protocol::MAX_HANDSHAKE)
        .map_err(|e| proto(e.to_string()))?;
    if let Some((_, msg)) = protocol::parse_handshake(protocol::REFUSED, &frame) {
        return Err(ConnectError::Refused {
            path: shown,
            reason: crate::service::Refusal::decode(&String::from_utf8_lossy(msg)),
        });
    }
    let Some((_, payload)) = protocol::parse_handshake(protocol::WELCOME, &frame) else {
        return Err(proto("no welcome".into()));
    };
    let welcome: Welcome = protocol::decode_msg(payload).map_err(|e| proto(e.to_string()))?;
    // Quiet is fine: the read loop blocks until the daemon writes or goes away.
    stream
        .set_read_timeout(None)
        .map_err(|e| proto(e.to_string()))?;
    Ok((stream, welcome))
}

impl Remote {
    /// Connect to the daemon listening on `path`.
    pub fn connect(path: &Path) -> Result<Remote, ConnectError> {
        let (stream, welcome) = handshake(path)?;
        let reader = stream.try_clone().map_err(|e| ConnectError::Protocol {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        let inner = Arc::new(RemoteInner {
            path: path.to_path_buf(),
            who: Mutex::new(Identity {
                user: welcome.user,
                role: welcome.role,
            }),
            workspace: welcome.workspace,
            writer: Mutex::new(Some(stream)),
            connected: Mutex::new(true),
            connected_changed: Condvar::new(),
            next_id: AtomicU64::new(1),
            pending: Mutex::new(HashMap::new()),
            subscribers: Mutex::new(Vec::new()),
            watchers: Mutex::new(Vec::new()),
            closing: AtomicBool::new(false),
        });
        let i = inner.clone();
        std::thread::Builder::new()
            .name("spets-client-read".into())
            .spawn(move || read_loop(i, reader))
            .map_err(|e| ConnectError::Protocol {
                path: path.display().to_string(),
                why: format!("no thread for the connection: {e}"),
            })?;
        Ok(Remote { inner })
    }

    fn send(&self, msg: &ClientMsg) -> bool {
        let Ok(body) = protocol::encode_msg(msg) else {
            return false;
        };
        if body.len() > protocol::MAX_CLIENT_FRAME {
            return false;
        }
        let mut w = lock(&self.inner.writer);
        match w.as_mut() {
            Some(s) => protocol::write_frame(s, &body).is_ok(),
            None => false,
        }
    }

    /// Wait until connected (or the timeout passes); true when connected.
    fn wait_connected(&self, timeout: Duration) -> bool {
        let guard = lock(&self.inner.connected);
        let (guard, _) = self
            .inner
            .connected_changed
            .wait_timeout_while(guard, timeout, |c| !*c)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }

    /// Send a request whose answer goes to `waiting`; its id, or None when it could not be sent.
    fn start(&self, request: Request, waiting: Waiting) -> Result<u64, Box<Response>> {
        if !self.wait_connected(RECONNECT_WAIT) {
            return Err(Box::new(Response::Failed(
                crate::service::Failure::NotAnswering {
                    socket: self.inner.path.display().to_string(),
                },
            )));
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.inner.pending).insert(id, waiting);
        if !self.send(&ClientMsg::Request { id, request }) {
            lock(&self.inner.pending).remove(&id);
            return Err(Box::new(Response::Failed(
                crate::service::Failure::ConnectionLost,
            )));
        }
        Ok(id)
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        self.inner.closing.store(true, Ordering::Relaxed);
        if let Some(s) = lock(&self.inner.writer).take() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn set_connected(inner: &RemoteInner, up: bool) {
    *lock(&inner.connected) = up;
    inner.connected_changed.notify_all();
    lock(&inner.watchers).retain(|w| w.send(up).is_ok());
}

/// Answers being reassembled from parts, by request id.
type Assembling = HashMap<u64, Vec<u8>>;

/// Hand one message from the daemon to whoever waits for it. False when the connection must be
/// dropped (a protocol violation).
fn dispatch(inner: &RemoteInner, msg: ServerMsg, parts: &mut Assembling) -> bool {
    match msg {
        ServerMsg::Response { id, response } => {
            match lock(&inner.pending).remove(&id) {
                Some(Waiting::Answer(tx)) => {
                    let _ = tx.send(response);
                }
                Some(Waiting::Stream(tx)) => {
                    let _ = tx.send(Streamed::Done(Box::new(response)));
                }
                None => {}
            }
            true
        }
        ServerMsg::Part { id, bytes, last } => {
            let buf = parts.entry(id).or_default();
            if buf.len() + bytes.len() > protocol::MAX_ANSWER_BYTES {
                tracing::warn!("an answer from the daemon is larger than a client takes");
                return false;
            }
            buf.extend_from_slice(&bytes);
            if last {
                let whole = parts.remove(&id).unwrap_or_default();
                let response = protocol::decode_answer(&whole).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "an answer from the daemon does not decode");
                    Response::Failed(crate::service::Failure::Internal)
                });
                return dispatch(inner, ServerMsg::Response { id, response }, parts);
            }
            true
        }
        ServerMsg::BackupPart { id, bytes } => {
            let tx = match lock(&inner.pending).get(&id) {
                Some(Waiting::Stream(tx)) => tx.clone(),
                _ => return true,
            };
            // Waits while the writer is behind: the socket fills and the daemon waits too.
            let _ = tx.send(Streamed::Part(bytes));
            true
        }
        ServerMsg::Event(e) => {
            lock(&inner.subscribers).retain(|s| s.send(e.clone()).is_ok());
            true
        }
        ServerMsg::Role(role) => {
            let user = {
                let mut who = lock(&inner.who);
                who.role = role;
                who.user.clone()
            };
            tracing::warn!(role = role.key(), "the daemon changed this user's role");
            let event = ChangeEvent {
                seq: 0,
                kind: crate::domain::EntityKind::Partner,
                id: crate::domain::Id(0),
                version: 0,
                action: crate::store::AuditAction::Access,
                user,
                at: crate::domain::Timestamp::now(),
            };
            lock(&inner.subscribers).retain(|s| s.send(event.clone()).is_ok());
            true
        }
        ServerMsg::Pong => true,
    }
}

/// Read frames until the connection drops, then reconnect (forever, until the client is dropped).
fn read_loop(inner: Arc<RemoteInner>, mut stream: UnixStream) {
    loop {
        // Buffered: the daemon writes a burst of events at once, and they are read in one go.
        let mut reader = std::io::BufReader::with_capacity(64 * 1024, &stream);
        let mut parts = Assembling::new();
        loop {
            match protocol::read_frame(&mut reader, protocol::MAX_SERVER_FRAME) {
                Ok(frame) => match protocol::decode_msg::<ServerMsg>(&frame) {
                    Ok(msg) => {
                        if !dispatch(&inner, msg, &mut parts) {
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "undecodable frame from the daemon");
                        break;
                    }
                },
                Err(protocol::FrameError::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                }
                Err(_) => break,
            }
        }
        // The connection is gone: fail what was waiting, then reconnect.
        set_connected(&inner, false);
        lock(&inner.writer).take();
        let lost = || Response::Failed(crate::service::Failure::ConnectionLost);
        for (_, w) in lock(&inner.pending).drain() {
            match w {
                Waiting::Answer(tx) => {
                    let _ = tx.send(lost());
                }
                Waiting::Stream(tx) => {
                    let _ = tx.try_send(Streamed::Done(Box::new(lost())));
                }
            }
        }
        if inner.closing.load(Ordering::Relaxed) {
            return;
        }
        tracing::warn!(socket = %inner.path.display(), "lost the daemon; reconnecting");
        let mut delay = Duration::from_millis(100);
        stream = loop {
            if inner.closing.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(2));
            match handshake(&inner.path) {
                Ok((s, welcome)) => match s.try_clone() {
                    Ok(reader) => {
                        *lock(&inner.writer) = Some(s);
                        lock(&inner.who).role = welcome.role;
                        break reader;
                    }
                    Err(_) => continue,
                },
                Err(ConnectError::Refused { reason, .. }) => {
                    tracing::warn!(reason = %reason.encode(), "the daemon refused the reconnection");
                }
                Err(_) => {}
            }
        };
        tracing::info!("reconnected to the daemon");
        set_connected(&inner, true);
        // Whatever changed meanwhile was not pushed to us: tell subscribers to refresh.
        let refresh = ChangeEvent {
            seq: 0,
            kind: crate::domain::EntityKind::Partner,
            id: crate::domain::Id(0),
            version: 0,
            action: crate::store::AuditAction::Import,
            user: String::new(),
            at: crate::domain::Timestamp::now(),
        };
        lock(&inner.subscribers).retain(|s| s.send(refresh.clone()).is_ok());
    }
}

impl Client for Remote {
    fn call(&self, request: Request) -> Response {
        let (tx, rx) = mpsc::channel();
        let id = match self.start(request, Waiting::Answer(tx)) {
            Ok(id) => id,
            Err(r) => return *r,
        };
        rx.recv_timeout(ANSWER_WAIT).unwrap_or_else(|_| {
            lock(&self.inner.pending).remove(&id);
            Response::Failed(crate::service::Failure::NoAnswerInTime)
        })
    }
    fn backup_to(&self, w: &mut dyn std::io::Write) -> Response {
        let (tx, rx) = mpsc::sync_channel(4);
        let id = match self.start(Request::Backup, Waiting::Stream(tx)) {
            Ok(id) => id,
            Err(r) => return *r,
        };
        loop {
            match rx.recv_timeout(ANSWER_WAIT) {
                Ok(Streamed::Part(bytes)) => {
                    if let Err(e) = w.write_all(&bytes) {
                        lock(&self.inner.pending).remove(&id);
                        return Response::Failed(crate::service::Failure::Io {
                            path: String::new(),
                            kind: crate::service::IoKind::of(&e),
                        });
                    }
                }
                Ok(Streamed::Done(r)) => return *r,
                Err(_) => {
                    lock(&self.inner.pending).remove(&id);
                    return Response::Failed(crate::service::Failure::NoAnswerInTime);
                }
            }
        }
    }
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent> {
        let (tx, rx) = mpsc::channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }
    fn identity(&self) -> Identity {
        lock(&self.inner.who).clone()
    }
    fn location(&self) -> String {
        format!("{} ({})", self.inner.path.display(), self.inner.workspace)
    }
    fn connected(&self) -> bool {
        *lock(&self.inner.connected)
    }
    fn connection_feed(&self) -> ConnectionFeed {
        let (tx, rx) = mpsc::channel();
        lock(&self.inner.watchers).push(tx);
        ConnectionFeed::Push(rx)
    }
    fn wait_connection_change(&self, was: bool, within: Duration) -> bool {
        let guard = lock(&self.inner.connected);
        match self
            .inner
            .connected_changed
            .wait_timeout_while(guard, within, |up| *up == was)
        {
            Ok((up, _)) => *up,
            Err(p) => *p.into_inner().0,
        }
    }
}
