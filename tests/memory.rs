//! The timeline's memory does not grow with the number of activities beyond a stated number of
//! bytes per activity (issue 17).
//!
//! This test binary runs on a counting global allocator (`peak_alloc`, as `alloc_bounds` does).
//! Two workspaces differ only in their number of activities; the difference in what the service
//! keeps after its warm-up (the activity table: date, id, partner, kind, status, values in 24
//! bytes a row, as the table counts its heap) and in what answering a window of the timeline over
//! the whole range takes at its peak (as the allocator counts it), divided by the difference in
//! activities, is the cost of one activity. A client holds a window, whatever the workspace's size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use peak_alloc::PeakAlloc;
use spets::client::{Client, Embedded};
use spets::demo::DemoSpec;
use spets::domain::limits::WINDOW_ROWS;
use spets::service::{
    ActivityQuery, Identity, Request, Response, Role, Service, TimelineQuery, WindowAt,
};
use spets::store::Store;
use std::sync::Arc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Bytes the service keeps per activity once its table is built.
const KEPT_PER_ACTIVITY: usize = 40;
/// Bytes in use at the peak of answering a window of the whole range, per activity in the range
/// (the matching dates and ids, 16 bytes each, as the window is cut from them).
const WINDOW_PEAK_PER_ACTIVITY: usize = 48;

struct Figures {
    kept: usize,
    window_peak: usize,
}

fn measure(activities: usize) -> Figures {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let store = Store::open(&ws).unwrap();
    let spec = DemoSpec {
        partners: 50,
        activities,
        notes: 100,
        seed: 5,
        today: common::today(),
        me: "anna.lind".into(),
    };
    spets::demo::generate(&store, &spec, "anna.lind").unwrap();
    drop(store);
    let service = Service::open(&ws).unwrap().with_today(common::today());
    let who = Identity {
        user: "anna.lind".into(),
        role: Role::Admin,
    };
    // Read every activity once first, so that the window below meets sled's cache as full in
    // both workspaces.
    let mut after = None;
    loop {
        let r = service.handle(
            &who,
            Request::ActivityScan {
                query: ActivityQuery::default(),
                after,
                limit: 20_000,
            },
        );
        match r {
            Response::ActivityBatch { next: Some(n), .. } => after = Some(n),
            Response::ActivityBatch { next: None, .. } => break,
            other => panic!("{other:?}"),
        }
    }
    service.warm_up().unwrap();
    // What the table holds, as it counts it: the allocator's running total is no measure of it,
    // since reading the store allocates and frees sled's cache pages (on this thread and through
    // its deferred frees) by hundreds of kilobytes either way.
    let kept = service.activity_table_bytes().unwrap();
    let q = TimelineQuery {
        activities: ActivityQuery::default(),
        at: WindowAt::Offset(0),
        limit: WINDOW_ROWS,
        months: true,
    };
    let c = Embedded::new(Arc::new(service), who.user.clone());
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let answer = c.call(Request::Timeline(q));
    let window_peak = ALLOC.peak_usage().saturating_sub(before);
    let Response::Timeline(w) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(w.items.len(), WINDOW_ROWS);
    Figures { kept, window_peak }
}

#[test]
fn the_timeline_costs_a_bounded_number_of_bytes_per_activity() {
    let (small, large) = (4_000, 12_000);
    let a = measure(small);
    let b = measure(large);
    let n = large - small;
    let kept = b.kept.saturating_sub(a.kept) / n;
    let peak = b.window_peak.saturating_sub(a.window_peak) / n;
    println!(
        "per activity: {kept} bytes kept (bound {KEPT_PER_ACTIVITY}), {peak} bytes at the peak of a \
         window over the whole range (bound {WINDOW_PEAK_PER_ACTIVITY}); kept {} and {} bytes in all",
        a.kept, b.kept
    );
    assert!(kept <= KEPT_PER_ACTIVITY, "{kept} bytes kept per activity");
    assert!(
        peak <= WINDOW_PEAK_PER_ACTIVITY,
        "{peak} bytes per activity at the peak of a window"
    );
}
