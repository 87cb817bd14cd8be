//! How much memory each reader may allocate for its input, measured.
//!
//! This test binary, and only this one, runs on a counting global allocator (`peak_alloc`: the
//! process's bytes in use and their high-water mark, which can be reset). [`peak`] resets the mark,
//! runs a reader, and reports the highest number of bytes in use above what was in use before.
//! The count covers every thread, so nothing a reader hands to another thread escapes it (and a
//! sled flusher thread can only make a figure larger, never smaller). The tests hold one lock, so
//! no two measurements overlap.
//!
//! What is proved, for each reader, on crafted worst cases and on random and damaged input:
//!
//! * The codec (records, audit entries, protocol messages): at most
//!   `BYTE_LIMIT + LIST_PREALLOC × depth + CODEC_PER_BYTE × len + SLACK`. `BYTE_LIMIT` is what one
//!   length prefix may claim (bincode checks the claim against the limit before it allocates).
//!   serde preallocates at most 1 MiB for a list whose length prefix it cannot check, once per
//!   level of nesting. The per-byte term is real memory for real items: a one-byte empty string in
//!   a list becomes a 24-byte `String`, and vectors grow by doubling.
//! * The borrowed activity decoder: `CODEC_PER_BYTE × len + SLACK` (its text is borrowed; lists
//!   grow item by item).
//! * The backup reader: `BACKUP_PER_BYTE × len + SLACK`.
//! * The CSV importer (a dry run on a real workspace): `CSV_PER_BYTE × len + CSV_BASE`.
//! * The keymap parser: `KEYMAP_PER_BYTE × len + KEYMAP_BASE` (the base covers the default
//!   preset that user files are merged onto).
//!
//! Every test prints its figures (`cargo test --test alloc_bounds -- --nocapture`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod csv_support;
mod strategies;

use peak_alloc::PeakAlloc;
use proptest::collection::vec;
use proptest::prelude::*;
use spets::client::Embedded;
use spets::csvio::{
    self, Dataset, Dialect, ExportOptions, ImportKind, ImportOptions, Naming, Scope,
};
use spets::daemon::protocol::{ClientMsg, ServerMsg};
use spets::domain::*;
use spets::i18n::Lang;
use spets::keymap::Keymap;
use spets::service::*;
use spets::store::codec::{self, ActivityRef, BYTE_LIMIT};
use spets::store::{AuditAction, AuditEntry, Store, backup};
use std::cell::Cell;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use strategies::*;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// One measurement at a time: the count is process-wide.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn exclusive() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// serde's cap on what it preallocates for a list of unchecked length (`size_hint::cautious`).
const LIST_PREALLOC: usize = 1 << 20;
/// Levels of lists inside lists in the deepest message (a response holding records holding lists).
const LIST_DEPTH: usize = 2;
/// Bytes in use per input byte, at most, in the codec's readers.
const CODEC_PER_BYTE: usize = 96;
/// … in the backup reader.
const BACKUP_PER_BYTE: usize = 16;
/// … in the CSV importer.
const CSV_PER_BYTE: usize = 192;
/// … in the keymap parser.
const KEYMAP_PER_BYTE: usize = 128;
/// Bookkeeping that does not grow with the input (error values, a few small buffers).
const SLACK: usize = 64 << 10;
/// The CSV importer's base: the workspace's partner names for matching, the service's answer.
const CSV_BASE: usize = 1 << 20;
/// The keymap parser's base: the default preset, parsed under every user file.
const KEYMAP_BASE: usize = 1 << 20;

/// A reader run for its allocations alone (its result is dropped).
type Decoder = dyn Fn(&[u8]);

fn codec_bound(len: usize) -> usize {
    BYTE_LIMIT + LIST_PREALLOC * LIST_DEPTH + CODEC_PER_BYTE * len + SLACK
}

/// The peak number of bytes in use while `f` runs, above what was in use when it started.
fn peak(f: impl FnOnce()) -> usize {
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    f();
    ALLOC.peak_usage().saturating_sub(before)
}

fn mib(n: usize) -> String {
    format!("{:.2} MiB", n as f64 / f64::from(1 << 20))
}

/// A length prefix as bincode writes it (a varint).
fn claim(n: u64) -> Vec<u8> {
    match n {
        0..=250 => vec![n as u8],
        251..=0xFFFF => [&[251u8][..], &(n as u16).to_le_bytes()].concat(),
        0x1_0000..=0xFFFF_FFFF => [&[252u8][..], &(n as u32).to_le_bytes()].concat(),
        _ => [&[253u8][..], &n.to_le_bytes()].concat(),
    }
}

/// The worst input found by making length prefixes lie, and the peak it causes.
///
/// Every byte of `valid` in turn is replaced by a length prefix claiming about all the limit
/// leaves (bincode's limit counts what text claimed and `size_of` of every number read, at most 16
/// per byte of input), and by one claiming three times the limit. A claim on a text stops the decode after one allocation of up to
/// `BYTE_LIMIT`; a claim on a list lets it go on into the list's first item with the original
/// bytes behind the claim. So every lie that made a list preallocate is searched again behind
/// itself, one level of nesting deeper, up to three levels.
fn lying_lengths(valid: &[u8], decode: &Decoder) -> (usize, Vec<u8>) {
    fn search(
        input: &[u8],
        from: usize,
        depth: usize,
        decode: &Decoder,
        worst: &mut (usize, Vec<u8>),
    ) {
        let lie = claim((BYTE_LIMIT - 16 * input.len() - 64) as u64);
        // Three times the limit: refused before any allocation, unless the limit is not applied.
        let big_lie = claim(3 * BYTE_LIMIT as u64);
        for i in from..input.len() {
            let big = [&input[..i], &big_lie[..], &input[i + 1..]].concat();
            let p = peak(|| decode(&big));
            if p > worst.0 {
                *worst = (p, big);
            }
            let candidate = [&input[..i], &lie[..], &input[i + 1..]].concat();
            let p = peak(|| decode(&candidate));
            if p > worst.0 {
                *worst = (p, candidate.clone());
            }
            // A list preallocated and the decode went on into its items: lie again behind it.
            if depth < 3 && (LIST_PREALLOC / 2..BYTE_LIMIT / 2).contains(&p) {
                search(&candidate, i + lie.len(), depth + 1, decode, worst);
            }
        }
    }
    let mut worst = (peak(|| decode(valid)), valid.to_vec());
    search(valid, 0, 1, decode, &mut worst);
    worst
}

// ------------------------------------------------------------------ small but full values

fn meta() -> Meta {
    Meta {
        id: Id(1),
        version: 1,
        created_at: Timestamp(0),
        created_by: "a".into(),
        updated_at: Timestamp(0),
        updated_by: "b".into(),
        archived: false,
    }
}

fn rec<T>(data: T) -> Record<T> {
    Record { meta: meta(), data }
}

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()
}

fn partner() -> Partner {
    Partner {
        name: "n".into(),
        short_name: Some("s".into()),
        kind: OrgKind::University,
        country: "SE".into(),
        city: "c".into(),
        website: "w".into(),
        phase: Phase::Running,
        tier: Tier::Strategic,
        formats: vec![Format::Research],
        faculties: vec!["f".into()],
        goals: vec!["g".into()],
        tags: vec!["t".into()],
        sponsors_ours: vec!["o".into()],
        sponsors_partner: vec!["p".into()],
        coordinator: "k".into(),
    }
}

fn agreement() -> Agreement {
    Agreement {
        partner: Id(1),
        kind: AgreementKind::ALL[0],
        title: "t".into(),
        signed: Some(day()),
        start: day(),
        end: Some(day()),
        signatories: vec!["s".into()],
        renewal_lead_months: 6,
        status: AgreementStatus::ALL[0],
        renewal_draft_sent: None,
        renewal_signed: None,
    }
}

fn contact() -> Contact {
    Contact {
        partner: Id(1),
        side: Side::ALL[0],
        name: "n".into(),
        role: ContactRole::ALL[0],
        email: "e".into(),
        phone: "p".into(),
    }
}

fn activity() -> Activity {
    Activity {
        date: day(),
        end_date: Some(day()),
        partners: vec![Id(1)],
        kind: ActivityKind::Meeting,
        title: "t".into(),
        description: "d".into(),
        values: vec![AddedValue::Quality],
        status: ActivityStatus::Done,
        owner: "o".into(),
    }
}

fn assessment() -> Assessment {
    Assessment {
        partner: Id(1),
        value: AddedValue::Quality,
        score: 3,
        target: Some(4),
        evidence: "e".into(),
        date: day(),
        assessor: "a".into(),
    }
}

fn action_item() -> ActionItem {
    ActionItem {
        text: "t".into(),
        owner: "o".into(),
        due: Some(day()),
        done: false,
    }
}

fn note() -> Note {
    Note {
        partners: vec![Id(1)],
        date: day(),
        title: "t".into(),
        kind: MeetingKind::ALL[0],
        attendees: vec!["a".into()],
        body: "b".into(),
        decisions: vec!["d".into()],
        actions: vec![action_item()],
    }
}

fn change() -> FieldChange {
    FieldChange {
        field: "f".into(),
        old: "o".into(),
        new: "n".into(),
    }
}

fn audit() -> AuditEntry {
    AuditEntry {
        seq: 1,
        at: Timestamp(0),
        user: "u".into(),
        action: AuditAction::Update,
        kind: EntityKind::Partner,
        id: Id(1),
        version: 2,
        label: "l".into(),
        changes: vec![change()],
    }
}

fn action_row() -> ActionRow {
    ActionRow {
        note: Id(1),
        note_version: 1,
        note_title: "t".into(),
        note_date: day(),
        partners: vec![Id(1)],
        index: 0,
        item: action_item(),
        overdue: false,
    }
}

/// Server messages with the deepest nesting: records in lists, with lists of text inside.
fn deep_server_msgs() -> Vec<(&'static str, ServerMsg)> {
    let response = |response| ServerMsg::Response { id: 1, response };
    vec![
        (
            "partner detail",
            response(Response::PartnerDetail(Box::new(PartnerDetail {
                partner: rec(partner()),
                agreements: vec![rec(agreement())],
                contacts: vec![rec(contact())],
                archived_agreements: vec![rec(agreement())],
                archived_contacts: vec![rec(contact())],
                recent_activities: vec![rec(activity())],
                open_actions: vec![action_row()],
                scores: [None; 6],
                checklist: None,
                theirs: [None; 6],
                value_activities: [0; 6],
                renewal: Renewal::None,
                profile: [ProfileCheck::CommonGoals { goals: 1 }; 6],
            }))),
        ),
        (
            "notes page",
            response(Response::Notes(Page {
                total: 1,
                offset: 0,
                items: vec![rec(note())],
            })),
        ),
        ("audit", response(Response::Audit(vec![audit()]))),
        (
            "check report",
            response(Response::CheckReport {
                counted: vec![("t".into(), 1)],
                findings: vec![spets::store::check::Finding::StrayIndex {
                    tree: "t".into(),
                    key: "k".into(),
                }],
            }),
        ),
    ]
}

// ------------------------------------------------------------------ the codec

fn check_codec(what: &str, valid: &[u8], decode: &Decoder) -> usize {
    let (p, input) = lying_lengths(valid, decode);
    let bound = codec_bound(input.len());
    eprintln!(
        "{what}: {} at most with lying lengths ({} bytes of input; bound {})",
        mib(p),
        input.len(),
        mib(bound)
    );
    assert!(
        p <= bound,
        "{what}: {p} bytes in use decoding {input:02x?}, over {bound}"
    );
    p
}

#[test]
fn lying_length_prefixes_cannot_make_the_codec_allocate_past_its_limit() {
    let _one = exclusive();
    let mut worst = 0usize;
    let records: Vec<(&str, Vec<u8>, Box<Decoder>)> = vec![
        (
            "partner",
            codec::encode_record(&rec(partner())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Partner>(b))),
        ),
        (
            "agreement",
            codec::encode_record(&rec(agreement())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Agreement>(b))),
        ),
        (
            "contact",
            codec::encode_record(&rec(contact())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Contact>(b))),
        ),
        (
            "activity",
            codec::encode_record(&rec(activity())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Activity>(b))),
        ),
        (
            "assessment",
            codec::encode_record(&rec(assessment())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Assessment>(b))),
        ),
        (
            "note",
            codec::encode_record(&rec(note())).unwrap(),
            Box::new(|b| drop(codec::decode_record::<Note>(b))),
        ),
        (
            "audit entry",
            codec::encode_audit(&audit()).unwrap(),
            Box::new(|b| drop(codec::decode_audit(b))),
        ),
        (
            "client request",
            codec::encode(&ClientMsg::Request {
                id: 1,
                request: Request::Update {
                    id: Id(1),
                    expected_version: 1,
                    data: AnyData::Note(note()),
                },
            })
            .unwrap(),
            Box::new(|b| drop(codec::decode::<ClientMsg>(b))),
        ),
    ];
    for (what, valid, decode) in &records {
        worst = worst.max(check_codec(what, valid, decode));
    }
    for (what, msg) in deep_server_msgs() {
        let valid = codec::encode(&msg).unwrap();
        worst = worst.max(check_codec(what, &valid, &|b| {
            drop(codec::decode::<ServerMsg>(b))
        }));
    }
    // The lies must have worked: some claim allocated close to the whole limit.
    assert!(worst > BYTE_LIMIT / 2, "no lie reached the limit: {worst}");
    // A claim of one byte more than the limit is refused before anything is allocated.
    let over = [&[0u8, 1, 1, 0][..], &claim(BYTE_LIMIT as u64 + 1)].concat();
    let p = peak(|| assert!(codec::decode_record::<Partner>(&over).is_err()));
    eprintln!("a claim past the limit: {p} bytes");
    assert!(p <= SLACK, "{p}");
}

/// Many items of the smallest encoding: the per-byte term of the bound, at its worst.
#[test]
fn many_tiny_items_cost_a_bounded_multiple_of_their_bytes() {
    let _one = exclusive();
    let n = 100_000;
    let cases: Vec<(&str, Vec<u8>, Box<Decoder>)> = vec![
        (
            "a partner with 100,000 empty tags",
            codec::encode_record(&rec(Partner {
                tags: vec![String::new(); n],
                ..partner()
            }))
            .unwrap(),
            Box::new(|b| drop(codec::decode_record::<Partner>(b))),
        ),
        (
            "a note with 100,000 empty action items",
            codec::encode(&ClientMsg::Request {
                id: 1,
                request: Request::Create(AnyData::Note(Note {
                    actions: vec![
                        ActionItem {
                            text: String::new(),
                            owner: String::new(),
                            due: None,
                            done: false
                        };
                        n
                    ],
                    ..note()
                })),
            })
            .unwrap(),
            Box::new(|b| drop(codec::decode::<ClientMsg>(b))),
        ),
        (
            "an activity with 100,000 partners (owned)",
            codec::encode_record(&rec(Activity {
                partners: vec![Id(1); n],
                ..activity()
            }))
            .unwrap(),
            Box::new(|b| drop(codec::decode_record::<Activity>(b))),
        ),
        (
            "an activity with 100,000 partners (borrowed)",
            codec::encode_record(&rec(Activity {
                partners: vec![Id(1); n],
                ..activity()
            }))
            .unwrap(),
            Box::new(|b| drop(ActivityRef::decode(b))),
        ),
        (
            "an audit entry with 100,000 empty changes",
            codec::encode_audit(&AuditEntry {
                changes: vec![
                    FieldChange {
                        field: String::new(),
                        old: String::new(),
                        new: String::new()
                    };
                    n
                ],
                ..audit()
            })
            .unwrap(),
            Box::new(|b| drop(codec::decode_audit(b))),
        ),
    ];
    for (what, bytes, decode) in &cases {
        let p = peak(|| decode(bytes));
        eprintln!(
            "{what}: {} bytes → {} in use ({:.1} per byte)",
            bytes.len(),
            mib(p),
            p as f64 / bytes.len() as f64
        );
        assert!(p <= CODEC_PER_BYTE * bytes.len() + SLACK, "{what}: {p}");
    }
}

#[test]
fn random_and_damaged_input_stays_within_the_codec_bound() {
    let _one = exclusive();
    let worst = Cell::new((0usize, 0usize));
    let check = |bytes: &[u8]| -> Result<(), TestCaseError> {
        let decoders: [&Decoder; 10] = [
            &|b| drop(codec::decode_record::<Partner>(b)),
            &|b| drop(codec::decode_record::<Agreement>(b)),
            &|b| drop(codec::decode_record::<Contact>(b)),
            &|b| drop(codec::decode_record::<Activity>(b)),
            &|b| drop(codec::decode_record::<Assessment>(b)),
            &|b| drop(codec::decode_record::<Note>(b)),
            &|b| drop(ActivityRef::decode(b)),
            &|b| drop(codec::decode_audit(b)),
            &|b| drop(codec::decode::<ClientMsg>(b)),
            &|b| drop(codec::decode::<ServerMsg>(b)),
        ];
        for d in decoders {
            let p = peak(|| d(bytes));
            if p > worst.get().0 {
                worst.set((p, bytes.len()));
            }
            prop_assert!(p <= codec_bound(bytes.len()), "{} for {:02x?}", p, bytes);
        }
        Ok(())
    };
    let mut runner = runner();
    runner
        .run(&vec(any::<u8>(), 0..512), |b| check(&b))
        .unwrap();
    runner
        .run(&(server_msg(), damage()), |(m, d)| {
            check(&d.apply(&codec::encode(&m).unwrap()))
        })
        .unwrap();
    runner
        .run(&(any_record(), damage()), |(r, d)| {
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
            check(&d.apply(&bytes))
        })
        .unwrap();
    eprintln!(
        "random and damaged input: at most {} ({} bytes of input)",
        mib(worst.get().0),
        worst.get().1
    );
}

// ------------------------------------------------------------------ the backup reader

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

fn with_checksum(mut b: Vec<u8>) -> Vec<u8> {
    if b.len() >= 4 {
        let body = b.len() - 4;
        let crc = crc32fast::hash(&b[..body]);
        b[body..].copy_from_slice(&crc.to_be_bytes());
    }
    b
}

fn backup_peak(bytes: &[u8]) -> usize {
    peak(|| drop(backup::parse("x", bytes)))
}

#[test]
fn the_backup_reader_allocates_a_bounded_multiple_of_the_file() {
    let _one = exclusive();
    let good = real_backup();
    // The header (magic, format, schema), then the first tree's name as the file has it. The
    // crafted files below are in format 1 (counted entries), which the reader still reads.
    let mut header = good[..21].to_vec();
    header[13..17].copy_from_slice(&1u32.to_be_bytes());
    let header = &header[..];
    let name_len = usize::from(u16::from_be_bytes([good[25], good[26]]));
    let name = &good[25..27 + name_len];
    // The worst case: one tree of 200,000 empty entries (8 bytes each in the file).
    let n = 200_000u64;
    let mut many = [header, &1u32.to_be_bytes(), name, &n.to_be_bytes()].concat();
    many.resize(many.len() + 8 * n as usize, 0);
    many.extend_from_slice(&[0; 4]);
    let many = with_checksum(many);
    assert_eq!(backup::parse("many", &many).unwrap()[0].1.len(), n as usize);
    // Lying counts: 2^32 - 1 trees, 2^64 - 1 entries, with nothing behind them.
    let lies = [
        with_checksum([header, &u32::MAX.to_be_bytes(), &[0; 4]].concat()),
        with_checksum(
            [
                header,
                &1u32.to_be_bytes(),
                name,
                &u64::MAX.to_be_bytes(),
                &[0; 4],
            ]
            .concat(),
        ),
    ];
    for (what, bytes) in [("a real backup", &good), ("200,000 empty entries", &many)]
        .into_iter()
        .chain(lies.iter().map(|b| ("a lying count", b)))
    {
        let p = backup_peak(bytes);
        eprintln!(
            "backup, {what}: {} bytes → {} in use ({:.1} per byte)",
            bytes.len(),
            mib(p),
            p as f64 / bytes.len() as f64
        );
        assert!(p <= BACKUP_PER_BYTE * bytes.len() + SLACK, "{what}: {p}");
    }
    let worst = Cell::new(0f64);
    let mut runner = runner();
    let check = |b: Vec<u8>| -> Result<(), TestCaseError> {
        for b in [b.clone(), with_checksum(b)] {
            let p = backup_peak(&b);
            worst.set(worst.get().max(p as f64 / b.len().max(1) as f64));
            prop_assert!(
                p <= BACKUP_PER_BYTE * b.len() + SLACK,
                "{} for {:02x?}",
                p,
                b
            );
        }
        Ok(())
    };
    runner.run(&vec(any::<u8>(), 0..512), check).unwrap();
    runner.run(&damage(), |d| check(d.apply(&good))).unwrap();
    eprintln!(
        "backup, random and damaged: at most {:.1} bytes in use per byte",
        worst.get()
    );
}

// ------------------------------------------------------------------ the CSV importer

fn csv_peak(c: &Embedded, kind: ImportKind, bytes: &[u8]) -> usize {
    let opts = ImportOptions {
        dry_run: true,
        valid_only: false,
        lang: Lang::Sv,
        today: csv_support::today(),
    };
    peak(|| drop(csvio::import_bytes(c, kind, bytes, &opts)))
}

#[test]
fn the_csv_importer_allocates_a_bounded_multiple_of_the_file() {
    let _one = exclusive();
    let dir = tempfile::tempdir().unwrap();
    let svc = csv_support::demo(dir.path(), 20, 200, 5);
    let c = Embedded::new(svc, "anna.lind".into());
    let eo = ExportOptions::new(Dialect::ExcelSv, Naming::Labels(Lang::Sv));
    let (partners, _) = csv_support::export(&c, Dataset::Partners, &Scope::All, &eo);
    let (activities, _) = csv_support::export(&c, Dataset::Activities, &Scope::All, &eo);
    let partner_header = partners.split(|&b| b == b'\n').next().unwrap().to_vec();
    let activity_header = activities.split(|&b| b == b'\n').next().unwrap().to_vec();
    let rows = |header: &[u8], row: &[u8], n: usize| -> Vec<u8> {
        let mut b = header.to_vec();
        b.push(b'\n');
        for _ in 0..n {
            b.extend_from_slice(row);
        }
        b
    };
    let list_row = |header: &[u8]| -> Vec<u8> {
        let cells = header.split(|&b| b == b';').count();
        let cell = vec!["x"; 20_000].join(" | ");
        format!("{}\n", vec![cell; cells].join(";")).into_bytes()
    };
    let bad_row = |header: &[u8]| -> Vec<u8> {
        let cells = header.split(|&b| b == b';').count();
        format!("{}\n", vec!["!"; cells].join(";")).into_bytes()
    };
    let cases: Vec<(&str, ImportKind, Vec<u8>)> = vec![
        (
            "a real partner export",
            ImportKind::Partners,
            partners.clone(),
        ),
        (
            "a real activity export",
            ImportKind::Activities,
            activities.clone(),
        ),
        // Rows whose every cell is wrong: several problems per row, each kept with its texts.
        (
            "20,000 partner rows of problems",
            ImportKind::Partners,
            rows(&partner_header, &bad_row(&partner_header), 20_000),
        ),
        (
            "20,000 activity rows of problems",
            ImportKind::Activities,
            rows(&activity_header, &bad_row(&activity_header), 20_000),
        ),
        (
            "one row of 100,000 cells",
            ImportKind::Activities,
            rows(
                &activity_header,
                format!("{}\n", vec!["x"; 100_000].join(";")).as_bytes(),
                1,
            ),
        ),
        // Every cell a list of 20,000 items, which may each be a problem of their own.
        (
            "a partner row of 20,000-item lists",
            ImportKind::Partners,
            rows(&partner_header, &list_row(&partner_header), 1),
        ),
        (
            "an activity row of 20,000-item lists",
            ImportKind::Activities,
            rows(&activity_header, &list_row(&activity_header), 1),
        ),
    ];
    for (what, kind, bytes) in &cases {
        let p = csv_peak(&c, *kind, bytes);
        eprintln!(
            "CSV, {what}: {} bytes → {} in use ({:.1} per byte)",
            bytes.len(),
            mib(p),
            p as f64 / bytes.len() as f64
        );
        assert!(p <= CSV_PER_BYTE * bytes.len() + CSV_BASE, "{what}: {p}");
    }
    let worst = Cell::new(0usize);
    let mut runner = runner();
    for (kind, export) in [
        (ImportKind::Partners, partners),
        (ImportKind::Activities, activities),
    ] {
        runner
            .run(
                &prop_oneof![
                    vec(any::<u8>(), 0..512),
                    damage().prop_map(move |d| d.apply(&export))
                ],
                |b| {
                    let p = csv_peak(&c, kind, &b);
                    worst.set(worst.get().max(p));
                    prop_assert!(p <= CSV_PER_BYTE * b.len() + CSV_BASE, "{}", p);
                    Ok(())
                },
            )
            .unwrap();
    }
    eprintln!("CSV, random and damaged: at most {}", mib(worst.get()));
}

// ------------------------------------------------------------------ the keymap parser

#[test]
fn the_keymap_parser_allocates_a_bounded_multiple_of_the_file() {
    let _one = exclusive();
    let parse = |text: &str| {
        peak(|| {
            drop(Keymap::from_toml(text, Path::new("k.toml")));
            drop(Keymap::with_overrides("default", text, Path::new("k.toml")));
        })
    };
    let preset = Keymap::preset_text("vim").unwrap();
    let entry = "[[global]]\non = [\"x\"]\nrun = \"quit\"\n";
    let cases = [
        ("the vim preset", preset.to_string()),
        ("2,000 bindings", entry.repeat(2_000)),
        (
            "an array of 20,000 empty arrays",
            format!("a = [{}]\n", "[],".repeat(20_000)),
        ),
        (
            "20,000 nested arrays",
            format!("a = {}{}\n", "[".repeat(20_000), "]".repeat(20_000)),
        ),
        ("20,000 unknown keys", "x=1\n".repeat(20_000)),
    ];
    for (what, text) in &cases {
        let p = parse(text);
        eprintln!(
            "keymap, {what}: {} bytes → {} in use ({:.1} per byte)",
            text.len(),
            mib(p),
            p as f64 / text.len() as f64
        );
        assert!(
            p <= KEYMAP_PER_BYTE * text.len() + KEYMAP_BASE,
            "{what}: {p}"
        );
    }
    let worst = Cell::new(0usize);
    runner()
        .run(
            &vec(any::<char>(), 0..512).prop_map(String::from_iter),
            |t| {
                let p = parse(&t);
                worst.set(worst.get().max(p));
                prop_assert!(p <= KEYMAP_PER_BYTE * t.len() + KEYMAP_BASE, "{}", p);
                Ok(())
            },
        )
        .unwrap();
    eprintln!("keymap, random: at most {}", mib(worst.get()));
}
