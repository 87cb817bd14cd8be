//! Files spets writes where the user says (`export -o`, `report -o`, `backup`) are replaced
//! atomically only when they are regular files. A symbolic link is followed: the file it points to
//! is replaced and the link stays. A named pipe or a device (`-o /dev/null`) is written to as it
//! is: before, the rename replaced the device node with a file (as root, `/dev/null` became a
//! regular file).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rustix::fs::{CWD, FileType, Mode, mknodat};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output};

fn spets(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("SPETS_DB")
        .env("LC_ALL", "en_GB.UTF-8")
        .output()
        .unwrap()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

fn workspace(home: &Path) -> String {
    let db = home.join("ws").display().to_string();
    ok(&spets(
        home,
        &[
            "demo",
            "--db",
            &db,
            "--partners",
            "12",
            "--activities",
            "50",
        ],
    ));
    db
}

/// Names in `dir`, sorted (temporary files would show here).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_export_through_a_symbolic_link_replaces_the_file_and_keeps_the_link() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    let real_dir = home.path().join("real");
    let link_dir = home.path().join("links");
    std::fs::create_dir_all(&real_dir).unwrap();
    std::fs::create_dir_all(&link_dir).unwrap();
    let real = real_dir.join("partners.csv");
    std::fs::write(&real, "old").unwrap();
    let link = link_dir.join("partners.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ok(&spets(
        home.path(),
        &[
            "export",
            "partners",
            "--db",
            &db,
            "-o",
            &link.display().to_string(),
        ],
    ));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("ID") && text.lines().count() > 10, "{text}");
    assert_eq!(names(&link_dir), ["partners.csv"]);
    assert_eq!(names(&real_dir), ["partners.csv"]);
    // A dangling link: the file is made where it points.
    let gone = real_dir.join("new.csv");
    let dangling = link_dir.join("new.csv");
    std::os::unix::fs::symlink(&gone, &dangling).unwrap();
    ok(&spets(
        home.path(),
        &[
            "export",
            "partners",
            "--db",
            &db,
            "-o",
            &dangling.display().to_string(),
        ],
    ));
    assert!(std::fs::read_to_string(&gone).unwrap().contains("ID"));
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_export_to_a_named_pipe_writes_into_it_and_leaves_it_a_pipe() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    let fifo = home.path().join("pipe");
    mknodat(CWD, &fifo, FileType::Fifo, Mode::from_raw_mode(0o600), 0).unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    ok(&spets(
        home.path(),
        &[
            "export",
            "partners",
            "--db",
            &db,
            "-o",
            &fifo.display().to_string(),
        ],
    ));
    // Checked before waiting for the reader, which would wait forever on a pipe renamed over.
    let t = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(t.is_fifo(), "still a named pipe");
    let text = reader.join().unwrap();
    assert!(text.contains("ID") && text.lines().count() > 10, "{text}");
    assert_eq!(
        names(home.path())
            .iter()
            .filter(|n| n.ends_with(".tmp"))
            .count(),
        0
    );
}

#[test]
fn an_export_to_dev_null_leaves_the_device_alone() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    ok(&spets(
        home.path(),
        &["export", "partners", "--db", &db, "-o", "/dev/null"],
    ));
    let t = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(t.is_char_device(), "/dev/null is still a device");
}

#[test]
fn a_backup_through_a_link_or_into_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.bin");
    let link = dir.path().join("link.bin");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    spets::store::backup::write_atomic(&link, b"first").unwrap();
    assert_eq!(std::fs::read(&real).unwrap(), b"first");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let fifo = dir.path().join("pipe");
    mknodat(CWD, &fifo, FileType::Fifo, Mode::from_raw_mode(0o600), 0).unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    spets::store::backup::write_atomic(&fifo, b"through the pipe").unwrap();
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(reader.join().unwrap(), b"through the pipe");
    let err = spets::store::backup::write_atomic(dir.path(), b"x").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::IsADirectory);
}
