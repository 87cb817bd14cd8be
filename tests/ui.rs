//! The terminal UI driven through the real `App` (the same key handling and drawing the binary
//! uses) on ratatui's TestBackend, on real sled workspaces with demo data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spets::client::{Client, Embedded};
use spets::demo::DemoSpec;
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::Service;
use spets::store::Store;
use spets::ui::theme::Theme;
use spets::ui::{App, Options, Pane};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const ME: &str = "anna.lind";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn timeout() -> Duration {
    let secs = std::env::var("SPETS_TEST_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

fn open_client(dir: &Path, demo: bool) -> Arc<dyn Client> {
    let store = Store::open(dir).unwrap();
    if demo {
        let spec = DemoSpec {
            partners: 24,
            activities: 300,
            notes: 40,
            seed: 7,
            today: today(),
            me: ME.to_string(),
        };
        spets::demo::generate(&store, &spec, ME).unwrap();
    }
    let service = Service::new(store).unwrap().with_today(today());
    Arc::new(Embedded::new(Arc::new(service), ME.to_string()))
}

fn app_on(client: Arc<dyn Client>, lang: Lang) -> App {
    let mut app = App::new(
        client,
        Options {
            lang,
            keymap: Keymap::preset("default").unwrap(),
            today: today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    settle(&mut app);
    app
}

fn settle(app: &mut App) {
    assert!(app.settle(timeout()), "the worker did not answer in time");
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    settle(app);
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    settle(app);
}

/// Type text: every character as a key press.
fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle_key(KeyEvent::new(KeyCode::Char(c), mods));
    }
    settle(app);
}

fn screen(app: &App, w: u16, h: u16, dir: &Path) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| spets::ui::draw(f, app)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.replace(&dir.display().to_string(), "[WORKSPACE]")
}

fn demo_app(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(open_client(&dir.path().join("ws"), true), lang);
    (dir, app)
}

#[test]
fn snapshots_of_every_pane_in_both_languages() {
    for lang in [Lang::En, Lang::Sv] {
        let (dir, mut app) = demo_app(lang);
        let ws = dir.path().join("ws");
        for (n, pane) in [
            ('1', "partners"),
            ('2', "timeline"),
            ('3', "matrix"),
            ('4', "notes"),
        ] {
            key(&mut app, KeyCode::Char(n));
            for (w, h) in [(80, 24), (120, 40)] {
                let name = format!("{pane}_{}_{w}x{h}", lang.key());
                insta::assert_snapshot!(name, screen(&app, w, h, &ws));
            }
        }
    }
}

#[test]
fn detail_help_palette_and_small_terminal() {
    let (dir, mut app) = demo_app(Lang::En);
    let ws = dir.path().join("ws");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("partner_detail_en_120x40", screen(&app, 120, 40, &ws));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_en_80x24", screen(&app, 80, 24, &ws));
    key(&mut app, KeyCode::Esc);
    insta::assert_snapshot!("too_small_en", screen(&app, 60, 20, &ws));
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("partner_detail_sv_80x24", screen(&app, 80, 24, &ws));
    key(&mut app, KeyCode::Char('a'));
    insta::assert_snapshot!("add_chooser_sv_80x24", screen(&app, 80, 24, &ws));
}

#[test]
fn empty_workspace_teaches() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut app = app_on(open_client(&ws, false), Lang::Sv);
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("Tryck a"), "{s}");
    assert!(s.contains("tryck D"), "{s}");
    key(&mut app, KeyCode::Char('L'));
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("Press a to add"), "{s}");
    assert!(s.contains("import"), "{s}");
}

#[test]
fn renewal_notice_and_markers() {
    let (dir, app) = demo_app(Lang::En);
    let s = screen(&app, 120, 40, &dir.path().join("ws"));
    assert!(s.contains("due for renewal"), "{s}");
    assert!(s.contains('!') || s.contains('‼'), "{s}");
}

#[test]
fn search_filters_and_highlights() {
    let (dir, mut app) = demo_app(Lang::En);
    let first = app.partners().rows()[3].name.clone();
    let needle: String = first.chars().take(4).collect();
    let all = app.partners().rows().len();
    key(&mut app, KeyCode::Char('/'));
    typ(&mut app, &needle.to_lowercase());
    assert!(
        app.partners().rows().len() < all,
        "the search narrows the list"
    );
    assert!(app.partners().rows().iter().any(|r| r.name == first));
    let s = screen(&app, 120, 40, &dir.path().join("ws"));
    assert!(
        s.contains(&format!("Search: {}", needle.to_lowercase())),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert!(app.partners().query().text.is_empty());
}

#[test]
fn sequence_count_and_palette_through_the_app() {
    let (_dir, mut app) = demo_app(Lang::En);
    typ(&mut app, "6j");
    assert_eq!(app.partners().selected(), 6);
    typ(&mut app, "gg");
    assert_eq!(app.partners().selected(), 0);
    // The palette runs an action: switch to the timeline by name.
    key(&mut app, KeyCode::Char(':'));
    typ(&mut app, "pane_timeline");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.pane(), Pane::Timeline);
    ctrl(&mut app, 'p');
    typ(&mut app, "language");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.lang(), Lang::Sv);
}

#[test]
fn language_switch_keeps_a_half_filled_form() {
    let (dir, mut app) = demo_app(Lang::En);
    let ws = dir.path().join("ws");
    typ(&mut app, "fp");
    let phase = app.partners().query().phase;
    assert!(phase.is_some());
    key(&mut app, KeyCode::Char('a'));
    typ(&mut app, "Kungliga Tekniska högskolan");
    key(&mut app, KeyCode::Tab);
    typ(&mut app, "KTH");
    // The menu works over a form (F10), and its Language entry switches.
    key(&mut app, KeyCode::F(10));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.lang(), Lang::Sv);
    let form = app.form().expect("the form is still open");
    assert_eq!(form.value(0), "Kungliga Tekniska högskolan");
    assert_eq!(form.value(1), "KTH");
    assert_eq!(form.focus(), 1);
    assert_eq!(app.pane(), Pane::Partners);
    assert_eq!(app.partners().query().phase, phase);
    let s = screen(&app, 120, 40, &ws);
    assert!(s.contains("Ny partner"), "{s}");
    assert!(s.contains("Kortnamn"), "{s}");
    insta::assert_snapshot!("partner_form_sv_120x40", s);
}

#[test]
fn inline_validation_in_the_users_language() {
    let (dir, mut app) = demo_app(Lang::Sv);
    key(&mut app, KeyCode::Char('a'));
    // Country and name missing: the service answers Invalid.
    ctrl(&mut app, 's');
    let s = screen(&app, 120, 40, &dir.path().join("ws"));
    assert!(s.contains("får inte vara tomt"), "{s}");
    let form = app.form().unwrap();
    assert!(form.rows()[0].problem.is_some());
    // q in a form is text, not quit.
    typ(&mut app, "q");
    assert!(!app.quitting());
    assert_eq!(app.form().unwrap().value(0), "q");
    // Esc asks before throwing the input away.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_some());
    key(&mut app, KeyCode::Char('n'));
    assert!(app.form().is_some());
}

fn field_focus(app: &mut App, name: &str) {
    let form = app.form().unwrap();
    let target = form.position(name).unwrap();
    let mut guard = 0;
    while app.form().unwrap().focus() != target {
        key(app, KeyCode::Tab);
        guard += 1;
        assert!(guard < 100);
    }
}

#[test]
fn full_flow_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    {
        let mut app = app_on(open_client(&ws, false), Lang::En);
        // Add a partner.
        key(&mut app, KeyCode::Char('a'));
        typ(&mut app, "Universität Zürich");
        field_focus(&mut app, "country");
        typ(&mut app, "CH");
        field_focus(&mut app, "city");
        typ(&mut app, "Zürich");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "{:?}", app.form().map(|f| f.rows()));
        assert_eq!(app.partners().rows().len(), 1);
        // Add an activity for it on the timeline.
        key(&mut app, KeyCode::Char('2'));
        key(&mut app, KeyCode::Char('a'));
        typ(&mut app, "Kick-off workshop");
        field_focus(&mut app, "partners");
        typ(&mut app, "univ");
        field_focus(&mut app, "date");
        for _ in 0..10 {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "2026-12-03");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "{:?}", app.form().map(|f| f.rows()));
        assert_eq!(app.timeline().activities().len(), 1);
        // Score two values in the matrix.
        key(&mut app, KeyCode::Char('3'));
        for (col, score) in [(0, 3), (2, 4)] {
            while app.matrix().col() < col {
                key(&mut app, KeyCode::Char('l'));
            }
            key(&mut app, KeyCode::Enter);
            assert!(app.form().is_some());
            for _ in 0..score {
                key(&mut app, KeyCode::Right);
            }
            field_focus(&mut app, "evidence");
            typ(&mut app, "Joint lab");
            ctrl(&mut app, 's');
            assert!(app.form().is_none());
        }
        let row = &app.matrix().data().unwrap().rows.items[0];
        assert_eq!(row.scores[0].map(|c| c.score), Some(3));
        assert_eq!(row.scores[2].map(|c| c.score), Some(4));
        // Write a note with an action item.
        key(&mut app, KeyCode::Char('4'));
        key(&mut app, KeyCode::Char('a'));
        typ(&mut app, "Steering group");
        field_focus(&mut app, "partners");
        typ(&mut app, "Universität");
        field_focus(&mut app, "body");
        typ(&mut app, "First line");
        key(&mut app, KeyCode::Enter);
        typ(&mut app, "Second line");
        ctrl(&mut app, 't');
        typ(&mut app, "Send the draft agreement");
        field_focus(&mut app, "action_due.0");
        typ(&mut app, "2026-12-15");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "{:?}", app.form().map(|f| f.rows()));
        assert_eq!(app.notes().notes().len(), 1);
        key(&mut app, KeyCode::Char('q'));
        assert!(app.quitting());
    }
    // Reopen: everything is there.
    let mut app = app_on(open_client(&ws, false), Lang::En);
    assert_eq!(app.partners().rows().len(), 1);
    assert_eq!(app.partners().rows()[0].name, "Universität Zürich");
    // Other panes load when first shown.
    assert!(!app.timeline().is_loaded());
    for pane in ['2', '3', '4', '1'] {
        key(&mut app, KeyCode::Char(pane));
    }
    assert_eq!(app.timeline().activities().len(), 1);
    assert_eq!(
        app.timeline().activities()[0].data.title,
        "Kick-off workshop"
    );
    let row = &app.matrix().data().unwrap().rows.items[0];
    assert_eq!(row.scores[0].map(|c| c.score), Some(3));
    assert_eq!(row.scores[2].map(|c| c.score), Some(4));
    let note = &app.notes().notes()[0].data;
    assert_eq!(note.body, "First line\nSecond line");
    assert_eq!(note.actions.len(), 1);
    assert_eq!(note.actions[0].owner, ME);
    assert_eq!(app.notes().actions().len(), 1, "my open action items");
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('i'));
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("Send the draft agreement"), "{s}");
}

#[test]
fn archive_and_restore_with_confirmation() {
    let (_dir, mut app) = demo_app(Lang::En);
    let n = app.partners().rows().len();
    let name = app.partners().rows()[0].name.clone();
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.partners().rows().len(), n);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    settle(&mut app);
    assert_eq!(app.partners().rows().len(), n - 1);
    key(&mut app, KeyCode::Char('A'));
    assert_eq!(app.partners().rows().len(), 1);
    assert_eq!(app.partners().rows()[0].name, name);
    key(&mut app, KeyCode::Char('u'));
    key(&mut app, KeyCode::Char('y'));
    settle(&mut app);
    key(&mut app, KeyCode::Char('A'));
    assert_eq!(app.partners().rows().len(), n);
}

#[test]
fn which_key_evidence_view_and_action_items() {
    let (dir, mut app) = demo_app(Lang::En);
    let ws = dir.path().join("ws");
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('g'));
    let s = screen(&app, 120, 40, &ws);
    assert!(
        s.contains("Jump to today") && s.contains("Go to first"),
        "{s}"
    );
    insta::assert_snapshot!("which_key_timeline_en_120x40", s);
    key(&mut app, KeyCode::Char('t'));
    assert!(!app.keys().is_pending());
    // The evidence view of the matrix.
    key(&mut app, KeyCode::Char('3'));
    // First the both-sides view: ours beside the partner's own view from the evaluations.
    key(&mut app, KeyCode::Char('v'));
    assert!(app.matrix().both_sides());
    assert!(!app.matrix().query().with_activity_counts);
    let rows = &app.matrix().data().unwrap().rows.items;
    assert!(rows.iter().any(|r| r.theirs.iter().any(Option::is_some)));
    let s = screen(&app, 120, 40, &ws);
    assert!(
        s.contains("the partner's own view") && s.contains('│'),
        "{s}"
    );
    insta::assert_snapshot!("matrix_both_sides_en_120x40", s);
    // Then the evidence view.
    key(&mut app, KeyCode::Char('v'));
    assert!(!app.matrix().both_sides());
    assert!(app.matrix().query().with_activity_counts);
    let row = &app.matrix().data().unwrap().rows.items[0];
    assert!(row.activity_counts.is_some());
    insta::assert_snapshot!("matrix_evidence_en_120x40", screen(&app, 120, 40, &ws));
    // Sort rows by the current value.
    key(&mut app, KeyCode::Char('s'));
    let rows = &app.matrix().data().unwrap().rows.items;
    let firsts: Vec<Option<u8>> = rows.iter().map(|r| r.scores[0].map(|c| c.score)).collect();
    assert!(firsts.windows(2).all(|w| w[0] >= w[1]), "{firsts:?}");
    // My open action items, with overdue ones marked.
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('i'));
    assert!(!app.notes().actions().is_empty());
    let s = screen(&app, 120, 40, &ws);
    if app.notes().actions().iter().any(|a| a.overdue) {
        assert!(s.contains("overdue"), "{s}");
    }
    insta::assert_snapshot!("my_actions_en_120x40", s);
    // Toggle one done: it leaves the open list.
    let n = app.notes().actions().len();
    key(&mut app, KeyCode::Char('x'));
    settle(&mut app);
    assert_eq!(app.notes().actions().len(), n - 1);
}

#[test]
fn assessment_editor_shows_history_in_swedish() {
    let (dir, mut app) = demo_app(Lang::Sv);
    key(&mut app, KeyCode::Char('3'));
    // A cell with a score (and so a history).
    let rows = app.matrix().data().unwrap().rows.items.clone();
    let (r, c) = rows
        .iter()
        .enumerate()
        .find_map(|(i, row)| row.scores.iter().position(|s| s.is_some()).map(|c| (i, c)))
        .unwrap();
    for _ in 0..r {
        key(&mut app, KeyCode::Char('j'));
    }
    for _ in 0..c {
        key(&mut app, KeyCode::Char('l'));
    }
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 120, 40, &dir.path().join("ws"));
    assert!(s.contains("Bedömning") && s.contains("Historik"), "{s}");
    insta::assert_snapshot!("assessment_sv_120x40", s);
}

#[test]
fn a_bad_user_keymap_is_reported_and_the_preset_used() {
    let choice = spets::ui::KeymapChoice {
        preset: Some("vim".into()),
        file: Some("tests/fixtures/keymaps/bad_key.toml".into()),
    };
    let (map, notices) = spets::ui::load_keymap(&choice).unwrap();
    assert_eq!(notices.len(), 1);
    let text = notices[0].text(Lang::En);
    assert!(text.contains("keymap has errors"), "{text}");
    assert!(text.contains("bad_key.toml"), "{text}");
    assert!(!map.bindings(spets::keymap::Context::Global).is_empty());
    // The app shows them in a dialog at start and goes on with the preset.
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut app = App::new(
        open_client(&ws, false),
        Options {
            lang: Lang::Sv,
            keymap: map,
            today: today(),
            theme: Theme { color: false },
            notices,
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    settle(&mut app);
    let s = screen(&app, 120, 40, &ws);
    assert!(s.contains("Observera") && s.contains("bad_key.toml"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    // The vim preset is active: o adds.
    key(&mut app, KeyCode::Char('o'));
    assert!(app.form().is_some());
}

#[test]
fn hints_follow_the_keymap() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let client = open_client(&ws, false);
    let file = dir.path().join("keys.toml");
    std::fs::write(&file, "[[global]]\non = [\"<F2>\"]\nrun = \"help\"\n[[global]]\non = [\"?\"]\nrun = \"unbind\"\n[[global]]\non = [\"<F1>\"]\nrun = \"unbind\"\n").unwrap();
    let keymap =
        Keymap::with_overrides("default", &std::fs::read_to_string(&file).unwrap(), &file).unwrap();
    let mut app = App::new(
        client,
        Options {
            lang: Lang::En,
            keymap,
            today: today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    settle(&mut app);
    let s = screen(&app, 120, 40, &ws);
    assert!(s.contains("<F2> help"), "{s}");
    assert!(!s.contains("? help"), "{s}");
}

#[test]
fn any_size_draws_without_panic_and_without_colour_under_no_color() {
    let (dir, mut app) = demo_app(Lang::Sv);
    let ws = dir.path().join("ws");
    let sizes = [
        (1, 1),
        (10, 3),
        (79, 24),
        (80, 23),
        (80, 24),
        (81, 25),
        (120, 40),
        (250, 70),
    ];
    let check = |app: &App| {
        for (w, h) in sizes {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| spets::ui::draw(f, app)).unwrap();
            for cell in term.backend().buffer().content() {
                assert_eq!(
                    cell.fg,
                    ratatui::style::Color::Reset,
                    "colour used under NO_COLOR"
                );
                assert_eq!(
                    cell.bg,
                    ratatui::style::Color::Reset,
                    "colour used under NO_COLOR"
                );
            }
        }
    };
    for pane in ['1', '2', '3', '4'] {
        key(&mut app, KeyCode::Char(pane));
        check(&app);
        key(&mut app, KeyCode::Char('?'));
        check(&app);
        key(&mut app, KeyCode::Esc);
    }
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    check(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('a'));
    check(&app);
    key(&mut app, KeyCode::F(10));
    check(&app);
    let _ = screen(&app, 80, 24, &ws);
}

#[test]
fn search_as_you_type_in_the_timeline_and_notes() {
    let (dir, mut app) = demo_app(Lang::En);
    key(&mut app, KeyCode::Char('2'));
    let all = app.timeline().activities().len();
    key(&mut app, KeyCode::Char('/'));
    typ(&mut app, "workshop");
    assert!(app.timeline().activities().len() < all);
    assert!(app.timeline().activities().iter().all(|a| {
        let t = a.data.title.to_lowercase() + &a.data.description.to_lowercase();
        t.contains("workshop")
    }));
    let s = screen(&app, 120, 40, &dir.path().join("ws"));
    assert!(s.contains("Search: workshop"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.timeline().activities().len(), all);
    key(&mut app, KeyCode::Char('4'));
    let notes = app.notes().notes().len();
    key(&mut app, KeyCode::Char('/'));
    typ(&mut app, "steering");
    assert!(app.notes().notes().len() < notes);
}

#[test]
fn agreements_and_contacts_from_the_detail_view() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut app = app_on(open_client(&ws, false), Lang::En);
    key(&mut app, KeyCode::Char('a'));
    typ(&mut app, "Aalto-yliopisto");
    field_focus(&mut app, "country");
    typ(&mut app, "FI");
    ctrl(&mut app, 's');
    assert!(app.form().is_none());
    key(&mut app, KeyCode::Enter);
    assert!(app.partners().detail().unwrap().data().is_some());
    // a → chooser → Agreement.
    key(&mut app, KeyCode::Char('a'));
    assert!(matches!(
        app.overlay(),
        Some(spets::ui::Overlay::Choose { .. })
    ));
    key(&mut app, KeyCode::Enter);
    typ(&mut app, "Framework 2026–2031");
    field_focus(&mut app, "start");
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "2026-01-01");
    field_focus(&mut app, "end");
    typ(&mut app, "2030-12-31");
    ctrl(&mut app, 's');
    assert!(app.form().is_none(), "{:?}", app.form().map(|f| f.rows()));
    let d = app.partners().detail().unwrap().data().unwrap();
    assert_eq!(d.agreements.len(), 1);
    // A contact with a bad e-mail gets an inline message, then saves when fixed.
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    typ(&mut app, "Liisa Virtanen");
    field_focus(&mut app, "email");
    typ(&mut app, "liisa.aalto.fi");
    ctrl(&mut app, 's');
    let s = screen(&app, 120, 40, &ws);
    assert!(s.contains("is not an e-mail address"), "{s}");
    for _ in 0.."liisa.aalto.fi".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typ(&mut app, "liisa@aalto.fi");
    ctrl(&mut app, 's');
    assert!(app.form().is_none());
    let d = app.partners().detail().unwrap().data().unwrap();
    assert_eq!(d.contacts.len(), 1);
    let s = screen(&app, 120, 40, &ws);
    assert!(
        s.contains("Liisa Virtanen") && s.contains("Framework 2026–2031"),
        "{s}"
    );
    // e → chooser lists the partner, the agreement and the contact.
    key(&mut app, KeyCode::Char('e'));
    match app.overlay() {
        Some(spets::ui::Overlay::Choose { items, .. }) => assert_eq!(items.len(), 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn timeline_moves_by_month_and_jumps_back_to_today() {
    let (_dir, mut app) = demo_app(Lang::Sv);
    key(&mut app, KeyCode::Char('2'));
    let from = app.timeline().query().from;
    typ(&mut app, "7h");
    assert_ne!(app.timeline().query().from, from);
    typ(&mut app, "gt");
    assert_eq!(app.timeline().query().from, from);
    let sel = app.timeline().selected_activity().map(|a| a.data.date);
    assert!(sel.is_some_and(|d| d >= today()), "{sel:?}");
}

// ---------------------------------------------------------------- conflicts

/// Pump the app until `cond` holds (worker answers, CSV jobs, change events).
fn pump_until(app: &mut App, what: &str, mut cond: impl FnMut(&App) -> bool) {
    let deadline = std::time::Instant::now() + timeout();
    while !cond(app) {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        app.pump(Duration::from_millis(10));
    }
}

/// Two users on one sled store: A (through a second client) and B (the app).
fn two_users() -> (tempfile::TempDir, Arc<dyn Client>, App) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let store = Store::open(&ws).unwrap();
    let spec = DemoSpec {
        partners: 5,
        activities: 20,
        notes: 5,
        seed: 3,
        today: today(),
        me: ME.to_string(),
    };
    spets::demo::generate(&store, &spec, ME).unwrap();
    let service = Arc::new(Service::new(store).unwrap().with_today(today()));
    let other: Arc<dyn Client> = Arc::new(Embedded::new(Arc::clone(&service), "bo.ek".into()));
    let app = app_on(Arc::new(Embedded::new(service, ME.into())), Lang::En);
    (dir, other, app)
}

/// User A (bo.ek) changes the city of partner `id`.
fn other_changes_city(other: &Arc<dyn Client>, id: spets::domain::Id, city: &str) {
    use spets::domain::EntityKind;
    use spets::service::{AnyData, AnyRecord, Request, Response};
    let Response::Record(AnyRecord::Partner(rec)) = other.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    }) else {
        panic!("no partner")
    };
    let mut data = rec.data.clone();
    data.city = city.into();
    let saved = other.call(Request::Update {
        id,
        expected_version: rec.meta.version,
        data: AnyData::Partner(data),
    });
    assert!(matches!(saved, Response::Saved { .. }), "{saved:?}");
}

fn stored_partner(c: &Arc<dyn Client>, id: spets::domain::Id) -> spets::domain::Partner {
    use spets::domain::EntityKind;
    use spets::service::{AnyRecord, Request, Response};
    match c.call(Request::Get {
        kind: EntityKind::Partner,
        id,
    }) {
        Response::Record(AnyRecord::Partner(r)) => r.data,
        other => panic!("{other:?}"),
    }
}

/// B edits a partner, A saves it meanwhile: B's save opens the conflict dialog over the form.
fn conflict_setup() -> (tempfile::TempDir, Arc<dyn Client>, App, spets::domain::Id) {
    let (dir, other, mut app) = two_users();
    let id = app.partners().rows()[0].id;
    key(&mut app, KeyCode::Char('e'));
    assert!(app.form().is_some());
    typ(&mut app, " (mine)");
    field_focus(&mut app, "city");
    typ(&mut app, " B");
    other_changes_city(&other, id, "Elsewhere");
    settle(&mut app);
    ctrl(&mut app, 's');
    assert!(
        matches!(app.overlay(), Some(spets::ui::Overlay::Conflict(_))),
        "{:?}",
        app.overlay()
    );
    (dir, other, app, id)
}

#[test]
fn a_conflicting_save_opens_the_conflict_dialog_in_both_languages() {
    let (dir, _other, mut app, _id) = conflict_setup();
    let ws = dir.path().join("ws");
    let Some(spets::ui::Overlay::Conflict(v)) = app.overlay() else {
        panic!()
    };
    assert_eq!(v.info.changed_by, "bo.ek");
    let city = v
        .rows
        .iter()
        .find(|r| r.field == "city")
        .expect("city listed");
    assert_eq!(city.theirs, "Elsewhere");
    assert!(city.yours.ends_with(" B"), "{city:?}");
    let form = app.form().expect("the form stays under the dialog");
    assert!(form.value(0).ends_with("(mine)"));
    let mask = |s: String, app: &App| {
        let Some(spets::ui::Overlay::Conflict(v)) = app.overlay() else {
            panic!()
        };
        // The time is local and localised; either language's form is masked.
        [spets::i18n::Lang::En, spets::i18n::Lang::Sv]
            .iter()
            .fold(s, |s, l| {
                s.replace(&spets::i18n::dates::moment(*l, v.info.changed_at), "[TIME]")
            })
    };
    let s = mask(screen(&app, 120, 40, &ws), &app);
    assert!(
        s.contains("bo.ek saved this record") && s.contains("Elsewhere"),
        "{s}"
    );
    insta::assert_snapshot!("conflict_en_120x40", s);
    // show_diff adds the earlier values.
    key(&mut app, KeyCode::Char('d'));
    let s = mask(screen(&app, 120, 40, &ws), &app);
    assert!(s.contains("Was"), "{s}");
    key(&mut app, KeyCode::Char('d'));
    app.set_lang(Lang::Sv);
    settle(&mut app);
    let s = mask(screen(&app, 80, 24, &ws), &app);
    assert!(s.contains("bo.ek sparade posten"), "{s}");
    insta::assert_snapshot!("conflict_sv_80x24", s);
    // back: the form with the input intact, and the next save conflicts again.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    assert!(app.form().unwrap().value(0).ends_with("(mine)"));
    ctrl(&mut app, 's');
    assert!(matches!(
        app.overlay(),
        Some(spets::ui::Overlay::Conflict(_))
    ));
}

#[test]
fn conflict_reload_loads_their_version() {
    let (_dir, other, mut app, id) = conflict_setup();
    key(&mut app, KeyCode::Char('r'));
    assert!(app.overlay().is_none());
    let form = app.form().expect("the form shows their version");
    assert!(!form.value(0).ends_with("(mine)"));
    let city = form.position("city").unwrap();
    assert_eq!(form.value(city), "Elsewhere");
    // Saving now is a normal save on top of their version.
    ctrl(&mut app, 's');
    assert!(app.form().is_none(), "{:?}", app.overlay());
    assert_eq!(stored_partner(&other, id).city, "Elsewhere");
}

#[test]
fn conflict_overwrite_saves_the_users_version() {
    let (_dir, other, mut app, id) = conflict_setup();
    key(&mut app, KeyCode::Char('o'));
    pump_until(&mut app, "the overwrite saved", |a| a.form().is_none());
    let p = stored_partner(&other, id);
    assert!(p.name.ends_with("(mine)"), "{p:?}");
    assert!(p.city.ends_with(" B") && p.city != "Elsewhere", "{p:?}");
}

// ---------------------------------------------------------------- reconnection

/// A client whose connection state the test sets, and whose export thread can be held.
struct Flaky {
    inner: Arc<dyn Client>,
    up: std::sync::atomic::AtomicBool,
    hold: std::sync::Mutex<bool>,
    released: std::sync::Condvar,
    /// Export calls that have waited at the hold.
    held_calls: std::sync::atomic::AtomicUsize,
}

impl Flaky {
    fn new(inner: Arc<dyn Client>) -> Arc<Flaky> {
        Arc::new(Flaky {
            inner,
            up: std::sync::atomic::AtomicBool::new(true),
            hold: std::sync::Mutex::new(false),
            released: std::sync::Condvar::new(),
            held_calls: std::sync::atomic::AtomicUsize::new(0),
        })
    }
    fn set_hold(&self, on: bool) {
        *self.hold.lock().unwrap() = on;
        self.released.notify_all();
    }
}

impl Client for Flaky {
    fn call(&self, req: spets::service::Request) -> spets::service::Response {
        if std::thread::current().name() == Some("spets-export") {
            let mut held = self.hold.lock().unwrap();
            if *held {
                self.held_calls
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            while *held {
                held = self.released.wait(held).unwrap();
            }
        }
        self.inner.call(req)
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<spets::service::ChangeEvent> {
        self.inner.subscribe()
    }
    fn identity(&self) -> spets::service::Identity {
        self.inner.identity()
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn connected(&self) -> bool {
        self.up.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
fn reconnecting_is_shown_and_the_form_input_survives() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let flaky = Flaky::new(open_client(&ws, true));
    let mut app = app_on(flaky.clone(), Lang::Sv);
    key(&mut app, KeyCode::Char('a'));
    typ(&mut app, "Halvskrivet namn");
    flaky.up.store(false, std::sync::atomic::Ordering::Relaxed);
    pump_until(&mut app, "the app noticed", |a| !a.connected());
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("återansluter till servern…"), "{s}");
    assert_eq!(app.form().unwrap().value(0), "Halvskrivet namn");
    app.set_lang(Lang::En);
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("reconnecting to the server…"), "{s}");
    flaky.up.store(true, std::sync::atomic::Ordering::Relaxed);
    let before = app.partners().rows().len();
    let sent = app.requests_sent();
    pump_until(&mut app, "the app reconnected", |a| a.connected());
    // The visible pane is reloaded. (Counted, not seen in flight: its answer may be back already.)
    settle(&mut app);
    assert!(app.requests_sent() > sent, "a refresh was sent");
    assert_eq!(app.partners().rows().len(), before);
    let s = screen(&app, 80, 24, &ws);
    assert!(!s.contains("reconnecting"), "{s}");
    assert_eq!(app.form().unwrap().value(0), "Halvskrivet namn");
}

// ---------------------------------------------------------------- CSV export and import

fn notice_text(app: &App) -> String {
    app.last_notice()
        .map(|n| n.text(app.lang()))
        .unwrap_or_default()
}

/// The temporary folder as `[TMP]`, with the padding after it collapsed (its length varies).
fn mask_tmp(screen: &str, dir: &Path) -> String {
    let d = dir.display().to_string();
    screen
        .lines()
        .map(|l| match l.split_once(&d) {
            Some((head, tail)) => {
                let mut t = String::new();
                for c in tail.chars() {
                    if !(c == ' ' && t.ends_with(' ')) {
                        t.push(c);
                    }
                }
                format!("{head}[TMP]{t}")
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Data rows in a CSV file (cells may hold line breaks).
fn csv_rows(path: &Path, delimiter: u8) -> usize {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap()
        .records()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .len()
}

fn open_export(app: &mut App, exports: &Path) {
    app.set_export_dir(exports.to_path_buf());
    key(app, KeyCode::F(10));
    assert!(matches!(
        app.overlay(),
        Some(spets::ui::Overlay::Menu { .. })
    ));
    key(app, KeyCode::Enter);
    assert!(
        matches!(app.overlay(), Some(spets::ui::Overlay::Export(_))),
        "{:?}",
        app.overlay()
    );
}

#[test]
fn export_dialog_snapshots_in_both_languages() {
    for lang in [Lang::En, Lang::Sv] {
        let (dir, mut app) = demo_app(lang);
        let ws = dir.path().join("ws");
        key(&mut app, KeyCode::Char('2'));
        // A fixed folder keeps the snapshot stable; nothing is written here.
        open_export(&mut app, Path::new("/home/anna/spets-exports"));
        let s = screen(&app, 80, 24, &ws);
        insta::assert_snapshot!(format!("export_dialog_{}_80x24", lang.key()), s);
    }
}

#[test]
fn export_through_the_app_writes_a_private_file_and_counts_rows() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut app) = demo_app(Lang::En);
    let exports = dir.path().join("exports");
    open_export(&mut app, &exports);
    ctrl(&mut app, 's');
    pump_until(&mut app, "the export finished", |a| a.overlay().is_none());
    let path = exports.join("partners-2026-11-28.csv");
    assert!(path.is_file(), "{}", notice_text(&app));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let n = app.partners().rows().len();
    assert_eq!(n, 24);
    assert_eq!(
        notice_text(&app),
        format!("Exported {n} rows to {}", path.display())
    );
    assert_eq!(csv_rows(&path, b','), n);
    // Swedish, the pane's filter as scope: the timeline's ±6 months.
    app.set_lang(Lang::Sv);
    key(&mut app, KeyCode::Char('2'));
    let shown = app.timeline().activities().len();
    open_export(&mut app, &exports);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the export finished", |a| a.overlay().is_none());
    // The default file name follows the language.
    let path = exports.join("aktiviteter-2026-11-28.csv");
    assert_eq!(
        notice_text(&app),
        format!("Exporterade {shown} rader till {}", path.display())
    );
    // Excel-sv: BOM, semicolons, Swedish headers; exactly the rows the pane shows.
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(String::from_utf8_lossy(&bytes).contains(";Datum;"));
    assert_eq!(csv_rows(&path, b';'), shown);
}

#[test]
fn export_asks_before_replacing_a_file() {
    let (dir, mut app) = demo_app(Lang::En);
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let path = exports.join("partners-2026-11-28.csv");
    std::fs::write(&path, "keep me").unwrap();
    open_export(&mut app, &exports);
    ctrl(&mut app, 's');
    pump_until(&mut app, "the question", |a| {
        matches!(
            a.overlay(),
            Some(spets::ui::Overlay::Confirm(
                spets::ui::overlays::Confirm::OverwriteExport(_)
            ))
        )
    });
    let s = screen(&app, 80, 24, &dir.path().join("ws"));
    assert!(s.contains("already exists"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.overlay(), Some(spets::ui::Overlay::Export(_))));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    ctrl(&mut app, 's');
    pump_until(&mut app, "the question again", |a| {
        matches!(a.overlay(), Some(spets::ui::Overlay::Confirm(_)))
    });
    key(&mut app, KeyCode::Char('y'));
    pump_until(&mut app, "the export finished", |a| a.overlay().is_none());
    assert!(
        notice_text(&app).starts_with("Exported 24 rows"),
        "{}",
        notice_text(&app)
    );
    assert!(std::fs::read_to_string(&path).unwrap().len() > 100);
}

#[test]
fn cancelling_an_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let flaky = Flaky::new(open_client(&ws, true));
    let mut app = app_on(flaky.clone(), Lang::En);
    // Activities: the export checks the cancel flag after every batch it fetches.
    key(&mut app, KeyCode::Char('2'));
    let exports = dir.path().join("exports");
    open_export(&mut app, &exports);
    flaky.set_hold(true);
    ctrl(&mut app, 's');
    assert!(matches!(
        app.overlay(),
        Some(spets::ui::Overlay::Exporting(_))
    ));
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("Esc cancels"), "{s}");
    // Cancel while the export is under way (it waits for its first batch).
    pump_until(&mut app, "the export to start", |_| {
        flaky.held_calls.load(std::sync::atomic::Ordering::SeqCst) > 0
    });
    key(&mut app, KeyCode::Esc);
    flaky.set_hold(false);
    pump_until(&mut app, "the export stopped", |a| a.overlay().is_none());
    assert_eq!(notice_text(&app), "Export cancelled; no file was written.");
    let left: Vec<_> = std::fs::read_dir(&exports).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn export_errors_are_plain_and_name_the_path() {
    let (dir, mut app) = demo_app(Lang::Sv);
    open_export(&mut app, &dir.path().join("exports"));
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    let Some(spets::ui::Overlay::Export(d)) = app.overlay() else {
        panic!()
    };
    for _ in 0..d.path().chars().count() {
        app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    let bad = dir.path().join("nowhere").join("x.csv");
    typ(&mut app, &bad.display().to_string());
    key(&mut app, KeyCode::Enter);
    pump_until(
        &mut app,
        "the failure",
        |a| matches!(a.overlay(), Some(spets::ui::Overlay::Export(d)) if d.error.is_some()),
    );
    let n = notice_text(&app);
    assert!(
        n.contains("Exporten misslyckades") && n.contains("finns inte") && n.contains("x.csv"),
        "{n}"
    );
}

#[test]
fn import_dry_run_report_then_valid_rows_only() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut app = app_on(open_client(&ws, false), Lang::En);
    let file = dir.path().join("in.csv");
    std::fs::write(
        &file,
        "name,kind,country\nNew Uni A,university,SE\nBad One,university,XX\nNew Uni B,university,NO\n",
    )
    .unwrap();
    key(&mut app, KeyCode::F(10));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(spets::ui::Overlay::Import(_))));
    key(&mut app, KeyCode::Tab);
    typ(&mut app, &file.display().to_string());
    ctrl(&mut app, 's');
    pump_until(&mut app, "the report", |a| {
        matches!(a.overlay(), Some(spets::ui::Overlay::ImportReview(_)))
    });
    let Some(spets::ui::Overlay::ImportReview(r)) = app.overlay() else {
        panic!()
    };
    assert_eq!((r.report.rows, r.report.valid), (3, 2));
    assert_eq!(
        r.choices,
        vec![
            spets::ui::transfer::ImportChoice::ValidOnly,
            spets::ui::transfer::ImportChoice::Cancel
        ]
    );
    let s = mask_tmp(&screen(&app, 80, 24, &ws), dir.path());
    assert!(
        s.contains("row 3") && s.contains("XX") && s.contains("3 rows read, 2 valid"),
        "{s}"
    );
    assert!(!s.contains("Import all rows"), "{s}");
    insta::assert_snapshot!("import_report_en_80x24", s);
    // Nothing was written by the dry run.
    assert!(app.partners().rows().is_empty());
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the import", |a| a.overlay().is_none());
    assert_eq!(
        notice_text(&app),
        "Imported 2 partners; 1 row with problems was skipped."
    );
    pump_until(&mut app, "the pane refreshed", |a| {
        a.partners().rows().len() == 2
    });
}

/// Goals are imported from the same dialog: the third kind, checked and then committed.
#[test]
fn goals_are_imported_from_the_import_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let client = open_client(&ws, true);
    let mut app = app_on(client.clone(), Lang::En);
    pump_until(&mut app, "the partners", |a| {
        !a.partners().rows().is_empty()
    });
    let name = app.partners().rows()[0].name.clone();
    let file = dir.path().join("goals.csv");
    std::fs::write(
        &file,
        format!(
            "Partner,Goal,Added values,Deadline,Status\n\
             \"{name}\",Two joint summer courses a year,Quality,2027-06-30,Open\n"
        ),
    )
    .unwrap();
    key(&mut app, KeyCode::F(10));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    let Some(spets::ui::Overlay::Import(d)) = app.overlay() else {
        panic!("the import dialog")
    };
    assert_eq!(d.kind(), spets::csvio::ImportKind::Goals);
    let s = screen(&app, 80, 24, &ws);
    assert!(s.contains("Goals"), "{s}");
    key(&mut app, KeyCode::Tab);
    typ(&mut app, &file.display().to_string());
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the report", |a| {
        matches!(a.overlay(), Some(spets::ui::Overlay::ImportReview(_)))
    });
    let Some(spets::ui::Overlay::ImportReview(r)) = app.overlay() else {
        panic!()
    };
    assert_eq!((r.report.rows, r.report.valid), (1, 1));
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the import", |a| a.overlay().is_none());
    assert_eq!(notice_text(&app), "Imported 1 goal.");
}

#[test]
fn import_all_is_offered_when_every_row_passes() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut app = app_on(open_client(&ws, false), Lang::Sv);
    let file = dir.path().join("ok.csv");
    std::fs::write(&file, "name,kind,country\nKTH,university,SE\n").unwrap();
    key(&mut app, KeyCode::F(10));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    typ(&mut app, &file.display().to_string());
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the report", |a| {
        matches!(a.overlay(), Some(spets::ui::Overlay::ImportReview(_)))
    });
    let Some(spets::ui::Overlay::ImportReview(r)) = app.overlay() else {
        panic!()
    };
    assert_eq!(r.choices[0], spets::ui::transfer::ImportChoice::All);
    key(&mut app, KeyCode::Enter);
    pump_until(&mut app, "the import", |a| a.overlay().is_none());
    assert_eq!(notice_text(&app), "Importerade 1 partner.");
    pump_until(&mut app, "the pane refreshed", |a| {
        a.partners().rows().len() == 1
    });
}
