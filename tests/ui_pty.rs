//! End-to-end: the real `spets` binary in a pseudo-terminal at 120x40, read through a vt100
//! parser. Timeouts are generous and tunable with SPETS_TEST_TIMEOUT_SECS (default 20).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod language_support;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_spets");

fn timeout() -> Duration {
    let secs = std::env::var("SPETS_TEST_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

fn env_for(cmd: &mut CommandBuilder, home: &Path) {
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd.env("LANG", "en_GB.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("SPETS_DB");
}

fn make_demo(home: &Path, ws: &Path) {
    let out = std::process::Command::new(BIN)
        .args([
            "demo",
            "--partners",
            "20",
            "--activities",
            "200",
            "--notes",
            "30",
            "--db",
        ])
        .arg(ws)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Session {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    stop_reader: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(home: &Path, ws: &Path) -> Session {
        Session::start_in(home, ws, "en")
    }

    /// The binary with `--lang LANG`.
    fn start_in(home: &Path, ws: &Path, lang: &str) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--lang", lang, "--db"]);
        cmd.arg(ws);
        env_for(&mut cmd, home);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let stop_reader = Arc::new(AtomicBool::new(false));
        let (s2, stop2) = (Arc::clone(&screen), Arc::clone(&stop_reader));
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => s2.lock().unwrap().process(&buf[..n]),
                }
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
            }
        });
        Session {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            screen,
            stop_reader,
            reader: Some(handle),
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
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + timeout();
        while Instant::now() < deadline {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?} to go; screen:\n{}",
            self.contents()
        );
    }
    fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    fn wait_exit(&mut self, within: Duration) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(st) = self.child.try_wait().unwrap() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Close every handle on the pty master, as when an SSH connection drops.
    fn close_pty(&mut self) {
        // The reader thread holds a handle too: stop it after one more read (a key makes the app
        // redraw, which wakes the read).
        self.stop_reader.store(true, Ordering::Relaxed);
        self.send(b"j");
        if let Some(h) = self.reader.take() {
            h.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

#[test]
fn a_small_flow_in_a_real_terminal() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let checkpoint = ws.join("model.checkpoint");
    std::fs::remove_file(&checkpoint).unwrap();
    let mut s = Session::start(home.path(), &ws);
    s.wait_for("1 Partners");
    s.wait_for("20 partners");
    // Add a partner.
    s.send(b"a");
    s.wait_for("New partner");
    s.send("Högskolan i Pty".as_bytes());
    s.send(b"\t\t\t");
    s.send(b"SE");
    s.send(b"\x13"); // Ctrl-s
    s.wait_for("21 partners");
    s.wait_for("Högskolan i Pty");
    // Timeline, then the language, then quit.
    s.send(b"2");
    s.wait_for("Activities per month");
    s.send(b"L");
    s.wait_for("Aktiviteter per månad");
    s.send(b"q");
    let st = s.wait_exit(timeout()).expect("spets did not exit after q");
    assert!(st.success(), "{st:?}");
    // Quitting leaves the model checkpoint for a quick next open, and it holds the new partner.
    assert!(checkpoint.exists(), "quitting writes model.checkpoint");
    let out = std::process::Command::new(BIN)
        .args(["export", "partners", "--dialect", "rfc4180", "--db"])
        .arg(&ws)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Högskolan i Pty"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn closing_the_terminal_ends_spets_promptly() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut s = Session::start(home.path(), &ws);
    s.wait_for("20 partners");
    let closed = Instant::now();
    s.close_pty();
    let st = s.wait_exit(timeout());
    assert!(st.is_some(), "spets still runs after its pty was closed");
    // The app exits within a second; allow slack for a loaded CI machine.
    assert!(
        closed.elapsed() < Duration::from_secs(5),
        "{:?}",
        closed.elapsed()
    );
    // The workspace is not left locked: it opens again at once.
    spets::store::Store::open(&ws).unwrap();
}

#[test]
fn sigterm_ends_spets_promptly() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut s = Session::start(home.path(), &ws);
    s.wait_for("20 partners");
    let pid = s.child.process_id().unwrap();
    let sent = Instant::now();
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid as i32).unwrap(),
        rustix::process::Signal::TERM,
    )
    .unwrap();
    assert!(s.wait_exit(timeout()).is_some(), "spets ignored SIGTERM");
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn keymap_check_and_show_from_the_command_line() {
    let bad = std::process::Command::new(BIN)
        .args(["keymap", "check", "tests/fixtures/keymaps/duplicate.toml"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("duplicate.toml:7:6"), "{err}");
    let good = std::process::Command::new(BIN)
        .args(["keymap", "check", "keymaps/vim.toml"])
        .output()
        .unwrap();
    assert!(good.status.success());
    let show = std::process::Command::new(BIN)
        .args(["keymap", "show", "--preset", "emacs", "--lang", "sv"])
        .output()
        .unwrap();
    assert!(show.status.success());
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(
        out.contains("SAMMANHANG") && out.contains("<C-x> <C-q>"),
        "{out}"
    );
}

#[test]
fn first_run_on_a_new_workspace_teaches() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("new").join("ws");
    let mut s = Session::start(home.path(), &ws);
    s.wait_for("No partners yet");
    s.wait_for("press D to load sample data");
    s.wait_for("Import CSV… in the menu");
    // D loads the demo data into the empty workspace, through the service.
    s.send(b"D");
    s.wait_for("Demo data loaded: 40 partners, 800 activities, 120 notes");
    s.wait_for("40 partners ·");
    s.send(b"q");
    let st = s.wait_exit(timeout()).expect("spets did not exit after q");
    assert!(st.success(), "{st:?}");
}

/// The whole flow of the issue in the real binary: add a partner, an activity for it, score two
/// values, write a note with an action item, quit, reopen: everything is there.
#[test]
fn the_whole_flow_in_a_real_terminal() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    {
        let mut s = Session::start(home.path(), &ws);
        s.wait_for("1 Partners");
        // A partner.
        s.send(b"a");
        s.wait_for("New partner");
        s.send("Universität Zürich".as_bytes());
        s.send(b"\t\t\t");
        s.send(b"CH");
        s.send(b"\x13");
        s.wait_for("1 partner ·");
        // An activity for it on the timeline: title, partners, date.
        s.send(b"2");
        s.send(b"a");
        s.wait_for("New activity");
        s.send(b"Kick-off workshop\t");
        s.send("Universität".as_bytes());
        s.send(b"\t");
        s.send(&[0x7f; 10]);
        s.send(b"2026-12-03");
        s.send(b"\x13");
        s.wait_for("1 activity ·");
        // Two scores in the value matrix: Quality 3, then Impact 4.
        s.send(b"3");
        s.wait_for("latest scores");
        for (moves, score) in [(0, 3), (2, 4)] {
            for _ in 0..moves {
                s.send(b"l");
            }
            s.send(b"\r");
            s.wait_for("Evidence");
            for _ in 0..score {
                s.send(b"\x1b[C"); // Right
            }
            s.send(b"\t\t");
            s.send(b"Joint lab");
            s.send(b"\x13");
            s.wait_gone("Evidence");
        }
        // A meeting note with an action item: title, partners, then the action (Ctrl-t).
        s.send(b"4");
        s.send(b"a");
        s.wait_for("New meeting note");
        s.send(b"Steering group\t");
        s.send("Universität".as_bytes());
        s.send(b"\x14"); // Ctrl-t: add an action item
        s.send(b"Send the draft agreement");
        s.send(b"\x13");
        s.wait_for("1 note ·");
        s.send(b"q");
        let st = s.wait_exit(timeout()).expect("spets did not exit after q");
        assert!(st.success(), "{st:?}");
    }
    // Reopen in the real binary: the partner is there.
    {
        let mut s = Session::start(home.path(), &ws);
        s.wait_for("Universität Zürich");
        s.send(b"q");
        s.wait_exit(timeout()).expect("spets did not exit after q");
    }
    // And every record, read through the service.
    use spets::service::*;
    let svc = spets::service::Service::open(&ws).unwrap();
    let who = Identity {
        user: "t".into(),
        role: Role::Admin,
    };
    let Response::Stats(st) = svc.handle(&who, Request::Stats) else {
        panic!()
    };
    assert_eq!(
        (st.partners, st.activities, st.assessments, st.notes),
        (1, 1, 2, 1)
    );
    let Response::Matrix(m) = svc.handle(&who, Request::Matrix(MatrixQuery::default())) else {
        panic!()
    };
    let scores: Vec<Option<u8>> = m.rows.items[0]
        .scores
        .iter()
        .map(|c| c.map(|c| c.score))
        .collect();
    assert_eq!(scores, [Some(3), None, Some(4), None, None, None]);
    let Response::Notes(n) = svc.handle(&who, Request::Notes(NoteQuery::default())) else {
        panic!()
    };
    assert_eq!(n.items[0].data.actions[0].text, "Send the draft agreement");
    let Response::Activities(a) = svc.handle(&who, Request::Activities(ActivityQuery::default()))
    else {
        panic!()
    };
    assert_eq!(a.items[0].data.title, "Kick-off workshop");
    assert_eq!(a.items[0].data.date.to_string(), "2026-12-03");
}

/// A form with unsaved input survives a kill: the draft (kept privately under
/// XDG_STATE_HOME, owner-only, not in the workspace) is offered back at the next start.
#[test]
fn a_draft_comes_back_after_the_process_is_killed() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let drafts = home.path().join("state").join("spets").join("drafts");
    {
        let mut s = Session::start(home.path(), &ws);
        s.wait_for("20 partners");
        s.send(b"a");
        s.wait_for("New partner");
        s.send("Halvfärdig partner".as_bytes());
        s.wait_for("Halvfärdig partner");
        // Wait until the draft is on disk, then kill without warning.
        let deadline = Instant::now() + timeout();
        let file = loop {
            let found = std::fs::read_dir(&drafts)
                .ok()
                .and_then(|mut d| d.next())
                .and_then(Result::ok)
                .map(|e| e.path());
            if let Some(f) = found
                && std::fs::read(&f).is_ok_and(|b| {
                    b.windows("partner".len()).any(|w| w == b"partner")
                        && String::from_utf8_lossy(&b).contains("Halvfärdig partner")
                })
            {
                break f;
            }
            assert!(Instant::now() < deadline, "no draft was written");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(&drafts).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert!(!file.starts_with(&ws), "drafts stay out of the workspace");
        s.child.kill().unwrap();
        s.wait_exit(timeout()).expect("killed");
    }
    let mut s = Session::start(home.path(), &ws);
    s.wait_for("Restore it?");
    s.send(b"y");
    s.wait_for("New partner");
    s.wait_for("Halvfärdig partner");
    // Discarding it (Esc, then yes) drops the draft for good.
    s.send(b"\x1b");
    s.wait_for("Discard the unsaved input?");
    s.send(b"y");
    s.wait_gone("New partner");
    s.send(b"q");
    s.wait_exit(timeout()).expect("spets did not exit after q");
    let left = std::fs::read_dir(&drafts).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "the discarded draft is gone");
}

#[test]
fn keymap_check_warns_about_bindings_that_shadow_editing_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.toml");
    std::fs::write(
        &file,
        "[[forms]]\non = [\"<C-a>\"]\nrun = \"save\"\n\n[[forms]]\non = [\"<C-o>\"]\nrun = \"add_row\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(BIN)
        .args(["keymap", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: [forms] <C-a> = save"), "{err}");
    assert!(!err.contains("<C-o>"), "{err}");
    // The presets shadow nothing in forms and the editor.
    for p in ["default", "vim", "emacs"] {
        let map = spets::keymap::Keymap::preset(p).unwrap();
        let own: Vec<(spets::keymap::Context, String)> = [
            spets::keymap::Context::Forms,
            spets::keymap::Context::Editor,
        ]
        .iter()
        .flat_map(|c| map.bindings(*c).into_iter().map(move |(k, _)| (*c, k)))
        .collect();
        let w = spets::keymap::shadowed_editing_keys(&map, Some(&own));
        assert!(w.is_empty(), "{p}: {w:?}");
    }
}

/// Every pane, the detail view, help, the menu, the palette and the export dialog, in a real
/// terminal, in each language: no word of the other language on any of these screens.
#[test]
fn every_screen_in_a_real_terminal_speaks_one_language() {
    use spets::i18n::Lang;
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut data = language_support::demo_words();
    data.extend(language_support::typed_names());
    for (lang, code, first, second) in [
        (Lang::En, "en", "Partners", "Activities per month"),
        (Lang::Sv, "sv", "Partner", "Aktiviteter per månad"),
    ] {
        let mut s = Session::start_in(home.path(), &ws, code);
        s.wait_for(first);
        s.wait_for("20 partner");
        let check = |s: &Session, what: &str| {
            language_support::assert_one_language(lang, what, &s.contents(), &data);
        };
        let sv = lang == Lang::Sv;
        let t = |en: &'static str, sv_text: &'static str| if sv { sv_text } else { en };
        check(&s, "partners");
        s.send(b"\r");
        s.wait_for(t("Strategic profile", "Strategisk profil"));
        check(&s, "detail");
        s.send(b"\x1b");
        s.wait_for(t("sorted by", "sorterat på"));
        s.send(b"2");
        s.wait_for(second);
        check(&s, "timeline");
        s.send(b"3");
        s.wait_for(t("Mean", "Medel"));
        check(&s, "matrix");
        s.send(b"4");
        s.wait_for(t("My open action items", "Mina öppna åtgärdspunkter"));
        check(&s, "notes");
        s.send(b"?");
        s.wait_for(t("Keys for this view", "Tangenter för denna vy"));
        check(&s, "help");
        s.send(b"\x1b");
        s.wait_gone(t("Keys for this view", "Tangenter för denna vy"));
        s.send(b"\x1b[21~"); // F10: the menu
        s.wait_for(t("Keys and help", "Tangenter och hjälp"));
        check(&s, "menu");
        s.send(b"\r"); // Export CSV…
        s.wait_for(t("next field", "nästa fält"));
        check(&s, "export dialog");
        s.send(b"\x1b");
        s.wait_gone(t("next field", "nästa fält"));
        s.send(b"q");
        s.wait_exit(timeout()).expect("spets did not exit after q");
    }
}
