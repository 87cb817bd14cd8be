//! The TUI when its terminal goes away: the real binary in a pseudo-terminal whose master is
//! closed (an SSH session dropping), under a wrapper that ignores SIGHUP, with a SIGTERM
//! arriving as the terminal drops, and started without a terminal at all. Each test checks the
//! exit status, the time from the drop to the exit, and the CPU time spent in between (read from
//! /proc/PID/stat while the process is a zombie, before it is reaped).
//!
//! The bounds are the (stop within 100 ms, under 50 ms of CPU between the drop and the
//! exit), with margins for a debug build on a loaded two-core machine: see [`EXIT_WITHIN`] and
//! [`CPU_WITHIN`]. Figures are printed (`--nocapture`). Waits are for conditions, with a deadline
//! that SPETS_TEST_TIMEOUT_SECS can stretch (default 20 s).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_spets");

/// From the drop to the exit: the 100 ms, times 10. The exit waits for the draft's
/// fsync, and on a loaded two-core machine a debug build's threads wait for a core; a spin or a
/// hang (the bugs this guards against) shows up as seconds, or as the 3 s last resort.
const EXIT_WITHIN: Duration = Duration::from_millis(1000);

/// CPU time from the drop to the exit: the 50 ms, plus one tick of /proc's 10 ms clock
/// (the reading before the drop may fall just before a tick). CPU time does not grow with the
/// machine's load the way wall time does; a spinning reader uses a whole core, so 60 ms of a
/// 1 s allowance would catch even a short spin.
const CPU_WITHIN: Duration = Duration::from_millis(60);

fn timeout() -> Duration {
    let secs = std::env::var("SPETS_TEST_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
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
        ])
        .arg("--db")
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

/// How spets is started in the pty.
#[derive(Clone, Copy)]
enum Start {
    /// Directly (it is the session leader and gets the kernel's SIGHUP).
    Plain,
    /// Through `sh -c "trap '' HUP; exec spets …"`: SIGHUP is ignored, only the tty tells.
    IgnoringSighup,
}

struct Session {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    pid: rustix::process::Pid,
    screen: Arc<Mutex<vt100::Parser>>,
    stop_reader: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(home: &Path, ws: &Path, how: Start) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = match how {
            Start::Plain => CommandBuilder::new(BIN),
            Start::IgnoringSighup => {
                let mut c = CommandBuilder::new("sh");
                c.args(["-c", "trap '' HUP; exec \"$0\" \"$@\"", BIN]);
                c
            }
        };
        cmd.args(["--lang", "en", "--db"]);
        cmd.arg(ws);
        for (k, v) in [
            ("HOME", home.to_path_buf()),
            ("XDG_CONFIG_HOME", home.join("config")),
            ("XDG_DATA_HOME", home.join("data")),
            ("XDG_STATE_HOME", home.join("state")),
        ] {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("LANG", "en_GB.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("SPETS_DB");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let pid = rustix::process::Pid::from_raw(child.process_id().unwrap() as i32).unwrap();
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
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                s2.lock().unwrap().process(&buf[..n]);
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
            }
        });
        Session {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            pid,
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

    fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    /// Open a new partner form and type a name into it; wait until spets shows it.
    fn type_a_partner(&mut self, name: &str) {
        self.send(b"a");
        self.wait_for("New partner");
        self.send(name.as_bytes());
        self.wait_for(name);
    }

    /// Get ready to drop the pty: stop the screen reader, which holds a handle on the master.
    /// A resize makes spets redraw, which wakes the reader's read.
    fn release_reader(&mut self) {
        self.stop_reader.store(true, Ordering::Relaxed);
        self.master
            .as_ref()
            .unwrap()
            .resize(PtySize {
                rows: 41,
                cols: 121,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        if let Some(h) = self.reader.take() {
            h.join().unwrap();
        }
    }

    /// Close every handle on the pty master, as sshd does when a connection drops. (The
    /// writer's drop sends a newline and ^D first: portable-pty's way to signal end of input.)
    fn drop_pty(&mut self) {
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

/// User plus system CPU time of a process (its threads included), in /proc's clock ticks.
fn cpu_time(pid: rustix::process::Pid) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_nonzero())).unwrap();
    // The command name may hold spaces: the fields after it start after the last ')'.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on Linux whatever the kernel's own tick.
    Duration::from_millis(ticks * 10)
}

/// Wait until the process has exited, without reaping it, so that its CPU time can still be
/// read. None if it is still running after `within`.
fn wait_exit(pid: rustix::process::Pid, within: Duration) -> Option<Instant> {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let fd = rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).unwrap();
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        let t = Timespec {
            tv_sec: i64::try_from(left.as_secs()).unwrap(),
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        match rustix::event::poll(&mut fds, Some(&t)) {
            Ok(0) => return None,
            Ok(_) => return Some(Instant::now()),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => panic!("poll on a pidfd: {e}"),
        }
    }
}

/// What a drop cost.
struct Exit {
    status: portable_pty::ExitStatus,
    took: Duration,
    cpu: Duration,
}

/// Drop the terminal (after `also`, if given, which runs right before) and measure the exit.
fn drop_and_measure(s: &mut Session, also: impl FnOnce(rustix::process::Pid)) -> Exit {
    s.release_reader();
    let cpu_before = cpu_time(s.pid);
    let dropped = Instant::now();
    also(s.pid);
    s.drop_pty();
    let exited = wait_exit(s.pid, timeout()).expect("spets still runs after its terminal went");
    let cpu = cpu_time(s.pid).saturating_sub(cpu_before);
    let status = s.child.wait().unwrap();
    Exit {
        status,
        took: exited - dropped,
        cpu,
    }
}

fn check_bounds(what: &str, e: &Exit) {
    println!(
        "{what}: exit status {}, {:.1} ms from the drop to the exit, {} ms of CPU",
        e.status.exit_code(),
        e.took.as_secs_f64() * 1e3,
        e.cpu.as_millis()
    );
    assert!(
        e.took <= EXIT_WITHIN,
        "{what}: {:?} from the drop to the exit",
        e.took
    );
    assert!(
        e.cpu <= CPU_WITHIN,
        "{what}: {:?} of CPU after the drop",
        e.cpu
    );
}

/// The draft kept for the workspace, as text (None when there is none).
fn draft_text(home: &Path) -> Option<String> {
    let dir: PathBuf = home.join("state").join("spets").join("drafts");
    let file = std::fs::read_dir(dir).ok()?.next()?.ok()?.path();
    std::fs::read(file)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[test]
fn a_dropped_terminal_ends_spets_at_once_and_keeps_the_open_form() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut s = Session::start(home.path(), &ws, Start::Plain);
    s.wait_for("20 partners");
    // The drop comes as soon as the typing shows: the draft is written on the way out.
    s.type_a_partner("Avbruten partner");
    let e = drop_and_measure(&mut s, |_| {});
    check_bounds("dropped pty", &e);
    // 128 + SIGHUP: no panic (101), no abort (a signal).
    assert_eq!(e.status.exit_code(), 129, "{:?}", e.status);
    assert!(
        draft_text(home.path()).is_some_and(|t| t.contains("Avbruten partner")),
        "the open form's draft was not kept"
    );
    // The workspace is free at once, and the next start offers the draft back.
    spets::store::Store::open(&ws).unwrap();
    let mut s = Session::start(home.path(), &ws, Start::Plain);
    s.wait_for("Restore it?");
    s.send(b"y");
    s.wait_for("New partner");
    s.wait_for("Avbruten partner");
}

#[test]
fn a_wrapper_that_ignores_sighup_does_not_keep_spets_running() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut s = Session::start(home.path(), &ws, Start::IgnoringSighup);
    s.wait_for("20 partners");
    // The wrapper's `trap '' HUP` reached spets: SIGHUP is ignored there.
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", s.pid.as_raw_nonzero())).unwrap();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .map(|m| u64::from_str_radix(m.trim(), 16).unwrap())
        .unwrap();
    assert_eq!(ignored & 1, 1, "SIGHUP is not ignored: {status}");
    s.type_a_partner("Ohörd partner");
    let e = drop_and_measure(&mut s, |_| {});
    check_bounds("dropped pty, SIGHUP ignored", &e);
    assert_eq!(e.status.exit_code(), 129, "{:?}", e.status);
    assert!(
        draft_text(home.path()).is_some_and(|t| t.contains("Ohörd partner")),
        "the open form's draft was not kept"
    );
}

#[test]
fn sigterm_as_the_terminal_drops() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    make_demo(home.path(), &ws);
    let mut s = Session::start(home.path(), &ws, Start::Plain);
    s.wait_for("20 partners");
    s.type_a_partner("Terminerad partner");
    let e = drop_and_measure(&mut s, |pid| {
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    });
    check_bounds("SIGTERM with the drop", &e);
    // Whichever spets noticed first: the signal (128 + 15) or the hang-up (128 + 1).
    assert!([129, 143].contains(&e.status.exit_code()), "{:?}", e.status);
    assert!(
        draft_text(home.path()).is_some_and(|t| t.contains("Terminerad partner")),
        "the open form's draft was not kept"
    );
}

/// Run `spets` (the TUI, no subcommand) with stdin from /dev/null and stdout and stderr to
/// pipes; returns (status, stdout, stderr, time to exit, CPU time).
fn without_a_tty(home: &Path, lang: &str) -> (i32, String, String, Duration, Duration) {
    let started = Instant::now();
    let child = std::process::Command::new(BIN)
        .arg("--db")
        .arg(home.join("ws"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SPETS_DB")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    let exited = wait_exit(pid, timeout()).expect("spets without a terminal did not exit");
    let cpu = cpu_time(pid);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        exited - started,
        cpu,
    )
}

#[test]
fn without_a_terminal_spets_says_what_works_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    for (lang, needs, works) in [
        ("en_GB.UTF-8", "needs a terminal", "work without one"),
        ("sv_SE.UTF-8", "behöver en terminal", "klarar sig utan"),
    ] {
        let (code, stdout, stderr, took, cpu) = without_a_tty(home.path(), lang);
        println!(
            "no terminal ({lang}): status {code}, {:.1} ms from start to exit, {} ms of CPU",
            took.as_secs_f64() * 1e3,
            cpu.as_millis()
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(needs) && stderr.contains(works), "{stderr}");
        for command in ["export", "import", "check", "backup"] {
            assert!(stderr.contains(command), "{command}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Start-up and a message: a whole start of the (debug) binary, well under a second of
        // CPU on any machine this runs on.
        assert!(cpu < Duration::from_secs(1), "{cpu:?}");
        assert!(took < timeout(), "{took:?}");
    }
    // Nothing was opened or created.
    assert!(!home.path().join("ws").exists());
}
