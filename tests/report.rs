//! Management reports: the HTML's structure, the escaping of user text in HTML and Markdown, both
//! languages, the numbers on a small hand-made workspace, the command line (files, errors, a
//! daemon) and the menu's Report… in the UI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "language_support/mod.rs"]
mod language_support;

use common::app::{app_on, key};
use common::*;
use crossterm::event::KeyCode;
use spets::client::{Client, Embedded};
use spets::domain::*;
use spets::i18n::Lang;
use spets::report::{self, Format, Which};
use spets::service::{AnyData, Request, Response, Service};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

const EVIL: &str = r#"<script>alert(1)</script> & "x" | 'y'"#;
const YEAR: i32 = 2026;

struct Ws {
    alfa: Id,
    beta: Id,
    goal: Id,
}

fn act(p: &[Id], date: &str, values: &[AddedValue], status: ActivityStatus) -> AnyData {
    let mut a = activity(p[0], date, "Workshop");
    a.partners = p.to_vec();
    a.values = values.to_vec();
    a.status = status;
    AnyData::Activity(a)
}

/// Two strategic partners (one with a name full of markup) and one other; activities, a goal
/// with links, a meeting note with a decision and an overdue action item, assessments.
fn workspace(dir: &Path) -> Ws {
    let s = open(dir);
    let e = editor();
    let mut a = org(&format!("Alfa {EVIL}"), "SE");
    a.kind = OrgKind::University;
    let (alfa, _) = create(&s, &e, AnyData::Partner(a));
    let (beta, _) = create(&s, &e, AnyData::Partner(org("Beta Universitet", "FI")));
    let mut other = org("Gamma AB", "NO");
    other.tier = Tier::Other;
    create(&s, &e, AnyData::Partner(other));
    use AddedValue::*;
    let done = ActivityStatus::Done;
    let (jan, _) = create(&s, &e, act(&[alfa], "2026-01-15", &[Quality], done));
    let (mar, _) = create(&s, &e, act(&[alfa], "2026-03-03", &[Quality, Impact], done));
    create(&s, &e, act(&[alfa], "2026-03-20", &[Resources], done));
    create(&s, &e, act(&[alfa, beta], "2026-05-05", &[Influence], done));
    // Not counted: cancelled, or another year.
    create(
        &s,
        &e,
        act(&[alfa], "2026-11-01", &[Quality], ActivityStatus::Cancelled),
    );
    create(&s, &e, act(&[alfa], "2025-12-31", &[Quality], done));
    let g = Goal {
        partner: alfa,
        text: format!("Goal {EVIL}"),
        values: vec![Quality],
        indicator: "Joint applications".into(),
        target: "2 a year".into(),
        deadline: Some(d("2027-12-31")),
        status: GoalStatus::Open,
        owner: "anna.lind".into(),
    };
    let (goal, _) = create(&s, &e, AnyData::Goal(g.clone()));
    let mut reached = g;
    reached.text = "Second goal".into();
    reached.status = GoalStatus::Reached;
    create(&s, &e, AnyData::Goal(reached));
    for id in [jan, mar] {
        create(
            &s,
            &e,
            AnyData::GoalLinks(GoalLinks {
                source: LinkSource::Activity,
                source_id: id,
                goals: vec![goal],
            }),
        );
    }
    let note = Note {
        partners: vec![alfa],
        date: d("2026-06-01"),
        title: format!("Meeting {EVIL}"),
        kind: MeetingKind::SteeringGroup,
        attendees: vec!["Anna Lind".into()],
        body: String::new(),
        decisions: vec![format!("Decide {EVIL}"), "# not a heading".into()],
        actions: vec![ActionItem {
            text: format!("Act {EVIL}"),
            owner: "anna.lind".into(),
            due: Some(d("2026-01-01")),
            done: false,
        }],
    };
    create(&s, &e, AnyData::Note(note));
    create(
        &s,
        &e,
        AnyData::Assessment(assessment(alfa, Quality, 2, "2025-01-10")),
    );
    create(
        &s,
        &e,
        AnyData::Assessment(assessment(alfa, Quality, 3, "2026-01-10")),
    );
    create(
        &s,
        &e,
        AnyData::Assessment(assessment(beta, Impact, 1, "2026-02-10")),
    );
    Ws { alfa, beta, goal }
}

fn client(dir: &Path) -> Embedded {
    Embedded::new(Arc::new(open(dir)), ME.to_string())
}

fn partner_report(c: &dyn Client, id: Id, lang: Lang, f: Format) -> String {
    report::make(c, Which::Partner(id), YEAR, lang, f).unwrap()
}

/// The text of an HTML page without its style block and tags.
fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[test]
fn the_html_report_is_one_self_contained_printable_page() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path());
    let c = client(tmp.path());
    for lang in [Lang::Sv, Lang::En] {
        for which in [Which::Partner(ws.alfa), Which::Portfolio] {
            let html = report::make(&c, which, YEAR, lang, Format::Html).unwrap();
            assert!(html.starts_with("<!doctype html>"), "{which:?}");
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.key())));
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert_eq!(html.matches("<style>").count(), 1);
            assert!(html.contains("@page { size: A4;"));
            assert!(html.contains("@media print"));
            for banned in ["http://", "https://", "<script", "<link", "src=", "href="] {
                assert!(!html.contains(banned), "{which:?} {lang:?} has {banned}");
            }
            assert!(html.contains("<svg class=\"chart months\""));
            assert!(html.contains("<svg class=\"chart heat\""));
            assert!(html.ends_with("</html>\n"));
        }
        let html = partner_report(&c, ws.alfa, lang, Format::Html);
        for id in [
            "phases",
            "agreements",
            "governance",
            "goals",
            "activities",
            "matrix",
            "decisions",
            "actions",
        ] {
            assert!(
                html.contains(&format!("<section id=\"{id}\">")),
                "no {id} section"
            );
        }
        let html = report::make(&c, Which::Portfolio, YEAR, lang, Format::Html).unwrap();
        for id in ["totals", "partners"] {
            assert!(html.contains(&format!("<section id=\"{id}\">")));
        }
    }
}

#[test]
fn user_text_is_escaped_in_html_and_cannot_break_a_markdown_table() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path());
    let c = client(tmp.path());
    let html = partner_report(&c, ws.alfa, Lang::En, Format::Html);
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; | &#39;y&#39;";
    // The partner's name (title), the goal, the note's title, its decision and action item.
    assert!(html.matches(escaped).count() >= 6, "{html}");
    assert!(!html.contains("<script>"));
    assert!(!html.contains("alert(1)</"));
    let portfolio = report::make(&c, Which::Portfolio, YEAR, Lang::En, Format::Html).unwrap();
    assert!(portfolio.contains(escaped) && !portfolio.contains("<script>"));

    let md = partner_report(&c, ws.alfa, Lang::En, Format::Markdown);
    // Every table row has exactly as many unescaped pipes as its table's header.
    let mut cols = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            cols = None;
            continue;
        }
        let pipes = line.matches('|').count() - line.matches("\\|").count();
        match cols {
            None => cols = Some(pipes),
            Some(n) => assert_eq!(pipes, n, "a row breaks its table: {line}"),
        }
    }
    assert!(md.contains("Decide \\<script\\>alert(1)\\</script\\> & \"x\" \\| 'y'"));
    assert!(md.contains("\\# not a heading"));
    assert!(!md.lines().any(|l| l.starts_with("# not")));
}

#[test]
fn each_language_has_its_own_words() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path());
    let c = client(tmp.path());
    let mut data: HashSet<String> = HashSet::new();
    for w in [
        "Alfa",
        "Beta",
        "Universitet",
        "Gamma",
        "AB",
        "Goal",
        "Second",
        "goal",
        "Meeting",
        "Decide",
        "Act",
        "not",
        "a",
        "heading",
        "alert",
        "script",
        "x",
        "y",
        "Workshop",
        "Anna",
        "Lind",
        "anna.lind",
    ] {
        data.extend(language_support::words(w));
    }
    let sv = [
        "Fas och historik",
        "Avtal och förnyelse",
        "Styrningens efterlevnad",
        "Mål och uppföljning",
        "Aktiviteter per månad",
        "Kvalitet",
        "Resurser",
        "Samhällspåverkan",
        "Inflytande",
        "Anseende",
        "Kulturförändring",
    ];
    let en = [
        "Phase and history",
        "Agreements and renewal",
        "Governance compliance",
        "Goals and follow-up",
        "Activities per month",
        "Quality",
        "Resources",
        "Impact",
        "Influence",
        "Reputation",
        "Cultural change",
    ];
    for (lang, own, other) in [(Lang::Sv, sv, en), (Lang::En, en, sv)] {
        for f in [Format::Html, Format::Markdown] {
            let text = partner_report(&c, ws.alfa, lang, f);
            let text = match f {
                Format::Html => visible_text(&text),
                Format::Markdown => text,
            };
            for w in own {
                assert!(text.contains(w), "{lang:?} {f:?} lacks {w}");
            }
            for w in other {
                assert!(!text.contains(w), "{lang:?} {f:?} has {w}");
            }
            let foreign = language_support::foreign(lang, &text, &data);
            assert!(foreign.is_empty(), "{lang:?} {f:?}: {foreign:?}\n{text}");
        }
        let html = report::make(&c, Which::Portfolio, YEAR, lang, Format::Html).unwrap();
        let foreign = language_support::foreign(lang, &visible_text(&html), &data);
        assert!(foreign.is_empty(), "portfolio {lang:?}: {foreign:?}");
    }
    // Swedish decimals.
    let md = report::make(&c, Which::Portfolio, YEAR, Lang::Sv, Format::Markdown).unwrap();
    assert!(md.contains("| 3,0 |"), "{md}");
}

#[test]
fn the_numbers_match_the_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path());
    let c = client(tmp.path());
    let Response::PartnerYear(y) = c.call(Request::PartnerYear {
        partner: ws.alfa,
        year: YEAR,
    }) else {
        panic!()
    };
    assert_eq!(y.total, 4);
    assert_eq!(y.months, [1, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    // Quality, Resources, Impact, Influence, Reputation, Cultural change.
    assert_eq!(y.values, [2, 1, 1, 1, 0, 0]);
    assert_eq!(y.goals, vec![(ws.goal, 2)]);

    let Response::Portfolio(p) = c.call(Request::Portfolio {
        year: YEAR,
        lang: Lang::Sv,
    }) else {
        panic!()
    };
    let names: Vec<&str> = p.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 2, "only the strategic partners: {names:?}");
    assert!(names[0].starts_with("Alfa") && names[1] == "Beta Universitet");
    assert_eq!(p.rows[0].activities, 4);
    assert_eq!(p.rows[1].partner, ws.beta);
    assert_eq!(p.rows[1].activities, 1);
    // The joint activity counts once in the months.
    assert_eq!(p.months.iter().sum::<u32>(), 4);
    assert_eq!((p.goals.open, p.goals.reached, p.goals.dropped), (1, 1, 0));
    assert_eq!(p.rows[0].ours, Some(3.0));
    assert_eq!(p.rows[1].ours, Some(1.0));
    assert_eq!(p.ours, Some(2.0));
    let running = Phase::ALL
        .iter()
        .position(|x| *x == Phase::Running)
        .unwrap();
    assert_eq!(p.phases[running], 2);
    assert_eq!(p.governance[0] + p.governance[1] + p.governance[2], 2);

    // The document says the same.
    let md = partner_report(&c, ws.alfa, Lang::En, Format::Markdown);
    assert!(
        md.contains("| 1 | 0 | 2 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
        "{md}"
    );
    assert!(md.contains("| Quality | 2 |"));
    assert!(md.contains("| 3 established ↑ |"), "{md}");
    assert!(md.contains("overdue"));
}

fn spets(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(dir)
        .args(args)
        .env("HOME", dir.parent().unwrap())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_command_line_writes_private_files_and_names_problems() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ws_dir = tmp.path().join("ws");
    workspace(&ws_dir);
    let file = tmp.path().join("beta.md");
    let out = spets(
        &ws_dir,
        &[
            "--lang",
            "en",
            "report",
            "partner",
            "beta univ",
            "--year",
            "2026",
            "--format",
            "md",
            "-o",
        ]
        .into_iter()
        .chain([file.to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# Partner report: Beta Universitet"));

    // The format follows the extension; stdout without -o.
    let html = tmp.path().join("p.html");
    let out = spets(
        &ws_dir,
        &[
            "report",
            "portfolio",
            "--year",
            "2026",
            "-o",
            html.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!doctype html>")
    );
    let out = spets(
        &ws_dir,
        &["--lang", "sv", "report", "portfolio", "--format", "md"],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# Strategiska partner"));

    // Unknown, then ambiguous.
    let out = spets(&ws_dir, &["--lang", "en", "report", "partner", "Nowhere"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no partner is named or has the id \"Nowhere\""),
        "{err}"
    );
    let out = spets(&ws_dir, &["--lang", "sv", "report", "partner", "a"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("passar in på flera partner"), "{err}");
    assert!(
        err.contains("Beta Universitet") && err.contains("Gamma AB"),
        "{err}"
    );
    // The candidates' markup reaches the terminal as text, escape characters made visible.
    assert!(!err.contains('\u{1b}'));
    let out = spets(&ws_dir, &["report", "portfolio", "--year", "99999"]);
    assert!(!out.status.success());
}

#[test]
fn a_report_through_a_daemon_is_the_same_as_in_process() {
    let tmp = tempfile::tempdir().unwrap();
    let ws_dir = tmp.path().join("ws");
    let ws = workspace(&ws_dir);
    let sock = tmp.path().join("spets.sock");
    let daemon = common::daemon::serve(&ws_dir, &sock);
    let file = tmp.path().join("alfa.md");
    let out = Command::new(BIN)
        .arg("--connect")
        .arg(&sock)
        .args(["--lang", "en", "report", "partner"])
        .arg(ws.alfa.to_string())
        .args(["--year", "2026", "-o"])
        .arg(&file)
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let remote = std::fs::read_to_string(&file).unwrap();
    drop(daemon);
    // In process, with the machine's date as the daemon has.
    let c = Embedded::new(Arc::new(Service::open(&ws_dir).unwrap()), ME.to_string());
    let local = partner_report(&c, ws.alfa, Lang::En, Format::Markdown);
    // The same but for the day it was made (the daemon's date is the machine's).
    let body = |s: &str| s.lines().skip(3).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&remote), body(&local));
}

/// Pump the app until a file whose name starts with `prefix` is in `dir` and the notice says
/// it was written; its path.
fn await_report(app: &mut spets::ui::App, dir: &Path, prefix: &str) -> std::path::PathBuf {
    let deadline = std::time::Instant::now() + timeout();
    loop {
        app.pump(std::time::Duration::from_millis(10));
        let found = std::fs::read_dir(dir).ok().and_then(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        });
        if let Some(p) = found
            && app.last_notice().is_some_and(|n| {
                n.text(Lang::Sv)
                    .starts_with(&format!("Rapporten skrevs: {}", p.display()))
            })
        {
            return p;
        }
        assert!(std::time::Instant::now() < deadline, "no report {prefix}");
    }
}

#[test]
fn the_menus_report_writes_the_selected_partners_report_or_the_portfolio() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ws_dir = tmp.path().join("ws");
    workspace(&ws_dir);
    let exports = tmp.path().join("exports");
    let s = Arc::new(open(&ws_dir));
    let mut app = app_on(s, Lang::Sv);
    app.set_export_dir(exports.clone());
    let at = spets::ui::overlays::MENU
        .iter()
        .position(|(_, a)| *a == spets::keymap::Action::Report)
        .unwrap();
    let report_menu = |app: &mut spets::ui::App| {
        key(app, KeyCode::F(10));
        for _ in 0..at {
            key(app, KeyCode::Down);
        }
        let menu = common::app::screen(app, 100, 30);
        assert!(menu.contains("Rapport…"), "{menu}");
        key(app, KeyCode::Enter);
    };
    // The first partner in the list (Alfa): its report, HTML (the chooser's first line).
    report_menu(&mut app);
    let chooser = common::app::screen(&app, 100, 30);
    assert!(chooser.contains("Partnerrapport, HTML: Alfa"), "{chooser}");
    assert!(chooser.contains("Portfölj av strategiska partner, Markdown"));
    key(&mut app, KeyCode::Enter);
    let written = await_report(&mut app, &exports, "rapport-alfa-");
    let name = written.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.ends_with("-2026.html"), "{name}");
    let mode = std::fs::metadata(&written).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let html = std::fs::read_to_string(&written).unwrap();
    assert!(html.contains("<html lang=\"sv\">") && html.contains("Partnerrapport"));
    // The same report again: the file exists, so it asks first, and the answer defaults to No.
    std::fs::write(&written, "kept").unwrap();
    let ask = |app: &mut spets::ui::App| {
        report_menu(app);
        key(app, KeyCode::Enter);
        let deadline = std::time::Instant::now() + timeout();
        while !matches!(
            app.overlay(),
            Some(spets::ui::overlays::Overlay::Confirm(_))
        ) {
            assert!(std::time::Instant::now() < deadline, "no question");
            app.pump(std::time::Duration::from_millis(10));
        }
        let q = common::app::screen(app, 100, 30);
        assert!(q.contains("Filen finns redan. Ersätta den?"), "{q}");
    };
    ask(&mut app);
    key(&mut app, KeyCode::Enter);
    common::app::settle(&mut app);
    assert!(app.overlay().is_none());
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "kept");
    // Yes (j in Swedish) replaces it.
    ask(&mut app);
    key(&mut app, KeyCode::Char('j'));
    common::wait_for("the report to be replaced", || {
        app.pump(std::time::Duration::from_millis(10));
        std::fs::read_to_string(&written).is_ok_and(|t| t.contains("Partnerrapport"))
    });
    // The portfolio as Markdown: the chooser's last line.
    report_menu(&mut app);
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let written = await_report(&mut app, &exports, "portfolj-2026.md");
    let md = std::fs::read_to_string(&written).unwrap();
    assert!(md.starts_with("# Strategiska partner: portfölj"), "{md}");
}

#[test]
fn file_names_are_slugs() {
    assert_eq!(report::slug("Åbo Akademi / <b>"), "åbo-akademi-b");
    assert_eq!(report::slug("***"), "partner");
    assert_eq!(
        report::file_name(Lang::En, None, 2026, Format::Markdown),
        "portfolio-2026.md"
    );
    // Two partners of one name (in two countries) get two files.
    assert_eq!(
        report::file_name(Lang::Sv, Some(("Åbo Akademi", Id(7))), 2026, Format::Html),
        "rapport-åbo-akademi-7-2026.html"
    );
    assert_ne!(
        report::file_name(Lang::En, Some(("Acme", Id(1))), 2026, Format::Html),
        report::file_name(Lang::En, Some(("Acme", Id(2))), 2026, Format::Html)
    );
}
