//! CSV import: validation reports with exact row/column messages, all-or-nothing, --valid-only,
//! --dry-run, header matching in either language, and export → import into an empty workspace.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;

use csv_support::*;
use spets::client::Client;
use spets::csvio::{
    self, Dataset, Dialect, ExportOptions, ImportKind, ImportOptions, Naming, Scope,
};
use spets::i18n::Lang;
use spets::service::*;

fn opts(lang: Lang) -> ImportOptions {
    ImportOptions {
        dry_run: false,
        valid_only: false,
        lang,
        today: today(),
    }
}

fn stats(c: &dyn Client) -> Stats {
    match c.call(Request::Stats) {
        Response::Stats(s) => s,
        r => panic!("{r:?}"),
    }
}

fn lines(r: &csvio::ImportReport) -> Vec<String> {
    r.problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn export_then_import_into_an_empty_workspace_gives_the_same_data() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let src = demo(a.path(), 30, 300, 5);
    let src = client(&src, Role::Viewer);
    let dst = empty(b.path());
    let dst = client(&dst, Role::Editor);
    for (dialect, naming, lang) in [
        (Dialect::ExcelSv, Naming::Labels(Lang::Sv), Lang::En),
        (Dialect::Rfc4180, Naming::Machine, Lang::Sv),
    ] {
        let b = tempfile::tempdir().unwrap();
        let dst = empty(b.path());
        let dst = client(&dst, Role::Editor);
        let eo = ExportOptions::new(dialect, naming);
        for (dataset, kind) in [
            (Dataset::Partners, ImportKind::Partners),
            (Dataset::Activities, ImportKind::Activities),
        ] {
            let (bytes, n) = export(&src, dataset, &Scope::All, &eo);
            let report = csvio::import_bytes(&dst, kind, &bytes, &opts(lang)).unwrap();
            assert!(report.is_clean(), "{dataset}: {report}");
            assert_eq!(
                (report.rows, report.valid, report.written),
                (n, n, n),
                "{dataset}"
            );
            // The id columns are reported as ignored (new records get new ids).
            assert!(
                report.ignored_columns.len() <= 1,
                "{:?}",
                report.ignored_columns
            );
        }
        // Export both workspaces again: equal except for ids.
        for dataset in [Dataset::Partners, Dataset::Activities] {
            let eo = ExportOptions::new(Dialect::Rfc4180, Naming::Machine);
            let strip = |bytes: Vec<u8>| -> Vec<Vec<String>> {
                let (_, rows) = parse(&bytes, Dialect::Rfc4180);
                rows.into_iter()
                    .map(|mut r| {
                        r[0].clear();
                        if dataset == Dataset::Activities {
                            r[3].clear();
                            // Partners are a set kept in id order; new ids may order them differently.
                            let mut names = csvio::split_list(&r[4]);
                            names.sort();
                            r[4] = names.join(" | ");
                        }
                        r
                    })
                    .collect()
            };
            let before = strip(export(&src, dataset, &Scope::All, &eo).0);
            let after = strip(export(&dst, dataset, &Scope::All, &eo).0);
            assert_eq!(before.len(), after.len());
            for (x, y) in before.iter().zip(&after) {
                assert_eq!(x, y, "{dataset} {dialect}");
            }
        }
        // Importing the same file again finds only duplicates and writes nothing.
        let (bytes, n) = export(&src, Dataset::Partners, &Scope::All, &eo);
        let again = csvio::import_bytes(&dst, ImportKind::Partners, &bytes, &opts(lang)).unwrap();
        assert_eq!(
            (again.valid, again.written, again.problems.len()),
            (0, 0, n)
        );
        let (bytes, n) = export(&src, Dataset::Activities, &Scope::All, &eo);
        let again = csvio::import_bytes(&dst, ImportKind::Activities, &bytes, &opts(lang)).unwrap();
        assert_eq!(
            (again.valid, again.written, again.problems.len()),
            (0, 0, n)
        );
    }
    let _ = dst;
}

const PARTNERS_SV: &str = "\u{feff}Namn;Typ;Land;Ort;Webbplats;Fas;Samarbetsformer;Okänd kolumn\r\n\
Örebro universitet;Universitet;SE;Örebro;https://www.oru.se;Pågående;Forskning | Utbildning;x\r\n\
Åbo Akademi;University;XX;Åbo;;running;;\r\n\
Lunds universitet;Skola;SE;Lund;;;Forskning | Bakning;\r\n\
örebro Universitet;university;se;;;;;\r\n\
Chalmers;company;SE;;www.chalmers.se;Kandidat;;\r\n\
'=Malmö stad;public_organisation;SE;Malmö;;;;\r\n";

#[test]
fn partner_report_lists_each_bad_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let svc = empty(dir.path());
    let c = client(&svc, Role::Editor);
    let r = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        PARTNERS_SV.as_bytes(),
        &opts(Lang::Sv),
    )
    .unwrap();
    assert_eq!(
        lines(&r),
        [
            "rad 3, kolumn \"Land\": \"XX\" är inte en landskod enligt ISO 3166-1 alpha-2 (t.ex. SE, DE, JP)",
            "rad 4, kolumn \"Typ\": \"Skola\" är inte en organisationstyp; giltiga: Lärosäte, Företag, Offentlig organisation, Ideell organisation, Annan organisation",
            "rad 4, kolumn \"Samarbetsformer\": \"Bakning\" är inte en samverkansform; giltiga: Forskning, Utbildning, Studentutbyte, Personalutbyte, Gemensamma ansökningar, Delad infrastruktur, Innovation, Fort- och vidareutbildning, Forskarutbildning, Praktik och examensarbeten, Rådgivande uppdrag, Evenemang",
            "rad 5, kolumn \"Namn\": \"örebro Universitet\" i SE är en dubblett av rad 2",
            "rad 6, kolumn \"Webbplats\": \"www.chalmers.se\" måste börja med https:// eller http://",
        ]
    );
    assert_eq!(r.ignored_columns, ["Okänd kolumn"]);
    assert_eq!((r.rows, r.valid, r.written), (6, 2, 0));
    assert_eq!(
        stats(&c).partners,
        0,
        "nothing is written unless every row passes"
    );
    assert_eq!(
        r.summary(),
        "6 rader lästa, 2 giltiga, 4 med fel; inget skrevs; rätta raderna ovan, eller använd --valid-only för att importera bara de giltiga raderna."
    );
    // English messages for the same file.
    let r = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        PARTNERS_SV.as_bytes(),
        &opts(Lang::En),
    )
    .unwrap();
    assert_eq!(
        lines(&r)[0],
        "row 3, column \"Land\": \"XX\" is not an ISO 3166-1 alpha-2 country code (e.g. SE, DE, JP)"
    );
    assert_eq!(
        lines(&r)[3],
        "row 5, column \"Namn\": \"örebro Universitet\" in SE is a duplicate of row 2"
    );
    // Dry run: same report, nothing written.
    let mut o = opts(Lang::En);
    o.dry_run = true;
    o.valid_only = true;
    let r = csvio::import_bytes(&c, ImportKind::Partners, PARTNERS_SV.as_bytes(), &o).unwrap();
    assert_eq!((r.valid, r.written), (2, 0));
    assert_eq!(stats(&c).partners, 0);
    // Valid only: the two good rows go in; the guard apostrophe is gone (the file has a BOM).
    let mut o = opts(Lang::En);
    o.valid_only = true;
    let r = csvio::import_bytes(&c, ImportKind::Partners, PARTNERS_SV.as_bytes(), &o).unwrap();
    assert_eq!((r.valid, r.written), (2, 2));
    assert_eq!(
        r.summary(),
        "6 rows read, 2 valid, 4 with problems; 2 partners imported."
    );
    let Response::Partners(p) = c.call(Request::Partners(PartnerQuery::default())) else {
        panic!()
    };
    let names: Vec<&str> = p.items.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["=Malmö stad", "Örebro universitet"]);
    // Now the workspace holds Örebro universitet: importing it again is a duplicate of that record.
    let r = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        "name,kind,country\nÖrebro universitet,university,SE\n".as_bytes(),
        &opts(Lang::En),
    )
    .unwrap();
    let id = p.items[1].id;
    assert_eq!(
        lines(&r),
        [format!(
            "row 2, column \"name\": \"Örebro universitet\" already exists in SE (partner id {id}); a duplicate"
        )]
    );
}

#[test]
fn activity_report_lists_each_bad_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let svc = empty(dir.path());
    let c = client(&svc, Role::Editor);
    let setup = "name,kind,country\nÖrebro universitet,university,SE\nKTH,university,SE\n";
    let r =
        csvio::import_bytes(&c, ImportKind::Partners, setup.as_bytes(), &opts(Lang::En)).unwrap();
    assert_eq!(r.written, 2);
    let file = "Date,End date,Partners,Kind,Title,Added values,Status\n\
2026-03-01,,Örebro universitet | KTH,Meeting,Steering group,Quality | Impact,Done\n\
2026-13-01,,KTH,Meeting,Bad date,,\n\
2026-03-02,,Nobody Inc,Visit,Unknown partner,,\n\
2026-03-03,2026-03-01,KTH,Visit,Ends early,,\n\
2026-03-04,,KTH,Lunch,Bad kind,Fame,\n\
2026-03-01,,kth | örebro universitet,möte,steering group,,\n\
2026-03-05,,KTH,Workshop,,,\n\
2027-01-10,,KTH,Workshop,Planned by default,,\n";
    let r =
        csvio::import_bytes(&c, ImportKind::Activities, file.as_bytes(), &opts(Lang::En)).unwrap();
    assert_eq!(
        lines(&r),
        [
            "row 3, column \"Date\": \"2026-13-01\" is not a date (YYYY-MM-DD, e.g. 2026-03-31)",
            "row 4, column \"Partners\": \"Nobody Inc\" is not the name of a partner in this workspace; import the partners first",
            "row 5, column \"End date\": \"2026-03-01\" ends before it starts; check both dates",
            "row 6, column \"Kind\": \"Lunch\" is not an activity kind; valid: Meeting, Visit, Workshop, Conference or event, Joint application, Agreement milestone, Publication, Mobility or exchange, Funding decision, Other activity",
            "row 6, column \"Added values\": \"Fame\" is not an added value; valid: Quality, Resources, Impact, Influence, Reputation, Cultural change",
            "row 7, column \"Title\": \"steering group\" on the same date with the same partners is a duplicate of row 2",
            "row 8, column \"Title\": must not be empty",
        ]
    );
    assert_eq!(stats(&c).activities, 0);
    let mut o = opts(Lang::Sv);
    o.valid_only = true;
    let r = csvio::import_bytes(&c, ImportKind::Activities, file.as_bytes(), &o).unwrap();
    assert_eq!((r.rows, r.valid, r.written), (8, 2, 2));
    let Response::Activities(p) = c.call(Request::Activities(ActivityQuery::default())) else {
        panic!()
    };
    assert_eq!(p.items.len(), 2);
    assert_eq!(p.items[0].data.partners.len(), 2);
    assert_eq!(p.items[0].data.status, spets::domain::ActivityStatus::Done);
    assert_eq!(
        p.items[1].data.status,
        spets::domain::ActivityStatus::Planned,
        "a future date without a status is planned"
    );
    // The same rows again: duplicates of what the workspace now holds.
    let r =
        csvio::import_bytes(&c, ImportKind::Activities, file.as_bytes(), &opts(Lang::Sv)).unwrap();
    assert_eq!(
        lines(&r)[0],
        "rad 2, kolumn \"Title\": \"Steering group\" finns redan samma datum med samma partner; en dubblett"
    );
}

#[test]
fn missing_columns_and_ambiguous_names() {
    let dir = tempfile::tempdir().unwrap();
    let svc = empty(dir.path());
    let c = client(&svc, Role::Editor);
    let r = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        "Namn;Ort\nA;B\n".as_bytes(),
        &opts(Lang::Sv),
    )
    .unwrap();
    assert_eq!(
        lines(&r),
        [
            "rad 1, kolumn \"Typ\": filen saknar den kolumnen; lägg till en kolumn med rubriken \"Typ\", \"Kind\" eller \"kind\"",
            "rad 1, kolumn \"Land\": filen saknar den kolumnen; lägg till en kolumn med rubriken \"Land\", \"Country\" eller \"country\"",
        ]
    );
    // Two partners of the same name in different countries: the id column breaks the tie.
    let setup = "name,kind,country\nCity University,university,GB\nCity University,university,HK\n";
    assert_eq!(
        csvio::import_bytes(&c, ImportKind::Partners, setup.as_bytes(), &opts(Lang::En))
            .unwrap()
            .written,
        2
    );
    let Response::Partners(p) = c.call(Request::Partners(PartnerQuery::default())) else {
        panic!()
    };
    let (gb, hk) = (p.items[0].id, p.items[1].id);
    let file = format!(
        "date,partners,partner_ids,kind,title\n2026-01-01,City University,,meeting,A\n2026-01-02,City University,{hk},meeting,B\n"
    );
    let r =
        csvio::import_bytes(&c, ImportKind::Activities, file.as_bytes(), &opts(Lang::En)).unwrap();
    assert_eq!(
        lines(&r),
        [format!(
            "row 2, column \"partners\": \"City University\" names several partners (ids {gb}, {hk}); put the right id in the partner IDs column"
        )]
    );
    assert_eq!(r.valid, 1);
    assert!(
        matches!(csvio::import_bytes(&c, ImportKind::Partners, b"", &opts(Lang::En)), Err(e) if e.to_string() == "the file is empty: it has no header row")
    );
}

#[test]
fn viewers_cannot_import() {
    let dir = tempfile::tempdir().unwrap();
    let svc = empty(dir.path());
    let c = client(&svc, Role::Viewer);
    let e = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        "name,kind,country\nA,university,SE\n".as_bytes(),
        &opts(Lang::En),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "you can read but not change this workspace (your role: viewer); nothing was imported"
    );
}

#[test]
fn files_that_are_not_utf8_are_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let svc = empty(dir.path());
    let c = client(&svc, Role::Editor);
    // "Växjö" in Windows-1252, as Excel's plain "CSV (semicolon)" saves it.
    let mut file = b"Namn;Typ;Land\r\nV".to_vec();
    file.extend_from_slice(&[0xE4, b'x', b'j', 0xF6]);
    file.extend_from_slice(b";Universitet;SE\r\nKTH;Universitet;SE\r\n");
    let r = csvio::import_bytes(&c, ImportKind::Partners, &file, &opts(Lang::Sv)).unwrap();
    assert_eq!(
        lines(&r),
        ["rad 2: raden är inte UTF-8-text; spara filen som \"CSV UTF-8\" och importera den igen"]
    );
    assert_eq!((r.rows, r.valid, r.written), (2, 1, 0));
    let e = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        &[b'L', 0xE4, b'n', b'\n'],
        &opts(Lang::En),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read the header row: the row is not UTF-8 text; save the file as \"CSV UTF-8\" and import it again"
    );
}
