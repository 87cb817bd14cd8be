//! The model checkpoint also keeps the activity table, the notes' table and the open action items,
//! so that opening a large workspace reads no activity or note record. Whatever the tables answer must be what the
//! records answer: right after opening from the checkpoint, after changes made since, and on a
//! later day (when other action items are overdue).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;
use std::path::Path;

/// What the tables feed: the overview, the activities, the notes, the timeline's window and
/// counts, and the action items (open ones from the model, all from the notes).
fn screens(s: &Service) -> Vec<String> {
    let who = admin();
    let mut out = vec![format!("{:?}", s.handle(&who, Request::Overview))];
    for q in [
        ActivityQuery {
            limit: 50,
            ..Default::default()
        },
        ActivityQuery {
            from: Some(d("2026-01-01")),
            to: Some(d("2026-12-31")),
            kind: Some(ActivityKind::Visit),
            limit: 50,
            ..Default::default()
        },
    ] {
        out.push(format!("{:?}", s.handle(&who, Request::Activities(q))));
    }
    for archived in [Archived::Hide, Archived::Only] {
        out.push(format!(
            "{:?}",
            s.handle(
                &who,
                Request::Notes(NoteQuery {
                    archived,
                    limit: 30,
                    ..Default::default()
                })
            )
        ));
    }
    out.push(format!(
        "{:?}",
        s.handle(
            &who,
            Request::Timeline(TimelineQuery {
                activities: ActivityQuery::default(),
                at: WindowAt::Date {
                    date: today(),
                    before: 20,
                },
                limit: 60,
                months: true,
            })
        )
    ));
    for open_only in [true, false] {
        out.push(format!(
            "{:?}",
            s.handle(
                &who,
                Request::ActionItems(ActionQuery {
                    open_only,
                    ..Default::default()
                })
            )
        ));
    }
    out
}

/// The same screens from the records alone (the checkpoint set aside, then put back).
fn from_records(dir: &Path, today: chrono::NaiveDate) -> Vec<String> {
    let file = dir.join("model.checkpoint");
    let saved = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let s = Service::open(dir).unwrap().with_today(today);
    let out = screens(&s);
    drop(s);
    std::fs::write(&file, saved).unwrap();
    out
}

/// The demo workspace, warmed up and closed: its checkpoint holds the tables.
fn demo_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    assert!(matches!(
        s.handle(&admin(), Request::LoadDemo),
        Response::DemoLoaded(_)
    ));
    s.warm_up().unwrap();
    assert!(s.activity_table_bytes().is_some());
    drop(s);
    tmp
}

#[test]
fn the_checkpoint_keeps_the_activity_table_and_open_action_items() {
    let tmp = demo_workspace();
    let dir = tmp.path();
    // Opened from the checkpoint: the table is there before anything asked for it.
    let s = open(dir);
    assert!(s.model_from_checkpoint());
    assert!(
        s.activity_table_bytes().is_some(),
        "the activity table comes from the checkpoint"
    );
    let ours = screens(&s);
    drop(s);
    assert_eq!(ours, from_records(dir, today()));

    // Changes made on a model that came from the checkpoint reach its tables.
    let s = open(dir);
    let me = editor();
    let Response::Partners(page) = s.handle(&me, Request::Partners(PartnerQuery::default())) else {
        panic!()
    };
    let pid = page.items[0].id;
    let mut a = activity(pid, "2026-12-01", "Besök i Åbo");
    a.kind = ActivityKind::Visit;
    create(&s, &me, AnyData::Activity(a));
    create(
        &s,
        &me,
        AnyData::Note(Note {
            partners: vec![pid],
            date: d("2026-11-20"),
            title: "Styrgruppsmöte".into(),
            kind: MeetingKind::SteeringGroup,
            attendees: vec![],
            body: String::new(),
            decisions: vec![],
            actions: vec![
                ActionItem {
                    text: "Skicka utkastet".into(),
                    owner: "anna.lind".into(),
                    due: Some(d("2026-12-20")),
                    done: false,
                },
                ActionItem {
                    text: "Boka rum".into(),
                    owner: "anna.lind".into(),
                    due: None,
                    done: true,
                },
            ],
        }),
    );
    let changed = screens(&s);
    assert_ne!(changed, ours, "the changes show");
    drop(s);
    assert_eq!(changed, from_records(dir, today()));

    // A later day: the open items kept in the checkpoint are overdue as of that day.
    let later = d("2027-01-15");
    let s = Service::open(dir).unwrap().with_today(later);
    assert!(s.model_from_checkpoint());
    let on_later_day = screens(&s);
    drop(s);
    assert_eq!(on_later_day, from_records(dir, later));
}

/// A checkpoint whose table section is damaged (its CRC still right, as an older or a buggy
/// writer would leave it) is not used: the model comes from the records.
#[test]
fn a_checkpoint_with_a_bad_table_is_not_used() {
    let tmp = demo_workspace();
    let dir = tmp.path();
    let file = dir.join("model.checkpoint");
    let mut bytes = std::fs::read(&file).unwrap();
    // The sections are length-prefixed: walk to the seventh (the activity table) and cut its
    // row count so that the rows no longer fit, then fix the CRC.
    let body_end = bytes.len() - 4;
    let mut at = 8;
    for _ in 0..6 {
        let len = u64::from_be_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        at += 8 + len;
    }
    let table = at + 8;
    assert_eq!(bytes[table], 1, "the table section is present");
    bytes[table + 8] ^= 0x40;
    let crc = crc32fast::hash(&bytes[8..body_end]);
    bytes[body_end..].copy_from_slice(&crc.to_be_bytes());
    std::fs::write(&file, &bytes).unwrap();
    let s = open(dir);
    assert!(!s.model_from_checkpoint(), "a bad table means the records");
    let ours = screens(&s);
    drop(s);
    assert_eq!(ours, from_records(dir, today()));
}

/// A checkpoint cut short (a full disk, a copy that stopped) is not used, whichever section it
/// ends in.
#[test]
fn a_checkpoint_cut_short_is_not_used() {
    let tmp = demo_workspace();
    let dir = tmp.path();
    let file = dir.join("model.checkpoint");
    let whole = std::fs::read(&file).unwrap();
    for keep in [
        4,
        8,
        20,
        whole.len() / 3,
        whole.len() / 2,
        whole.len() - 4,
        whole.len() - 1,
    ] {
        std::fs::write(&file, &whole[..keep]).unwrap();
        let s = open(dir);
        assert!(
            !s.model_from_checkpoint(),
            "cut at {keep} of {}",
            whole.len()
        );
        drop(s);
        // Closing wrote a whole one again, which the next open uses.
        let s = open(dir);
        assert!(s.model_from_checkpoint());
    }
}
