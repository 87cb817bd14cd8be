//! Keymaps at scale: a user file with 2,000 bindings loads, merges and checks like a small one,
//! and the same errors come out in the same order with the same positions.
//!
//! The figures: `cargo test --release --test keymap_scale -- --ignored --nocapture` prints the
//! time to load, merge and check keymaps of 250 to 4,000 bindings (sizes can be set with
//! `SPETS_KEYMAP_BENCH_SIZES=250,2000`). No test here asserts a time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use spets::keymap::{
    Action, Context, ErrorKind, KeyResult, KeyState, Keymap, check_file, check_file_warnings,
    parse_sequence,
};

/// One generated binding: its context, its keys (file syntax) and its action.
struct Generated {
    context: Context,
    keys: Vec<String>,
    action: Action,
}

/// A character no preset binds, distinct for every `i`.
fn glyph(i: usize) -> String {
    char::from_u32(0x4E00 + u32::try_from(i).unwrap())
        .unwrap()
        .to_string()
}

/// `n` bindings without conflicts among themselves: single keys in `global` (a wide root in
/// the trie), two-key sequences under `<F5>` in the panes (a wide branch), and three-key
/// sequences under `<C-g>` in the modal contexts.
fn generated(n: usize) -> Vec<Generated> {
    const PANES: [Context; 4] = [
        Context::Partners,
        Context::Timeline,
        Context::Matrix,
        Context::Notes,
    ];
    const MODAL: [Context; 4] = [
        Context::Forms,
        Context::Editor,
        Context::Menus,
        Context::Dialogs,
    ];
    (0..n)
        .map(|i| {
            let action = Action::ALL[i % Action::ALL.len()];
            let (context, keys) = match i % 3 {
                0 => (Context::Global, vec![glyph(i)]),
                1 => (PANES[i % 4], vec!["<F5>".into(), glyph(i)]),
                _ => (MODAL[i % 4], vec!["<C-g>".into(), glyph(i), "x".into()]),
            };
            Generated {
                context,
                keys,
                action,
            }
        })
        .collect()
}

fn toml_of(bindings: &[Generated]) -> String {
    let mut out = String::new();
    for b in bindings {
        let on: Vec<String> = b.keys.iter().map(|k| format!("{k:?}")).collect();
        let _ = write!(
            out,
            "[[{}]]\non = [{}]\nrun = \"{}\"\n\n",
            b.context.name(),
            on.join(", "),
            b.action.name()
        );
    }
    out
}

fn feed(map: &Keymap, context: Context, keys: &[String]) -> KeyResult {
    let mut state = KeyState::new();
    let mut last = KeyResult::Unbound;
    for k in parse_sequence(&keys.join(" ")).unwrap() {
        last = map.feed(&mut state, context, k);
    }
    last
}

#[test]
fn two_thousand_bindings_merge_onto_the_preset() {
    let bindings = generated(2000);
    let mut text = toml_of(&bindings);
    // The merge rules at scale: `g` alone removes the preset's `g g`; `q` is rebound.
    text.push_str("[[global]]\non = [\"g\"]\nrun = \"last\"\n\n");
    text.push_str("[[global]]\non = [\"q\"]\nrun = \"help\"\n\n");
    let map = Keymap::with_overrides("default", &text, Path::new("big.toml")).unwrap();
    for b in &bindings {
        assert_eq!(
            feed(&map, b.context, &b.keys),
            KeyResult::Matched {
                action: b.action,
                count: 1
            },
            "[{}] {:?}",
            b.context,
            b.keys
        );
    }
    let g = Context::Global;
    let last = KeyResult::Matched {
        action: Action::Last,
        count: 1,
    };
    assert_eq!(feed(&map, g, &["g".into()]), last);
    let help = KeyResult::Matched {
        action: Action::Help,
        count: 1,
    };
    assert_eq!(feed(&map, g, &["q".into()]), help);
    // Preset bindings the file does not touch stay, in the preset's order before the user's.
    let save = KeyResult::Matched {
        action: Action::Save,
        count: 1,
    };
    assert_eq!(feed(&map, Context::Forms, &["<C-s>".into()]), save);
    let global = map.bindings(g);
    assert_eq!(global.first().map(|(k, _)| k.as_str()), Some("1"));
    assert!(!global.iter().any(|(k, _)| k == "g g"));
    assert_eq!(global.iter().filter(|(k, _)| k == "q").count(), 1);
    assert_eq!(global.last(), Some(&("q".to_string(), Action::Help)));
    // The which-key popup under <F5> in a pane lists that pane's 167 sequences, in file order.
    let mut state = KeyState::new();
    let KeyResult::Pending { continuations, .. } = map.feed(
        &mut state,
        Context::Partners,
        parse_sequence("<F5>").unwrap()[0],
    ) else {
        panic!("<F5> should be a prefix in partners");
    };
    let expected: Vec<(String, Action)> = bindings
        .iter()
        .filter(|b| b.context == Context::Partners)
        .map(|b| (b.keys[1].clone(), b.action))
        .collect();
    assert_eq!(continuations, expected);
}

#[test]
fn two_thousand_conflicts_are_each_reported_with_their_place() {
    let bindings = generated(2000);
    let once = toml_of(&bindings);
    let lines = once.lines().count();
    // Every binding again, after the first copy: each second copy is a duplicate of the first.
    let text = format!("{once}{once}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("twice.toml");
    std::fs::write(&file, &text).unwrap();
    let errors = check_file(&file).unwrap_err();
    assert_eq!(errors.len(), 2000);
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Duplicate));
    // Binding i starts at line 4i+1; its `on` is on the next line, at column 6.
    for (i, e) in errors.iter().enumerate() {
        let first_line = 4 * i + 2;
        assert_eq!((e.line, e.column), (lines + first_line, 6), "{e}");
        assert!(
            e.message
                .ends_with(&format!("(first at line {first_line}, column 6)")),
            "{e}"
        );
    }
    // A shadowing pair at the end: reported once, against the earlier binding.
    let shadow = format!(
        "{once}[[global]]\non = [\"{}\", \"z\"]\nrun = \"quit\"\n",
        glyph(0)
    );
    std::fs::write(&file, &shadow).unwrap();
    let errors = check_file(&file).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::Shadow);
    assert_eq!((errors[0].line, errors[0].column), (lines + 2, 6));
    assert!(
        errors[0]
            .message
            .contains("(line 2, column 6) in [[global]]"),
        "{}",
        errors[0]
    );
}

fn sizes() -> Vec<usize> {
    std::env::var("SPETS_KEYMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![250, 500, 1000, 2000, 4000])
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Prints the figures; asserts nothing about time.
#[test]
#[ignore = "a benchmark: run with --ignored --nocapture (and --release for shipped figures)"]
fn keymap_load_benchmark() {
    let dir = tempfile::tempdir().unwrap();
    println!("bindings  load+merge  keymap check  check (all duplicates)");
    for n in sizes() {
        let bindings = generated(n);
        let text = toml_of(&bindings);
        let file = dir.path().join(format!("k{n}.toml"));
        std::fs::write(&file, &text).unwrap();
        let twice = dir.path().join(format!("d{n}.toml"));
        std::fs::write(&twice, format!("{text}{text}")).unwrap();
        let load = best_of(3, || {
            Keymap::with_overrides("default", &text, Path::new("k.toml")).unwrap()
        });
        let check = best_of(3, || check_file_warnings(&file).unwrap());
        let dup = best_of(3, || check_file(&twice).unwrap_err());
        println!(
            "{n:>8}  {:>7.1} ms  {:>9.1} ms  {:>19.1} ms",
            load.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e3,
            dup.as_secs_f64() * 1e3
        );
    }
}
