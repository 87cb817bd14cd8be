//! Unit tests of export row encoding: cells, quoting, the formula guard, numbers and dates, and
//! partner names.

use super::*;
use crate::csvio::{Dialect, Naming};

/// A client that must not be called: these tests need no service.
struct NoService(crate::service::Identity);
impl Client for NoService {
    fn call(&self, _: Request) -> Response {
        Response::Failed(crate::service::Failure::Internal)
    }
    fn subscribe(&self) -> std::sync::mpsc::Receiver<crate::service::ChangeEvent> {
        std::sync::mpsc::channel().1
    }
    fn identity(&self) -> crate::service::Identity {
        self.0.clone()
    }
    fn location(&self) -> String {
        String::new()
    }
}

fn no_service() -> NoService {
    NoService(crate::service::Identity {
        user: "test".into(),
        role: crate::service::Role::Viewer,
    })
}

const COLS: &[Column] = &[
    Column {
        key: "n",
        en: "N",
        sv: "N",
        numeric: true,
        was: &[],
    },
    Column {
        key: "a",
        en: "A",
        sv: "A",
        numeric: false,
        was: &[],
    },
    Column {
        key: "b",
        en: "B \"quoted\"; x",
        sv: "B",
        numeric: false,
        was: &[],
    },
];

const CELLS: &[&str] = &[
    "",
    "plain",
    "a,b",
    "a;b",
    "say \"hi\"",
    "\"",
    "\"\"",
    "line\nbreak",
    "cr\rhere",
    "crlf\r\n",
    "=1+2",
    "-5",
    "+46 31",
    "'=x",
    "Örebro – Åbo",
    "0123456789abcdef0123456789abcdef,",
    "0123456789abcdef0123456789abcdef",
    "0123456789abcde\"",
    "\t",
    " ",
];

/// What the csv crate writes for the same cells (guard applied beforehand, as before).
fn via_csv_crate(opts: &ExportOptions, rows: &[Vec<(bool, String)>]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(opts.dialect.delimiter())
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(true)
            .from_writer(&mut out);
        for c in COLS {
            w.write_field(c.header(opts.naming.lang())).unwrap();
        }
        w.write_record(None::<&[u8]>).unwrap();
        for row in rows {
            for (numeric, s) in row {
                if opts.guard_formulas && !numeric && needs_guard(s) {
                    w.write_field(format!("'{s}")).unwrap();
                } else {
                    w.write_field(s).unwrap();
                }
            }
            w.write_record(None::<&[u8]>).unwrap();
        }
        w.flush().unwrap();
    }
    out
}

#[test]
fn cells_match_the_csv_crate_byte_for_byte() {
    for dialect in Dialect::ALL {
        for naming in [Naming::Machine, Naming::Labels(Lang::En)] {
            let opts = ExportOptions::new(*dialect, naming);
            let client = no_service();
            let mut rows = Rows::new(&client, COLS, &opts);
            rows.header();
            let mut expected_rows = Vec::new();
            for (i, a) in CELLS.iter().enumerate() {
                let b = CELLS[(i * 7 + 3) % CELLS.len()];
                rows.num(i as u64).unwrap();
                rows.text(a).unwrap();
                rows.text(b).unwrap();
                rows.finish_row();
                expected_rows.push(vec![
                    (true, i.to_string()),
                    (false, a.to_string()),
                    (false, b.to_string()),
                ]);
            }
            assert_eq!(
                String::from_utf8_lossy(&rows.bytes),
                String::from_utf8_lossy(&via_csv_crate(&opts, &expected_rows)),
                "{dialect} {naming:?}"
            );
            assert_eq!(rows.count, CELLS.len());
        }
    }
}

#[test]
fn partner_names_dense_sparse_and_escaped() {
    let client = no_service();
    let opts = ExportOptions::new(Dialect::ExcelSv, Naming::Machine);
    let mut rows = Rows::new(&client, COLS, &opts);
    rows.names.insert_all(vec![
        (Id(10), "Åbo Akademi".into()),
        (Id(12), "A|B".into()),
        (Id(11), "=cmd".into()),
    ]);
    rows.names.insert(Id(1 << 40), "Far; away".into());
    rows.num(1).unwrap();
    rows.partner_names(&[Id(10)]).unwrap();
    rows.partner_names(&[Id(12)]).unwrap();
    rows.finish_row();
    rows.num(2).unwrap();
    rows.partner_names(&[Id(11), Id(10), Id(1 << 40)]).unwrap();
    rows.partner_name(Id(12)).unwrap();
    rows.finish_row();
    assert_eq!(
        String::from_utf8(rows.bytes).unwrap(),
        "1;Åbo Akademi;A\\|B\r\n2;\"'=cmd | Åbo Akademi | Far; away\";A|B\r\n"
    );
}

#[test]
fn an_empty_row_is_two_quotes() {
    const ONE: &[Column] = &[Column {
        key: "a",
        en: "A",
        sv: "A",
        numeric: false,
        was: &[],
    }];
    let client = no_service();
    let opts = ExportOptions::new(Dialect::Rfc4180, Naming::Machine);
    let mut rows = Rows::new(&client, ONE, &opts);
    rows.text("").unwrap();
    rows.finish_row();
    rows.text("x").unwrap();
    rows.finish_row();
    assert_eq!(rows.bytes, b"\"\"\r\nx\r\n");
}

#[test]
fn numbers_and_dates() {
    let client = no_service();
    let opts = ExportOptions::new(Dialect::ExcelSv, Naming::Machine);
    let mut rows = Rows::new(&client, COLS, &opts);
    rows.num(0).unwrap();
    rows.num(u64::MAX).unwrap();
    rows.date(NaiveDate::from_ymd_opt(7, 3, 9).unwrap())
        .unwrap();
    rows.finish_row();
    rows.opt_date(NaiveDate::from_ymd_opt(2026, 11, 28))
        .unwrap();
    rows.date(NaiveDate::from_ymd_opt(-44, 3, 15).unwrap())
        .unwrap();
    rows.date(NaiveDate::from_ymd_opt(12345, 1, 2).unwrap())
        .unwrap();
    rows.finish_row();
    rows.ids(&[Id(1), Id(20), Id(300)]).unwrap();
    rows.ids(&[]).unwrap();
    rows.finish_row();
    assert_eq!(
        String::from_utf8(rows.bytes).unwrap(),
        "0;18446744073709551615;0007-03-09\r\n\
         2026-11-28;'-044-03-15;12345-01-02\r\n\
         1 | 20 | 300;\r\n"
    );
}
