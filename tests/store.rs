//! The store on real sled databases and real processes: durability under SIGKILL, the workspace
//! lock, permissions, schema versions, the first schema's fixtures, backup and restore, demo data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;
use spets::store::{Store, StoreError, backup, check, codec};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

#[test]
fn saved_records_survive_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    // The child (src/bin/spets-test-child.rs) creates partners forever and reports each save.
    let mut child = Command::new(CHILD)
        .arg("durability")
        .arg(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reported = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + timeout();
    while reported.len() < 40 && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("saved ") {
            let (id, name) = rest.split_once(' ').unwrap();
            reported.push((Id(id.parse().unwrap()), name.to_string()));
        }
    }
    // SIGKILL: no destructors, no final flush.
    rustix::process::kill_process(
        rustix::process::Pid::from_child(&child),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    child.wait().unwrap();
    assert!(
        reported.len() >= 40,
        "the child reported only {} saves",
        reported.len()
    );

    let store = Store::open(tmp.path()).unwrap();
    for (id, name) in &reported {
        let p = store
            .get::<Partner>(*id)
            .unwrap()
            .unwrap_or_else(|| panic!("reported record {id} is missing"));
        assert_eq!(&p.data.name, name);
    }
    assert!(check::check(&store).unwrap().is_ok());
}

#[test]
fn a_second_process_gets_a_clear_message_not_a_lock_error() {
    let tmp = tempfile::tempdir().unwrap();
    let _held = Store::open(tmp.path()).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--db"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "the workspace {} is already open in another spets process",
            tmp.path().display()
        )),
        "{err}"
    );
    assert!(err.contains("spets serve --db"), "{err}");
    assert!(!err.contains("could not acquire lock"), "{err}");
}

#[test]
fn new_workspaces_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested").join("ws");
    let s = Service::open(&dir).unwrap();
    create(
        &s,
        &editor(),
        AnyData::Partner(partner("Uppsala universitet", "SE")),
    );
    drop(s);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(dir.parent().unwrap()), 0o700);
    for e in std::fs::read_dir(&dir).unwrap() {
        let e = e.unwrap();
        let want = if e.file_type().unwrap().is_dir() {
            0o700
        } else {
            0o600
        };
        assert_eq!(mode(&e.path()), want, "{}", e.path().display());
    }
}

#[test]
fn a_newer_schema_is_refused_and_a_current_one_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let store = Store::open(tmp.path()).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            Some(spets::store::SCHEMA_VERSION)
        );
    }
    {
        let db = raw_sled(tmp.path());
        db.insert("schema_version", &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    match Store::open(tmp.path()) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

fn meta(id: u64) -> Meta {
    Meta {
        id: Id(id),
        version: 3,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "anna.lind".into(),
        updated_at: Timestamp(1_764_300_000_000),
        updated_by: "björn.ek".into(),
        archived: false,
    }
}

/// Records as the first schema (v1) wrote them. Their encodings are committed in
/// tests/fixtures/v1/records.txt; a change that cannot read them breaks existing workspaces.
fn first_schema_records() -> Vec<(&'static str, Vec<u8>)> {
    let p = Record {
        meta: meta(1),
        data: partner("Örebro universitet", "SE"),
    };
    let a = Record {
        meta: meta(2),
        data: Agreement {
            partner: Id(1),
            kind: AgreementKind::Mou,
            title: "MoU 2022–2027".into(),
            signed: Some(d("2021-12-01")),
            start: d("2022-01-01"),
            end: Some(d("2026-12-31")),
            signatories: vec!["Rektor".into()],
            renewal_lead_months: 6,
            status: AgreementStatus::Active,
            renewal_draft_sent: None,
            renewal_signed: None,
        },
    };
    let c = Record {
        meta: meta(3),
        data: Contact {
            partner: Id(1),
            side: Side::Ours,
            name: "山田 太郎".into(),
            role: ContactRole::PartnerManager,
            email: "taro@example.jp".into(),
            phone: "+81 3 1234".into(),
        },
    };
    let act = Record {
        meta: meta(4),
        data: activity(Id(1), "2026-03-04", "Workshop om AI"),
    };
    let ass = Record {
        meta: meta(5),
        data: assessment(Id(1), AddedValue::CulturalChange, 3, "2026-06-30"),
    };
    let n = Record {
        meta: Meta {
            archived: true,
            ..meta(6)
        },
        data: Note {
            partners: vec![Id(1)],
            date: d("2026-11-01"),
            title: "Styrgrupp".into(),
            kind: MeetingKind::SteeringGroup,
            attendees: vec!["Anna".into()],
            body: "Rad 1\nRad 2".into(),
            decisions: vec!["Förnya".into()],
            actions: vec![ActionItem {
                text: "Skicka".into(),
                owner: "anna.lind".into(),
                due: Some(d("2026-12-01")),
                done: true,
            }],
        },
    };
    let audit = codec::AuditEntry {
        seq: 7,
        at: Timestamp(1_764_300_000_000),
        user: "anna.lind".into(),
        action: codec::AuditAction::Update,
        kind: EntityKind::Partner,
        id: Id(1),
        version: 3,
        label: "Örebro universitet".into(),
        changes: vec![FieldChange {
            field: "phase".into(),
            old: "start_up".into(),
            new: "running".into(),
        }],
    };
    vec![
        ("partner", codec::encode_record(&p).unwrap()),
        // Agreements gained the renewal checklist in envelope V2: the first schema wrote V1.
        ("agreement", agreement_v1(&a)),
        ("contact", codec::encode_record(&c).unwrap()),
        ("activity", codec::encode_record(&act).unwrap()),
        ("assessment", codec::encode_record(&ass).unwrap()),
        ("note", codec::encode_record(&n).unwrap()),
        ("audit", codec::encode_audit(&audit).unwrap()),
    ]
}

/// An agreement in the first schema's envelope (`V1`, before the renewal checklist).
fn agreement_v1(a: &Record<Agreement>) -> Vec<u8> {
    let d = &a.data;
    codec::encode(&codec::AgreementEnvelope::V1(Record {
        meta: a.meta.clone(),
        data: codec::AgreementV1 {
            partner: d.partner,
            kind: d.kind,
            title: d.title.clone(),
            signed: d.signed,
            start: d.start,
            end: d.end,
            signatories: d.signatories.clone(),
            renewal_lead_months: d.renewal_lead_months,
            status: d.status,
        },
    }))
    .unwrap()
}

#[test]
fn an_agreement_written_before_the_renewal_checklist_reads_with_its_steps_empty_and_writes_as_v2() {
    let (_, v1) = first_schema_records().swap_remove(1);
    let old = codec::decode_record::<Agreement>(&v1).unwrap();
    assert_eq!(old.data.renewal_draft_sent, None);
    assert_eq!(old.data.renewal_signed, None);
    let mut new = old.clone();
    new.data.renewal_draft_sent = Some(d("2026-03-01"));
    new.data.renewal_signed = Some(d("2026-04-01"));
    let bytes = codec::encode_record(&new).unwrap();
    assert_ne!(bytes, v1);
    assert_eq!(codec::decode_record::<Agreement>(&bytes).unwrap(), new);
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v1")
        .join(name)
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Set SPETS_WRITE_FIXTURES=1 to (re)write the fixtures; only ever for a new schema version.
#[test]
fn first_schema_records_still_decode() {
    let expected = first_schema_records();
    if std::env::var("SPETS_WRITE_FIXTURES").is_ok() {
        std::fs::create_dir_all(fixture("")).unwrap();
        let text: String = expected
            .iter()
            .map(|(k, b)| format!("{k} {}\n", spets::store::hex(b)))
            .collect();
        std::fs::write(fixture("records.txt"), text).unwrap();
    }
    let text = std::fs::read_to_string(fixture("records.txt")).unwrap();
    let stored: Vec<(String, Vec<u8>)> = text
        .lines()
        .map(|l| {
            let (k, h) = l.split_once(' ').unwrap();
            (k.to_string(), unhex(h))
        })
        .collect();
    assert_eq!(stored.len(), expected.len());
    for ((kind, bytes), (ekind, ebytes)) in stored.iter().zip(&expected) {
        assert_eq!(kind, ekind);
        // Decoding the committed bytes gives today's value, and today's encoding is unchanged.
        match kind.as_str() {
            "partner" => assert_eq!(
                codec::decode_record::<Partner>(bytes).unwrap(),
                codec::decode_record::<Partner>(ebytes).unwrap()
            ),
            "agreement" => assert_eq!(
                codec::decode_record::<Agreement>(bytes).unwrap(),
                codec::decode_record::<Agreement>(ebytes).unwrap()
            ),
            "contact" => assert_eq!(
                codec::decode_record::<Contact>(bytes).unwrap(),
                codec::decode_record::<Contact>(ebytes).unwrap()
            ),
            "activity" => assert_eq!(
                codec::decode_record::<Activity>(bytes).unwrap(),
                codec::decode_record::<Activity>(ebytes).unwrap()
            ),
            "assessment" => assert_eq!(
                codec::decode_record::<Assessment>(bytes).unwrap(),
                codec::decode_record::<Assessment>(ebytes).unwrap()
            ),
            "note" => assert_eq!(
                codec::decode_record::<Note>(bytes).unwrap(),
                codec::decode_record::<Note>(ebytes).unwrap()
            ),
            "audit" => assert_eq!(
                codec::decode_audit(bytes).unwrap(),
                codec::decode_audit(ebytes).unwrap()
            ),
            other => panic!("unknown fixture kind {other}"),
        }
        assert_eq!(
            bytes, ebytes,
            "the encoding of {kind} changed: add a new envelope variant instead"
        );
    }
    let c = codec::decode_record::<Contact>(&stored[2].1).unwrap();
    assert_eq!(c.data.name, "山田 太郎");
}

/// A whole workspace written by the first schema, as a backup file: it restores, checks out and
/// answers queries.
#[test]
fn first_schema_workspace_still_opens() {
    let file = fixture("workspace.spetsbak");
    if std::env::var("SPETS_WRITE_FIXTURES").is_ok() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let spec = spets::demo::DemoSpec {
            partners: 6,
            activities: 30,
            notes: 5,
            seed: 7,
            today: today(),
            me: "anna.lind".into(),
        };
        spets::demo::generate(&store, &spec, "anna.lind").unwrap();
        let (bytes, _) = backup::snapshot(&store).unwrap();
        std::fs::write(&file, bytes).unwrap();
    }
    let bytes = std::fs::read(&file).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    backup::restore("workspace.spetsbak", &bytes, &dir, "tester").unwrap();
    let s = open(&dir);
    assert!(check::check(s.store()).unwrap().is_ok());
    let Response::Stats(st) = s.handle(&admin(), Request::Stats) else {
        panic!()
    };
    assert_eq!((st.partners, st.activities, st.notes), (6, 30, 5));
    let Response::Partners(p) = s.handle(
        &admin(),
        Request::Partners(PartnerQuery {
            lang: spets::i18n::Lang::Sv,
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(p.total, 6);
    // New ids continue after the restored ones.
    let (id, _) = create(&s, &editor(), AnyData::Partner(partner("Ny partner", "SE")));
    assert!(s.store().get::<Partner>(id).unwrap().is_some());
    assert!(
        id.0 > 6 + 30 + 5,
        "id {id} may collide with restored records"
    );
    assert!(check::check(s.store()).unwrap().is_ok());
}

#[test]
fn backup_restore_round_trip_and_damaged_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let spec = spets::demo::DemoSpec {
        partners: 15,
        activities: 200,
        notes: 20,
        seed: 3,
        today: today(),
        me: "anna.lind".into(),
    };
    let bak = tmp.path().join("ws.spetsbak");
    let (before, scan_before) = {
        let store = Store::open(&src).unwrap();
        spets::demo::generate(&store, &spec, "anna.lind").unwrap();
        let s = Service::new(store).unwrap();
        let Response::Stats(st) = s.handle(&admin(), Request::Stats) else {
            panic!()
        };
        let (bytes, summary) = backup::snapshot(s.store()).unwrap();
        assert_eq!(summary.bytes as usize, bytes.len());
        backup::write_atomic(&bak, &bytes).unwrap();
        (
            st,
            s.store()
                .scan::<Activity>()
                .collect::<Result<Vec<_>, _>>()
                .unwrap(),
        )
    };
    // Through the real binary.
    let dst = tmp.path().join("restored");
    let out = Command::new(BIN)
        .arg("restore")
        .arg(&bak)
        .arg("--db")
        .arg(&dst)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = open(&dst);
    let Response::Stats(after) = s.handle(&admin(), Request::Stats) else {
        panic!()
    };
    assert_eq!(before, after);
    assert_eq!(
        scan_before,
        s.store()
            .scan::<Activity>()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    );
    drop(s);

    // Restoring into a directory that holds a workspace is refused.
    let out = Command::new(BIN)
        .arg("restore")
        .arg(&bak)
        .arg("--db")
        .arg(&dst)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a workspace"));

    // A flipped byte or a cut-off file is refused before anything is written.
    let mut bytes = std::fs::read(&bak).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    let damaged = tmp.path().join("damaged.spetsbak");
    std::fs::write(&damaged, &bytes).unwrap();
    let target = tmp.path().join("never");
    let out = Command::new(BIN)
        .arg("restore")
        .arg(&damaged)
        .arg("--db")
        .arg(&target)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is damaged: its checksum does not match"),
        "{err}"
    );
    assert!(
        !target.exists(),
        "nothing may be written for a damaged backup"
    );
    let ok = std::fs::read(&bak).unwrap();
    assert!(matches!(
        backup::restore("cut", &ok[..ok.len() - 100], &target, "tester"),
        Err(backup::RestoreError::Damaged { .. })
    ));
    assert!(matches!(
        backup::restore("junk", b"hello", &target, "tester"),
        Err(backup::RestoreError::NotABackup(_))
    ));
}

#[test]
fn demo_data_is_deterministic_for_a_seed_and_valid() {
    let spec = spets::demo::DemoSpec {
        partners: 30,
        activities: 300,
        notes: 30,
        seed: 42,
        today: today(),
        me: "anna.lind".into(),
    };
    let dump = |dir: &std::path::Path| {
        let store = Store::open(dir).unwrap();
        spets::demo::generate(&store, &spec, "anna.lind").unwrap();
        let p: Vec<Partner> = store.scan::<Partner>().map(|r| r.unwrap().data).collect();
        let a: Vec<Activity> = store.scan::<Activity>().map(|r| r.unwrap().data).collect();
        let n: Vec<Note> = store.scan::<Note>().map(|r| r.unwrap().data).collect();
        (p, a, n, store)
    };
    let t1 = tempfile::tempdir().unwrap();
    let t2 = tempfile::tempdir().unwrap();
    let (p1, a1, n1, store) = dump(t1.path());
    let (p2, a2, n2, _) = dump(t2.path());
    assert_eq!((&p1, &a1, &n1), (&p2, &a2, &n2));
    // Every generated record passes validation, and the mix covers the domain.
    for p in &p1 {
        let mut c = p.clone();
        c.normalise();
        assert_eq!(&c, p, "demo partner is not in normal form");
        assert!(p.validate().is_empty(), "{:?}: {:?}", p.name, p.validate());
    }
    for a in &a1 {
        assert!(a.validate().is_empty(), "{:?}", a.validate());
    }
    assert!(
        p1.iter().any(|p| p
            .name
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "no CJK name"
    );
    assert!(
        p1.iter()
            .any(|p| p.name.contains('ö') || p.name.contains('ä') || p.name.contains('å'))
    );
    assert!(
        p1.iter().any(|p| p.name.chars().count() > 60),
        "no long name"
    );
    for k in ActivityKind::ALL {
        assert!(a1.iter().any(|a| a.kind == *k), "no activity of kind {k}");
    }
    assert!(check::check(&store).unwrap().is_ok());
    // A second demo into the same workspace is refused.
    assert!(spets::demo::generate(&store, &spec, "anna.lind").is_err());
}

#[test]
fn cli_accepts_db_before_or_after_the_subcommand_and_reports_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&ws)
        .args([
            "demo",
            "--partners",
            "5",
            "--activities",
            "20",
            "--notes",
            "3",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("5 partners"));
    let out = Command::new(BIN)
        .arg("check")
        .arg("--db")
        .arg(&ws)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("is consistent"));
    let out = Command::new(BIN)
        .arg("check")
        .env("SPETS_DB", &ws)
        .output()
        .unwrap();
    assert!(out.status.success());

    let missing = tmp.path().join("nope");
    let out = Command::new(BIN)
        .arg("check")
        .arg("--db")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("there is no workspace at {}", missing.display()))
    );
    assert!(out.stdout.is_empty());

    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("spets "));
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["demo", "check", "backup", "restore"] {
        assert!(help.contains(cmd), "--help lacks {cmd}");
    }
    // Help follows the language.
    let out = Command::new(BIN)
        .args(["--lang", "sv", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Användning")
            && help.contains("Kommandon")
            && help.contains("Exportera en datamängd"),
        "{help}"
    );
    let out = Command::new(BIN)
        .args(["export", "--help"])
        .env("LANG", "sv_SE.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Flaggor"));
    let out = Command::new(BIN)
        .args(["demo", "--partners", "many"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'many'"));
}

#[test]
fn check_reports_damage() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let s = open(tmp.path());
        create(
            &s,
            &editor(),
            AnyData::Partner(partner("Malmö universitet", "SE")),
        );
    }
    {
        let db = raw_sled(tmp.path());
        db.open_tree("idx_activity_date")
            .unwrap()
            .insert([1u8; 12], &[])
            .unwrap();
        db.open_tree("partner")
            .unwrap()
            .insert(99u64.to_be_bytes(), &[7u8, 7, 7])
            .unwrap();
        db.flush().unwrap();
    }
    let out = Command::new(BIN)
        .arg("check")
        .arg("--db")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "idx_activity_date has an entry 010101010101010101010101 that no record explains"
        ),
        "{err}"
    );
    assert!(
        err.contains("partner record 0000000000000063 cannot be read"),
        "{err}"
    );
}
