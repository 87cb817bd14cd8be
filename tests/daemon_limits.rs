//! The shared daemon under abuse: answers of any size in bounded chunks, a client that stops
//! reading, connection caps, half-sent frames, descriptors running out, access that follows the
//! file on open connections, purges that take personal data out of the audit, escaped log lines,
//! and `serve` on a directory that does not exist.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::client::{Client, ConnectError, Remote};
use spets::daemon::protocol;
use spets::domain::*;
use spets::service::*;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("ws");
    let sock = tmp.path().join("run").join("spets.sock");
    (tmp, db, sock)
}

/// A raw connection that has shaken hands.
fn raw(sock: &Path) -> UnixStream {
    let mut s = UnixStream::connect(sock).unwrap();
    let hello = protocol::handshake(protocol::HELLO, protocol::PROTOCOL_VERSION, "raw test");
    protocol::write_frame(&mut s, &hello).unwrap();
    let f = protocol::read_frame(&mut s, protocol::MAX_HANDSHAKE).unwrap();
    assert!(protocol::parse_handshake(protocol::WELCOME, &f).is_some());
    s
}

/// Wait until the daemon has closed `s` (reads reach the end).
fn wait_closed(mut s: UnixStream, what: &str) {
    s.set_read_timeout(Some(timeout())).unwrap();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("{what}: the daemon did not close the connection ({e})"),
        }
    }
}

fn big_note(partner: Id, i: usize) -> AnyData {
    AnyData::Note(Note {
        partners: vec![partner],
        date: d("2026-10-01"),
        title: format!("Steering group {i}"),
        kind: MeetingKind::SteeringGroup,
        attendees: vec!["Anna".into()],
        body: format!("{i:04} {}", "minutes ".repeat(12_400)),
        decisions: vec![],
        actions: vec![],
    })
}

/// A workspace with one partner and `notes` notes of about 100 KB each.
fn workspace_with_notes(db: &Path, notes: usize) -> Id {
    let s = open(db);
    let (p, _) = create(&s, &editor(), AnyData::Partner(partner("Chalmers", "SE")));
    for i in 0..notes {
        create(&s, &editor(), big_note(p, i));
    }
    p
}

fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn answers_larger_than_a_frame_come_in_parts_and_backups_stream() {
    let (tmp, db, sock) = setup();
    workspace_with_notes(&db, 80);
    let _d = Daemon::start(&db, &sock);
    let c = Remote::connect(&sock).unwrap();
    // About 8 MB of notes: twice the largest frame.
    match c.call(Request::Notes(NoteQuery::default())) {
        Response::Notes(p) => {
            assert_eq!(p.items.len(), 80);
            assert!(p.items.iter().all(|n| n.data.body.len() > 90_000));
        }
        other => panic!("{other:?}"),
    }
    // A backup through the daemon arrives whole, restores and checks out.
    let bak = tmp.path().join("served.spetsbak");
    let out = spets(&[
        "backup",
        bak.to_str().unwrap(),
        "--connect",
        sock.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::metadata(&bak).unwrap().len() > protocol::MAX_SERVER_FRAME as u64);
    let restored = tmp.path().join("restored");
    let out = spets(&[
        "restore",
        bak.to_str().unwrap(),
        "--db",
        restored.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = open(&restored);
    match s.handle(&editor(), Request::Stats) {
        Response::Stats(st) => assert_eq!((st.partners, st.notes), (1, 80)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_nobody_else_waits() {
    let (_tmp, db, sock) = setup();
    let p = workspace_with_notes(&db, 60);
    let _d = Daemon::start(&db, &sock);
    // Ask for 6 MB answers, again and again, and never read one.
    let mut lazy = raw(&sock);
    let ask = protocol::encode_msg(&protocol::ClientMsg::Request {
        id: 1,
        request: Request::Notes(NoteQuery::default()),
    })
    .unwrap();
    lazy.set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    for _ in 0..20 {
        if protocol::write_frame(&mut lazy, &ask).is_err() {
            break;
        }
    }
    // Meanwhile everyone else is served.
    let c = Remote::connect(&sock).unwrap();
    create_remote(&c, big_note(p, 999));
    assert!(matches!(c.call(Request::Stats), Response::Stats(s) if s.notes == 61));
    // The lazy client is dropped once it has read nothing for a while (without reading what it
    // was sent: a write to a connection the daemon closed fails).
    let ping = protocol::encode_msg(&protocol::ClientMsg::Ping).unwrap();
    wait_for(
        "the daemon to drop a client that stops reading",
        || match protocol::write_frame(&mut lazy, &ping) {
            Err(e) => matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            Ok(()) => false,
        },
    );
    assert!(matches!(c.call(Request::Stats), Response::Stats(_)));
}

fn create_remote(c: &Remote, data: AnyData) {
    match c.call(Request::Create(data)) {
        Response::Saved { .. } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn connection_caps_refuse_with_a_message_naming_the_cap() {
    let (_tmp, db, sock) = setup();
    let _d = Daemon::start_with(
        &db,
        &sock,
        &[
            "--init",
            "--max-clients",
            "3",
            "--max-clients-per-user",
            "2",
        ],
        &[],
    );
    let a = Remote::connect(&sock).unwrap();
    let b = Remote::connect(&sock).unwrap();
    match Remote::connect(&sock) {
        Err(ConnectError::Refused { reason, .. }) => {
            assert!(
                matches!(&reason, Refusal::TooManyForUser { max: 2, .. }),
                "{reason:?}"
            );
            let said = spets::i18n::reasons::refusal_why(spets::i18n::Lang::En, &reason);
            assert!(said.contains("2 connections"), "{said}");
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a third connection of one user was accepted"),
    }
    // A connection that closes frees its place at once.
    drop(b);
    wait_for("the place to be free", || Remote::connect(&sock).is_ok());
    drop(a);

    let (_tmp2, db2, sock2) = setup();
    let _d2 = Daemon::start_with(
        &db2,
        &sock2,
        &[
            "--init",
            "--max-clients",
            "2",
            "--max-clients-per-user",
            "10",
        ],
        &[],
    );
    let _x = Remote::connect(&sock2).unwrap();
    let _y = Remote::connect(&sock2).unwrap();
    match Remote::connect(&sock2) {
        Err(ConnectError::Refused { reason, .. }) => {
            assert_eq!(reason, Refusal::TooManyClients { max: 2 });
            let said = spets::i18n::reasons::refusal_why(spets::i18n::Lang::Sv, &reason);
            assert!(said.contains('2'), "{said}");
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a connection over the cap was accepted"),
    }
}

#[test]
fn half_sent_frames_time_out_and_closed_connections_free_everything_at_once() {
    let (_tmp, db, sock) = setup();
    let d = Daemon::start_with(
        &db,
        &sock,
        &["--init", "--max-clients-per-user", "100"],
        &[],
    );
    let pid = d.child.id();
    let good = Remote::connect(&sock).unwrap();
    // A round trip: the good connection's threads and descriptors are all in place.
    assert!(matches!(good.call(Request::Stats), Response::Stats(_)));
    let base = fds(pid);
    // Fifty clients come and go: their descriptors (and threads) are gone at once.
    let many: Vec<Remote> = (0..50).map(|_| Remote::connect(&sock).unwrap()).collect();
    wait_for("fifty connections", || fds(pid) >= base + 50);
    drop(many);
    // (One more descriptor is allowed: the daemon may open its log file meanwhile.)
    wait_for("the descriptors of closed connections to be freed", || {
        fds(pid) <= base + 1
    });
    // Two bytes of a frame's length, and nothing more: closed after the frame time-out.
    let mut slow = raw(&sock);
    slow.write_all(&[0, 0]).unwrap();
    wait_closed(slow, "a half-sent frame");
    // A quiet client is not: it is served whenever it speaks again.
    assert!(matches!(good.call(Request::Stats), Response::Stats(_)));
}

#[test]
fn running_out_of_descriptors_refuses_clients_without_spinning_or_flooding_the_log() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let (tmp, db, sock) = setup();
    // This test opens 1,100 connections of its own.
    let lim = getrlimit(Resource::Nofile);
    let want = lim.maximum.map_or(4096, |m| m.min(4096));
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(want),
            maximum: lim.maximum,
        },
    )
    .unwrap();
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    // The daemon under a 1,024-descriptor limit, with caps high enough that descriptors run out.
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 1024 && exec '{BIN}' serve --init --db '{}' --socket '{}' --max-clients 5000 --max-clients-per-user 5000",
            db.display(),
            sock.display()
        ))
        .env("XDG_STATE_HOME", &state)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let d = Daemon::spawned(child, &sock);
    let pid = d.child.id();
    let cpu = |pid: u32| -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let f: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    };
    let mut flood = Vec::new();
    for _ in 0..1100 {
        if let Ok(s) = UnixStream::connect(&sock) {
            flood.push(s);
        }
    }
    let before = cpu(pid);
    // Each connection shakes hands, or is told it is refused: none hangs.
    let hello = protocol::handshake(protocol::HELLO, protocol::PROTOCOL_VERSION, "flood");
    let mut refused = 0;
    for s in &mut flood {
        s.set_read_timeout(Some(timeout())).unwrap();
        let _ = protocol::write_frame(s, &hello);
        if let Ok(f) = protocol::read_frame(s, protocol::MAX_HANDSHAKE)
            && protocol::parse_handshake(protocol::REFUSED, &f).is_some()
        {
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "no connection was refused at the descriptor limit"
    );
    assert!(d.child.id() == pid);
    // The accept loop backs off instead of spinning: under a second of CPU for all of it.
    let used = cpu(pid) - before;
    assert!(
        used < 100,
        "the daemon used {used} ticks of CPU time under the flood"
    );
    drop(flood);
    // A good client is served at once, and the log stayed small.
    let c = Remote::connect(&sock).unwrap();
    assert!(matches!(c.call(Request::Stats), Response::Stats(_)));
    let log: u64 = std::fs::read_dir(state.join("spets"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    assert!(log < 200_000, "the log grew to {log} bytes");
}

#[test]
fn roles_follow_the_access_file_on_open_connections_and_changes_are_audited() {
    let (tmp, db, sock) = setup();
    let dir = tmp.path().join("etc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let access = dir.join("access.toml");
    let me = spets::identity::current_user();
    std::fs::write(&access, format!("[users]\n{me} = \"admin\"\n")).unwrap();
    std::fs::set_permissions(&access, std::fs::Permissions::from_mode(0o600)).unwrap();
    let _d = Daemon::start_with(
        &db,
        &sock,
        &["--init", "--access", access.to_str().unwrap()],
        &[],
    );
    let c = Remote::connect(&sock).unwrap();
    let events = c.subscribe();
    assert_eq!(c.identity().role, Role::Admin);
    create_remote(&c, AnyData::Partner(partner("KTH", "SE")));
    // A swap to a symlink that says "admin", or a file made writable by others, changes nothing.
    std::fs::write(&access, format!("[users]\n{me} = \"viewer\"\n")).unwrap();
    // Demoted: within a second the open connection can only read, and the client knows.
    wait_for("the demotion to reach the open connection", || {
        matches!(
            c.call(Request::Create(AnyData::Partner(partner("Aalto", "FI")))),
            Response::Forbidden {
                denied: Denied::ReadOnly,
                ..
            }
        )
    });
    assert_eq!(c.identity().role, Role::Viewer);
    let e = events.recv_timeout(timeout()).unwrap();
    let mut seen = vec![e];
    while let Ok(e) = events.try_recv() {
        seen.push(e);
    }
    assert!(
        seen.iter()
            .any(|e| e.action == spets::store::AuditAction::Access),
        "{seen:?}"
    );
    // The change is in the audit log (read by a fresh admin: the file gives admin back).
    std::fs::write(&access, format!("[users]\n{me} = \"admin\"\n")).unwrap();
    wait_for("admin again", || {
        matches!(c.call(Request::Audit(AuditQuery { limit: 50, ..Default::default() })),
            Response::Audit(log) if log.iter().any(|e| e.action == spets::store::AuditAction::Access
                && e.label.contains("admin → viewer")))
    });
}

#[test]
fn purging_takes_personal_data_out_of_the_audit_history() {
    let (_tmp, db, sock) = setup();
    let pid = {
        let s = open(&db);
        create(&s, &editor(), AnyData::Partner(partner("KTH", "SE"))).0
    };
    let _d = Daemon::start(&db, &sock);
    let c = Remote::connect(&sock).unwrap();
    let contact = Contact {
        partner: pid,
        side: Side::Partner,
        name: "Karin Secret-Name".into(),
        role: ContactRole::PartnerManager,
        email: "karin.secret@kth.example".into(),
        phone: "+46 8 555 0199".into(),
    };
    let Response::Saved { id, version, .. } = c.call(Request::Create(AnyData::Contact(contact)))
    else {
        panic!()
    };
    let Response::Saved { version, .. } = c.call(Request::Archive {
        kind: EntityKind::Contact,
        id,
        expected_version: version,
    }) else {
        panic!()
    };
    let _ = version;
    assert!(matches!(
        c.call(Request::Purge {
            kind: EntityKind::Contact,
            id
        }),
        Response::Saved { .. }
    ));
    let Response::Audit(history) = c.call(Request::Audit(AuditQuery {
        record: Some((EntityKind::Contact, id)),
        ..Default::default()
    })) else {
        panic!()
    };
    assert_eq!(history.len(), 3, "{history:?}");
    let all = format!("{history:?}");
    for secret in ["Karin", "Secret", "karin.secret", "555 0199"] {
        assert!(!all.contains(secret), "{secret} is still in {all}");
    }
    // Who did what, and when, stays.
    assert!(history.iter().all(|e| !e.user.is_empty()));
    assert_eq!(
        history.iter().map(|e| e.action).collect::<Vec<_>>(),
        vec![
            spets::store::AuditAction::Create,
            spets::store::AuditAction::Archive,
            spets::store::AuditAction::Purge
        ]
    );
}

#[test]
fn what_a_client_sends_reaches_the_log_escaped_on_one_line() {
    let (tmp, db, sock) = setup();
    let state = tmp.path().join("state");
    let _d = Daemon::start_with(&db, &sock, &["--init"], &[("XDG_STATE_HOME", &state)]);
    // An old protocol version, with a forged log line and escape codes as its "version".
    let mut s = UnixStream::connect(&sock).unwrap();
    let evil = "spets 9\n2026-01-01T00:00:00Z  INFO forged: admin granted\u{1b}[2J";
    protocol::write_frame(&mut s, &protocol::handshake(protocol::HELLO, 0, evil)).unwrap();
    let _ = protocol::read_frame(&mut s, protocol::MAX_HANDSHAKE);
    let log = || -> String {
        std::fs::read_dir(state.join("spets"))
            .into_iter()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    };
    wait_for("the mismatch to be logged", || {
        log().contains("protocol mismatch")
    });
    let text = log();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("2026-01-01T00:00:00Z")),
        "{text}"
    );
    assert!(text.contains("\\x0a2026-01-01"), "{text}");
}

#[test]
fn serve_refuses_a_directory_that_does_not_exist_unless_asked_to_create_it() {
    let (_tmp, db, sock) = setup();
    let out = spets(&[
        "serve",
        "--db",
        db.to_str().unwrap(),
        "--socket",
        sock.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("there is no workspace at")
            && text(&out.stderr).contains("--init"),
        "{}",
        text(&out.stderr)
    );
    assert!(!db.exists(), "a workspace was created anyway");
    let _d = Daemon::start(&db, &sock);
    assert!(db.exists());
}

/// The uid of a user from /etc/passwd.
fn uid_of(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.first() == Some(&name))
            .then(|| Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?)))
            .flatten()
    })
}

#[test]
#[ignore = "needs root and the user spets-x outside the group spets (.ci/run creates it)"]
fn a_user_outside_the_group_is_told_so_and_how_to_be_added() {
    use std::os::unix::process::CommandExt;
    assert!(
        rustix::process::geteuid().is_root(),
        "this test needs root: it runs a client as the user spets-x"
    );
    let (uid, gid) = uid_of("spets-x")
        .expect("this test needs the user spets-x, outside the group spets (.ci/run creates it)");
    spets::identity::group_id("spets").expect("this test needs the group spets (.ci/run)");
    let (tmp, db, sock) = setup();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let _d = Daemon::start_with(&db, &sock, &["--init", "--group", "spets"], &[]);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::os::unix::fs::chown(&home, Some(uid), Some(gid)).unwrap();
    for (lang, want) in [
        (
            "en",
            [
                "you (spets-x) may not open",
                "members of the group spets",
                "usermod -aG spets spets-x",
            ],
        ),
        (
            "sv",
            ["spets-x", "gruppen spets", "usermod -aG spets spets-x"],
        ),
    ] {
        let out = std::process::Command::new(BIN)
            .args(["--lang", lang, "--connect"])
            .arg(&sock)
            .args(["export", "partners"])
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .uid(uid)
            .gid(gid)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{lang}: {err}");
        for w in want {
            assert!(err.contains(w), "{lang}: {w:?} missing from: {err}");
        }
        assert!(!err.contains("no spets daemon"), "{lang}: {err}");
        assert!(!err.contains("ingen spets-demon"), "{lang}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{lang}: one line: {err}");
    }
}
