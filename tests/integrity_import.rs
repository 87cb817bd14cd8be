//! Imports commit every row in one go, or none: when the importing process or the daemon is killed
//! mid-import, when the client goes away, and when another user archives a referenced partner
//! meanwhile. `--valid-only` commits the valid rows, again at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integrity_support;

use integrity_support::*;
use spets::client::{Client, Embedded};
use spets::csvio::{self, ImportKind, ImportOptions};
use spets::domain::*;
use spets::i18n::Lang;
use spets::service::*;
use std::sync::Arc;

const ROWS: usize = 12_000;

fn import_partners(ws: &std::path::Path, file: &std::path::Path) {
    let out = spets(&[
        "import",
        "partners",
        file.to_str().unwrap(),
        "--db",
        ws.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn check_ok(ws: &std::path::Path) {
    let out = spets(&["check", "--db", ws.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn killing_the_importing_process_keeps_none_of_the_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let (partners, activities) = import_files(tmp.path(), 20, ROWS);
    import_partners(&ws, &partners);
    let before = activity_count(&ws);
    let mut p = InPty::spawn(&[
        "import",
        "activities",
        activities.to_str().unwrap(),
        "--db",
        ws.to_str().unwrap(),
    ]);
    // Rows are being written under the journal: kill the process there.
    p.wait_for_text("writing: 4000 of 12000 rows sent");
    p.kill();
    assert_eq!(activity_count(&ws), before);
    check_ok(&ws);
    // The same import run to the end writes every row.
    let out = spets(&[
        "import",
        "activities",
        activities.to_str().unwrap(),
        "--db",
        ws.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(activity_count(&ws), before + ROWS);
    check_ok(&ws);
}

#[test]
fn killing_or_stopping_the_daemon_mid_import_keeps_none_of_the_rows() {
    use rustix::process::Signal;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let sock = tmp.path().join("run/spets.sock");
    let (partners, activities) = import_files(tmp.path(), 20, ROWS);
    import_partners(&ws, &partners);
    let before = activity_count(&ws);
    for signal in [Signal::KILL, Signal::TERM] {
        let mut d = Daemon::start(&ws, &sock);
        let mut p = InPty::spawn(&[
            "import",
            "activities",
            activities.to_str().unwrap(),
            "--connect",
            sock.to_str().unwrap(),
        ]);
        p.wait_for_text("writing: 4000 of 12000 rows sent");
        d.signal(signal);
        d.wait();
        let _ = p.wait();
        drop(d);
        assert_eq!(activity_count(&ws), before, "after SIG{signal:?}");
        check_ok(&ws);
    }
}

#[test]
fn a_client_that_goes_away_mid_import_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let sock = tmp.path().join("run/spets.sock");
    let (partners, activities) = import_files(tmp.path(), 20, ROWS);
    import_partners(&ws, &partners);
    let before = activity_count(&ws);
    let _d = Daemon::start(&ws, &sock);
    let mut p = InPty::spawn(&[
        "import",
        "activities",
        activities.to_str().unwrap(),
        "--connect",
        sock.to_str().unwrap(),
    ]);
    p.wait_for_text("writing: 4000 of 12000 rows sent");
    p.kill();
    // The daemon, still running, rolls the import back when the connection closes: the tree
    // holds no more activities than before (check counts the ones of an import in progress too).
    let c = spets::client::Remote::connect(&sock).unwrap();
    wait_for("the import to be rolled back", || {
        match c.call(Request::Check) {
            Response::CheckReport { counted, .. } => {
                counted.iter().any(|(t, n)| t == "activity" && *n == before)
            }
            other => panic!("{other:?}"),
        }
    });
    let out = spets(&["check", "--connect", sock.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    match c.call(Request::Stats) {
        Response::Stats(s) => assert_eq!(s.activities, before),
        other => panic!("{other:?}"),
    }
}

/// A client that lets another user archive a partner just before the import commits.
struct ArchivesBeforeCommit {
    inner: Embedded,
    service: Arc<Service>,
    partner: Id,
}

impl Client for ArchivesBeforeCommit {
    fn call(&self, req: Request) -> Response {
        if matches!(req, Request::ImportCommit { .. }) {
            let version = match self.service.handle(
                &admin(),
                Request::Get {
                    kind: EntityKind::Partner,
                    id: self.partner,
                },
            ) {
                Response::Record(AnyRecord::Partner(p)) => p.meta.version,
                other => panic!("{other:?}"),
            };
            let r = self.service.handle(
                &who("björn", Role::Editor),
                Request::Archive {
                    kind: EntityKind::Partner,
                    id: self.partner,
                    expected_version: version,
                },
            );
            assert!(matches!(r, Response::Saved { .. }), "{r:?}");
        }
        self.inner.call(req)
    }
    fn location(&self) -> String {
        self.inner.location()
    }
    fn identity(&self) -> Identity {
        self.inner.identity()
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<ChangeEvent> {
        self.inner.subscribe()
    }
}

#[test]
fn a_partner_archived_by_someone_else_meanwhile_stops_the_import_or_only_its_rows() {
    for valid_only in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let (partners, activities) = import_files(tmp.path(), 4, 40);
        import_partners(tmp.path(), &partners);
        let service = Arc::new(open(tmp.path()));
        let partner0 = match service.handle(&editor(), Request::Partners(PartnerQuery::default())) {
            Response::Partners(p) => p.items.iter().find(|r| r.name == "Partner 0").unwrap().id,
            other => panic!("{other:?}"),
        };
        let c = ArchivesBeforeCommit {
            inner: Embedded::new(Arc::clone(&service), "anna".into()),
            service: Arc::clone(&service),
            partner: partner0,
        };
        let mut opts = ImportOptions::new(Lang::En);
        opts.valid_only = valid_only;
        let bytes = std::fs::read(&activities).unwrap();
        let report = csvio::import_bytes(&c, ImportKind::Activities, &bytes, &opts).unwrap();
        let count = match service.handle(&editor(), Request::Stats) {
            Response::Stats(s) => s.activities,
            other => panic!("{other:?}"),
        };
        // Rows 2, 6, 10, … name Partner 0: ten of the forty.
        assert_eq!(report.problems.len(), 10, "{report}");
        assert!(
            report.problems[0]
                .to_string()
                .starts_with("row 2, column \"partners\""),
            "{}",
            report.problems[0]
        );
        if valid_only {
            assert_eq!((report.written, count), (30, 30), "{report}");
        } else {
            assert_eq!((report.written, count), (0, 0), "{report}");
        }
    }
}

#[test]
fn rows_refused_by_the_service_stop_the_whole_import() {
    // Two rows name the same new partner (the service's own duplicate check, as a second user's
    // file would): nothing of the file is written.
    let tmp = tempfile::tempdir().unwrap();
    let service = Arc::new(open(tmp.path()));
    let c = Embedded::new(Arc::clone(&service), "anna".into());
    let rows: Vec<ImportRow> = ["Aalto", "NTNU", "Aalto"]
        .iter()
        .enumerate()
        .map(|(i, n)| ImportRow {
            row: i as u64 + 2,
            // Imported partners carry no goal lines (goals are imported on their own).
            data: AnyData::Partner(Partner {
                goals: Vec::new(),
                ..partner(n, "FI")
            }),
        })
        .collect();
    let Response::ImportStarted { session } = c.call(Request::ImportBegin {
        kind: EntityKind::Partner,
        rows: 3,
        valid_only: false,
    }) else {
        panic!()
    };
    match c.call(Request::ImportRows { session, rows }) {
        Response::ImportRowsTaken { accepted, rejected } => {
            assert_eq!(accepted, 2);
            assert_eq!(rejected[0].row, 4);
            assert_eq!(rejected[0].errors[0].rule, Rule::DuplicateRow { row: 2 });
        }
        other => panic!("{other:?}"),
    }
    // Nobody sees the accepted rows before the commit.
    match c.call(Request::Partners(PartnerQuery::default())) {
        Response::Partners(p) => assert_eq!(p.total, 0),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.call(Request::ImportCommit { session }),
        Response::ImportRefused { .. }
    ));
    match c.call(Request::Stats) {
        Response::Stats(s) => assert_eq!((s.partners, s.damaged), (0, 0)),
        other => panic!("{other:?}"),
    }
    let store = service.store();
    assert!(spets::store::check::check(store).unwrap().is_ok());
}

#[test]
fn the_progress_of_a_large_import_moves_while_it_checks_and_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let (partners, activities) = import_files(tmp.path(), 5, 5_000);
    import_partners(tmp.path(), &partners);
    let service = Arc::new(open(tmp.path()));
    let c = Embedded::new(Arc::clone(&service), "anna".into());
    let bytes = std::fs::read(&activities).unwrap();
    let mut seen = Vec::new();
    let report = csvio::import_bytes_with(
        &c,
        ImportKind::Activities,
        &bytes,
        &ImportOptions::new(Lang::En),
        &mut |p| seen.push(p),
    )
    .unwrap();
    assert_eq!(report.written, 5_000, "{report}");
    let checking: Vec<usize> = seen
        .iter()
        .filter_map(|p| match p {
            csvio::ImportProgress::Checking { rows } => Some(*rows),
            _ => None,
        })
        .collect();
    let writing: Vec<(usize, usize)> = seen
        .iter()
        .filter_map(|p| match p {
            csvio::ImportProgress::Writing { rows, total } => Some((*rows, *total)),
            _ => None,
        })
        .collect();
    assert!(
        checking.len() >= 4 && checking.windows(2).all(|w| w[0] < w[1]),
        "{checking:?}"
    );
    assert_eq!(writing, vec![(2000, 5000), (4000, 5000), (5000, 5000)]);
}

#[test]
fn a_file_of_bad_rows_gets_a_bounded_report_that_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let file = tmp.path().join("bad.csv");
    let mut csv = String::from("name,kind,country\n");
    csv.push_str(&format!("{},university,SE\n", "N".repeat(1 << 20)));
    for i in 0..4999 {
        csv.push_str(&format!("Partner {i},university,XX\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let out = spets(&[
        "--lang",
        "en",
        "import",
        "partners",
        file.to_str().unwrap(),
        "--db",
        ws.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    let listed = err.lines().filter(|l| l.contains("row ")).count();
    assert_eq!(
        listed,
        spets::domain::limits::IMPORT_PROBLEMS_SHOWN,
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.contains("… and 4000 problems not listed here (only the first 1000 are)"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    // The huge cell is quoted in part, with an ellipsis.
    let first = err.lines().find(|l| l.contains("row 2")).unwrap();
    assert!(first.contains("NNNN…"), "{first}");
    assert!(first.len() < 400, "{} bytes", first.len());
    assert!(
        text(&out.stdout).contains("nothing was written"),
        "{}",
        text(&out.stdout)
    );
}
