//! A full disk: a save that fails is never visible to anyone and sends no change event; read-only
//! commands work on the full disk; once space is free, the next save succeeds without a restart.
//! On a real filesystem: a small tmpfs, mounted by the test (root only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::client::{Client, Remote};
use spets::domain::*;
use spets::service::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `mb` MiB mounted on a temporary directory, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mb: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount(8) must be installed");
        assert!(status.success(), "mounting a tmpfs needs root");
        SmallDisk { dir }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    /// Fill the disk to the last byte with a file; returns its path.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        for chunk in [1 << 20, 4096, 1] {
            let buf = vec![0u8; chunk];
            while f.write_all(&buf).is_ok() {}
        }
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn note(partner: Id, title: &str) -> AnyData {
    AnyData::Note(Note {
        partners: vec![partner],
        date: d("2026-11-20"),
        title: title.into(),
        kind: MeetingKind::SteeringGroup,
        attendees: vec!["Anna".into()],
        body: "Minutes. ".repeat(10_000),
        decisions: vec![],
        actions: vec![],
    })
}

fn titles(c: &dyn Client) -> Vec<String> {
    match c.call(Request::Notes(NoteQuery::default())) {
        Response::Notes(p) => p.items.into_iter().map(|n| n.data.title).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
#[ignore = "needs root to mount a small tmpfs (.ci/run runs it)"]
fn a_failed_save_on_a_full_disk_is_never_visible_and_the_next_save_after_freeing_space_works() {
    let disk = SmallDisk::mount(48);
    let ws = disk.path().join("ws");
    let elsewhere = tempfile::tempdir().unwrap();
    let sock = elsewhere.path().join("run/spets.sock");
    let pid = {
        let s = open(&ws);
        create(&s, &editor(), AnyData::Partner(partner("Chalmers", "SE"))).0
    };
    let _d = Daemon::start(&ws, &sock);
    let a = Remote::connect(&sock).unwrap();
    let b = Remote::connect(&sock).unwrap();
    let events = b.subscribe();
    let filler = disk.fill();

    // Saves fail once the disk is full (sled keeps a little in memory first).
    let mut failed = None;
    for i in 0..200 {
        let title = format!("Steering group {i}");
        match a.call(Request::Create(note(pid, &title))) {
            Response::Saved { .. } => {}
            Response::Failed(f) => {
                failed = Some((
                    title,
                    spets::i18n::reasons::failure(spets::i18n::Lang::En, &f),
                ));
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    let (title, message) = failed.expect("a save on a full disk failed");
    assert!(
        message.contains("could not be written to disk") || message.contains("cannot be used"),
        "{message}"
    );
    // Nobody sees it, in any answer.
    assert!(!titles(&b).contains(&title));
    assert!(!titles(&a).contains(&title));
    // Read-only commands work while the disk is full (writing their files elsewhere).
    let s = sock.to_str().unwrap();
    let out = spets(&["check", "--connect", s]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = elsewhere.path().join("notes.csv");
    let out = spets(&[
        "export",
        "notes",
        "--connect",
        s,
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!std::fs::read_to_string(&csv).unwrap().contains(&title));
    let bak = elsewhere.path().join("ws.spetsbak");
    let out = spets(&["backup", bak.to_str().unwrap(), "--connect", s]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Space is freed: the next save goes through, without a restart, and is announced; the
    // failed one never was.
    std::fs::remove_file(filler).unwrap();
    let mut saved = None;
    wait_for("a save to succeed after space was freed", || {
        match a.call(Request::Create(note(pid, "After the cleanup"))) {
            Response::Saved { id, .. } => {
                saved = Some(id);
                true
            }
            _ => false,
        }
    });
    // Every event B received up to the new save's names a note that exists and is not the one
    // that failed: the failed save was never announced.
    let saved = saved.unwrap();
    loop {
        let e = events.recv_timeout(timeout()).unwrap();
        match b.call(Request::Get {
            kind: e.kind,
            id: e.id,
        }) {
            Response::Record(AnyRecord::Note(n)) => assert_ne!(n.data.title, title, "{e:?}"),
            other => panic!("an event for {e:?}, which reads as {other:?}"),
        }
        if e.id == saved {
            break;
        }
    }
    assert!(titles(&b).contains(&"After the cleanup".to_string()));
    assert!(!titles(&b).contains(&title));
}

#[test]
#[ignore = "needs root to mount a small tmpfs (.ci/run runs it)"]
fn read_only_commands_work_on_a_workspace_whose_disk_is_full() {
    let disk = SmallDisk::mount(24);
    let ws = disk.path().join("ws");
    {
        let s = open(&ws);
        let (p, _) = create(&s, &editor(), AnyData::Partner(partner("KTH", "SE")));
        create(
            &s,
            &editor(),
            AnyData::Activity(activity(p, "2026-10-01", "Visit")),
        );
    }
    let _filler = disk.fill();
    let w = ws.to_str().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = spets(&["check", "--db", w]);
    assert!(out.status.success(), "check: {}", text(&out.stderr));
    let out = spets(&["export", "activities", "--db", w, "--dialect", "rfc4180"]);
    assert!(out.status.success(), "export: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Visit"));
    let bak = elsewhere.path().join("ws.spetsbak");
    let out = spets(&["backup", bak.to_str().unwrap(), "--db", w]);
    assert!(out.status.success(), "backup: {}", text(&out.stderr));
    let restored = elsewhere.path().join("restored");
    let out = spets(&[
        "restore",
        bak.to_str().unwrap(),
        "--db",
        restored.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "restore: {}", text(&out.stderr));
}

#[test]
#[ignore = "needs root to mount a small tmpfs (.ci/run runs it)"]
fn an_import_on_a_full_disk_keeps_none_of_its_rows() {
    let disk = SmallDisk::mount(40);
    let ws = disk.path().join("ws");
    let files = tempfile::tempdir().unwrap();
    let (partners, activities) = import_files(files.path(), 10, 20_000);
    let w = ws.to_str().unwrap();
    let out = spets(&["import", "partners", partners.to_str().unwrap(), "--db", w]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = activity_count(&ws);
    // Leave a little room: the import starts, and runs out of space on the way.
    let filler = disk.fill();
    {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap();
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(2 << 20)).unwrap();
    }
    let out = spets(&[
        "import",
        "activities",
        activities.to_str().unwrap(),
        "--db",
        w,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("nothing"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(activity_count(&ws), before);
    let out = spets(&["check", "--db", w]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = spets(&[
        "import",
        "activities",
        activities.to_str().unwrap(),
        "--db",
        w,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(activity_count(&ws), before + 20_000);
}
