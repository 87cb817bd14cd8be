//! `spets serve` with real processes on a real socket: identities, roles, concurrent edits, bad
//! frames, restarts, live events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::client::{Client, Remote};
use spets::daemon::protocol;
use spets::domain::*;
use spets::service::*;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Daemon {
    child: Child,
}

impl Daemon {
    fn start(db: &Path, socket: &Path, extra: &[&str]) -> Daemon {
        let child = Command::new(BIN)
            .arg("serve")
            .arg("--init")
            .arg("--db")
            .arg(db)
            .arg("--socket")
            .arg(socket)
            .args(extra)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut d = Daemon { child };
        wait_for("the daemon's socket", || {
            assert!(
                d.child.try_wait().unwrap().is_none(),
                "the daemon exited early"
            );
            UnixStream::connect(socket).is_ok()
        });
        d
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        rustix::process::kill_process(
            rustix::process::Pid::from_child(&self.child),
            rustix::process::Signal::TERM,
        )
        .unwrap();
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "the daemon did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("ws");
    let sock = tmp.path().join("run").join("spets.sock");
    (tmp, db, sock)
}

fn me() -> String {
    spets::identity::current_user()
}

#[test]
fn socket_is_group_only_and_identity_comes_from_the_kernel() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, db, sock) = setup();
    let _d = Daemon::start(&db, &sock, &[]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&sock), 0o660);
    assert_eq!(mode(sock.parent().unwrap()), 0o750);
    let c = Remote::connect(&sock).unwrap();
    // The daemon's own user is its admin; the name is the peer's Unix user, not a claim.
    assert_eq!(
        c.identity(),
        Identity {
            user: me(),
            role: Role::Admin
        }
    );
    let (id, _) = match c.call(Request::Create(AnyData::Partner(partner(
        "Umeå universitet",
        "SE",
    )))) {
        Response::Saved { id, version, .. } => (id, version),
        other => panic!("{other:?}"),
    };
    let Response::Audit(log) = c.call(Request::Audit(AuditQuery {
        record: Some((EntityKind::Partner, id)),
        ..Default::default()
    })) else {
        panic!()
    };
    assert_eq!(log[0].user, me());
}

#[test]
fn a_viewer_cannot_write_and_unknown_users_are_refused() {
    let (tmp, db, sock) = setup();
    let access = tmp.path().join("access.toml");
    std::fs::write(&access, format!("[users]\n{} = \"viewer\"\n", me())).unwrap();
    let _d = Daemon::start(&db, &sock, &["--access", access.to_str().unwrap()]);
    let c = Remote::connect(&sock).unwrap();
    assert_eq!(c.identity().role, Role::Viewer);
    let r = c.call(Request::Create(AnyData::Partner(partner("KTH", "SE"))));
    assert_eq!(
        r,
        Response::Forbidden {
            denied: Denied::ReadOnly,
            role: Role::Viewer
        }
    );
    assert!(matches!(c.call(Request::Stats), Response::Stats(s) if s.partners == 0));

    // Access files are read per connection: drop the entry and the user is refused.
    std::fs::write(&access, "[users]\nsomeone-else = \"admin\"\n").unwrap();
    match Remote::connect(&sock) {
        Err(spets::client::ConnectError::Refused { reason, .. }) => {
            assert!(
                matches!(&reason, spets::service::Refusal::NoAccessEntry { user, .. } if *user == me()),
                "{reason:?}"
            );
            let message = spets::i18n::reasons::refusal_why(spets::i18n::Lang::En, &reason);
            assert!(
                message.contains(&format!("{} may not use this spets server", me())),
                "{message}"
            );
        }
        Err(e) => panic!("expected a refusal, got {e}"),
        Ok(_) => panic!("expected a refusal"),
    }
}

#[test]
fn an_access_file_writable_by_others_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, db, sock) = setup();
    let access = tmp.path().join("access.toml");
    std::fs::write(&access, "[users]\n").unwrap();
    std::fs::set_permissions(&access, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = Command::new(BIN)
        .arg("serve")
        .arg("--init")
        .arg("--db")
        .arg(&db)
        .arg("--socket")
        .arg(&sock)
        .arg("--access")
        .arg(&access)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is writable by others"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn concurrent_edits_lose_nothing_and_conflicts_are_reported() {
    let (_tmp, db, sock) = setup();
    let _d = Daemon::start(&db, &sock, &[]);
    let a = Remote::connect(&sock).unwrap();
    let b = Remote::connect(&sock).unwrap();
    let Response::Saved { id, .. } = a.call(Request::Create(AnyData::Partner(partner(
        "Aarhus Universitet",
        "DK",
    )))) else {
        panic!()
    };

    // Two users edit the same version: the second is told, with who and which fields.
    let Response::Record(AnyRecord::Partner(p)) = a.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    }) else {
        panic!()
    };
    let mut ea = p.data.clone();
    ea.city = "Aarhus".into();
    let mut eb = p.data.clone();
    eb.phase = Phase::PhaseOut;
    assert!(matches!(
        a.call(Request::Update {
            id,
            expected_version: p.meta.version,
            data: AnyData::Partner(ea)
        }),
        Response::Saved { .. }
    ));
    let Response::Conflict(c) = b.call(Request::Update {
        id,
        expected_version: p.meta.version,
        data: AnyData::Partner(eb),
    }) else {
        panic!()
    };
    assert_eq!(
        c.fields
            .iter()
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>(),
        ["city"]
    );

    // Real client processes hammering one record: every accepted edit survives.
    let children: Vec<Child> = (0..4)
        .map(|n| {
            Command::new(CHILD)
                .arg("tag-writer")
                .arg(&sock)
                .arg(id.0.to_string())
                .arg(format!("w{n}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut conflicts = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let (_, n) = text
            .split_once("done conflicts=")
            .unwrap_or_else(|| panic!("child output: {text}"));
        conflicts += n.split_whitespace().next().unwrap().parse::<u32>().unwrap();
    }
    let Response::Record(AnyRecord::Partner(p)) = a.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    }) else {
        panic!()
    };
    for n in 0..4 {
        for k in 0..10 {
            assert!(
                p.data.tags.contains(&format!("w{n}-{k}")),
                "lost update: w{n}-{k} missing from {:?}",
                p.data.tags
            );
        }
    }
    // 1 create + 1 city edit + 40 tag edits, every one in the audit log under the right user.
    assert_eq!(p.meta.version, 42);
    let Response::Audit(log) = a.call(Request::Audit(AuditQuery {
        record: Some((EntityKind::Partner, id)),
        ..Default::default()
    })) else {
        panic!()
    };
    assert_eq!(log.len(), 42);
    assert!(log.iter().all(|e| e.user == me()));
    eprintln!("{conflicts} conflicts were detected and retried");
}

#[test]
fn bad_frames_close_only_their_own_connection() {
    let (_tmp, db, sock) = setup();
    let mut d = Daemon::start(&db, &sock, &[]);
    let good = Remote::connect(&sock).unwrap();
    let closed = |mut s: UnixStream| {
        s.set_read_timeout(Some(timeout())).unwrap();
        let mut buf = [0u8; 64];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
                Err(_) => return false,
            }
        }
    };
    let hello = protocol::handshake(protocol::HELLO, protocol::PROTOCOL_VERSION, "test");
    // 1. An oversized frame after a proper handshake.
    let mut s = UnixStream::connect(&sock).unwrap();
    protocol::write_frame(&mut s, &hello).unwrap();
    protocol::read_frame(&mut s, 1 << 20).unwrap();
    s.write_all(&u32::MAX.to_be_bytes()).unwrap();
    assert!(closed(s));
    // 2. Garbage that does not decode.
    let mut s = UnixStream::connect(&sock).unwrap();
    protocol::write_frame(&mut s, &hello).unwrap();
    protocol::read_frame(&mut s, 1 << 20).unwrap();
    protocol::write_frame(&mut s, &[0xff; 100]).unwrap();
    assert!(closed(s));
    // 3. Not a spets client at all.
    let mut s = UnixStream::connect(&sock).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    assert!(closed(s));
    // 4. An older client is told what to upgrade.
    let mut s = UnixStream::connect(&sock).unwrap();
    protocol::write_frame(
        &mut s,
        &protocol::handshake(protocol::HELLO, 0, "spets 0.0.1"),
    )
    .unwrap();
    let f = protocol::read_frame(&mut s, 1 << 20).unwrap();
    let (_, msg) = protocol::parse_handshake(protocol::REFUSED, &f).unwrap();
    let msg = String::from_utf8_lossy(msg);
    // A typed reason, which the client words in its own language.
    let why = spets::service::Refusal::decode(&msg);
    assert!(
        matches!(why, spets::service::Refusal::ClientOlder { .. }),
        "{msg}"
    );
    let words = spets::i18n::reasons::refusal_why(spets::i18n::Lang::En, &why);
    assert!(
        words.contains("is older than the server") && words.contains("upgrade your spets"),
        "{words}"
    );
    // The daemon and its other clients are fine.
    assert!(d.child.try_wait().unwrap().is_none());
    assert!(matches!(good.call(Request::Stats), Response::Stats(_)));
}

#[test]
fn changes_reach_other_clients_and_clients_survive_a_daemon_restart() {
    let (_tmp, db, sock) = setup();
    let mut d = Daemon::start(&db, &sock, &[]);
    let a = Remote::connect(&sock).unwrap();
    let b = Remote::connect(&sock).unwrap();
    let events = b.subscribe();
    let Response::Saved { id, .. } = a.call(Request::Create(AnyData::Partner(partner(
        "Tartu Ülikool",
        "EE",
    )))) else {
        panic!()
    };
    let e = events.recv_timeout(timeout()).unwrap();
    assert_eq!(
        (e.kind, e.id, e.user.as_str()),
        (EntityKind::Partner, id, me().as_str())
    );

    // SIGTERM: a clean exit; the socket is removed.
    assert!(d.terminate().success());
    assert!(!sock.exists());
    wait_for("the client to notice", || !b.connected());
    drop(d);
    let _d2 = Daemon::start(&db, &sock, &[]);
    // Calls wait for the reconnection and carry on.
    let r = b.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    });
    assert!(matches!(r, Response::Record(_)), "{r:?}");
    assert!(b.connected());
    // A refresh notice arrives after the reconnection.
    wait_for("the refresh event", || {
        events.try_recv().is_ok_and(|e| e.seq == 0)
    });
}

#[test]
fn stale_sockets_are_cleaned_and_a_second_daemon_is_refused() {
    let (_tmp, db, sock) = setup();
    std::fs::create_dir_all(sock.parent().unwrap()).unwrap();
    drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    assert!(sock.exists(), "a stale socket file");
    let _d = Daemon::start(&db, &sock, &[]);
    let out = Command::new(BIN)
        .arg("serve")
        .arg("--init")
        .arg("--db")
        .arg(db.with_file_name("other"))
        .arg("--socket")
        .arg(&sock)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another spets daemon is already listening")
    );
    let out = Command::new(BIN)
        .arg("serve")
        .arg("--init")
        .arg("--db")
        .arg(&db)
        .arg("--socket")
        .arg(sock.with_file_name("second.sock"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already open in another spets process"));
}

#[test]
fn cli_commands_work_through_connect() {
    let (tmp, db, sock) = setup();
    {
        let store = spets::store::Store::open(&db).unwrap();
        let spec = spets::demo::DemoSpec {
            partners: 5,
            activities: 20,
            notes: 3,
            seed: 1,
            today: today(),
            me: "anna.lind".into(),
        };
        spets::demo::generate(&store, &spec, "anna.lind").unwrap();
    }
    let _d = Daemon::start(&db, &sock, &[]);
    let out = Command::new(BIN)
        .arg("check")
        .arg("--connect")
        .arg(&sock)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("is consistent"));
    // The life cycle's datasets export through the daemon too.
    for (dataset, head) in [
        ("goals", "\u{feff}ID,Partner ID,Partner,Goal,"),
        ("evaluations", "\u{feff}ID,Partner ID,Partner,Period from,"),
        (
            "phase-history",
            "\u{feff}Partner ID,Partner,Date,From phase,",
        ),
    ] {
        let out = Command::new(BIN)
            .args(["--lang", "en", "--connect"])
            .arg(&sock)
            .args(["export", dataset])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.starts_with(head), "{dataset}: {text}");
    }
    let bak = tmp.path().join("b.spetsbak");
    let out = Command::new(BIN)
        .arg("--connect")
        .arg(&sock)
        .arg("backup")
        .arg(&bak)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = tmp.path().join("restored");
    let out = Command::new(BIN)
        .arg("restore")
        .arg(&bak)
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Through the config file too.
    let cfg = tmp.path().join("system.toml");
    std::fs::write(&cfg, format!("server = \"{}\"\n", sock.display())).unwrap();
    let out = Command::new(BIN)
        .arg("check")
        .env("SPETS_SYSTEM_CONFIG", &cfg)
        .env("XDG_CONFIG_HOME", tmp.path())
        .env_remove("SPETS_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No daemon: a clear message.
    let out = Command::new(BIN)
        .arg("check")
        .arg("--connect")
        .arg(tmp.path().join("none.sock"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no spets daemon is listening on"));
}

/// The uid and gid of a test user (CI creates spets-a and spets-b in the group spets; see .ci/run).
fn test_user(name: &str) -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.first() == Some(&name))
                .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
                .flatten()
        })
        .unwrap_or_else(|| {
            panic!("this test needs the user {name} in the group spets (.ci/run creates it)")
        })
}

#[test]
#[ignore = "needs root and the users spets-a and spets-b in the group spets (.ci/run creates them)"]
fn edits_by_different_unix_users_are_audited_under_each_user() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    assert!(
        rustix::process::geteuid().is_root(),
        "this test needs root: it runs clients as the users spets-a and spets-b"
    );
    let users = [
        ("spets-a", test_user("spets-a")),
        ("spets-b", test_user("spets-b")),
    ];
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = tmp.path().join("ws");
    let sock = tmp.path().join("run").join("spets.sock");
    let _d = Daemon::start(&db, &sock, &["--group", "spets"]);
    let admin = Remote::connect(&sock).unwrap();
    let Response::Saved { id, .. } = admin.call(Request::Create(AnyData::Partner(partner(
        "Kyoto University",
        "JP",
    )))) else {
        panic!()
    };
    let mut children = Vec::new();
    // std drops supplementary groups when it changes the uid, so the child runs with the group
    // spets as its primary group to reach the 0750 socket directory.
    let spets_gid = spets::identity::group_id("spets")
        .expect("this test needs the group spets (.ci/run creates it)");
    for (n, (name, ids)) in users.iter().enumerate() {
        let (uid, _) = *ids;
        let gid = spets_gid;
        children.push((
            *name,
            Command::new(CHILD)
                .arg("tag-writer")
                .arg(&sock)
                .arg(id.0.to_string())
                .arg(format!("u{n}"))
                .uid(uid)
                .gid(gid)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        ));
    }
    for (name, child) in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let role = stdout
            .split_once("done conflicts=")
            .and_then(|(_, rest)| rest.split_once(" role="))
            .map(|(_, role)| role.trim())
            .unwrap_or_else(|| panic!("{name}: {stdout}{}", String::from_utf8_lossy(&out.stderr)));
        // Members of the socket's group are editors, not admins (the daemon's own user is admin).
        assert_eq!(role, "editor", "the role the daemon gave {name}");
    }
    let Response::Audit(log) = admin.call(Request::Audit(AuditQuery {
        record: Some((EntityKind::Partner, id)),
        ..Default::default()
    })) else {
        panic!()
    };
    for (name, _) in users {
        assert_eq!(
            log.iter().filter(|e| e.user == name).count(),
            10,
            "{name}'s ten edits under their own name"
        );
    }
    // One create and twenty edits.
    let Response::Record(AnyRecord::Partner(p)) = admin.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    }) else {
        panic!()
    };
    assert_eq!(p.meta.version, 21);
}
