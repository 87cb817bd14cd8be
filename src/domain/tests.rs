//! Unit tests of the domain's enumerations and agreements.

use super::*;

#[test]
fn enum_keys_round_trip_and_are_unique() {
    fn check<E: Enumerated + fmt::Debug>() {
        let mut keys: Vec<_> = E::ALL.iter().map(|v| v.key()).collect();
        for v in E::ALL {
            assert_eq!(E::from_key(v.key()), Some(*v));
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), E::ALL.len());
    }
    check::<OrgKind>();
    check::<Phase>();
    check::<Tier>();
    check::<Format>();
    check::<AgreementKind>();
    check::<AgreementStatus>();
    check::<Side>();
    check::<ContactRole>();
    check::<ActivityKind>();
    check::<ActivityStatus>();
    check::<AddedValue>();
    check::<MeetingKind>();
    check::<GoalStatus>();
    check::<LinkSource>();
    check::<Criterion>();
    check::<RiskLevel>();
    check::<Recommendation>();
    assert_eq!(Format::ALL.len(), 12);
    assert_eq!(AddedValue::ALL.len(), 6);
    assert_eq!(Phase::ALL.len(), 7);
}

#[test]
fn agreement_months_and_renewal() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let a = Agreement {
        partner: Id(1),
        kind: AgreementKind::Mou,
        title: String::new(),
        signed: None,
        start: d("2022-01-01"),
        end: Some(d("2026-12-31")),
        signatories: vec![],
        renewal_lead_months: 6,
        status: AgreementStatus::Active,
        renewal_draft_sent: None,
        renewal_signed: None,
    };
    assert_eq!(a.months(), Some(60));
    assert_eq!(a.renewal_due(), Some(d("2026-06-30")));
    let b = Agreement {
        end: Some(d("2026-12-30")),
        ..a
    };
    assert_eq!(b.months(), Some(59));
}
