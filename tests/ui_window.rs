//! The list panes hold a window of their list, and the selection is a position in the whole list.
//! An action on the selected row must act on that row after the window has moved down the list
//! (before this was fixed, the phase dialog and the goal-link dialog looked the position up in the
//! window instead, and acted on another partner or note, or said "not here").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{app_on, key};
use common::{create, editor, partner};
use crossterm::event::KeyCode;
use spets::domain::*;
use spets::i18n::Lang;
use spets::service::{AnyData, Service};
use spets::ui::forms::FormKind;
use std::sync::Arc;

#[test]
fn the_phase_dialog_is_for_the_selected_partner_far_down_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let s = Service::open(dir.path())
        .unwrap()
        .with_today(common::today());
    for i in 0..300 {
        create(
            &s,
            &editor(),
            AnyData::Partner(partner(&format!("Partner {i:03}"), "SE")),
        );
    }
    let mut app = app_on(Arc::new(s), Lang::En);
    key(&mut app, KeyCode::Char('1'));
    for _ in 0..250 {
        key(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(app.partners().selected(), 250);
    assert!(
        app.partners().window().0 > 0,
        "the window has moved down the list"
    );
    key(&mut app, KeyCode::Char('P'));
    let form = app.form().expect("the phase dialog opens");
    let FormKind::PhaseChange(target) = form.kind() else {
        panic!("not the phase dialog");
    };
    assert_eq!(target.name, "Partner 250");
}

#[test]
fn goals_are_linked_to_the_selected_note_far_down_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let s = Service::open(dir.path())
        .unwrap()
        .with_today(common::today());
    let me = editor();
    let mut p = partner("Aalto University", "FI");
    p.goals.clear();
    let (pid, _) = create(&s, &me, AnyData::Partner(p));
    create(
        &s,
        &me,
        AnyData::Goal(Goal {
            partner: pid,
            text: "Joint doctoral programme".into(),
            values: vec![AddedValue::Quality],
            indicator: "Doctoral students".into(),
            target: "8 by 2028".into(),
            deadline: None,
            status: GoalStatus::Open,
            owner: common::ME.into(),
        }),
    );
    // Newest first: note 299 is at the top, note 0 at the bottom.
    let start = common::d("2020-01-01");
    for i in 0..300 {
        create(
            &s,
            &me,
            AnyData::Note(Note {
                date: start + chrono::Days::new(i),
                title: format!("Note {i:03}"),
                partners: vec![pid],
                kind: MeetingKind::Other,
                attendees: vec![],
                body: String::new(),
                decisions: vec![],
                actions: vec![],
            }),
        );
    }
    let mut app = app_on(Arc::new(s), Lang::En);
    key(&mut app, KeyCode::Char('4'));
    for _ in 0..260 {
        key(&mut app, KeyCode::Char('j'));
    }
    assert!(
        app.notes().window().0 > 0,
        "the window has moved down the list"
    );
    key(&mut app, KeyCode::Char('c'));
    let form = app.form().expect("the goal-link dialog opens");
    let FormKind::GoalLinks { title, .. } = form.kind() else {
        panic!("not the goal-link dialog");
    };
    assert_eq!(title, "Note 039");
}
