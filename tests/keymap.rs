//! Keymap presets, error fixtures, the key trie, overrides and reverse lookup.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spets::keymap::{
    Action, Context, ErrorKind, KeyChord, KeyResult, KeyState, Keymap, Lang, check_file,
    parse_sequence,
};

fn default_map() -> Keymap {
    Keymap::preset("default").unwrap()
}

/// Feeds a whitespace-separated key string and returns every result.
fn feed_all(map: &Keymap, state: &mut KeyState, ctx: Context, keys: &str) -> Vec<KeyResult> {
    parse_sequence(keys)
        .unwrap()
        .into_iter()
        .map(|k| map.feed(state, ctx, k))
        .collect()
}

/// Feeds keys from a fresh state and returns the last result.
fn feed(map: &Keymap, ctx: Context, keys: &str) -> KeyResult {
    let mut state = KeyState::new();
    feed_all(map, &mut state, ctx, keys).pop().unwrap()
}

fn matched(action: Action, count: usize) -> KeyResult {
    KeyResult::Matched { action, count }
}

fn messages(fixture: &str) -> Vec<String> {
    let path = format!("tests/fixtures/keymaps/{fixture}.toml");
    check_file(Path::new(&path))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

// ------------------------------------------------------------------ presets

#[test]
fn every_preset_parses_without_conflicts() {
    for name in Keymap::PRESETS {
        if let Err(e) = Keymap::preset(name) {
            panic!("preset {name}:\n{e}");
        }
        // Also valid as a user file on top of the default preset.
        let text = Keymap::preset_text(name).unwrap();
        Keymap::with_overrides("default", text, Path::new(name)).unwrap();
    }
}

#[test]
fn every_action_has_a_key_in_every_preset() {
    for name in Keymap::PRESETS {
        let map = Keymap::preset(name).unwrap();
        let missing: Vec<_> = Action::ALL
            .iter()
            .filter(|&&a| {
                Context::ALL
                    .iter()
                    .all(|&c| map.bindings(c).iter().all(|(_, b)| *b != a))
            })
            .map(|a| a.name())
            .collect();
        assert!(
            missing.is_empty(),
            "preset {name} has no key for {missing:?}"
        );
    }
}

#[test]
fn default_preset_keeps_the_documented_keys() {
    let map = default_map();
    let g = Context::Global;
    let cases = [
        (g, "q", Action::Quit),
        (g, "1", Action::PanePartners),
        (g, "2", Action::PaneTimeline),
        (g, "3", Action::PaneMatrix),
        (g, "4", Action::PaneNotes),
        (g, "5", Action::PaneOverview),
        (g, "<Tab>", Action::NextPane),
        (g, "<S-Tab>", Action::PrevPane),
        (g, "<BackTab>", Action::PrevPane),
        (g, "j", Action::MoveDown),
        (g, "<Down>", Action::MoveDown),
        (g, "k", Action::MoveUp),
        (g, "<Up>", Action::MoveUp),
        (Context::Matrix, "h", Action::MoveLeft),
        (Context::Matrix, "<Left>", Action::MoveLeft),
        (Context::Matrix, "l", Action::MoveRight),
        (Context::Matrix, "<Right>", Action::MoveRight),
        (g, "g g", Action::First),
        (g, "<Home>", Action::First),
        (g, "G", Action::Last),
        (g, "<PageUp>", Action::PageUp),
        (g, "<PageDown>", Action::PageDown),
        (g, "<Enter>", Action::Open),
        (g, "a", Action::Add),
        (g, "e", Action::Edit),
        (g, "d", Action::Archive),
        (g, "/", Action::Search),
        (g, "<Esc>", Action::Back),
        (g, "?", Action::Help),
        (g, ":", Action::CommandPalette),
        (g, "<C-p>", Action::CommandPalette),
        (g, "L", Action::ToggleLanguage),
        (g, "<F10>", Action::Menu),
        (g, "m", Action::Menu),
        (Context::Forms, "<C-s>", Action::Save),
        (Context::Forms, "<Tab>", Action::NextField),
        (Context::Forms, "<S-Tab>", Action::PrevField),
        (Context::Timeline, "g t", Action::JumpToday),
    ];
    for (ctx, keys, action) in cases {
        assert_eq!(feed(&map, ctx, keys), matched(action, 1), "{ctx} {keys}");
    }
}

#[test]
fn unknown_preset_is_an_error() {
    let err = Keymap::preset("nano").unwrap_err();
    assert_eq!(
        err.to_string(),
        "nano: unknown keymap preset \"nano\". Use one of: default, vim, emacs."
    );
    assert_eq!(err.0[0].kind, ErrorKind::UnknownPreset);
}

// ------------------------------------------------------------------ error fixtures

const KEY_HINT: &str = "To name a key, write one character like \"j\" or \"G\", or a name in \
angle brackets like \"<Enter>\", \"<Esc>\", \"<Tab>\", \"<S-Tab>\", \"<Up>\", \"<PageDown>\", \
\"<F5>\", \"<Space>\", with modifiers C- (Ctrl), A- (Alt), S- (Shift) as in \"<C-s>\" or \
\"<A-x>\".";

const CONTEXTS_HINT: &str =
    "Valid contexts are: global, partners, timeline, matrix, notes, forms, editor, menus, dialogs.";

#[test]
fn fixture_unknown_action() {
    assert_eq!(
        messages("unknown_action"),
        [
            "tests/fixtures/keymaps/unknown_action.toml:4:7: unknown action \"qiut\". \
          Did you mean \"quit\"?"
        ]
    );
}

#[test]
fn fixture_unknown_context() {
    assert_eq!(
        messages("unknown_context"),
        [format!(
            "tests/fixtures/keymaps/unknown_context.toml:2:3: unknown context \"partner\". \
             Did you mean \"partners\"? {CONTEXTS_HINT}"
        )]
    );
}

#[test]
fn fixture_bad_key() {
    assert_eq!(
        messages("bad_key"),
        [format!(
            "tests/fixtures/keymaps/bad_key.toml:3:7: cannot parse key \"<Ctrl-s>\": unknown \
             modifier \"Ctrl-\" in \"<Ctrl-s>\" (use C- for Ctrl, A- for Alt, S- for Shift). \
             {KEY_HINT}"
        )]
    );
}

#[test]
fn fixture_duplicate() {
    assert_eq!(
        messages("duplicate"),
        [
            "tests/fixtures/keymaps/duplicate.toml:7:6: \"x\" is bound twice in [[partners]] \
          (first at line 3, column 6). Remove one of the two bindings."
        ]
    );
}

#[test]
fn fixture_shadow() {
    assert_eq!(
        messages("shadow"),
        [
            "tests/fixtures/keymaps/shadow.toml:7:6: \"z z\" conflicts with \"z\" (line 3, \
          column 6) in [[global]]: \"z\" alone would run before \"z z\" could be typed. Bind \
          \"z\" only as the start of sequences, or bind the sequence to other keys."
        ]
    );
}

#[test]
fn fixture_syntax() {
    assert_eq!(
        messages("syntax"),
        [
            "tests/fixtures/keymaps/syntax.toml:4:7: string values must be quoted, expected \
          literal string. Fix the TOML here: strings need both quotes, lists are written \
          [\"a\", \"b\"], and each binding is a [[context]] table with on = [\"key\", ...] and \
          run = \"action\"."
        ]
    );
}

#[test]
fn fixture_multiple_errors_are_all_reported_in_order() {
    assert_eq!(
        messages("multiple"),
        [
            "tests/fixtures/keymaps/multiple.toml:4:7: unknown action \"quiet\". Did you mean \
             \"quit\"?"
                .to_owned(),
            format!(
                "tests/fixtures/keymaps/multiple.toml:7:7: cannot parse key \"<Hyper-x>\": \
                 unknown modifier \"Hyper-\" in \"<Hyper-x>\" (use C- for Ctrl, A- for Alt, S- \
                 for Shift). {KEY_HINT}"
            ),
            format!(
                "tests/fixtures/keymaps/multiple.toml:10:3: unknown context \"dialog\". Did you \
                 mean \"dialogs\"? {CONTEXTS_HINT}"
            ),
            "tests/fixtures/keymaps/multiple.toml:15:7: \"<C-c>\" is reserved: it always quits \
             spets. Choose another key."
                .to_owned(),
        ]
    );
}

#[test]
fn fixture_kinds() {
    let kinds = |f: &str| {
        check_file(Path::new(&format!("tests/fixtures/keymaps/{f}.toml")))
            .unwrap_err()
            .iter()
            .map(|e| e.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds("unknown_action"), [ErrorKind::UnknownAction]);
    assert_eq!(kinds("unknown_context"), [ErrorKind::UnknownContext]);
    assert_eq!(kinds("bad_key"), [ErrorKind::BadKey]);
    assert_eq!(kinds("duplicate"), [ErrorKind::Duplicate]);
    assert_eq!(kinds("shadow"), [ErrorKind::Shadow]);
    assert_eq!(kinds("syntax"), [ErrorKind::Toml]);
}

#[test]
fn valid_override_fixture_checks_clean() {
    check_file(Path::new("tests/fixtures/keymaps/valid_override.toml")).unwrap();
}

#[test]
fn missing_file_is_reported() {
    let errors = check_file(Path::new("tests/fixtures/keymaps/nope.toml")).unwrap_err();
    assert_eq!(errors[0].kind, ErrorKind::Io);
    assert!(
        errors[0]
            .to_string()
            .starts_with("tests/fixtures/keymaps/nope.toml: cannot read the file:")
    );
}

#[test]
fn other_file_problems() {
    let check = |text: &str| {
        Keymap::with_overrides("default", text, Path::new("k.toml"))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        check("[[global]]\non = []\nrun = \"quit\"\n"),
        "k.toml:2:6: empty key list. Give at least one key, e.g. on = [\"j\"] or on = [\"g\", \"g\"]."
    );
    assert_eq!(
        check("[[global]]\non = [\"g\", \"<Esc>\"]\nrun = \"quit\"\n"),
        "k.toml:2:12: \"<Esc>\" cannot follow another key: it cancels a pending key sequence. \
         Bind \"<Esc>\" alone, or remove it from the sequence."
    );
    // Unknown fields (a typo of `run`) are reported by the TOML reader.
    assert!(
        check("[[global]]\non = [\"q\"]\nrn = \"quit\"\n")
            .starts_with("k.toml:3:1: unknown field `rn`")
    );
    // A later single key shadowing an earlier sequence is reported at the later one.
    assert!(check("[[notes]]\non = [\"z\", \"z\"]\nrun = \"quit\"\n[[notes]]\non = [\"z\"]\nrun = \"help\"\n")
        .starts_with("k.toml:5:6: \"z\" conflicts with \"z z\" (line 2, column 6) in [[notes]]"));
    // No close name: a general hint.
    assert_eq!(
        check("[[global]]\non = [\"q\"]\nrun = \"xyzzy_plugh\"\n"),
        "k.toml:3:7: unknown action \"xyzzy_plugh\". Use an action name listed by \"spets keymap \
         show\", or run = \"unbind\" to remove the key."
    );
}

// ------------------------------------------------------------------ the trie

#[test]
fn sequence_g_g_through_the_trie() {
    let map = default_map();
    let mut state = KeyState::new();
    let g = KeyChord::char('g');
    assert_eq!(
        map.feed(&mut state, Context::Partners, g),
        KeyResult::Pending {
            prefix: vec![g],
            continuations: vec![("g".to_owned(), Action::First)],
        }
    );
    assert!(state.is_pending());
    assert_eq!(
        map.pending_continuations(Context::Partners, &state),
        [("g".to_owned(), Action::First)]
    );
    assert_eq!(
        map.feed(&mut state, Context::Partners, g),
        matched(Action::First, 1)
    );
    assert!(!state.is_pending());
    assert!(
        map.pending_continuations(Context::Partners, &state)
            .is_empty()
    );
}

#[test]
fn pane_prefix_merges_with_global_prefix() {
    let map = default_map();
    let mut state = KeyState::new();
    let result = map.feed(&mut state, Context::Timeline, KeyChord::char('g'));
    let KeyResult::Pending { continuations, .. } = result else {
        panic!("expected pending, got {result:?}");
    };
    assert_eq!(
        continuations,
        [
            ("t".to_owned(), Action::JumpToday),
            ("g".to_owned(), Action::First)
        ]
    );
    assert_eq!(
        feed(&map, Context::Timeline, "g g"),
        matched(Action::First, 1)
    );
    // `g t` exists only in the timeline.
    assert_eq!(feed(&map, Context::Partners, "g t"), KeyResult::Cancelled);
}

#[test]
fn count_six_j_through_the_trie() {
    let map = default_map();
    let mut state = KeyState::new();
    assert_eq!(
        map.feed(&mut state, Context::Partners, KeyChord::char('6')),
        KeyResult::Pending {
            prefix: vec![KeyChord::char('6')],
            continuations: vec![],
        }
    );
    assert_eq!(state.count(), Some(6));
    assert_eq!(state.prefix(), [KeyChord::char('6')]);
    assert_eq!(
        map.feed(&mut state, Context::Partners, KeyChord::char('j')),
        matched(Action::MoveDown, 6)
    );
    assert_eq!(state, KeyState::new());
}

#[test]
fn count_rules() {
    let map = default_map();
    let p = Context::Partners;
    // A bound digit runs its action; an unbound one starts a count that every digit extends.
    assert_eq!(feed(&map, p, "1"), matched(Action::PanePartners, 1));
    assert_eq!(feed(&map, p, "5"), matched(Action::PaneOverview, 1));
    assert_eq!(feed(&map, p, "6 1 j"), matched(Action::MoveDown, 61));
    assert_eq!(feed(&map, p, "6 0 <Down>"), matched(Action::MoveDown, 60));
    // 0 never starts a count.
    assert_eq!(feed(&map, p, "0"), KeyResult::Unbound);
    // A count carries through a sequence.
    assert_eq!(feed(&map, p, "7 g g"), matched(Action::First, 7));
    // Counts saturate.
    assert_eq!(
        feed(&map, p, "9 9 9 9 9 9 j"),
        matched(Action::MoveDown, 9999)
    );
    // A count followed by an unbound key is dropped.
    let mut state = KeyState::new();
    assert_eq!(
        feed_all(&map, &mut state, p, "6 z").pop(),
        Some(KeyResult::Cancelled)
    );
    assert_eq!(
        map.feed(&mut state, p, KeyChord::char('j')),
        matched(Action::MoveDown, 1)
    );
    // No counts in forms: digits are text.
    assert_eq!(feed(&map, Context::Forms, "5"), KeyResult::Unbound);
    // Vim preset: panes are on Alt, so every digit counts.
    let vim = Keymap::preset("vim").unwrap();
    assert_eq!(feed(&vim, p, "1 2 j"), matched(Action::MoveDown, 12));
    assert_eq!(feed(&vim, p, "3 d d"), matched(Action::Archive, 3));
}

#[test]
fn esc_cancels_pending_and_otherwise_goes_back() {
    let map = default_map();
    let mut state = KeyState::new();
    let results = feed_all(&map, &mut state, Context::Partners, "g <Esc>");
    assert_eq!(results[1], KeyResult::Cancelled);
    assert!(!state.is_pending());
    assert_eq!(
        feed(&map, Context::Partners, "6 <Esc>"),
        KeyResult::Cancelled
    );
    assert_eq!(
        feed(&map, Context::Partners, "<Esc>"),
        matched(Action::Back, 1)
    );
    assert_eq!(
        feed(&map, Context::Forms, "<Esc>"),
        matched(Action::Cancel, 1)
    );
    // A key that continues nothing cancels the sequence.
    assert_eq!(feed(&map, Context::Partners, "g q"), KeyResult::Cancelled);
    assert_eq!(feed(&map, Context::Partners, "Z"), KeyResult::Unbound);
}

#[test]
fn modal_contexts_only_see_global_command_keys() {
    let map = default_map();
    for ctx in [
        Context::Forms,
        Context::Editor,
        Context::Menus,
        Context::Dialogs,
    ] {
        assert_eq!(feed(&map, ctx, "q"), KeyResult::Unbound, "{ctx} q");
        assert_eq!(feed(&map, ctx, "a"), KeyResult::Unbound, "{ctx} a");
        assert_eq!(feed(&map, ctx, "g"), KeyResult::Unbound, "{ctx} g");
        assert_eq!(
            feed(&map, ctx, "<F10>"),
            matched(Action::Menu, 1),
            "{ctx} F10"
        );
        assert_eq!(
            feed(&map, ctx, "<F1>"),
            matched(Action::Help, 1),
            "{ctx} F1"
        );
        assert_eq!(feed(&map, ctx, "<C-p>"), matched(Action::CommandPalette, 1));
    }
    // <Tab> belongs to the form, not to global next_pane.
    assert_eq!(
        feed(&map, Context::Forms, "<Tab>"),
        matched(Action::NextField, 1)
    );
    assert_eq!(feed(&map, Context::Editor, "<Tab>"), KeyResult::Unbound);
    // Dialogs default to no: only y confirms (j, Swedish ja, is handled by the dialog itself),
    // and Enter answers no.
    assert_eq!(feed(&map, Context::Dialogs, "j"), KeyResult::Unbound);
    assert_eq!(
        feed(&map, Context::Dialogs, "<Enter>"),
        matched(Action::ConfirmNo, 1)
    );
    assert_eq!(
        feed(&map, Context::Dialogs, "y"),
        matched(Action::ConfirmYes, 1)
    );
    // Hints follow the same rule.
    assert_eq!(map.keys_for(Context::Forms, Action::Help), ["<F1>"]);
    assert_eq!(map.keys_for(Context::Partners, Action::Help), ["?", "<F1>"]);
}

#[test]
fn crossterm_events_feed_the_trie() {
    let map = default_map();
    let mut state = KeyState::new();
    let shift_g = KeyChord::from(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
    assert_eq!(
        map.feed(&mut state, Context::Notes, shift_g),
        matched(Action::Last, 1)
    );
    let backtab = KeyChord::from(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(
        map.feed(&mut state, Context::Notes, backtab),
        matched(Action::PrevPane, 1)
    );
    // Chords built by hand are normalised too.
    let raw = KeyChord {
        code: KeyCode::Char('g'),
        modifiers: KeyModifiers::SHIFT,
    };
    assert_eq!(
        map.feed(&mut state, Context::Notes, raw),
        matched(Action::Last, 1)
    );
}

#[test]
fn emacs_and_vim_specials() {
    let emacs = Keymap::preset("emacs").unwrap();
    let p = Context::Partners;
    assert_eq!(feed(&emacs, p, "<A-<>"), matched(Action::First, 1));
    assert_eq!(feed(&emacs, p, "<A->>"), matched(Action::Last, 1));
    assert_eq!(feed(&emacs, p, "<C-v>"), matched(Action::PageDown, 1));
    assert_eq!(feed(&emacs, p, "<A-v>"), matched(Action::PageUp, 1));
    assert_eq!(feed(&emacs, p, "<C-s>"), matched(Action::Search, 1));
    assert_eq!(
        feed(&emacs, Context::Forms, "<C-s>"),
        matched(Action::Save, 1)
    );
    assert_eq!(
        feed(&emacs, p, "<C-x> f p"),
        matched(Action::FilterPhase, 1)
    );
    let vim = Keymap::preset("vim").unwrap();
    assert_eq!(feed(&vim, p, "<C-d>"), matched(Action::PageDown, 1));
    assert_eq!(
        feed(&vim, p, "<Space> f x"),
        matched(Action::ClearFilter, 1)
    );
    assert_eq!(feed(&vim, p, "<A-3>"), matched(Action::PaneMatrix, 1));
}

// ------------------------------------------------------------------ overrides

#[test]
fn overriding_and_unbinding() {
    let text = std::fs::read_to_string("tests/fixtures/keymaps/valid_override.toml").unwrap();
    let map = Keymap::with_overrides("default", &text, Path::new("user.toml")).unwrap();
    let p = Context::Partners;
    assert_eq!(feed(&map, p, "x"), matched(Action::Archive, 1));
    assert_eq!(feed(&map, p, "d"), KeyResult::Unbound);
    // The user's `f` replaces the preset's whole `f ...` family.
    assert_eq!(feed(&map, p, "f"), matched(Action::Search, 1));
    assert!(map.keys_for(p, Action::FilterPhase).is_empty());
    // Untouched bindings remain.
    assert_eq!(feed(&map, p, "g g"), matched(Action::First, 1));
    assert_eq!(feed(&map, p, "q"), matched(Action::Quit, 1));
}

#[test]
fn user_sequence_replaces_preset_single_key() {
    let text = "[[global]]\non = [\"q\", \"q\"]\nrun = \"quit\"\n";
    let map = Keymap::with_overrides("default", text, Path::new("user.toml")).unwrap();
    let mut state = KeyState::new();
    let results = feed_all(&map, &mut state, Context::Global, "q q");
    assert!(matches!(results[0], KeyResult::Pending { .. }));
    assert_eq!(results[1], matched(Action::Quit, 1));
    assert_eq!(map.keys_for(Context::Global, Action::Quit), ["q q"]);
}

#[test]
fn pane_binding_overrides_global_in_that_pane_only() {
    let text = "[[matrix]]\non = [\"j\"]\nrun = \"toggle_matrix_view\"\n";
    let map = Keymap::with_overrides("default", text, Path::new("user.toml")).unwrap();
    assert_eq!(
        feed(&map, Context::Matrix, "j"),
        matched(Action::ToggleMatrixView, 1)
    );
    assert_eq!(
        feed(&map, Context::Partners, "j"),
        matched(Action::MoveDown, 1)
    );
    assert_eq!(map.keys_for(Context::Matrix, Action::MoveDown), ["<Down>"]);
}

#[test]
fn reverse_lookup_changes_after_rebind() {
    let default = default_map();
    assert_eq!(default.keys_for(Context::Partners, Action::Archive), ["d"]);
    assert_eq!(default.keys_for(Context::Forms, Action::Save), ["<C-s>"]);
    assert_eq!(
        default.keys_for(Context::Timeline, Action::JumpToday),
        ["g t"]
    );
    assert!(
        default
            .keys_for(Context::Partners, Action::JumpToday)
            .is_empty()
    );

    let text = "[[global]]\non = [\"d\"]\nrun = \"\"\n\n[[global]]\non = [\"<Delete>\"]\n\
                run = \"archive\"\n\n[[forms]]\non = [\"<F2>\"]\nrun = \"save\"\n";
    let map = Keymap::with_overrides("default", text, Path::new("user.toml")).unwrap();
    assert_eq!(
        map.keys_for(Context::Partners, Action::Archive),
        ["<Delete>"]
    );
    assert_eq!(
        map.keys_for(Context::Forms, Action::Save),
        ["<C-s>", "<F2>"]
    );
}

#[test]
fn override_errors_keep_the_user_file_name() {
    let err = Keymap::with_overrides(
        "vim",
        "[[global]]\non = [\"q\"]\nrun = \"qit\"\n",
        Path::new("/home/u/.config/spets/keymap.toml"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "/home/u/.config/spets/keymap.toml:3:7: unknown action \"qit\". Did you mean \"quit\"?"
    );
}

// ------------------------------------------------------------------ help output

#[test]
fn bindings_and_table() {
    let map = default_map();
    let timeline = map.bindings(Context::Timeline);
    assert_eq!(timeline, [("g t".to_owned(), Action::JumpToday)]);
    let effective = map.effective_bindings(Context::Timeline);
    assert!(effective.contains(&("g g".to_owned(), Action::First)));
    assert!(effective.contains(&("q".to_owned(), Action::Quit)));

    let en = map.show_table(Lang::En);
    let lines: Vec<&str> = en.lines().collect();
    assert!(lines[0].starts_with("CONTEXT"), "{}", lines[0]);
    assert!(en.contains("timeline  g t"), "{en}");
    let quit = lines.iter().find(|l| l.contains(" quit ")).unwrap();
    assert!(
        quit.starts_with("global") && quit.ends_with("Quit spets"),
        "{quit}"
    );
    let sv = map.show_table(Lang::Sv);
    assert!(sv.starts_with("SAMMANHANG"));
    assert!(sv.contains("Avsluta spets"));
    // All rows line up: the description column starts at the same character offset.
    let column = |l: &str| l.find("DESCRIPTION").unwrap();
    let start = column(lines[0]);
    let first_row = lines[1];
    assert_eq!(first_row.chars().nth(start - 1), Some(' '));
    assert_eq!(
        lines.len(),
        1 + Context::ALL
            .iter()
            .map(|&c| map.bindings(c).len())
            .sum::<usize>()
    );
}
