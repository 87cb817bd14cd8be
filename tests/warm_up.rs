//! The background warm-up works out every partner's scores in one pass over the assessments,
//! without holding the model's lock, and keeps the result. The scores it keeps must be the ones
//! the assessment index gives partner by partner, and later changes must reach them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;

/// The scores in the partner details of `ids`.
fn detail_scores(s: &Service, ids: &[Id]) -> Vec<Scores> {
    ids.iter()
        .map(|id| {
            let Response::PartnerDetail(d) = s.handle(&admin(), Request::PartnerDetail(*id)) else {
                panic!()
            };
            d.scores
        })
        .collect()
}

#[test]
fn the_warm_up_keeps_the_scores_the_index_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ids: Vec<Id> = {
        let s = open(dir);
        assert!(matches!(
            s.handle(&admin(), Request::LoadDemo),
            Response::DemoLoaded(_)
        ));
        let Response::Partners(page) =
            s.handle(&admin(), Request::Partners(PartnerQuery::default()))
        else {
            panic!()
        };
        page.items.iter().step_by(3).map(|r| r.id).collect()
    };
    // Partner by partner from the index (no warm-up) ...
    let by_index = {
        let s = open(dir);
        detail_scores(&s, &ids)
    };
    assert!(
        by_index.iter().flatten().any(Option::is_some),
        "the demo has scores"
    );
    // ... and from the warm-up's one pass.
    let s = open(dir);
    s.warm_up().unwrap();
    assert_eq!(detail_scores(&s, &ids), by_index);
    // A new assessment after the warm-up reaches the kept scores.
    let pid = ids[0];
    create(
        &s,
        &editor(),
        AnyData::Assessment(assessment(pid, AddedValue::Influence, 4, "2026-11-27")),
    );
    let after = detail_scores(&s, &ids[..1]);
    let cell = after[0][AddedValue::Influence.index()].expect("scored");
    assert_eq!((cell.score, cell.date), (4, d("2026-11-27")));
}
