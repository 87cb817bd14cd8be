//! A goal's follow-up takes its linked activities and meeting notes from the model's tables
//! (date, partners, cancelled or archived), not from a store read per link, and reads only the
//! titles it shows. The answers must be the same whichever way the life cycle is built: by the
//! overview at start (its records read without the model lock), from a checkpoint's tables or
//! from the store's, and they must follow later edits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;

struct Ids {
    p: Id,
    q: Id,
    gp: Id,
    gq: Id,
    a: Id,
    n: Id,
}

fn goal(partner: Id, text: &str) -> Goal {
    Goal {
        partner,
        text: text.into(),
        values: vec![AddedValue::Quality],
        indicator: "Joint applications".into(),
        target: "2 a year".into(),
        deadline: Some(d("2027-12-31")),
        status: GoalStatus::Open,
        owner: "anna.lind".into(),
    }
}

fn note(partner: Id) -> Note {
    Note {
        partners: vec![partner],
        date: d("2026-10-15"),
        title: "Styrgrupp".into(),
        kind: MeetingKind::SteeringGroup,
        attendees: vec![],
        body: String::new(),
        decisions: vec!["Apply jointly in the next call".into()],
        actions: vec![],
    }
}

fn link(s: &Service, source: LinkSource, id: Id, goals: Vec<Id>) {
    let data = GoalLinks {
        source,
        source_id: id,
        goals,
    };
    create(s, &editor(), AnyData::GoalLinks(data));
}

fn setup(s: &Service) -> Ids {
    let me = editor();
    let (p, _) = create(s, &me, AnyData::Partner(org("Örebro universitet", "SE")));
    let (q, _) = create(s, &me, AnyData::Partner(org("Aalto University", "FI")));
    let (gp, _) = create(s, &me, AnyData::Goal(goal(p, "Joint doctoral programme")));
    let (gq, _) = create(s, &me, AnyData::Goal(goal(q, "Two applications a year")));
    // Q is the activity's second partner: the table keeps it apart from the first.
    let mut joint = activity(p, "2026-09-01", "Joint workshop");
    joint.partners.push(q);
    let (a, _) = create(s, &me, AnyData::Activity(joint));
    let mut off = activity(p, "2026-10-01", "Called off");
    off.status = ActivityStatus::Cancelled;
    let (b, _) = create(s, &me, AnyData::Activity(off));
    let (n, _) = create(s, &me, AnyData::Note(note(q)));
    link(s, LinkSource::Activity, a, vec![gp, gq]);
    link(s, LinkSource::Activity, b, vec![gp]);
    link(s, LinkSource::Note, n, vec![gq]);
    Ids { p, q, gp, gq, a, n }
}

/// The follow-up of goal `g` of `partner`: its linked items (id, title), newest first, and the
/// date of the last one.
fn follow_up(s: &Service, partner: Id, g: Id) -> (Vec<(Id, String)>, Option<chrono::NaiveDate>) {
    let l = life(s, partner);
    let f = l.goals.iter().find(|f| f.goal.meta.id == g).unwrap();
    let items = f.linked.iter().map(|i| (i.id, i.title.clone())).collect();
    (items, f.last)
}

fn expect_initial(s: &Service, ids: &Ids) {
    // The cancelled activity does not count; the joint one counts for both partners.
    assert_eq!(
        follow_up(s, ids.p, ids.gp),
        (
            vec![(ids.a, "Joint workshop".to_string())],
            Some(d("2026-09-01"))
        )
    );
    assert_eq!(
        follow_up(s, ids.q, ids.gq),
        (
            vec![
                (ids.n, "Styrgrupp".to_string()),
                (ids.a, "Joint workshop".to_string())
            ],
            Some(d("2026-10-15"))
        )
    );
}

fn overview_goals(s: &Service) -> usize {
    match s.handle(&editor(), Request::Overview) {
        Response::Overview(o) => o.counts[3],
        other => panic!("expected the overview, got {other:?}"),
    }
}

#[test]
fn linked_items_come_from_the_tables_and_follow_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ids = {
        let s = open(dir);
        let ids = setup(&s);
        expect_initial(&s, &ids);
        ids
    };
    // Reopened after a clean close: the model and its tables come from the checkpoint, and the
    // overview builds the life cycle first, as the TUI's notice at start does.
    {
        let s = open(dir);
        assert_eq!(overview_goals(&s), 0, "both goals are followed up");
        expect_initial(&s, &ids);
    }
    // Without a checkpoint the tables are read from the store.
    std::fs::remove_file(dir.join("model.checkpoint")).unwrap();
    let s = open(dir);
    expect_initial(&s, &ids);
    assert_eq!(overview_goals(&s), 0);

    // A new title is shown; cancelling the activity drops it from both goals.
    let mut joint = activity(ids.p, "2026-09-01", "Joint workshop, Örebro");
    joint.partners.push(ids.q);
    let update = |id, version, data| {
        let r = s.handle(
            &editor(),
            Request::Update {
                id,
                expected_version: version,
                data,
            },
        );
        assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    };
    update(ids.a, 1, AnyData::Activity(joint.clone()));
    assert_eq!(
        follow_up(&s, ids.p, ids.gp).0,
        vec![(ids.a, "Joint workshop, Örebro".to_string())]
    );
    joint.status = ActivityStatus::Cancelled;
    update(ids.a, 2, AnyData::Activity(joint));
    assert_eq!(follow_up(&s, ids.p, ids.gp), (vec![], None));
    assert_eq!(follow_up(&s, ids.q, ids.gq).0.len(), 1);
    // An archived note no longer counts either: both goals now lack follow-up.
    let r = s.handle(
        &editor(),
        Request::Archive {
            kind: EntityKind::Note,
            id: ids.n,
            expected_version: 1,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    assert_eq!(follow_up(&s, ids.q, ids.gq), (vec![], None));
    assert_eq!(overview_goals(&s), 2);
}
