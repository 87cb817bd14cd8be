//! The socket server.

use super::access::{self, Policy};
use super::protocol::{
    self, ClientMsg, FrameError, HEARTBEAT_SECS, MAX_CLIENT_FRAME, PROTOCOL_VERSION, ServerMsg,
    Welcome,
};
use crate::i18n::messages::{ServeProblem, serve_problem};
use crate::service::{Identity, Refusal, Service};
use crate::store::codec;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// What `spets serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// The Unix group that may connect (default: the daemon user's primary group).
    pub group: Option<String>,
    /// The access file (default: none; see [`access`]).
    pub access: Option<PathBuf>,
    /// The language of what the daemon prints on its own terminal (clients word their messages
    /// themselves).
    pub lang: crate::i18n::Lang,
}

struct Shared {
    service: Arc<Service>,
    policy: Policy,
    workspace: String,
    /// Every connection's queue of encoded change events (see [`broadcast`]).
    listeners: Mutex<Vec<mpsc::Sender<Arc<Vec<u8>>>>>,
}

/// Encode each change event once and hand the same bytes to every connection. The service
/// announces a burst of saves at once; it becomes one buffer of frames, and each connection writes
/// it with one system call.
fn broadcast(shared: Arc<Shared>, events: mpsc::Receiver<crate::service::ChangeEvent>) {
    while let Ok(first) = events.recv() {
        let mut out = Vec::new();
        let mut next = Some(first);
        while let Some(ev) = next {
            let framed = codec::encode(&ServerMsg::Event(ev))
                .map_err(|e| e.to_string())
                .and_then(|body| {
                    protocol::append_frame(&mut out, &body).map_err(|e| e.to_string())
                });
            if let Err(e) = framed {
                tracing::error!(error = %e, "a change event could not be encoded");
            }
            next = events.try_recv().ok();
        }
        let out = Arc::new(out);
        shared
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|l| l.send(out.clone()).is_ok());
    }
}

/// Serve until SIGTERM or SIGINT.
pub fn serve(opts: ServeOptions) -> Result<()> {
    let me = rustix::process::geteuid().as_raw();
    let owner = crate::identity::user_name(me);
    let gid = match &opts.group {
        Some(g) => crate::identity::group_id(g)
            .with_context(|| serve_problem(opts.lang, ServeProblem::NoGroup(g)))?,
        None => rustix::process::getegid().as_raw(),
    };
    let group = crate::identity::group_name(gid);
    let policy = match &opts.access {
        Some(p) => {
            access::validate(p, opts.lang).map_err(anyhow::Error::msg)?;
            Policy::File(p.clone())
        }
        None => Policy::Default {
            owner: owner.clone(),
            group: group.clone(),
        },
    };

    // The workspace stays private to the daemon's user: clients reach it only through the socket.
    let service = Arc::new(Service::open(&opts.db)?);
    let listener = bind(&opts.socket, gid, opts.lang)?;
    tracing::info!(socket = %opts.socket.display(), db = %opts.db.display(), "serving");
    eprintln!(
        "{}",
        crate::i18n::messages::serving(
            opts.lang,
            &opts.db.display().to_string(),
            &opts.socket.display().to_string(),
            group.as_deref().unwrap_or("?")
        )
    );

    let shared = Arc::new(Shared {
        service: service.clone(),
        policy,
        workspace: opts.db.display().to_string(),
        listeners: Mutex::new(Vec::new()),
    });
    {
        let events = shared.service.subscribe();
        let shared = shared.clone();
        std::thread::spawn(move || broadcast(shared, events));
    }
    shutdown_on_signals(service, opts.socket.clone(), opts.lang)?;
    // Warm the model in the background so the first timeline or matrix view is quick.
    {
        let s = shared.service.clone();
        let lang = opts.lang;
        std::thread::spawn(move || {
            if let Err(e) = s.warm_up() {
                tracing::warn!(error = %e, "warm-up failed");
            }
            // The warm-up read every partner, agreement, activity, assessment and note: say how
            // many could not be read, and what to run.
            let damaged = s.stats().damaged;
            if damaged > 0 {
                let msg = crate::i18n::integrity::damaged_notice(lang, damaged);
                tracing::warn!(damaged, "{msg}");
                crate::term::warn(&format!("spets serve: {msg}"));
            }
        });
    }
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let shared = shared.clone();
                std::thread::spawn(move || connection(shared, stream));
            }
            Err(e) => tracing::warn!(error = %e, "accept failed"),
        }
    }
    Ok(())
}

/// Create the socket: its directory 0750 in `gid`, the socket 0660 in `gid`. A socket left by a
/// crashed daemon is removed (we already hold the workspace lock, so no daemon is using this
/// workspace); a socket another live daemon answers on is not touched.
fn bind(path: &Path, gid: u32, lang: crate::i18n::Lang) -> Result<UnixListener> {
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        let d = dir.display().to_string();
        std::fs::create_dir_all(&dir)
            .with_context(|| serve_problem(lang, ServeProblem::SocketDir(&d)))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750))?;
        rustix::fs::chown(&dir, None, Some(rustix::fs::Gid::from_raw(gid)))
            .map_err(std::io::Error::from)
            .with_context(|| serve_problem(lang, ServeProblem::GiveToGroup(&d, gid)))?;
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            bail!(serve_problem(lang, ServeProblem::NotASocket(&shown)));
        }
        match UnixStream::connect(path) {
            Ok(_) => bail!(serve_problem(lang, ServeProblem::AlreadyListening(&shown))),
            Err(_) => {
                tracing::info!(socket = %path.display(), "removing a stale socket");
                std::fs::remove_file(path)?;
            }
        }
    }
    let listener = UnixListener::bind(path)
        .with_context(|| serve_problem(lang, ServeProblem::CannotListen(&shown)))?;
    rustix::fs::chown(path, None, Some(rustix::fs::Gid::from_raw(gid)))
        .map_err(std::io::Error::from)
        .with_context(|| serve_problem(lang, ServeProblem::GiveToGroup(&shown, gid)))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
    Ok(listener)
}

fn shutdown_on_signals(
    service: Arc<Service>,
    socket: PathBuf,
    lang: crate::i18n::Lang,
) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            tracing::info!(signal = sig, "shutting down");
            // Wait for the write in progress, make everything durable, then go.
            let code = match service.shutdown() {
                Ok(()) => 0,
                Err(e) => {
                    tracing::error!(error = %e, "final flush failed");
                    1
                }
            };
            let _ = std::fs::remove_file(&socket);
            eprintln!("{}", crate::i18n::messages::daemon_stopped(lang));
            std::process::exit(code);
        }
    });
    Ok(())
}

fn send(writer: &Mutex<UnixStream>, msg: &ServerMsg) -> std::io::Result<()> {
    let body = codec::encode(msg).map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
    protocol::write_frame(&mut *w, &body)
}

fn refuse(stream: &mut UnixStream, why: &Refusal) {
    let _ = protocol::write_frame(
        stream,
        &protocol::handshake(protocol::REFUSED, PROTOCOL_VERSION, &why.encode()),
    );
    let _ = stream.flush();
}

/// One client connection, from handshake to close.
fn connection(shared: Arc<Shared>, mut stream: UnixStream) {
    let cred = match rustix::net::sockopt::socket_peercred(&stream) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "no peer credentials; closing");
            return;
        }
    };
    let uid = cred.uid.as_raw();
    let pid = cred.pid.as_raw_nonzero().get();
    let (user, gid) =
        crate::identity::passwd_entry(uid).unwrap_or((format!("uid:{uid}"), cred.gid.as_raw()));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));

    // Handshake.
    let hello = match protocol::read_frame(&mut stream, 4096) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(%user, pid, error = %e, "no handshake; closing");
            return;
        }
    };
    let Some((version, client_version)) = protocol::parse_handshake(protocol::HELLO, &hello) else {
        tracing::warn!(%user, pid, "not a spets client; closing");
        refuse(&mut stream, &Refusal::NotSpets);
        return;
    };
    let client_version = String::from_utf8_lossy(client_version).into_owned();
    let ours = env!("CARGO_PKG_VERSION");
    if version != PROTOCOL_VERSION {
        // A typed reason: the client says it in its user's language.
        let server_version = ours.to_string();
        let why = if version < PROTOCOL_VERSION {
            Refusal::ClientOlder { server_version }
        } else {
            Refusal::ServerOlder { server_version }
        };
        tracing::warn!(%user, pid, %client_version, version, "protocol mismatch");
        refuse(&mut stream, &why);
        return;
    }
    let groups = crate::identity::groups_of(&user, gid);
    let role = match access::resolve(&shared.policy, &user, &groups) {
        Ok(r) => r,
        Err(why) => {
            tracing::warn!(%user, pid, reason = why.encode(), "refused");
            refuse(&mut stream, &why);
            return;
        }
    };
    let who = Identity {
        user: user.clone(),
        role,
    };
    let welcome = Welcome {
        user: user.clone(),
        role,
        workspace: shared.workspace.clone(),
        server_version: ours.to_string(),
        capabilities: vec![
            "events".into(),
            "heartbeat".into(),
            "backup".into(),
            "check".into(),
        ],
    };
    let (tx, rx) = mpsc::channel::<Arc<Vec<u8>>>();
    shared
        .listeners
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(tx);
    let Ok(payload) = codec::encode(&welcome) else {
        return;
    };
    if protocol::write_frame(
        &mut stream,
        &protocol::handshake_bytes(protocol::WELCOME, PROTOCOL_VERSION, &payload),
    )
    .is_err()
    {
        return;
    }
    tracing::info!(%user, pid, role = role.key(), "client connected");

    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let writer = Arc::new(Mutex::new(write_half));
    let closed = Arc::new(AtomicBool::new(false));

    // Change events, pushed as they happen (subscribed before the welcome, so that nothing the
    // client could cause after connecting is missed).
    {
        let writer = writer.clone();
        let closed = closed.clone();
        std::thread::spawn(move || {
            while !closed.load(Ordering::Relaxed) {
                match rx.recv_timeout(Duration::from_secs(HEARTBEAT_SECS * 4)) {
                    Ok(first) => {
                        // Whatever else is waiting goes out in the same write.
                        let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
                        let mut sent = w.write_all(&first);
                        while let (Ok(()), Ok(more)) = (&sent, rx.try_recv()) {
                            sent = w.write_all(&more);
                        }
                        if sent.and_then(|_| w.flush()).is_err() {
                            break;
                        }
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        });
    }

    // Requests, in order. A client pings every HEARTBEAT_SECS; four missed beats close it.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(HEARTBEAT_SECS * 4)));
    // Imports this connection opened and has not finished: rolled back when it closes.
    let mut imports: Vec<u64> = Vec::new();
    loop {
        let frame = match protocol::read_frame(&mut stream, MAX_CLIENT_FRAME) {
            Ok(f) => f,
            Err(FrameError::Closed) => break,
            Err(e) => {
                tracing::warn!(%user, pid, error = %e, "bad frame; closing the connection");
                break;
            }
        };
        let msg: ClientMsg = match codec::decode(&frame) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(%user, pid, error = %e, "undecodable frame; closing the connection");
                break;
            }
        };
        let reply = match msg {
            ClientMsg::Ping => ServerMsg::Pong,
            ClientMsg::Request { id, request } => {
                let ends = match &request {
                    crate::service::Request::ImportCommit { session }
                    | crate::service::Request::ImportAbort { session } => Some(*session),
                    _ => None,
                };
                let response = shared.service.handle(&who, request);
                if let crate::service::Response::ImportStarted { session } = &response {
                    imports.push(*session);
                }
                if let Some(done) = ends {
                    imports.retain(|s| *s != done);
                }
                ServerMsg::Response { id, response }
            }
        };
        if send(&writer, &reply).is_err() {
            break;
        }
    }
    if !imports.is_empty() {
        tracing::warn!(%user, pid, imports = imports.len(), "client left during an import; rolling it back");
        shared.service.abort_imports(&imports);
    }
    closed.store(true, Ordering::Relaxed);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    tracing::info!(%user, pid, "client disconnected");
}
