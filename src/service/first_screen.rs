//! The first screen, kept for the next start: the partner table's first page in each language the
//! model has a name order for, written beside the model checkpoint when a service closes.
//!
//! Opening a large workspace takes sled tens of milliseconds before anything can be read, so the
//! UI paints its first frame from this small file (a few tens of kilobytes) while the workspace
//! opens, and replaces the rows with the service's answer as soon as it is open. Nothing can be
//! changed meanwhile: every request waits for the workspace. A page from another spets version,
//! schema or day is not used; one that proves stale (the workspace changed after it was written)
//! is corrected by that first answer.
//!
//! Layout: magic, the [`FirstScreen`] as the codec encodes it, a CRC-32 of the two.

use super::Service;
use super::api::{Page, PartnerQuery, PartnerRow, Request, Response};
use crate::i18n::Lang;
use crate::store::{SCHEMA_VERSION, codec};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const FILE: &str = "first-screen";
const MAGIC: &[u8; 8] = b"SPETSFS1";
/// Rows kept per language: a screenful and more (the partner pane's window).
pub const FIRST_SCREEN_ROWS: usize = 120;

#[derive(Debug, Serialize, Deserialize)]
struct FirstScreen {
    spets: String,
    schema: u32,
    /// Audit entries in the store when it was written (what it describes).
    audit_entries: u64,
    /// The day the renewal marks were computed for.
    today: NaiveDate,
    pages: Vec<(Lang, Page<PartnerRow>)>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The first page of the partner table for `lang` as it was when a service on `dir` last closed,
/// unless it is missing, damaged, from another version or schema, or from another day than
/// `today`. Cheap: one small file, read before the workspace is open.
pub fn first_screen(dir: &Path, lang: Lang, today: NaiveDate) -> Option<Page<PartnerRow>> {
    let f = read(dir)?;
    if f.today != today {
        return None;
    }
    f.pages
        .into_iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, p)| p)
}

/// What the file on disk describes: audit entries, day, languages.
fn written_for(dir: &Path) -> Option<(u64, NaiveDate, Vec<Lang>)> {
    let f = read(dir)?;
    let langs = f.pages.iter().map(|(l, _)| *l).collect();
    Some((f.audit_entries, f.today, langs))
}

/// The file, if it is intact and from this version and schema.
fn read(dir: &Path) -> Option<FirstScreen> {
    let bytes = std::fs::read(path(dir)).ok()?;
    let body = bytes.strip_prefix(MAGIC.as_slice())?;
    let (body, crc) = body.split_last_chunk::<4>()?;
    if crc32fast::hash(body) != u32::from_be_bytes(*crc) {
        return None;
    }
    let f: FirstScreen = codec::decode(body).ok()?;
    (f.spets == env!("CARGO_PKG_VERSION") && f.schema == SCHEMA_VERSION).then_some(f)
}

impl Service {
    /// Write the first screen of every language in `langs` (see the module). Only a cache:
    /// failures are logged.
    pub(super) fn write_first_screen(&self, langs: &[Lang]) {
        let audit_entries = self.store().audit_count() as u64;
        if written_for(self.store().path()) == Some((audit_entries, self.today(), langs.to_vec())) {
            return;
        }
        let mut pages = Vec::new();
        for lang in langs {
            let q = PartnerQuery {
                lang: *lang,
                limit: FIRST_SCREEN_ROWS,
                ..PartnerQuery::default()
            };
            if let Response::Partners(p) = self.query(Request::Partners(q)).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "no first screen");
                Response::Failed(super::Failure::Internal)
            }) {
                pages.push((*lang, p));
            }
        }
        let f = FirstScreen {
            spets: env!("CARGO_PKG_VERSION").to_string(),
            schema: SCHEMA_VERSION,
            audit_entries,
            today: self.today(),
            pages,
        };
        let written = codec::encode(&f)
            .map_err(|e| e.to_string())
            .and_then(|body| {
                let mut out = MAGIC.to_vec();
                out.extend_from_slice(&body);
                let crc = crc32fast::hash(&out[MAGIC.len()..]);
                out.extend_from_slice(&crc.to_be_bytes());
                crate::store::backup::write_atomic(&path(self.store().path()), &out)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            tracing::warn!(error = %e, "could not write the first screen");
        }
    }
}
