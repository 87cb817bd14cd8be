//! One vocabulary: every enumerated value, in both languages, goes out to CSV as the label the
//! screen shows, comes back in through import and `--filter` as the same value, and no enumerated
//! cell of any export holds a word that is not in the catalogue (`spets::i18n::vocab`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod csv_support;

use common::{activity, create, editor, partner};
use csv_support::{client, export, parse};
use spets::csvio::{self, Dataset, Dialect, ExportOptions, ImportKind, ImportOptions, Naming};
use spets::domain::*;
use spets::i18n::Lang;
use spets::i18n::vocab::Label;
use spets::service::{AnyData, Request, Response, Role, Service};
use std::sync::Arc;

const LANGS: [Lang; 2] = [Lang::En, Lang::Sv];

/// A workspace where every value of every enumeration occurs at least once.
fn workspace(dir: &std::path::Path) -> (Arc<Service>, Vec<Id>) {
    let svc = Arc::new(Service::open(dir).unwrap().with_today(common::today()));
    let who = editor();
    let mut ids = Vec::new();
    for i in 0..Format::ALL.len() {
        let mut p = partner(&format!("Partner {i:02}"), "SE");
        p.kind = OrgKind::ALL[i % OrgKind::ALL.len()];
        p.phase = Phase::ALL[i % Phase::ALL.len()];
        p.tier = Tier::ALL[i % Tier::ALL.len()];
        p.formats = vec![Format::ALL[i]];
        let (id, _) = create(&svc, &who, AnyData::Partner(p));
        ids.push(id);
        let a = Agreement {
            partner: id,
            kind: AgreementKind::ALL[i % AgreementKind::ALL.len()],
            title: format!("Agreement {i}"),
            signed: None,
            start: common::d("2024-01-01"),
            end: Some(common::d("2028-12-31")),
            signatories: vec![],
            renewal_lead_months: 6,
            status: AgreementStatus::ALL[i % AgreementStatus::ALL.len()],
            renewal_draft_sent: None,
            renewal_signed: None,
        };
        create(&svc, &who, AnyData::Agreement(a));
        let c = Contact {
            partner: id,
            side: Side::ALL[i % Side::ALL.len()],
            name: format!("Contact {i}"),
            role: ContactRole::ALL[i % ContactRole::ALL.len()],
            email: String::new(),
            phone: String::new(),
        };
        create(&svc, &who, AnyData::Contact(c));
        let mut act = activity(
            id,
            &format!("2026-{:02}-10", i + 1),
            &format!("Activity {i}"),
        );
        act.kind = ActivityKind::ALL[i % ActivityKind::ALL.len()];
        act.status = ActivityStatus::ALL[i % ActivityStatus::ALL.len()];
        act.values = vec![AddedValue::ALL[i % AddedValue::ALL.len()]];
        create(&svc, &who, AnyData::Activity(act));
        let note = Note {
            partners: vec![id],
            date: common::d("2026-05-05"),
            title: format!("Note {i}"),
            kind: MeetingKind::ALL[i % MeetingKind::ALL.len()],
            attendees: vec![],
            body: String::new(),
            decisions: vec![],
            actions: vec![],
        };
        create(&svc, &who, AnyData::Note(note));
        let goal = Goal {
            partner: id,
            text: format!("Goal {i}"),
            values: vec![AddedValue::ALL[i % AddedValue::ALL.len()]],
            indicator: String::new(),
            target: String::new(),
            deadline: None,
            status: GoalStatus::ALL[i % GoalStatus::ALL.len()],
            owner: String::new(),
        };
        create(&svc, &who, AnyData::Goal(goal));
    }
    (svc, ids)
}

fn opts(lang: Lang) -> ExportOptions {
    ExportOptions::new(Dialect::for_lang(lang), Naming::Labels(lang))
}

/// The cells of one column of an export, by its header in `lang`.
fn column(bytes: &[u8], lang: Lang, dataset: Dataset, key: &str) -> Vec<String> {
    let (header, table) = parse(bytes, Dialect::for_lang(lang));
    let col = csvio::columns::of(dataset)
        .iter()
        .position(|c| c.key == key)
        .unwrap();
    assert_eq!(
        header[col],
        csvio::columns::of(dataset)[col].header(Some(lang))
    );
    table.iter().map(|r| r[col].clone()).collect()
}

/// Every cell is the label in `lang` of a value of `E` (split on ` | ` for lists).
fn all_labels<E: Label + std::fmt::Debug>(cells: &[String], lang: Lang, what: &str) -> Vec<E> {
    let mut out = Vec::new();
    for cell in cells {
        for item in csvio::split_list(cell) {
            let v = E::parse(&item).unwrap_or_else(|| panic!("{what}: {item:?} parses"));
            assert_eq!(
                item,
                v.label(lang),
                "{what}: {item:?} is not the catalogue's label"
            );
            out.push(v);
        }
    }
    for v in E::ALL {
        assert!(out.contains(v), "{what}: {v:?} never exported");
    }
    out
}

#[test]
fn every_label_exports_as_the_screen_shows_it_and_no_other_word_appears() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = workspace(&dir.path().join("ws"));
    let c = client(&svc, Role::Admin);
    for lang in LANGS {
        let o = opts(lang);
        let (p, _) = export(&c, Dataset::Partners, &Default::default(), &o);
        all_labels::<OrgKind>(&column(&p, lang, Dataset::Partners, "kind"), lang, "kind");
        all_labels::<Phase>(&column(&p, lang, Dataset::Partners, "phase"), lang, "phase");
        all_labels::<Tier>(&column(&p, lang, Dataset::Partners, "tier"), lang, "tier");
        all_labels::<Format>(
            &column(&p, lang, Dataset::Partners, "formats"),
            lang,
            "formats",
        );
        let (a, _) = export(&c, Dataset::Agreements, &Default::default(), &o);
        all_labels::<AgreementKind>(&column(&a, lang, Dataset::Agreements, "kind"), lang, "a");
        all_labels::<AgreementStatus>(&column(&a, lang, Dataset::Agreements, "status"), lang, "s");
        let (k, _) = export(&c, Dataset::Contacts, &Default::default(), &o);
        all_labels::<Side>(&column(&k, lang, Dataset::Contacts, "side"), lang, "side");
        all_labels::<ContactRole>(&column(&k, lang, Dataset::Contacts, "role"), lang, "role");
        let (x, _) = export(&c, Dataset::Activities, &Default::default(), &o);
        all_labels::<ActivityKind>(&column(&x, lang, Dataset::Activities, "kind"), lang, "k");
        all_labels::<ActivityStatus>(&column(&x, lang, Dataset::Activities, "status"), lang, "s");
        all_labels::<AddedValue>(&column(&x, lang, Dataset::Activities, "values"), lang, "v");
        let (n, _) = export(&c, Dataset::Notes, &Default::default(), &o);
        all_labels::<MeetingKind>(&column(&n, lang, Dataset::Notes, "kind"), lang, "meeting");
        let (g, _) = export(&c, Dataset::Goals, &Default::default(), &o);
        all_labels::<GoalStatus>(&column(&g, lang, Dataset::Goals, "status"), lang, "goal");
        all_labels::<AddedValue>(&column(&g, lang, Dataset::Goals, "values"), lang, "gv");
    }
}

#[test]
fn export_then_import_gives_every_value_back_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = workspace(&dir.path().join("ws"));
    let c = client(&svc, Role::Admin);
    for lang in LANGS {
        let o = opts(lang);
        let (p, _) = export(&c, Dataset::Partners, &Default::default(), &o);
        let (x, _) = export(&c, Dataset::Activities, &Default::default(), &o);
        let fresh = Arc::new(
            Service::open(&dir.path().join(format!("fresh-{}", lang.key())))
                .unwrap()
                .with_today(common::today()),
        );
        let f = client(&fresh, Role::Editor);
        // Imported in the other language's session: the words of either language are accepted.
        let io = ImportOptions::new(lang.toggle());
        let r = csvio::import_bytes(&f, ImportKind::Partners, &p, &io).unwrap();
        assert!(r.is_clean(), "{lang:?}: {:?}", r.problems);
        let r = csvio::import_bytes(&f, ImportKind::Activities, &x, &io).unwrap();
        assert!(r.is_clean(), "{lang:?}: {:?}", r.problems);
        let names = |s: &Service| -> Vec<(String, OrgKind, Phase, Tier, Vec<Format>)> {
            let who = editor();
            let Response::Partners(page) = s.handle(&who, Request::Partners(Default::default()))
            else {
                panic!()
            };
            let mut v: Vec<_> = page
                .items
                .iter()
                .map(|r| {
                    let Response::Record(spets::service::AnyRecord::Partner(p)) = s.handle(
                        &who,
                        Request::Get {
                            kind: EntityKind::Partner,
                            id: r.id,
                        },
                    ) else {
                        panic!()
                    };
                    let d = p.data;
                    (d.name, d.kind, d.phase, d.tier, d.formats)
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        assert_eq!(names(&svc), names(&fresh), "{lang:?}");
        let acts = |s: &Service| -> Vec<(String, ActivityKind, ActivityStatus, Vec<AddedValue>)> {
            let Response::Activities(page) =
                s.handle(&editor(), Request::Activities(Default::default()))
            else {
                panic!()
            };
            let mut v: Vec<_> = page
                .items
                .into_iter()
                .map(|r| (r.data.title, r.data.kind, r.data.status, r.data.values))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        assert_eq!(acts(&svc), acts(&fresh), "{lang:?}");
    }
}

/// Filtering by a value's label (as on screen, and its short form) selects exactly its records.
fn filters<E: Label + std::fmt::Debug>(
    c: &dyn spets::client::Client,
    dataset: Dataset,
    field: &str,
    expected: impl Fn(E) -> usize,
) {
    for lang in LANGS {
        for v in E::ALL {
            for spelling in [v.label(lang), v.short(lang), v.key()] {
                let scope = csvio::parse_filter(c, dataset, &format!("{field}={spelling}"), lang)
                    .unwrap_or_else(|e| panic!("{field}={spelling}: {e}"));
                let (_, n) = export(c, dataset, &scope, &opts(lang));
                assert_eq!(n, expected(*v), "{field}={spelling} ({lang:?})");
            }
            // Case and accents do not matter, and the other language's label works too.
            let folded = spets::domain::text::fold(v.label(lang.toggle()));
            let scope = csvio::parse_filter(c, dataset, &format!("{field}={folded}"), lang)
                .unwrap_or_else(|e| panic!("{field}={folded}: {e}"));
            assert_eq!(export(c, dataset, &scope, &opts(lang)).1, expected(*v));
        }
    }
}

#[test]
fn filters_take_the_label_on_screen_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, _) = workspace(&dir.path().join("ws"));
    let c = client(&svc, Role::Admin);
    let n = Format::ALL.len();
    let count = |len: usize, i: usize| (0..n).filter(|j| j % len == i).count();
    let pos = |all: &[OrgKind], v: OrgKind| all.iter().position(|x| *x == v).unwrap();
    filters::<OrgKind>(&c, Dataset::Partners, "kind", |v| {
        count(OrgKind::ALL.len(), pos(OrgKind::ALL, v))
    });
    filters::<Phase>(&c, Dataset::Partners, "phase", |v| {
        count(
            Phase::ALL.len(),
            Phase::ALL.iter().position(|x| *x == v).unwrap(),
        )
    });
    filters::<Tier>(&c, Dataset::Partners, "tier", |v| {
        count(
            Tier::ALL.len(),
            Tier::ALL.iter().position(|x| *x == v).unwrap(),
        )
    });
    filters::<ActivityKind>(&c, Dataset::Activities, "kind", |v| {
        count(
            ActivityKind::ALL.len(),
            ActivityKind::ALL.iter().position(|x| *x == v).unwrap(),
        )
    });
    filters::<ActivityStatus>(&c, Dataset::Activities, "status", |v| {
        let i = ActivityStatus::ALL.iter().position(|x| *x == v).unwrap();
        count(ActivityStatus::ALL.len(), i)
    });
    filters::<AddedValue>(&c, Dataset::Activities, "value", |v| {
        count(
            AddedValue::ALL.len(),
            AddedValue::ALL.iter().position(|x| *x == v).unwrap(),
        )
    });
}

#[test]
fn earlier_labels_still_import() {
    // Words that earlier versions wrote on screen or in CSV.
    let dir = tempfile::tempdir().unwrap();
    let svc = Arc::new(Service::open(&dir.path().join("ws")).unwrap());
    let c = client(&svc, Role::Editor);
    let file = "Namn;Typ;Land;Fas;Samarbetsformer\n\
Örebro universitet;Universitet;SE;Kandidat;Studentmobilitet\n\
KTH;Lärosäte;SE;Drift;Vidareutbildning\n";
    let r = csvio::import_bytes(
        &c,
        ImportKind::Partners,
        file.as_bytes(),
        &ImportOptions::new(Lang::Sv),
    )
    .unwrap();
    assert!(r.is_clean(), "{:?}", r.problems);
    assert_eq!(r.written, 2);
    assert_eq!(
        ContactRole::parse("Firmatecknare"),
        Some(ContactRole::Signatory)
    );
    assert_eq!(
        ContactRole::parse("Partnerdirektör"),
        Some(ContactRole::PartnerDirector)
    );
    assert_eq!(
        AgreementStatus::parse("Aktivt"),
        Some(AgreementStatus::Active)
    );
    assert_eq!(
        MeetingKind::parse("Styrgrupp"),
        Some(MeetingKind::SteeringGroup)
    );
}

/// Every word of an enumerated value is defined once, in `src/i18n/vocab.rs`: no other source file
/// spells a label, a short form or an earlier label as a string of its own (which is how the
/// screen and the CSV came to disagree).
#[test]
fn no_label_is_defined_outside_the_catalogue() {
    use spets::i18n::catalogue::Msg;
    let mut labels: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for lang in LANGS {
        labels.extend(spets::i18n::vocab::all_labels(lang));
    }
    // Words that are also the name of something else (a pane, a column, a record kind).
    for lang in LANGS {
        for m in Msg::ALL {
            labels.remove(m.text(lang));
        }
        for d in Dataset::ALL {
            for c in csvio::columns::of(*d) {
                labels.remove(c.header(Some(lang)));
                for w in c.was {
                    labels.remove(w);
                }
            }
        }
        for k in EntityKind::ALL {
            labels.remove(spets::i18n::vocab::entity_label(lang, k));
        }
    }
    // Machine names belong to the domain, which defines them.
    for key in SCORE_KEYS {
        labels.remove(key);
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root.clone()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().to_string();
            // The vocabulary itself, and the demo data's own sentences.
            if !rel.ends_with(".rs")
                || rel == "i18n/vocab.rs"
                || rel == "demo.rs"
                || rel == "demo/data.rs"
            {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, lit) in text.split('"').enumerate() {
                if i % 2 == 1 && labels.contains(lit) {
                    found.push(format!("{rel}: \"{lit}\""));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "labels defined outside src/i18n/vocab.rs: {found:?}"
    );
}
