//! The second schema's record encodings: the committed fixture (tests/fixtures/v2) must keep
//! decoding to the same records (`SPETS_WRITE_FIXTURES=1` rewrites it after a deliberate change).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::store::codec;

fn fixture_meta(id: u64) -> Meta {
    Meta {
        id: Id(id),
        version: 2,
        created_at: Timestamp(1_780_000_000_000),
        created_by: "anna.lind".into(),
        updated_at: Timestamp(1_780_300_000_000),
        updated_by: "björn.ek".into(),
        archived: false,
    }
}

/// Records of the kinds the second schema added, as it writes them. Their encodings are committed
/// in tests/fixtures/v2/records.txt; a change that cannot read them breaks existing workspaces.
fn second_schema_records() -> Vec<(&'static str, Vec<u8>)> {
    let g = Record {
        meta: fixture_meta(10),
        data: Goal {
            partner: Id(1),
            text: "Gemensam forskarskola i AI".into(),
            values: vec![AddedValue::Quality, AddedValue::CulturalChange],
            indicator: "Doktorander".into(),
            target: "8 till 2028".into(),
            deadline: Some(d("2028-06-30")),
            status: GoalStatus::Reached,
            owner: "björn.ek".into(),
        },
    };
    let l = Record {
        meta: Meta {
            archived: true,
            ..fixture_meta(11)
        },
        data: GoalLinks {
            source: LinkSource::Note,
            source_id: Id(6),
            goals: vec![Id(10), Id(12)],
        },
    };
    let ph = Record {
        meta: fixture_meta(12),
        data: PhaseChange {
            partner: Id(1),
            from: Phase::StartUp,
            to: Phase::Running,
            date: d("2026-05-01"),
            reason: "Styrgruppens beslut".into(),
            unmet: vec![Criterion::SteeringGroup, Criterion::AgreementSigned],
        },
    };
    let both = |ours, partner| Sides {
        ours: Some(ours),
        partner,
    };
    let ev = Record {
        meta: fixture_meta(15),
        data: Evaluation {
            partner: Id(1),
            start: d("2025-07-01"),
            end: d("2026-06-30"),
            characteristics: [
                both(3, Some(4)),
                both(4, None),
                both(2, Some(3)),
                both(3, Some(2)),
                both(0, Some(3)),
            ],
            values: [
                both(3, Some(3)),
                both(2, Some(4)),
                Sides::default(),
                both(1, Some(2)),
                both(4, Some(3)),
                both(2, Some(2)),
            ],
            goals: vec![GoalResult {
                goal: Id(10),
                outcome: GoalOutcome::OnTrack,
            }],
            decision: Decision::Renew,
            next: Some(d("2027-06-30")),
            comment: "Självvärdering\nmed styrgruppen".into(),
        },
    };
    let rh = Record {
        meta: fixture_meta(14),
        data: Rhythm {
            partner: Id(1),
            steering_group_months: 4,
            management_months: 12,
        },
    };
    let su = Record {
        meta: fixture_meta(13),
        data: Suitability {
            partner: Id(1),
            date: d("2026-03-01"),
            assessor: "anna.lind".into(),
            strategic_fit: 3,
            commitment: 4,
            mutual_benefit: 2,
            faculties: vec!["Teknik".into(), "Medicin".into()],
            risk: RiskLevel::High,
            risks: "Exportkontroll\nBeroende".into(),
            recommendation: Recommendation::Wait,
            comment: "Åter i höst".into(),
        },
    };
    vec![
        ("goal", codec::encode_record(&g).unwrap()),
        ("goal_links", codec::encode_record(&l).unwrap()),
        ("phase_change", codec::encode_record(&ph).unwrap()),
        ("suitability", codec::encode_record(&su).unwrap()),
        ("rhythm", codec::encode_record(&rh).unwrap()),
        ("evaluation", codec::encode_record(&ev).unwrap()),
    ]
}

fn v2_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/records.txt")
}

/// Set SPETS_WRITE_FIXTURES=1 to (re)write the fixture; only ever for a new schema version.
#[test]
fn second_schema_records_still_decode() {
    let expected = second_schema_records();
    if std::env::var("SPETS_WRITE_FIXTURES").is_ok() {
        std::fs::create_dir_all(v2_fixture().parent().unwrap()).unwrap();
        let text: String = expected
            .iter()
            .map(|(k, b)| format!("{k} {}\n", spets::store::hex(b)))
            .collect();
        std::fs::write(v2_fixture(), text).unwrap();
    }
    let text = std::fs::read_to_string(v2_fixture()).unwrap();
    let unhex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let stored: Vec<(String, Vec<u8>)> = text
        .lines()
        .map(|l| {
            let (k, h) = l.split_once(' ').unwrap();
            (k.to_string(), unhex(h))
        })
        .collect();
    assert_eq!(stored.len(), expected.len());
    for ((kind, bytes), (ekind, ebytes)) in stored.iter().zip(&expected) {
        assert_eq!(kind, ekind);
        match kind.as_str() {
            "goal" => assert_eq!(
                codec::decode_record::<Goal>(bytes).unwrap(),
                codec::decode_record::<Goal>(ebytes).unwrap()
            ),
            "goal_links" => assert_eq!(
                codec::decode_record::<GoalLinks>(bytes).unwrap(),
                codec::decode_record::<GoalLinks>(ebytes).unwrap()
            ),
            "phase_change" => assert_eq!(
                codec::decode_record::<PhaseChange>(bytes).unwrap(),
                codec::decode_record::<PhaseChange>(ebytes).unwrap()
            ),
            "suitability" => assert_eq!(
                codec::decode_record::<Suitability>(bytes).unwrap(),
                codec::decode_record::<Suitability>(ebytes).unwrap()
            ),
            "evaluation" => assert_eq!(
                codec::decode_record::<Evaluation>(bytes).unwrap(),
                codec::decode_record::<Evaluation>(ebytes).unwrap()
            ),
            "rhythm" => assert_eq!(
                codec::decode_record::<Rhythm>(bytes).unwrap(),
                codec::decode_record::<Rhythm>(ebytes).unwrap()
            ),
            other => panic!("unknown fixture kind {other}"),
        }
        assert_eq!(
            bytes, ebytes,
            "the encoding of {kind} changed: add a new envelope variant instead"
        );
    }
}
