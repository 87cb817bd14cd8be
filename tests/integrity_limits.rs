//! One set of limits, checked where data enters, and readable by every reader: a too-long field or
//! list is refused on every path with the field, the limit and the size given; a record at every
//! limit at once is saved and read back through the store, the model checkpoint, a backup and its
//! restore, and the daemon protocol; an audit entry of a huge change stays small.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::client::{Client, Remote};
use spets::domain::limits as lim;
use spets::domain::*;
use spets::service::*;
use spets::store::{Store, backup, codec};

fn get(s: &Service, kind: EntityKind, id: Id) -> AnyRecord {
    match s.handle(&editor(), Request::Get { kind, id }) {
        Response::Record(r) => r,
        other => panic!("{other:?}"),
    }
}

fn invalid(r: Response) -> Vec<FieldError> {
    match r {
        Response::Invalid(e) => e,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn every_path_refuses_a_field_over_its_limit_naming_field_limit_and_size() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let s = open(&ws);
    // Create: a list one entry too long, a name one character too long.
    let mut p = partner("Lunds universitet", "SE");
    p.tags = (0..=lim::TAGS).map(|i| format!("t{i}")).collect();
    p.name = "n".repeat(lim::NAME_CHARS + 1);
    let errs = invalid(s.handle(&editor(), Request::Create(AnyData::Partner(p))));
    assert!(errs.contains(&FieldError::new(
        "tags",
        "",
        Rule::TooMany {
            max: lim::TAGS,
            given: lim::TAGS + 1
        }
    )));
    let name = errs.iter().find(|e| e.field == "name").unwrap();
    assert_eq!(
        name.rule,
        Rule::TooLong {
            max: lim::NAME_CHARS,
            given: lim::NAME_CHARS + 1
        }
    );
    assert_eq!(
        name.to_string(),
        format!(
            "name \"{}…\": has 201 characters, more than the 200 allowed; shorten it",
            "n".repeat(40)
        )
    );
    // Update: a description over the long-text limit.
    let (pid, _) = create(
        &s,
        &editor(),
        AnyData::Partner(partner("Lunds universitet", "SE")),
    );
    let mut a = activity(pid, "2026-10-01", "Visit");
    let (aid, v) = create(&s, &editor(), AnyData::Activity(a.clone()));
    a.description = "x".repeat(lim::TEXT_CHARS + 5);
    let errs = invalid(s.handle(
        &editor(),
        Request::Update {
            id: aid,
            expected_version: v,
            data: AnyData::Activity(a),
        },
    ));
    assert_eq!(
        errs[0].rule,
        Rule::TooLong {
            max: lim::TEXT_CHARS,
            given: lim::TEXT_CHARS + 5
        }
    );
    drop(s);

    // CSV import: a 20 MB tags cell is refused with its row and column; nothing is written, and
    // the workspace still opens, exports and checks.
    let csv = tmp.path().join("huge.csv");
    let cell = "x".repeat(20 << 20);
    std::fs::write(
        &csv,
        format!("name,kind,country,tags\nHuge,university,DE,{cell}\n"),
    )
    .unwrap();
    let out = spets(&[
        "import",
        "partners",
        csv.to_str().unwrap(),
        "--db",
        ws.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("row 2, column \"tags\"")
            && err.contains("has 20971520 characters, more than the 500 allowed"),
        "{err}"
    );
    for args in [
        vec!["export", "partners", "--db", ws.to_str().unwrap()],
        vec!["check", "--db", ws.to_str().unwrap()],
    ] {
        let out = spets(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }

    // A request arriving at the daemon gets the same answer.
    let sock = tmp.path().join("run/spets.sock");
    let _d = Daemon::start(&ws, &sock);
    let c = Remote::connect(&sock).unwrap();
    let mut p = partner("Uppsala universitet", "SE");
    p.faculties = (0..=lim::FACULTIES).map(|i| format!("f{i}")).collect();
    let errs = invalid(c.call(Request::Create(AnyData::Partner(p))));
    assert_eq!(
        errs,
        vec![FieldError::new(
            "faculties",
            "",
            Rule::TooMany {
                max: lim::FACULTIES,
                given: lim::FACULTIES + 1
            }
        )]
    );
}

#[test]
fn a_record_at_every_limit_at_once_reads_back_through_every_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let (pid, nid, partner_rec, note_rec) = {
        let s = open(&ws);
        let (pid, _) = create(&s, &editor(), AnyData::Partner(partner_at_limits()));
        let mut others = vec![pid];
        for i in 1..lim::PARTNERS_PER_RECORD {
            let (id, _) = create(
                &s,
                &editor(),
                AnyData::Partner(partner(&format!("Partner {i}"), "NO")),
            );
            others.push(id);
        }
        let (nid, _) = create(&s, &editor(), AnyData::Note(note_at_limits(others)));
        let p = get(&s, EntityKind::Partner, pid);
        let n = get(&s, EntityKind::Note, nid);
        // The store's encoding of the note is close to the record limit, and under it.
        let AnyRecord::Note(note) = &n else { panic!() };
        let size = codec::encode_record(note).unwrap().len();
        assert!(
            size > lim::MAX_RECORD_BYTES / 2 && size <= lim::MAX_RECORD_BYTES,
            "{size}"
        );
        // Dropping the service leaves the model checkpoint.
        (pid, nid, p, n)
    };

    // The store and the model checkpoint.
    let s = open(&ws);
    assert!(s.model_from_checkpoint());
    assert_eq!(get(&s, EntityKind::Partner, pid), partner_rec);
    assert_eq!(get(&s, EntityKind::Note, nid), note_rec);
    match s.handle(&editor(), Request::PartnerDetail(pid)) {
        Response::PartnerDetail(d) => assert_eq!(AnyRecord::Partner(d.partner), partner_rec),
        other => panic!("{other:?}"),
    }
    // A backup and its restore.
    let (bytes, _) = backup::snapshot(s.store()).unwrap();
    drop(s);
    let restored = tmp.path().join("restored");
    let (_, steps) = backup::restore("b", &bytes, &restored, "tester").unwrap();
    assert!(steps.is_empty(), "{steps:?}");
    {
        let store = Store::open(&restored).unwrap();
        assert!(spets::store::check::check(&store).unwrap().is_ok());
    }
    // The daemon protocol.
    let sock = tmp.path().join("run/spets.sock");
    let _d = Daemon::start(&restored, &sock);
    let c = Remote::connect(&sock).unwrap();
    for (kind, id, want) in [
        (EntityKind::Partner, pid, &partner_rec),
        (EntityKind::Note, nid, &note_rec),
    ] {
        match c.call(Request::Get { kind, id }) {
            Response::Record(r) => assert_eq!(&r, want),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_audit_entry_of_a_huge_change_is_a_bounded_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let (pid, _) = create(&s, &editor(), AnyData::Partner(partner("KTH", "SE")));
    let mut a = activity(pid, "2026-10-01", "Workshop");
    a.description = wide(lim::TEXT_CHARS);
    let (aid, v) = create(&s, &editor(), AnyData::Activity(a.clone()));
    a.description = format!("{}!", wide(lim::TEXT_CHARS - 1));
    match s.handle(
        &editor(),
        Request::Update {
            id: aid,
            expected_version: v,
            data: AnyData::Activity(a),
        },
    ) {
        Response::Saved { .. } => {}
        other => panic!("{other:?}"),
    }
    let entries = s.store().audit_of(EntityKind::Activity, aid).unwrap();
    assert_eq!(entries.len(), 2);
    for e in &entries {
        let size = codec::encode_audit(e).unwrap().len();
        assert!(size < 5 * lim::AUDIT_VALUE_CHARS * 4, "{size} bytes");
    }
    let change = &entries[1].changes[0];
    assert_eq!(change.field, "description");
    // Both values are summarised, and still differ.
    assert!(
        change.old.contains("… (100000 characters, #"),
        "{}",
        change.old
    );
    assert!(
        change.new.contains("… (100000 characters, #"),
        "{}",
        change.new
    );
    assert_ne!(change.old, change.new);
}

#[test]
fn a_checkpoint_of_many_large_partners_is_read_back() {
    // Sixty partners at their limits are about 36 MB: more than one decode may take, so the
    // checkpoint must hold them record by record to be read back at all.
    let tmp = tempfile::tempdir().unwrap();
    let ids: Vec<Id> = {
        let s = open(tmp.path());
        (0..60)
            .map(|i| {
                let mut p = partner_at_limits();
                p.name = format!("{i:02}{}", wide(lim::NAME_CHARS - 2));
                create(&s, &editor(), AnyData::Partner(p)).0
            })
            .collect()
    };
    let s = open(tmp.path());
    assert!(s.model_from_checkpoint(), "the checkpoint was not used");
    match s.handle(&editor(), Request::Partners(PartnerQuery::default())) {
        Response::Partners(p) => assert_eq!(p.total, ids.len()),
        other => panic!("{other:?}"),
    }
}
