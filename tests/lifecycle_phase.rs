//! Phases with a history and criteria on a real sled store: the criteria of each phase checked
//! against the records, changes that override unmet criteria and record it, refused changes that
//! write nothing, and the suitability and risk assessment of prospects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;
use spets::store::check;

fn criteria(s: &Service, p: Id) -> PhaseCriteria {
    match s.handle(&editor(), Request::PhaseCriteria(p)) {
        Response::PhaseCriteria(c) => *c,
        other => panic!("expected the criteria, got {other:?}"),
    }
}

fn checks_of(c: &PhaseCriteria, phase: Phase) -> Vec<(Criterion, bool)> {
    c.phases
        .iter()
        .find(|p| p.phase == phase)
        .unwrap()
        .checks
        .iter()
        .map(|c| (c.criterion, c.met))
        .collect()
}

fn change(s: &Service, p: Id, version: u64, to: Phase, date: &str, reason: &str) -> Response {
    s.handle(
        &editor(),
        Request::ChangePhase {
            partner: p,
            expected_version: version,
            to,
            date: d(date),
            reason: reason.into(),
        },
    )
}

fn suitability(partner: Id) -> Suitability {
    Suitability {
        partner,
        date: d("2026-03-01"),
        assessor: "anna.lind".into(),
        strategic_fit: 3,
        commitment: 4,
        mutual_benefit: 3,
        faculties: vec!["Science and Technology".into(), "Medicine".into()],
        risk: RiskLevel::Low,
        risks: "Export control for robotics: checked with the legal office".into(),
        recommendation: Recommendation::Proceed,
        comment: String::new(),
    }
}

fn contact(partner: Id, side: Side, role: ContactRole, name: &str) -> Contact {
    Contact {
        partner,
        side,
        name: name.into(),
        role,
        email: String::new(),
        phone: String::new(),
    }
}

#[test]
fn phase_changes_keep_a_history_with_reasons_and_overridden_criteria() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let mut p = org("Aalto University", "FI");
    p.phase = Phase::Prospect;
    let (pid, v) = create(&s, &me, AnyData::Partner(p));

    // A prospect needs a suitability and risk assessment before start-up.
    let c = criteria(&s, pid);
    assert_eq!((c.current, c.version), (Phase::Prospect, v));
    assert_eq!(
        checks_of(&c, Phase::StartUp),
        vec![(Criterion::SuitabilityAssessed, false)]
    );
    // Unmet criteria warn; they do not block: the override is recorded.
    let r = change(
        &s,
        pid,
        v,
        Phase::StartUp,
        "2026-03-10",
        "Rector's decision",
    );
    let Response::Saved { version: v, .. } = r else {
        panic!("{r:?}")
    };
    let l = life(&s, pid);
    assert_eq!(l.phases.len(), 1);
    let h = &l.phases[0];
    assert_eq!((h.data.from, h.data.to), (Phase::Prospect, Phase::StartUp));
    assert_eq!(h.data.date, d("2026-03-10"));
    assert_eq!(h.data.reason, "Rector's decision");
    assert_eq!(h.data.unmet, vec![Criterion::SuitabilityAssessed]);
    assert_eq!(h.meta.created_by, "anna.lind");
    assert_eq!(
        s.store().get::<Partner>(pid).unwrap().unwrap().data.phase,
        Phase::StartUp
    );

    // Start-up → running: a signed agreement, partner directors and a steering group on both
    // sides. With them in place the change records no override.
    create(&s, &me, AnyData::Suitability(suitability(pid)));
    assert_eq!(
        checks_of(&criteria(&s, pid), Phase::StartUp),
        vec![(Criterion::SuitabilityAssessed, true)]
    );
    assert_eq!(
        checks_of(&criteria(&s, pid), Phase::Running),
        vec![
            (Criterion::AgreementSigned, false),
            (Criterion::DirectorsBothSides, false),
            (Criterion::SteeringGroup, false),
        ]
    );
    create(
        &s,
        &me,
        AnyData::Agreement(Agreement {
            partner: pid,
            kind: AgreementKind::Framework,
            title: "Ramavtal".into(),
            signed: Some(d("2026-04-01")),
            start: d("2026-04-01"),
            end: Some(d("2031-03-31")),
            signatories: vec!["Rektor".into()],
            renewal_lead_months: 12,
            status: AgreementStatus::Active,
            renewal_draft_sent: None,
            renewal_signed: None,
        }),
    );
    for (side, role, name) in [
        (Side::Ours, ContactRole::PartnerDirector, "Prorektor"),
        (
            Side::Partner,
            ContactRole::PartnerDirector,
            "Vice President",
        ),
        (Side::Ours, ContactRole::SteeringGroup, "Dekan"),
    ] {
        create(&s, &me, AnyData::Contact(contact(pid, side, role, name)));
    }
    assert_eq!(
        checks_of(&criteria(&s, pid), Phase::Running),
        vec![
            (Criterion::AgreementSigned, true),
            (Criterion::DirectorsBothSides, true),
            (Criterion::SteeringGroup, false),
        ],
        "a steering group needs members on both sides"
    );
    create(
        &s,
        &me,
        AnyData::Contact(contact(
            pid,
            Side::Partner,
            ContactRole::SteeringGroup,
            "Dean",
        )),
    );
    let r = change(&s, pid, v, Phase::Running, "2026-05-01", "");
    let Response::Saved { version: v, .. } = r else {
        panic!("{r:?}")
    };
    let l = life(&s, pid);
    assert_eq!(l.phases.len(), 2);
    assert!(
        l.phases[0].data.unmet.is_empty(),
        "newest first, nothing overridden"
    );
    assert_eq!(l.next.as_ref().map(|n| n.phase), Some(Phase::Evaluation));

    // Dates out of order, the same phase again, a stale version: refused, nothing written.
    let before = s.store().audit_count();
    let e = invalid(change(&s, pid, v, Phase::Evaluation, "2026-04-30", ""));
    assert_eq!(
        (e[0].field.as_str(), &e[0].rule),
        (
            "date",
            &Rule::BeforePreviousChange {
                previous: d("2026-05-01")
            }
        )
    );
    let e = invalid(change(&s, pid, v, Phase::Running, "2026-06-01", ""));
    assert_eq!(
        (e[0].field.as_str(), &e[0].rule),
        ("to", &Rule::PhaseUnchanged)
    );
    assert!(matches!(
        change(&s, pid, v - 1, Phase::Evaluation, "2026-06-01", ""),
        Response::Conflict(_)
    ));
    assert_eq!(s.store().audit_count(), before);

    // A phase changed in the partner form is recorded too (today, without a reason).
    let mut p = s.store().get::<Partner>(pid).unwrap().unwrap();
    p.data.phase = Phase::Evaluation;
    let r = s.handle(
        &me,
        Request::Update {
            id: pid,
            expected_version: v,
            data: AnyData::Partner(p.data),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let l = life(&s, pid);
    assert_eq!(l.phases.len(), 3);
    assert_eq!(
        (l.phases[0].data.to, l.phases[0].data.date),
        (Phase::Evaluation, today())
    );
    assert!(l.phases[0].data.reason.is_empty());
    // After an evaluation the evaluation decides: no usual next phase.
    assert!(l.next.is_none());
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn a_suitability_assessment_out_of_range_is_refused_per_field() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let (pid, _) = create(
        &s,
        &editor(),
        AnyData::Partner(org("Aalto University", "FI")),
    );
    let mut a = suitability(pid);
    a.commitment = 5;
    a.date = d("3026-01-01");
    a.faculties = (0..=limits::FACULTIES).map(|i| format!("F{i}")).collect();
    let e = invalid(s.handle(&editor(), Request::Create(AnyData::Suitability(a))));
    let fields: Vec<(&str, &Rule)> = e.iter().map(|e| (e.field.as_str(), &e.rule)).collect();
    assert!(
        fields.contains(&("commitment", &Rule::ScoreOutOfRange)),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("date", &Rule::DateOutOfRange)),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, r)| *f == "faculties" && matches!(r, Rule::TooMany { .. })),
        "{fields:?}"
    );
    assert_eq!(s.store().count(EntityKind::Suitability), 0);
}

#[test]
fn a_new_start_without_an_evaluation_warns_why_and_a_future_date_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let mut p = org("Chalmers partner", "DE");
    p.phase = Phase::Evaluation;
    let (pid, v) = create(&s, &editor(), AnyData::Partner(p));

    // A new start (and a phase-out) needs an evaluation of the last 12 months; the partner has
    // none: the criterion is unmet, and says why.
    let c = criteria(&s, pid);
    for phase in [Phase::NewStart, Phase::PhaseOut] {
        let checks = &c.phases.iter().find(|p| p.phase == phase).unwrap().checks;
        assert_eq!(
            checks,
            &vec![CriterionCheck {
                criterion: Criterion::RecentEvaluation,
                met: false,
                why: Some(Shortfall::NoEvaluation),
            }],
            "{phase:?}"
        );
    }
    // A phase without criteria, and met ones, carry no reason.
    assert!(checks_of(&c, Phase::Evaluation).is_empty());

    // A change dated after today is refused on the date, and nothing is written.
    let before = s.store().audit_count();
    let e = invalid(change(
        &s,
        pid,
        v,
        Phase::NewStart,
        "2026-11-29",
        "Ny inriktning",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].field.as_str(), &e[0].rule),
        ("date", &Rule::AfterToday { today: today() })
    );
    assert_eq!(s.store().audit_count(), before);
    assert!(life(&s, pid).phases.is_empty());

    // Today is fine: the change goes through and records the override.
    let r = change(&s, pid, v, Phase::NewStart, "2026-11-28", "Ny inriktning");
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let l = life(&s, pid);
    assert_eq!(l.phases[0].data.unmet, vec![Criterion::RecentEvaluation]);
    assert_eq!(l.phases[0].data.reason, "Ny inriktning");
    // A new start runs next: its criteria are the start-up's.
    assert_eq!(l.next.as_ref().map(|n| n.phase), Some(Phase::Running));
}

#[test]
fn purging_a_partner_purges_its_phase_history_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let mut p = org("Aalto University", "FI");
    p.phase = Phase::Prospect;
    let (pid, v) = create(&s, &editor(), AnyData::Partner(p));
    let r = change(&s, pid, v, Phase::StartUp, "2026-03-10", "");
    let Response::Saved { version: v, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(s.store().count(EntityKind::PhaseChange), 1);
    let r = s.handle(
        &editor(),
        Request::Archive {
            kind: EntityKind::Partner,
            id: pid,
            expected_version: v,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let r = s.handle(
        &admin(),
        Request::Purge {
            kind: EntityKind::Partner,
            id: pid,
        },
    );
    assert!(matches!(r, Response::Saved { version: 0, .. }), "{r:?}");
    assert_eq!(s.store().count(EntityKind::PhaseChange), 0);
    assert!(check::check(s.store()).unwrap().is_ok());
}
