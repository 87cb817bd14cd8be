//! End to end over real SSH: two staff members log in to the server with `ssh -tt`, both run spets
//! against one daemon at the same time, and each sees the other's change.
//!
//! Needs root, the users spets-a and spets-b in the group spets, and an sshd on 127.0.0.1:2222 that
//! accepts the key /tmp/spets-sshd/client_key for them: `.ci/run` sets all of this up (see
//! .ci/sshd.sh). The test is ignored by a plain `cargo test`; run with `--include-ignored` (as
//! .ci/run does), it fails when any of this is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_spets");
const KEY: &str = "/tmp/spets-sshd/client_key";

fn timeout() -> Duration {
    Duration::from_secs(
        std::env::var("SPETS_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30),
    )
}

/// Why this machine cannot run the test, if it cannot.
fn missing() -> Option<String> {
    if !rustix::process::geteuid().is_root() {
        return Some("not running as root".into());
    }
    for u in ["spets-a", "spets-b"] {
        if !std::fs::read_to_string("/etc/passwd")
            .unwrap_or_default()
            .lines()
            .any(|l| l.starts_with(&format!("{u}:")))
        {
            return Some(format!("no user {u}"));
        }
    }
    if !Path::new(KEY).exists() {
        return Some(format!("no test key {KEY} (run .ci/sshd.sh)"));
    }
    if std::net::TcpStream::connect("127.0.0.1:2222").is_err() {
        return Some("no sshd on 127.0.0.1:2222 (run .ci/sshd.sh)".into());
    }
    None
}

/// A terminal session over `ssh -tt`, read through a vt100 parser.
struct Ssh {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    user: &'static str,
}

impl Ssh {
    fn start(user: &'static str, remote: &str) -> Ssh {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("ssh");
        for a in [
            "-tt",
            "-i",
            KEY,
            "-p",
            "2222",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
        ] {
            cmd.arg(a);
        }
        cmd.arg(format!("{user}@127.0.0.1"));
        cmd.arg(remote);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let s2 = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s2.lock().unwrap().process(&buf[..n]);
            }
        });
        Ssh {
            _master: pair.master,
            writer,
            child,
            screen,
            user,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + timeout();
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{}: timed out waiting for {text:?}; screen:\n{}",
            self.user,
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Add a partner through the form, as in tests/ui_pty.rs.
    fn add_partner(&mut self, name: &str) {
        self.send(b"a");
        self.wait_for("New partner");
        self.send(name.as_bytes());
        self.send(b"\t\t\t");
        self.send(b"SE");
        self.send(b"\x13"); // Ctrl-s
    }

    fn quit(&mut self) {
        self.send(b"q");
        let deadline = Instant::now() + timeout();
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{}: spets did not quit; screen:\n{}",
            self.user,
            self.contents()
        );
    }
}

impl Drop for Ssh {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "needs root, the users spets-a and spets-b in the group spets, and the sshd of .ci/sshd.sh on 127.0.0.1:2222"]
fn two_users_over_ssh_see_each_others_changes() {
    use std::os::unix::fs::PermissionsExt;
    if let Some(why) = missing() {
        panic!("the SSH end-to-end test cannot run here: {why}");
    }
    // Everything the users need to reach: the binary and the socket (the workspace stays root's).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin: PathBuf = tmp.path().join("spets");
    std::fs::copy(BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = tmp.path().join("ws");
    let sock = tmp.path().join("run").join("spets.sock");
    let out = Command::new(&bin)
        .args([
            "demo",
            "--partners",
            "12",
            "--activities",
            "50",
            "--notes",
            "5",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _daemon = Daemon(
        Command::new(&bin)
            .arg("serve")
            .arg("--init")
            .arg("--db")
            .arg(&db)
            .arg("--socket")
            .arg(&sock)
            .args(["--group", "spets"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + timeout();
    while std::os::unix::net::UnixStream::connect(&sock).is_err() {
        assert!(Instant::now() < deadline, "the daemon did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let remote = format!(
        "env LANG=en_GB.UTF-8 NO_COLOR=1 TERM=xterm-256color {} --connect {} --lang en",
        bin.display(),
        sock.display()
    );
    let mut a = Ssh::start("spets-a", &remote);
    let mut b = Ssh::start("spets-b", &remote);
    a.wait_for("12 partners");
    b.wait_for("12 partners");
    a.wait_for("spets-a");
    b.wait_for("spets-b");

    a.add_partner("Partner från A");
    a.wait_for("13 partners");
    b.wait_for("13 partners");
    b.wait_for("Partner från A");

    b.add_partner("Partner från B");
    b.wait_for("14 partners");
    a.wait_for("14 partners");
    a.wait_for("Partner från B");

    a.quit();
    b.quit();
    // Both edits are in the audit log under the user who made them.
    drop(_daemon);
    let deadline = Instant::now() + timeout();
    let store = loop {
        match spets::store::Store::open(&db) {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "cannot reopen the workspace: {e}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    };
    let users: Vec<String> = store
        .audit(None)
        .map(|e| e.unwrap())
        .filter(|e| e.label.starts_with("Partner från"))
        .map(|e| format!("{} {}", e.user, e.label))
        .collect();
    assert!(
        users.contains(&"spets-a Partner från A".to_string()),
        "{users:?}"
    );
    assert!(
        users.contains(&"spets-b Partner från B".to_string()),
        "{users:?}"
    );
}
