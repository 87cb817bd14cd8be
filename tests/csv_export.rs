//! CSV export: every dataset round-trips through the csv crate, the bytes of each dialect, the
//! formula guard, Swedish characters, filtered scope, files (atomic, 0600, cancel, errors), roles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;

use csv_support::*;
use spets::client::Client;
use spets::csvio::labels::{Label, bool_cell};
use spets::csvio::{self, Dataset, Dialect, ExportError, ExportOptions, Naming, Scope};
use spets::domain::*;
use spets::i18n::Lang;
use spets::service::*;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

fn join<S: AsRef<str>>(v: &[S]) -> String {
    let mut s = String::new();
    csvio::join_list(&mut s, v);
    s
}

fn ids(v: &[Id]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn od(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn on(n: Option<u8>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn en_list<E: Label>(v: &[E], l: Option<Lang>) -> String {
    join(&v.iter().map(|e| e.cell(l)).collect::<Vec<_>>())
}

/// The rows every dataset should hold, built straight from the service's answers.
fn expected(c: &dyn Client, dataset: Dataset, l: Option<Lang>) -> Vec<Vec<String>> {
    // Partners come in name order of the export's language (Å, Ä, Ö after Z in Swedish).
    let partners = match c.call(Request::Partners(PartnerQuery {
        lang: l.unwrap_or(Lang::En),
        ..PartnerQuery::default()
    })) {
        Response::Partners(p) => p.items,
        r => panic!("{r:?}"),
    };
    let mut names: HashMap<Id, String> = HashMap::new();
    for p in &partners {
        names.insert(p.id, p.name.clone());
    }
    let pn = |v: &[Id]| join(&v.iter().map(|i| names[i].clone()).collect::<Vec<_>>());
    let mut rows = Vec::new();
    match dataset {
        Dataset::Partners => {
            for row in &partners {
                let Response::Record(AnyRecord::Partner(r)) = c.call(Request::Get {
                    kind: EntityKind::Partner,
                    id: row.id,
                }) else {
                    panic!()
                };
                let p = &r.data;
                rows.push(vec![
                    row.id.to_string(),
                    p.name.clone(),
                    p.short_name.clone().unwrap_or_default(),
                    p.kind.cell(l).into(),
                    p.country.clone(),
                    p.city.clone(),
                    p.website.clone(),
                    p.phase.cell(l).into(),
                    p.tier.cell(l).into(),
                    en_list(&p.formats, l),
                    join(&p.faculties),
                    join(&p.tags),
                    join(&p.sponsors_ours),
                    join(&p.sponsors_partner),
                    p.coordinator.clone(),
                ]);
            }
        }
        Dataset::Agreements | Dataset::Contacts => {
            for row in &partners {
                let Response::PartnerDetail(det) = c.call(Request::PartnerDetail(row.id)) else {
                    panic!()
                };
                if dataset == Dataset::Agreements {
                    for r in &det.agreements {
                        let a = &r.data;
                        rows.push(vec![
                            r.meta.id.to_string(),
                            a.partner.to_string(),
                            names[&a.partner].clone(),
                            a.kind.cell(l).into(),
                            a.title.clone(),
                            od(a.signed),
                            a.start.to_string(),
                            od(a.end),
                            join(&a.signatories),
                            a.renewal_lead_months.to_string(),
                            a.status.cell(l).into(),
                            od(a.renewal_draft_sent),
                            od(a.renewal_signed),
                        ]);
                    }
                } else {
                    for r in &det.contacts {
                        let x = &r.data;
                        rows.push(vec![
                            r.meta.id.to_string(),
                            x.partner.to_string(),
                            names[&x.partner].clone(),
                            x.side.cell(l).into(),
                            x.name.clone(),
                            x.role.cell(l).into(),
                            x.email.clone(),
                            x.phone.clone(),
                        ]);
                    }
                }
            }
        }
        Dataset::Activities => {
            let Response::Activities(p) = c.call(Request::Activities(ActivityQuery::default()))
            else {
                panic!()
            };
            for r in &p.items {
                let a = &r.data;
                rows.push(vec![
                    r.meta.id.to_string(),
                    a.date.to_string(),
                    od(a.end_date),
                    ids(&a.partners),
                    pn(&a.partners),
                    a.kind.cell(l).into(),
                    a.title.clone(),
                    a.description.clone(),
                    en_list(&a.values, l),
                    a.status.cell(l).into(),
                    a.owner.clone(),
                ]);
            }
        }
        Dataset::Matrix => {
            let q = MatrixQuery {
                partners: PartnerQuery {
                    lang: l.unwrap_or(Lang::En),
                    ..PartnerQuery::default()
                },
                ..MatrixQuery::default()
            };
            let Response::Matrix(m) = c.call(Request::Matrix(q)) else {
                panic!()
            };
            for r in &m.rows.items {
                let mut row = vec![r.partner.to_string(), r.name.clone()];
                for cell in &r.scores {
                    row.push(on(cell.map(|c| c.score)));
                    row.push(on(cell.and_then(|c| c.target)));
                }
                rows.push(row);
            }
        }
        Dataset::Assessments => {
            for p in &partners {
                for v in AddedValue::ALL {
                    let Response::Assessments(list) = c.call(Request::AssessmentHistory {
                        partner: p.id,
                        value: *v,
                    }) else {
                        panic!()
                    };
                    for r in list.iter().rev() {
                        let a = &r.data;
                        rows.push(vec![
                            r.meta.id.to_string(),
                            a.partner.to_string(),
                            names[&a.partner].clone(),
                            a.value.cell(l).into(),
                            a.score.to_string(),
                            on(a.target),
                            a.date.to_string(),
                            a.assessor.clone(),
                            a.evidence.clone(),
                        ]);
                    }
                }
            }
        }
        Dataset::Notes => {
            let Response::Notes(p) = c.call(Request::Notes(NoteQuery::default())) else {
                panic!()
            };
            for r in &p.items {
                let n = &r.data;
                rows.push(vec![
                    r.meta.id.to_string(),
                    n.date.to_string(),
                    n.kind.cell(l).into(),
                    n.title.clone(),
                    ids(&n.partners),
                    pn(&n.partners),
                    join(&n.attendees),
                    n.body.clone(),
                    join(&n.decisions),
                    n.actions.len().to_string(),
                ]);
            }
        }
        Dataset::Actions => {
            let Response::ActionItems(list) = c.call(Request::ActionItems(ActionQuery::default()))
            else {
                panic!()
            };
            for r in &list {
                rows.push(vec![
                    r.note.to_string(),
                    r.note_date.to_string(),
                    r.note_title.clone(),
                    ids(&r.partners),
                    pn(&r.partners),
                    (r.index + 1).to_string(),
                    r.item.text.clone(),
                    r.item.owner.clone(),
                    od(r.item.due),
                    bool_cell(r.item.done, l).into(),
                    bool_cell(r.overdue, l).into(),
                ]);
            }
        }
        Dataset::Goals | Dataset::Evaluations | Dataset::PhaseHistory => {
            for row in &partners {
                let Response::Lifecycle(life) = c.call(Request::Lifecycle(row.id)) else {
                    panic!()
                };
                let name = names[&row.id].clone();
                let pid = row.id.to_string();
                if dataset == Dataset::Goals {
                    for f in &life.goals {
                        let g = &f.goal.data;
                        let acts = f.linked.iter().filter(|x| x.source == LinkSource::Activity);
                        rows.push(vec![
                            f.goal.meta.id.to_string(),
                            pid.clone(),
                            name.clone(),
                            g.text.clone(),
                            en_list(&g.values, l),
                            g.indicator.clone(),
                            g.target.clone(),
                            od(g.deadline),
                            g.status.cell(l).into(),
                            g.owner.clone(),
                            acts.count().to_string(),
                            od(f.last),
                            bool_cell(f.no_follow_up, l).into(),
                        ]);
                    }
                } else if dataset == Dataset::Evaluations {
                    for r in life.evaluations.iter().rev() {
                        let e = &r.data;
                        let mut cells = vec![
                            r.meta.id.to_string(),
                            pid.clone(),
                            name.clone(),
                            e.start.to_string(),
                            e.end.to_string(),
                            e.decision.cell(l).into(),
                            od(e.next),
                        ];
                        for s in e.characteristics.iter().chain(&e.values) {
                            cells.extend([on(s.ours), on(s.partner)]);
                        }
                        let counts: Vec<String> = GoalOutcome::ALL
                            .iter()
                            .map(|o| (o, e.goals.iter().filter(|g| g.outcome == *o).count()))
                            .filter(|(_, n)| *n > 0)
                            .map(|(o, n)| format!("{}: {n}", o.cell(l)))
                            .collect();
                        cells.push(join(&counts));
                        rows.push(cells);
                    }
                } else {
                    for r in life.phases.iter().rev() {
                        let p = &r.data;
                        rows.push(vec![
                            pid.clone(),
                            name.clone(),
                            p.date.to_string(),
                            p.from.cell(l).into(),
                            p.to.cell(l).into(),
                            r.meta.created_by.clone(),
                            p.reason.clone(),
                            en_list(&p.unmet, l),
                        ]);
                    }
                }
            }
        }
        Dataset::Audit => {
            let Response::Audit(list) = c.call(Request::Audit(AuditQuery::default())) else {
                panic!()
            };
            for e in &list {
                let changes: Vec<String> = e
                    .changes
                    .iter()
                    .map(|c| format!("{}: {} → {}", c.field, c.old, c.new))
                    .collect();
                let action = match l {
                    None => e.action.key().to_string(),
                    Some(_) => String::new(),
                };
                let kind = match l {
                    None => e.kind.key().to_string(),
                    Some(_) => String::new(),
                };
                rows.push(vec![
                    e.seq.to_string(),
                    e.at.iso(),
                    e.user.clone(),
                    action,
                    kind,
                    e.id.to_string(),
                    e.version.to_string(),
                    e.label.clone(),
                    join(&changes),
                ]);
            }
        }
    }
    rows
}

#[test]
fn every_dataset_round_trips_through_the_csv_crate() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 30, 400, 60);
    let c = client(&svc, Role::Admin);
    for dataset in Dataset::ALL {
        for (dialect, naming) in [
            (Dialect::Rfc4180, Naming::Machine),
            (Dialect::ExcelSv, Naming::Labels(Lang::Sv)),
            (Dialect::ExcelEn, Naming::Labels(Lang::En)),
            (Dialect::ExcelSv, Naming::Machine),
        ] {
            let opts = ExportOptions::new(dialect, naming);
            let (bytes, n) = export(&c, *dataset, &Scope::All, &opts);
            let (header, mut rows) = parse(&bytes, dialect);
            let l = match naming {
                Naming::Labels(l) => Some(l),
                Naming::Machine => None,
            };
            let cols = csvio::columns::of(*dataset);
            assert_eq!(
                header,
                cols.iter().map(|c| c.header(l)).collect::<Vec<_>>(),
                "{dataset} header"
            );
            let want = expected(&c, *dataset, l);
            assert!(!want.is_empty(), "{dataset}: the demo has rows");
            assert_eq!(n, want.len(), "{dataset} {dialect}: row count");
            if *dataset == Dataset::Audit && l.is_some() {
                // Labels of audit actions and kinds are checked elsewhere; compare the rest.
                for r in &mut rows {
                    r[3].clear();
                    r[4].clear();
                }
            }
            assert_eq!(rows.len(), want.len(), "{dataset} {dialect}");
            let mut want = want;
            if *dataset == Dataset::Activities {
                // Activities are exported in storage (id) order, the fast sequential path.
                let by_id = |r: &Vec<String>| r[0].parse::<u64>().unwrap();
                rows.sort_by_key(by_id);
                want.sort_by_key(by_id);
            }
            for (i, (got, want)) in rows.iter().zip(&want).enumerate() {
                assert_eq!(got, want, "{dataset} {dialect} {naming:?}: row {}", i + 2);
            }
        }
    }
}

#[test]
fn typed_round_trip_of_activities_and_partners() {
    // Parse the Swedish Excel file back into records and compare with the store.
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 25, 300, 10);
    let c = client(&svc, Role::Viewer);
    let opts = ExportOptions::for_lang(Lang::Sv);
    let (bytes, _) = export(&c, Dataset::Activities, &Scope::All, &opts);
    let (_, rows) = parse(&bytes, Dialect::ExcelSv);
    let Response::Activities(mut p) = c.call(Request::Activities(ActivityQuery::default())) else {
        panic!()
    };
    // Exported in storage (id) order.
    p.items.sort_by_key(|r| r.meta.id);
    assert_eq!(rows.len(), p.items.len());
    for (row, r) in rows.iter().zip(&p.items) {
        let parsed = Activity {
            date: d(&row[1]),
            end_date: (!row[2].is_empty()).then(|| d(&row[2])),
            partners: csvio::split_list(&row[3])
                .iter()
                .map(|s| Id(s.parse().unwrap()))
                .collect(),
            kind: ActivityKind::parse(&row[5]).unwrap(),
            title: row[6].clone(),
            description: row[7].clone(),
            values: csvio::split_list(&row[8])
                .iter()
                .map(|s| AddedValue::parse(s).unwrap())
                .collect(),
            status: ActivityStatus::parse(&row[9]).unwrap(),
            owner: row[10].clone(),
        };
        assert_eq!(row[0], r.meta.id.to_string());
        assert_eq!(parsed, r.data);
    }
    let (bytes, _) = export(&c, Dataset::Partners, &Scope::All, &opts);
    let (_, rows) = parse(&bytes, Dialect::ExcelSv);
    for row in rows {
        let id = Id(row[0].parse().unwrap());
        let Response::Record(AnyRecord::Partner(r)) = c.call(Request::Get {
            kind: EntityKind::Partner,
            id,
        }) else {
            panic!()
        };
        assert_eq!(row[1], r.data.name);
        assert_eq!(OrgKind::parse(&row[3]), Some(r.data.kind));
        assert_eq!(Phase::parse(&row[7]), Some(r.data.phase));
        let formats: Vec<Format> = csvio::split_list(&row[9])
            .iter()
            .map(|s| Format::parse(s).unwrap())
            .collect();
        assert_eq!(formats, r.data.formats);
        assert_eq!(csvio::split_list(&row[11]), r.data.tags);
    }
}

/// A small workspace with one hand-made partner and activity.
fn tiny(
    dir: &std::path::Path,
    name: &str,
    title: &str,
    description: &str,
) -> std::sync::Arc<Service> {
    let svc = empty(dir);
    let c = client(&svc, Role::Editor);
    let p = Partner {
        name: name.into(),
        short_name: None,
        kind: OrgKind::University,
        country: "SE".into(),
        city: "Örebro".into(),
        website: String::new(),
        phase: Phase::Running,
        tier: Tier::Strategic,
        formats: vec![Format::Research, Format::StudentMobility],
        faculties: vec![],
        goals: vec![],
        tags: vec![],
        sponsors_ours: vec![],
        sponsors_partner: vec![],
        coordinator: "åsa".into(),
    };
    let Response::Saved { id, .. } = c.call(Request::Create(AnyData::Partner(p))) else {
        panic!()
    };
    let a = Activity {
        date: d("2026-03-05"),
        end_date: None,
        partners: vec![id],
        kind: ActivityKind::Meeting,
        title: title.into(),
        description: description.into(),
        values: vec![AddedValue::Quality, AddedValue::CulturalChange],
        status: ActivityStatus::Done,
        owner: "anna.lind".into(),
    };
    let r = c.call(Request::Create(AnyData::Activity(a)));
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    svc
}

fn activity_bytes(svc: &std::sync::Arc<Service>, opts: &ExportOptions) -> Vec<u8> {
    export(
        &client(svc, Role::Viewer),
        Dataset::Activities,
        &Scope::All,
        opts,
    )
    .0
}

#[test]
fn exact_bytes_of_each_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let svc = tiny(dir.path(), "Åbo Akademi", "Möte; om \"avtal\", steg 2", "");
    let id = |k: EntityKind| -> Id {
        match k {
            EntityKind::Partner => Id(1),
            _ => Id(2),
        }
    };
    let (pid, aid) = (id(EntityKind::Partner), id(EntityKind::Activity));
    let sv = activity_bytes(
        &svc,
        &ExportOptions::new(Dialect::ExcelSv, Naming::Labels(Lang::Sv)),
    );
    let want_sv = format!(
        "\u{feff}ID;Datum;Slutdatum;Partner-ID;Partner;Typ;Titel;Beskrivning;Mervärden;Status;Ansvarig\r\n\
         {aid};2026-03-05;;{pid};Åbo Akademi;Möte;\"Möte; om \"\"avtal\"\", steg 2\";;Kvalitet | Kulturförändring;Genomförd;anna.lind\r\n"
    );
    assert_eq!(String::from_utf8(sv.clone()).unwrap(), want_sv);
    assert_eq!(&sv[..3], b"\xEF\xBB\xBF");
    let en = activity_bytes(
        &svc,
        &ExportOptions::new(Dialect::ExcelEn, Naming::Labels(Lang::En)),
    );
    let want_en = format!(
        "\u{feff}ID,Date,End date,Partner IDs,Partners,Kind,Title,Description,Added values,Status,Owner\r\n\
         {aid},2026-03-05,,{pid},Åbo Akademi,Meeting,\"Möte; om \"\"avtal\"\", steg 2\",,Quality | Cultural change,Done,anna.lind\r\n"
    );
    assert_eq!(String::from_utf8(en).unwrap(), want_en);
    let rfc = activity_bytes(&svc, &ExportOptions::new(Dialect::Rfc4180, Naming::Machine));
    let want_rfc = format!(
        "id,date,end_date,partner_ids,partners,kind,title,description,values,status,owner\r\n\
         {aid},2026-03-05,,{pid},Åbo Akademi,meeting,\"Möte; om \"\"avtal\"\", steg 2\",,quality | cultural_change,done,anna.lind\r\n"
    );
    assert_eq!(String::from_utf8(rfc.clone()).unwrap(), want_rfc);
    assert!(!rfc.starts_with(b"\xEF\xBB\xBF"));
    // Swedish characters are plain UTF-8 bytes.
    assert!(sv.windows(2).any(|w| w == "Å".as_bytes()));
    assert!(sv.windows(2).any(|w| w == "ä".as_bytes()));
    assert!(sv.windows(2).any(|w| w == "ö".as_bytes()));
}

#[test]
fn formula_guard_in_excel_dialects_only() {
    let cases = [
        ("=HYPERLINK(\"http://x\")", true),
        ("+46 31 772 10 00", true),
        ("-2+3+cmd|' /C calc'!A0", true),
        ("@SUM(A1:A2)", true),
        ("'=already quoted", true),
        ("-5", false),
        ("-3,5", false),
        ("+46", false),
        ("Öppet möte", false),
        ("a=b", false),
    ];
    for (title, guarded) in cases {
        let dir = tempfile::tempdir().unwrap();
        let svc = tiny(dir.path(), "Lunds universitet", title, "\tindented");
        for dialect in [Dialect::ExcelSv, Dialect::ExcelEn] {
            let bytes = activity_bytes(&svc, &ExportOptions::new(dialect, Naming::Machine));
            let mut r = csv::ReaderBuilder::new()
                .delimiter(dialect.delimiter())
                .from_reader(&bytes[3..]);
            let row = r.records().next().unwrap().unwrap();
            let cell = &row[6];
            if guarded {
                assert_eq!(cell, format!("'{title}"), "{dialect}");
            } else {
                assert_eq!(cell, title, "{dialect}");
            }
            assert_eq!(csvio::unguard(cell), title);
            // Ids and other numeric columns are never touched.
            assert!(row[0].parse::<u64>().is_ok());
            // clean_multiline turns the tab into spaces, so the description is not a formula.
            assert_eq!(&row[7], "    indented");
        }
        let bytes = activity_bytes(&svc, &ExportOptions::new(Dialect::Rfc4180, Naming::Machine));
        let mut r = csv::Reader::from_reader(&bytes[..]);
        assert_eq!(
            &r.records().next().unwrap().unwrap()[6],
            title,
            "rfc4180 writes cells verbatim"
        );
        // The guard can be switched off for Excel dialects too.
        let mut opts = ExportOptions::new(Dialect::ExcelEn, Naming::Machine);
        opts.guard_formulas = false;
        let bytes = activity_bytes(&svc, &opts);
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(&r.records().next().unwrap().unwrap()[6], title);
    }
}

#[test]
fn guard_covers_phone_numbers_and_keeps_scores() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 20, 50, 5);
    let c = client(&svc, Role::Viewer);
    let (bytes, _) = export(
        &c,
        Dataset::Contacts,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
    );
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    // Demo phone numbers start with +: guarded.
    assert!(body.contains(",'+"), "{}", &body[..300]);
    let (bytes, _) = export(
        &c,
        Dataset::Matrix,
        &Scope::All,
        &ExportOptions::for_lang(Lang::Sv),
    );
    let (_, rows) = parse(&bytes, Dialect::ExcelSv);
    for r in rows {
        for cell in &r[2..] {
            assert!(
                cell.is_empty() || cell.parse::<u8>().is_ok_and(|s| s <= 4),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn filtered_scope_exports_exactly_what_the_filter_selects() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 40, 600, 40);
    let c = client(&svc, Role::Viewer);
    let opts = ExportOptions::new(Dialect::Rfc4180, Naming::Machine);
    // Partners by phase and country, through the CLI filter syntax (labels in either language).
    for expr in [
        "phase=running",
        "phase=Pågående",
        "phase=Running",
        "kind=university,tier=strategic",
        "country=se",
    ] {
        let scope = csvio::parse_filter(&c, Dataset::Partners, expr, Lang::En).unwrap();
        let Scope::Partners(q) = &scope else { panic!() };
        let Response::Partners(p) = c.call(Request::Partners(q.clone())) else {
            panic!()
        };
        let (bytes, n) = export(&c, Dataset::Partners, &scope, &opts);
        let (_, rows) = parse(&bytes, Dialect::Rfc4180);
        assert_eq!(n, p.total, "{expr}");
        let got: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        let want: Vec<String> = p.items.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(got, want, "{expr}");
        assert!(n > 0 && n < 40, "{expr}: {n}");
    }
    // Activities: kind + date range; the query struct directly (what a pane's filter holds).
    let q = ActivityQuery {
        kind: Some(ActivityKind::Meeting),
        from: Some(d("2024-01-01")),
        to: Some(d("2025-06-30")),
        ..Default::default()
    };
    let Response::Activities(p) = c.call(Request::Activities(q.clone())) else {
        panic!()
    };
    let (bytes, n) = export(&c, Dataset::Activities, &Scope::Activities(q), &opts);
    let (_, rows) = parse(&bytes, Dialect::Rfc4180);
    assert_eq!(n, p.total);
    assert!(n > 0);
    // The same records as the pane shows (exported in storage order).
    let mut got: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    let mut shown: Vec<u64> = p.items.iter().map(|r| r.meta.id.0).collect();
    got.sort_unstable();
    shown.sort_unstable();
    assert_eq!(got, shown);
    assert!(rows.iter().all(|r| r[5] == "meeting"
        && r[1].as_str() >= "2024-01-01"
        && r[1].as_str() <= "2025-06-30"));
    // With the pane's other filters too.
    let q = ActivityQuery {
        newest_first: true,
        value: Some(AddedValue::Impact),
        ..Default::default()
    };
    let Response::Activities(p) = c.call(Request::Activities(q.clone())) else {
        panic!()
    };
    let (bytes, _) = export(&c, Dataset::Activities, &Scope::Activities(q), &opts);
    let (_, rows) = parse(&bytes, Dialect::Rfc4180);
    // The same records as the pane shows (exported in storage order).
    let mut got: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    let mut shown: Vec<u64> = p.items.iter().map(|r| r.meta.id.0).collect();
    got.sort_unstable();
    shown.sort_unstable();
    assert_eq!(got, shown);
    // Notes of one partner, by name.
    let Response::Partners(pp) = c.call(Request::Partners(PartnerQuery::default())) else {
        panic!()
    };
    let first = &pp.items[0];
    let scope = csvio::parse_filter(
        &c,
        Dataset::Notes,
        &format!("partner={}", first.name),
        Lang::En,
    )
    .unwrap();
    let Response::Notes(notes) = c.call(Request::Notes(NoteQuery {
        partner: Some(first.id),
        ..Default::default()
    })) else {
        panic!()
    };
    let (_, n) = export(&c, Dataset::Notes, &scope, &opts);
    assert_eq!(n, notes.total);
    // A filter that does not fit the dataset is refused.
    let err = csvio::export_to_writer(
        &c,
        Dataset::Partners,
        &Scope::Activities(ActivityQuery::default()),
        &opts,
        &mut Vec::new(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the partners export cannot use a activity filter"
    );
}

#[test]
fn filter_errors_name_the_term_and_the_valid_choices() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 10, 20, 2);
    let c = client(&svc, Role::Viewer);
    let e =
        |d: Dataset, x: &str, l: Lang| csvio::parse_filter(&c, d, x, l).unwrap_err().to_string();
    assert_eq!(
        e(Dataset::Activities, "colour=red", Lang::En),
        "unknown filter field \"colour\" in \"colour=red\"; the activities filter takes from, to, partner, kind, status, value, text"
    );
    assert_eq!(
        e(Dataset::Partners, "phase", Lang::Sv),
        "filtervillkoret \"phase\" har inte formen fält=värde; filtret för partners tar text, phase, kind, country, tier"
    );
    assert_eq!(
        e(Dataset::Activities, "from=28/11/2026", Lang::En),
        "filter term \"from=28/11/2026\": \"28/11/2026\" is not a date; valid: YYYY-MM-DD, e.g. 2026-01-31"
    );
    assert_eq!(
        e(Dataset::Partners, "tier=gold", Lang::En),
        "filter term \"tier=gold\": \"gold\" is not a tier; valid: Strategic, Other"
    );
    assert_eq!(
        e(Dataset::Partners, "tier=guld", Lang::Sv),
        "filtervillkoret \"tier=guld\": \"guld\" är inte en nivå; giltiga: Strategisk, Övrig"
    );
    assert_eq!(
        e(Dataset::Partners, "country=UK", Lang::En),
        "filter term \"country=UK\": \"UK\" is not an ISO 3166-1 alpha-2 country code; valid: SE, DE, JP, …"
    );
    assert_eq!(
        e(Dataset::Notes, "partner=Nobody Inc", Lang::En),
        "filter term \"partner=Nobody Inc\": no partner is named \"Nobody Inc\""
    );
    assert_eq!(
        e(Dataset::Audit, "user=x", Lang::En),
        "the audit export takes no filter"
    );
    // Terms run together with spaces instead of commas: say how to write them.
    assert_eq!(
        e(Dataset::Activities, "kind=meeting status=done", Lang::En),
        "filter term \"kind=meeting status=done\" holds more than one term; separate terms with commas: kind=meeting,status=done"
    );
    assert_eq!(
        e(Dataset::Partners, "phase=running  country=SE", Lang::Sv),
        "filtervillkoret \"phase=running  country=SE\" innehåller mer än ett villkor; skilj villkoren åt med kommatecken: phase=running,country=SE"
    );
    assert!(e(Dataset::Activities, "kind=lunch", Lang::En).starts_with(
        "filter term \"kind=lunch\": \"lunch\" is not an activity kind; valid: Meeting, Visit"
    ));
}

#[test]
fn files_are_atomic_private_and_cancellable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(&dir.path().join("ws"), 20, 3000, 10);
    let c = client(&svc, Role::Viewer);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let path = out.join("activities.csv");
    let opts = ExportOptions::for_lang(Lang::Sv);
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let n = csvio::export_to_path(
        &c,
        Dataset::Activities,
        &Scope::All,
        &opts,
        &path,
        &mut |p| seen.push(p),
        &cancel,
    )
    .unwrap();
    assert_eq!(n, 3000);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "no temporary file left"
    );
    assert!(seen.len() > 3, "progress is reported along the way");
    assert_eq!(seen.first().unwrap().total, Some(3000));
    assert_eq!(seen.last().unwrap().rows, 3000);
    assert!(seen.windows(2).all(|w| w[0].rows <= w[1].rows));
    // Overwriting keeps it private and complete.
    let n2 = csvio::export_to_path(
        &c,
        Dataset::Partners,
        &Scope::All,
        &opts,
        &path,
        &mut |_| {},
        &cancel,
    )
    .unwrap();
    assert_eq!(n2, 20);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Cancel half-way: an error, no new file, no temporary file.
    let path2 = out.join("cancelled.csv");
    let cancel = AtomicBool::new(false);
    let r = csvio::export_to_path(
        &c,
        Dataset::Activities,
        &Scope::All,
        &opts,
        &path2,
        &mut |p| {
            if p.rows >= 1000 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(matches!(r, Err(ExportError::Cancelled)), "{r:?}");
    assert_eq!(
        r.unwrap_err().to_string(),
        "the export was cancelled; no file was written"
    );
    assert!(!path2.exists());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    // A missing directory is named plainly.
    let missing = dir.path().join("nope").join("a.csv");
    let e = csvio::export_to_path(
        &c,
        Dataset::Partners,
        &Scope::All,
        &opts,
        &missing,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot write {}: the directory {} does not exist",
            missing.display(),
            dir.path().join("nope").display()
        )
    );
    // A directory as the target.
    let e = csvio::export_to_path(
        &c,
        Dataset::Partners,
        &Scope::All,
        &opts,
        &out,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("cannot write {}: it is a directory", out.display())
    );
}

#[test]
fn full_disk_is_reported_plainly() {
    // /dev/full answers every write with ENOSPC.
    assert!(
        std::path::Path::new("/dev/full").exists(),
        "this test needs /dev/full (Linux)"
    );
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 10, 200, 5);
    let c = client(&svc, Role::Viewer);
    let mut full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let e = csvio::export_to_writer(
        &c,
        Dataset::Activities,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
        &mut full,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    let ExportError::Write(io) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
}

#[test]
fn no_permission_is_reported_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(&dir.path().join("ws"), 10, 20, 2);
    let c = client(&svc, Role::Viewer);
    // root may write anywhere but sysfs, which refuses new files with EACCES.
    let ro = if rustix::process::geteuid().is_root() {
        std::path::PathBuf::from("/sys")
    } else {
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        ro
    };
    let path = ro.join("spets-export.csv");
    let e = csvio::export_to_path(
        &c,
        Dataset::Partners,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
        &path,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot write {}: no permission to write in {}",
            path.display(),
            ro.display()
        )
    );
}

#[test]
fn audit_is_for_admins() {
    let dir = tempfile::tempdir().unwrap();
    let svc = demo(dir.path(), 10, 20, 2);
    for role in [Role::Viewer, Role::Editor] {
        let c = client(&svc, role);
        let e = csvio::export_to_writer(
            &c,
            Dataset::Audit,
            &Scope::All,
            &ExportOptions::for_lang(Lang::En),
            &mut Vec::new(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            csvio::ExportError::Forbidden {
                denied: spets::service::Denied::AuditNeedsAdmin,
                ..
            }
        ));
        assert_eq!(
            spets::i18n::reasons::export_error(Lang::Sv, &e),
            format!(
                "bara en administratör får läsa ändringsloggen (din roll: {})",
                spets::i18n::vocab::role_label(Lang::Sv, role)
            )
        );
    }
    let (_, n) = export(
        &client(&svc, Role::Admin),
        Dataset::Audit,
        &Scope::All,
        &ExportOptions::for_lang(Lang::En),
    );
    assert!(n > 0);
}

#[test]
fn audit_labels_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let svc = tiny(dir.path(), "Åbo Akademi", "Möte", "");
    let c = client(&svc, Role::Admin);
    let (bytes, n) = export(
        &c,
        Dataset::Audit,
        &Scope::All,
        &ExportOptions::for_lang(Lang::Sv),
    );
    assert_eq!(n, 2);
    let (_, rows) = parse(&bytes, Dialect::ExcelSv);
    assert_eq!(
        (rows[0][3].as_str(), rows[0][4].as_str()),
        ("Skapad", "Aktivitet")
    );
    assert_eq!(
        (rows[1][3].as_str(), rows[1][4].as_str()),
        ("Skapad", "Partner")
    );
    assert!(rows[1][8].contains("name:  → Åbo Akademi"));
}
