//! The life cycle in the terminal UI, driven through the real `App` on ratatui's TestBackend on a
//! small hand-made workspace: goals in the partner detail, the goal form, the dialog that links
//! an activity to goals, the phase dialog with its checklist and the phase history, the
//! suitability and risk assessment; whole screens as snapshots in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::ME;
use common::app::{app_on, ctrl, key, screen, typ};

use common::{create, d, editor, partner};
use crossterm::event::KeyCode;
use spets::domain::*;
use spets::i18n::Lang;
use spets::service::{AnyData, Service};
use spets::ui::App;
use std::path::Path;
use std::sync::Arc;

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

        // Add a goal: the add chooser's third entry from the end.
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
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

/// Replace the text of the focused line field.
fn retype(app: &mut App, s: &str) {
    key(app, KeyCode::End);
    ctrl(app, 'u');
    typ(app, s);
}

#[test]
fn a_prospect_gets_a_suitability_assessment_from_the_detail() {
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
        let l = lang.key();
        let text = screen(&app, 100, 40);
        let missing = match lang {
            Lang::En => "not assessed yet",
            Lang::Sv => "inte bedömd ännu",
        };
        assert!(
            text.contains(missing),
            "a prospect without one says so\n{text}"
        );

        // The add chooser's last entry but one.
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the assessment form opens");
        // A date that does not exist is a field error, and nothing is written.
        retype(&mut app, "2026-02-30");
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        typ(&mut app, "Teknik; Medicin");
        ctrl(&mut app, 's');
        assert!(app.form().is_some(), "not saved");
        insta::assert_snapshot!(format!("life_suitability_form_{l}"), screen(&app, 100, 30));
        assert_eq!(s.store().count(EntityKind::Suitability), 0);

        // Mended, it saves; the detail shows it.
        retype(&mut app, "2026-11-20");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");
        drop(app);
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        let life = app.partners().detail().unwrap().life().unwrap();
        assert_eq!(life.suitability.len(), 1);
        let a = &life.suitability[0].data;
        assert_eq!(
            (
                a.partner,
                a.date,
                a.strategic_fit,
                a.commitment,
                a.mutual_benefit
            ),
            (pid, d("2026-11-20"), 3, 2, 3)
        );
        assert_eq!(a.faculties, vec!["Teknik".to_string(), "Medicin".into()]);
        assert_eq!(a.assessor, ME);
        // Before start-up, the assessment is met now.
        let next = life.next.as_ref().unwrap();
        assert_eq!(next.phase, Phase::StartUp);
        assert!(next.checks.iter().all(|c| c.met));
        insta::assert_snapshot!(
            format!("life_suitability_detail_{l}"),
            screen(&app, 100, 40)
        );
    }
}

#[test]
fn a_new_start_shows_why_its_criterion_is_unmet_and_a_future_date_is_a_field_error() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        p.phase = Phase::Evaluation;
        let (pid, _) = create(&s, &editor(), AnyData::Partner(p));
        let s = Arc::new(s);
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        key(&mut app, KeyCode::Char('P'));
        assert!(app.form().is_some(), "the phase dialog opens");
        // After an evaluation no phase is the usual next one: choose a new start.
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        retype(&mut app, "2026-12-01");
        key(&mut app, KeyCode::Tab);
        typ(&mut app, "Ny inriktning");
        let before = s.store().audit_count();
        ctrl(&mut app, 's');
        assert!(app.form().is_some(), "refused: the dialog stays open");
        let l = lang.key();
        insta::assert_snapshot!(format!("life_phase_new_start_{l}"), screen(&app, 100, 24));
        assert_eq!(s.store().audit_count(), before, "nothing written");
        let stored = s.store().get::<Partner>(pid).unwrap().unwrap();
        assert_eq!(stored.data.phase, Phase::Evaluation);
    }
}

#[test]
fn the_governance_rhythm_shows_in_the_detail_is_edited_and_marks_the_partners_pane() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let me = editor();
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        let (pid, _) = create(&s, &me, AnyData::Partner(p));
        let mut other = partner("KTH", "SE");
        other.goals.clear();
        let (kth, _) = create(&s, &me, AnyData::Partner(other));
        for (who, kind, date) in [
            (pid, MeetingKind::SteeringGroup, "2025-11-30"),
            (kth, MeetingKind::SteeringGroup, "2026-10-01"),
            (kth, MeetingKind::Management, "2026-06-15"),
        ] {
            create(
                &s,
                &me,
                AnyData::Note(Note {
                    partners: vec![who],
                    date: d(date),
                    title: "Möte".into(),
                    kind,
                    attendees: vec![],
                    body: String::new(),
                    decisions: vec![],
                    actions: vec![],
                }),
            );
        }
        let s = Arc::new(s);
        let mut app = app_on(Arc::clone(&s), lang);
        let l = lang.key();
        // The Partners pane marks Aalto (its steering group is overdue) and filters on it.
        key(&mut app, KeyCode::Char('1'));
        key(&mut app, KeyCode::Char('f'));
        key(&mut app, KeyCode::Char('g'));
        insta::assert_snapshot!(format!("life_governance_filter_{l}"), screen(&app, 100, 24));
        assert_eq!(app.partners().rows().len(), 1);

        // The detail shows the rhythm and its compliance.
        key(&mut app, KeyCode::Enter);
        assert!(app.partners().detail().is_some());
        let g = app
            .partners()
            .detail()
            .unwrap()
            .life()
            .unwrap()
            .governance
            .clone()
            .unwrap();
        assert!(g.behind());
        insta::assert_snapshot!(format!("life_governance_detail_{l}"), screen(&app, 100, 40));

        // Edit the rhythm (the edit chooser's last entry): 0 months is a field error.
        key(&mut app, KeyCode::Char('e'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the rhythm form opens");
        retype(&mut app, "0");
        ctrl(&mut app, 's');
        assert!(app.form().is_some(), "refused");
        insta::assert_snapshot!(format!("life_rhythm_form_{l}"), screen(&app, 100, 24));
        assert_eq!(s.store().count(EntityKind::Rhythm), 0);
        retype(&mut app, "12");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");
        drop(app);
        let rhythm = s
            .store()
            .scan::<Rhythm>()
            .map(|r| r.unwrap().data)
            .collect::<Vec<_>>();
        assert_eq!(
            rhythm,
            vec![Rhythm {
                partner: pid,
                steering_group_months: 12,
                management_months: 6,
            }]
        );
        // A steering group every 12 months: the one of 2025-11-30 is due on 2026-11-30.
        let g = common::life(&s, pid).governance.unwrap();
        let sg = g
            .meetings
            .iter()
            .find(|m| m.kind == MeetingKind::SteeringGroup)
            .unwrap();
        assert_eq!(
            (sg.next_due, sg.state),
            (Some(d("2026-11-30")), spets::service::RhythmState::Kept)
        );
    }
}

#[test]
fn the_detail_shows_the_latest_evaluation_with_both_sides() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        p.tier = Tier::Other;
        let (pid, _) = create(&s, &editor(), AnyData::Partner(p));
        let both = |ours, partner| Sides {
            ours: Some(ours),
            partner: Some(partner),
        };
        for (start, end, decision) in [
            ("2024-07-01", "2025-06-30", Decision::Continue),
            ("2025-07-01", "2026-06-30", Decision::Renew),
        ] {
            create(
                &s,
                &editor(),
                AnyData::Evaluation(Evaluation {
                    partner: pid,
                    start: d(start),
                    end: d(end),
                    characteristics: [both(3, 4), both(4, 4), both(2, 3), both(3, 2), both(3, 3)],
                    values: [
                        both(3, 3),
                        both(2, 4),
                        Sides::default(),
                        both(1, 2),
                        both(4, 3),
                        both(2, 2),
                    ],
                    goals: vec![],
                    decision,
                    next: Some(d("2027-06-30")),
                    comment: String::new(),
                }),
            );
        }
        let mut app = app_on(Arc::new(s), lang);
        open_detail(&mut app);
        let l = lang.key();
        insta::assert_snapshot!(format!("life_evaluation_detail_{l}"), screen(&app, 100, 40));
    }
}

#[test]
fn an_evaluation_is_entered_in_the_form_and_an_overlapping_period_is_a_field_error() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let (s, pid) = workspace(dir.path());
        let goal = s
            .store()
            .scan::<Goal>()
            .map(|g| g.unwrap().meta.id)
            .next()
            .unwrap();
        let (existing, _) = create(
            &s,
            &editor(),
            AnyData::Evaluation(Evaluation {
                partner: pid,
                start: d("2025-01-01"),
                end: d("2025-12-31"),
                characteristics: [Sides::default(); 5],
                values: [Sides::default(); 6],
                goals: vec![],
                decision: Decision::Continue,
                next: Some(d("2026-12-31")),
                comment: String::new(),
            }),
        );
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        // The add chooser's last entry.
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the evaluation form opens");
        // The last 12 months overlap the evaluation of 2025: refused on the period's start.
        let before = s.store().audit_count();
        ctrl(&mut app, 's');
        assert!(app.form().is_some(), "refused");
        assert_eq!(s.store().audit_count(), before, "nothing written");
        let l = lang.key();
        insta::assert_snapshot!(format!("life_evaluation_form_{l}"), screen(&app, 100, 40));

        retype(&mut app, "2026-01-01");
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right); // Renew
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Char('3')); // our management commitment
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Char('4')); // the partner's
        for _ in 0..21 {
            key(&mut app, KeyCode::Tab);
        }
        key(&mut app, KeyCode::Right); // the goal: reached
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved");
        drop(app);
        let saved: Vec<Evaluation> = s
            .store()
            .scan::<Evaluation>()
            .map(|r| r.unwrap())
            .filter(|r| r.meta.id != existing)
            .map(|r| r.data)
            .collect();
        assert_eq!(saved.len(), 1);
        let e = &saved[0];
        assert_eq!((e.start, e.end), (d("2026-01-01"), common::today()));
        assert_eq!(e.decision, Decision::Renew);
        assert_eq!(
            e.characteristic(Characteristic::SeniorCommitment),
            Sides {
                ours: Some(3),
                partner: Some(4)
            }
        );
        assert_eq!(e.value(AddedValue::Quality), Sides::default());
        assert_eq!(
            e.goals,
            vec![GoalResult {
                goal,
                outcome: GoalOutcome::Reached
            }]
        );
    }
}
