//! The renewal checklist of an agreement inside its lead time: the evaluation done in the last 12
//! months and its decision (from the evaluations), the draft sent and the renewal signed (on the
//! agreement); in the service, the partner detail and the overview, and edited through the real
//! app's agreement form in both languages. A signed renewal ends the renewal work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app::{app_on, ctrl, key, screen, typ};
use common::{create, d, editor, invalid, org};
use crossterm::event::KeyCode;
use spets::domain::*;
use spets::i18n::Lang;
use spets::i18n::catalogue::Label;
use spets::service::{
    AnyData, OverviewItem, PartnerDetail, Renewal, RenewalChecklist, Request, Response, Service,
};
use std::sync::Arc;

/// Aalto with a framework agreement that ends 2027-06-30: with its 12 months' lead time,
/// renewal work is due from 2026-06-30 (today is 2026-11-28).
fn workspace(dir: &std::path::Path) -> (Arc<Service>, Id, Id) {
    let s = Service::open(dir).unwrap().with_today(common::today());
    let (pid, _) = create(
        &s,
        &editor(),
        AnyData::Partner(org("Aalto University", "FI")),
    );
    let (aid, _) = create(
        &s,
        &editor(),
        AnyData::Agreement(Agreement {
            partner: pid,
            kind: AgreementKind::Framework,
            title: "Ramavtal".into(),
            signed: Some(d("2022-06-01")),
            start: d("2022-07-01"),
            end: Some(d("2027-06-30")),
            signatories: vec!["Rektor".into()],
            renewal_lead_months: 12,
            status: AgreementStatus::Active,
            renewal_draft_sent: None,
            renewal_signed: None,
        }),
    );
    (Arc::new(s), pid, aid)
}

fn evaluation(partner: Id, start: &str, end: &str, decision: Decision) -> AnyData {
    AnyData::Evaluation(Evaluation {
        partner,
        start: d(start),
        end: d(end),
        characteristics: [Sides::default(); 5],
        values: [Sides::default(); 6],
        goals: vec![],
        decision,
        next: None,
        comment: String::new(),
    })
}

fn detail(s: &Service, pid: Id) -> PartnerDetail {
    match s.handle(&editor(), Request::PartnerDetail(pid)) {
        Response::PartnerDetail(d) => *d,
        r => panic!("{r:?}"),
    }
}

/// The overview's renewal lines: (partner, renewal, checklist).
fn overview_renewals(s: &Service) -> Vec<(Id, Renewal, Option<RenewalChecklist>)> {
    match s.handle(&editor(), Request::Overview) {
        Response::Overview(o) => o
            .lines
            .into_iter()
            .filter_map(|l| match l.item {
                OverviewItem::Renewal {
                    partner,
                    renewal,
                    checklist,
                } => Some((partner, renewal, checklist)),
                _ => None,
            })
            .collect(),
        r => panic!("{r:?}"),
    }
}

fn agreement(s: &Service, aid: Id) -> Record<Agreement> {
    s.store().get::<Agreement>(aid).unwrap().unwrap()
}

fn update(s: &Service, rec: &Record<Agreement>, data: Agreement) -> Response {
    s.handle(
        &editor(),
        Request::Update {
            id: rec.meta.id,
            expected_version: rec.meta.version,
            data: AnyData::Agreement(data),
        },
    )
}

#[test]
fn the_checklist_follows_the_evaluations_and_the_agreement_and_a_signed_renewal_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let (s, pid, aid) = workspace(dir.path());
    let c = detail(&s, pid).checklist.unwrap();
    assert_eq!(c.agreement, aid);
    assert_eq!(c.end, d("2027-06-30"));
    assert_eq!(c.steps(), [false; 4]);
    let o = overview_renewals(&s);
    assert_eq!(o.len(), 1);
    assert_eq!(
        o[0].1,
        Renewal::Due {
            end: d("2027-06-30")
        }
    );
    assert_eq!(o[0].2, Some(c));

    // An evaluation that ended more than 12 months ago does not count…
    create(
        &s,
        &editor(),
        evaluation(pid, "2024-07-01", "2025-06-30", Decision::Continue),
    );
    assert_eq!(detail(&s, pid).checklist.unwrap().evaluation, None);
    // …one that ended in the last 12 months does, with its decision.
    create(
        &s,
        &editor(),
        evaluation(pid, "2025-07-01", "2026-06-30", Decision::Renew),
    );
    let c = detail(&s, pid).checklist.unwrap();
    assert_eq!(c.evaluation, Some((d("2026-06-30"), Decision::Renew)));
    assert_eq!(c.steps(), [true, true, false, false]);

    // Signed before the draft was sent: a field error, nothing written.
    let rec = agreement(&s, aid);
    let mut bad = rec.data.clone();
    bad.renewal_draft_sent = Some(d("2026-10-01"));
    bad.renewal_signed = Some(d("2026-09-30"));
    let errors = invalid(update(&s, &rec, bad));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "renewal_signed");
    assert_eq!(
        errors[0].rule,
        Rule::SignedBeforeDraft {
            draft: d("2026-10-01")
        }
    );
    assert_eq!(agreement(&s, aid).meta.version, rec.meta.version);

    // The draft is sent: three of four.
    let mut sent = rec.data.clone();
    sent.renewal_draft_sent = Some(d("2026-10-01"));
    assert!(matches!(update(&s, &rec, sent), Response::Saved { .. }));
    assert_eq!(detail(&s, pid).checklist.unwrap().done(), 3);
    assert_eq!(overview_renewals(&s)[0].2.unwrap().done(), 3);

    // A signature from before the lead time (an earlier cycle) or from the future does not count.
    for early_or_late in ["2026-06-29", "2026-12-01"] {
        let rec = agreement(&s, aid);
        let mut stale = rec.data.clone();
        stale.renewal_draft_sent = None;
        stale.renewal_signed = Some(d(early_or_late));
        assert!(matches!(update(&s, &rec, stale), Response::Saved { .. }));
        let dt = detail(&s, pid);
        assert_eq!(
            dt.renewal,
            Renewal::Due {
                end: d("2027-06-30")
            },
            "{early_or_late}"
        );
        assert_eq!(dt.checklist.unwrap().signed, None, "{early_or_late}");
    }
    let rec = agreement(&s, aid);
    let mut sent = rec.data.clone();
    sent.renewal_draft_sent = Some(d("2026-10-01"));
    sent.renewal_signed = None;
    assert!(matches!(update(&s, &rec, sent), Response::Saved { .. }));

    // Signed: the renewal work is done; no longer due anywhere, the detail shows all four.
    let rec = agreement(&s, aid);
    let mut signed = rec.data.clone();
    signed.renewal_signed = Some(d("2026-11-20"));
    assert!(matches!(update(&s, &rec, signed), Response::Saved { .. }));
    let dt = detail(&s, pid);
    assert_eq!(dt.renewal, Renewal::None);
    assert_eq!(dt.checklist.unwrap().steps(), [true; 4]);
    assert!(overview_renewals(&s).is_empty());

    // The partner report for management carries the checklist too.
    let c = spets::client::Embedded::new(Arc::clone(&s), common::ME.to_string());
    let md = spets::report::make(
        &c,
        spets::report::Which::Partner(pid),
        2026,
        Lang::En,
        spets::report::Format::Markdown,
    )
    .unwrap();
    assert!(
        md.contains("✓ draft sent 2026-10-01 · ✓ signed 2026-11-20"),
        "{md}"
    );
}

#[test]
fn the_checklist_shows_in_the_detail_and_is_kept_in_the_agreement_form() {
    for lang in [Lang::En, Lang::Sv] {
        let dir = tempfile::tempdir().unwrap();
        let (s, pid, aid) = workspace(dir.path());
        create(
            &s,
            &editor(),
            evaluation(pid, "2025-07-01", "2026-06-30", Decision::Renew),
        );
        let mut app = app_on(Arc::clone(&s), lang);
        key(&mut app, KeyCode::Char('1'));
        key(&mut app, KeyCode::Enter);
        let text = screen(&app, 120, 40);
        let want = match lang {
            Lang::En => format!(
                "Renewal: ✓ evaluation 2026-06-30 · ✓ decision: {} · ✗ draft sent · ✗ signed",
                Decision::Renew.label(lang)
            ),
            Lang::Sv => format!(
                "Förnyelse: ✓ utvärdering 2026-06-30 · ✓ beslut: {} · ✗ utkast skickat · ✗ undertecknad",
                Decision::Renew.label(lang)
            ),
        };
        assert!(text.contains(&want), "{text}");
        insta::assert_snapshot!(format!("renewal_checklist_detail_{}", lang.key()), text);

        // The edit chooser's second entry is the agreement; its last two fields are the steps.
        key(&mut app, KeyCode::Char('e'));
        key(&mut app, KeyCode::Down);
        key(&mut app, KeyCode::Enter);
        assert!(app.form().is_some(), "the agreement form opens");
        for _ in 0..8 {
            key(&mut app, KeyCode::Tab);
        }
        typ(&mut app, "2026-10-01");
        key(&mut app, KeyCode::Tab);
        // Before the draft: the form says which field and why, and keeps the form open.
        typ(&mut app, "2026-09-30");
        ctrl(&mut app, 's');
        assert!(app.form().is_some(), "refused");
        let text = screen(&app, 120, 40);
        let why = match lang {
            Lang::En => "lies before the day the draft was sent (2026-10-01)",
            Lang::Sv => "ligger före dagen då utkastet skickades (2026-10-01)",
        };
        assert!(text.contains(why), "{text}");
        for _ in 0.."2026-09-30".len() {
            key(&mut app, KeyCode::Backspace);
        }
        typ(&mut app, "2026-11-20");
        ctrl(&mut app, 's');
        assert!(app.form().is_none(), "saved\n{}", screen(&app, 120, 40));
        let a = agreement(&s, aid).data;
        assert_eq!(a.renewal_draft_sent, Some(d("2026-10-01")));
        assert_eq!(a.renewal_signed, Some(d("2026-11-20")));
        let done = match lang {
            Lang::En => "✓ draft sent 2026-10-01 · ✓ signed 2026-11-20",
            Lang::Sv => "✓ utkast skickat 2026-10-01 · ✓ undertecknad 2026-11-20",
        };
        common::wait_for("the detail to show the signed renewal", || {
            app.pump(std::time::Duration::from_millis(20));
            screen(&app, 120, 40).contains(done)
        });
    }
}

#[test]
fn an_agreement_past_its_end_is_reported_even_with_its_renewal_signed() {
    let dir = tempfile::tempdir().unwrap();
    let s = Service::open(dir.path())
        .unwrap()
        .with_today(common::today());
    let (pid, _) = create(
        &s,
        &editor(),
        AnyData::Partner(org("Aalto University", "FI")),
    );
    create(
        &s,
        &editor(),
        AnyData::Agreement(Agreement {
            partner: pid,
            kind: AgreementKind::Mou,
            title: "MoU".into(),
            signed: Some(d("2021-06-01")),
            start: d("2021-07-01"),
            end: Some(d("2026-06-30")),
            signatories: vec![],
            renewal_lead_months: 6,
            status: AgreementStatus::Active,
            renewal_draft_sent: Some(d("2026-02-01")),
            renewal_signed: Some(d("2026-05-01")),
        }),
    );
    // Signed, but the renewed agreement was never entered: it has run out, and says so.
    assert_eq!(
        detail(&s, pid).renewal,
        Renewal::Expired {
            end: d("2026-06-30")
        }
    );
    assert_eq!(overview_renewals(&s).len(), 1);
}
