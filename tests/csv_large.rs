//! A 200,000-row activity export: complete, parseable, with progress along the way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;

use csv_support::*;
use spets::client::{Client, Embedded};
use spets::csvio::{self, Dataset, Dialect, ExportOptions, Naming, Scope};
use spets::domain::text::fold;
use spets::domain::{Activity, ActivityStatus, AddedValue, EntityKind};
use spets::i18n::Lang;
use spets::service::{ActivityQuery, Archived, Request, Response, Role};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

#[test]
fn two_hundred_thousand_activities() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let svc = demo(&dir.path().join("ws"), 2000, 200_000, 50);
    eprintln!("demo data: {:.1} s", t.elapsed().as_secs_f64());
    // In process, as `spets export` and the TUI run it: the store is read in place.
    let c = Embedded::new(svc.clone(), "anna.lind".into());
    assert!(c.local().is_some());
    let path = dir.path().join("activities.csv");
    let mut updates = 0usize;
    let mut last = None;
    let t = Instant::now();
    let n = csvio::export_to_path(
        &c,
        Dataset::Activities,
        &Scope::All,
        &ExportOptions::for_lang(Lang::Sv),
        &path,
        &mut |p| {
            updates += 1;
            last = Some(p);
        },
        &AtomicBool::new(false),
    )
    .unwrap();
    eprintln!("export: {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!(n, 200_000);
    assert!(
        updates > 100,
        "progress is reported while it runs ({updates} updates)"
    );
    assert_eq!(
        last.map(|p| (p.rows, p.total)),
        Some((200_000, Some(200_000)))
    );
    let bytes = std::fs::read(&path).unwrap();
    let (header, rows) = parse(&bytes, Dialect::ExcelSv);
    assert_eq!(header[1], "Datum");
    assert_eq!(rows.len(), 200_000);
    // Storage order: ids ascending, each activity exactly once.
    let ids: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "in storage (id) order, no repeats"
    );
    assert_eq!(ids.len(), 200_000, "every activity exactly once");

    // The same bytes as a plain sequential read of the store would give, row for row.
    let mut want = String::new();
    for r in svc.store().scan::<Activity>() {
        let r = r.unwrap();
        if !r.meta.archived {
            want.push_str(&r.meta.id.0.to_string());
            want.push('\n');
        }
    }
    let got: String = ids.iter().map(|id| format!("{id}\n")).collect();
    assert!(got == want, "every stored activity, in store order");

    // A daemon's client gets the same records in batches over its socket: the same bytes.
    let batched = client(&svc, Role::Viewer);
    assert!(batched.local().is_none());
    let (again, m) = export(
        &batched,
        Dataset::Activities,
        &Scope::All,
        &ExportOptions::for_lang(Lang::Sv),
    );
    assert_eq!(m, 200_000);
    assert!(again == bytes, "the batched export writes the same bytes");

    // Cancelling part-way stops the workers and leaves no file.
    let path2 = dir.path().join("cancelled.csv");
    let cancel = AtomicBool::new(false);
    let e = csvio::export_to_path(
        &c,
        Dataset::Activities,
        &Scope::All,
        &ExportOptions::for_lang(Lang::Sv),
        &path2,
        &mut |p| {
            if p.rows >= 50_000 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(e, csvio::ExportError::Cancelled), "{e:?}");
    assert!(!path2.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left behind"
    );

    // A writer that fails part-way (a full disk, a closed pipe) ends the export with its error.
    struct Fails(usize);
    impl std::io::Write for Fails {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.0 < b.len() {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            self.0 -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let e = csvio::export_to_writer(
        &c,
        Dataset::Activities,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
        &mut Fails(5 << 20),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(
        matches!(&e, csvio::ExportError::Write(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
        "{e:?}"
    );
}

/// The in-process export reads the store in place and filters there; a daemon's client gets the
/// matching records in batches. Both must write the same bytes for every kind of filter, on a
/// workspace large enough to be read by two threads.
#[test]
fn in_process_and_batched_exports_agree_for_every_filter() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(&dir.path().join("ws"), 300, 20_000, 10);
    let all: Vec<_> = svc.store().scan::<Activity>().map(|r| r.unwrap()).collect();
    // Archive every 97th activity, so that the archived filters have something to tell apart.
    let mut archived = 0;
    for r in all.iter().step_by(97) {
        let answer = svc.handle(
            &spets::service::Identity {
                user: "anna.lind".into(),
                role: Role::Admin,
            },
            Request::Archive {
                kind: EntityKind::Activity,
                id: r.meta.id,
                expected_version: r.meta.version,
            },
        );
        assert!(matches!(answer, Response::Saved { .. }), "{answer:?}");
        archived += 1;
    }
    let local = Embedded::new(svc.clone(), "anna.lind".into());
    let batched = client(&svc, Role::Viewer);
    let some = &all[1234].data;
    let word = some
        .title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_lowercase();
    let q = ActivityQuery::default;
    let queries = [
        ("everything", q()),
        (
            "archived too",
            ActivityQuery {
                archived: Archived::Include,
                ..q()
            },
        ),
        (
            "archived only",
            ActivityQuery {
                archived: Archived::Only,
                ..q()
            },
        ),
        (
            "partner",
            ActivityQuery {
                partner: some.partners.first().copied(),
                ..q()
            },
        ),
        (
            "kind",
            ActivityQuery {
                kind: Some(some.kind),
                ..q()
            },
        ),
        (
            "status",
            ActivityQuery {
                status: Some(ActivityStatus::Done),
                ..q()
            },
        ),
        (
            "value",
            ActivityQuery {
                value: Some(AddedValue::Impact),
                ..q()
            },
        ),
        (
            "text",
            ActivityQuery {
                text: word.clone(),
                ..q()
            },
        ),
        (
            "dates",
            ActivityQuery {
                from: Some(some.date),
                to: some.date.checked_add_days(chrono::Days::new(90)),
                ..q()
            },
        ),
        (
            "nothing",
            ActivityQuery {
                text: "no activity says this".into(),
                ..q()
            },
        ),
    ];
    // What each filter must find, counted independently over the records as read before archiving
    // (every 97th is archived since).
    let count = |admits: &dyn Fn(&Activity) -> bool| {
        all.iter()
            .enumerate()
            .filter(|(i, r)| i % 97 != 0 && admits(&r.data))
            .count()
    };
    for (what, query) in queries {
        for opts in [
            ExportOptions::for_lang(Lang::Sv),
            ExportOptions::new(Dialect::Rfc4180, Naming::Machine),
        ] {
            let scope = Scope::Activities(query.clone());
            let (a, n) = export(&local, Dataset::Activities, &scope, &opts);
            let (b, m) = export(&batched, Dataset::Activities, &scope, &opts);
            assert_eq!(n, m, "{what}: the same rows");
            assert!(a == b, "{what}: the same bytes");
            let expected = match what {
                "everything" => all.len() - archived,
                "archived too" => all.len(),
                "archived only" => archived,
                "partner" => {
                    let p = some.partners.first().copied();
                    count(&|a| p.is_none_or(|p| a.partners.contains(&p)))
                }
                "kind" => count(&|a| a.kind == some.kind),
                "status" => count(&|a| a.status == ActivityStatus::Done),
                "value" => count(&|a| a.values.contains(&AddedValue::Impact)),
                "text" => count(&|a| {
                    fold(&a.title).contains(&fold(&word))
                        || fold(&a.description).contains(&fold(&word))
                }),
                "dates" => count(&|a| {
                    a.date >= some.date
                        && a.date <= some.date.checked_add_days(chrono::Days::new(90)).unwrap()
                }),
                "nothing" => 0,
                other => panic!("no expected count for {other:?}"),
            };
            assert_eq!(n, expected, "{what}");
            if !matches!(what, "everything" | "archived too" | "nothing") {
                assert!(
                    n > 0 && n < all.len() - archived,
                    "{what} filters ({n} rows)"
                );
            }
        }
    }
}
