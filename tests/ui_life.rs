//! The life cycle in the terminal UI, driven through the real `App` on ratatui's TestBackend on a
//! small hand-made workspace: goals in the partner detail, the goal form, the dialog that links
//! an activity to goals; whole screens as snapshots in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{create, d, editor, partner};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spets::client::{Client, Embedded};
use spets::domain::*;
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::{AnyData, Service};
use spets::ui::theme::Theme;
use spets::ui::{App, Options};
use std::path::Path;
use std::sync::Arc;

const ME: &str = "anna.lind";

/// A partner with one open goal and one activity that is not linked yet.
fn workspace(dir: &Path) -> (Arc<Service>, Id) {
    let s = Service::open(dir).unwrap().with_today(common::today());
    let me = editor();
    let mut p = partner("Örebro universitet", "SE");
    p.goals.clear();
    let (pid, _) = create(&s, &me, AnyData::Partner(p));
    create(
        &s,
        &me,
        AnyData::Goal(Goal {
            partner: pid,
            text: "Joint doctoral programme".into(),
            values: vec![AddedValue::Quality, AddedValue::Reputation],
            indicator: "Doctoral students".into(),
            target: "8 by 2028".into(),
            deadline: Some(d("2028-06-30")),
            status: GoalStatus::Open,
            owner: ME.into(),
        }),
    );
    let mut a = common::activity(pid, "2026-10-01", "Workshop om AI");
    a.status = ActivityStatus::Done;
    create(&s, &me, AnyData::Activity(a));
    (Arc::new(s), pid)
}

fn app_on(s: Arc<Service>, lang: Lang) -> App {
    let client: Arc<dyn Client> = Arc::new(Embedded::new(s, ME.to_string()));
    let mut app = App::new(
        client,
        Options {
            lang,
            keymap: Keymap::preset("default").unwrap(),
            today: common::today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
        },
    )
    .unwrap();
    settle(&mut app);
    app
}

fn settle(app: &mut App) {
    assert!(
        app.settle(common::timeout()),
        "the worker did not answer in time"
    );
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    settle(app);
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    settle(app);
}

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

/// The screen as text, with the workspace's path masked.
fn screen(app: &App, w: u16, h: u16) -> String {
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

/// Open the detail of the only partner.
fn open_detail(app: &mut App) {
    key(app, KeyCode::Char('1'));
    key(app, KeyCode::Enter);
    assert!(app.partners().detail().is_some());
}

#[test]
fn goals_are_added_in_the_detail_and_followed_up_through_linked_activities() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let (s, pid) = workspace(dir.path());
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        let l = lang.key();
        insta::assert_snapshot!(format!("life_goals_detail_{l}"), screen(&app, 100, 40));

        // Add a goal: the add chooser's last entry but one.
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the goal form opens");
        typ(&mut app, "Two joint applications a year");
        insta::assert_snapshot!(format!("life_goal_form_{l}"), screen(&app, 100, 30));
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");
        let goals = app.partners().detail().unwrap().life().unwrap().goals.len();
        assert_eq!(goals, 2);

        // Link the activity to the first goal from the timeline.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('2'));
        let mut tries = 0;
        while app.timeline().selected_activity().is_none() && tries < 50 {
            key(&mut app, KeyCode::Char('k'));
            tries += 1;
        }
        assert!(app.timeline().selected_activity().is_some());
        key(&mut app, KeyCode::Char('c'));
        assert!(app.form().is_some(), "the link dialog opens");
        insta::assert_snapshot!(format!("life_link_dialog_{l}"), screen(&app, 100, 24));
        key(&mut app, KeyCode::Char(' '));
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");

        open_detail(&mut app);
        let life = app.partners().detail().unwrap().life().unwrap();
        let followed = life
            .goals
            .iter()
            .find(|g| g.goal.data.text == "Joint doctoral programme")
            .unwrap();
        assert_eq!(followed.last, Some(d("2026-10-01")));
        assert!(!followed.no_follow_up);
        let text = screen(&app, 100, 40);
        assert!(text.contains("2026-10-01 Workshop om AI"), "{text}");
        drop(app);
        assert_eq!(s.store().count(EntityKind::GoalLinks), 1);
        let _ = pid;
    }
}

#[test]
fn the_phase_dialog_shows_the_criteria_and_records_the_override() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        p.phase = Phase::Prospect;
        let (pid, _) = create(&s, &editor(), AnyData::Partner(p));
        let s = Arc::new(s);
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        key(&mut app, KeyCode::Char('P'));
        assert!(app.form().is_some(), "the phase dialog opens");
        let l = lang.key();
        insta::assert_snapshot!(format!("life_phase_dialog_{l}"), screen(&app, 100, 24));
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        typ(&mut app, "Rektors beslut");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");
        let life = app.partners().detail().unwrap().life().unwrap();
        assert_eq!(life.phases.len(), 1);
        assert_eq!(
            life.phases[0].data.unmet,
            vec![Criterion::SuitabilityAssessed]
        );
        assert_eq!(
            app.partners()
                .detail()
                .unwrap()
                .data()
                .unwrap()
                .partner
                .data
                .phase,
            Phase::StartUp
        );
        insta::assert_snapshot!(format!("life_phase_history_{l}"), screen(&app, 100, 40));
        drop(app);
        let stored = s.store().get::<Partner>(pid).unwrap().unwrap();
        assert_eq!(stored.data.phase, Phase::StartUp);
    }
}
