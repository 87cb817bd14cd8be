//! Lists of any size (issue 13, "the remote TUI asks for what it shows", and issue 17): the
//! timeline, the meeting notes and the partner table ask for a window of rows and the counts,
//! never for a whole range; they page on as the selection moves, in process and through a real
//! daemon; and a key that moves the selection changes only the rows whose selection changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use spets::client::{Client, Embedded, Remote};
use spets::demo::DemoSpec;
use spets::domain::EntityKind;
use spets::domain::limits::WINDOW_ROWS;
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::{
    ActivityQuery, Archived, NoteQuery, Page, PartnerQuery, Request, Response, Service,
    TimelineItem, TimelineQuery, TimelineWindow, WindowAt,
};
use spets::store::Store;
use spets::ui::theme::Theme;
use spets::ui::{App, Options};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const ME: &str = "anna.lind";

/// A workspace larger than every window: about 600 activities and 60 notes in the timeline's
/// default year, 300 partners.
fn workspace(dir: &Path, today: chrono::NaiveDate) {
    let store = Store::open(dir).unwrap();
    let spec = DemoSpec {
        partners: 300,
        activities: 6_000,
        notes: 600,
        seed: 11,
        today,
        me: ME.to_string(),
    };
    spets::demo::generate(&store, &spec, ME).unwrap();
}

fn window(c: &dyn Client, q: TimelineQuery) -> TimelineWindow {
    match c.call(Request::Timeline(q)) {
        Response::Timeline(w) => w,
        other => panic!("{other:?}"),
    }
}

fn whole_range() -> ActivityQuery {
    ActivityQuery {
        archived: Archived::Hide,
        ..ActivityQuery::default()
    }
}

/// (date, 0 for an activity / 1 for a note, id) of every item, from the long-standing queries.
fn reference(c: &dyn Client, q: &ActivityQuery) -> Vec<(chrono::NaiveDate, u8, u64)> {
    let Response::Activities(a) = c.call(Request::Activities(q.clone())) else {
        panic!("activities")
    };
    let nq = NoteQuery {
        partner: q.partner,
        from: q.from,
        to: q.to,
        ..NoteQuery::default()
    };
    let Response::Notes(n) = c.call(Request::Notes(nq)) else {
        panic!("notes")
    };
    let mut all: Vec<_> = a
        .items
        .iter()
        .map(|r| (r.data.date, 0u8, r.meta.id.0))
        .chain(n.items.iter().map(|r| (r.data.date, 1u8, r.meta.id.0)))
        .collect();
    all.sort();
    all
}

fn key_of(it: &TimelineItem) -> (chrono::NaiveDate, u8, u64) {
    match it.key() {
        (EntityKind::Activity, id) => (it.date(), 0, id.0),
        (_, id) => (it.date(), 1, id.0),
    }
}

/// Page through the whole timeline in windows; they add up to the whole list, in order, and
/// every answer is bounded whatever was asked.
fn pages_add_up(c: &dyn Client, q: ActivityQuery) {
    let want = reference(c, &q);
    let first = window(
        c,
        TimelineQuery {
            activities: q.clone(),
            at: WindowAt::Offset(0),
            limit: usize::MAX,
            months: true,
        },
    );
    let total = first.activities + first.notes;
    assert_eq!(total, want.len());
    assert!(total > WINDOW_ROWS, "the test needs more than a window");
    assert_eq!(first.items.len(), WINDOW_ROWS, "a window is bounded");
    // The months add up to the totals, in order.
    let acts: u32 = first.months.iter().map(|m| m.activities).sum();
    let notes: u32 = first.months.iter().map(|m| m.notes).sum();
    assert_eq!(
        (acts as usize, notes as usize),
        (first.activities, first.notes)
    );
    assert!(first.months.windows(2).all(|w| w[0].month < w[1].month));
    let mut got = Vec::new();
    let mut at = 0;
    while at < total {
        let w = window(
            c,
            TimelineQuery {
                activities: q.clone(),
                at: WindowAt::Offset(at),
                limit: 97,
                months: false,
            },
        );
        assert!(w.months.is_empty(), "counts only when asked");
        assert_eq!(w.offset, at.min(total - 97));
        got.extend(w.items.iter().skip(at - w.offset).map(key_of));
        at += 97;
    }
    assert_eq!(got, want, "the windows make the whole list, in order");
    // Around a date: the anchor is the first item on or after it.
    let day = want[want.len() / 2].0;
    let w = window(
        c,
        TimelineQuery {
            activities: q,
            at: WindowAt::Date {
                date: day,
                before: 10,
            },
            limit: 50,
            months: false,
        },
    );
    let anchor = want.iter().position(|k| k.0 >= day).unwrap();
    assert_eq!(w.anchor, Some(anchor));
    assert_eq!(w.offset, anchor - 10);
    assert_eq!(key_of(&w.items[10]), want[anchor]);
}

#[test]
fn timeline_windows_page_through_the_whole_range_in_bounded_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let service = Service::open(&ws).unwrap().with_today(today());
    let c = Embedded::new(Arc::new(service), ME.into());
    pages_add_up(&c, whole_range());
    // With a filter and a search.
    let Response::Partners(p) = c.call(Request::Partners(PartnerQuery {
        limit: 1,
        ..PartnerQuery::default()
    })) else {
        panic!()
    };
    let w = window(
        &c,
        TimelineQuery {
            activities: ActivityQuery {
                partner: Some(p.items[0].id),
                ..whole_range()
            },
            at: WindowAt::Offset(0),
            limit: 10,
            months: true,
        },
    );
    assert!(w.items.iter().all(|it| match it {
        TimelineItem::Activity(a) => a.data.partners.contains(&p.items[0].id),
        TimelineItem::Note(n) => n.data.partners.contains(&p.items[0].id),
    }));
}

#[test]
fn notes_and_partners_come_in_windows_with_their_totals() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let service = Service::open(&ws).unwrap().with_today(today());
    let c = Embedded::new(Arc::new(service), ME.into());
    let notes = |offset, limit| match c.call(Request::Notes(NoteQuery {
        offset,
        limit,
        ..NoteQuery::default()
    })) {
        Response::Notes(p) => p,
        other => panic!("{other:?}"),
    };
    let all: Page<_> = notes(0, 0);
    let ids: Vec<_> = all.items.iter().map(|n| n.meta.id).collect();
    assert!(
        all.items
            .windows(2)
            .all(|w| w[0].data.date >= w[1].data.date)
    );
    let mut paged = Vec::new();
    for off in (0..all.total).step_by(70) {
        let p = notes(off, 70);
        assert_eq!(p.total, all.total);
        paged.extend(p.items.iter().map(|n| n.meta.id));
    }
    assert_eq!(paged, ids);
    let Response::Partners(p) = c.call(Request::Partners(PartnerQuery {
        offset: 250,
        limit: 120,
        ..PartnerQuery::default()
    })) else {
        panic!()
    };
    assert_eq!((p.total, p.offset, p.items.len()), (300, 250, 50));
}

// ------------------------------------------------------------------------------ the UI

fn app_on(client: Arc<dyn Client>, today: chrono::NaiveDate) -> App {
    let mut app = App::new(
        client,
        Options {
            lang: Lang::En,
            keymap: Keymap::preset("default").unwrap(),
            today,
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane: spets::ui::Pane::Partners,
        },
    )
    .unwrap();
    app.resize(120, 40);
    settle(&mut app);
    app
}

fn settle(app: &mut App) {
    assert!(app.settle(timeout()), "the worker did not answer in time");
}

fn press(app: &mut App, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.handle_key(KeyEvent::new(code, mods));
    settle(app);
}

fn frame(app: &App) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| spets::ui::draw(f, app)).unwrap();
    term.backend().buffer().clone()
}

fn text(b: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            out.push_str(b[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Whether a row of the frame is the placeholder of a row not in the window yet.
fn placeholder(b: &Buffer) -> bool {
    text(b).lines().any(|l| l.trim() == "…")
}

/// Walk the timeline with `j`, PgDn, `G`, `g` and jump-to-today: it never holds more than a
/// window, and every row it shows is there once the answers are in.
fn walk_the_timeline(app: &mut App) {
    press(app, KeyCode::Char('2'));
    let (acts, notes) = app.timeline().totals();
    assert!(acts + notes > spets::ui::panes::timeline::WINDOW);
    let held = |app: &App| {
        let (offset, len) = app.timeline().window();
        assert!(
            len <= spets::ui::panes::timeline::WINDOW,
            "{len} items held"
        );
        (offset, len)
    };
    let start = held(app);
    for _ in 0..40 {
        press(app, KeyCode::PageDown);
        held(app);
        assert!(!placeholder(&frame(app)), "a row is missing");
    }
    assert_ne!(held(app).0, start.0, "the window moved on");
    press(app, KeyCode::Char('G'));
    let (sel, rows) = app.timeline().position();
    assert_eq!(sel, rows - 1);
    assert!(app.timeline().selected_activity().is_some() || held(app).1 > 0);
    assert!(!placeholder(&frame(app)), "a row is missing");
    press(app, KeyCode::Home);
    assert_eq!(app.timeline().position().0, 0);
    assert_eq!(held(app).0, 0);
    // Back to today: the window is around it.
    press(app, KeyCode::Char('g'));
    press(app, KeyCode::Char('t'));
    let sel = app.timeline().selected_activity().map(|a| a.data.date);
    assert!(sel.is_some_and(|d| d >= app.today()), "{sel:?}");
}

#[test]
fn the_timeline_pages_on_in_windows() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let service = Service::open(&ws).unwrap().with_today(today());
    let client: Arc<dyn Client> = Arc::new(Embedded::new(Arc::new(service), ME.into()));
    let mut app = app_on(client, today());
    // The partner table holds a window too.
    assert_eq!(app.partners().total(), 300);
    assert!(app.partners().rows().len() <= spets::ui::panes::partners::WINDOW);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.partners().selected(), 299);
    assert!(
        app.partners()
            .rows()
            .iter()
            .any(|r| r.id == app.partners().rows().last().unwrap().id)
    );
    assert!(!placeholder(&frame(&app)));
    walk_the_timeline(&mut app);
}

/// Cells that differ between two frames: what ratatui sends to the terminal.
fn changed(a: &Buffer, b: &Buffer) -> usize {
    a.diff(b).len()
}

#[test]
fn a_key_that_moves_the_selection_changes_only_the_two_rows_leads() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let service = Service::open(&ws).unwrap().with_today(today());
    let client: Arc<dyn Client> = Arc::new(Embedded::new(Arc::new(service), ME.into()));
    let mut app = app_on(client, today());
    for pane in ['1', '2', '3', '4'] {
        // What a selected row restyles: in the lists, the marker and the first column (a name;
        // a date and a title), at most 64 cells; in the matrix, its cells.
        let row = if pane == '3' { 120 } else { 64 };
        press(&mut app, KeyCode::Char(pane));
        press(&mut app, KeyCode::Home);
        // Rows stay where they are: a key changes the old and the new selected row and nothing
        // else (not the chart, not the title), except when the selection leaves the view and the
        // view moves on by a page.
        let mut before = frame(&app);
        let mut small = 0;
        for _ in 0..20 {
            press(&mut app, KeyCode::Char('j'));
            let after = frame(&app);
            let cells = changed(&before, &after);
            if cells <= 2 * row {
                small += 1;
            }
            before = after;
        }
        assert!(
            small >= 18,
            "pane {pane}: {small} of 20 keys changed two rows' leads or fewer"
        );
        for _ in 0..10 {
            press(&mut app, KeyCode::Char('k'));
        }
        let mut before = frame(&app);
        press(&mut app, KeyCode::Char('j'));
        let cells = changed(&before, &frame(&app));
        assert!(cells <= 2 * row, "pane {pane}: {cells} cells");
        before = frame(&app);
        press(&mut app, KeyCode::Char('k'));
        let cells = changed(&before, &frame(&app));
        assert!(cells <= 2 * row, "pane {pane}: {cells} cells");
    }
}

// ------------------------------------------------------------------------------ a daemon

#[test]
fn through_a_daemon_the_timeline_asks_for_windows_only() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    // The daemon's today is the machine's.
    let now = chrono::Local::now().date_naive();
    workspace(&ws, now);
    let sock = tmp.path().join("spets.sock");
    let mut daemon = common::daemon::serve(&ws, &sock);
    let remote: Arc<dyn Client> = Arc::new(Remote::connect(&sock).unwrap());
    pages_add_up(&*remote, whole_range());
    let mut app = app_on(Arc::clone(&remote), now);
    walk_the_timeline(&mut app);
    press(&mut app, KeyCode::Char('4'));
    assert!(app.notes().notes().len() <= spets::ui::panes::notes::WINDOW);
    assert_eq!(app.notes().total(), 600 - archived_notes(&*remote));
    drop(app);
    let _ = daemon.0.kill();
}

fn archived_notes(c: &dyn Client) -> usize {
    match c.call(Request::Notes(NoteQuery {
        archived: Archived::Only,
        limit: 1,
        ..NoteQuery::default()
    })) {
        Response::Notes(p) => p.total,
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------------------------ the first screen

#[test]
fn the_first_frame_shows_the_last_sessions_rows_while_the_workspace_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let q = PartnerQuery {
        lang: Lang::En,
        limit: spets::service::FIRST_SCREEN_ROWS,
        ..PartnerQuery::default()
    };
    let want = {
        let service = Service::open(&ws).unwrap().with_today(today());
        let c = Embedded::new(Arc::new(service), ME.into());
        let Response::Partners(p) = c.call(Request::Partners(q.clone())) else {
            panic!()
        };
        c.close();
        p
    };
    // Kept for the day it was written for, in the languages shown.
    let kept = spets::service::first_screen(&ws, Lang::En, today()).unwrap();
    assert_eq!(kept, want);
    assert!(spets::service::first_screen(&ws, Lang::Sv, today()).is_none());
    let tomorrow = today().succ_opt().unwrap();
    assert!(spets::service::first_screen(&ws, Lang::En, tomorrow).is_none());

    // The UI paints it while the workspace is still opening; nothing is read or changed until it
    // is open, and then the service's answer takes over.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let dir = ws.clone();
    let open: spets::ui::worker::Opener = Box::new(move || {
        wait.recv().map_err(|e| e.to_string())?;
        let service = Service::open(&dir).map_err(|e| e.to_string())?;
        let c: Arc<dyn Client> = Arc::new(Embedded::new(
            Arc::new(service.with_today(today())),
            ME.into(),
        ));
        Ok(c)
    });
    let opts = Options {
        lang: Lang::En,
        keymap: Keymap::preset("default").unwrap(),
        today: today(),
        theme: Theme { color: false },
        notices: Vec::new(),
        drafts: None,
        start_pane: spets::ui::Pane::Partners,
    };
    let mut app = App::opening(open, ME.into(), ws.display().to_string(), opts).unwrap();
    app.resize(120, 40);
    app.show_first_screen(kept);
    let first = text(&frame(&app));
    assert!(first.contains(&want.items[0].name), "{first}");
    assert!(first.contains("300 partners"), "{first}");
    app.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE));
    app.pump(Duration::from_millis(1));
    assert!(app.form().is_none(), "no edit before the workspace is open");
    go.send(()).unwrap();
    settle(&mut app);
    assert_eq!(app.partners().rows(), &want.items[..]);
    assert!(app.form().is_some(), "the edit waited for the workspace");
}

// ------------------------------------------------------------------------------ search

/// Every activity `q` admits, by reading them all in storage order: (date, id, title, description).
fn all_activities(
    c: &dyn Client,
    q: &ActivityQuery,
) -> Vec<(chrono::NaiveDate, u64, String, String)> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let Response::ActivityBatch { items, next, .. } = c.call(Request::ActivityScan {
            query: q.clone(),
            after,
            limit: 5_000,
        }) else {
            panic!("scan")
        };
        out.extend(
            items
                .into_iter()
                .map(|r| (r.data.date, r.meta.id.0, r.data.title, r.data.description)),
        );
        match next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

/// A search finds exactly the activities whose title or description contains the text (folded:
/// "malmo" finds "Malmö"), in date order, whether it looks up a few candidates one by one or
/// reads thousands in one pass on two threads.
#[test]
fn a_search_finds_exactly_the_matching_titles_and_descriptions() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    workspace(&ws, today());
    let service = Service::open(&ws).unwrap().with_today(today());
    let c = Embedded::new(Arc::new(service), ME.into());
    let Response::Partners(p) = c.call(Request::Partners(PartnerQuery {
        limit: 1,
        ..PartnerQuery::default()
    })) else {
        panic!()
    };
    let narrow = ActivityQuery {
        partner: Some(p.items[0].id),
        ..whole_range()
    };
    let everything = all_activities(&c, &whole_range());
    assert!(
        everything.len() > 4_000,
        "the test needs thousands of candidates"
    );
    // A word of a description that no title has, so the descriptions are searched too.
    let in_a_title = |w: &str| everything.iter().any(|(_, _, t, _)| t.contains(w));
    let from_description = everything
        .iter()
        .flat_map(|(_, _, _, d)| d.split_whitespace())
        .find(|w| w.len() > 4 && !in_a_title(w))
        .expect("a description with a word no title has")
        .to_string();
    let mut checked = 0;
    for base in [whole_range(), narrow] {
        let all = all_activities(&c, &base);
        for text in [
            "e",
            "MALMO",
            "steer",
            from_description.as_str(),
            "zzz-nothing",
        ] {
            let needle = spets::domain::text::fold(text);
            let mut want: Vec<_> = all
                .iter()
                .filter(|(_, _, t, d)| {
                    spets::domain::text::fold(t).contains(&needle)
                        || spets::domain::text::fold(d).contains(&needle)
                })
                .map(|(date, id, _, _)| (*date, *id))
                .collect();
            want.sort();
            let Response::Activities(got) = c.call(Request::Activities(ActivityQuery {
                text: text.to_string(),
                limit: 0,
                ..base.clone()
            })) else {
                panic!("activities")
            };
            let got: Vec<_> = got
                .items
                .iter()
                .map(|r| (r.data.date, r.meta.id.0))
                .collect();
            assert_eq!(got.len(), want.len(), "{text:?}");
            assert_eq!(got, want, "{text:?}");
            checked += usize::from(!want.is_empty());
        }
    }
    assert!(checked >= 6, "most searches find something ({checked})");
}
