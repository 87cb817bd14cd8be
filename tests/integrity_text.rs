//! User text never reaches a terminal unsanitised, the command line's included: escape sequences
//! in a CSV cell, a file name or a keymap file print as visible text. Text is cleaned of every
//! default-ignorable code point on save, so look-alike duplicates are caught.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::domain::*;
use spets::service::*;

/// Clear screen, an OSC 52 clipboard write, an OSC 8 link, a window title, a C1 CSI.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;https://evil.example\u{1b}\\\u{1b}]0;pwned\u{7}\u{9b}31m";

fn assert_harmless(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.iter().any(|b| *b == 0x1b || *b == 0x07),
        "{what} printed a raw control character: {:?}",
        text(bytes)
    );
    assert!(!text(bytes).contains('\u{9b}'), "{what}: raw CSI");
}

#[test]
fn escape_sequences_from_user_data_print_as_visible_text() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let w = ws.to_str().unwrap();

    // An import report quoting a hostile cell.
    let csv = tmp.path().join("evil.csv");
    std::fs::write(
        &csv,
        format!("name,kind,country\nAcme,university,SE{HOSTILE}\n"),
    )
    .unwrap();
    let out = spets(&["import", "partners", csv.to_str().unwrap(), "--db", w]);
    assert_eq!(out.status.code(), Some(1));
    assert_harmless("import", &out.stderr);
    assert!(
        text(&out.stderr).contains("\\x1b[2J\\x1b]52;"),
        "{}",
        text(&out.stderr)
    );

    // An error naming a hostile file name.
    let evil = tmp.path().join(format!("missing{HOSTILE}.csv"));
    let out = spets(&["import", "partners", evil.to_str().unwrap(), "--db", w]);
    assert_eq!(out.status.code(), Some(1));
    assert_harmless("an error", &out.stderr);
    assert!(
        text(&out.stderr).contains("\\x1b[2J"),
        "{}",
        text(&out.stderr)
    );

    // keymap check echoing a hostile action name, and keymap show.
    let keymap = tmp.path().join("keymap.toml");
    std::fs::write(
        &keymap,
        format!(
            "[[global]]\non = [\"x\"]\nrun = \"{}\"\n",
            HOSTILE.escape_unicode()
        ),
    )
    .unwrap();
    let out = spets(&["keymap", "check", keymap.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_harmless("keymap check", &out.stderr);
    let out = spets(&["keymap", "show", "--keymap", keymap.to_str().unwrap()]);
    assert_harmless("keymap show", &out.stdout);
    assert_harmless("keymap show", &out.stderr);
}

#[test]
fn invisible_characters_are_removed_on_save_so_look_alikes_are_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    create(
        &s,
        &editor(),
        AnyData::Partner(partner("Acme University", "SE")),
    );
    // A soft hyphen, a word joiner, a Hangul filler and a tag character: the same name to a reader.
    for look_alike in [
        "Ac\u{AD}me University",
        "Acme\u{2060} University",
        "Acme University\u{3164}",
        "Acme Univ\u{E0041}ersity",
    ] {
        match s.handle(
            &editor(),
            Request::Create(AnyData::Partner(partner(look_alike, "SE"))),
        ) {
            Response::Invalid(errs) => assert!(
                matches!(errs[0].rule, Rule::DuplicatePartner { .. }),
                "{look_alike:?}: {errs:?}"
            ),
            other => panic!("{look_alike:?} was not caught as a duplicate: {other:?}"),
        }
    }
}
