//! The Overview pane (issue 15): the service's grouping and due-date rules around a month's end
//! on a real store, and the pane in the real `App` on ratatui's TestBackend (whole screens in both
//! languages, Enter opening each line's record, the empty state, `start_pane`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{key, screen, settle};

use chrono::NaiveDate;
use common::{create, d, editor, partner};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spets::client::{Client, Embedded};
use spets::domain::*;
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::{
    AnyData, Overview, OverviewGroup, OverviewItem, Renewal, Request, Response, Service,
};
use spets::ui::theme::Theme;
use spets::ui::{App, Options, Pane};
use std::path::Path;
use std::sync::Arc;

/// The last day of a month, so that "30 days ahead" crosses February.
fn today() -> NaiveDate {
    d("2025-01-31")
}

fn agreement(partner: Id, end: &str, lead: u8) -> AnyData {
    AnyData::Agreement(Agreement {
        partner,
        kind: AgreementKind::Framework,
        title: "Framework agreement".into(),
        signed: None,
        start: d("2020-01-01"),
        end: Some(d(end)),
        signatories: Vec::new(),
        renewal_lead_months: lead,
        status: AgreementStatus::Active,
        renewal_draft_sent: None,
        renewal_signed: None,
    })
}

fn note(partners: Vec<Id>, date: &str, kind: MeetingKind, actions: Vec<ActionItem>) -> AnyData {
    AnyData::Note(Note {
        partners,
        date: d(date),
        title: format!("Meeting {date}"),
        kind,
        attendees: Vec::new(),
        body: String::new(),
        decisions: Vec::new(),
        actions,
    })
}

fn action(text: &str, owner: &str, due: &str, done: bool) -> ActionItem {
    ActionItem {
        text: text.into(),
        owner: owner.into(),
        due: Some(d(due)),
        done,
    }
}

fn evaluation(partner: Id, end: &str, next: &str) -> AnyData {
    AnyData::Evaluation(Evaluation {
        partner,
        start: d("2023-01-01"),
        end: d(end),
        characteristics: Default::default(),
        values: Default::default(),
        goals: Vec::new(),
        decision: Decision::Continue,
        next: Some(d(next)),
        comment: String::new(),
    })
}

fn planned(partner: Id, date: &str, title: &str, status: ActivityStatus) -> AnyData {
    let mut a = common::activity(partner, date, title);
    a.status = status;
    AnyData::Activity(a)
}

/// Aalto (strategic, running, renewal due, management meeting overdue, a goal without
/// follow-up), Bergen (other tier, evaluation due on the window's last day), Chalmers (other
/// tier, agreement ended yesterday, evaluation due the day after the window); activities and
/// action items on both sides of the window's edges.
fn workspace(dir: &Path) -> (Arc<Service>, [Id; 3]) {
    let s = Service::open(dir).unwrap().with_today(today());
    let me = editor();
    let (a, _) = create(&s, &me, AnyData::Partner(partner("Aalto University", "FI")));
    let other = |name: &str| {
        let mut p = partner(name, "NO");
        p.tier = Tier::Other;
        p.goals.clear();
        create(&s, &me, AnyData::Partner(p)).0
    };
    let b = other("Bergen University");
    let c = other("Chalmers");
    // Ends 2025-04-30, three months' lead: due from 2025-01-30.
    create(&s, &me, agreement(a, "2025-04-30", 3));
    // Ends 2025-05-31: due from 2025-02-28, after today.
    create(&s, &me, agreement(b, "2025-05-31", 3));
    create(&s, &me, agreement(c, "2025-01-30", 3));
    // Steering group 2024-10-31 + 3 months = 2025-01-31: due today, kept.
    create(
        &s,
        &me,
        note(vec![a], "2024-10-31", MeetingKind::SteeringGroup, vec![]),
    );
    // Management 2024-07-30 + 6 months = 2025-01-30: overdue.
    create(
        &s,
        &me,
        note(vec![a], "2024-07-30", MeetingKind::Management, vec![]),
    );
    create(&s, &me, evaluation(b, "2024-12-31", "2025-03-02"));
    create(&s, &me, evaluation(c, "2024-12-31", "2025-03-03"));
    for (date, title, status) in [
        ("2025-01-30", "Yesterday's visit", ActivityStatus::Planned),
        ("2025-01-31", "Visit today", ActivityStatus::Planned),
        ("2025-02-10", "Already done", ActivityStatus::Done),
        ("2025-03-02", "Workshop 2 mars", ActivityStatus::Planned),
        ("2025-03-03", "Too late workshop", ActivityStatus::Planned),
    ] {
        create(&s, &me, planned(b, date, title, status));
    }
    let actions = vec![
        action("Send the draft", "erik.berg", "2025-03-02", false),
        action("Book rooms", "anna.lind", "2025-01-15", false),
        action("Later task", "erik.berg", "2025-03-03", false),
        action("Finished", "anna.lind", "2025-02-01", true),
        action("Call the dean", "anna.lind", "2025-02-28", false),
    ];
    create(
        &s,
        &me,
        note(vec![b], "2025-01-10", MeetingKind::Other, actions),
    );
    (Arc::new(s), [a, b, c])
}

fn overview(s: &Service) -> Overview {
    match s.handle(&editor(), Request::Overview) {
        Response::Overview(o) => *o,
        other => panic!("not an overview: {other:?}"),
    }
}

#[test]
fn the_overview_groups_what_is_due_around_a_month_end() {
    let dir = tempfile::tempdir().unwrap();
    let (s, [a, b, c]) = workspace(dir.path());
    let o = overview(&s);
    assert_eq!((o.today, o.until), (today(), d("2025-03-02")));
    let of = |g: OverviewGroup| -> Vec<&OverviewItem> {
        o.lines
            .iter()
            .map(|l| &l.item)
            .filter(|i| i.group() == g)
            .collect()
    };
    let renewals: Vec<(Id, Renewal)> = of(OverviewGroup::Renewals)
        .into_iter()
        .filter_map(|i| match i {
            OverviewItem::Renewal {
                partner, renewal, ..
            } => Some((*partner, *renewal)),
            _ => None,
        })
        .collect();
    assert_eq!(
        renewals,
        [
            (
                c,
                Renewal::Expired {
                    end: d("2025-01-30")
                }
            ),
            (
                a,
                Renewal::Due {
                    end: d("2025-04-30")
                }
            ),
        ]
    );
    assert_eq!(
        of(OverviewGroup::Meetings),
        [&OverviewItem::Meeting {
            partner: a,
            kind: MeetingKind::Management,
            due: Some(d("2025-01-30")),
        }]
    );
    assert_eq!(
        of(OverviewGroup::Evaluations),
        [&OverviewItem::Evaluation {
            partner: b,
            due: d("2025-03-02")
        }]
    );
    let goals = of(OverviewGroup::Goals);
    assert!(
        matches!(goals.as_slice(), [OverviewItem::Goal { partner, text, last: None, .. }]
            if *partner == a && text == "Joint doctoral programme"),
        "{goals:?}"
    );
    let titles: Vec<&str> = of(OverviewGroup::Activities)
        .into_iter()
        .filter_map(|i| match i {
            OverviewItem::Activity { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(titles, ["Visit today", "Workshop 2 mars"]);
    let actions: Vec<(&str, &str)> = of(OverviewGroup::Actions)
        .into_iter()
        .filter_map(|i| match i {
            OverviewItem::Action { owner, text, .. } => Some((owner.as_str(), text.as_str())),
            _ => None,
        })
        .collect();
    // By owner (the whole team), then by due date; overdue ones included, done ones not.
    assert_eq!(
        actions,
        [
            ("anna.lind", "Book rooms"),
            ("anna.lind", "Call the dean"),
            ("erik.berg", "Send the draft"),
        ]
    );
    assert_eq!(o.counts(), [2, 1, 1, 1, 2, 3]);
    let partners: Vec<&str> = o.lines.iter().map(|l| l.partners.as_str()).collect();
    assert_eq!(partners[0], "Chalmers");
}

#[test]
fn a_leap_year_february_moves_the_window_and_the_due_dates() {
    let dir = tempfile::tempdir().unwrap();
    let s = Service::open(dir.path())
        .unwrap()
        .with_today(d("2024-01-31"));
    let me = editor();
    let (a, _) = create(&s, &me, AnyData::Partner(partner("Aalto University", "FI")));
    // 2023-11-30 + 3 months = 2024-02-29 (leap day): not overdue yet.
    create(
        &s,
        &me,
        note(vec![a], "2023-11-30", MeetingKind::SteeringGroup, vec![]),
    );
    create(
        &s,
        &me,
        note(vec![a], "2023-07-31", MeetingKind::Management, vec![]),
    );
    create(
        &s,
        &me,
        planned(a, "2024-03-01", "First of March", ActivityStatus::Planned),
    );
    create(
        &s,
        &me,
        planned(a, "2024-03-02", "Second of March", ActivityStatus::Planned),
    );
    let o = overview(&s);
    assert_eq!(o.until, d("2024-03-01"));
    let meetings: Vec<&OverviewItem> = o
        .lines
        .iter()
        .map(|l| &l.item)
        .filter(|i| i.group() == OverviewGroup::Meetings)
        .collect();
    // Management 2023-07-31 + 6 = 2024-01-31: due today, kept; nothing is overdue.
    assert!(meetings.is_empty(), "{meetings:?}");
    assert_eq!(o.counts()[4], 1);
}

// ---------------------------------------------------------------- the pane in the app

const ME: &str = "anna.lind";

fn app_on(s: Arc<Service>, lang: Lang, start_pane: Pane) -> App {
    let client: Arc<dyn Client> = Arc::new(Embedded::new(s, ME.to_string()));
    let mut app = App::new(
        client,
        Options {
            lang,
            keymap: Keymap::preset("default").unwrap(),
            today: today(),
            theme: Theme { color: false },
            notices: Vec::new(),
            drafts: None,
            start_pane,
        },
    )
    .unwrap();
    settle(&mut app);
    app
}

#[test]
fn the_overview_pane_in_both_languages_and_two_sizes() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = workspace(dir.path());
        let mut app = app_on(s, lang, Pane::Partners);
        key(&mut app, KeyCode::Char('5'));
        assert_eq!(app.pane(), Pane::Overview);
        let l = lang.key();
        insta::assert_snapshot!(format!("overview_{l}_120x40"), screen(&app, 120, 40));
        insta::assert_snapshot!(format!("overview_{l}_80x24"), screen(&app, 80, 24));
    }
}

#[test]
fn an_empty_workspace_says_nothing_is_due() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let s = Arc::new(Service::open(dir.path()).unwrap().with_today(today()));
        let app = app_on(s, lang, Pane::Overview);
        let l = lang.key();
        insta::assert_snapshot!(format!("overview_empty_{l}"), screen(&app, 80, 24));
    }
}

/// Move to the line whose item satisfies `pick`, press Enter.
fn open_line(app: &mut App, pick: impl Fn(&OverviewItem) -> bool) {
    key(app, KeyCode::Char('5'));
    key(app, KeyCode::Char('g'));
    key(app, KeyCode::Char('g'));
    for _ in 0..40 {
        if app.overview().selected().is_some_and(|l| pick(&l.item)) {
            key(app, KeyCode::Enter);
            return;
        }
        key(app, KeyCode::Char('j'));
    }
    panic!("no such line");
}

#[test]
fn enter_opens_the_record_of_each_kind_of_line() {
    let dir = tempfile::tempdir().unwrap();
    let (s, [a, _, _]) = workspace(dir.path());
    let mut app = app_on(s, Lang::En, Pane::Partners);
    // A partner-level line: the partner's detail in Partners.
    open_line(&mut app, |i| matches!(i, OverviewItem::Meeting { .. }));
    assert_eq!(app.pane(), Pane::Partners);
    assert_eq!(app.partners().detail().map(|d| d.id()), Some(a));
    // Esc goes back to the Overview, where the line was.
    let line = app.overview().selected().cloned();
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.pane(), Pane::Overview);
    assert!(app.partners().detail().is_none());
    assert_eq!(app.overview().selected().cloned(), line);
    // A detail opened in Partners closes into Partners.
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    assert!(app.partners().detail().is_some());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.pane(), Pane::Partners);
    // An activity: its form.
    open_line(
        &mut app,
        |i| matches!(i, OverviewItem::Activity { title, .. } if title == "Workshop 2 mars"),
    );
    let form = app.form().expect("the activity's form");
    let title = form.position("title").expect("a title field");
    assert_eq!(form.value(title), "Workshop 2 mars");
    key(&mut app, KeyCode::Esc);
    // An action item: its note.
    open_line(
        &mut app,
        |i| matches!(i, OverviewItem::Action { text, .. } if text == "Send the draft"),
    );
    let form = app.form().expect("the note's form");
    let title = form.position("title").expect("a title field");
    assert_eq!(form.value(title), "Meeting 2025-01-10");
}

#[test]
fn start_pane_chooses_the_first_pane_and_a_bad_value_says_why() {
    use spets::ui::setup::start_pane;
    for (v, p) in [
        ("overview", Pane::Overview),
        ("Översikt", Pane::Overview),
        ("timeline", Pane::Timeline),
        ("Tidslinje", Pane::Timeline),
        ("value matrix", Pane::Matrix),
        ("notes", Pane::Notes),
        ("partners", Pane::Partners),
    ] {
        let mut notices = Vec::new();
        assert_eq!(start_pane(Some(v), &mut notices), p, "{v}");
        assert!(notices.is_empty());
    }
    let mut notices = Vec::new();
    assert_eq!(start_pane(None, &mut notices), Pane::Partners);
    assert_eq!(start_pane(Some("kalender"), &mut notices), Pane::Partners);
    let [n] = notices.as_slice() else {
        panic!("one notice: {notices:?}")
    };
    let en = n.text(Lang::En);
    let sv = n.text(Lang::Sv);
    assert!(
        en.contains("\"kalender\"")
            && en.contains("partners, timeline, matrix, notes and overview"),
        "{en}"
    );
    assert!(
        sv.contains("\"kalender\"") && sv.contains("ingen panel"),
        "{sv}"
    );
    // The app starts where it is told to.
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = workspace(dir.path());
    let app = app_on(s, Lang::Sv, Pane::Overview);
    assert_eq!(app.pane(), Pane::Overview);
    assert!(app.overview().overview().is_some());
}

/// A workspace with hundreds of goals without follow-up: each group lists at most
/// `OVERVIEW_LINES`, counts them all, and the pane says how many are not listed.
#[test]
fn each_group_lists_at_most_its_first_lines_and_counts_them_all() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let store = spets::store::Store::open(&ws).unwrap();
    let spec = spets::demo::DemoSpec {
        partners: 400,
        activities: 2_000,
        notes: 200,
        seed: 3,
        today: today(),
        me: ME.to_string(),
    };
    spets::demo::generate(&store, &spec, ME).unwrap();
    let s = Arc::new(Service::new(store).unwrap().with_today(today()));
    let o = overview(&s);
    let counts = o.counts();
    let goals = OverviewGroup::ALL
        .iter()
        .position(|g| *g == OverviewGroup::Goals)
        .unwrap();
    assert!(
        counts[goals] > spets::service::OVERVIEW_LINES,
        "the test needs more goals without follow-up than are listed: {counts:?}"
    );
    for (i, g) in OverviewGroup::ALL.iter().enumerate() {
        let listed = o.lines.iter().filter(|l| l.item.group() == *g).count();
        assert_eq!(
            listed,
            counts[i].min(spets::service::OVERVIEW_LINES),
            "{g:?}"
        );
    }
    let mut app = app_on(s, Lang::En, Pane::Overview);
    let more = counts[goals] - spets::service::OVERVIEW_LINES;
    // Walk down to the end of the goals group: its last line says how many are not listed.
    let mut found = false;
    for _ in 0..40 {
        let text = screen(&app, 120, 40);
        if text.contains(&format!("… and {more} more, not listed here")) {
            found = true;
            break;
        }
        for _ in 0..30 {
            app.handle_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
        }
        settle(&mut app);
    }
    assert!(
        found,
        "the goals group ends with the count of those not listed"
    );
}
