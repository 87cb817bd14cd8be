//! The spets command line. See the crate docs (src/lib.rs) for the module map.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use spets::store::{Store, backup, check};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A terminal workspace for strategic partnerships: partners, timeline, value matrix and meeting
/// notes.
#[derive(Parser, Debug)]
#[command(name = "spets", version, about, long_about = None)]
struct Cli {
    /// The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e.
    /// ~/.local/share/spets/workspace).
    #[arg(long, global = true, env = "SPETS_DB", value_name = "DIR")]
    db: Option<PathBuf>,

    /// Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_name = "sv|en", value_parser = parse_lang)]
    lang: Option<spets::i18n::Lang>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fill an empty workspace with realistic sample data (deterministic for a seed).
    Demo {
        #[arg(long, default_value_t = 40)]
        partners: usize,
        #[arg(long, default_value_t = 800)]
        activities: usize,
        #[arg(long, default_value_t = 120)]
        notes: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Verify a workspace: every record decodes, indexes agree, versions are sane.
    Check,
    /// Write a consistent snapshot of the workspace, with a checksum, to FILE.
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Restore a backup FILE into a new workspace (--db DIR, which must be empty or missing).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Measure the core targets on a workspace (open + first screen, partner filtering, memory).
    Bench {
        /// Substrings to time as typed partner filters.
        #[arg(long = "filter", value_name = "TEXT")]
        filters: Vec<String>,
    },
}

fn parse_lang(s: &str) -> Result<spets::i18n::Lang, String> {
    spets::i18n::Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use sv or en"))
}

fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = spets::config::log_dir();
    spets::store::create_private_dir(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "spets.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SPETS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

fn main() -> ExitCode {
    // Everything this process creates is private to its user unless a command says otherwise.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    let _log = init_logging();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "command failed");
            eprintln!("spets: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .unwrap_or_else(spets::config::default_workspace)
}

fn open_store(dir: &Path) -> Result<Store> {
    Ok(Store::open(dir)?)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dir = workspace(&cli);
    match &cli.command {
        None => {
            let lang = cli.lang.unwrap_or_else(spets::i18n::Lang::from_env);
            spets::tui_entry(&dir, lang)?;
        }
        Some(Command::Demo {
            partners,
            activities,
            notes,
            seed,
        }) => {
            let store = open_store(&dir)?;
            let spec = spets::demo::DemoSpec {
                partners: *partners,
                activities: *activities,
                notes: *notes,
                seed: *seed,
                today: chrono::Local::now().date_naive(),
                me: spets::identity::current_user(),
            };
            let started = std::time::Instant::now();
            let s = spets::demo::generate(&store, &spec, &spets::identity::current_user())?;
            println!(
                "Demo data written to {} in {:.1} s: {} partners, {} agreements, {} contacts, {} activities, {} assessments, {} notes.",
                dir.display(),
                started.elapsed().as_secs_f64(),
                s.partners,
                s.agreements,
                s.contacts,
                s.activities,
                s.assessments,
                s.notes
            );
        }
        Some(Command::Check) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; check --db or SPETS_DB",
                    dir.display()
                );
            }
            let store = open_store(&dir)?;
            let report = check::check(&store)?;
            for (tree, n) in &report.counted {
                println!("{tree:<30} {n:>9}");
            }
            if report.is_ok() {
                println!("OK: {} is consistent.", dir.display());
            } else {
                for p in &report.problems {
                    eprintln!("problem: {p}");
                }
                eprintln!(
                    "{} problem(s) found in {}. Restore the latest backup with `spets restore FILE --db NEW_DIR`.",
                    report.problems.len(),
                    dir.display()
                );
                return Ok(ExitCode::FAILURE);
            }
        }
        Some(Command::Backup { file }) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; check --db or SPETS_DB",
                    dir.display()
                );
            }
            let store = open_store(&dir)?;
            let (bytes, summary) = backup::snapshot(&store)?;
            backup::write_atomic(file, &bytes)
                .with_context(|| format!("cannot write the backup to {}", file.display()))?;
            println!(
                "Backup written to {}: {} entries in {} trees, {} bytes, checksum {:08x}.",
                file.display(),
                summary.entries,
                summary.trees,
                summary.bytes,
                summary.checksum
            );
        }
        Some(Command::Restore { file }) => {
            let Some(target) = cli.db.clone() else {
                bail!("restore needs the new workspace directory: spets restore FILE --db NEW_DIR");
            };
            let bytes = std::fs::read(file)
                .with_context(|| format!("cannot read the backup {}", file.display()))?;
            let summary = backup::restore(&file.display().to_string(), &bytes, &target)?;
            let store = open_store(&target)?;
            let report = check::check(&store)?;
            if !report.is_ok() {
                bail!(
                    "the restored workspace at {} has problems: {}",
                    target.display(),
                    report.problems.join("; ")
                );
            }
            println!(
                "Restored {} entries from {} into {}; the workspace checks out.",
                summary.entries,
                file.display(),
                target.display()
            );
        }
        Some(Command::Bench { filters }) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; create one with spets demo --db DIR",
                    dir.display()
                );
            }
            let report = spets::bench::run(&dir, filters)?;
            print!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
