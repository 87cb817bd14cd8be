//! The partnership life cycle on a real sled store: goals as records with their follow-up, links
//! from activities and meeting decisions, the checks that refuse bad links, and the migration of
//! the first schema's goal lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;
use spets::store::{Store, TreeId, check, codec};

fn goal(partner: Id, text: &str) -> Goal {
    Goal {
        partner,
        text: text.into(),
        values: vec![AddedValue::Quality, AddedValue::Resources],
        indicator: "Joint applications".into(),
        target: "2 a year".into(),
        deadline: Some(d("2027-12-31")),
        status: GoalStatus::Open,
        owner: "anna.lind".into(),
    }
}

fn links(source: LinkSource, id: Id, goals: Vec<Id>) -> GoalLinks {
    GoalLinks {
        source,
        source_id: id,
        goals,
    }
}

#[test]
fn goals_follow_up_through_linked_activities_and_decisions() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (p, _) = create(&s, &me, AnyData::Partner(org("Örebro universitet", "SE")));
    let (g1, _) = create(&s, &me, AnyData::Goal(goal(p, "Joint doctoral programme")));
    let (g2, _) = create(&s, &me, AnyData::Goal(goal(p, "Two applications a year")));
    // Today is 2026-11-28: an activity five months back follows g1 up; g2 only has one from
    // seven months back.
    let (a1, _) = create(
        &s,
        &me,
        AnyData::Activity(activity(p, "2026-06-28", "Workshop")),
    );
    let (a2, _) = create(
        &s,
        &me,
        AnyData::Activity(activity(p, "2026-04-27", "Visit")),
    );
    create(
        &s,
        &me,
        AnyData::GoalLinks(links(LinkSource::Activity, a1, vec![g1])),
    );
    create(
        &s,
        &me,
        AnyData::GoalLinks(links(LinkSource::Activity, a2, vec![g2, g1])),
    );
    let l = life(&s, p);
    assert_eq!(l.goals.len(), 2);
    let f1 = l.goals.iter().find(|g| g.goal.meta.id == g1).unwrap();
    let f2 = l.goals.iter().find(|g| g.goal.meta.id == g2).unwrap();
    assert_eq!(f1.last, Some(d("2026-06-28")));
    assert!(!f1.no_follow_up);
    assert_eq!(
        f1.linked.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![a1, a2],
        "newest first"
    );
    assert_eq!(f2.last, Some(d("2026-04-27")));
    assert!(f2.no_follow_up, "nothing in the last six months");

    // A meeting's decisions follow g2 up.
    let mut n = Note {
        partners: vec![p],
        date: d("2026-10-01"),
        title: "Styrgrupp".into(),
        kind: MeetingKind::SteeringGroup,
        attendees: vec![],
        body: String::new(),
        decisions: vec!["Apply jointly in the next call".into()],
        actions: vec![],
    };
    let (note, _) = create(&s, &me, AnyData::Note(n.clone()));
    create(
        &s,
        &me,
        AnyData::GoalLinks(links(LinkSource::Note, note, vec![g2])),
    );
    let l = life(&s, p);
    let f2 = l.goals.iter().find(|g| g.goal.meta.id == g2).unwrap();
    assert_eq!(f2.last, Some(d("2026-10-01")));
    assert!(!f2.no_follow_up);

    // Moving the meeting a year back is seen at once (the model follows every change).
    n.date = d("2025-10-01");
    let r = s.handle(
        &me,
        Request::Update {
            id: note,
            expected_version: 1,
            data: AnyData::Note(n),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let l = life(&s, p);
    let f2 = l.goals.iter().find(|g| g.goal.meta.id == g2).unwrap();
    assert!(f2.no_follow_up);

    // A reached goal is never flagged; an archived one leaves the list.
    let mut reached = goal(p, "Two applications a year");
    reached.status = GoalStatus::Reached;
    let r = s.handle(
        &me,
        Request::Update {
            id: g2,
            expected_version: 1,
            data: AnyData::Goal(reached),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let l = life(&s, p);
    assert!(
        !l.goals
            .iter()
            .find(|g| g.goal.meta.id == g2)
            .unwrap()
            .no_follow_up
    );
    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Goal,
            id: g1,
            expected_version: 1,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let l = life(&s, p);
    assert_eq!(l.goals.len(), 1);
    assert_eq!(l.archived_goals.len(), 1);

    // The same after a reopen (the model is rebuilt from the store).
    drop(s);
    let s = open(tmp.path());
    assert_eq!(life(&s, p), l);
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn bad_links_are_refused_with_the_field_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (a, _) = create(&s, &me, AnyData::Partner(org("Örebro universitet", "SE")));
    let (b, _) = create(&s, &me, AnyData::Partner(org("Aalto", "FI")));
    let (gb, _) = create(&s, &me, AnyData::Goal(goal(b, "Aalto's own goal")));
    let (ga, _) = create(&s, &me, AnyData::Goal(goal(a, "Our goal")));
    let (act, _) = create(
        &s,
        &me,
        AnyData::Activity(activity(a, "2026-10-01", "Workshop")),
    );
    let audit_before = s.store().audit_count();

    // A goal of another partner.
    let e = invalid(s.handle(
        &me,
        Request::Create(AnyData::GoalLinks(links(
            LinkSource::Activity,
            act,
            vec![ga, gb],
        ))),
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].field, "goals");
    assert_eq!(
        e[0].rule,
        Rule::GoalOfOtherPartner {
            goal: gb,
            partner: b
        }
    );
    // A goal that does not exist, and an activity that does not exist.
    let e = invalid(s.handle(
        &me,
        Request::Create(AnyData::GoalLinks(links(
            LinkSource::Activity,
            act,
            vec![Id(999_999)],
        ))),
    ));
    assert_eq!(e[0].rule, Rule::UnknownGoal);
    let e = invalid(s.handle(
        &me,
        Request::Create(AnyData::GoalLinks(links(LinkSource::Note, act, vec![ga]))),
    ));
    assert_eq!(
        (e[0].field.as_str(), &e[0].rule),
        ("source_id", &Rule::UnknownSource)
    );
    assert_eq!(s.store().audit_count(), audit_before, "nothing was written");
    assert_eq!(s.store().count(EntityKind::GoalLinks), 0);

    // One links record per activity: a second is refused, naming the first.
    let (first, _) = create(
        &s,
        &me,
        AnyData::GoalLinks(links(LinkSource::Activity, act, vec![ga])),
    );
    let e = invalid(s.handle(
        &me,
        Request::Create(AnyData::GoalLinks(links(
            LinkSource::Activity,
            act,
            vec![ga],
        ))),
    ));
    assert_eq!(e[0].rule, Rule::AlreadyLinked { existing: first });

    // More goal lines than a partner may have goals.
    let mut p = org("Tampere", "FI");
    p.goals = (0..=limits::GOALS).map(|i| format!("Goal {i}")).collect();
    let e = invalid(s.handle(&me, Request::Create(AnyData::Partner(p))));
    assert_eq!(e[0].field, "goals");
    assert!(
        matches!(
            e[0].rule,
            Rule::TooMany {
                max: limits::GOALS,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(s.store().count(EntityKind::Goal), 2, "nothing was written");

    // A goal without text, with an impossible deadline, or too long.
    let mut g = goal(a, "");
    g.deadline = Some(d("1066-10-14"));
    g.indicator = "x".repeat(limits::LINE_CHARS + 1);
    let e = invalid(s.handle(&me, Request::Create(AnyData::Goal(g))));
    let fields: Vec<(&str, &Rule)> = e.iter().map(|e| (e.field.as_str(), &e.rule)).collect();
    assert!(fields.contains(&("text", &Rule::Required)), "{fields:?}");
    assert!(
        fields.contains(&("deadline", &Rule::DateOutOfRange)),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, r)| *f == "indicator" && matches!(r, Rule::TooLong { .. })),
        "{fields:?}"
    );
}

/// A client written for the first schema may still send goal lines on a partner: they become
/// open goals owned by the coordinator, in the same transaction; the same lines again add nothing.
#[test]
fn goal_lines_sent_on_a_partner_become_goal_records() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    // The shared helper's partner has one goal line.
    let (p, v) = create(
        &s,
        &me,
        AnyData::Partner(partner("Örebro universitet", "SE")),
    );
    let stored = s.store().get::<Partner>(p).unwrap().unwrap();
    assert!(stored.data.goals.is_empty());
    let l = life(&s, p);
    assert_eq!(l.goals.len(), 1);
    assert_eq!(l.goals[0].goal.data.text, "Joint doctoral programme");
    assert_eq!(l.goals[0].goal.data.owner, "anna.lind");
    let mut again = partner("Örebro universitet", "SE");
    again.goals.push("Two applications a year".into());
    let r = s.handle(
        &me,
        Request::Update {
            id: p,
            expected_version: v,
            data: AnyData::Partner(again),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let texts: Vec<String> = life(&s, p)
        .goals
        .iter()
        .map(|g| g.goal.data.text.clone())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(check::check(s.store()).unwrap().is_ok());
    // An import row with goal lines is refused, naming the field.
    let mut row = partner("Tampere", "FI");
    row.normalise();
    let e = row.validate();
    assert!(
        e.iter()
            .any(|e| e.field == "goals" && e.rule == Rule::GoalLinesMoved)
    );
}

#[test]
fn the_link_dialog_offers_the_goals_of_the_activitys_partners() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (a, _) = create(&s, &me, AnyData::Partner(org("Örebro universitet", "SE")));
    let (b, _) = create(&s, &me, AnyData::Partner(org("Aalto", "FI")));
    let (c, _) = create(&s, &me, AnyData::Partner(org("KTH", "SE")));
    let (ga, _) = create(&s, &me, AnyData::Goal(goal(a, "A's goal")));
    let mut dropped = goal(b, "B's dropped goal");
    dropped.status = GoalStatus::Dropped;
    create(&s, &me, AnyData::Goal(dropped));
    let (gb, _) = create(&s, &me, AnyData::Goal(goal(b, "B's goal")));
    create(&s, &me, AnyData::Goal(goal(c, "C's goal")));
    let mut act = activity(a, "2026-10-01", "Joint workshop");
    act.partners = vec![a, b];
    let (act, _) = create(&s, &me, AnyData::Activity(act));
    let Response::GoalLinkChoices(ch) = s.handle(
        &me,
        Request::GoalLinksFor {
            source: LinkSource::Activity,
            id: act,
        },
    ) else {
        panic!()
    };
    assert_eq!(ch.title, "Joint workshop");
    assert!(ch.links.is_none());
    let offered: Vec<Id> = ch.goals.iter().map(|g| g.id).collect();
    assert_eq!(offered, vec![ga, gb], "open goals of its two partners");
    // Linking both goals of two partners is fine.
    create(
        &s,
        &me,
        AnyData::GoalLinks(links(LinkSource::Activity, act, vec![ga, gb])),
    );
    let Response::GoalLinkChoices(ch) = s.handle(
        &me,
        Request::GoalLinksFor {
            source: LinkSource::Activity,
            id: act,
        },
    ) else {
        panic!()
    };
    assert_eq!(ch.links.unwrap().data.goals, vec![ga, gb]);
    assert_eq!(life(&s, b).goals[0].linked.len(), 1);
}

/// A workspace written by the first schema (partners with goal lines, notes without the
/// meeting-kind index) is migrated when it is opened: every line becomes an open goal record
/// owned by the partner's coordinator, the partner keeps no lines, both changes are audited, the
/// notes are indexed by meeting kind, and `spets check` finds nothing.
#[test]
fn opening_a_first_schema_workspace_moves_goal_lines_into_goal_records() {
    let tmp = tempfile::tempdir().unwrap();
    let (pid, nid) = {
        let store = Store::open(tmp.path()).unwrap();
        let mut p = partner("Örebro universitet", "SE");
        p.goals = vec![
            "Joint doctoral programme".into(),
            "Two applications a year".into(),
        ];
        p.coordinator = "björn.ek".into();
        // Written as the first schema wrote it: the record alone, with its partner-free indexes.
        let rec = Record {
            meta: Meta {
                id: Id(1),
                version: 3,
                created_at: Timestamp(1_764_000_000_000),
                created_by: "anna.lind".into(),
                updated_at: Timestamp(1_764_300_000_000),
                updated_by: "anna.lind".into(),
                archived: false,
            },
            data: p,
        };
        let note = Record {
            meta: Meta {
                id: Id(2),
                ..rec.meta.clone()
            },
            data: Note {
                partners: vec![Id(1)],
                date: d("2026-09-01"),
                title: "Styrgrupp".into(),
                kind: MeetingKind::SteeringGroup,
                attendees: vec![],
                body: String::new(),
                decisions: vec![],
                actions: vec![],
            },
        };
        store
            .tree(TreeId::Partner)
            .unwrap()
            .insert(Id(1).to_be_bytes(), codec::encode_record(&rec).unwrap())
            .unwrap();
        store
            .tree(TreeId::Note)
            .unwrap()
            .insert(Id(2).to_be_bytes(), codec::encode_record(&note).unwrap())
            .unwrap();
        let note_keys: Vec<_> = [&note.data.partners[0].to_be_bytes()[..]]
            .iter()
            .map(|p| {
                [
                    *p,
                    &spets::store::date_key(note.data.date),
                    &Id(2).to_be_bytes(),
                ]
                .concat()
            })
            .collect();
        for k in note_keys {
            store
                .tree(TreeId::NoteByPartner)
                .unwrap()
                .insert(k, vec![])
                .unwrap();
        }
        store
            .tree(TreeId::NoteByDate)
            .unwrap()
            .insert(
                [
                    &spets::store::date_key(note.data.date)[..],
                    &Id(2).to_be_bytes(),
                ]
                .concat(),
                vec![],
            )
            .unwrap();
        let counters = store.tree(TreeId::Counters).unwrap();
        counters.insert("record_id", &2u64.to_be_bytes()).unwrap();
        counters
            .insert("count:partner", &1u64.to_be_bytes())
            .unwrap();
        counters.insert("count:note", &1u64.to_be_bytes()).unwrap();
        drop(counters);
        store.flush().unwrap();
        drop(store);
        let db = raw_sled(tmp.path());
        db.insert("schema_version", &1u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
        (Id(1), Id(2))
    };
    let s = open(tmp.path());
    assert_eq!(
        s.store().schema_version().unwrap(),
        Some(spets::store::SCHEMA_VERSION)
    );
    let p = s.store().get::<Partner>(pid).unwrap().unwrap();
    assert!(p.data.goals.is_empty());
    assert_eq!(p.meta.version, 4);
    let l = life(&s, pid);
    let texts: Vec<&str> = l.goals.iter().map(|g| g.goal.data.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["Joint doctoral programme", "Two applications a year"]
    );
    for g in &l.goals {
        assert_eq!(g.goal.data.status, GoalStatus::Open);
        assert_eq!(g.goal.data.owner, "björn.ek");
        assert!(g.goal.meta.id > nid, "new ids after the old ones");
    }
    let Response::Audit(history) = s.handle(
        &admin(),
        Request::Audit(AuditQuery {
            record: Some((EntityKind::Partner, pid)),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].changes[0].field, "goals");
    assert_eq!(s.store().count(EntityKind::Goal), 2);
    assert_eq!(
        s.store().index_prefix(TreeId::NoteByKind, &[]).count(),
        1,
        "the note is indexed by meeting kind"
    );
    let report = check::check(s.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    // Opening again changes nothing more.
    drop(s);
    let s = open(tmp.path());
    assert_eq!(s.store().count(EntityKind::Goal), 2);
    assert_eq!(
        s.store().get::<Partner>(pid).unwrap().unwrap().meta.version,
        4
    );
}

/// The committed first-schema backup (demo partners with goal lines) restores and opens with its
/// goal lines as goal records.
#[test]
fn the_first_schema_backup_restores_with_goal_records() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v1/workspace.spetsbak");
    let bytes = std::fs::read(&file).unwrap();
    let lines: usize = spets::store::backup::parse("v1", &bytes)
        .unwrap()
        .into_iter()
        .filter(|(t, _)| t == "partner")
        .flat_map(|(_, entries)| entries)
        .map(|(_, v)| codec::decode_record::<Partner>(v).unwrap().data.goals.len())
        .sum();
    assert!(lines > 0, "the fixture has goal lines to migrate");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    spets::store::backup::restore("workspace.spetsbak", &bytes, &dir, "tester").unwrap();
    let s = open(&dir);
    assert_eq!(s.store().count(EntityKind::Goal), lines);
    for p in s.store().scan::<Partner>() {
        assert!(p.unwrap().data.goals.is_empty());
    }
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn check_finds_and_repair_mends_a_missing_goal_index_entry_and_backups_carry_goals() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let (p, g) = {
        let s = open(&src);
        let me = editor();
        let (p, _) = create(&s, &me, AnyData::Partner(org("Örebro universitet", "SE")));
        let (g, _) = create(&s, &me, AnyData::Goal(goal(p, "Joint doctoral programme")));
        let (a, _) = create(
            &s,
            &me,
            AnyData::Activity(activity(p, "2026-10-01", "Workshop")),
        );
        create(
            &s,
            &me,
            AnyData::GoalLinks(links(LinkSource::Activity, a, vec![g])),
        );
        let (bytes, _) = spets::store::backup::snapshot(s.store()).unwrap();
        let dst = tmp.path().join("restored");
        spets::store::backup::restore("b", &bytes, &dst, "tester").unwrap();
        let r = open(&dst);
        assert_eq!(
            life(&r, p),
            life(&s, p),
            "the backup carries goals and links"
        );
        (p, g)
    };
    {
        let store = Store::open(&src).unwrap();
        let key = [&p.to_be_bytes()[..], &g.to_be_bytes()].concat();
        store
            .tree(TreeId::GoalByPartner)
            .unwrap()
            .remove(key)
            .unwrap();
        store.flush().unwrap();
        let report = check::check(&store).unwrap();
        assert!(
            report.findings.iter().any(|f| matches!(f,
                check::Finding::MissingIndex { tree, .. } if tree == "idx_goal_partner")),
            "{:?}",
            report.findings
        );
        check::repair(&store, "root").unwrap();
        assert!(check::check(&store).unwrap().is_ok());
    }
}
