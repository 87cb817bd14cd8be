//! Property tests of everything that turns bytes into values.
//!
//! * Every stored type round-trips through the codec: the six record types, audit entries, and the
//!   daemon protocol's messages (also through a frame). The borrowed activity decoder reads what
//!   the owned one reads.
//! * No reader panics, whatever it is given: the codec (every record type, audit entries, protocol
//!   messages, the borrowed activity decoder), the backup reader, the CSV importer (a dry run on a
//!   real workspace) and the keymap parser. Inputs are random bytes and, to get past the first
//!   length or variant, valid inputs with a few bytes damaged.
//!
//! `PROPTEST_CASES=N` runs more cases than the default 256. How much a reader may allocate is
//! tests/alloc_bounds.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;
mod strategies;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use spets::client::Embedded;
use spets::csvio::{
    self, Dataset, Dialect, ExportOptions, ImportKind, ImportOptions, Naming, Scope,
};
use spets::daemon::protocol::{self, ClientMsg, ServerMsg};
use spets::domain::*;
use spets::i18n::Lang;
use spets::keymap::{Action, Context, Keymap};
use spets::service::AnyRecord;
use spets::store::codec::{self, ActivityRef, CodecError, Stored};
use spets::store::{Store, backup};
use std::fmt::Debug;
use std::path::Path;
use strategies::*;

/// Encode, check the size against the codec's limit, decode, compare; then a trailing byte and a
/// missing last byte must both be refused.
fn round_trip<T: Stored + PartialEq + Debug + Clone>(r: &Record<T>) -> Result<(), TestCaseError> {
    let bytes = codec::encode_record(r).unwrap();
    prop_assert!(bytes.len() <= codec::BYTE_LIMIT);
    prop_assert_eq!(&codec::decode_record::<T>(&bytes).unwrap(), r);
    let mut longer = bytes.clone();
    longer.push(0);
    prop_assert!(
        matches!(
            codec::decode_record::<T>(&longer),
            Err(CodecError::Trailing { extra: 1, .. })
        ),
        "a trailing byte is refused"
    );
    prop_assert!(codec::decode_record::<T>(&bytes[..bytes.len() - 1]).is_err());
    Ok(())
}

/// The borrowed decoder and the owned one agree on any input: both refuse it, or both read the
/// same record.
fn decoders_agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let owned = codec::decode_record::<Activity>(bytes);
    let borrowed = ActivityRef::decode(bytes).map(|a| a.to_record());
    match (&owned, &borrowed) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
        (Err(_), Err(_)) => {}
        _ => prop_assert!(
            false,
            "owned {:?} but borrowed {:?} for {:02x?}",
            owned.as_ref().map(|_| ()),
            borrowed.as_ref().map(|_| ()),
            bytes
        ),
    }
    Ok(())
}

/// Every codec reader on the same bytes; each may refuse them, none may panic.
fn decode_everything(bytes: &[u8]) {
    let _ = codec::decode_record::<Partner>(bytes);
    let _ = codec::decode_record::<Agreement>(bytes);
    let _ = codec::decode_record::<Contact>(bytes);
    let _ = codec::decode_record::<Activity>(bytes);
    let _ = codec::decode_record::<Assessment>(bytes);
    let _ = codec::decode_record::<Note>(bytes);
    let _ = codec::decode_record::<Goal>(bytes);
    let _ = codec::decode_record::<GoalLinks>(bytes);
    let _ = codec::decode_record::<PhaseChange>(bytes);
    let _ = codec::decode_record::<Suitability>(bytes);
    let _ = codec::decode_record::<Rhythm>(bytes);
    let _ = codec::decode_record::<Evaluation>(bytes);
    let _ = ActivityRef::decode(bytes);
    let _ = codec::decode_audit(bytes);
    let _ = codec::decode::<ClientMsg>(bytes);
    let _ = codec::decode::<ServerMsg>(bytes);
}

proptest! {
    #[test]
    fn partners_round_trip(r in record(partner())) {
        round_trip(&r)?;
    }

    #[test]
    fn agreements_round_trip(r in record(agreement())) {
        round_trip(&r)?;
    }

    #[test]
    fn contacts_round_trip(r in record(contact())) {
        round_trip(&r)?;
    }

    #[test]
    fn goals_and_links_round_trip(g in record(goal()), l in record(goal_links())) {
        round_trip(&g)?;
        round_trip(&l)?;
    }

    #[test]
    fn phase_changes_and_suitability_round_trip(
        c in record(phase_change()),
        s in record(suitability()),
    ) {
        round_trip(&c)?;
        round_trip(&s)?;
    }

    #[test]
    fn rhythms_round_trip(r in record(rhythm())) {
        round_trip(&r)?;
    }

    #[test]
    fn evaluations_round_trip(r in record(evaluation())) {
        round_trip(&r)?;
    }

    #[test]
    fn activities_round_trip_owned_and_borrowed(r in record(activity())) {
        round_trip(&r)?;
        let bytes = codec::encode_record(&r).unwrap();
        let view = ActivityRef::decode(&bytes).unwrap();
        prop_assert_eq!(view.to_record(), r.clone());
        prop_assert_eq!(view.data.partners.as_slice(), &r.data.partners[..]);
        prop_assert_eq!(view.data.values.as_slice(), &r.data.values[..]);
        prop_assert_eq!(ActivityRef::of(&r).to_record(), r);
    }

    #[test]
    fn assessments_round_trip(r in record(assessment())) {
        round_trip(&r)?;
    }

    #[test]
    fn notes_round_trip(r in record(note())) {
        round_trip(&r)?;
    }

    #[test]
    fn audit_entries_round_trip(e in audit_entry()) {
        let bytes = codec::encode_audit(&e).unwrap();
        prop_assert!(bytes.len() <= codec::BYTE_LIMIT);
        prop_assert_eq!(codec::decode_audit(&bytes).unwrap(), e);
        prop_assert!(codec::decode_audit(&bytes[..bytes.len() - 1]).is_err());
    }

    /// A client's message, through a frame as the daemon reads it (within its frame limit).
    #[test]
    fn client_messages_round_trip(m in client_msg()) {
        let body = codec::encode(&m).unwrap();
        let mut wire = Vec::new();
        protocol::write_frame(&mut wire, &body).unwrap();
        let frame = protocol::read_frame(&mut wire.as_slice(), protocol::MAX_CLIENT_FRAME).unwrap();
        prop_assert_eq!(codec::decode::<ClientMsg>(&frame).unwrap(), m);
    }

    #[test]
    fn server_messages_round_trip(m in server_msg()) {
        let body = codec::encode(&m).unwrap();
        let mut wire = Vec::new();
        protocol::write_frame(&mut wire, &body).unwrap();
        let frame = protocol::read_frame(&mut wire.as_slice(), protocol::MAX_SERVER_FRAME).unwrap();
        prop_assert_eq!(codec::decode::<ServerMsg>(&frame).unwrap(), m);
    }

    #[test]
    fn random_bytes_never_panic_a_decoder(bytes in vec(any::<u8>(), 0..512)) {
        decode_everything(&bytes);
        decoders_agree(&bytes)?;
    }

    #[test]
    fn damaged_records_never_panic_a_decoder(
        r in any_record(),
        d in damage(),
    ) {
        let bytes = match &r {
            AnyRecord::Partner(r) => codec::encode_record(r),
            AnyRecord::Agreement(r) => codec::encode_record(r),
            AnyRecord::Contact(r) => codec::encode_record(r),
            AnyRecord::Activity(r) => codec::encode_record(r),
            AnyRecord::Assessment(r) => codec::encode_record(r),
            AnyRecord::Note(r) => codec::encode_record(r),
            AnyRecord::Goal(r) => codec::encode_record(r),
            AnyRecord::GoalLinks(r) => codec::encode_record(r),
            AnyRecord::PhaseChange(r) => codec::encode_record(r),
            AnyRecord::Suitability(r) => codec::encode_record(r),
            AnyRecord::Rhythm(r) => codec::encode_record(r),
            AnyRecord::Evaluation(r) => codec::encode_record(r),
        }
        .unwrap();
        decode_everything(&d.apply(&bytes));
    }

    #[test]
    fn damaged_activities_decode_alike_owned_and_borrowed(
        r in record(activity()),
        d in damage(),
    ) {
        let bytes = d.apply(&codec::encode_record(&r).unwrap());
        decoders_agree(&bytes)?;
    }

    #[test]
    fn damaged_audit_entries_and_messages_never_panic_a_decoder(
        e in audit_entry(),
        c in client_msg(),
        s in server_msg(),
        d in damage(),
    ) {
        decode_everything(&d.apply(&codec::encode_audit(&e).unwrap()));
        decode_everything(&d.apply(&codec::encode(&c).unwrap()));
        decode_everything(&d.apply(&codec::encode(&s).unwrap()));
    }
}

// ------------------------------------------------------------------ backup reader

/// A real backup of a small demo workspace.
fn real_backup() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let spec = spets::demo::DemoSpec {
        partners: 4,
        activities: 12,
        notes: 3,
        seed: 7,
        today: csv_support::today(),
        me: "anna.lind".into(),
    };
    spets::demo::generate(&store, &spec, "anna.lind").unwrap();
    backup::snapshot(&store).unwrap().0
}

/// Replace the last four bytes with the CRC-32 of the rest, so that damage reaches the parser
/// behind the checksum.
fn with_checksum(mut b: Vec<u8>) -> Vec<u8> {
    if b.len() >= 4 {
        let body = b.len() - 4;
        let crc = crc32fast::hash(&b[..body]);
        b[body..].copy_from_slice(&crc.to_be_bytes());
    }
    b
}

#[test]
fn the_backup_reader_never_panics() {
    let good = real_backup();
    assert!(backup::parse("good", &good).is_ok());
    let mut runner = runner();
    runner
        .run(&vec(any::<u8>(), 0..512), |bytes| {
            let _ = backup::parse("random", &bytes);
            let _ = backup::parse("random", &with_checksum(bytes));
            Ok(())
        })
        .unwrap();
    // The real header followed by random bytes, with a matching checksum.
    let header = good[..25].to_vec();
    runner
        .run(&vec(any::<u8>(), 0..512), |tail| {
            let _ = backup::parse(
                "tail",
                &with_checksum([&header[..], &tail, &[0; 4]].concat()),
            );
            Ok(())
        })
        .unwrap();
    runner
        .run(&damage(), |d| {
            let damaged = d.apply(&good);
            let _ = backup::parse("damaged", &damaged);
            let _ = backup::parse("damaged", &with_checksum(damaged));
            Ok(())
        })
        .unwrap();
}

// ------------------------------------------------------------------ CSV importer

/// Everything the importer can be given for `kind`: random bytes, a real export with damage, and
/// rows of random cells under a real header.
fn csv_inputs(export: Vec<u8>, header: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let rows = (
        proptest::sample::subsequence(header.clone(), 0..=header.len()),
        vec(vec(text(), 0..12), 0..6),
        proptest::sample::select(&[b',', b';', b'\t'][..]),
        any::<bool>(),
    )
        .prop_map(|(cols, rows, delim, bom)| {
            let start = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            let mut w = csv::WriterBuilder::new()
                .delimiter(delim)
                .flexible(true)
                .from_writer(start);
            w.write_record(&cols).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            w.into_inner().unwrap()
        });
    prop_oneof![
        vec(any::<u8>(), 0..512),
        damage().prop_map(move |d| d.apply(&export)),
        rows,
    ]
}

#[test]
fn the_csv_importer_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let svc = csv_support::demo(dir.path(), 6, 20, 2);
    let c = Embedded::new(svc, "anna.lind".into());
    for (dataset, kind) in [
        (Dataset::Partners, ImportKind::Partners),
        (Dataset::Activities, ImportKind::Activities),
    ] {
        let eo = ExportOptions::new(Dialect::ExcelSv, Naming::Labels(Lang::Sv));
        let (export, _) = csv_support::export(&c, dataset, &Scope::All, &eo);
        let (header, _) = csv_support::parse(&export, Dialect::ExcelSv);
        let opts = ImportOptions {
            dry_run: true,
            valid_only: false,
            lang: Lang::Sv,
            today: csv_support::today(),
        };
        runner()
            .run(&csv_inputs(export, header), |bytes| {
                let _ = csvio::import_bytes(&c, kind, &bytes, &opts);
                Ok(())
            })
            .unwrap();
    }
}

// ------------------------------------------------------------------ keymap parser

/// A TOML string literal.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn keymap_inputs() -> impl Strategy<Value = String> {
    let preset = Keymap::preset_text("default").unwrap().as_bytes().to_vec();
    let contexts: Vec<String> = Context::ALL.iter().map(|c| c.name().to_string()).collect();
    let actions: Vec<String> = Action::ALL.iter().map(|a| a.name().to_string()).collect();
    const KEYS: &[&str] = &[
        "j", "G", "å", "?", " ", "<Enter>", "<S-Tab>", "<C-s>", "<A-x>", "<F12>", "<F13>", "<C-c>",
        "<Esc>", "<", ">", "<C-", "<>", "1", "0",
    ];
    let key = prop_oneof![select(KEYS).prop_map(String::from), text()];
    let context = prop_oneof![select(contexts), text()];
    let action = prop_oneof![
        select(actions),
        select(&["", "unbind"][..]).prop_map(String::from),
        text()
    ];
    let entry =
        (context, vec(key, 0..4), action, any::<bool>()).prop_map(|(ctx, on, run, desc)| {
            let on: Vec<String> = on.iter().map(|k| toml_str(k)).collect();
            let desc = if desc { "desc = \"x\"\n" } else { "" };
            format!(
                "[[{}]]\non = [{}]\nrun = {}\n{desc}",
                toml_str(&ctx),
                on.join(", "),
                toml_str(&run)
            )
        });
    prop_oneof![
        vec(any::<char>(), 0..256).prop_map(String::from_iter),
        damage().prop_map(move |d| String::from_utf8_lossy(&d.apply(&preset)).into_owned()),
        vec(entry, 0..8).prop_map(|entries| entries.concat()),
    ]
}

#[test]
fn the_keymap_parser_never_panics() {
    runner()
        .run(&keymap_inputs(), |text| {
            let _ = Keymap::from_toml(&text, Path::new("keys.toml"));
            let _ = Keymap::with_overrides("default", &text, Path::new("keys.toml"));
            Ok(())
        })
        .unwrap();
}
