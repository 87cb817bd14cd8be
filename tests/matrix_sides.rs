//! The partner's own view beside ours: from its side of the evaluations into the value matrix
//! (service and pane), the partner detail and the evidence of a new evaluation, with the
//! activities of the last 12 months per value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{app_on, key, screen};
use common::{create, d, editor, org};
use crossterm::event::KeyCode;
use spets::domain::*;
use spets::i18n::Lang;
use spets::i18n::catalogue::Label;
use spets::service::{AnyData, MatrixQuery, PartnerDetail, Request, Response, Service, TheirCell};
use spets::ui::forms::evaluation::Evidence;
use std::sync::Arc;

fn sides(ours: Option<u8>, partner: Option<u8>) -> Sides {
    Sides { ours, partner }
}

/// Two partners: Aalto with two evaluations (the partner's Quality view rises 2 → 4, its
/// Resources view is given only in the first), three activities and one of our assessments;
/// Bergen with nothing.
fn workspace(dir: &std::path::Path) -> (Arc<Service>, Id) {
    let s = Service::open(dir).unwrap().with_today(common::today());
    let me = editor();
    let (pid, _) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
    create(&s, &me, AnyData::Partner(org("Bergen universitet", "NO")));
    for (start, end, quality, resources) in [
        ("2024-07-01", "2025-06-30", 2, Some(3)),
        ("2025-07-01", "2026-06-30", 4, None),
    ] {
        let mut values = [Sides::default(); 6];
        values[0] = sides(Some(3), Some(quality));
        values[1] = sides(Some(2), resources);
        create(
            &s,
            &me,
            AnyData::Evaluation(Evaluation {
                partner: pid,
                start: d(start),
                end: d(end),
                characteristics: [Sides::default(); 5],
                values,
                goals: vec![],
                decision: Decision::Continue,
                next: Some(d("2027-06-30")),
                comment: String::new(),
            }),
        );
    }
    create(
        &s,
        &me,
        AnyData::Assessment(common::assessment(
            pid,
            AddedValue::Quality,
            3,
            "2026-09-01",
        )),
    );
    // Two in the last 12 months (one serving two values), one older, one cancelled.
    let mut a = common::activity(pid, "2026-10-01", "Workshop");
    a.values = vec![AddedValue::Quality, AddedValue::Impact];
    create(&s, &me, AnyData::Activity(a));
    create(
        &s,
        &me,
        AnyData::Activity(common::activity(pid, "2026-02-01", "Visit")),
    );
    create(
        &s,
        &me,
        AnyData::Activity(common::activity(pid, "2025-06-01", "Old visit")),
    );
    let mut c = common::activity(pid, "2026-03-01", "Cancelled");
    c.status = ActivityStatus::Cancelled;
    create(&s, &me, AnyData::Activity(c));
    (Arc::new(s), pid)
}

fn detail(s: &Service, pid: Id) -> PartnerDetail {
    match s.handle(&editor(), Request::PartnerDetail(pid)) {
        Response::PartnerDetail(d) => *d,
        r => panic!("{r:?}"),
    }
}

#[test]
fn the_matrix_and_the_detail_carry_the_partners_own_view_with_its_trend() {
    let dir = tempfile::tempdir().unwrap();
    let (s, pid) = workspace(dir.path());
    let m = match s.handle(&editor(), Request::Matrix(MatrixQuery::default())) {
        Response::Matrix(m) => m,
        r => panic!("{r:?}"),
    };
    let aalto = m.rows.items.iter().find(|r| r.partner == pid).unwrap();
    assert_eq!(
        aalto.theirs[0],
        Some(TheirCell {
            score: 4,
            date: d("2026-06-30"),
            previous: Some(2)
        })
    );
    // Only the older evaluation gives Resources: no trend.
    assert_eq!(
        aalto.theirs[1],
        Some(TheirCell {
            score: 3,
            date: d("2025-06-30"),
            previous: None
        })
    );
    assert_eq!(aalto.theirs[2], None);
    let bergen = m.rows.items.iter().find(|r| r.partner != pid).unwrap();
    assert!(bergen.theirs.iter().all(Option::is_none));
    // The means of the partners' views count only the partners that gave one.
    assert_eq!(m.partner_means[0], Some(4.0));
    assert_eq!(m.partner_means[1], Some(3.0));
    assert_eq!(m.partner_means[2], None);

    let dt = detail(&s, pid);
    assert_eq!(dt.theirs, aalto.theirs);
    // Quality: the workshop and the visit; Impact: the workshop. The older and the cancelled
    // activity do not count.
    assert_eq!(dt.value_activities, [2, 0, 1, 0, 0, 0]);
}

#[test]
fn a_new_evaluation_s_evidence_lists_both_sides_and_the_activities_per_value() {
    let dir = tempfile::tempdir().unwrap();
    let (s, pid) = workspace(dir.path());
    let ev = Evidence::of(&detail(&s, pid), &common::life(&s, pid));
    let en = ev.lines(Lang::En).join("\n");
    assert!(
        en.contains(" Quality: ours 3 · partner's 4↑ · 2 activities"),
        "{en}"
    );
    assert!(
        en.contains(" Resources: ours - · partner's 3 · 0 activities"),
        "{en}"
    );
    assert!(
        en.contains(" Impact: ours - · partner's - · 1 activity"),
        "{en}"
    );
    let sv = ev.lines(Lang::Sv).join("\n");
    assert!(
        sv.contains(" Kvalitet: vår 3 · partnerns 4↑ · 2 aktiviteter"),
        "{sv}"
    );
    assert!(
        sv.contains(" Samhällspåverkan: vår - · partnerns - · 1 aktivitet"),
        "{sv}"
    );
}

#[test]
fn the_matrix_pane_shows_both_sides_in_both_languages() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let (s, pid) = workspace(dir.path());
        let mut app = app_on(s.clone(), lang);
        key(&mut app, KeyCode::Char('3'));
        key(&mut app, KeyCode::Char('v'));
        assert!(app.matrix().both_sides());
        let text = screen(&app, 120, 30);
        // Aalto: our Quality 3 (no earlier score), the partner's 4 rising from 2.
        assert!(text.contains("3│4↑"), "{text}");
        let l = lang.key();
        insta::assert_snapshot!(format!("matrix_both_sides_{l}_120x30"), text);
        // The side panel follows the selected cell (it is drawn anew only when that changes).
        let ours = match lang {
            Lang::En => "Our score: 3 (2026-09-01)",
            Lang::Sv => "Vår poäng: 3 (2026-09-01)",
        };
        let none = match lang {
            Lang::En => "Our score: -",
            Lang::Sv => "Vår poäng: -",
        };
        assert!(text.contains(ours), "{text}");
        key(&mut app, KeyCode::Char('j'));
        let other = screen(&app, 120, 30);
        assert!(other.contains(none) && !other.contains(ours), "{other}");
        key(&mut app, KeyCode::Char('l'));
        let resources = screen(&app, 120, 30);
        assert!(
            resources.contains(AddedValue::Resources.label(lang)),
            "{resources}"
        );
        key(&mut app, KeyCode::Char('h'));
        key(&mut app, KeyCode::Char('k'));
        assert_eq!(screen(&app, 120, 30), text);
        // An evaluation saved elsewhere reaches the open matrix.
        let mut values = [Sides::default(); 6];
        values[2] = sides(None, Some(1));
        create(
            &s,
            &editor(),
            AnyData::Evaluation(Evaluation {
                partner: pid,
                start: d("2026-07-01"),
                end: d("2026-10-31"),
                characteristics: [Sides::default(); 5],
                values,
                goals: vec![],
                decision: Decision::Continue,
                next: None,
                comment: String::new(),
            }),
        );
        common::wait_for("the matrix to show the new view", || {
            app.pump(std::time::Duration::from_millis(20));
            let rows = &app.matrix().data().unwrap().rows.items;
            rows.iter()
                .find(|r| r.partner == pid)
                .is_some_and(|r| r.theirs[2].is_some_and(|c| c.score == 1))
        });
    }
}
