//! `spets export` and `spets import` through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn spets(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("SPETS_DB")
        .env("LC_ALL", "sv_SE.UTF-8")
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn workspace(home: &Path) -> String {
    let db = home.join("ws").display().to_string();
    ok(&spets(
        home,
        &[
            "demo",
            "--db",
            &db,
            "--partners",
            "20",
            "--activities",
            "300",
            "--notes",
            "10",
            "--seed",
            "3",
        ],
    ));
    db
}

#[test]
fn export_to_stdout_and_to_a_file() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    // Default: stdout, the dialect of the language (LC_ALL=sv → excel-sv), Swedish headers.
    let out = spets(home.path(), &["export", "partners", "--db", &db]);
    let text = ok(&out);
    assert!(
        text.starts_with("\u{feff}ID;Namn;Kortnamn;Typ;Land;"),
        "{}",
        &text[..80]
    );
    assert_eq!(
        text.matches("\r\n").count(),
        21,
        "header + 20 partners, CRLF"
    );
    // English, rfc4180, machine headers, a filter, `-` for stdout.
    let out = spets(
        home.path(),
        &[
            "export",
            "activities",
            "--db",
            &db,
            "--lang",
            "en",
            "--dialect",
            "rfc4180",
            "--machine-headers",
            "--filter",
            "kind=meeting,from=2020-01-01",
            "-o",
            "-",
        ],
    );
    let text = ok(&out);
    assert!(text.starts_with("id,date,end_date,partner_ids,partners,kind,title,"));
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(!rows.is_empty());
    let mut r = csv::Reader::from_reader(text.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_eq!(&rec[5], "meeting");
        assert!(&rec[1] >= "2020-01-01");
    }
    // To a file: 0600, the row count on stderr, nothing on stdout.
    let file = home.path().join("matrix.csv");
    let out = spets(
        home.path(),
        &[
            "export",
            "matrix",
            "--db",
            &db,
            "--lang",
            "en",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(ok(&out), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("20 rows exported to {}.\n", file.display())
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFPartner ID,Partner,Quality: score,"));
}

#[test]
fn bad_dataset_dialect_filter_and_path_fail_clearly() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    let fail = |args: &[&str], want: &str| {
        let o = spets(home.path(), args);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(o.stdout.is_empty(), "{args:?}: nothing on stdout");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{args:?}: stderr was {err:?}");
    };
    fail(
        &["export", "partnerz", "--db", &db],
        "spets: fel: ogiltigt värde 'partnerz' för '<DATAMÄNGD>': okänd datamängd \"partnerz\": använd någon av partners, agreements, contacts, activities, matrix, assessments, notes, actions, audit",
    );
    fail(
        &["export", "partners", "--db", &db, "--dialect", "excel"],
        "okänd dialekt \"excel\": använd någon av excel-sv, excel-en, rfc4180",
    );
    fail(
        &[
            "export",
            "partners",
            "--db",
            &db,
            "--lang",
            "en",
            "--filter",
            "fas=running",
        ],
        "spets: error: unknown filter field \"fas\" in \"fas=running\"; the partners filter takes text, phase, kind, country, tier",
    );
    fail(
        &[
            "export",
            "partners",
            "--db",
            &db,
            "--lang",
            "sv",
            "--filter",
            "phase=slut",
        ],
        "filtervillkoret \"phase=slut\": \"slut\" är inte en fas; giltiga: Potentiell partner",
    );
    let nowhere = home.path().join("missing").join("p.csv");
    fail(
        &[
            "export",
            "partners",
            "--db",
            &db,
            "-o",
            nowhere.to_str().unwrap(),
        ],
        &format!(
            "spets: fel: kan inte skriva {}: katalogen {} finns inte",
            nowhere.display(),
            home.path().join("missing").display()
        ),
    );
    fail(
        &[
            "export",
            "partners",
            "--db",
            home.path().join("nows").to_str().unwrap(),
        ],
        "spets: fel: det finns ingen arbetsyta i",
    );
    fail(
        &["import", "notes", "x.csv", "--db", &db],
        "kan inte importera \"notes\": använd partners, activities eller goals",
    );
}

#[test]
fn import_reports_and_round_trips() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    let dir = home.path();
    let p = dir.join("p.csv");
    let a = dir.join("a.csv");
    ok(&spets(
        dir,
        &["export", "partners", "--db", &db, "-o", p.to_str().unwrap()],
    ));
    ok(&spets(
        dir,
        &[
            "export",
            "activities",
            "--db",
            &db,
            "-o",
            a.to_str().unwrap(),
        ],
    ));
    let new = dir.join("new").display().to_string();
    // Dry run first: nothing written.
    let out = spets(
        dir,
        &[
            "import",
            "partners",
            p.to_str().unwrap(),
            "--db",
            &new,
            "--dry-run",
            "--lang",
            "en",
        ],
    );
    assert_eq!(
        ok(&out),
        "20 rows read, 20 valid, 0 with problems; dry run: nothing was written.\n"
    );
    let out = spets(
        dir,
        &[
            "import",
            "partners",
            p.to_str().unwrap(),
            "--db",
            &new,
            "--lang",
            "en",
        ],
    );
    assert_eq!(
        ok(&out),
        "20 rows read, 20 valid, 0 with problems; 20 partners imported.\n"
    );
    let out = spets(
        dir,
        &[
            "import",
            "activities",
            a.to_str().unwrap(),
            "--db",
            &new,
            "--lang",
            "sv",
        ],
    );
    assert_eq!(
        ok(&out),
        "300 rader lästa, 300 giltiga, 0 med fel; 300 aktiviteter importerade.\n"
    );
    // Again: every row is a duplicate; exit 1 and the report on stderr.
    let out = spets(
        dir,
        &[
            "import",
            "partners",
            p.to_str().unwrap(),
            "--db",
            &new,
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .next()
            .unwrap()
            .starts_with("row 2, column \"Namn\": "),
        "{err}"
    );
    assert!(err.contains("a duplicate"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "20 rows read, 0 valid, 20 with problems; nothing was written; fix the rows above, or use --valid-only to import just the valid rows.\n"
    );
}

#[test]
fn life_cycle_datasets_export_and_goals_import_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let db = workspace(home.path());
    let dir = home.path();
    // Swedish by the locale: excel-sv, Swedish headers and words.
    let goals = ok(&spets(dir, &["export", "goals", "--db", &db]));
    assert!(
        goals.starts_with("\u{feff}ID;Partner-ID;Partner;Mål;Mervärden;"),
        "{goals}"
    );
    assert!(goals.contains(";Öppet;"), "{goals}");
    let evals = ok(&spets(dir, &["export", "evaluations", "--db", &db]));
    assert!(evals.starts_with("\u{feff}ID;Partner-ID;Partner;Period från;Period till;Beslut;"));
    let phases = ok(&spets(
        dir,
        &["export", "phase_history", "--db", &db, "--lang", "en"],
    ));
    assert!(phases.starts_with("\u{feff}Partner ID,Partner,Date,From phase,To phase,User,Reason,"));
    assert!(phases.contains(",Prospect,"), "{phases}");
    // Into a new workspace: the partners first, then their goals.
    let p = dir.join("p.csv");
    let g = dir.join("g.csv");
    for (what, file) in [("partners", &p), ("goals", &g)] {
        ok(&spets(
            dir,
            &["export", what, "--db", &db, "-o", file.to_str().unwrap()],
        ));
    }
    let new = dir.join("new").display().to_string();
    ok(&spets(
        dir,
        &["import", "partners", p.to_str().unwrap(), "--db", &new],
    ));
    let n = goals.lines().count() - 1;
    let out = ok(&spets(
        dir,
        &[
            "import",
            "goals",
            g.to_str().unwrap(),
            "--db",
            &new,
            "--lang",
            "en",
        ],
    ));
    assert_eq!(
        out,
        format!("{n} rows read, {n} valid, 0 with problems; {n} goals imported.\n")
    );
    // Again: every goal is a duplicate now, and nothing is written.
    let out = spets(
        dir,
        &[
            "import",
            "goals",
            g.to_str().unwrap(),
            "--db",
            &new,
            "--lang",
            "en",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is already a goal of this partner; a duplicate"),
        "{err}"
    );
}
