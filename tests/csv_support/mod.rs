//! Helpers for the CSV tests: demo workspaces in temporary directories, a client with any role,
//! and a reader for what an export wrote.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use spets::client::Client;
use spets::csvio::{self, Dataset, Dialect, ExportOptions, Scope};
use spets::service::{ChangeEvent, Identity, Request, Response, Role, Service};
use spets::store::Store;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A client acting as `who` on an in-process service (the embedded client is always admin).
pub struct As {
    pub svc: Arc<Service>,
    pub who: Identity,
}

impl Client for As {
    fn call(&self, req: Request) -> Response {
        self.svc.handle(&self.who, req)
    }
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent> {
        self.svc.subscribe()
    }
    fn identity(&self) -> Identity {
        self.who.clone()
    }
    fn location(&self) -> String {
        "test".into()
    }
}

pub fn client(svc: &Arc<Service>, role: Role) -> As {
    As {
        svc: svc.clone(),
        who: Identity {
            user: "anna.lind".into(),
            role,
        },
    }
}

/// A workspace with demo data (seed 7, today 2026-11-28).
pub fn demo(dir: &Path, partners: usize, activities: usize, notes: usize) -> Arc<Service> {
    let store = Store::open(dir).unwrap();
    let spec = spets::demo::DemoSpec {
        partners,
        activities,
        notes,
        seed: 7,
        today: today(),
        me: "anna.lind".into(),
    };
    spets::demo::generate(&store, &spec, "anna.lind").unwrap();
    Arc::new(Service::new(store).unwrap().with_today(today()))
}

/// An empty workspace.
pub fn empty(dir: &Path) -> Arc<Service> {
    Arc::new(Service::open(dir).unwrap().with_today(today()))
}

/// Export to memory; returns the bytes and the row count.
pub fn export(
    c: &dyn Client,
    dataset: Dataset,
    scope: &Scope,
    opts: &ExportOptions,
) -> (Vec<u8>, usize) {
    let mut buf = Vec::new();
    let cancel = AtomicBool::new(false);
    let n =
        csvio::export_to_writer(c, dataset, scope, opts, &mut buf, &mut |_| {}, &cancel).unwrap();
    (buf, n)
}

/// Parse an export with the csv crate: the header and the rows (guard removed for Excel dialects).
pub fn parse(bytes: &[u8], dialect: Dialect) -> (Vec<String>, Vec<Vec<String>>) {
    let body = if dialect.bom() {
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "an Excel dialect starts with a BOM"
        );
        &bytes[3..]
    } else {
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
        bytes
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter())
        .has_headers(true)
        .from_reader(body);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            rec.unwrap()
                .iter()
                .map(|c| {
                    if dialect.guards_formulas() {
                        csvio::unguard(c).to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    (header, rows)
}
