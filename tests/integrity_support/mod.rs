//! Helpers for the data-integrity tests: a real daemon process, records at every limit, the spets
//! binary run with captured output.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use spets::domain::limits as lim;
use spets::domain::*;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
pub use common::*;

/// A `spets serve` process, killed when dropped.
pub struct Daemon {
    pub child: Child,
}

impl Daemon {
    pub fn start(db: &Path, socket: &Path) -> Daemon {
        Daemon::start_with(db, socket, &["--init"], &[])
    }

    /// A daemon with more arguments and environment variables.
    pub fn start_with(db: &Path, socket: &Path, args: &[&str], env: &[(&str, &Path)]) -> Daemon {
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--db")
            .arg(db)
            .arg("--socket")
            .arg(socket)
            .args(args)
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Daemon::spawned(cmd.spawn().unwrap(), socket)
    }

    /// A daemon started by `cmd` (a shell that sets a limit first, say).
    pub fn spawned(child: Child, socket: &Path) -> Daemon {
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

    pub fn signal(&self, sig: rustix::process::Signal) {
        rustix::process::kill_process(rustix::process::Pid::from_child(&self.child), sig).unwrap();
    }

    /// Wait for the process to end.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "the daemon did not stop");
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

/// Run the spets binary with `args`, in English, and capture its output.
pub fn spets(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_CONFIG_HOME", "/nonexistent-spets-test-config")
        .output()
        .unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `n` characters of four-byte text (the worst case for bytes per character).
pub fn wide(n: usize) -> String {
    "𝔄".repeat(n)
}

/// A list of `items` entries of `chars` four-byte characters, each entry distinct.
pub fn wide_list(items: usize, chars: usize) -> Vec<String> {
    (0..items)
        .map(|i| format!("{i:04}{}", wide(chars - 4)))
        .collect()
}

/// A partner with every field and list at its limit at once.
pub fn partner_at_limits() -> Partner {
    Partner {
        name: wide(lim::NAME_CHARS),
        short_name: Some(wide(lim::NAME_CHARS)),
        kind: OrgKind::University,
        country: "SE".into(),
        city: wide(lim::NAME_CHARS),
        website: format!("https://{}", "e".repeat(lim::LINE_CHARS - 8)),
        phase: Phase::Running,
        tier: Tier::Strategic,
        formats: Format::ALL.to_vec(),
        faculties: wide_list(lim::FACULTIES, lim::LINE_CHARS),
        // Goal lines are refused (goals are records of their own): see `goal_at_limits`.
        goals: vec![],
        tags: wide_list(lim::TAGS, lim::LINE_CHARS),
        sponsors_ours: wide_list(lim::SPONSORS, lim::LINE_CHARS),
        sponsors_partner: wide_list(lim::SPONSORS, lim::LINE_CHARS),
        coordinator: wide(lim::NAME_CHARS),
    }
}

/// A meeting note with every field and list at its limit at once (the largest record there is).
pub fn note_at_limits(partners: Vec<Id>) -> Note {
    Note {
        partners,
        date: d("2026-11-01"),
        title: wide(lim::LINE_CHARS),
        kind: MeetingKind::SteeringGroup,
        attendees: wide_list(lim::ATTENDEES, lim::LINE_CHARS),
        body: wide(lim::TEXT_CHARS),
        decisions: wide_list(lim::DECISIONS, lim::LINE_CHARS),
        actions: (0..lim::ACTION_ITEMS)
            .map(|i| ActionItem {
                text: format!("{i:04}{}", wide(lim::LINE_CHARS - 4)),
                owner: wide(lim::NAME_CHARS),
                due: Some(d("2027-01-31")),
                done: false,
            })
            .collect(),
    }
}

/// A command running in a pseudo-terminal, its output collected as it comes.
pub struct InPty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    output: std::sync::Arc<std::sync::Mutex<String>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl InPty {
    pub fn spawn(args: &[&str]) -> InPty {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        use std::io::Read;
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env("LANG", "C");
        cmd.env("XDG_CONFIG_HOME", "/nonexistent-spets-test-config");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let out = std::sync::Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                out.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        InPty {
            child,
            output,
            _master: pair.master,
        }
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Wait until the output contains `text`.
    pub fn wait_for_text(&mut self, text: &str) {
        wait_for(text, || self.output().contains(text));
    }

    pub fn kill(&mut self) {
        let pid = self.child.process_id().unwrap();
        let pid = rustix::process::Pid::from_raw(pid as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::KILL).unwrap();
        let _ = self.child.wait();
    }

    pub fn wait(&mut self) -> portable_pty::ExitStatus {
        self.child.wait().unwrap()
    }
}

impl Drop for InPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A partners CSV of `n` partners named `Partner 0`..; and an activities CSV of `rows` activities
/// spread over them.
pub fn import_files(
    dir: &Path,
    partners: usize,
    rows: usize,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let p = dir.join("partners.csv");
    let mut s = String::from("name,kind,country\n");
    for i in 0..partners {
        s.push_str(&format!("Partner {i},university,SE\n"));
    }
    std::fs::write(&p, s).unwrap();
    let a = dir.join("activities.csv");
    let mut s = String::from("date,kind,title,partners,description\n");
    for i in 0..rows {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        s.push_str(&format!(
            "2025-{month:02}-{day:02},meeting,Meeting number {i},Partner {},Notes of meeting {i} with a few words\n",
            i % partners
        ));
    }
    std::fs::write(&a, s).unwrap();
    (p, a)
}

/// The number of activities in a workspace (opened and closed again).
pub fn activity_count(ws: &Path) -> usize {
    let s = open(ws);
    match s.handle(
        &editor(),
        spets::service::Request::Activities(spets::service::ActivityQuery {
            limit: 1,
            ..Default::default()
        }),
    ) {
        spets::service::Response::Activities(p) => p.total,
        other => panic!("{other:?}"),
    }
}
