//! Input that never surprises: every rule of issue 14, driven by key strings through the real
//! `App` in the default, vim and emacs presets, on real sled workspaces.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spets::client::{Client, Embedded};
use spets::demo::DemoSpec;
use spets::i18n::Lang;
use spets::keymap::{Keymap, parse_sequence};
use spets::service::{Identity, Request, Response, Role, Service};
use spets::store::Store;
use spets::ui::overlays::Confirm;
use spets::ui::theme::Theme;
use spets::ui::{App, Options, Overlay, Pane};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const ME: &str = "anna.lind";
const PRESETS: [&str; 3] = ["default", "vim", "emacs"];

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

fn service(dir: &Path, demo: bool) -> Arc<Service> {
    let store = Store::open(dir).unwrap();
    if demo {
        let spec = DemoSpec {
            partners: 8,
            activities: 40,
            notes: 8,
            seed: 5,
            today: today(),
            me: ME.to_string(),
        };
        spets::demo::generate(&store, &spec, ME).unwrap();
    }
    Arc::new(Service::new(store).unwrap().with_today(today()))
}

fn app_on(client: Arc<dyn Client>, preset: &str, lang: Lang) -> App {
    let mut app = App::new(
        client,
        Options {
            lang,
            keymap: Keymap::preset(preset).unwrap(),
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

fn demo(preset: &str, lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(&dir.path().join("ws"), true);
    let app = app_on(Arc::new(Embedded::new(svc, ME.into())), preset, lang);
    (dir, app)
}

fn settle(app: &mut App) {
    assert!(app.settle(timeout()), "the worker did not answer in time");
}

/// Press keys written in keymap syntax, separated by spaces ("a <C-w> <Esc>"); `_` is a space.
fn press(app: &mut App, keys: &str) {
    for chord in parse_sequence(keys).unwrap() {
        app.handle_key(KeyEvent::from(chord));
        settle(app);
    }
}

/// Type text, character by character.
fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        let chord = spets::keymap::KeyChord::char(c);
        app.handle_key(KeyEvent::from(chord));
    }
    settle(app);
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| spets::ui::draw(f, app)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn notice(app: &App) -> String {
    app.last_notice()
        .map(|n| n.text(app.lang()))
        .unwrap_or_default()
}

/// The key that runs `action` in a pane context of this app's keymap.
fn add_key(preset: &str) -> &'static str {
    match preset {
        "vim" => "o",
        "emacs" => "+",
        _ => "a",
    }
}

// ---------------------------------------------------------------- editing keys

/// Chords that must never type a letter: readline editing keys and unbound Ctrl/Alt letters.
const CHORDS: &str =
    "<C-a> <C-e> <C-b> <C-f> <A-b> <A-f> <C-k> <C-u> <C-w> <C-y> <C-d> <C-q> <A-q> <A-z> <A-m>";

fn check_every_field(app: &mut App, what: &str) {
    let n = app.form().unwrap().rows().len();
    for i in 0..n {
        let before = app.form().unwrap().rows()[i].input.clone();
        let text = before.is_text();
        if text {
            typ(app, "ab");
        }
        press(app, CHORDS);
        let form = app.form().expect("the form stays open");
        assert_eq!(form.focus(), i, "{what}: a chord moved the focus");
        let v = form.value(i);
        if text {
            assert!(
                v.chars()
                    .all(|c| "ab".contains(c) || before.text().contains(c)),
                "{what} row {i}: {v:?}"
            );
        } else {
            assert_eq!(form.rows()[i].input, before, "{what} row {i}");
        }
        // Next field (Tab works in every preset and in the multi-line editor).
        press(app, "<Tab>");
    }
}

#[test]
fn ctrl_and_alt_letters_type_nothing_in_any_field_in_every_preset() {
    for preset in PRESETS {
        let (_dir, mut app) = demo(preset, Lang::En);
        // The partner form.
        press(&mut app, add_key(preset));
        check_every_field(&mut app, &format!("{preset} partner"));
        app.handle_key(KeyEvent::from(spets::keymap::KeyChord::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        )));
        press(&mut app, "y");
        assert!(app.quitting());
        // A note (with the multi-line body and an action item).
        let (_dir, mut app) = demo(preset, Lang::En);
        press(&mut app, if preset == "vim" { "<A-4>" } else { "4" });
        press(&mut app, add_key(preset));
        let t = if preset == "emacs" {
            "<C-x> t"
        } else {
            "<C-t>"
        };
        press(&mut app, t);
        while app.form().unwrap().focus() != 0 {
            press(&mut app, "<Tab>");
        }
        check_every_field(&mut app, &format!("{preset} note"));
    }
}

#[test]
fn readline_keys_edit_a_field_the_same_way_in_every_preset() {
    for preset in PRESETS {
        let (_dir, mut app) = demo(preset, Lang::En);
        press(&mut app, add_key(preset));
        typ(&mut app, "Pharma");
        press(&mut app, "<C-a> <C-e> <C-k> <C-u>");
        assert_eq!(app.form().unwrap().value(0), "", "{preset}");
        press(&mut app, "<C-y>");
        assert_eq!(app.form().unwrap().value(0), "Pharma", "{preset}");
        typ(&mut app, " corp");
        press(&mut app, "<C-w>");
        assert_eq!(app.form().unwrap().value(0), "Pharma", "{preset}");
        press(&mut app, "<C-_>");
        assert_eq!(app.form().unwrap().value(0), "Pharma corp", "{preset}");
        // vim: C-w is an editing key here, not the start of "next pane".
        assert!(!app.keys().is_pending(), "{preset}");
    }
}

#[test]
fn emacs_line_keys_move_in_the_note_editor() {
    let (_dir, mut app) = demo("emacs", Lang::En);
    press(&mut app, "4 +");
    let body = app.form().unwrap().position("body").unwrap();
    for _ in 0..body {
        press(&mut app, "<Tab>");
    }
    typ(&mut app, "one");
    press(&mut app, "<Enter>");
    typ(&mut app, "two");
    press(&mut app, "<C-p> <C-e>");
    typ(&mut app, "!");
    press(&mut app, "<A->> <C-b> <C-b>");
    typ(&mut app, "_");
    press(&mut app, "<A-<> <C-f>");
    typ(&mut app, "+");
    press(&mut app, "<C-n>");
    assert_eq!(app.form().unwrap().value(body), "o+ne!\nt_wo");
    assert_eq!(
        app.form().unwrap().focus(),
        body,
        "C-n moved in the text, not the form"
    );
}

#[test]
fn vim_normal_mode_and_ex_commands_in_forms() {
    let (_dir, mut app) = demo("vim", Lang::En);
    let id = app.partners().rows()[0].id;
    let name = app.partners().rows()[0].name.clone();
    // i edits; the form starts in insert mode.
    press(&mut app, "i");
    assert!(app.form().is_some());
    typ(&mut app, " X");
    press(&mut app, "<Esc>");
    assert!(screen(&app, 120, 40).contains("-- NORMAL --"));
    // Normal mode: 0 x deletes the first character, u undoes it.
    press(&mut app, "0 x");
    assert_eq!(
        app.form().unwrap().value(0),
        format!("{} X", &name[name.char_indices().nth(1).unwrap().0..])
    );
    press(&mut app, "u");
    assert_eq!(app.form().unwrap().value(0), format!("{name} X"));
    // :q with unsaved input asks; no keeps the form.
    press(&mut app, ": q <Enter>");
    assert!(matches!(
        app.overlay(),
        Some(Overlay::Confirm(Confirm::CancelForm))
    ));
    press(&mut app, "n");
    assert!(app.form().is_some());
    // :w saves.
    press(&mut app, ": w <Enter>");
    assert!(app.form().is_none(), "{}", notice(&app));
    let row = app.partners().rows().iter().find(|r| r.id == id).unwrap();
    assert_eq!(row.name, format!("{name} X"));
    // :q on an unchanged form leaves without asking.
    press(&mut app, "i <Esc> : q <Enter>");
    assert!(app.form().is_none() && app.overlay().is_none());
}

// ---------------------------------------------------------------- confirmations

#[test]
fn dialogs_default_to_no_in_every_preset() {
    for preset in PRESETS {
        let (_dir, mut app) = demo(preset, Lang::En);
        let n = app.partners().rows().len();
        let archive = if preset == "vim" { "d d" } else { "d" };
        for answer in ["<Enter>", "j", "n", "<Esc>", "x"] {
            press(&mut app, archive);
            assert!(matches!(
                app.overlay(),
                Some(Overlay::Confirm(Confirm::Archive { .. }))
            ));
            let s = screen(&app, 100, 30);
            assert!(s.contains("y yes · n no"), "{preset}: {s}");
            press(&mut app, answer);
            if matches!(answer, "x" | "j") {
                // Not an answer in English: the question stays.
                assert!(app.overlay().is_some(), "{preset} {answer}");
                press(&mut app, "<Esc>");
            }
            assert!(app.overlay().is_none(), "{preset} {answer}");
            assert_eq!(
                app.partners().rows().len(),
                n,
                "{preset}: {answer} archived"
            );
        }
        press(&mut app, archive);
        press(&mut app, "y");
        assert_eq!(app.partners().rows().len(), n - 1, "{preset}");
    }
    // In Swedish the dialog shows and takes j (ja) as well.
    let (_dir, mut app) = demo("default", Lang::Sv);
    let n = app.partners().rows().len();
    press(&mut app, "d");
    assert!(screen(&app, 100, 30).contains("j/y ja · n nej"));
    press(&mut app, "j");
    assert_eq!(app.partners().rows().len(), n - 1);
}

#[test]
fn ctrl_c_and_quit_ask_when_a_form_holds_unsaved_input() {
    let ctrl_c = || {
        KeyEvent::new(
            crossterm::event::KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        )
    };
    for preset in PRESETS {
        let (_dir, mut app) = demo(preset, Lang::En);
        // A clean form: Ctrl-C quits at once.
        press(&mut app, add_key(preset));
        app.handle_key(ctrl_c());
        assert!(app.quitting(), "{preset}");
        let (_dir, mut app) = demo(preset, Lang::En);
        press(&mut app, add_key(preset));
        typ(&mut app, "Half typed");
        app.handle_key(ctrl_c());
        assert!(!app.quitting(), "{preset}");
        assert!(matches!(
            app.overlay(),
            Some(Overlay::Confirm(Confirm::Quit))
        ));
        press(&mut app, "<Enter>");
        assert!(!app.quitting());
        assert_eq!(app.form().unwrap().value(0), "Half typed");
        // The menu's Quit asks too; a second Ctrl-C on the question quits.
        press(&mut app, "<F10> <End> <Enter>");
        assert!(
            matches!(app.overlay(), Some(Overlay::Confirm(Confirm::Quit))),
            "{preset}"
        );
        app.handle_key(ctrl_c());
        assert!(app.quitting(), "{preset}");
    }
}

// ---------------------------------------------------------------- terminal too small

#[test]
fn keys_are_ignored_while_the_terminal_is_too_small() {
    let (_dir, mut app) = demo("default", Lang::En);
    app.resize(60, 20);
    press(&mut app, "1 d a / 2 <Enter> <F10>");
    assert!(app.overlay().is_none() && app.form().is_none());
    assert_eq!(app.pane(), Pane::Partners);
    let s = screen(&app, 60, 20);
    assert!(s.contains("ignored"), "{s}");
    app.resize(120, 40);
    assert!(app.overlay().is_none(), "no archive question waits");
    app.resize(60, 20);
    press(&mut app, "q");
    assert!(app.quitting(), "q still quits");
}

// ---------------------------------------------------------------- roles

/// A viewer on the same service.
struct ViewerClient {
    service: Arc<Service>,
    who: Identity,
}

impl Client for ViewerClient {
    fn call(&self, req: Request) -> Response {
        self.service.handle(&self.who, req)
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<spets::service::ChangeEvent> {
        self.service.subscribe()
    }
    fn identity(&self) -> Identity {
        self.who.clone()
    }
    fn location(&self) -> String {
        "viewer".into()
    }
}

#[test]
fn a_viewer_sees_read_only_and_cannot_change_anything() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(&dir.path().join("ws"), true);
    let who = Identity {
        user: "guest".into(),
        role: Role::Viewer,
    };
    let mut app = app_on(
        Arc::new(ViewerClient { service: svc, who }),
        "default",
        Lang::En,
    );
    let s = screen(&app, 120, 40);
    assert!(s.contains("read only"), "{s}");
    assert!(!s.contains(" a add"), "add is hidden: {s}");
    let n = app.partners().rows().len();
    for k in ["a", "e", "d", "u", "D"] {
        press(&mut app, k);
        assert!(app.form().is_none() && app.overlay().is_none(), "{k}");
        assert!(
            notice(&app).contains("read but not change"),
            "{k}: {}",
            notice(&app)
        );
    }
    assert_eq!(app.partners().rows().len(), n);
    // Forms open read-only: typing and saving change nothing.
    press(&mut app, "2");
    while app.timeline().selected_activity().is_none() {
        press(&mut app, "j");
    }
    press(&mut app, "<Enter>");
    let form = app.form().expect("the activity opens to read");
    assert!(form.is_read_only());
    let before = form.value(0);
    typ(&mut app, "xyz");
    press(&mut app, "<C-u> <C-s>");
    assert_eq!(app.form().unwrap().value(0), before);
    assert!(notice(&app).contains("read but not change"));
    assert!(screen(&app, 120, 40).contains("Read only"));
    press(&mut app, "<Esc>");
    assert!(
        app.form().is_none(),
        "an unchanged read-only form closes without asking"
    );
}

// ---------------------------------------------------------------- offline

struct Flaky {
    inner: Arc<dyn Client>,
    up: std::sync::atomic::AtomicBool,
}

impl Client for Flaky {
    fn call(&self, req: Request) -> Response {
        self.inner.call(req)
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<spets::service::ChangeEvent> {
        self.inner.subscribe()
    }
    fn identity(&self) -> Identity {
        self.inner.identity()
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn connected(&self) -> bool {
        self.up.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn pump_until(app: &mut App, what: &str, cond: impl Fn(&App) -> bool) {
    let deadline = std::time::Instant::now() + timeout();
    while !cond(app) {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        app.pump(Duration::from_millis(10));
    }
}

#[test]
fn offline_keys_that_need_the_server_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(&dir.path().join("ws"), true);
    let flaky = Arc::new(Flaky {
        inner: Arc::new(Embedded::new(svc, ME.into())),
        up: std::sync::atomic::AtomicBool::new(true),
    });
    let mut app = app_on(flaky.clone(), "default", Lang::En);
    flaky.up.store(false, std::sync::atomic::Ordering::Relaxed);
    pump_until(&mut app, "offline", |a| !a.connected());
    let s = screen(&app, 120, 40);
    assert!(s.contains("offline, reconnecting"), "{s}");
    let sent = app.requests_sent();
    for k in ["a", "e", "d", "<Enter>", "/", "f p", "s", "A", "D", "E"] {
        press(&mut app, k);
        assert!(
            app.form().is_none() && app.overlay().is_none(),
            "{k} was not refused"
        );
        assert!(!app.searching());
        assert!(
            notice(&app).starts_with("Offline, reconnecting"),
            "{k}: {}",
            notice(&app)
        );
    }
    assert_eq!(app.requests_sent(), sent, "nothing was queued");
    // Moving works on what is shown.
    press(&mut app, "j");
    assert_eq!(app.partners().selected(), 1);
    flaky.up.store(true, std::sync::atomic::Ordering::Relaxed);
    pump_until(&mut app, "online", App::connected);
    settle(&mut app);
    press(&mut app, "a");
    assert!(app.form().is_some());
}

// ---------------------------------------------------------------- archive and restore

#[test]
fn notes_archive_and_restore() {
    let (_dir, mut app) = demo("default", Lang::En);
    press(&mut app, "4");
    let n = app.notes().notes().len();
    let title = app.notes().notes()[0].data.title.clone();
    press(&mut app, "d");
    let s = screen(&app, 120, 40);
    assert!(s.contains("(A)"), "{s}");
    press(&mut app, "y");
    assert_eq!(app.notes().notes().len(), n - 1);
    press(&mut app, "A");
    assert!(screen(&app, 120, 40).contains("Archive"));
    assert_eq!(app.notes().notes().len(), 1);
    assert_eq!(app.notes().notes()[0].data.title, title);
    press(&mut app, "u y A");
    assert_eq!(app.notes().notes().len(), n);
}

#[test]
fn agreements_and_contacts_archive_and_restore_in_the_detail_view() {
    let (_dir, mut app) = demo("emacs", Lang::En);
    let with = app
        .partners()
        .rows()
        .iter()
        .position(|r| r.agreement_end.is_some())
        .unwrap();
    for _ in 0..with {
        press(&mut app, "<Down>");
    }
    press(&mut app, "<Enter>");
    let d = app.partners().detail().unwrap().data().unwrap();
    let (agreements, title) = (d.agreements.len(), d.agreements[0].data.title.clone());
    // d: choose what to archive (the partner itself is first), then confirm.
    press(&mut app, "d");
    assert!(matches!(app.overlay(), Some(Overlay::Choose { .. })));
    press(&mut app, "<Down> <Enter> y");
    let d = app.partners().detail().unwrap().data().unwrap();
    assert_eq!(d.agreements.len(), agreements - 1);
    assert_eq!(d.archived_agreements[0].data.title, title);
    // The archived view, then u: restore.
    press(&mut app, "<C-x> h");
    assert!(screen(&app, 120, 40).contains("Archived agreements and contacts"));
    press(&mut app, "u <Enter> y");
    let d = app.partners().detail().unwrap().data().unwrap();
    assert_eq!(d.agreements.len(), agreements);
    assert!(d.archived_agreements.is_empty());
}

// ---------------------------------------------------------------- hints and changes

#[test]
fn hints_name_the_keys_of_the_active_keymap() {
    for (preset, add) in [
        ("default", "Press a to add"),
        ("vim", "Press o to add"),
        ("emacs", "Press + to add"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let svc = service(&dir.path().join("ws"), false);
        let app = app_on(Arc::new(Embedded::new(svc, ME.into())), preset, Lang::En);
        let s = screen(&app, 120, 40);
        assert!(s.contains(add), "{preset}: {s}");
    }
    let (_dir, mut app) = demo("vim", Lang::En);
    press(&mut app, "o");
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Ctrl-s save") && s.contains("-- INSERT --"),
        "{s}"
    );
}

#[test]
fn another_users_change_updates_the_row_in_place_and_the_saver_uses_its_own_record() {
    use spets::domain::EntityKind;
    use spets::service::{AnyData, AnyRecord};
    let dir = tempfile::tempdir().unwrap();
    let svc = service(&dir.path().join("ws"), true);
    let other = Embedded::new(Arc::clone(&svc), "bo.ek".into());
    let mut app = app_on(Arc::new(Embedded::new(svc, ME.into())), "default", Lang::En);
    let row = app.partners().rows()[1].clone();
    let Response::Record(AnyRecord::Partner(rec)) = other.call(Request::Get {
        kind: EntityKind::Partner,
        id: row.id,
    }) else {
        panic!()
    };
    let mut data = rec.data.clone();
    data.city = "Elsewhere".into();
    data.phase = spets::domain::Phase::Ended;
    let sent = app.requests_sent();
    other.call(Request::Update {
        id: row.id,
        expected_version: rec.meta.version,
        data: AnyData::Partner(data),
    });
    pump_until(&mut app, "the change", |a| {
        a.partners()
            .rows()
            .iter()
            .any(|r| r.id == row.id && r.phase == spets::domain::Phase::Ended)
    });
    settle(&mut app);
    assert_eq!(
        app.requests_sent() - sent,
        1,
        "one record read, no pane reloaded"
    );
    // Our own save: the form's record is applied, nothing is read back.
    press(&mut app, "j e");
    let city = app.form().unwrap().position("city").unwrap();
    for _ in 0..city {
        press(&mut app, "<Tab>");
    }
    typ(&mut app, " Nord");
    let sent = app.requests_sent();
    press(&mut app, "<C-s>");
    assert!(app.form().is_none(), "{}", notice(&app));
    // The change event of our own save (held while the save was on its way, or arriving after
    // it) must not cause a read.
    app.pump(Duration::from_millis(200));
    settle(&mut app);
    assert_eq!(app.requests_sent() - sent, 1, "only the save itself");
    let r = app
        .partners()
        .rows()
        .iter()
        .find(|r| r.id == row.id)
        .unwrap();
    assert_eq!(r.city, "Elsewhere Nord");
}
