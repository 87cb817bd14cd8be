//! The real `App` on ratatui's TestBackend, for the UI tests: opened on a service as anna.lind
//! in the default keymap, keys pressed and answers awaited, the screen as text.

use super::ME;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spets::client::{Client, Embedded};
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::Service;
use spets::ui::theme::Theme;
use spets::ui::{App, Options};
use std::sync::Arc;

pub fn app_on(s: Arc<Service>, lang: Lang) -> App {
    let client: Arc<dyn Client> = Arc::new(Embedded::new(s, ME.to_string()));
    let mut app = App::new(
        client,
        Options {
            lang,
            keymap: Keymap::preset("default").unwrap(),
            today: super::today(),
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

pub fn settle(app: &mut App) {
    assert!(
        app.settle(super::timeout()),
        "the worker did not answer in time"
    );
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    settle(app);
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    settle(app);
}

pub fn typ(app: &mut App, s: &str) {
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

/// The screen as text, with the workspace's path masked.
pub fn screen(app: &App, w: u16, h: u16) -> String {
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
    out.replace(app.location(), "[WORKSPACE]")
}
