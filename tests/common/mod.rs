//! Helpers shared by the integration tests: real sled stores in temporary directories.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use spets::domain::*;
use spets::service::{AnyData, Identity, PartnerLifecycle, Request, Response, Role, Service};
use std::path::Path;

pub mod app;
pub mod daemon;

/// The user the UI tests run as.
pub const ME: &str = "anna.lind";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn who(user: &str, role: Role) -> Identity {
    Identity {
        user: user.to_string(),
        role,
    }
}

pub fn editor() -> Identity {
    who("anna.lind", Role::Editor)
}

pub fn admin() -> Identity {
    who("root", Role::Admin)
}

pub fn open(dir: &Path) -> Service {
    Service::open(dir).unwrap().with_today(today())
}

pub fn partner(name: &str, country: &str) -> Partner {
    Partner {
        name: name.to_string(),
        short_name: None,
        kind: OrgKind::University,
        country: country.to_string(),
        city: "Örebro".to_string(),
        website: "https://example.org".to_string(),
        phase: Phase::Running,
        tier: Tier::Strategic,
        formats: vec![Format::Research, Format::Education],
        faculties: vec!["Faculty of Science and Technology".into()],
        goals: vec!["Joint doctoral programme".into()],
        tags: vec!["ai".into()],
        sponsors_ours: vec!["Rektor".into()],
        sponsors_partner: vec!["President".into()],
        coordinator: "anna.lind".into(),
    }
}

pub fn activity(partner: Id, date: &str, title: &str) -> Activity {
    Activity {
        date: d(date),
        end_date: None,
        partners: vec![partner],
        kind: ActivityKind::Meeting,
        title: title.to_string(),
        description: String::new(),
        values: vec![AddedValue::Quality],
        status: ActivityStatus::Done,
        owner: "anna.lind".into(),
    }
}

pub fn assessment(partner: Id, value: AddedValue, score: u8, date: &str) -> Assessment {
    Assessment {
        partner,
        value,
        score,
        target: Some(4),
        evidence: "Two joint applications".into(),
        date: d(date),
        assessor: "anna.lind".into(),
    }
}

/// Create a record and return (id, version); panics with the response otherwise.
pub fn create(s: &Service, who: &Identity, data: AnyData) -> (Id, u64) {
    match s.handle(who, Request::Create(data)) {
        Response::Saved { id, version, .. } => (id, version),
        other => panic!("expected Saved, got {other:?}"),
    }
}

/// Open a workspace with raw sled (to plant damage), waiting for a just-closed handle's lock.
pub fn raw_sled(dir: &Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        match sled::open(dir) {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("cannot open {}: {e}", dir.display()),
        }
    }
}

/// The real spets binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_spets");

/// The tests' child programs (src/bin/spets-test-child.rs): a process to SIGKILL mid-write, a
/// client running as another Unix user.
pub const CHILD: &str = env!("CARGO_BIN_EXE_spets-test-child");

/// How long a test waits for a condition (SPETS_TEST_TIMEOUT_SECS stretches it on slow machines).
pub fn timeout() -> std::time::Duration {
    std::time::Duration::from_secs(
        std::env::var("SPETS_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    )
}

/// Poll `ok` until it holds; fail naming `what` after [`timeout`].
pub fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout();
    while !ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A partner without goal lines (the shared helper's partner has one).
pub fn org(name: &str, country: &str) -> Partner {
    let mut p = partner(name, country);
    p.goals.clear();
    p
}

pub fn life(s: &Service, partner: Id) -> PartnerLifecycle {
    match s.handle(&editor(), Request::Lifecycle(partner)) {
        Response::Lifecycle(l) => *l,
        other => panic!("expected the life cycle, got {other:?}"),
    }
}

pub fn invalid(r: Response) -> Vec<FieldError> {
    match r {
        Response::Invalid(e) => e,
        other => panic!("expected Invalid, got {other:?}"),
    }
}
