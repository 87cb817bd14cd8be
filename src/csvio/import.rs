//! `spets import partners|activities FILE`: read a CSV (any dialect; columns matched by header name
//! in Swedish, English or machine form), check every row, and create the records through the
//! service only when every row passes (or, when asked, only the rows that pass).

use super::cell::{split_list, unguard};
use super::columns::{self, Column};
use super::labels::Labelled;
use crate::client::Client;
use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, Entity, FieldError, Format, Id, OrgKind,
    Partner, Phase, Rule, Tier, text::fold,
};
use crate::i18n::Lang;
use crate::service::{
    ActivityQuery, AnyData, IMPORT_CHUNK_ROWS, ImportRow, PartnerQuery, Request, Response,
    RowErrors,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Partners,
    Activities,
}

impl ImportKind {
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Partners => "partners",
            ImportKind::Activities => "activities",
        }
    }
    pub fn parse(s: &str) -> Option<ImportKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "partners" => Some(ImportKind::Partners),
            "activities" => Some(ImportKind::Activities),
            _ => None,
        }
    }
    fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Partners => columns::PARTNERS,
            ImportKind::Activities => columns::ACTIVITIES,
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
    /// Headers that match no column (left out of the import, e.g. `id`).
    pub ignored_columns: Vec<String>,
    pub dry_run: bool,
    lang: Lang,
}

impl ImportReport {
    /// One sentence saying what happened.
    pub fn summary(&self) -> String {
        let bad = self.rows - self.valid;
        let what = self.kind.key();
        match self.lang {
            Lang::En => {
                let done = if self.dry_run {
                    "dry run: nothing was written".to_string()
                } else if self.written == 0 && bad > 0 {
                    "nothing was written; fix the rows above, or use --valid-only to import just the valid rows".to_string()
                } else {
                    format!("{} {what} imported", self.written)
                };
                format!(
                    "{} rows read, {} valid, {bad} with problems; {done}.",
                    self.rows, self.valid
                )
            }
            Lang::Sv => {
                let done = if self.dry_run {
                    "provkörning: inget skrevs".to_string()
                } else if self.written == 0 && bad > 0 {
                    "inget skrevs; rätta raderna ovan, eller använd --valid-only för att importera bara de giltiga raderna".to_string()
                } else {
                    format!("{} importerade", self.written)
                };
                format!(
                    "{} rader lästa, {} giltiga, {bad} med fel; {done}.",
                    self.rows, self.valid
                )
            }
        }
    }
    /// Whether every row passed.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
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
    #[error("{0}")]
    Service(String),
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
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    import_bytes_with(client, kind, &bytes, opts, progress)
}

/// The delimiter the header line uses most: `;`, `,` or tab.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|i| (counts[*i], usize::from(*i == 1)))
        .unwrap_or(1);
    [b';', b',', b'\t'][best]
}

fn not_utf8(lang: Lang) -> String {
    t(
        lang,
        "the row is not UTF-8 text; save the file as \"CSV UTF-8\" and import it again",
        "raden är inte UTF-8-text; spara filen som \"CSV UTF-8\" och importera den igen",
    )
}

fn t(lang: Lang, en: &str, sv: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Sv => sv.to_string(),
    }
}

/// A service rule as a phrase after the value, in `lang`.
pub(crate) fn rule_text(lang: Lang, rule: &Rule) -> String {
    crate::i18n::catalogue::rule(lang, rule)
}

/// The file's header mapped onto a dataset's columns.
struct Header {
    /// Column key → index in the record.
    index: HashMap<&'static str, usize>,
    /// Column key → the header text in the file (for messages).
    names: HashMap<&'static str, String>,
    excel: bool,
    lang: Lang,
}

impl Header {
    fn get<'r>(&self, rec: &'r csv::StringRecord, key: &str) -> Option<&'r str> {
        let i = *self.index.get(key)?;
        let v = rec.get(i)?;
        Some(if self.excel { unguard(v) } else { v })
    }
    fn text(&self, rec: &csv::StringRecord, key: &str) -> String {
        self.get(rec, key).unwrap_or("").to_string()
    }
    /// The column's name as the user sees it: the file's header, or the label in the language.
    fn name(&self, cols: &[Column], key: &str) -> String {
        if let Some(n) = self.names.get(key) {
            return n.clone();
        }
        cols.iter()
            .find(|c| c.key == key)
            .map(|c| c.header(Some(self.lang)).to_string())
            .unwrap_or_else(|| key.to_string())
    }
}

/// Problems of one row, collected while it is parsed.
struct RowCheck<'a> {
    row: usize,
    header: &'a Header,
    cols: &'static [Column],
    problems: Vec<Problem>,
}

impl RowCheck<'_> {
    fn add(&mut self, key: &str, value: &str, message: String) {
        self.problems.push(Problem {
            row: self.row,
            column: self.header.name(self.cols, key),
            value: value.to_string(),
            message,
            lang: self.header.lang,
        });
    }
    fn field_errors(&mut self, errs: Vec<FieldError>) {
        for e in errs {
            let key = match e.field.as_str() {
                // The service names the list field; the file's column is the partner names.
                "partner" | "partners" => "partners",
                f => self
                    .cols
                    .iter()
                    .find(|c| c.key == f)
                    .map(|c| c.key)
                    .unwrap_or("partners"),
            };
            let key = if self.cols.iter().any(|c| c.key == e.field) {
                e.field.as_str()
            } else {
                key
            };
            let msg = rule_text(self.header.lang, &e.rule);
            self.add(key, &e.value, msg);
        }
    }
    fn enumerated<E: Labelled>(
        &mut self,
        rec: &csv::StringRecord,
        key: &str,
        what: (&str, &str),
        default: Option<E>,
    ) -> Option<E> {
        let v = self.header.get(rec, key).unwrap_or("").trim().to_string();
        if v.is_empty() {
            if default.is_none() {
                let m = t(self.header.lang, "must not be empty", "får inte vara tomt");
                self.add(key, "", m);
            }
            return default;
        }
        match E::parse_any(&v) {
            Some(e) => Some(e),
            None => {
                let lang = self.header.lang;
                let m = match lang {
                    Lang::En => format!("is not {}; valid: {}", what.0, E::valid_list(lang)),
                    Lang::Sv => format!("är inte {}; giltiga: {}", what.1, E::valid_list(lang)),
                };
                self.add(key, &v, m);
                None
            }
        }
    }
    fn enum_list<E: Labelled>(
        &mut self,
        rec: &csv::StringRecord,
        key: &str,
        what: (&str, &str),
    ) -> Vec<E> {
        let mut out = Vec::new();
        for item in split_list(self.header.get(rec, key).unwrap_or("")) {
            match E::parse_any(&item) {
                Some(e) => out.push(e),
                None => {
                    let lang = self.header.lang;
                    let m = match lang {
                        Lang::En => format!("is not {}; valid: {}", what.0, E::valid_list(lang)),
                        Lang::Sv => format!("är inte {}; giltiga: {}", what.1, E::valid_list(lang)),
                    };
                    self.add(key, &item, m);
                }
            }
        }
        out
    }
    fn date(&mut self, rec: &csv::StringRecord, key: &str, required: bool) -> Option<NaiveDate> {
        let v = self.header.get(rec, key).unwrap_or("").trim().to_string();
        if v.is_empty() {
            if required {
                let m = t(self.header.lang, "must not be empty", "får inte vara tomt");
                self.add(key, "", m);
            }
            return None;
        }
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let m = t(
                    self.header.lang,
                    "is not a date (YYYY-MM-DD, e.g. 2026-03-31)",
                    "är inte ett datum (ÅÅÅÅ-MM-DD, t.ex. 2026-03-31)",
                );
                self.add(key, &v, m);
                None
            }
        }
    }
}

/// A parsed row ready to create, with its row number.
struct Candidate {
    row: usize,
    data: AnyData,
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
    let lang = opts.lang;
    let (bytes, excel) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let cols = kind.columns();
    let mut records = reader.records();
    let head = match records.next() {
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
    };
    let mut problems = Vec::new();
    let mut missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !header.index.contains_key(k))
        .collect();
    if kind == ImportKind::Activities
        && !header.index.contains_key("partners")
        && !header.index.contains_key("partner_ids")
    {
        missing.push("partners");
    }
    for key in missing {
        let col = cols.iter().find(|c| c.key == key);
        let (en, sv) = col.map(|c| (c.en, c.sv)).unwrap_or((key, key));
        problems.push(Problem {
            row: 1,
            column: header.name(cols, key),
            value: String::new(),
            message: match lang {
                Lang::En => format!("the file has no such column; add a column headed \"{en}\", \"{sv}\" or \"{key}\""),
                Lang::Sv => format!("filen saknar den kolumnen; lägg till en kolumn med rubriken \"{sv}\", \"{en}\" eller \"{key}\""),
            },
            lang,
        });
    }
    if !problems.is_empty() {
        return Ok(ImportReport {
            kind,
            rows: 0,
            valid: 0,
            written: 0,
            problems,
            ignored_columns: ignored,
            dry_run: opts.dry_run,
            lang,
        });
    }
    let ctx = match kind {
        ImportKind::Partners => Context::partners(client)?,
        ImportKind::Activities => Context::activities(client)?,
    };
    let mut ctx = ctx;
    let mut candidates = Vec::new();
    let mut rows = 0;
    for (i, rec) in records.enumerate() {
        let row = i + 2;
        rows += 1;
        if rows % 1024 == 0 {
            progress(ImportProgress::Checking { rows });
        }
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => not_utf8(lang),
                    _ => e.to_string(),
                };
                problems.push(Problem {
                    row,
                    column: String::new(),
                    value: String::new(),
                    message,
                    lang,
                });
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            rows -= 1;
            continue;
        }
        let mut check = RowCheck {
            row,
            header: &header,
            cols,
            problems: Vec::new(),
        };
        let data = match kind {
            ImportKind::Partners => partner_row(&mut check, &rec, &mut ctx),
            ImportKind::Activities => activity_row(&mut check, &rec, &mut ctx, opts, client)?,
        };
        if check.problems.is_empty()
            && let Some(data) = data
        {
            candidates.push(Candidate { row, data });
        } else {
            problems.extend(check.problems);
        }
    }
    let valid = candidates.len();
    let mut report = ImportReport {
        kind,
        rows,
        valid,
        written: 0,
        problems,
        ignored_columns: ignored,
        dry_run: opts.dry_run,
        lang,
    };
    if opts.dry_run || (!report.problems.is_empty() && !opts.valid_only) {
        return Ok(report);
    }
    let service_kind = match kind {
        ImportKind::Partners => crate::domain::EntityKind::Partner,
        ImportKind::Activities => crate::domain::EntityKind::Activity,
    };
    let refused = commit(client, service_kind, candidates, opts, progress)?;
    let (written, rejected) = match refused {
        Committed::Written { written, rejected } => (written, rejected),
        Committed::Refused(rejected) => (0, rejected),
    };
    report.written = usize::try_from(written).unwrap_or(usize::MAX);
    report.valid -= rejected.len().min(report.valid);
    for r in rejected {
        let mut check = RowCheck {
            row: usize::try_from(r.row).unwrap_or(usize::MAX),
            header: &header,
            cols,
            problems: Vec::new(),
        };
        check.field_errors(r.errors);
        report.problems.extend(check.problems);
    }
    report.problems.sort_by_key(|p| p.row);
    Ok(report)
}

/// How the service took the rows.
enum Committed {
    /// Committed: `written` records; the rows left out (with `valid_only`).
    Written {
        written: u64,
        rejected: Vec<RowErrors>,
    },
    /// Refused as a whole; nothing was written.
    Refused(Vec<RowErrors>),
}

/// Send the checked rows to the service as one import: all of them are committed at once, or
/// none (see [`crate::service::Request::ImportBegin`]).
fn commit(
    client: &dyn Client,
    kind: crate::domain::EntityKind,
    candidates: Vec<Candidate>,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Committed, ImportError> {
    let lang = opts.lang;
    let total = candidates.len();
    let begin = Request::ImportBegin {
        kind,
        rows: total as u64,
        valid_only: opts.valid_only,
    };
    let session = match client.call(begin) {
        Response::ImportStarted { session } => session,
        other => return Err(refusal(lang, other)),
    };
    let mut rejected = Vec::new();
    let mut sent = 0;
    let mut rows = candidates.into_iter();
    loop {
        let chunk: Vec<ImportRow> = rows
            .by_ref()
            .take(IMPORT_CHUNK_ROWS)
            .map(|c| ImportRow {
                row: c.row as u64,
                data: c.data,
            })
            .collect();
        if chunk.is_empty() {
            break;
        }
        sent += chunk.len();
        match client.call(Request::ImportRows {
            session,
            rows: chunk,
        }) {
            Response::ImportRowsTaken { rejected: r, .. } => rejected.extend(r),
            other => {
                let _ = client.call(Request::ImportAbort { session });
                return Err(refusal(lang, other));
            }
        }
        progress(ImportProgress::Writing { rows: sent, total });
        if !rejected.is_empty() && !opts.valid_only {
            // Nothing will be written: stop sending.
            let _ = client.call(Request::ImportAbort { session });
            return Ok(Committed::Refused(rejected));
        }
    }
    match client.call(Request::ImportCommit { session }) {
        Response::Imported {
            written,
            rejected: late,
        } => {
            rejected.extend(late);
            Ok(Committed::Written { written, rejected })
        }
        Response::ImportRefused { rejected: all } => {
            let mut seen: HashSet<u64> = rejected.iter().map(|r| r.row).collect();
            rejected.extend(all.into_iter().filter(|r| seen.insert(r.row)));
            Ok(Committed::Refused(rejected))
        }
        other => Err(refusal(lang, other)),
    }
}

/// Why the service would not take an import, as a message; nothing was written.
fn refusal(lang: Lang, r: Response) -> ImportError {
    let why = match r {
        Response::Forbidden { role, .. } => match lang {
            Lang::En => format!(
                "not allowed: importing needs an editor, and you are a {}",
                role.key()
            ),
            Lang::Sv => format!(
                "inte tillåtet: import kräver redaktörsbehörighet, och du är {}",
                role.key()
            ),
        },
        Response::Invalid(errs) => errs
            .iter()
            .map(|e| format!("{} {}", e.field, rule_text(lang, &e.rule)))
            .collect::<Vec<_>>()
            .join("; "),
        Response::Failed(m) => m,
        Response::ImportGone => t(
            lang,
            "the import was lost on the way (the service restarted, or a write failed)",
            "importen gick förlorad på vägen (tjänsten startade om, eller en skrivning misslyckades)",
        ),
        other => format!("{other:?}"),
    };
    ImportError::Service(match lang {
        Lang::En => format!("{why}; nothing was imported"),
        Lang::Sv => format!("{why}; inget importerades"),
    })
}

/// What the checks need to know about the workspace and the rows seen so far.
struct Context {
    /// Folded name + country → partner id (partners in the workspace).
    existing: HashMap<String, Id>,
    /// Folded name → ids (for resolving activity partners).
    by_name: HashMap<String, Vec<Id>>,
    ids: HashSet<Id>,
    /// Duplicate keys seen in the file → the row.
    seen: HashMap<String, usize>,
    /// Activities already in the workspace per date (keys), fetched on demand.
    day: HashMap<NaiveDate, HashSet<String>>,
}

impl Context {
    fn load(client: &dyn Client) -> Result<Context, ImportError> {
        let rows = match client.call(Request::Partners(PartnerQuery::default())) {
            Response::Partners(p) => p.items,
            Response::Failed(m) => return Err(ImportError::Service(m)),
            other => return Err(ImportError::Service(format!("{other:?}"))),
        };
        let mut c = Context {
            existing: HashMap::new(),
            by_name: HashMap::new(),
            ids: HashSet::new(),
            seen: HashMap::new(),
            day: HashMap::new(),
        };
        for r in rows {
            c.existing
                .insert(format!("{}|{}", fold(&r.name), r.country), r.id);
            c.by_name.entry(fold(&r.name)).or_default().push(r.id);
            c.ids.insert(r.id);
        }
        Ok(c)
    }
    fn partners(client: &dyn Client) -> Result<Context, ImportError> {
        Context::load(client)
    }
    fn activities(client: &dyn Client) -> Result<Context, ImportError> {
        Context::load(client)
    }
}

fn activity_key(a: &Activity) -> String {
    let ids: Vec<String> = a.partners.iter().map(|p| p.to_string()).collect();
    format!("{}|{}|{}", a.date, fold(&a.title), ids.join(","))
}

fn partner_row(
    check: &mut RowCheck<'_>,
    rec: &csv::StringRecord,
    ctx: &mut Context,
) -> Option<AnyData> {
    let h = check.header;
    let kind = check.enumerated::<OrgKind>(
        rec,
        "kind",
        ("an organisation kind", "en organisationstyp"),
        None,
    );
    let phase =
        check.enumerated::<Phase>(rec, "phase", ("a phase", "en fas"), Some(Phase::Prospect));
    let tier = check.enumerated::<Tier>(rec, "tier", ("a tier", "en nivå"), Some(Tier::Other));
    let formats = check.enum_list::<Format>(
        rec,
        "formats",
        ("a collaboration format", "en samarbetsform"),
    );
    let short = h.text(rec, "short_name");
    let mut p = Partner {
        name: h.text(rec, "name"),
        short_name: (!short.trim().is_empty()).then_some(short),
        kind: kind.unwrap_or(OrgKind::Other),
        country: h.text(rec, "country"),
        city: h.text(rec, "city"),
        website: h.text(rec, "website"),
        phase: phase.unwrap_or(Phase::Prospect),
        tier: tier.unwrap_or(Tier::Other),
        formats,
        faculties: split_list(h.get(rec, "faculties").unwrap_or("")),
        goals: split_list(h.get(rec, "goals").unwrap_or("")),
        tags: split_list(h.get(rec, "tags").unwrap_or("")),
        sponsors_ours: split_list(h.get(rec, "sponsors_ours").unwrap_or("")),
        sponsors_partner: split_list(h.get(rec, "sponsors_partner").unwrap_or("")),
        coordinator: h.text(rec, "coordinator"),
    };
    p.normalise();
    check.field_errors(p.validate());
    if !p.name.is_empty() {
        let key = format!("{}|{}", fold(&p.name), p.country);
        let lang = h.lang;
        if let Some(id) = ctx.existing.get(&key) {
            let m = match lang {
                Lang::En => format!(
                    "already exists in {} (partner id {id}); a duplicate",
                    p.country
                ),
                Lang::Sv => format!("finns redan i {} (partner-id {id}); en dubblett", p.country),
            };
            check.add("name", &p.name, m);
        } else if let Some(first) = ctx.seen.get(&key) {
            let m = match lang {
                Lang::En => format!("in {} is a duplicate of row {first}", p.country),
                Lang::Sv => format!("i {} är en dubblett av rad {first}", p.country),
            };
            check.add("name", &p.name, m);
        } else {
            ctx.seen.insert(key, check.row);
        }
    }
    Some(AnyData::Partner(p))
}

fn activity_row(
    check: &mut RowCheck<'_>,
    rec: &csv::StringRecord,
    ctx: &mut Context,
    opts: &ImportOptions,
    client: &dyn Client,
) -> Result<Option<AnyData>, ImportError> {
    let h = check.header;
    let lang = h.lang;
    let date = check.date(rec, "date", true);
    let end_date = check.date(rec, "end_date", false);
    let kind = check.enumerated::<ActivityKind>(
        rec,
        "kind",
        ("an activity kind", "en aktivitetstyp"),
        None,
    );
    let default_status = match date {
        Some(d) if d > opts.today => ActivityStatus::Planned,
        _ => ActivityStatus::Done,
    };
    let status = check.enumerated::<ActivityStatus>(
        rec,
        "status",
        ("an activity status", "en aktivitetsstatus"),
        Some(default_status),
    );
    let values = check.enum_list::<AddedValue>(rec, "values", ("an added value", "ett mervärde"));
    // Partners: by name; the id column only breaks ties between partners of the same name, or
    // stands in when the names are empty.
    let before_partners = check.problems.len();
    let mut ids_col: Vec<Id> = Vec::new();
    for s in split_list(h.get(rec, "partner_ids").unwrap_or("")) {
        match s.parse::<u64>() {
            Ok(n) => ids_col.push(Id(n)),
            Err(_) => {
                let m = t(
                    lang,
                    "is not a partner id (a number)",
                    "är inte ett partner-id (ett tal)",
                );
                check.add("partner_ids", &s, m);
            }
        }
    }
    let names = split_list(h.get(rec, "partners").unwrap_or(""));
    let mut partners = Vec::new();
    if names.is_empty() {
        for id in ids_col {
            if ctx.ids.contains(&id) {
                partners.push(id);
            } else {
                let m = rule_text(lang, &Rule::UnknownPartner);
                check.add("partner_ids", &id.to_string(), m);
            }
        }
    } else {
        for name in &names {
            match ctx.by_name.get(&fold(name)).map(Vec::as_slice) {
                Some([one]) => partners.push(*one),
                Some(many) if !many.is_empty() => match many.iter().find(|id| ids_col.contains(id))
                {
                    Some(id) => partners.push(*id),
                    None => {
                        let list = many
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let m = match lang {
                            Lang::En => format!(
                                "names several partners (ids {list}); put the right id in the partner IDs column"
                            ),
                            Lang::Sv => format!(
                                "är namnet på flera partner (id {list}); ange rätt id i kolumnen Partner-ID"
                            ),
                        };
                        check.add("partners", name, m);
                    }
                },
                _ => {
                    let m = t(
                        lang,
                        "is not the name of a partner in this workspace; import the partners first",
                        "är inte namnet på en partner i arbetsytan; importera partnerna först",
                    );
                    check.add("partners", name, m);
                }
            }
        }
    }
    let Some(date) = date else { return Ok(None) };
    let mut a = Activity {
        date,
        end_date,
        partners,
        kind: kind.unwrap_or(ActivityKind::Other),
        title: h.text(rec, "title"),
        description: h.text(rec, "description"),
        values,
        status: status.unwrap_or(default_status),
        owner: h.text(rec, "owner"),
    };
    a.normalise();
    // "needs at least one partner" says nothing new when the partners given were not found.
    let partner_problem = check.problems.len() > before_partners;
    let errs: Vec<FieldError> = a
        .validate()
        .into_iter()
        .filter(|e| !(e.rule == Rule::NoPartner && partner_problem))
        .collect();
    check.field_errors(errs);
    if check.problems.is_empty() {
        let key = activity_key(&a);
        if let std::collections::hash_map::Entry::Vacant(slot) = ctx.day.entry(a.date) {
            let q = ActivityQuery {
                from: Some(a.date),
                to: Some(a.date),
                ..Default::default()
            };
            let keys = match client.call(Request::Activities(q)) {
                Response::Activities(p) => p.items.iter().map(|r| activity_key(&r.data)).collect(),
                Response::Failed(m) => return Err(ImportError::Service(m)),
                other => return Err(ImportError::Service(format!("{other:?}"))),
            };
            slot.insert(keys);
        }
        let title = a.title.clone();
        if ctx.day.get(&a.date).is_some_and(|s| s.contains(&key)) {
            let m = t(
                lang,
                "already exists on this date with the same partners; a duplicate",
                "finns redan samma datum med samma partner; en dubblett",
            );
            check.add("title", &title, m);
        } else if let Some(first) = ctx.seen.get(&key) {
            let m = match lang {
                Lang::En => {
                    format!("on the same date with the same partners is a duplicate of row {first}")
                }
                Lang::Sv => format!("samma datum med samma partner är en dubblett av rad {first}"),
            };
            check.add("title", &title, m);
        } else {
            ctx.seen.insert(key, check.row);
        }
    }
    Ok(Some(AnyData::Activity(a)))
}
