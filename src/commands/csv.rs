//! `spets export` and `spets import`: CSV through a client (embedded or a daemon), with what they
//! say in the user's language.

use std::path::Path;
use std::process::ExitCode;

/// `spets export DATASET [-o FILE] [--dialect D] [--filter EXPR] [--machine-headers]`.
#[allow(clippy::too_many_arguments)]
pub fn export(
    client: &dyn crate::client::Client,
    lang: crate::i18n::Lang,
    dataset: crate::csvio::Dataset,
    output: Option<&Path>,
    dialect: Option<crate::csvio::Dialect>,
    filter: Option<&str>,
    machine: bool,
) -> anyhow::Result<ExitCode> {
    use crate::csvio::{self, ExportOptions, Naming};
    let scope = csvio::parse_filter(client, dataset, filter.unwrap_or(""), lang)?;
    let dialect = dialect.unwrap_or_else(|| csvio::Dialect::for_lang(lang));
    let naming = if machine {
        Naming::Machine
    } else {
        Naming::Labels(lang)
    };
    let opts = ExportOptions::new(dialect, naming).sorted_for(lang);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut progress = |_: csvio::Progress| {};
    match output {
        Some(path) if path.as_os_str() != "-" => {
            let rows = csvio::export_to_path(
                client,
                dataset,
                &scope,
                &opts,
                path,
                &mut progress,
                &cancel,
            )?;
            crate::term::warn(&crate::i18n::messages::exported(
                lang,
                rows,
                &path.display().to_string(),
            ));
        }
        _ => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
            match csvio::export_to_writer(
                client,
                dataset,
                &scope,
                &opts,
                &mut w,
                &mut progress,
                &cancel,
            ) {
                Ok(_) => {}
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(csvio::ExportError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                }
                Err(e) => return Err(e.into()),
            }
            if let Err(e) = std::io::Write::flush(&mut w)
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(csvio::ExportError::Write(e).into());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `spets import partners|activities FILE [--dry-run] [--valid-only]`.
pub fn import(
    client: &dyn crate::client::Client,
    lang: crate::i18n::Lang,
    what: crate::csvio::ImportKind,
    file: &Path,
    dry_run: bool,
    valid_only: bool,
) -> anyhow::Result<ExitCode> {
    use crate::csvio;
    let mut opts = csvio::ImportOptions::new(lang);
    opts.dry_run = dry_run;
    opts.valid_only = valid_only;
    // On a terminal, a line that says how far it has come (a large file takes seconds).
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |p: csvio::ImportProgress| {
        if !tty {
            return;
        }
        let line = match p {
            csvio::ImportProgress::Checking { rows } => {
                crate::i18n::messages::import_checking(lang, rows)
            }
            csvio::ImportProgress::Writing { rows, total } => {
                crate::i18n::messages::import_writing(lang, rows, total)
            }
        };
        eprint!("\r{line}\x1b[K");
    };
    let report = csvio::import_file_with(client, what, file, &opts, &mut progress);
    if tty {
        eprint!("\r\x1b[K");
    }
    let report = report?;
    for p in &report.problems {
        crate::term::warn(&p.to_string());
    }
    if let Some(more) = report.more_problems() {
        crate::term::warn(&more);
    }
    if !report.ignored_columns.is_empty() {
        let cols: Vec<String> = report
            .ignored_columns
            .iter()
            .map(|c| crate::term::inline(c).into_owned())
            .collect();
        crate::term::warn(&crate::i18n::messages::ignored_columns(lang, &cols));
    }
    crate::term::say(&report.summary());
    // With --valid-only, importing the valid rows is success; otherwise any problem is a failure.
    let imported_valid_rows = valid_only && !dry_run && report.written > 0;
    Ok(if report.is_clean() || imported_valid_rows {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
