//! The timeline's per-month chart is drawn once and copied while what it shows stays the same (a
//! key moving the selection); new counts, another language or another size draw it anew. Checked
//! against an app that has never drawn it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{app_on, key, screen};
use common::{create, editor, org};
use crossterm::event::KeyCode;
use spets::i18n::Lang;
use spets::service::{AnyData, Service};
use std::sync::Arc;

/// The chart's rows of a 120x40 screen (below the tab bar and the pane's title line).
fn chart_rows(s: &str) -> Vec<String> {
    s.lines().skip(2).take(8).map(str::to_string).collect()
}

#[test]
fn the_chart_follows_its_counts_and_stays_put_while_the_selection_moves() {
    let dir = tempfile::tempdir().unwrap();
    let s = Service::open(dir.path())
        .unwrap()
        .with_today(common::today());
    let (pid, _) = create(
        &s,
        &editor(),
        AnyData::Partner(org("Aalto University", "FI")),
    );
    for day in ["2026-11-02", "2026-11-03", "2026-09-10"] {
        create(
            &s,
            &editor(),
            AnyData::Activity(common::activity(pid, day, "Meeting")),
        );
    }
    let s = Arc::new(s);
    let mut app = app_on(Arc::clone(&s), Lang::En);
    key(&mut app, KeyCode::Char('2'));
    let before = screen(&app, 120, 40);
    let first = app.timeline().selected_activity().map(|a| a.data.date);
    key(&mut app, KeyCode::Char('k'));
    let moved = screen(&app, 120, 40);
    let second = app.timeline().selected_activity().map(|a| a.data.date);
    assert_ne!(first, second, "the selection moved");
    assert!(chart_rows(&before)[3].contains('█'), "{before}");
    assert_eq!(chart_rows(&before), chart_rows(&moved));

    // Twelve more in October: the October bar grows, as a fresh app draws it.
    for _ in 0..12 {
        create(
            &s,
            &editor(),
            AnyData::Activity(common::activity(pid, "2026-10-15", "Workshop")),
        );
    }
    common::wait_for("the chart to take the new counts", || {
        app.pump(std::time::Duration::from_millis(20));
        chart_rows(&screen(&app, 120, 40)) != chart_rows(&moved)
    });
    let mut fresh = app_on(Arc::clone(&s), Lang::En);
    key(&mut fresh, KeyCode::Char('2'));
    assert_eq!(
        chart_rows(&screen(&app, 120, 40)),
        chart_rows(&screen(&fresh, 120, 40))
    );

    // Another language and another size draw it anew too.
    key(&mut app, KeyCode::Char('L'));
    let mut sv = app_on(Arc::clone(&s), Lang::Sv);
    key(&mut sv, KeyCode::Char('2'));
    assert_eq!(
        chart_rows(&screen(&app, 120, 40)),
        chart_rows(&screen(&sv, 120, 40))
    );
    assert_eq!(
        chart_rows(&screen(&app, 100, 40)),
        chart_rows(&screen(&sv, 100, 40))
    );
}
