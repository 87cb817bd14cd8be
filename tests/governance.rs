//! The governance rhythm on a real sled store: the defaults (a steering group every 3 months,
//! top management every 6), a partner's own rhythm, compliance from the meeting notes of each
//! kind (last meeting, next due, overdue) around month ends and leap years, the Partners mark
//! and filter, and the refusals that write nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::rhythm::due_after;
use spets::domain::*;
use spets::service::*;
use spets::store::check;
use std::path::Path;

fn meeting(partners: Vec<Id>, kind: MeetingKind, date: &str) -> Note {
    Note {
        partners,
        date: d(date),
        title: "Möte".into(),
        kind,
        attendees: vec![],
        body: String::new(),
        decisions: vec![],
        actions: vec![],
    }
}

fn on(dir: &Path, today: &str) -> Service {
    Service::open(dir).unwrap().with_today(d(today))
}

fn governance(s: &Service, p: Id) -> Governance {
    life(s, p).governance.expect("a governed partner")
}

fn of_kind(g: &Governance, kind: MeetingKind) -> MeetingCompliance {
    g.meetings.iter().find(|m| m.kind == kind).unwrap().clone()
}

fn rows(s: &Service, behind: bool) -> Vec<(String, GovernanceMark)> {
    let q = PartnerQuery {
        governance_behind: behind,
        ..PartnerQuery::default()
    };
    match s.handle(&editor(), Request::Partners(q)) {
        Response::Partners(p) => p
            .items
            .into_iter()
            .map(|r| (r.name, r.governance))
            .collect(),
        other => panic!("expected partners, got {other:?}"),
    }
}

#[test]
fn due_dates_keep_to_the_month_end_and_leap_days() {
    assert_eq!(due_after(d("2024-11-30"), 3), Some(d("2025-02-28")));
    assert_eq!(due_after(d("2023-11-29"), 3), Some(d("2024-02-29")));
    assert_eq!(due_after(d("2024-02-29"), 12), Some(d("2025-02-28")));
    assert_eq!(due_after(d("2024-08-31"), 6), Some(d("2025-02-28")));
    assert_eq!(due_after(d("2023-08-31"), 6), Some(d("2024-02-29")));
    assert_eq!(due_after(d("2026-01-31"), 1), Some(d("2026-02-28")));
    assert_eq!(due_after(d("2026-05-15"), 3), Some(d("2026-08-15")));
}

#[test]
fn compliance_follows_the_notes_around_month_ends_and_leap_years() {
    let tmp = tempfile::tempdir().unwrap();
    let (p, q) = {
        let s = on(tmp.path(), "2025-02-28");
        let (p, _) = create(
            &s,
            &editor(),
            AnyData::Partner(org("Aalto University", "FI")),
        );
        let (q, _) = create(&s, &editor(), AnyData::Partner(org("KTH", "SE")));
        let me = editor();
        // A steering group on the last day of November; the next is due on the last day of
        // February. A joint note counts for both of its partners.
        create(
            &s,
            &me,
            AnyData::Note(meeting(
                vec![p, q],
                MeetingKind::SteeringGroup,
                "2024-11-30",
            )),
        );
        // Older meetings and other kinds do not count; a meeting after today does not either.
        create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::SteeringGroup, "2024-06-01")),
        );
        create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::WorkingGroup, "2025-02-01")),
        );
        create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::SteeringGroup, "2025-03-15")),
        );
        create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::Management, "2024-08-31")),
        );

        // Due today is still in rhythm.
        let g = governance(&s, p);
        assert!(g.rhythm.is_none(), "the defaults");
        let sg = of_kind(&g, MeetingKind::SteeringGroup);
        assert_eq!(
            (sg.months, sg.last, sg.next_due, sg.state),
            (
                3,
                Some(d("2024-11-30")),
                Some(d("2025-02-28")),
                RhythmState::Kept
            )
        );
        let mg = of_kind(&g, MeetingKind::Management);
        assert_eq!(
            (mg.months, mg.last, mg.next_due, mg.state),
            (
                6,
                Some(d("2024-08-31")),
                Some(d("2025-02-28")),
                RhythmState::Kept
            )
        );
        assert!(!g.behind());
        // KTH never had top management meet: not in rhythm.
        let g = governance(&s, q);
        assert_eq!(
            of_kind(&g, MeetingKind::Management).state,
            RhythmState::NoneRecorded
        );
        assert!(g.behind());
        (p, q)
    };
    // The day after, both are overdue.
    let s = on(tmp.path(), "2025-03-01");
    let g = governance(&s, p);
    assert_eq!(
        of_kind(&g, MeetingKind::SteeringGroup).state,
        RhythmState::Overdue
    );
    assert_eq!(
        of_kind(&g, MeetingKind::Management).state,
        RhythmState::Overdue
    );
    drop(s);

    // Leap year: a steering group on 2023-11-29 is next due on 2024-02-29.
    let s = on(tmp.path(), "2024-02-29");
    let me = editor();
    create(
        &s,
        &me,
        AnyData::Note(meeting(vec![q], MeetingKind::SteeringGroup, "2023-11-29")),
    );
    let sg = of_kind(&governance(&s, q), MeetingKind::SteeringGroup);
    assert_eq!(
        (sg.next_due, sg.state),
        (Some(d("2024-02-29")), RhythmState::Kept)
    );
    drop(s);
    let s = on(tmp.path(), "2024-03-01");
    let sg = of_kind(&governance(&s, q), MeetingKind::SteeringGroup);
    assert_eq!(sg.state, RhythmState::Overdue);
}

#[test]
fn a_partners_own_rhythm_is_checked_and_the_partners_pane_marks_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (kept, _) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
    let (behind, _) = create(&s, &me, AnyData::Partner(org("KTH", "SE")));
    let mut other = org("Lokal förening", "SE");
    other.tier = Tier::Other;
    let (other, _) = create(&s, &me, AnyData::Partner(other));
    let mut prospect = org("Prospekt AB", "SE");
    prospect.phase = Phase::Prospect;
    let (prospect, _) = create(&s, &me, AnyData::Partner(prospect));
    for (p, kind, date) in [
        (kept, MeetingKind::SteeringGroup, "2026-10-01"),
        (kept, MeetingKind::Management, "2026-06-15"),
        (behind, MeetingKind::SteeringGroup, "2025-09-01"),
        (behind, MeetingKind::Management, "2026-09-01"),
    ] {
        create(&s, &me, AnyData::Note(meeting(vec![p], kind, date)));
    }
    // Not strategic, or not yet started: no rhythm is expected.
    assert!(life(&s, other).governance.is_none());
    assert!(life(&s, prospect).governance.is_none());

    let all = rows(&s, false);
    let mark = |name: &str| all.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(mark("Aalto University"), GovernanceMark::Kept);
    assert_eq!(mark("KTH"), GovernanceMark::Behind);
    assert_eq!(mark("Lokal förening"), GovernanceMark::NotGoverned);
    assert_eq!(mark("Prospekt AB"), GovernanceMark::NotGoverned);
    assert_eq!(
        rows(&s, true),
        vec![("KTH".to_string(), GovernanceMark::Behind)]
    );

    // KTH meets its steering group yearly: its own rhythm puts it back in rhythm.
    let before = s.store().audit_count();
    for (field, r) in [
        (
            "steering_group_months",
            Rhythm {
                partner: behind,
                steering_group_months: 0,
                management_months: 6,
            },
        ),
        (
            "management_months",
            Rhythm {
                partner: behind,
                steering_group_months: 12,
                management_months: 37,
            },
        ),
    ] {
        let e = invalid(s.handle(&me, Request::Create(AnyData::Rhythm(r))));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].field.as_str(), &e[0].rule),
            (field, &Rule::RhythmOutOfRange { max: 36 })
        );
    }
    assert_eq!(s.store().audit_count(), before, "nothing written");
    let yearly = Rhythm {
        partner: behind,
        steering_group_months: 15,
        management_months: 6,
    };
    let (rid, _) = create(&s, &me, AnyData::Rhythm(yearly.clone()));
    let g = governance(&s, behind);
    assert_eq!(g.rhythm.as_ref().map(|r| r.meta.id), Some(rid));
    let sg = of_kind(&g, MeetingKind::SteeringGroup);
    assert_eq!(
        (sg.months, sg.next_due, sg.state),
        (15, Some(d("2026-12-01")), RhythmState::Kept)
    );
    assert!(rows(&s, true).is_empty());

    // One rhythm per partner: a second is refused, naming the first.
    let e = invalid(s.handle(&me, Request::Create(AnyData::Rhythm(yearly))));
    assert_eq!(
        (e[0].field.as_str(), &e[0].rule),
        ("partner", &Rule::RhythmExists { existing: rid })
    );

    // Archiving the meeting that kept Aalto in rhythm is seen at once.
    let sg_note = s
        .store()
        .scan::<Note>()
        .map(|r| r.unwrap())
        .find(|n| n.data.partners == vec![kept] && n.data.kind == MeetingKind::SteeringGroup)
        .unwrap();
    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Note,
            id: sg_note.meta.id,
            expected_version: sg_note.meta.version,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    assert_eq!(
        of_kind(&governance(&s, kept), MeetingKind::SteeringGroup).state,
        RhythmState::NoneRecorded
    );
    assert_eq!(
        rows(&s, true)
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        vec!["Aalto University".to_string()]
    );
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn the_governed_meetings_load_from_the_index_when_the_workspace_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let (p, archived_note) = {
        let s = open(tmp.path());
        let me = editor();
        let (p, _) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
        create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::SteeringGroup, "2026-09-30")),
        );
        let (n, v) = create(
            &s,
            &me,
            AnyData::Note(meeting(vec![p], MeetingKind::Management, "2026-10-01")),
        );
        let r = s.handle(
            &me,
            Request::Archive {
                kind: EntityKind::Note,
                id: n,
                expected_version: v,
            },
        );
        assert!(matches!(r, Response::Saved { .. }), "{r:?}");
        (p, n)
    };
    let s = open(tmp.path());
    let g = governance(&s, p);
    let sg = of_kind(&g, MeetingKind::SteeringGroup);
    assert_eq!(
        (sg.last, sg.next_due, sg.state),
        (
            Some(d("2026-09-30")),
            Some(d("2026-12-30")),
            RhythmState::Kept
        )
    );
    // The archived management meeting does not count after a reopen either.
    assert_eq!(
        of_kind(&g, MeetingKind::Management).state,
        RhythmState::NoneRecorded
    );
    let _ = archived_note;
}

#[test]
fn purging_a_partner_purges_its_rhythm_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (p, v) = create(&s, &me, AnyData::Partner(org("Aalto University", "FI")));
    create(
        &s,
        &me,
        AnyData::Rhythm(Rhythm {
            partner: p,
            steering_group_months: 4,
            management_months: 12,
        }),
    );
    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Partner,
            id: p,
            expected_version: v,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let r = s.handle(
        &admin(),
        Request::Purge {
            kind: EntityKind::Partner,
            id: p,
        },
    );
    assert!(matches!(r, Response::Saved { version: 0, .. }), "{r:?}");
    assert_eq!(s.store().count(EntityKind::Rhythm), 0);
    assert!(check::check(s.store()).unwrap().is_ok());
}
