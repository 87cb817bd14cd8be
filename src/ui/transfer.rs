//! The Export CSV… and Import CSV… dialogs' state, and the background threads that run
//! [`crate::csvio`] through the UI's own client. The UI thread never touches the file: the
//! thread checks for an existing file, creates the export folder, writes (or reads) and reports
//! back ([`JobMsg`]) over the app's one event channel.

use super::forms::field::{Choices, Input, Row, index_choice, text};
use super::input::Edit;
use crate::client::Client;
use crate::csvio::{
    Dataset, Dialect, ExportError, ExportOptions, ImportError, ImportKind, ImportOptions,
    ImportReport, Naming, Progress, Scope,
};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Msg, t};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why an export or import did not happen, translated when shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The user cancelled; nothing was written.
    Cancelled,
    /// The file or its folder could not be written.
    Write {
        kind: std::io::ErrorKind,
        path: String,
        /// The OS error number, if any (its English text goes to the log only).
        os: Option<i32>,
    },
    /// The file could not be read.
    Read {
        kind: std::io::ErrorKind,
        path: String,
        /// The OS error number, if any (its English text goes to the log only).
        os: Option<i32>,
    },
    /// The import file has no header row.
    Empty,
    /// The service refused (the audit log without admin rights); the service's own words are
    /// kept for the log.
    Forbidden(String),
    /// The service failed, for this reason.
    Service(crate::service::Failure),
    /// The import was refused; the text is already in the user's language.
    Other(String),
}

impl Failure {
    /// The failure in plain words, with the path.
    pub fn text(&self, lang: Lang) -> String {
        use crate::i18n::catalogue::{file_error, read_error};
        use crate::i18n::reasons::io;
        use crate::service::IoKind;
        match self {
            Failure::Cancelled => t(lang, Msg::ExportCancelled).to_string(),
            Failure::Write { kind, path, os } => {
                let dir = Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|| ".".to_string());
                file_error(lang, *kind, path, &dir, &io(lang, IoKind::Other(*os)))
            }
            Failure::Read { kind, path, os } => {
                read_error(lang, *kind, path, &io(lang, IoKind::Other(*os)))
            }
            Failure::Empty => t(lang, Msg::ImportEmpty).to_string(),
            Failure::Forbidden(_) => t(lang, Msg::ExportForbidden).to_string(),
            Failure::Service(f) => crate::i18n::reasons::failure(lang, f),
            Failure::Other(e) => e.clone(),
        }
    }

    fn from_export(e: ExportError, path: &Path) -> Failure {
        let write = |source: std::io::Error| Failure::Write {
            kind: source.kind(),
            path: path.display().to_string(),
            os: source.raw_os_error(),
        };
        match e {
            ExportError::Cancelled => Failure::Cancelled,
            ExportError::Forbidden { denied, .. } => Failure::Forbidden(format!("{denied:?}")),
            ExportError::File { source, .. } | ExportError::Write(source) => write(source),
            ExportError::Service(f) => Failure::Service(f),
            ExportError::ScopeMismatch { .. } => {
                Failure::Service(crate::service::Failure::Internal)
            }
        }
    }
}

/// What a background export or import reports.
#[derive(Debug)]
pub enum JobMsg {
    Progress(Progress),
    /// How far an import (or its dry run) has come.
    ImportProgress(crate::csvio::ImportProgress),
    /// The target exists and the user has not agreed to replace it.
    ExportExists(Box<ExportJob>),
    Exported {
        path: String,
        rows: usize,
    },
    ExportFailed(Failure),
    /// The dry run's report.
    Checked(Box<ImportReport>),
    Imported(Box<ImportReport>),
    ImportFailed(Failure),
    /// A report was written to this path.
    Reported(String),
    /// The report's file exists and the user has not agreed to replace it.
    ReportExists {
        partner: Option<crate::domain::Id>,
        format: crate::report::Format,
        path: String,
    },
    /// A report could not be made: why, in the UI's language.
    ReportFailed(String),
}

/// One export, as the dialog set it up.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub dataset: Dataset,
    pub scope: Scope,
    pub opts: ExportOptions,
    pub path: PathBuf,
    /// The default export folder: created (owner-only) when the file goes there and it is missing.
    pub export_dir: PathBuf,
    /// The user agreed to replace an existing file.
    pub overwrite: bool,
}

/// The scope a pane's state gives, and whether a dataset can use it.
pub fn scope_fits(dataset: Dataset, scope: &Scope) -> bool {
    use Dataset as D;
    match scope {
        Scope::All => true,
        Scope::Partners(_) => matches!(
            dataset,
            D::Partners
                | D::Agreements
                | D::Contacts
                | D::Matrix
                | D::Assessments
                | D::Goals
                | D::Evaluations
                | D::PhaseHistory
        ),
        Scope::Activities(_) => dataset == D::Activities,
        Scope::Notes(_) => dataset == D::Notes,
        Scope::Actions(_) => dataset == D::Actions,
    }
}

/// The fields of the export and import dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferField {
    Dataset,
    Scope,
    Dialect,
    Naming,
    Path,
    Kind,
}

impl TransferField {
    pub fn label(self) -> Msg {
        match self {
            TransferField::Dataset => Msg::FDataset,
            TransferField::Scope => Msg::FScope,
            TransferField::Dialect => Msg::FDialect,
            TransferField::Naming => Msg::FHeaders,
            TransferField::Path => Msg::FPath,
            TransferField::Kind => Msg::FImportKind,
        }
    }
}

/// A field of a transfer dialog.
pub type TransferRow = Row<TransferField>;

fn row_input(rows: &[TransferRow], key: TransferField) -> Option<&Input> {
    rows.iter().find(|r| r.key == key).map(|r| &r.input)
}

/// The focused field's editor takes editing keys first when it is text.
pub fn text_focused(rows: &[TransferRow], focus: usize) -> bool {
    rows.get(focus).is_some_and(|r| r.input.is_text())
}

/// A key for the focused field.
pub fn edit_row(rows: &mut [TransferRow], focus: usize, ev: crossterm::event::KeyEvent) -> bool {
    rows.get_mut(focus)
        .is_some_and(|r| r.input.key(ev, crate::keymap::EditStyle::Default) == Edit::Changed)
}

/// The Export CSV… dialog.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub fields: Vec<TransferRow>,
    pub focus: usize,
    /// What the current pane's search and filters show.
    pub pane_scope: Scope,
    /// The path the dialog filled in itself (it follows the dataset until the user edits it).
    pub auto_path: String,
    /// A problem to show in the dialog (a bad choice, the last failure).
    pub problem: Option<Msg>,
    pub error: Option<Failure>,
    /// The default export folder and the date in default file names.
    pub export_dir: PathBuf,
    pub today: chrono::NaiveDate,
    /// The language of default file names.
    pub lang: Lang,
}

impl ExportDialog {
    pub fn new(
        dataset: Dataset,
        pane_scope: Scope,
        lang: Lang,
        export_dir: &Path,
        today: chrono::NaiveDate,
    ) -> ExportDialog {
        let ds = Dataset::ALL.iter().position(|d| *d == dataset).unwrap_or(0);
        let dialect = Dialect::for_lang(lang);
        let di = Dialect::ALL.iter().position(|d| *d == dialect).unwrap_or(0);
        let path = export_dir
            .join(dataset.file_name(lang, today))
            .display()
            .to_string();
        ExportDialog {
            fields: vec![
                Row::new(TransferField::Dataset, index_choice(Choices::Dataset, ds)),
                Row::new(TransferField::Scope, index_choice(Choices::ExportScope, 0)),
                Row::new(TransferField::Dialect, index_choice(Choices::Dialect, di)),
                Row::new(TransferField::Naming, index_choice(Choices::Naming, 0)),
                Row::new(TransferField::Path, text(&path)),
            ],
            focus: 0,
            pane_scope,
            auto_path: path,
            problem: None,
            error: None,
            export_dir: export_dir.to_path_buf(),
            today,
            lang,
        }
    }

    fn selected(&self, key: TransferField) -> usize {
        row_input(&self.fields, key).map(Input::index).unwrap_or(0)
    }

    pub fn dataset(&self) -> Dataset {
        Dataset::ALL
            .get(self.selected(TransferField::Dataset))
            .copied()
            .unwrap_or(Dataset::Partners)
    }

    pub fn path(&self) -> String {
        row_input(&self.fields, TransferField::Path)
            .map(Input::text)
            .unwrap_or_default()
    }

    /// After a field changed: the default path follows the dataset until the user types one.
    pub fn changed(&mut self) {
        self.problem = None;
        self.error = None;
        if self.path() == self.auto_path {
            let p = self
                .export_dir
                .join(self.dataset().file_name(self.lang, self.today))
                .display()
                .to_string();
            if let Some(f) = self
                .fields
                .iter_mut()
                .find(|f| f.key == TransferField::Path)
            {
                *f = Row::new(TransferField::Path, text(&p));
            }
            self.auto_path = p;
        }
    }

    /// The job, or the problem that stops it.
    pub fn job(&self, lang: Lang) -> Result<ExportJob, Msg> {
        let dataset = self.dataset();
        let scope = if self.selected(TransferField::Scope) == 1 {
            if !scope_fits(dataset, &self.pane_scope) {
                return Err(Msg::ScopeNotForDataset);
            }
            self.pane_scope.clone()
        } else {
            Scope::All
        };
        let dialect = Dialect::ALL
            .get(self.selected(TransferField::Dialect))
            .copied()
            .unwrap_or(Dialect::for_lang(lang));
        let naming = if self.selected(TransferField::Naming) == 1 {
            Naming::Machine
        } else {
            Naming::Labels(lang)
        };
        let raw = self.path();
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Msg::PathEmpty);
        }
        Ok(ExportJob {
            dataset,
            scope,
            opts: ExportOptions::new(dialect, naming),
            path: expand_home(raw),
            export_dir: self.export_dir.clone(),
            overwrite: false,
        })
    }
}

/// `~/x` is `$HOME/x`.
pub fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(p)
}

/// An export on its way.
#[derive(Debug, Clone)]
pub struct ExportRun {
    pub path: String,
    pub progress: Option<Progress>,
    pub cancel: Arc<AtomicBool>,
}

/// The Import CSV… dialog.
#[derive(Debug, Clone)]
pub struct ImportDialog {
    pub fields: Vec<TransferRow>,
    pub focus: usize,
    pub problem: Option<Msg>,
    pub error: Option<Failure>,
}

impl ImportDialog {
    pub fn new(kind: ImportKind, path: &str) -> ImportDialog {
        ImportDialog {
            fields: vec![
                Row::new(
                    TransferField::Kind,
                    index_choice(
                        Choices::ImportKind,
                        match kind {
                            ImportKind::Partners => 0,
                            ImportKind::Activities => 1,
                            ImportKind::Goals => 2,
                        },
                    ),
                ),
                Row::new(TransferField::Path, text(path)),
            ],
            focus: 0,
            problem: None,
            error: None,
        }
    }

    pub fn kind(&self) -> ImportKind {
        match row_input(&self.fields, TransferField::Kind).map(Input::index) {
            Some(1) => ImportKind::Activities,
            Some(2) => ImportKind::Goals,
            _ => ImportKind::Partners,
        }
    }

    pub fn path(&self) -> String {
        row_input(&self.fields, TransferField::Path)
            .map(Input::text)
            .unwrap_or_default()
    }
}

/// What the user can do after the dry run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportChoice {
    All,
    ValidOnly,
    Cancel,
}

impl ImportChoice {
    pub fn label(self) -> Msg {
        match self {
            ImportChoice::All => Msg::ImportAll,
            ImportChoice::ValidOnly => Msg::ImportValidOnly,
            ImportChoice::Cancel => Msg::ImportCancel,
        }
    }
}

/// The dry run's report, and the choice.
#[derive(Debug, Clone)]
pub struct ImportReview {
    pub kind: ImportKind,
    pub path: PathBuf,
    pub report: Box<ImportReport>,
    pub choices: Vec<ImportChoice>,
    pub selected: usize,
    pub scroll: usize,
}

impl ImportReview {
    pub fn new(kind: ImportKind, path: PathBuf, report: Box<ImportReport>) -> ImportReview {
        let choices = if report.is_clean() && report.rows > 0 {
            vec![ImportChoice::All, ImportChoice::Cancel]
        } else if report.valid > 0 {
            vec![ImportChoice::ValidOnly, ImportChoice::Cancel]
        } else {
            vec![ImportChoice::Cancel]
        };
        ImportReview {
            kind,
            path,
            report,
            choices,
            selected: 0,
            scroll: 0,
        }
    }

    /// The report's lines: every bad row and column, then the ignored columns.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.report.problems.iter().map(|p| p.to_string()).collect();
        out.extend(self.report.more_problems());
        if !self.report.ignored_columns.is_empty() {
            out.push(format!("? {}", self.report.ignored_columns.join(", ")));
        }
        out
    }
}

/// An import (or its dry run) on its way.
#[derive(Debug, Clone)]
pub struct ImportRun {
    pub dry_run: bool,
    pub progress: Option<crate::csvio::ImportProgress>,
}

/// Where a job's messages go (the app's event channel).
pub type JobSink = Arc<dyn Fn(JobMsg) + Send + Sync>;

/// Run an export on its own thread. Progress is sent at most every 50 ms.
pub fn spawn_export(
    client: Arc<dyn Client>,
    job: ExportJob,
    cancel: Arc<AtomicBool>,
    tx: JobSink,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("spets-export".into())
        .spawn(move || {
            let msg = run_export(&*client, job, &cancel, &tx);
            tx(msg);
        })
        .map(|_| ())
}

fn run_export(client: &dyn Client, job: ExportJob, cancel: &AtomicBool, tx: &JobSink) -> JobMsg {
    let path = job.path.clone();
    if cancel.load(Ordering::Relaxed) {
        return JobMsg::ExportFailed(Failure::Cancelled);
    }
    if !job.overwrite && path.exists() {
        return JobMsg::ExportExists(Box::new(job));
    }
    if let Some(parent) = path.parent()
        && parent == job.export_dir
        && !parent.is_dir()
        && let Err(e) = crate::store::create_private_dir(parent)
    {
        tracing::warn!(error = %e, "cannot create the export folder");
        return JobMsg::ExportFailed(Failure::Write {
            kind: std::io::ErrorKind::PermissionDenied,
            path: path.display().to_string(),
            os: None,
        });
    }
    let mut last = Instant::now();
    let mut progress = |p: Progress| {
        if last.elapsed() >= Duration::from_millis(50) {
            last = Instant::now();
            tx(JobMsg::Progress(p));
        }
    };
    match crate::csvio::export_to_path(
        client,
        job.dataset,
        &job.scope,
        &job.opts,
        &path,
        &mut progress,
        cancel,
    ) {
        Ok(rows) => JobMsg::Exported {
            path: path.display().to_string(),
            rows,
        },
        Err(e) => JobMsg::ExportFailed(Failure::from_export(e, &path)),
    }
}

/// Run an import (or its dry run) on its own thread.
pub fn spawn_import(
    client: Arc<dyn Client>,
    kind: ImportKind,
    path: PathBuf,
    opts: ImportOptions,
    tx: JobSink,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("spets-import".into())
        .spawn(move || {
            let mut last = Instant::now();
            let mut progress = |p: crate::csvio::ImportProgress| {
                if last.elapsed() >= Duration::from_millis(50) {
                    last = Instant::now();
                    tx(JobMsg::ImportProgress(p));
                }
            };
            let result =
                crate::csvio::import_file_with(&*client, kind, &path, &opts, &mut progress);
            let msg = match result {
                Ok(r) if opts.dry_run => JobMsg::Checked(Box::new(r)),
                Ok(r) => JobMsg::Imported(Box::new(r)),
                Err(ImportError::Read { path, source }) => JobMsg::ImportFailed(Failure::Read {
                    kind: source.kind(),
                    path: path.display().to_string(),
                    os: source.raw_os_error(),
                }),
                Err(ImportError::Empty) => JobMsg::ImportFailed(Failure::Empty),
                Err(ImportError::Service(e)) => JobMsg::ImportFailed(Failure::Other(e)),
                Err(ImportError::Failed(f)) => JobMsg::ImportFailed(Failure::Service(f)),
            };
            tx(msg);
        })
        .map(|_| ())
}

/// The cancel flag's state, for the progress line.
pub fn cancelling(run: &ExportRun) -> bool {
    run.cancel.load(Ordering::Relaxed)
}
