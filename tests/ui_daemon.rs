//! The terminal UI (the real `App`) on a socket client to a real `spets serve`: the daemon
//! restarts while a form is open, and a CSV export runs through the daemon.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spets::client::{Client, Embedded, Remote};
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::{AnyData, Request, Response, Service};
use spets::store::Store;
use spets::ui::theme::Theme;
use spets::ui::{App, Options, Overlay};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Daemon {
    child: Child,
}

impl Daemon {
    fn start(db: &Path, socket: &Path) -> Daemon {
        let child = Command::new(BIN)
            .arg("serve")
            .arg("--init")
            .arg("--db")
            .arg(db)
            .arg("--socket")
            .arg(socket)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut d = Daemon { child };
        wait_for("the daemon's socket", || {
            assert!(d.child.try_wait().unwrap().is_none(), "the daemon exited");
            std::os::unix::net::UnixStream::connect(socket).is_ok()
        });
        d
    }

    fn terminate(&mut self) {
        rustix::process::kill_process(
            rustix::process::Pid::from_child(&self.child),
            rustix::process::Signal::TERM,
        )
        .unwrap();
        wait_for("the daemon to stop", || {
            self.child.try_wait().unwrap().is_some()
        });
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pump_until(app: &mut App, what: &str, mut cond: impl FnMut(&App) -> bool) {
    let deadline = Instant::now() + timeout();
    while !cond(app) {
        assert!(Instant::now() < deadline, "timed out: {what}");
        app.pump(Duration::from_millis(10));
    }
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, mods));
}

fn screen(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| spets::ui::draw(f, app)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..24 {
        for x in 0..80 {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn create(c: &dyn Client, name: &str) {
    let r = c.call(Request::Create(AnyData::Partner(partner(name, "SE"))));
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
}

#[test]
fn a_daemon_restart_keeps_the_form_and_the_export_goes_through_the_daemon() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("ws");
    let sock = tmp.path().join("run").join("spets.sock");
    let mut d = Daemon::start(&db, &sock);
    let remote: Arc<dyn Client> = Arc::new(Remote::connect(&sock).unwrap());
    create(&*remote, "Örebro universitet");
    create(&*remote, "Tartu Ülikool");
    let mut app = App::new(
        Arc::clone(&remote),
        Options {
            lang: Lang::Sv,
            keymap: Keymap::preset("default").unwrap(),
            today: today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    pump_until(&mut app, "the partners", |a| a.partners().rows().len() == 2);

    // A half-typed new partner when the daemon goes away.
    key(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    for c in "Halvskrivet".chars() {
        key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    d.terminate();
    drop(d);
    pump_until(&mut app, "the app to notice", |a| !a.connected());
    let s = screen(&app);
    assert!(s.contains("återansluter till servern…"), "{s}");
    assert_eq!(app.form().unwrap().value(0), "Halvskrivet");

    // Someone adds a partner directly while the daemon is down (no event reaches the app).
    {
        let service = Arc::new(Service::new(Store::open(&db).unwrap()).unwrap());
        create(&Embedded::new(service, "bo.ek".into()), "Åbo Akademi");
    }
    let _d2 = Daemon::start(&db, &sock);
    pump_until(&mut app, "the reconnection", |a| a.connected());
    // The visible pane is reloaded, the form is untouched.
    pump_until(&mut app, "the refreshed pane", |a| {
        a.partners().rows().len() == 3
    });
    assert_eq!(app.form().unwrap().value(0), "Halvskrivet");
    assert!(!screen(&app).contains("återansluter"));

    // Discard the form, then export through the new daemon.
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('y'), KeyModifiers::NONE);
    assert!(app.form().is_none());
    app.settle(timeout());
    let rows = app.partners().rows().len();
    app.set_export_dir(tmp.path().join("exports"));
    key(&mut app, KeyCode::F(10), KeyModifiers::NONE);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(app.overlay(), Some(Overlay::Export(_))));
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    pump_until(&mut app, "the export", |a| a.overlay().is_none());
    // Named after the daemon's date, which is everyone's "today".
    let path = tmp
        .path()
        .join("exports")
        .join(format!("partner-{}.csv", app.today().format("%Y-%m-%d")));
    let notice = app.last_notice().unwrap().text(Lang::Sv);
    assert_eq!(
        notice,
        format!("Exporterade {rows} rader till {}", path.display())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Åbo Akademi") && text.contains("Tartu Ülikool"));
}
