//! `spets bench`: measure the workspace-core targets on an existing workspace and print figures.
//!
//! Targets (workspace-core issue), on `spets demo --partners 10000 --activities 200000 --notes 20000`:
//! open + first screen under 100 ms; a typed partner filter under 5 ms; peak memory under 100 MB.
//! Figures are printed, never asserted: timing depends on the machine.

use crate::service::{
    ActionQuery, ActivityQuery, Identity, MatrixQuery, NoteQuery, PartnerQuery, Request, Response,
    Role, Service,
};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Peak resident memory of this process (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| time(&mut f).1).collect();
    v.sort();
    v[v.len() / 2]
}

/// Run the measurements and return the report.
pub fn run(dir: &Path, filters: &[String]) -> Result<String> {
    let mut out = String::new();
    let who = Identity {
        user: crate::identity::current_user(),
        role: Role::Admin,
    };
    let started = Instant::now();
    let (service, open) = time(|| Service::open(dir));
    let service = service?;
    let first_page = PartnerQuery {
        limit: 40,
        ..Default::default()
    };
    let (first, first_q) = time(|| {
        let a = service.handle(&who, Request::Partners(first_page.clone()));
        let b = service.handle(&who, Request::RenewalsDue);
        let c = service.handle(&who, Request::Stats);
        (a, b, c)
    });
    let total_first = started.elapsed();
    let stats = match &first.2 {
        Response::Stats(s) => s.clone(),
        _ => Default::default(),
    };
    writeln!(out, "workspace: {}", dir.display())?;
    writeln!(
        out,
        "records: {} partners, {} agreements, {} contacts, {} activities, {} assessments, {} notes, {} audit entries",
        stats.partners,
        stats.agreements,
        stats.contacts,
        stats.activities,
        stats.assessments,
        stats.notes,
        stats.audit_entries
    )?;
    writeln!(
        out,
        "open workspace (store + model):      {:8.2} ms",
        ms(open)
    )?;
    writeln!(
        out,
        "first screen queries (partners page, renewals, stats): {:8.2} ms",
        ms(first_q)
    )?;
    writeln!(
        out,
        "open + first screen (target < 100 ms): {:8.2} ms",
        ms(total_first)
    )?;
    if let Some(k) = peak_rss_kib() {
        writeln!(out, "peak memory after the first screen (target < 100 MB): {:.1} MB", k as f64 / 1024.0)?;
    }
    let default_filters: Vec<String> = [
        "u",
        "un",
        "uni",
        "univ",
        "öre",
        "ore",
        "göteborg",
        "東京",
        "zzz-no-match",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let filters = if filters.is_empty() {
        &default_filters
    } else {
        filters
    };
    for f in filters {
        let q = PartnerQuery {
            text: f.clone(),
            limit: 40,
            ..Default::default()
        };
        let mut total = 0;
        let d = median(9, || {
            if let Response::Partners(p) = service.handle(&who, Request::Partners(q.clone())) {
                total = p.total;
            }
        });
        writeln!(
            out,
            "partner filter {f:<14} (target < 5 ms): {:8.3} ms, {total} matches",
            ms(d)
        )?;
    }
    let today = service.today();
    let (_, warm) = time(|| service.warm_up());
    writeln!(out, "warm-up in the background (activity table, scores, action items): {:8.2} ms", ms(warm))?;
    let mut total = 0;
    for (i, text) in ["s", "st", "ste", "stee", "steer", "steering"].iter().enumerate() {
        let q = ActivityQuery { text: text.to_string(), newest_first: true, limit: 40, ..Default::default() };
        let d = median(5, || {
            if let Response::Activities(p) = service.handle(&who, Request::Activities(q.clone())) {
                total = p.total;
            }
        });
        writeln!(out, "activity search, key {} {:<9} {:8.2} ms, {total} matches", i + 1, format!("{text:?}"), ms(d))?;
    }
    let others: Vec<(&str, Request)> = vec![
        (
            "timeline page (40 around today)",
            Request::Activities(ActivityQuery {
                to: Some(today),
                newest_first: true,
                limit: 40,
                ..Default::default()
            }),
        ),
        (
            "value matrix page (first build)",
            Request::Matrix(MatrixQuery {
                partners: PartnerQuery {
                    limit: 40,
                    ..Default::default()
                },
                ..Default::default()
            }),
        ),
        (
            "value matrix page (cached)",
            Request::Matrix(MatrixQuery {
                partners: PartnerQuery {
                    limit: 40,
                    ..Default::default()
                },
                ..Default::default()
            }),
        ),
        (
            "notes page (40 newest)",
            Request::Notes(NoteQuery {
                limit: 40,
                ..Default::default()
            }),
        ),
        (
            "my open action items (first build)",
            Request::ActionItems(ActionQuery {
                owner: Some(who.user.clone()),
                open_only: true,
                ..Default::default()
            }),
        ),
        (
            "my open action items (cached)",
            Request::ActionItems(ActionQuery {
                owner: Some(who.user.clone()),
                open_only: true,
                ..Default::default()
            }),
        ),
    ];
    for (name, req) in others {
        let (_, d) = time(|| service.handle(&who, req));
        writeln!(out, "{name:<40} {:8.2} ms", ms(d))?;
    }
    match peak_rss_kib() {
        Some(k) => writeln!(
            out,
            "peak memory (VmHWM, target < 100 MB): {:.1} MB",
            k as f64 / 1024.0
        )?,
        None => writeln!(out, "peak memory: not available (no /proc/self/status)")?,
    }
    Ok(out)
}
