//! One language at a time, everywhere: no English word in Swedish text and no Swedish word in
//! English text, in every UI snapshot, every text of the catalogue and of the typed reasons, and
//! the output of every command-line command (help, errors, demo, check, backup, restore, export,
//! import, keymap check and show). (The pty flows run the same check in `tests/ui_pty.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod language_support;

use language_support::{assert_one_language, demo_words};
use spets::domain::{EntityKind, Id};
use spets::i18n::Lang;
use spets::service::{Denied, Failure, IoKind, Refusal, Role};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

const LANGS: [Lang; 2] = [Lang::En, Lang::Sv];

/// Words the UI tests add to the demo data.
fn data() -> HashSet<String> {
    let mut d = demo_words();
    for w in [
        "friends",
        "of",
        "växjö",
        "museum",
        "mine",
        "elsewhere",
        "b",
        "bo",
        "ek",
        "anna",
        "lind",
        "workspace",
        // Reasons typed in the life-cycle tests.
        "rektors",
        "beslut",
        "ny",
        "inriktning",
    ] {
        d.insert(w.to_string());
    }
    d
}

#[test]
fn every_snapshot_speaks_its_language() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let data = data();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".snap") {
            continue;
        }
        let lang = if name.contains("_sv") {
            Lang::Sv
        } else if name.contains("_en") {
            Lang::En
        } else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        // The screen, without insta's header.
        let screen = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
        assert_one_language(lang, &name, screen, &data);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} snapshots");
}

#[test]
fn the_catalogue_and_every_reason_speak_their_language() {
    use spets::i18n::catalogue::{self as cat, Msg};
    let none = HashSet::new();
    for lang in LANGS {
        for m in Msg::ALL {
            assert_one_language(lang, &format!("{m:?}"), m.text(lang), &none);
        }
        for l in spets::i18n::vocab::all_labels(lang) {
            assert_one_language(lang, "label", l, &none);
        }
        let failures = [
            Failure::InUse { path: "/w".into() },
            Failure::Io {
                path: "/w".into(),
                kind: IoKind::PermissionDenied,
            },
            Failure::Database,
            Failure::Corrupt {
                tree: "partner".into(),
                key: "7".into(),
            },
            Failure::NewerSchema {
                path: "/w".into(),
                found: 9,
                supported: 3,
            },
            Failure::IdInUse {
                kind: EntityKind::Partner,
                id: Id(1),
            },
            Failure::Unavailable { path: "/w".into() },
            Failure::NotWritten,
            Failure::TooLarge { size: 9, max: 1 },
            Failure::NotEmpty {
                path: "/w".into(),
                partners: 4,
            },
            Failure::Internal,
            Failure::NotAnswering {
                socket: "/s".into(),
            },
            Failure::ConnectionLost,
            Failure::NoAnswerInTime,
            Failure::ShuttingDown,
        ];
        for f in &failures {
            let t = spets::i18n::reasons::failure(lang, f);
            assert_one_language(lang, &format!("{f:?}"), &t, &none);
        }
        for d in [
            Denied::ReadOnly,
            Denied::PurgeNeedsAdmin,
            Denied::AuditNeedsAdmin,
            Denied::AdminOnly,
        ] {
            for r in [Role::Viewer, Role::Editor] {
                let t = spets::i18n::reasons::denied(lang, d, r);
                assert_one_language(lang, &format!("{d:?}"), &t, &none);
                assert!(!t.contains(&format!("{d:?}")), "{t}");
            }
        }
        for r in [
            Refusal::NotSpets,
            Refusal::ClientOlder {
                server_version: "9.0.0".into(),
            },
            Refusal::ServerOlder {
                server_version: "0.0.1".into(),
            },
            Refusal::NotInGroup {
                user: "bo".into(),
                owner: "spetsd".into(),
                group: Some("spets".into()),
            },
            Refusal::NoAccessEntry {
                user: "bo".into(),
                file: "/etc/spets/access.toml".into(),
            },
            Refusal::AccessFileUnreadable {
                file: "/etc/spets/access.toml".into(),
                kind: IoKind::NotFound,
            },
            Refusal::AccessFileInvalid {
                file: "/etc/spets/access.toml".into(),
            },
        ] {
            let t = spets::i18n::reasons::refusal(lang, "/run/spets/spets.sock", &r);
            assert_one_language(lang, &format!("{r:?}"), &t, &none);
        }
        for k in [
            IoKind::NotFound,
            IoKind::PermissionDenied,
            IoKind::StorageFull,
            IoKind::ReadOnly,
            IoKind::IsADirectory,
            IoKind::AlreadyExists,
            IoKind::Other(Some(5)),
            IoKind::Other(None),
        ] {
            assert_one_language(lang, "io", &spets::i18n::reasons::io(lang, k), &none);
        }
        let phrases = [
            cat::form_hint(lang, "Tab", "Ctrl-s", "Esc"),
            cat::empty_partners_add(lang, "a"),
            cat::empty_partners_demo(lang, "D"),
            cat::empty_partners_import(lang, "F10"),
            cat::no_matches(lang, "Esc"),
            cat::empty_timeline(lang, "a"),
            cat::empty_notes(lang, "a"),
            cat::empty_matrix(lang, "1"),
            cat::too_small_hint(lang, "q"),
            cat::confirm_keys(lang, "y", "n"),
            cat::help_intro(lang, "Esc"),
            cat::conflict_by(lang, "bo", "2026-11-28 kl. 09.05"),
            cat::conflict_keys(lang, "d", "r", "o", "n"),
            cat::transfer_keys(lang, "Tab", "Ctrl-s", "Esc", true),
            cat::transfer_keys(lang, "Tab", "Ctrl-s", "Esc", false),
            cat::export_done(lang, 3, "/x.csv"),
            cat::import_done(lang, 3, cat::Noun::Partner, 1),
            cat::import_checked(lang, 3, 2),
            spets::i18n::messages::demo_written(lang, "/w", 1.5, &[1, 2, 3, 4, 5, 6]),
            spets::i18n::messages::backup_written(lang, "/b", 3, 2, 100, 7),
            spets::i18n::messages::restored(lang, 3, "/b", "/w"),
            spets::i18n::messages::problems_found(lang, 2, "/w"),
            spets::i18n::messages::keymap_problems(lang, 2, "k.toml"),
            spets::i18n::messages::exported(lang, 2, "/x.csv"),
            spets::i18n::integrity::damaged_notice(lang, 2),
        ];
        for p in &phrases {
            assert_one_language(lang, "phrase", p, &none);
        }
    }
}

fn spets(home: &Path, lang: Lang, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(args)
        .args(["--lang", lang.key()])
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("SPETS_SYSTEM_CONFIG", home.join("none.toml"))
        .env_remove("SPETS_DB")
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap()
}

/// Every command's output (standard output and error), in both languages.
#[test]
fn every_command_speaks_its_language() {
    let data = data();
    for lang in LANGS {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let ws = h.join("ws");
        let w = ws.to_str().unwrap();
        let bak = h.join("b.spetsbak");
        let b = bak.to_str().unwrap();
        let bad_csv = h.join("bad.csv");
        std::fs::write(&bad_csv, "name,kind,country\nX,Skola,XX\n,university,SE\n").unwrap();
        let bad_keys = h.join("keys.toml");
        std::fs::write(&bad_keys, "[[global]]\non = [\"<C-c>\"]\nrun = \"qiut\"\n").unwrap();
        let good_keys = h.join("good.toml");
        std::fs::write(&good_keys, "[[forms]]\non = [\"<C-a>\"]\nrun = \"save\"\n").unwrap();
        let out_csv = h.join("p.csv");
        let restored = h.join("restored");
        let runs: Vec<Vec<&str>> = vec![
            vec!["--help"],
            vec!["demo", "--help"],
            vec!["check", "--help"],
            vec!["export", "--help"],
            vec!["import", "--help"],
            vec!["serve", "--help"],
            vec!["keymap", "--help"],
            vec!["keymap", "show", "--help"],
            vec!["completions", "--help"],
            vec!["bakup"],
            vec!["backup"],
            vec!["export", "partnerz", "--db", w],
            vec!["check", "--db", w],
            vec![
                "demo",
                "--db",
                w,
                "--partners",
                "6",
                "--activities",
                "30",
                "--notes",
                "4",
            ],
            vec!["demo", "--db", w],
            vec!["check", "--db", w],
            vec!["backup", b, "--db", w],
            vec!["restore", b, "--db", restored.to_str().unwrap()],
            vec!["restore", b, "--db", w],
            vec![
                "export",
                "partners",
                "--db",
                w,
                "-o",
                out_csv.to_str().unwrap(),
            ],
            vec!["export", "partners", "--db", w, "--filter", "phase=nope"],
            vec!["export", "partners", "--db", w, "--filter", "fas=x"],
            vec!["export", "audit", "--db", w, "-o", "/nonexistent/x.csv"],
            vec![
                "import",
                "partners",
                bad_csv.to_str().unwrap(),
                "--db",
                w,
                "--dry-run",
            ],
            vec!["import", "partners", "/nonexistent.csv", "--db", w],
            vec!["keymap", "check", bad_keys.to_str().unwrap()],
            vec!["keymap", "check", good_keys.to_str().unwrap()],
            vec!["keymap", "show", "--preset", "nope"],
            vec!["--connect", "/nonexistent/spets.sock", "check"],
            vec!["serve", "--socket", "/nonexistent/s.sock"],
            vec![
                "serve",
                "--db",
                w,
                "--socket",
                "/nonexistent/s.sock",
                "--group",
                "no-such-grp",
            ],
        ];
        for args in runs {
            let o = spets(h, lang, &args);
            let text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!text.trim().is_empty(), "{args:?} said nothing");
            let mut data = data.clone();
            data.extend(language_support::typed_names());
            // The check lists tree names, which are data.
            for t in [
                "partner",
                "agreement",
                "contact",
                "activity",
                "assessment",
                "note",
                "audit",
            ] {
                data.insert(t.to_string());
            }
            assert_one_language(lang, &args.join(" "), &text, &data);
            if lang == Lang::Sv {
                assert!(!text.contains("error:"), "{args:?}: {text}");
            }
        }
        // The CSV itself: headers and enumerated values in the language.
        let csv = std::fs::read_to_string(&out_csv).unwrap();
        let header = csv.lines().next().unwrap();
        assert_one_language(lang, "CSV header", header, &HashSet::new());
    }
}

#[test]
fn the_detector_finds_foreign_words() {
    use language_support::foreign;
    let none = HashSet::new();
    assert_eq!(
        foreign(Lang::Sv, "fel: the file cannot be read (error)", &none),
        ["cannot", "error", "file", "read", "the"]
    );
    assert_eq!(
        foreign(Lang::Sv, "Fas: start_up (AdminOnly)", &none),
        ["start_up"]
    );
    assert_eq!(
        foreign(Lang::En, "1 rader lästa, 1 giltiga", &none),
        ["giltiga", "lästa", "rader"]
    );
    // What users type, data and proper nouns are not interface text.
    assert!(
        foreign(
            Lang::Sv,
            "kör `spets check --repair` för \"the file\" i Excel",
            &none
        )
        .is_empty()
    );
    let data: HashSet<String> = ["common".to_string(), "research".to_string()].into();
    assert!(foreign(Lang::Sv, "Mål: Common research", &data).is_empty());
}

/// Placeholders in Swedish help are Swedish, for every argument of every command.
#[test]
fn every_placeholder_is_swedish() {
    let home = tempfile::tempdir().unwrap();
    for cmd in [
        "demo",
        "bench",
        "export",
        "import",
        "serve",
        "backup",
        "restore",
        "completions",
    ] {
        let o = spets(home.path(), Lang::Sv, &[cmd, "--help"]);
        let help = String::from_utf8_lossy(&o.stdout);
        for english in [
            "<PARTNERS>",
            "<ACTIVITIES>",
            "<NOTES>",
            "<SEED>",
            "<CLIENTS>",
            "<EDITS>",
            "<FILE>",
            "<DIR>",
            "<PATH>",
            "<NAME>",
            "<SHELL>",
            "<DATASET>",
            "<WHAT>",
            "[OPTIONS]",
            "[default:",
            "[possible values:",
            "Usage:",
            "Options:",
        ] {
            assert!(
                !help.contains(english),
                "spets {cmd} --help: {english}\n{help}"
            );
        }
    }
}
