//! CSV export and import (`spets export`, `spets import`, and the UI's Export CSV… / Import CSV…).
//!
//! Everything goes through the service API via a [`Client`](crate::client::Client), so export and
//! import work the same against the embedded service and a daemon; the file is always written by
//! the user's own process.
//!
//! # The file format
//!
//! - **Datasets**: [`Dataset`] (`partners`, `agreements`, `contacts`, `activities`, `matrix`,
//!   `assessments`, `notes`, `actions`, `audit`, and the life cycle's `goals`, `evaluations`,
//!   `phase-history`).
//! - **Dialects**: [`Dialect`]: `excel-sv` (UTF-8 with BOM, `;`, CRLF), `excel-en` (UTF-8 with BOM,
//!   `,`, CRLF), `rfc4180` (no BOM, `,`, CRLF). The default follows the language.
//! - **Headers** are labels in the chosen language (Swedish or English); with machine names
//!   ([`Naming::Machine`], `--machine-headers`) they are stable English snake_case names.
//! - **Enumerated values** (kind, phase, status, …) follow the headers: by default the labels in
//!   the language, the very words the screen shows (one vocabulary, `crate::i18n::vocab`), because
//!   that is what people read and filter on in Excel; machine keys ("university") with machine
//!   names, for scripts. Import accepts the label or short form in either language, the machine
//!   key and every earlier label, so a Swedish export imports into an English session and back.
//! - **Dates** are ISO 8601 (`2026-11-28`); audit times are UTC (`2026-11-28T20:14:17Z`).
//! - **Multi-value cells** (formats, faculties, partners, attendees, …) join their items with
//!   `" | "` ([`LIST_SEPARATOR`]); a `|` or `\` inside an item is written `\|` or `\\`.
//! - **Partner references** are written twice: the partner names (readable, and what import uses)
//!   and the partner ids (`partner_id` / `partner_ids`), so an import never needs internal ids.
//! - **Scores** are numbers 0–4; an empty cell means "not set".
//! - **Row order**: activities come in the order they were added (the store's own order, read
//!   in id ranges by two threads, in place in process and in batches from a daemon, and written in
//!   order: 200,000 rows in under 0.3 s); sort by the date column in Excel. Other datasets follow
//!   their pane's order.
//! - **Formula guard**: in the Excel dialects a text cell that starts with `=`, `+`, `-`, `@`, a tab,
//!   CR or LF is written with a leading apostrophe (OWASP's advice against CSV injection); so is a
//!   cell that starts with apostrophes followed by one of those, so that import can strip exactly
//!   one apostrophe and get the original text back. Numeric columns (ids, scores, counts) and text
//!   that is a plain number (`-5`, `+46`, `-3,5`) are never prefixed. `rfc4180` writes cells
//!   verbatim. Import removes the guard when the file starts with a BOM (an Excel-dialect file).
//!
//! # Scope
//!
//! [`Scope::All`] exports everything that is not archived; the other variants carry the query
//! structs of the service API (what a pane's filter shows). [`parse_filter`] turns the CLI's
//! `--filter field=value,…` into a [`Scope`].

mod activities;
mod cell;
pub mod columns;
mod export;
mod filter;
mod import;
pub mod labels;
mod life;
mod rows;
pub(crate) mod sink;

pub use cell::{LIST_SEPARATOR, join_list, needs_guard, split_list, unguard};
pub use export::{Progress, export_to_path, export_to_writer};
pub use filter::{FilterError, parse_filter};
pub use import::{
    ImportError, ImportKind, ImportOptions, ImportProgress, ImportReport, Problem, import_bytes,
    import_bytes_with, import_file, import_file_with,
};

use crate::i18n::Lang;
use crate::service::{ActionQuery, ActivityQuery, NoteQuery, PartnerQuery};
use std::path::PathBuf;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// One row per partner.
    Partners,
    Agreements,
    Contacts,
    Activities,
    /// One row per partner, the latest score and target per added value.
    Matrix,
    /// Every assessment (the full history).
    Assessments,
    /// Meeting notes.
    Notes,
    /// Action items across notes.
    Actions,
    /// The audit log (admins only when served by a daemon).
    Audit,
    /// Goals with their follow-up, per partner.
    Goals,
    /// Evaluations, per partner, the oldest period first.
    Evaluations,
    /// Phase changes, per partner, the oldest first.
    PhaseHistory,
}

impl Dataset {
    pub const ALL: &'static [Dataset] = &[
        Dataset::Partners,
        Dataset::Agreements,
        Dataset::Contacts,
        Dataset::Activities,
        Dataset::Matrix,
        Dataset::Assessments,
        Dataset::Notes,
        Dataset::Actions,
        Dataset::Audit,
        Dataset::Goals,
        Dataset::Evaluations,
        Dataset::PhaseHistory,
    ];
    /// The CLI name.
    pub fn key(self) -> &'static str {
        match self {
            Dataset::Partners => "partners",
            Dataset::Agreements => "agreements",
            Dataset::Contacts => "contacts",
            Dataset::Activities => "activities",
            Dataset::Matrix => "matrix",
            Dataset::Assessments => "assessments",
            Dataset::Notes => "notes",
            Dataset::Actions => "actions",
            Dataset::Audit => "audit",
            Dataset::Goals => "goals",
            Dataset::Evaluations => "evaluations",
            Dataset::PhaseHistory => "phase-history",
        }
    }
    pub fn parse(s: &str) -> Option<Dataset> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Dataset::ALL.iter().copied().find(|d| d.key() == s)
    }
    /// Every CLI name, for error messages.
    pub fn names() -> String {
        Dataset::ALL
            .iter()
            .map(|d| d.key())
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// The default path of the export dialog: `~/spets-export/<dataset>-<date>.csv` (create the
    /// directory with [`crate::store::create_private_dir`] before writing).
    pub fn default_path(self, lang: Lang, date: chrono::NaiveDate) -> PathBuf {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        home.join("spets-export").join(self.file_name(lang, date))
    }
    /// The default file name in `lang`: `partners-2026-12-01.csv`, `partner-2026-12-01.csv`.
    pub fn file_name(self, lang: Lang, date: chrono::NaiveDate) -> String {
        format!("{}-{date}.csv", self.file_stem(lang))
    }
    /// The dataset's name in file names, in `lang` (lower case, no spaces).
    pub fn file_stem(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, d) => d.key(),
            (Lang::Sv, Dataset::Partners) => "partner",
            (Lang::Sv, Dataset::Agreements) => "avtal",
            (Lang::Sv, Dataset::Contacts) => "kontakter",
            (Lang::Sv, Dataset::Activities) => "aktiviteter",
            (Lang::Sv, Dataset::Matrix) => "värdematris",
            (Lang::Sv, Dataset::Assessments) => "bedömningar",
            (Lang::Sv, Dataset::Notes) => "mötesanteckningar",
            (Lang::Sv, Dataset::Actions) => "åtgärdspunkter",
            (Lang::Sv, Dataset::Audit) => "ändringslogg",
            (Lang::Sv, Dataset::Goals) => "mål",
            (Lang::Sv, Dataset::Evaluations) => "utvärderingar",
            (Lang::Sv, Dataset::PhaseHistory) => "fashistorik",
        }
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// How the file is spelled on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Swedish Excel: UTF-8 with BOM, `;`, CRLF, formula guard.
    ExcelSv,
    /// English Excel: UTF-8 with BOM, `,`, CRLF, formula guard.
    ExcelEn,
    /// Plain RFC 4180: no BOM, `,`, CRLF, cells verbatim.
    Rfc4180,
}

impl Dialect {
    pub const ALL: &'static [Dialect] = &[Dialect::ExcelSv, Dialect::ExcelEn, Dialect::Rfc4180];
    pub fn key(self) -> &'static str {
        match self {
            Dialect::ExcelSv => "excel-sv",
            Dialect::ExcelEn => "excel-en",
            Dialect::Rfc4180 => "rfc4180",
        }
    }
    pub fn parse(s: &str) -> Option<Dialect> {
        let s = s.trim().to_ascii_lowercase();
        Dialect::ALL.iter().copied().find(|d| d.key() == s)
    }
    pub fn names() -> String {
        Dialect::ALL
            .iter()
            .map(|d| d.key())
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// The default for a language: `excel-sv` for Swedish, `excel-en` for English.
    pub fn for_lang(lang: Lang) -> Dialect {
        match lang {
            Lang::Sv => Dialect::ExcelSv,
            Lang::En => Dialect::ExcelEn,
        }
    }
    pub fn delimiter(self) -> u8 {
        match self {
            Dialect::ExcelSv => b';',
            Dialect::ExcelEn | Dialect::Rfc4180 => b',',
        }
    }
    /// Whether the file starts with a UTF-8 byte-order mark (Excel needs it to read UTF-8).
    pub fn bom(self) -> bool {
        !matches!(self, Dialect::Rfc4180)
    }
    /// Whether formula-like cells get a leading apostrophe by default.
    pub fn guards_formulas(self) -> bool {
        !matches!(self, Dialect::Rfc4180)
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Header and value spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Naming {
    /// Labels in this language for headers and enumerated values.
    Labels(Lang),
    /// Stable English snake_case headers and machine keys for enumerated values.
    Machine,
}

impl Naming {
    pub(crate) fn lang(self) -> Option<Lang> {
        match self {
            Naming::Labels(l) => Some(l),
            Naming::Machine => None,
        }
    }
}

/// Which records to export.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Scope {
    /// Everything that is not archived.
    #[default]
    All,
    /// Partners selected by a partner filter: for `partners`, `agreements`, `contacts`, `matrix`,
    /// `assessments`, `goals`, `evaluations` and `phase-history` (the records of the selected
    /// partners).
    Partners(PartnerQuery),
    /// For `activities`.
    Activities(ActivityQuery),
    /// For `notes`.
    Notes(NoteQuery),
    /// For `actions`.
    Actions(ActionQuery),
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub dialect: Dialect,
    pub naming: Naming,
    /// The formula guard; on by default in the Excel dialects.
    pub guard_formulas: bool,
    /// The order names sort in (partners by name: Å, Ä and Ö after Z in Swedish).
    pub collation: Lang,
}

impl ExportOptions {
    /// The defaults for a language: its Excel dialect, labels in it, the formula guard on.
    pub fn for_lang(lang: Lang) -> ExportOptions {
        ExportOptions::new(Dialect::for_lang(lang), Naming::Labels(lang))
    }
    pub fn new(dialect: Dialect, naming: Naming) -> ExportOptions {
        ExportOptions {
            dialect,
            naming,
            guard_formulas: dialect.guards_formulas(),
            collation: naming.lang().unwrap_or(Lang::En),
        }
    }
    /// Sorted in the order of `lang` (whatever the headers' language).
    pub fn sorted_for(self, lang: Lang) -> ExportOptions {
        ExportOptions {
            collation: lang,
            ..self
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the export was cancelled; no file was written")]
    Cancelled,
    #[error("not allowed for a {}: {denied:?}", role.key())]
    Forbidden {
        denied: crate::service::Denied,
        role: crate::service::Role,
    },
    #[error("the {dataset} export cannot use a {scope} filter")]
    ScopeMismatch {
        dataset: Dataset,
        scope: &'static str,
    },
    #[error("the service failed: {0:?}")]
    Service(crate::service::Failure),
    #[error("{}", io_message(path, source))]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the CSV: {0}")]
    Write(std::io::Error),
}

/// A store failure while reading in process, said as the service says it to a client.
impl From<crate::store::StoreError> for ExportError {
    fn from(e: crate::store::StoreError) -> Self {
        tracing::error!(error = %e, "export failed");
        ExportError::Service(crate::service::Failure::from(&e))
    }
}

fn io_message(path: &std::path::Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".to_string(),
    };
    match e.kind() {
        K::NotFound => format!(
            "cannot write {}: the directory {dir} does not exist",
            path.display()
        ),
        K::PermissionDenied => {
            format!(
                "cannot write {}: no permission to write in {dir}",
                path.display()
            )
        }
        K::StorageFull => format!("cannot write {}: the disk is full", path.display()),
        K::IsADirectory => format!("cannot write {}: it is a directory", path.display()),
        _ => format!("cannot write {}: {e}", path.display()),
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ExportError::Write(io),
            other => ExportError::Write(std::io::Error::other(format!("{other:?}"))),
        }
    }
}
