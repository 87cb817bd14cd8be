//! Every size limit of a workspace, in one place.
//!
//! The limits are checked where data enters (the service's create and update, which forms, CSV
//! import and daemon requests all go through, and restore), and the store checks the encoded size
//! of every record and audit entry before it commits it. The codec's read limit is derived from
//! [`MAX_RECORD_BYTES`] (see [`DECODE_LIMIT`]), so whatever is accepted on write is readable by
//! every reader.
//!
//! The values are generous: no real partnership office comes near them. They exist so that one
//! careless or hostile input (a 20 MB spreadsheet cell, a million tags) cannot make a record that
//! no reader can read, or a workspace that takes minutes to open.

/// Names of people, places and organisations: partner name and short name, city, coordinator,
/// contact name, activity owner, assessor, action-item owner.
pub const NAME_CHARS: usize = 200;
/// One line of text: titles, web addresses, and each entry of a list field (tags, faculties, goals,
/// sponsors, signatories, attendees, decisions, action items).
pub const LINE_CHARS: usize = 500;
/// An e-mail address (RFC 5321's limit for a path).
pub const EMAIL_CHARS: usize = 254;
/// A phone number, with spaces and an extension.
pub const PHONE_CHARS: usize = 50;
/// Long text: an activity's description, a note's body, an assessment's evidence.
pub const TEXT_CHARS: usize = 100_000;
/// A user name stored in a record's bookkeeping (created by, updated by).
pub const USER_CHARS: usize = 256;

/// Tags of a partner.
pub const TAGS: usize = 100;
/// Faculties involved with a partner.
pub const FACULTIES: usize = 50;
/// Goals of one partner that are not archived (and goals one activity or note links to).
pub const GOALS: usize = 50;
/// Senior sponsors on one side of a partnership.
pub const SPONSORS: usize = 50;
/// Signatories of an agreement.
pub const SIGNATORIES: usize = 20;
/// Partners of one activity or one meeting note.
pub const PARTNERS_PER_RECORD: usize = 100;
/// Attendees of a meeting.
pub const ATTENDEES: usize = 200;
/// Decisions recorded in a meeting note.
pub const DECISIONS: usize = 200;
/// Action items of a meeting note.
pub const ACTION_ITEMS: usize = 200;

/// The largest encoded record or audit entry the store writes (2 MiB). A record at every limit
/// above at once, in four-byte characters, is about 1.8 MiB.
pub const MAX_RECORD_BYTES: usize = 2 << 20;

/// The codec's read limit: bincode counts every integer it decodes at its in-memory width (a
/// `u64` counts 8 bytes however few it was encoded in), so a record of `n` encoded bytes claims at
/// most `8 n` while it is decoded. A record the store accepted always decodes within this limit,
/// and a damaged length prefix can never make a reader allocate more.
pub const DECODE_LIMIT: usize = MAX_RECORD_BYTES * CLAIM_FACTOR;

/// The most bytes bincode claims per encoded byte (a one-byte varint decoded as a `u64`).
pub const CLAIM_FACTOR: usize = 8;

/// An audit entry keeps at most this many characters of a field's old and new text; longer values
/// are summarised (their start, an ellipsis and the full length).
pub const AUDIT_VALUE_CHARS: usize = 1_000;

/// Rows of one CSV import (it is committed as one transaction).
pub const IMPORT_ROWS: usize = 250_000;

/// An import's report lists at most this many problems; the rest are counted. (A file of garbage
/// must not make the report, and the memory that holds it, as large as the file.)
pub const IMPORT_PROBLEMS_SHOWN: usize = 1_000;

/// A problem quotes at most this many characters of the cell it is about.
pub const IMPORT_PROBLEM_VALUE_CHARS: usize = 80;

/// The most rows one window of a list answers (the timeline, meeting notes, partners): a client
/// asks for what it shows and pages on, so no answer grows with the workspace.
pub const WINDOW_ROWS: usize = 500;
