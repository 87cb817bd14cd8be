//! The life cycle of one partnership driven through the real `App` on TestBackend: a prospect
//! gets its suitability assessment and starts up, is running once its agreement, directors and
//! steering group are in place, is evaluated (the evaluation entered in its form), and is renewed
//! by going back to running; every change is recorded in the phase history without an override.
//! And the renewal lead time a new agreement gets from its kind.
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
use std::sync::Arc;

/// Open the detail of the only partner.
fn open_detail(app: &mut App) {
    key(app, KeyCode::Char('1'));
    key(app, KeyCode::Enter);
    assert!(app.partners().detail().is_some());
}

/// The partner's phase as stored.
fn phase_of(s: &Service, id: Id) -> Phase {
    s.store().get::<Partner>(id).unwrap().unwrap().data.phase
}

/// Change the phase in the dialog: `rights` presses of → from the usual next phase, a reason.
fn change_phase(app: &mut App, rights: usize, reason: &str) {
    key(app, KeyCode::Char('P'));
    assert!(app.form().is_some(), "the phase dialog opens");
    for _ in 0..rights {
        key(app, KeyCode::Right);
    }
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    typ(app, reason);
    ctrl(app, 's');
    assert!(
        app.form().is_none(),
        "the change is saved\n{}",
        screen(app, 100, 30)
    );
}

/// Leave the detail and open it again (it reloads).
fn reopen(app: &mut App) {
    key(app, KeyCode::Esc);
    key(app, KeyCode::Enter);
    assert!(app.partners().detail().is_some());
}

#[test]
fn prospect_to_start_up_to_running_to_evaluation_to_renewal() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let me = editor();
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        p.phase = Phase::Prospect;
        let (pid, _) = create(&s, &me, AnyData::Partner(p));
        let s = Arc::new(s);
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);

        // Prospect: the suitability and risk assessment (the add chooser's last entry but one).
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the assessment form opens");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "assessed");
        reopen(&mut app);
        change_phase(&mut app, 0, "Rektors beslut");
        assert_eq!(phase_of(&s, pid), Phase::StartUp);

        // Start-up: a signed agreement, partner directors and a steering group on both sides.
        create(
            &s,
            &me,
            AnyData::Agreement(Agreement {
                partner: pid,
                kind: AgreementKind::Framework,
                title: "Ramavtal".into(),
                signed: Some(d("2026-01-15")),
                start: d("2026-02-01"),
                end: Some(d("2031-01-31")),
                signatories: vec!["Rektor".into()],
                renewal_lead_months: 12,
                status: AgreementStatus::Active,
                renewal_draft_sent: None,
                renewal_signed: None,
            }),
        );
        for (side, role) in [
            (Side::Ours, ContactRole::PartnerDirector),
            (Side::Partner, ContactRole::PartnerDirector),
            (Side::Ours, ContactRole::SteeringGroup),
            (Side::Partner, ContactRole::SteeringGroup),
        ] {
            create(
                &s,
                &me,
                AnyData::Contact(Contact {
                    partner: pid,
                    side,
                    name: format!("{side:?} {role:?}"),
                    role,
                    email: String::new(),
                    phone: String::new(),
                }),
            );
        }
        reopen(&mut app);
        let next = app
            .partners()
            .detail()
            .unwrap()
            .life()
            .unwrap()
            .next
            .clone();
        let next = next.unwrap();
        assert_eq!(next.phase, Phase::Running);
        assert!(next.checks.iter().all(|c| c.met), "{next:?}");
        change_phase(&mut app, 0, "Avtalet undertecknat");
        assert_eq!(phase_of(&s, pid), Phase::Running);

        // Running → evaluation, and the evaluation itself (the add chooser's last entry).
        change_phase(&mut app, 0, "Dags att utvärdera");
        assert_eq!(phase_of(&s, pid), Phase::Evaluation);
        key(&mut app, KeyCode::Char('a'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the evaluation form opens");
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right); // Renew
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "evaluated");
        reopen(&mut app);
        let life = app.partners().detail().unwrap().life().unwrap().clone();
        assert_eq!(life.evaluations.len(), 1);
        assert_eq!(life.evaluations[0].data.decision, Decision::Renew);

        // Renewed: back to running (after an evaluation no phase is the usual next one; the
        // dialog starts on the current phase, and running is the one before evaluation).
        key(&mut app, KeyCode::Char('P'));
        key(&mut app, KeyCode::Left);
        // A new start would be allowed too: its evaluation criterion is met now.
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        typ(&mut app, "Förnyat");
        ctrl(&mut app, 's');
        assert!(app.form().is_none());
        assert_eq!(phase_of(&s, pid), Phase::Running);
        match s.handle(&editor(), spets::service::Request::PhaseCriteria(pid)) {
            spets::service::Response::PhaseCriteria(c) => {
                let ns = c
                    .phases
                    .iter()
                    .find(|p| p.phase == Phase::NewStart)
                    .unwrap();
                assert!(ns.checks.iter().all(|c| c.met), "{ns:?}");
            }
            other => panic!("{other:?}"),
        }

        // The history: four changes, newest first, none overriding a criterion.
        reopen(&mut app);
        let life = app.partners().detail().unwrap().life().unwrap();
        let steps: Vec<(Phase, Phase)> = life
            .phases
            .iter()
            .map(|c| (c.data.from, c.data.to))
            .collect();
        assert_eq!(
            steps,
            vec![
                (Phase::Evaluation, Phase::Running),
                (Phase::Running, Phase::Evaluation),
                (Phase::StartUp, Phase::Running),
                (Phase::Prospect, Phase::StartUp),
            ]
        );
        assert!(life.phases.iter().all(|c| c.data.unmet.is_empty()));
        assert!(life.phases.iter().all(|c| c.meta.created_by == ME));
    }
}

#[test]
fn a_new_agreements_renewal_lead_follows_its_kind_unless_typed() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Service::open(dir.path())
            .unwrap()
            .with_today(common::today());
        let mut p = partner("Aalto University", "FI");
        p.goals.clear();
        let (pid, _) = create(&s, &editor(), AnyData::Partner(p));
        let s = Arc::new(s);
        let mut app = app_on(Arc::clone(&s), lang);
        open_detail(&mut app);
        for (rights, title, typed, lead) in [
            (1, "Ramavtal", None, 12),
            (0, "MoU", None, 6),
            (1, "Ramavtal 2", Some("9"), 9),
        ] {
            // The add chooser's first entry.
            key(&mut app, KeyCode::Char('a'));
            key(&mut app, KeyCode::Enter);
            assert!(app.form().is_some(), "the agreement form opens");
            typ(&mut app, title);
            key(&mut app, KeyCode::Tab);
            for _ in 0..rights {
                key(&mut app, KeyCode::Right);
            }
            if let Some(t) = typed {
                for _ in 0..6 {
                    key(&mut app, KeyCode::Tab);
                }
                typ(&mut app, t);
            } else if title == "Ramavtal" {
                for _ in 0..6 {
                    key(&mut app, KeyCode::Tab);
                }
                let l = lang.key();
                insta::assert_snapshot!(format!("life_agreement_lead_{l}"), screen(&app, 100, 24));
            }
            ctrl(&mut app, 's');
            assert!(app.form().is_none(), "saved");
            let got = s
                .store()
                .scan::<Agreement>()
                .map(|a| a.unwrap().data)
                .find(|a| a.title == title)
                .unwrap();
            assert_eq!(got.renewal_lead_months, lead, "{title}");
            assert_eq!(got.partner, pid);
        }
    }
}
