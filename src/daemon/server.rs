//! `spets serve`: the setup, the socket, the accept loop and the bookkeeping of connections.
//!
//! The accept loop never spins and never panics: a connection over the cap is refused with a
//! message naming the cap; when a thread cannot be started or descriptors run out (EMFILE, ENFILE,
//! ENOMEM), that one connection is refused (a spare descriptor is kept for saying so), the loop
//! backs off, and the log gets one line per burst with a count.

use super::access::{Access, NoRole, Policy};
use super::conn::{self, Outbox, Peer};
use super::protocol::{self, MAX_HANDSHAKE, PROTOCOL_VERSION, ServerMsg, Welcome};
use crate::i18n::messages::{ServeProblem, serve_problem};
use crate::service::{Refusal, Role, Service};
use crate::term::inline;
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Connections served at once, unless `--max-clients` says otherwise.
pub const DEFAULT_MAX_CLIENTS: u32 = 256;
/// Connections one user may hold at once, unless `--max-clients-per-user` says otherwise.
pub const DEFAULT_MAX_PER_USER: u32 = 32;

/// What `spets serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub db: PathBuf,
    pub socket: PathBuf,
    /// The Unix group that may connect (default: the daemon user's primary group).
    pub group: Option<String>,
    /// The access file (default: none; see [`super::access`]).
    pub access: Option<PathBuf>,
    /// Create the workspace when `db` does not exist (otherwise that is refused: a typo must not
    /// serve an empty workspace to everyone).
    pub init: bool,
    pub max_clients: u32,
    pub max_per_user: u32,
    /// The language of what the daemon prints on its own terminal (clients word their messages
    /// themselves).
    pub lang: crate::i18n::Lang,
}

/// A burst of failures of one kind, logged once with a count.
#[derive(Default)]
struct Burst {
    since: Option<Instant>,
    count: u64,
}

impl Burst {
    /// Count one failure; log the first of a burst, and the count when a burst of a second ends.
    fn note(&mut self, what: &str, detail: &dyn std::fmt::Display) {
        self.count += 1;
        match self.since {
            None => {
                self.since = Some(Instant::now());
                tracing::warn!(error = %detail, "{what}; refusing connections until it passes");
            }
            Some(t) if t.elapsed() >= Duration::from_secs(1) => {
                tracing::warn!(
                    count = self.count,
                    "{what}: {} times in {:.1} s",
                    self.count,
                    t.elapsed().as_secs_f64()
                );
                self.since = Some(Instant::now());
                self.count = 0;
            }
            Some(_) => {}
        }
    }
    /// The burst is over.
    fn clear(&mut self) {
        if self.count > 1 && self.since.is_some() {
            tracing::warn!(count = self.count, "the last burst of failures is over");
        }
        self.since = None;
        self.count = 0;
    }
}

pub(super) struct Shared {
    pub service: Arc<Service>,
    pub access: Access,
    /// The daemon's own user (admin without an access file).
    owner: String,
    workspace: String,
    /// Every live connection's outbox, for change events (see [`broadcast`]).
    listeners: Mutex<HashMap<u64, Arc<Outbox>>>,
    /// Live connections: in all and per user.
    counts: Mutex<(u32, HashMap<String, u32>)>,
    max_clients: u32,
    max_per_user: u32,
    next_conn: AtomicU64,
    spawn_failures: Mutex<Burst>,
    /// Connections refused (caps, access): logged once per burst.
    refusals: Mutex<Burst>,
    /// Checks and backups, one at a time at a lower priority.
    pub heavy: super::heavy::Heavy,
}

impl Shared {
    /// A thread could not be started: count it (logged once per burst).
    pub fn note_spawn_failure(&self) {
        self.spawn_failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .note("a thread could not be started", &"out of threads or memory");
    }

    /// The role of a user on an open connection changed (None: removed): audit it.
    pub fn role_changed(&self, peer: &Peer, from: Role, to: Option<Role>) {
        let to_key = to.map_or("none", |r| r.key());
        tracing::warn!(user = %peer.user, pid = peer.pid, from = from.key(), to = to_key, "role changed on an open connection");
        let label = format!("{}: {} → {}", peer.user, from.key(), to_key);
        if let Err(e) = self.service.audit_access(&peer.user, &label) {
            tracing::error!(error = %e, "the role change could not be audited");
        }
    }

    /// Take a place for `user`, or say why there is none.
    fn admit(&self, user: &str) -> Result<(), Refusal> {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if c.0 >= self.max_clients {
            return Err(Refusal::TooManyClients {
                max: self.max_clients,
            });
        }
        let mine = c.1.get(user).copied().unwrap_or(0);
        if mine >= self.max_per_user {
            return Err(Refusal::TooManyForUser {
                user: user.to_string(),
                max: self.max_per_user,
            });
        }
        c.0 += 1;
        *c.1.entry(user.to_string()).or_default() += 1;
        Ok(())
    }

    fn leave(&self, user: &str) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.0 = c.0.saturating_sub(1);
        if let Some(n) = c.1.get_mut(user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.1.remove(user);
            }
        }
    }
}

/// Encode each change event once and hand the same bytes to every connection's outbox. A
/// connection whose client has stopped reading is dropped there; nobody else waits for it.
fn broadcast(shared: Arc<Shared>, events: mpsc::Receiver<crate::service::ChangeEvent>) {
    while let Ok(first) = events.recv() {
        let mut out = Vec::new();
        let mut next = Some(first);
        while let Some(ev) = next {
            let framed = protocol::encode_msg(&ServerMsg::Event(ev))
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
        let listeners: Vec<Arc<Outbox>> = shared
            .listeners
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        for l in listeners {
            if !l.push_now(out.clone()) {
                // Closed, or too much unread: the connection's own thread notices and ends.
            }
        }
    }
}

/// Serve until SIGTERM or SIGINT.
pub fn serve(opts: ServeOptions) -> Result<()> {
    if !opts.db.exists() && !opts.init {
        bail!(match opts.lang {
            crate::i18n::Lang::En => format!(
                "there is no workspace at {}: check --db, or add --init to create a new, empty one",
                opts.db.display()
            ),
            crate::i18n::Lang::Sv => format!(
                "det finns ingen arbetsyta i {}: kontrollera --db, eller lägg till --init för att skapa en ny, tom",
                opts.db.display()
            ),
        });
    }
    let me = rustix::process::geteuid().as_raw();
    let owner = crate::identity::user_name(me);
    let gid = match &opts.group {
        Some(g) => crate::identity::group_id(g)
            .with_context(|| serve_problem(opts.lang, ServeProblem::NoGroup(g)))?,
        None => rustix::process::getegid().as_raw(),
    };
    let group = crate::identity::group_name(gid);
    let policy = match &opts.access {
        Some(p) => Policy::File(p.clone()),
        None => Policy::Default {
            owner: owner.clone(),
            group: group.clone(),
        },
    };
    let access = Access::new(policy).map_err(|f| anyhow::Error::msg(f.words(opts.lang)))?;

    // The workspace stays private to the daemon's user: clients reach it only through the socket.
    let service = Arc::new(Service::open(&opts.db)?);
    let listener = bind(&opts.socket, gid, opts.lang)?;
    tracing::info!(socket = %opts.socket.display(), db = %opts.db.display(), "serving");
    crate::term::warn(&crate::i18n::messages::serving(
        opts.lang,
        &opts.db.display().to_string(),
        &opts.socket.display().to_string(),
        group.as_deref().unwrap_or("?"),
    ));

    let shared = Arc::new(Shared {
        service: service.clone(),
        access,
        owner: owner.clone(),
        workspace: opts.db.display().to_string(),
        listeners: Mutex::new(HashMap::new()),
        counts: Mutex::new((0, HashMap::new())),
        max_clients: opts.max_clients.max(1),
        max_per_user: opts.max_per_user.max(1),
        next_conn: AtomicU64::new(1),
        spawn_failures: Mutex::new(Burst::default()),
        refusals: Mutex::new(Burst::default()),
        heavy: super::heavy::Heavy::start()?,
    });
    {
        let events = shared.service.subscribe();
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("spets-events".into())
            .spawn(move || broadcast(shared, events))?;
    }
    shutdown_on_signals(service, opts.socket.clone(), opts.lang)?;
    // Warm the model in the background so the first timeline or matrix view is quick.
    {
        let s = shared.service.clone();
        let lang = opts.lang;
        std::thread::Builder::new()
            .name("spets-warm-up".into())
            .spawn(move || {
                if let Err(e) = s.warm_up() {
                    tracing::warn!(error = %e, "warm-up failed");
                }
                // The warm-up read every partner, agreement, activity, assessment and note: say
                // how many could not be read, and what to run.
                let damaged = s.stats().damaged;
                if damaged > 0 {
                    let msg = crate::i18n::integrity::damaged_notice(lang, damaged);
                    tracing::warn!(damaged, "{msg}");
                    crate::term::warn(&format!("spets serve: {msg}"));
                }
            })?;
    }
    accept_loop(&shared, &listener);
    Ok(())
}

/// Accept connections forever. Failures back off (never a spin) and are logged once per burst.
fn accept_loop(shared: &Arc<Shared>, listener: &UnixListener) {
    // A descriptor kept free, so that at the descriptor limit a waiting client can still be
    // accepted and told why it is refused, instead of waiting (and the loop spinning).
    let mut spare = std::fs::File::open("/dev/null").ok();
    let mut failures = Burst::default();
    let mut backoff = Duration::from_millis(10);
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                failures.clear();
                backoff = Duration::from_millis(10);
                start(shared, stream);
            }
            Err(e) => {
                let raw = e.raw_os_error();
                let exhausted = matches!(
                    raw,
                    Some(
                        libc_errno::EMFILE
                            | libc_errno::ENFILE
                            | libc_errno::ENOMEM
                            | libc_errno::ENOBUFS
                    )
                );
                failures.note("accepting a connection failed", &e);
                let mut refused = false;
                if exhausted && spare.take().is_some() {
                    // Use the spare descriptor to take a waiting client, if one waits, and say
                    // why. Without blocking: when nobody waits, the loop backs off instead, and
                    // the next client after the shortage is served, not refused.
                    if listener.set_nonblocking(true).is_ok() {
                        if let Ok((mut s, _)) = listener.accept() {
                            let _ = s.set_nonblocking(false);
                            refuse_typed(&mut s, &Refusal::Busy);
                            refused = true;
                        }
                        let _ = listener.set_nonblocking(false);
                    }
                    spare = std::fs::File::open("/dev/null").ok();
                }
                std::thread::sleep(backoff);
                // A client was answered: the queue is being drained, one per short pause.
                // Otherwise nothing can be done yet, so wait longer each time (up to a second).
                backoff = if refused {
                    Duration::from_millis(10)
                } else {
                    (backoff * 2).min(Duration::from_secs(1))
                };
            }
        }
    }
}

/// errno values (Linux) of the resources an accept can run out of.
mod libc_errno {
    pub const ENOMEM: i32 = 12;
    pub const ENFILE: i32 = 23;
    pub const EMFILE: i32 = 24;
    pub const ENOBUFS: i32 = 105;
}

/// Start a connection on its own thread (or refuse it when no thread can be started).
fn start(shared: &Arc<Shared>, stream: UnixStream) {
    let s = shared.clone();
    let Ok(mut probe) = stream.try_clone() else {
        refuse_busy(shared, stream);
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("spets-conn".into())
        .spawn(move || connection(s, stream));
    if spawned.is_err() {
        shared.note_spawn_failure();
        refuse_typed(&mut probe, &Refusal::Busy);
    } else {
        shared
            .spawn_failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

fn refuse_busy(shared: &Shared, mut stream: UnixStream) {
    shared.note_spawn_failure();
    refuse_typed(&mut stream, &Refusal::Busy);
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

/// Refuse with a typed reason (a code line every version reads; the client words it).
fn refuse_typed(stream: &mut UnixStream, why: &Refusal) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = protocol::write_frame(
        stream,
        &protocol::handshake(protocol::REFUSED, PROTOCOL_VERSION, &why.encode()),
    );
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
    // The handshake must come at once; a client that says nothing is closed.
    let _ = stream.set_read_timeout(Some(protocol::FRAME_TIMEOUT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let hello = match protocol::read_frame(&mut stream, MAX_HANDSHAKE) {
        Ok(f) => f,
        Err(e) => {
            tracing::debug!(%user, pid, error = %e, "no handshake; closing");
            return;
        }
    };
    let Some((version, client_version)) = protocol::parse_handshake(protocol::HELLO, &hello) else {
        tracing::warn!(%user, pid, "not a spets client; closing");
        refuse_typed(&mut stream, &Refusal::NotSpets);
        return;
    };
    // Client text reaches the log only escaped: one event, one line, no control characters.
    let client_version = inline(&String::from_utf8_lossy(client_version)).into_owned();
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
        refuse_typed(&mut stream, &why);
        return;
    }
    let groups = crate::identity::groups_of(&user, gid);
    let role = match shared.access.role_now(&user, &groups) {
        Ok(r) => r,
        Err(why) => {
            let why = match why {
                NoRole::NotInGroup { group } => Refusal::NotInGroup {
                    user: user.clone(),
                    owner: shared.owner.clone(),
                    group,
                },
                NoRole::NotInFile { file } => Refusal::NoAccessEntry {
                    user: user.clone(),
                    file: file.display().to_string(),
                },
            };
            shared
                .refusals
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .note("connections refused: not allowed", &why.encode());
            refuse_typed(&mut stream, &why);
            return;
        }
    };
    if let Err(why) = shared.admit(&user) {
        shared
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .note(
                "connections refused over a cap",
                &format!("{user}: {why:?}"),
            );
        refuse_typed(&mut stream, &why);
        return;
    }
    let peer = Peer {
        user: user.clone(),
        pid,
        groups,
    };
    let conn_id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
    let outbox = Arc::new(Outbox::default());
    // Subscribed to change events before the welcome, so nothing the client could cause after
    // connecting is missed.
    shared
        .listeners
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(conn_id, outbox.clone());
    let welcome = Welcome {
        user: user.clone(),
        role,
        workspace: shared.workspace.clone(),
        server_version: ours.to_string(),
        capabilities: vec![
            "events".into(),
            "backup".into(),
            "check".into(),
            "parts".into(),
        ],
        max_client_frame: protocol::MAX_CLIENT_FRAME as u32,
        max_server_frame: protocol::MAX_SERVER_FRAME as u32,
    };
    let welcomed = protocol::encode_msg(&welcome).is_ok_and(|payload| {
        protocol::write_frame(
            &mut stream,
            &protocol::handshake_bytes(protocol::WELCOME, PROTOCOL_VERSION, &payload),
        )
        .is_ok()
    });
    if welcomed {
        tracing::debug!(%user, pid, role = role.key(), "client connected");
        conn::serve(&shared, stream, &peer, role, outbox.clone());
        tracing::debug!(%user, pid, "client disconnected");
    }
    outbox.close();
    shared
        .listeners
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&conn_id);
    shared.leave(&user);
}
