//! A record that does not decode never takes the workspace down; `spets check` names it and
//! `check --repair` moves it to quarantine; counters behind the ids in use are found and raised;
//! a create never overwrites.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::client::{Client, Remote};
use spets::domain::*;
use spets::service::*;
use spets::store::{Store, TreeId, backup, hex};

/// A workspace with three partners and an activity each; returns their ids.
fn workspace(dir: &std::path::Path) -> (Vec<Id>, Vec<Id>) {
    let s = open(dir);
    let mut partners = Vec::new();
    let mut activities = Vec::new();
    for name in ["Chalmers", "KTH", "Lunds universitet"] {
        let (p, _) = create(&s, &editor(), AnyData::Partner(partner(name, "SE")));
        let (a, _) = create(
            &s,
            &editor(),
            AnyData::Activity(activity(p, "2026-10-01", &format!("Visit to {name}"))),
        );
        partners.push(p);
        activities.push(a);
    }
    (partners, activities)
}

/// Overwrite a stored record with bytes that do not decode.
fn damage(dir: &std::path::Path, tree: TreeId, id: Id) {
    let store = Store::open(dir).unwrap();
    store
        .tree(tree)
        .unwrap()
        .insert(id.to_be_bytes(), &b"\x00\xff\xff\xff\xff garbage"[..])
        .unwrap();
    store.flush().unwrap();
}

fn stats(c: &dyn Client) -> Stats {
    match c.call(Request::Stats) {
        Response::Stats(s) => s,
        other => panic!("{other:?}"),
    }
}

#[test]
fn records_that_do_not_decode_are_skipped_counted_named_and_quarantined() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let (partners, activities) = workspace(&ws);
    damage(&ws, TreeId::Partner, partners[1]);
    damage(&ws, TreeId::Activity, activities[2]);
    // No checkpoint: the model is loaded from the records.
    let _ = std::fs::remove_file(ws.join("model.checkpoint"));
    let w = ws.to_str().unwrap();

    // The service opens, answers without the damaged records, and counts them.
    {
        let s = open(&ws);
        match s.handle(&editor(), Request::Partners(PartnerQuery::default())) {
            Response::Partners(p) => assert_eq!(p.total, 2),
            other => panic!("{other:?}"),
        }
        match s.handle(&editor(), Request::Activities(ActivityQuery::default())) {
            Response::Activities(p) => assert_eq!(p.total, 2),
            other => panic!("{other:?}"),
        }
        match s.handle(&editor(), Request::Stats) {
            Response::Stats(st) => assert_eq!(st.damaged, 2),
            other => panic!("{other:?}"),
        }
    }
    // Export and backup work and say what was left out.
    let out = spets(&["export", "activities", "--db", w, "--dialect", "rfc4180"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().count(),
        3,
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("cannot be read and are left out; run `spets check`"),
        "{}",
        text(&out.stderr)
    );
    let bak = tmp.path().join("ws.spetsbak");
    let out = spets(&["backup", bak.to_str().unwrap(), "--db", w]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The daemon starts on it.
    {
        let sock = tmp.path().join("run/spets.sock");
        let _d = Daemon::start(&ws, &sock);
        let c = Remote::connect(&sock).unwrap();
        assert_eq!(stats(&c).partners, 3);
    }

    // check lists each with its key, changes nothing, and fails.
    let out = spets(&["check", "--db", w]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for (tree, id) in [("partner", partners[1]), ("activity", activities[2])] {
        let line = format!(
            "problem: {tree} record {} cannot be read",
            hex(&id.to_be_bytes())
        );
        assert!(err.contains(&line), "{line} in {err}");
    }
    assert!(
        err.contains("This was a dry run: nothing was changed"),
        "{err}"
    );
    assert_eq!(
        spets(&["check", "--db", w]).status.code(),
        Some(1),
        "a dry run changed something"
    );

    // check --repair moves them to quarantine, mends indexes and counts, and audits each step.
    let out = spets(&["check", "--repair", "--db", w]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let said = text(&out.stdout);
    assert!(said.contains("repaired: partner record"), "{said}");
    assert!(said.contains("moved to quarantine"), "{said}");
    assert!(said.contains("OK: "), "{said}");
    assert!(spets(&["check", "--db", w]).status.success());
    let store = Store::open(&ws).unwrap();
    let q = store.tree(TreeId::Quarantine).unwrap();
    let key = [b"partner".as_slice(), &[0], &partners[1].to_be_bytes()].concat();
    assert_eq!(
        q.get(key).unwrap().as_deref(),
        Some(&b"\x00\xff\xff\xff\xff garbage"[..]),
        "the raw bytes are kept for a rescue"
    );
    let repairs = store
        .audit(None)
        .filter_map(Result::ok)
        .filter(|e| e.action == spets::store::AuditAction::Repair)
        .count();
    assert!(repairs >= 3, "{repairs} repair entries");
    drop(store);

    // The backup taken of the damaged workspace restores into a consistent one.
    let restored = tmp.path().join("restored");
    let out = spets(&[
        "restore",
        bak.to_str().unwrap(),
        "--db",
        restored.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("moved to quarantine"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        spets(&["check", "--db", restored.to_str().unwrap()])
            .status
            .success()
    );
}

#[test]
fn a_record_over_a_limit_is_found_by_check_and_quarantined_by_repair() {
    // Written by an older spets without limits: 150 tags.
    let tmp = tempfile::tempdir().unwrap();
    let (partners, _) = workspace(tmp.path());
    {
        let store = Store::open(tmp.path()).unwrap();
        let mut r = store.get::<Partner>(partners[0]).unwrap().unwrap();
        r.data.tags = (0..150).map(|i| format!("t{i}")).collect();
        let bytes = spets::store::codec::encode_record(&r).unwrap();
        store
            .tree(TreeId::Partner)
            .unwrap()
            .insert(partners[0].to_be_bytes(), bytes)
            .unwrap();
        store.flush().unwrap();
    }
    let w = tmp.path().to_str().unwrap();
    let out = spets(&["check", "--db", w]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "partner {}, field tags: has 150 entries, more than the 100 allowed",
            partners[0]
        )),
        "{err}"
    );
    let out = spets(&["check", "--repair", "--db", w]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(spets(&["check", "--db", w]).status.success());
}

#[test]
fn a_backup_with_a_reset_counter_restores_with_the_counter_raised_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let (partners, _) = workspace(&ws);
    let names = |dir: &std::path::Path| -> Vec<(Id, String)> {
        let s = open(dir);
        let mut v: Vec<(Id, String)> = s
            .store()
            .scan::<Partner>()
            .map(|r| r.unwrap())
            .map(|r| (r.meta.id, r.data.name))
            .collect();
        v.sort();
        v
    };
    let before = names(&ws);
    // Craft the backup: the same workspace with its id counter at 0.
    {
        let store = Store::open(&ws).unwrap();
        store
            .tree(TreeId::Counters)
            .unwrap()
            .insert(b"record_id", &0u64.to_be_bytes())
            .unwrap();
        let (bytes, _) = backup::snapshot(&store).unwrap();
        std::fs::write(tmp.path().join("reset.spetsbak"), bytes).unwrap();
    }
    // check finds the counter behind.
    let out = spets(&["check", "--db", ws.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the record_id counter is 0, but the workspace already uses"),
        "{}",
        text(&out.stderr)
    );
    // restore repairs the counter and says so; the result checks out.
    let restored = tmp.path().join("restored");
    let r = restored.to_str().unwrap();
    let out = spets(&[
        "restore",
        tmp.path().join("reset.spetsbak").to_str().unwrap(),
        "--db",
        r,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("the record_id counter was raised from 0 to"),
        "{}",
        text(&out.stdout)
    );
    assert!(spets(&["check", "--db", r]).status.success());
    // Two imported partners take new ids: every earlier partner is untouched.
    let csv = tmp.path().join("two.csv");
    std::fs::write(
        &csv,
        "name,kind,country\nAalto,university,FI\nNTNU,university,NO\n",
    )
    .unwrap();
    let out = spets(&["import", "partners", csv.to_str().unwrap(), "--db", r]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = names(&restored);
    assert_eq!(after.len(), before.len() + 2);
    for p in &before {
        assert!(after.contains(p), "{p:?} was overwritten");
    }
    assert!(
        after
            .iter()
            .all(|(id, _)| !partners.contains(id) || before.iter().any(|(b, _)| b == id))
    );
}

#[test]
fn a_create_never_overwrites_when_the_counter_is_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (partners, _) = workspace(tmp.path());
    {
        let store = Store::open(tmp.path()).unwrap();
        store
            .tree(TreeId::Counters)
            .unwrap()
            .insert(b"record_id", &0u64.to_be_bytes())
            .unwrap();
        store.flush().unwrap();
    }
    let s = open(tmp.path());
    let first = s.store().get::<Partner>(partners[0]).unwrap().unwrap();
    match s.handle(
        &editor(),
        Request::Create(AnyData::Partner(partner("Aalto", "FI"))),
    ) {
        Response::Failed(f) => {
            assert_eq!(
                f,
                spets::service::Failure::IdInUse {
                    kind: spets::domain::EntityKind::Partner,
                    id: partners[0]
                }
            );
            let m = spets::i18n::reasons::failure(spets::i18n::Lang::En, &f);
            assert!(
                m.contains("Partner 1 already exists, so a new record cannot take its id")
                    && m.contains("spets check --repair"),
                "{m}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        s.store().get::<Partner>(partners[0]).unwrap().unwrap(),
        first
    );
    // Nor does a staged save (an activity), nor an import.
    let act = AnyData::Activity(activity(partners[0], "2026-11-01", "Call"));
    assert!(matches!(
        s.handle(&editor(), Request::Create(act)),
        Response::Failed(_)
    ));
    match s.handle(&admin(), Request::Repair) {
        Response::Repaired(steps) => assert!(!steps.is_empty()),
        other => panic!("{other:?}"),
    }
    create(&s, &editor(), AnyData::Partner(partner("Aalto", "FI")));
    assert_eq!(
        s.store().get::<Partner>(partners[0]).unwrap().unwrap(),
        first
    );
}

#[test]
fn the_terminal_ui_opens_and_names_how_many_records_cannot_be_read() {
    use ratatui::{Terminal, backend::TestBackend};
    let tmp = tempfile::tempdir().unwrap();
    let (partners, activities) = workspace(tmp.path());
    damage(tmp.path(), TreeId::Partner, partners[0]);
    damage(tmp.path(), TreeId::Activity, activities[1]);
    let _ = std::fs::remove_file(tmp.path().join("model.checkpoint"));
    let service = std::sync::Arc::new(open(tmp.path()));
    let client = std::sync::Arc::new(spets::client::Embedded::new(service, "anna".into()));
    let mut app = spets::ui::App::new(
        client,
        spets::ui::Options {
            lang: spets::i18n::Lang::En,
            keymap: spets::keymap::Keymap::preset("default").unwrap(),
            today: today(),
            theme: spets::ui::theme::Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    let screen = |app: &mut spets::ui::App| {
        assert!(app.settle(timeout()));
        let mut t = Terminal::new(TestBackend::new(200, 30)).unwrap();
        t.draw(|f| spets::ui::draw(f, app)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect::<String>()
    };
    // The partner list shows the readable partners and says records were left out (one, or two
    // when the start notice's overview has already met the damaged activity).
    let s = screen(&mut app);
    assert!(s.contains("KTH") && !s.contains("Chalmers"), "{s}");
    assert!(s.contains("cannot be read"), "{s}");
    // The timeline meets the damaged activity: the notice counts it too.
    app.handle_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('2'),
        crossterm::event::KeyModifiers::NONE,
    ));
    let s = screen(&mut app);
    assert!(s.contains("2 records cannot be read"), "{s}");
}

#[test]
fn check_names_missing_and_stray_index_entries_and_repair_mends_them() {
    use spets::store::check::{Finding, check};
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let (_, activities) = workspace(&ws);
    let store = Store::open(&ws).unwrap();
    let a = store.get::<Activity>(activities[1]).unwrap().unwrap();
    let key = [
        spets::store::date_key(a.data.date).as_slice(),
        &a.meta.id.to_be_bytes(),
    ]
    .concat();
    let tree = TreeId::ActivityByDate;
    assert!(store.tree(tree).unwrap().remove(&key).unwrap().is_some());
    let stray = [
        spets::store::date_key(d("2026-10-01")).as_slice(),
        &Id(999_999).to_be_bytes(),
    ]
    .concat();
    store
        .tree(TreeId::ActivityByDate)
        .unwrap()
        .insert(&stray, &b""[..])
        .unwrap();
    store.flush().unwrap();

    let report = check(&store).unwrap();
    assert!(
        report.findings.contains(&Finding::MissingIndex {
            tree: "idx_activity_date".into(),
            key: hex(&key),
        }),
        "{:?}",
        report.findings
    );
    assert!(
        report.findings.contains(&Finding::StrayIndex {
            tree: "idx_activity_date".into(),
            key: hex(&stray),
        }),
        "{:?}",
        report.findings
    );
    assert_eq!(report.findings.len(), 2, "{:?}", report.findings);

    spets::store::check::repair(&store, "admin").unwrap();
    let tree = store.tree(TreeId::ActivityByDate).unwrap();
    assert!(
        tree.contains_key(&key).unwrap(),
        "the missing entry is back"
    );
    assert!(
        !tree.contains_key(&stray).unwrap(),
        "the stray entry is gone"
    );
    assert!(check(&store).unwrap().is_ok());
}
