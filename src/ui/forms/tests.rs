//! Typed forms: distinct field paths, labels, build → parse round trips, drafts, problems.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::domain::*;

fn cx<'a>(names: &'a [(Id, String)]) -> ParseCx<'a> {
    ParseCx {
        names,
        user: "anna",
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    }
}

#[test]
fn every_field_has_a_distinct_path_and_a_label() {
    let names = [(Id(1), "KTH".to_string())];
    let c = cx(&names);
    let mut forms = vec![
        partner::form(None, &c),
        activity::form(None, &[Id(1)], &c),
        note::form(None, &[Id(1)], &c),
        agreement::form(None, Id(1), &c),
        contact::form(None, Id(1), &c),
        assessment::form(Id(1), "KTH".into(), AddedValue::Quality, vec![], &c),
    ];
    forms[2].add_action("anna");
    for f in &forms {
        let mut paths: Vec<String> = f.rows().iter().map(|r| r.key.path()).collect();
        let n = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), n, "{:?}", f.kind());
        for r in f.rows() {
            assert_ne!(r.key.label(), Msg::FOther);
        }
    }
}

#[test]
fn build_then_parse_gives_the_record_back() {
    let names = [(Id(7), "Aalto-yliopisto".to_string())];
    let c = cx(&names);
    let note = Note {
        partners: vec![Id(7)],
        date: c.today,
        title: "Steering group".into(),
        kind: MeetingKind::ALL[1],
        attendees: vec!["Anna".into(), "Bo".into()],
        body: "Line one\nLine two".into(),
        decisions: vec!["Go".into()],
        actions: vec![ActionItem {
            text: "Send the draft".into(),
            owner: "anna".into(),
            due: Some(c.today),
            done: true,
        }],
    };
    let rec = Record {
        meta: Meta {
            id: Id(3),
            version: 2,
            created_at: Timestamp::now(),
            created_by: "anna".into(),
            updated_at: Timestamp::now(),
            updated_by: "anna".into(),
            archived: false,
        },
        data: note.clone(),
    };
    let form = note::form(Some(&rec), &[], &c);
    assert_eq!(form.data(&c).unwrap(), AnyData::Note(note));
    // A draft brings the same values back.
    let again = Form::from_draft(form.kind().clone(), &form.draft_values(), &c);
    assert_eq!(again.data(&c), form.data(&c));
}

#[test]
fn parse_problems_name_their_rows() {
    let c = cx(&[]);
    let mut f = activity::form(None, &[], &c);
    let date = f.position("date").unwrap();
    f.rows[date].input.set_raw("2026-13-40");
    let partners = f.position("partners").unwrap();
    f.rows[partners].input.set_raw("Nowhere");
    let err = f.data(&c).unwrap_err();
    assert!(err.contains(&(date, Problem::BadDate)));
    assert!(err.contains(&(partners, Problem::UnknownPartnerName)));
}
