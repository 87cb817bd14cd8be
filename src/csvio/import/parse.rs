//! Reading an import's CSV: where it comes from, its header row matched to the dataset's columns,
//! and every data row after it checked in order (each pass of an import goes through here).

use super::check::{self, Context, Header, RowCheck, not_utf8, sniff_delimiter, t};
use super::{ImportError, ImportKind, ImportOptions, ImportReport, Problem, goals};
use crate::client::Client;
use crate::i18n::Lang;
use crate::service::AnyData;
use std::collections::HashMap;
use std::path::Path;

/// Where the CSV comes from.
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    Bytes(&'a [u8]),
    /// A file, and its first bytes (for the header and the delimiter).
    File(&'a Path, &'a [u8]),
}

/// A file with its header read: where each column is, and the records after it.
pub(super) struct Parsed<'a> {
    source: Source<'a>,
    delimiter: u8,
    pub(super) header: Header,
    pub(super) ignored: Vec<String>,
}

/// The records of a CSV source, after its header.
type Records<'a> = Box<dyn Iterator<Item = csv::Result<csv::StringRecord>> + 'a>;

impl<'a> Parsed<'a> {
    /// The data records, from the row after the header on.
    fn records(&self) -> Result<Records<'a>, ImportError> {
        fn after_header<R: std::io::Read + 'static>(
            r: R,
            delimiter: u8,
        ) -> csv::StringRecordsIntoIter<R> {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(r);
            let mut head = csv::StringRecord::new();
            let _ = reader.read_record(&mut head);
            reader.into_records()
        }
        Ok(match self.source {
            Source::Bytes(b) => {
                let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(self.delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(b);
                let mut head = csv::StringRecord::new();
                let _ = reader.read_record(&mut head);
                Box::new(reader.into_records())
            }
            Source::File(path, start) => {
                use std::io::Read;
                let read = |source| ImportError::Read {
                    path: path.to_path_buf(),
                    source,
                };
                let mut f = std::io::BufReader::with_capacity(
                    256 << 10,
                    std::fs::File::open(path).map_err(read)?,
                );
                if start.starts_with(b"\xEF\xBB\xBF") {
                    let mut bom = [0u8; 3];
                    f.read_exact(&mut bom).map_err(read)?;
                }
                Box::new(after_header(f, self.delimiter))
            }
        })
    }
}

/// Read the header row and match it to the dataset's columns; a report instead when a column the
/// file must have is missing.
pub(super) fn parse_header<'a>(
    kind: ImportKind,
    source: Source<'a>,
    opts: &ImportOptions,
) -> Result<Result<Parsed<'a>, ImportReport>, ImportError> {
    let lang = opts.lang;
    let bytes = match source {
        Source::Bytes(b) | Source::File(_, b) => b,
    };
    let (bytes, excel) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let cols = kind.columns();
    let head = match reader.records().next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            let why = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => not_utf8(lang),
                _ => e.to_string(),
            };
            let what = t(
                lang,
                "cannot read the header row:",
                "kan inte läsa rubrikraden:",
            );
            return Err(ImportError::Service(format!("{what} {why}")));
        }
        None => return Err(ImportError::Empty),
    };
    let mut header = Header {
        index: HashMap::new(),
        names: HashMap::new(),
        excel,
        lang,
    };
    let mut ignored = Vec::new();
    for (i, h) in head.iter().enumerate() {
        match cols.iter().find(|c| c.matches(h)) {
            Some(c) if !header.index.contains_key(c.key) => {
                header.index.insert(c.key, i);
                header.names.insert(c.key, h.trim().to_string());
            }
            _ if h.trim().is_empty() => {}
            _ => ignored.push(h.trim().to_string()),
        }
    }
    // Columns the file must have (the id columns of an export are ignored: new records get new ids).
    let required: &[&str] = match kind {
        ImportKind::Partners => &["name", "kind", "country"],
        ImportKind::Activities => &["date", "kind", "title"],
        ImportKind::Goals => &["text"],
    };
    let mut missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !header.index.contains_key(k))
        .collect();
    let partner_col = match kind {
        ImportKind::Activities => Some(("partners", "partner_ids")),
        ImportKind::Goals => Some(("partner", "partner_id")),
        ImportKind::Partners => None,
    };
    if let Some((names, ids)) = partner_col
        && !header.index.contains_key(names)
        && !header.index.contains_key(ids)
    {
        missing.push(names);
    }
    let problems: Vec<Problem> = missing
        .into_iter()
        .map(|key| {
            let col = cols.iter().find(|c| c.key == key);
            let (en, sv) = col.map(|c| (c.en, c.sv)).unwrap_or((key, key));
            Problem {
                row: 1,
                column: header.name(cols, key),
                value: String::new(),
                message: match lang {
                    Lang::En => format!("the file has no such column; add a column headed \"{en}\", \"{sv}\" or \"{key}\""),
                    Lang::Sv => format!("filen saknar den kolumnen; lägg till en kolumn med rubriken \"{sv}\", \"{en}\" eller \"{key}\""),
                },
                lang,
            }
        })
        .collect();
    if !problems.is_empty() {
        return Ok(Err(ImportReport {
            kind,
            rows: 0,
            valid: 0,
            written: 0,
            problems,
            problems_not_shown: 0,
            ignored_columns: ignored,
            dry_run: opts.dry_run,
            lang,
        }));
    }
    Ok(Ok(Parsed {
        source,
        delimiter,
        header,
        ignored,
    }))
}

/// One data row, checked: its number, the record it makes (if any) and what is wrong with it.
pub(super) struct Checked {
    pub(super) row: usize,
    pub(super) data: Option<AnyData>,
    pub(super) problems: Vec<Problem>,
}

/// Check every data record of `parsed` in order, handing each to `each`; blank rows are skipped.
/// Returns the number of data rows.
pub(super) fn check_rows(
    client: &dyn Client,
    kind: ImportKind,
    parsed: &Parsed<'_>,
    ctx: &mut Context,
    opts: &ImportOptions,
    each: &mut dyn FnMut(Checked) -> Result<(), ImportError>,
) -> Result<usize, ImportError> {
    let lang = opts.lang;
    let cols = kind.columns();
    let mut rows = 0;
    for (i, rec) in parsed.records()?.enumerate() {
        let row = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rows += 1;
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => not_utf8(lang),
                    _ => e.to_string(),
                };
                let problem = Problem {
                    row,
                    column: String::new(),
                    value: String::new(),
                    message,
                    lang,
                };
                each(Checked {
                    row,
                    data: None,
                    problems: vec![problem],
                })?;
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let mut check = RowCheck {
            row,
            header: &parsed.header,
            cols,
            problems: Vec::new(),
        };
        let data = match kind {
            ImportKind::Partners => check::partner_row(&mut check, &rec, ctx),
            ImportKind::Activities => check::activity_row(&mut check, &rec, ctx, opts, client)?,
            ImportKind::Goals => goals::goal_row(&mut check, &rec, ctx, client)?,
        };
        each(Checked {
            row,
            data,
            problems: check.problems,
        })?;
    }
    Ok(rows)
}
