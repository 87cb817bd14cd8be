//! `spets import partners|activities|goals FILE`: read a CSV (any dialect; columns matched by header name
//! in Swedish, English or machine form), check every row, and create the records through the
//! service only when every row passes (or, when asked, only the rows that pass).
//!
//! Two passes over the file's bytes, so that a large file costs little memory: the first checks
//! every row and keeps only the problems and the numbers of the rows that pass; the second reads
//! those rows again and streams them to the service in chunks ([`send`]), which commits them all
//! at once.

mod check;
mod goals;
mod parse;
mod send;

use self::check::{Context, RowCheck};
use self::parse::{Source, check_rows, parse_header};
use super::columns::{self, Column};
use crate::client::Client;
use crate::i18n::Lang;
use chrono::NaiveDate;
use std::path::Path;
/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Partners,
    Activities,
    /// Goals of partners already in the workspace (by name, or by id).
    Goals,
}

impl ImportKind {
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Partners => "partners",
            ImportKind::Activities => "activities",
            ImportKind::Goals => "goals",
        }
    }
    pub fn parse(s: &str) -> Option<ImportKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "partners" => Some(ImportKind::Partners),
            "activities" => Some(ImportKind::Activities),
            "goals" => Some(ImportKind::Goals),
            _ => None,
        }
    }
    fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Partners => columns::PARTNERS,
            ImportKind::Activities => columns::ACTIVITIES,
            ImportKind::Goals => columns::GOALS,
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write the rows that pass even when others do not.
    pub valid_only: bool,
    /// The language of messages.
    pub lang: Lang,
    /// "Today", for the default status of activities without one (done before, planned after).
    pub today: NaiveDate,
}

impl ImportOptions {
    pub fn new(lang: Lang) -> ImportOptions {
        ImportOptions {
            dry_run: false,
            valid_only: false,
            lang,
            today: chrono::Local::now().date_naive(),
        }
    }
}

/// One problem: where (row as a spreadsheet numbers it, the header being row 1; the column's
/// header as written in the file) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
    lang: Lang,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (row, col) = match self.lang {
            Lang::En => ("row", "column"),
            Lang::Sv => ("rad", "kolumn"),
        };
        use crate::term::inline;
        write!(f, "{row} {}", self.row)?;
        if !self.column.is_empty() {
            write!(f, ", {col} \"{}\"", inline(&self.column))?;
        }
        if self.value.is_empty() {
            write!(f, ": {}", inline(&self.message))
        } else {
            write!(f, ": \"{}\" {}", inline(&self.value), inline(&self.message))
        }
    }
}

/// At most [`limits::IMPORT_PROBLEM_VALUE_CHARS`] characters of a cell, with an ellipsis when
/// cut.
pub(super) fn quoted(value: &str) -> String {
    let max = crate::domain::limits::IMPORT_PROBLEM_VALUE_CHARS;
    match value.char_indices().nth(max) {
        None => value.to_string(),
        Some((end, _)) => format!("{}…", &value[..end]),
    }
}

/// The problems an import keeps: the first [`limits::IMPORT_PROBLEMS_SHOWN`], in the order they
/// were found, and a count of the rest.
///
/// [`limits::IMPORT_PROBLEMS_SHOWN`]: crate::domain::limits::IMPORT_PROBLEMS_SHOWN
#[derive(Default)]
struct Kept {
    problems: Vec<Problem>,
    more: usize,
}

impl Kept {
    fn add(&mut self, p: impl IntoIterator<Item = Problem>) {
        for p in p {
            if self.problems.len() < crate::domain::limits::IMPORT_PROBLEMS_SHOWN {
                self.problems.push(p);
            } else {
                self.more += 1;
            }
        }
    }
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that passed every check.
    pub valid: usize,
    /// Records created.
    pub written: usize,
    pub problems: Vec<Problem>,
    /// Problems found beyond the ones listed (see [`crate::domain::limits::IMPORT_PROBLEMS_SHOWN`]).
    pub problems_not_shown: usize,
    /// Headers that match no column (left out of the import, e.g. `id`).
    pub ignored_columns: Vec<String>,
    pub dry_run: bool,
    lang: Lang,
}

impl ImportReport {
    /// One sentence saying what happened.
    pub fn summary(&self) -> String {
        use crate::i18n::counts::{Noun, count};
        let bad = self.rows - self.valid;
        let lang = self.lang;
        let checked = crate::i18n::counts::import_checked(lang, self.rows, self.valid);
        let checked = checked.trim_end_matches('.');
        let noun = match self.kind {
            ImportKind::Partners => Noun::Partner,
            ImportKind::Activities => Noun::Activity,
            ImportKind::Goals => Noun::Goal,
        };
        let done = match lang {
            Lang::En => {
                if self.dry_run {
                    "dry run: nothing was written".to_string()
                } else if self.written == 0 && bad > 0 {
                    "nothing was written; fix the rows above, or use --valid-only to import just the valid rows".to_string()
                } else {
                    format!("{} imported", count(lang, self.written, noun))
                }
            }
            Lang::Sv => {
                if self.dry_run {
                    "provkörning: inget skrevs".to_string()
                } else if self.written == 0 && bad > 0 {
                    "inget skrevs; rätta raderna ovan, eller använd --valid-only för att importera bara de giltiga raderna".to_string()
                } else {
                    format!("{} importerade", count(lang, self.written, noun))
                }
            }
        };
        format!("{checked}; {done}.")
    }

    /// Whether every row passed.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.problems_not_shown == 0
    }

    /// The line after the listed problems when there were more, if there were.
    pub fn more_problems(&self) -> Option<String> {
        (self.problems_not_shown > 0).then(|| {
            crate::i18n::messages::more_import_problems(
                self.lang,
                self.problems_not_shown,
                self.problems.len(),
            )
        })
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        if let Some(more) = self.more_problems() {
            writeln!(f, "{more}")?;
        }
        if !self.ignored_columns.is_empty() {
            let label = match self.lang {
                Lang::En => "ignored columns",
                Lang::Sv => "kolumner som inte används",
            };
            writeln!(f, "{label}: {}", self.ignored_columns.join(", "))?;
        }
        writeln!(f, "{}", self.summary())
    }
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the file is empty: it has no header row")]
    Empty,
    /// The service refused the import; the text is in the import's language.
    #[error("{0}")]
    Service(String),
    /// The service failed, for this reason.
    #[error("the service failed: {0:?}")]
    Failed(crate::service::Failure),
}

/// How far an import has come, for a progress bar: rows checked, then rows sent to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProgress {
    Checking { rows: usize },
    Writing { rows: usize, total: usize },
}

/// Import a file.
pub fn import_file(
    client: &dyn Client,
    kind: ImportKind,
    path: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_file_with(client, kind, path, opts, &mut |_| {})
}

/// [`import_file`], telling `progress` how far it has come.
pub fn import_file_with(
    client: &dyn Client,
    kind: ImportKind,
    path: &Path,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport, ImportError> {
    let read = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    // The file is read twice (check, then send) rather than held: only its start is kept, for the
    // header and the delimiter.
    let mut start = Vec::with_capacity(64 << 10);
    {
        use std::io::Read;
        let f = std::fs::File::open(path).map_err(read)?;
        f.take(64 << 10).read_to_end(&mut start).map_err(read)?;
    }
    import_source(client, kind, Source::File(path, &start), opts, progress)
}

/// Import CSV bytes (what [`import_file`] does after reading the file).
pub fn import_bytes(
    client: &dyn Client,
    kind: ImportKind,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_bytes_with(client, kind, bytes, opts, &mut |_| {})
}

/// [`import_bytes`], telling `progress` how far it has come.
pub fn import_bytes_with(
    client: &dyn Client,
    kind: ImportKind,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport, ImportError> {
    import_source(client, kind, Source::Bytes(bytes), opts, progress)
}

fn import_source(
    client: &dyn Client,
    kind: ImportKind,
    source: Source<'_>,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport, ImportError> {
    let parsed = match parse_header(kind, source, opts)? {
        Ok(p) => p,
        Err(report) => return Ok(report),
    };
    // First pass: every problem, and which rows pass.
    let mut ctx = Context::load(client)?;
    let mut problems = Kept::default();
    let mut passing: Vec<usize> = Vec::new();
    let mut seen = 0usize;
    let rows = check_rows(client, kind, &parsed, &mut ctx, opts, &mut |c| {
        seen += 1;
        if seen.is_multiple_of(1024) {
            progress(ImportProgress::Checking { rows: seen });
        }
        if c.problems.is_empty() && c.data.is_some() {
            passing.push(c.row);
        } else {
            problems.add(c.problems);
        }
        Ok(())
    })?;
    let mut report = ImportReport {
        kind,
        rows,
        valid: passing.len(),
        written: 0,
        problems: problems.problems,
        problems_not_shown: problems.more,
        ignored_columns: parsed.ignored.clone(),
        dry_run: opts.dry_run,
        lang: opts.lang,
    };
    if opts.dry_run || (!report.is_clean() && !opts.valid_only) {
        return Ok(report);
    }
    // Second pass: the rows that passed, read again and sent in chunks (without looking for
    // duplicates again); only the records are kept.
    drop(ctx);
    let mut ctx = Context::load(client)?;
    ctx.resend = true;
    let service_kind = match kind {
        ImportKind::Partners => crate::domain::EntityKind::Partner,
        ImportKind::Activities => crate::domain::EntityKind::Activity,
        ImportKind::Goals => crate::domain::EntityKind::Goal,
    };
    let committed = send::commit(
        client,
        service_kind,
        passing.len(),
        opts,
        progress,
        &mut |emit| {
            let mut next = passing.iter().copied().peekable();
            check_rows(client, kind, &parsed, &mut ctx, opts, &mut |c| {
                if next.peek() == Some(&c.row) {
                    next.next();
                    if let Some(data) = c.data {
                        emit(c.row, data)?;
                    }
                }
                Ok(())
            })
            .map(|_| ())
        },
    )?;
    let (written, rejected) = match committed {
        send::Committed::Written { written, rejected } => (written, rejected),
        send::Committed::Refused(rejected) => (0, rejected),
    };
    report.written = usize::try_from(written).unwrap_or(usize::MAX);
    report.valid -= rejected.len().min(report.valid);
    let cols = kind.columns();
    let mut kept = Kept {
        problems: std::mem::take(&mut report.problems),
        more: report.problems_not_shown,
    };
    for r in rejected {
        let mut check = RowCheck {
            row: usize::try_from(r.row).unwrap_or(usize::MAX),
            header: &parsed.header,
            cols,
            problems: Vec::new(),
        };
        check.field_errors(r.errors);
        kept.add(check.problems);
    }
    report.problems = kept.problems;
    report.problems_not_shown = kept.more;
    report.problems.sort_by_key(|p| p.row);
    Ok(report)
}
