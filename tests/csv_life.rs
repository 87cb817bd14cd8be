//! The life cycle's CSV datasets (goals, evaluations, phase history) in both languages, the goals
//! import (round trip, bad rows refused with precise messages and nothing written), and the demo's
//! rhythms, evaluations and phase histories; on real sled stores in temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;

use csv_support::*;
use spets::client::Client;
use spets::csvio::{
    self, Dataset, Dialect, ExportOptions, ImportKind, ImportOptions, Naming, Scope,
};
use spets::domain::{Enumerated, Id};
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

fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"));
    rows.iter().map(|r| r[i].as_str()).collect()
}

fn partner_ids(c: &dyn Client) -> Vec<Id> {
    match c.call(Request::Partners(PartnerQuery::default())) {
        Response::Partners(p) => p.items.iter().map(|r| r.id).collect(),
        r => panic!("{r:?}"),
    }
}

fn life(c: &dyn Client, id: Id) -> PartnerLifecycle {
    match c.call(Request::Lifecycle(id)) {
        Response::Lifecycle(l) => *l,
        r => panic!("{r:?}"),
    }
}

#[test]
fn life_datasets_export_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 30, 300, 20);
    let c = client(&svc, Role::Viewer);
    for lang in [Lang::En, Lang::Sv] {
        let eo = ExportOptions::for_lang(lang);
        let sv = lang == Lang::Sv;

        let (bytes, n) = export(&c, Dataset::Goals, &Scope::All, &eo);
        let (h, rows) = parse(&bytes, eo.dialect);
        assert!(n > 0 && rows.len() == n);
        let want: &[&str] = if sv {
            &[
                "ID",
                "Partner-ID",
                "Partner",
                "Mål",
                "Mervärden",
                "Indikator",
                "Målvärde",
                "Senast",
                "Status",
                "Ansvarig",
                "Kopplade aktiviteter (12 månader)",
                "Senaste uppföljning",
                "Ingen uppföljning",
            ]
        } else {
            &[
                "ID",
                "Partner ID",
                "Partner",
                "Goal",
                "Added values",
                "Indicator",
                "Target",
                "Deadline",
                "Status",
                "Owner",
                "Linked activities (12 months)",
                "Last follow-up",
                "No follow-up",
            ]
        };
        assert_eq!(h, want);
        let statuses = if sv {
            ["Öppet", "Uppnått", "Avskrivet"]
        } else {
            ["Open", "Reached", "Dropped"]
        };
        let status_col = column(&h, &rows, "Status");
        assert!(
            status_col.iter().all(|s| statuses.contains(s)),
            "{status_col:?}"
        );
        let flag = column(
            &h,
            &rows,
            if sv {
                "Ingen uppföljning"
            } else {
                "No follow-up"
            },
        );
        let yes_no = if sv { ["ja", "nej"] } else { ["yes", "no"] };
        assert!(
            flag.iter()
                .all(|f| yes_no.contains(&f.to_lowercase().as_str())),
            "{flag:?}"
        );
        let linked = column(
            &h,
            &rows,
            if sv {
                "Kopplade aktiviteter (12 månader)"
            } else {
                "Linked activities (12 months)"
            },
        );
        assert!(linked.iter().any(|n| n.parse::<u32>().unwrap() > 0));

        let (bytes, n) = export(&c, Dataset::Evaluations, &Scope::All, &eo);
        let (h, rows) = parse(&bytes, eo.dialect);
        assert!(n > 0 && rows.len() == n);
        assert_eq!(h.len(), 7 + 22 + 1);
        if sv {
            assert_eq!(
                &h[..7],
                [
                    "ID",
                    "Partner-ID",
                    "Partner",
                    "Period från",
                    "Period till",
                    "Beslut",
                    "Nästa utvärdering"
                ]
            );
            assert_eq!(h[7], "Ledningens engagemang: vår");
            assert_eq!(h[8], "Ledningens engagemang: partnerns");
            assert_eq!(h[29], "Måluppfyllelse");
        } else {
            assert_eq!(
                &h[..7],
                [
                    "ID",
                    "Partner ID",
                    "Partner",
                    "Period from",
                    "Period to",
                    "Decision",
                    "Next evaluation"
                ]
            );
            assert_eq!(h[7], "Management commitment: ours");
            assert_eq!(h[28], "Cultural change: partner's");
            assert_eq!(h[29], "Goal outcomes");
        }
        let decisions = if sv {
            ["Fortsätt", "Förnya"]
        } else {
            ["Continue", "Renew"]
        };
        let col = column(&h, &rows, &h[5]);
        assert!(col.iter().all(|d| decisions.contains(d)), "{col:?}");
        let outcomes = column(&h, &rows, &h[29]);
        // "Reached: 2 | Behind: 1": the outcome's label in the language and a count.
        let labels: Vec<&str> = spets::domain::GoalOutcome::ALL
            .iter()
            .map(|o| spets::i18n::vocab::Label::label(*o, lang))
            .collect();
        for item in outcomes.iter().flat_map(|o| csvio::split_list(o)) {
            let (label, n) = item.split_once(": ").unwrap();
            assert!(labels.contains(&label), "{item:?}");
            assert!(n.parse::<u32>().unwrap() > 0);
        }
        assert!(outcomes.iter().any(|o| !o.is_empty()), "{outcomes:?}");

        let (bytes, n) = export(&c, Dataset::PhaseHistory, &Scope::All, &eo);
        let (h, rows) = parse(&bytes, eo.dialect);
        assert!(n > 0 && rows.len() == n);
        let want: &[&str] = if sv {
            &[
                "Partner-ID",
                "Partner",
                "Datum",
                "Från fas",
                "Till fas",
                "Användare",
                "Motivering",
                "Åsidosatta kriterier",
            ]
        } else {
            &[
                "Partner ID",
                "Partner",
                "Date",
                "From phase",
                "To phase",
                "User",
                "Reason",
                "Overridden criteria",
            ]
        };
        assert_eq!(h, want);
        let from = column(&h, &rows, &h[3]);
        assert!(from.contains(&spets::i18n::vocab::Label::label(
            spets::domain::Phase::Prospect,
            lang
        )));
        assert!(column(&h, &rows, &h[6]).iter().all(|r| !r.is_empty()));
    }
    // Machine names: stable keys, machine words.
    let eo = ExportOptions::new(Dialect::Rfc4180, Naming::Machine);
    let (bytes, _) = export(&c, Dataset::PhaseHistory, &Scope::All, &eo);
    let (h, rows) = parse(&bytes, Dialect::Rfc4180);
    assert_eq!(
        h,
        [
            "partner_id",
            "partner",
            "date",
            "from",
            "to",
            "user",
            "reason",
            "overridden"
        ]
    );
    assert!(column(&h, &rows, "from").contains(&"prospect"));
    // A partner filter selects the partners' records.
    let q = csvio::parse_filter(&c, Dataset::Goals, "phase=running", Lang::En).unwrap();
    let (_, some) = export(&c, Dataset::Goals, &q, &ExportOptions::for_lang(Lang::En));
    let (_, all) = export(
        &c,
        Dataset::Goals,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
    );
    assert!(some < all, "{some} < {all}");
}

#[test]
fn goals_export_imports_into_another_workspace_in_both_languages() {
    let a = tempfile::tempdir().unwrap();
    let src = demo(a.path(), 30, 300, 20);
    let src = client(&src, Role::Viewer);
    for lang in [Lang::Sv, Lang::En] {
        let b = tempfile::tempdir().unwrap();
        let dst = empty(b.path());
        let dst = client(&dst, Role::Editor);
        let eo = ExportOptions::for_lang(lang);
        for (dataset, kind) in [
            (Dataset::Partners, ImportKind::Partners),
            (Dataset::Goals, ImportKind::Goals),
        ] {
            let (bytes, n) = export(&src, dataset, &Scope::All, &eo);
            let report = csvio::import_bytes(&dst, kind, &bytes, &opts(lang)).unwrap();
            assert!(report.is_clean(), "{dataset}: {report}");
            assert_eq!((report.rows, report.written), (n, n), "{dataset}");
        }
        // Both workspaces export the same goals, but for ids and the follow-up (no activities).
        let strip = |c: &dyn Client| {
            let eo = ExportOptions::new(Dialect::Rfc4180, Naming::Machine);
            let (bytes, _) = export(c, Dataset::Goals, &Scope::All, &eo);
            let (_, rows) = parse(&bytes, Dialect::Rfc4180);
            let mut rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[2..10].to_vec()).collect();
            rows.sort();
            rows
        };
        assert_eq!(strip(&src), strip(&dst));
        // Importing the same file again finds every goal a duplicate and writes nothing.
        let (bytes, n) = export(&src, Dataset::Goals, &Scope::All, &eo);
        let report = csvio::import_bytes(&dst, ImportKind::Goals, &bytes, &opts(lang)).unwrap();
        assert_eq!(report.written, 0);
        assert_eq!(report.problems.len(), n);
    }
}

#[test]
fn bad_goal_rows_are_refused_with_precise_messages_and_nothing_is_written() {
    let a = tempfile::tempdir().unwrap();
    let svc = demo(a.path(), 10, 50, 5);
    let c = client(&svc, Role::Editor);
    let eo = ExportOptions::for_lang(Lang::En);
    let (_, before) = export(&c, Dataset::Goals, &Scope::All, &eo);
    let (bytes, _) = export(&c, Dataset::Partners, &Scope::All, &eo);
    let (h, rows) = parse(&bytes, Dialect::ExcelEn);
    let name = column(&h, &rows, "Name")[0].to_string();
    let long = "x".repeat(spets::domain::limits::LINE_CHARS + 1);
    let file = format!(
        "Partner,Goal,Added values,Deadline,Status\n\
         {name},A fine goal,Quality | Impact,2027-06-30,Open\n\
         Nowhere University,Goal two,,,\n\
         {name},Goal three,,,Finished\n\
         {name},Goal four,Fame,,\n\
         {name},Goal five,,next spring,\n\
         {name},{long},,,\n"
    );
    for lang in [Lang::En, Lang::Sv] {
        let report =
            csvio::import_bytes(&c, ImportKind::Goals, file.as_bytes(), &opts(lang)).unwrap();
        assert_eq!((report.rows, report.valid, report.written), (6, 1, 0));
        let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        let want: Vec<String> = match lang {
            Lang::En => vec![
                "row 3, column \"Partner\": \"Nowhere University\" is not the name of a partner in this workspace; check the spelling, or import the partners first".into(),
                "row 4, column \"Status\": \"Finished\" is not a goal status; valid: Open, Reached, Dropped".into(),
                "row 5, column \"Added values\": \"Fame\" is not an added value; valid: Quality, Resources, Impact, Influence, Reputation, Cultural change".into(),
                "row 6, column \"Deadline\": \"next spring\" is not a date (YYYY-MM-DD, e.g. 2026-03-31)".into(),
            ],
            Lang::Sv => vec![
                "rad 3, kolumn \"Partner\": \"Nowhere University\" är inte namnet på en partner i arbetsytan; kontrollera stavningen, eller importera partnerna först".into(),
                "rad 4, kolumn \"Status\": \"Finished\" är inte en målstatus; giltiga: Öppet, Uppnått, Avskrivet".into(),
                "rad 5, kolumn \"Added values\": \"Fame\" är inte ett mervärde; giltiga: Kvalitet, Resurser, Samhällspåverkan, Inflytande, Anseende, Kulturförändring".into(),
                "rad 6, kolumn \"Deadline\": \"next spring\" är inte ett datum (ÅÅÅÅ-MM-DD, t.ex. 2026-03-31)".into(),
            ],
        };
        assert_eq!(&lines[..4], &want[..], "{lines:#?}");
        assert!(
            lines[4].starts_with(match lang {
                Lang::En => "row 7, column \"Goal\": \"xxx",
                Lang::Sv => "rad 7, kolumn \"Goal\": \"xxx",
            }),
            "{}",
            lines[4]
        );
        let long_msg = match lang {
            Lang::En => "501",
            Lang::Sv => "har 501 tecken",
        };
        assert!(lines[4].contains(long_msg), "{}", lines[4]);
        assert_eq!(lines.len(), 5);
    }
    let (_, after) = export(&c, Dataset::Goals, &Scope::All, &eo);
    assert_eq!(before, after, "nothing was written");
}

#[test]
fn demo_fills_rhythms_evaluations_and_phase_histories() {
    let dir = tempfile::tempdir().unwrap();
    let store = spets::store::Store::open(dir.path()).unwrap();
    let spec = spets::demo::DemoSpec {
        partners: 60,
        activities: 400,
        notes: 40,
        seed: 11,
        today: today(),
        me: "anna.lind".into(),
    };
    let s = spets::demo::generate(&store, &spec, "anna.lind").unwrap();
    assert!(
        s.rhythms > 0 && s.evaluations > 0 && s.phase_changes > 0,
        "{s:?}"
    );
    let again = tempfile::tempdir().unwrap();
    let store2 = spets::store::Store::open(again.path()).unwrap();
    assert_eq!(
        spets::demo::generate(&store2, &spec, "anna.lind").unwrap(),
        s,
        "deterministic"
    );
    drop(store2);
    let svc = std::sync::Arc::new(Service::new(store).unwrap().with_today(today()));
    let c = client(&svc, Role::Viewer);
    let (mut recent, mut overdue, mut own_rhythm, mut changes, mut evals) = (0, 0, 0, 0, 0);
    for id in partner_ids(&c) {
        let l = life(&c, id);
        for (i, a) in l.evaluations.iter().enumerate() {
            for b in &l.evaluations[i + 1..] {
                assert!(
                    !a.data.overlaps(&b.data),
                    "{:?} overlaps {:?}",
                    a.data,
                    b.data
                );
            }
        }
        if let Some(latest) = l.evaluations.first() {
            match latest.data.next {
                Some(n) if n < today() => overdue += 1,
                Some(_) => recent += 1,
                None => {}
            }
        }
        evals += l.evaluations.len();
        changes += l.phases.len();
        // The history leads to the phase the partner is in, oldest first.
        if let Some(last) = l.phases.first() {
            let p = match c.call(Request::Get {
                kind: spets::domain::EntityKind::Partner,
                id,
            }) {
                Response::Record(AnyRecord::Partner(p)) => p,
                r => panic!("{r:?}"),
            };
            assert_eq!(last.data.to, p.data.phase);
            assert!(
                l.phases
                    .iter()
                    .all(|c| !c.data.reason.is_empty() && c.data.date <= today())
            );
        }
        if l.governance.as_ref().is_some_and(|g| g.rhythm.is_some()) {
            own_rhythm += 1;
        }
    }
    assert_eq!((changes, evals), (s.phase_changes, s.evaluations));
    assert!(
        recent > 0 && overdue > 0,
        "recent {recent}, overdue {overdue}"
    );
    assert!(own_rhythm > 0, "{own_rhythm}");
}
