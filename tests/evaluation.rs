//! Evaluations on a real sled store: both sides' assessments of the five characteristics and the
//! six values, outcomes per goal, the decision and the next date; periods that overlap another
//! evaluation of the partner, dates out of order, scores out of range and other partners' goals
//! are refused per field and write nothing; the phase criterion of a recent evaluation follows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;
use spets::store::check;

fn goal(partner: Id, text: &str) -> Goal {
    Goal {
        partner,
        text: text.into(),
        values: vec![AddedValue::Quality],
        indicator: String::new(),
        target: String::new(),
        deadline: None,
        status: GoalStatus::Open,
        owner: "anna.lind".into(),
    }
}

fn evaluation(partner: Id, start: &str, end: &str, goals: Vec<GoalResult>) -> Evaluation {
    let s = |ours, partner| Sides {
        ours: Some(ours),
        partner: Some(partner),
    };
    Evaluation {
        partner,
        start: d(start),
        end: d(end),
        characteristics: [s(3, 4), s(4, 4), s(2, 3), s(3, 2), s(3, 3)],
        values: [
            s(3, 3),
            s(2, 4),
            Sides::default(),
            s(1, 2),
            s(4, 3),
            s(2, 2),
        ],
        goals,
        decision: Decision::Renew,
        next: Some(d("2027-12-31")),
        comment: "Självvärdering med styrgruppen".into(),
    }
}

fn new_start_check(s: &Service, p: Id) -> CriterionCheck {
    match s.handle(&editor(), Request::PhaseCriteria(p)) {
        Response::PhaseCriteria(c) => {
            c.phases
                .iter()
                .find(|x| x.phase == Phase::NewStart)
                .unwrap()
                .checks[0]
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn evaluations_are_recorded_and_a_recent_one_meets_the_new_start_criterion() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (p, _) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
    let (g, _) = create(&s, &me, AnyData::Goal(goal(p, "Joint doctoral programme")));
    assert_eq!(
        new_start_check(&s, p),
        CriterionCheck {
            criterion: Criterion::RecentEvaluation,
            met: false,
            why: Some(Shortfall::NoEvaluation),
        }
    );
    // An evaluation of a period that ended more than 12 months before today (2026-11-28).
    let (old, _) = create(
        &s,
        &me,
        AnyData::Evaluation(evaluation(p, "2024-01-01", "2025-06-30", vec![])),
    );
    assert_eq!(
        new_start_check(&s, p).why,
        Some(Shortfall::LastEvaluation(d("2025-06-30")))
    );
    // The next period, from the day after; with the goal's outcome.
    let (recent, _) = create(
        &s,
        &me,
        AnyData::Evaluation(evaluation(
            p,
            "2025-07-01",
            "2026-06-30",
            vec![GoalResult {
                goal: g,
                outcome: GoalOutcome::OnTrack,
            }],
        )),
    );
    let c = new_start_check(&s, p);
    assert!(c.met && c.why.is_none(), "{c:?}");
    let l = life(&s, p);
    assert_eq!(
        l.evaluations.iter().map(|e| e.meta.id).collect::<Vec<_>>(),
        vec![recent, old],
        "the latest period first"
    );
    let e = &l.evaluations[0].data;
    assert_eq!(
        e.characteristic(Characteristic::SeniorCommitment),
        Sides {
            ours: Some(3),
            partner: Some(4)
        }
    );
    assert_eq!(e.value(AddedValue::Impact), Sides::default());
    assert_eq!(e.goals[0].outcome, GoalOutcome::OnTrack);

    // Editing an evaluation does not collide with itself.
    let cur = s.store().get::<Evaluation>(recent).unwrap().unwrap();
    let mut data = cur.data.clone();
    data.decision = Decision::Continue;
    let r = s.handle(
        &me,
        Request::Update {
            id: recent,
            expected_version: cur.meta.version,
            data: AnyData::Evaluation(data),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn bad_evaluations_are_refused_per_field_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (p, _) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
    let (q, _) = create(&s, &me, AnyData::Partner(org("KTH", "SE")));
    let (theirs, _) = create(&s, &me, AnyData::Goal(goal(q, "KTH's own goal")));
    let (existing, _) = create(
        &s,
        &me,
        AnyData::Evaluation(evaluation(p, "2025-01-01", "2025-12-31", vec![])),
    );
    let before = s.store().audit_count();
    let refused = |e: Evaluation| -> Vec<(String, Rule)> {
        invalid(s.handle(&me, Request::Create(AnyData::Evaluation(e))))
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect()
    };

    // Sharing a single day with another evaluation of the partner.
    assert_eq!(
        refused(evaluation(p, "2025-12-31", "2026-06-30", vec![])),
        vec![(
            "start".to_string(),
            Rule::PeriodOverlaps {
                existing,
                start: d("2025-01-01"),
                end: d("2025-12-31"),
            }
        )]
    );
    // Dates out of order: the end before the start, the next evaluation inside the period.
    let mut e = evaluation(p, "2026-06-30", "2026-01-01", vec![]);
    e.next = Some(d("2025-12-01"));
    let errs = refused(e);
    assert!(
        errs.contains(&("end".to_string(), Rule::EndBeforeStart)),
        "{errs:?}"
    );
    assert!(
        errs.contains(&(
            "next".to_string(),
            Rule::NotAfterPeriod {
                end: d("2026-01-01")
            }
        )),
        "{errs:?}"
    );
    // A score out of range names the value; another partner's goal and an unknown goal.
    let mut e = evaluation(
        p,
        "2026-01-01",
        "2026-06-30",
        vec![
            GoalResult {
                goal: theirs,
                outcome: GoalOutcome::Reached,
            },
            GoalResult {
                goal: Id(9999),
                outcome: GoalOutcome::Behind,
            },
        ],
    );
    e.values[1].partner = Some(5);
    let errs = refused(e);
    assert!(
        errs.contains(&("resources".to_string(), Rule::ScoreOutOfRange)),
        "{errs:?}"
    );
    assert!(
        errs.contains(&(
            "goals".to_string(),
            Rule::GoalOfOtherPartner {
                goal: theirs,
                partner: q
            }
        )),
        "{errs:?}"
    );
    assert!(
        errs.contains(&("goals".to_string(), Rule::UnknownGoal)),
        "{errs:?}"
    );
    assert_eq!(s.store().audit_count(), before, "nothing written");
    assert_eq!(s.store().count(EntityKind::Evaluation), 1);

    // Another partner's evaluation of the same period is no overlap.
    create(
        &s,
        &me,
        AnyData::Evaluation(evaluation(q, "2025-01-01", "2025-12-31", vec![])),
    );
    assert_eq!(s.store().count(EntityKind::Evaluation), 2);
}

#[test]
fn the_strategic_profile_judges_mutual_benefit_on_both_sides_and_counts_faculties() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let mut p = org("Aalto University", "FI");
    p.faculties = vec!["Teknik".into()];
    let (pid, pv) = create(&s, &me, AnyData::Partner(p));
    for (value, score) in [(AddedValue::Quality, 3), (AddedValue::Resources, 4)] {
        create(
            &s,
            &me,
            AnyData::Assessment(assessment(pid, value, score, "2026-05-01")),
        );
    }
    let profile = |s: &Service| match s.handle(&editor(), Request::PartnerDetail(pid)) {
        Response::PartnerDetail(d) => d.profile,
        other => panic!("{other:?}"),
    };
    let mutual = |pr: &[ProfileCheck; 6]| {
        *pr.iter()
            .find(|c| matches!(c, ProfileCheck::MutualBenefit { .. }))
            .unwrap()
    };
    // Our own scores alone do not make it mutual.
    let m = mutual(&profile(&s));
    assert_eq!(
        m,
        ProfileCheck::MutualBenefit {
            values: 2,
            partner_values: None
        }
    );
    assert!(!m.met());
    // The partner's view in the latest evaluation: Resources and Reputation at 3 or more.
    create(
        &s,
        &me,
        AnyData::Evaluation(evaluation(pid, "2025-07-01", "2026-06-30", vec![])),
    );
    let pr = profile(&s);
    let m = mutual(&pr);
    assert_eq!(
        m,
        ProfileCheck::MutualBenefit {
            values: 2,
            partner_values: Some(3)
        }
    );
    assert!(m.met());
    // One faculty is not university-wide; two are.
    assert!(pr.contains(&ProfileCheck::UniversityWide { faculties: 1 }));
    assert!(!ProfileCheck::UniversityWide { faculties: 1 }.met());
    let mut p = s.store().get::<Partner>(pid).unwrap().unwrap().data;
    p.faculties.push("Medicin".into());
    let r = s.handle(
        &me,
        Request::Update {
            id: pid,
            expected_version: pv,
            data: AnyData::Partner(p),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let pr = profile(&s);
    assert!(pr.contains(&ProfileCheck::UniversityWide { faculties: 2 }));
    assert!(ProfileCheck::UniversityWide { faculties: 2 }.met());
}
