//! The overview for the notice at start (which builds the life cycle, the longest read of an
//! open) runs beside the worker's queue: a pane the user turns to meanwhile does not wait for it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::app::{screen, settle};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spets::client::{Client, Embedded};
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::{ChangeEvent, Identity, Request, Response};
use spets::ui::theme::Theme;
use spets::ui::{App, Options, Pane};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The real embedded client, except that an overview waits until the test opens the gate.
struct Gated {
    inner: Embedded,
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gated {
    fn release(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

impl Client for Gated {
    fn call(&self, req: Request) -> Response {
        if req == Request::Overview {
            let mut open = self.open.lock().unwrap();
            while !*open {
                open = self.opened.wait(open).unwrap();
            }
        }
        self.inner.call(req)
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<ChangeEvent> {
        self.inner.subscribe()
    }
    fn identity(&self) -> Identity {
        self.inner.identity()
    }
    fn location(&self) -> String {
        self.inner.location()
    }
}

fn pump_until(app: &mut App, what: &str, cond: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + timeout();
    while !cond(app) {
        assert!(Instant::now() < deadline, "timed out: {what}");
        app.pump(Duration::from_millis(10));
    }
}

/// The app on a demo workspace through a gated client, its partner rows shown. The temporary
/// directory lives as long as the app needs it.
fn gated_app() -> (tempfile::TempDir, Arc<Gated>, App) {
    let tmp = tempfile::tempdir().unwrap();
    let s = Arc::new(open(tmp.path()));
    assert!(matches!(
        s.handle(&admin(), Request::LoadDemo),
        Response::DemoLoaded(_)
    ));
    let gated = Arc::new(Gated {
        inner: Embedded::new(s, ME.to_string()),
        open: Mutex::new(false),
        opened: Condvar::new(),
    });
    let mut app = App::new(
        gated.clone(),
        Options {
            lang: Lang::En,
            keymap: Keymap::preset("default").unwrap(),
            today: today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: Pane::Partners,
        },
    )
    .unwrap();
    pump_until(&mut app, "the partner rows", |a| {
        !a.partners().rows().is_empty()
    });
    (tmp, gated, app)
}

#[test]
fn the_timeline_answers_while_the_start_overview_is_still_running() {
    // The overview asked for at start is held at the gate; the partners (above) and then the
    // timeline load all the same.
    let (_tmp, gated, mut app) = gated_app();
    app.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
    pump_until(&mut app, "the timeline's rows", |a| {
        a.pane() == Pane::Timeline && a.timeline().is_loaded() && a.timeline().totals().0 > 0
    });
    assert!(
        !app.is_idle(),
        "the overview is still waiting at the gate, so it must not have been answered"
    );
    let before = screen(&app, 120, 40);
    assert!(!before.contains("due for renewal"), "{before}");
    // Once it runs, its answer arrives: the notice says what is due.
    gated.release();
    settle(&mut app);
    let after = screen(&app, 120, 40);
    assert!(after.contains("due for renewal"), "{after}");
}

#[test]
fn the_start_notice_does_not_cover_a_notice_given_while_it_ran() {
    let (_tmp, gated, mut app) = gated_app();
    // `u` (restore) on a partner that is not archived says it does nothing here.
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE));
    let told = "That does nothing in this view.";
    assert!(screen(&app, 120, 40).contains(told));
    // The overview answers after that notice: it goes beneath, and the notice stays.
    gated.release();
    settle(&mut app);
    let after = screen(&app, 120, 40);
    assert!(
        after.contains(told) && !after.contains("due for renewal"),
        "{after}"
    );
}
