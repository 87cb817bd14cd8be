//! The spets command line. See the crate docs (src/lib.rs) for the module map.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use spets::store::{Store, backup};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: see the note on the dependency in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

    /// Connect to a spets daemon on this Unix socket instead of opening a workspace (default:
    /// `server` in /etc/spets/config.toml or ~/.config/spets/config.toml).
    #[arg(long, global = true, value_name = "SOCKET")]
    connect: Option<PathBuf>,

    /// Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in
    /// ~/.config/spets/config.toml, else default).
    #[arg(long, global = true, value_name = "NAME")]
    keymap_preset: Option<String>,

    /// Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml).
    #[arg(long, global = true, value_name = "FILE")]
    keymap: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

/// `spets keymap …`
#[derive(Subcommand, Debug)]
enum KeymapCommand {
    /// Validate a keymap file; exits non-zero and names file, line and column for each problem.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the active bindings as a table (the preset plus your overrides).
    Show {
        /// Show this preset (default, vim, emacs) instead of the configured one.
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check or show keymaps (presets in keymaps/, overrides in ~/.config/spets/keymap.toml).
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Serve a workspace to every spets on this machine over a Unix socket (the shared-server
    /// daemon). Stop it with SIGTERM.
    Serve {
        /// The socket to listen on, e.g. /run/spets/spets.sock.
        #[arg(long, value_name = "PATH")]
        socket: PathBuf,
        /// The Unix group allowed to connect (default: the daemon user's primary group).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// The access file mapping users and groups to admin, editor or viewer.
        #[arg(long, value_name = "FILE")]
        access: Option<PathBuf>,
    },
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
    /// Verify a workspace: every record decodes and keeps within the limits, indexes agree,
    /// versions and counters are sane. A dry run unless --repair is given.
    Check {
        /// Mend what can be mended: move unreadable records to quarantine, rebuild indexes, raise
        /// counters (each step is audited).
        #[arg(long)]
        repair: bool,
    },
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
        /// Measure the shared-server daemon instead: concurrent durable saves and idle cost.
        #[arg(long)]
        daemon: bool,
        /// With --daemon: how many clients save at the same time.
        #[arg(long, default_value_t = 50)]
        clients: usize,
        /// With --daemon: saves per client.
        #[arg(long, default_value_t = 20)]
        edits: usize,
        /// With --daemon: pause between one client's saves, in ms (0: back to back).
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
        /// With --daemon: how long to measure the idle clients' cost, in seconds.
        #[arg(long, default_value_t = 10)]
        idle_secs: u64,
    },
    /// Export a dataset as CSV: partners, agreements, contacts, activities, matrix, assessments,
    /// notes, actions or audit. Writes to stdout unless --output names a file.
    Export {
        /// partners, agreements, contacts, activities, matrix, assessments, notes, actions, audit.
        #[arg(value_name = "DATASET", value_parser = parse_dataset)]
        dataset: spets::csvio::Dataset,
        /// The file to write (atomically, mode 0600); `-` or nothing for stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// excel-sv (BOM, `;`), excel-en (BOM, `,`) or rfc4180 (no BOM, `,`); default from the language.
        #[arg(long, value_name = "D", value_parser = parse_dialect)]
        dialect: Option<spets::csvio::Dialect>,
        /// Only what a filter selects: comma-separated field=value terms, e.g. phase=running,country=DE.
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Stable English snake_case headers and machine keys for enumerated values.
        #[arg(long)]
        machine_headers: bool,
    },
    /// Import partners or activities from a CSV file (columns matched by header, Swedish or English).
    Import {
        /// partners or activities.
        #[arg(value_name = "WHAT", value_parser = parse_import_kind)]
        what: spets::csvio::ImportKind,
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Check every row and report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the rows that pass even when other rows have problems.
        #[arg(long)]
        valid_only: bool,
    },
}

fn parse_dataset(s: &str) -> Result<spets::csvio::Dataset, String> {
    spets::csvio::Dataset::parse(s).ok_or_else(|| {
        format!(
            "unknown dataset {s:?}: use one of {}",
            spets::csvio::Dataset::names()
        )
    })
}

fn parse_dialect(s: &str) -> Result<spets::csvio::Dialect, String> {
    spets::csvio::Dialect::parse(s).ok_or_else(|| {
        format!(
            "unknown dialect {s:?}: use one of {}",
            spets::csvio::Dialect::names()
        )
    })
}

fn parse_import_kind(s: &str) -> Result<spets::csvio::ImportKind, String> {
    spets::csvio::ImportKind::parse(s)
        .ok_or_else(|| format!("cannot import {s:?}: use partners or activities"))
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
    let cli = parse_cli();
    let _log = init_logging();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // The UI stopped for a signal or a lost terminal: nothing to print (nowhere, perhaps).
            if let Some(stopped) = e.downcast_ref::<spets::ui::run::Stopped>() {
                return ExitCode::from(stopped.code());
            }
            tracing::error!(error = format!("{e:#}"), "command failed");
            spets::term::warn(&format!("spets: error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Parse the command line, with the help in Swedish for a Swedish session.
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = spets::i18n::cli::lang_arg(&args).unwrap_or_else(spets::i18n::Lang::from_env);
    let mut cmd = Cli::command();
    if lang == spets::i18n::Lang::Sv {
        cmd = spets::i18n::cli::swedish(cmd);
    }
    let matches = cmd.get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn workspace(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .unwrap_or_else(spets::config::default_workspace)
}

fn open_store(dir: &Path) -> Result<Store> {
    Ok(Store::open(dir)?)
}

/// Where the data comes from: a daemon's socket or a workspace directory.
enum Target {
    Socket(PathBuf),
    Workspace(PathBuf),
}

/// `--connect`, else `--db`, else `server` in the config, else the default workspace. A broken
/// config file is an error only when it is needed.
fn target(cli: &Cli, config: &Result<spets::config::Config, String>) -> Result<Target> {
    if let Some(s) = &cli.connect {
        return Ok(Target::Socket(s.clone()));
    }
    if let Some(d) = &cli.db {
        return Ok(Target::Workspace(d.clone()));
    }
    let config = config.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(match &config.server {
        Some(s) => Target::Socket(s.clone()),
        None => Target::Workspace(spets::config::default_workspace()),
    })
}

/// A client for commands that read or write through the service (embedded or remote).
fn client(target: &Target) -> Result<Box<dyn spets::client::Client>> {
    Ok(match target {
        Target::Socket(s) => Box::new(spets::client::Remote::connect(s)?),
        Target::Workspace(dir) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; check --db or SPETS_DB",
                    dir.display()
                );
            }
            Box::new(embedded(dir)?)
        }
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dir = workspace(&cli);
    if let Some(Command::Serve {
        socket,
        group,
        access,
    }) = &cli.command
    {
        let Some(db) = cli.db.clone() else {
            bail!("serve needs the workspace to serve: spets serve --db DIR --socket PATH");
        };
        // The socket and its directory are for the group; the workspace stays the daemon's own.
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o007));
        spets::daemon::serve(spets::daemon::ServeOptions {
            db,
            socket: socket.clone(),
            group: group.clone(),
            access: access.clone(),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    // The config files are read once, here.
    let config = spets::config::Config::load();
    let target = target(&cli, &config)?;
    let remote = matches!(target, Target::Socket(_));
    if remote {
        match &cli.command {
            Some(Command::Check { repair }) => {
                let c = client(&target)?;
                return Ok(exit(spets::commands::integrity::check_remote(
                    lang(&cli, &config),
                    &*c,
                    *repair,
                )?));
            }
            Some(Command::Backup { file }) => return remote_backup(&target, file),
            Some(Command::Demo { .. } | Command::Restore { .. } | Command::Bench { .. }) => {
                bail!(
                    "this command works on a workspace directory (--db DIR), not through a daemon (--connect)"
                )
            }
            _ => {}
        }
    }
    match &cli.command {
        Some(Command::Serve { .. }) => {}
        None => {
            // --lang, then the language last chosen in the UI, then `lang` in the config, then
            // the locale.
            let lang = cli
                .lang
                .or_else(spets::ui::saved_lang)
                .or_else(|| {
                    config
                        .as_ref()
                        .ok()?
                        .lang
                        .as_deref()
                        .and_then(spets::i18n::Lang::parse)
                })
                .unwrap_or_else(spets::i18n::Lang::from_env);
            if !spets::ui::run::has_terminal() {
                return Ok(no_terminal(lang));
            }
            let keys = spets::ui::KeymapChoice {
                preset: cli.keymap_preset.clone(),
                file: cli.keymap.clone(),
            };
            if remote {
                spets::ui::start_client(std::sync::Arc::from(client(&target)?), lang, &keys)?;
            } else {
                spets::tui_entry_with(&dir, lang, &keys)?;
            }
        }
        Some(Command::Keymap { command }) => {
            return keymap_command(&cli, lang(&cli, &config), command);
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
            // Load the model once and close, which leaves its checkpoint: the first real open is
            // then as quick as every later one.
            drop(spets::service::Service::new(store)?);
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
        Some(Command::Check { repair }) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; check --db or SPETS_DB",
                    dir.display()
                );
            }
            return Ok(exit(spets::commands::integrity::check_workspace(
                lang(&cli, &config),
                &dir,
                *repair,
                &spets::identity::current_user(),
            )?));
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
            return Ok(exit(spets::commands::integrity::restore(
                lang(&cli, &config),
                file,
                &target,
                &spets::identity::current_user(),
            )?));
        }
        Some(Command::Export {
            dataset,
            output,
            dialect,
            filter,
            machine_headers,
        }) => {
            let lang = lang(&cli, &config);
            let c = client(&target)?;
            let result = csv_export(
                &*c,
                lang,
                *dataset,
                output.as_deref(),
                *dialect,
                filter.as_deref(),
                *machine_headers,
            );
            spets::commands::integrity::damaged_notice(lang, &*c);
            // An export only reads. Leave the model checkpoint, then let the process's exit free
            // the workspace's memory at once instead of taking sled's page cache apart piece by
            // piece (tens of milliseconds on a large workspace); the lock goes with the process.
            c.close();
            std::mem::forget(c);
            return result;
        }
        Some(Command::Import {
            what,
            file,
            dry_run,
            valid_only,
        }) => {
            let lang = lang(&cli, &config);
            // Importing into a workspace directory that does not exist yet creates it.
            let c: Box<dyn spets::client::Client> = match &target {
                Target::Workspace(dir) => Box::new(embedded(dir)?),
                Target::Socket(_) => client(&target)?,
            };
            return csv_import(&*c, lang, *what, file, *dry_run, *valid_only);
        }
        Some(Command::Bench {
            filters,
            daemon,
            clients,
            edits,
            pause_ms,
            idle_secs,
        }) => {
            if !dir.exists() {
                bail!(
                    "there is no workspace at {}; create one with spets demo --db DIR",
                    dir.display()
                );
            }
            let report = if *daemon {
                spets::bench::daemon(&dir, *clients, *edits, *pause_ms, *idle_secs)?
            } else {
                spets::bench::run(&dir, filters)?
            };
            print!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The language of messages: `--lang`, then `lang` in the config, then the locale.
fn lang(cli: &Cli, config: &Result<spets::config::Config, String>) -> spets::i18n::Lang {
    cli.lang
        .or_else(|| {
            config
                .as_ref()
                .ok()?
                .lang
                .as_deref()
                .and_then(spets::i18n::Lang::parse)
        })
        .unwrap_or_else(spets::i18n::Lang::from_env)
}

/// `spets` without a terminal: one line naming the commands that need none, status 2.
fn no_terminal(lang: spets::i18n::Lang) -> ExitCode {
    use clap::CommandFactory;
    use std::io::Write;
    let cli = Cli::command();
    // Every subcommand, the everyday ones first.
    const FIRST: [&str; 5] = ["export", "import", "check", "backup", "restore"];
    let mut commands: Vec<&str> = cli
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|n| *n != "help")
        .collect();
    commands.sort_by_key(|n| FIRST.iter().position(|f| f == n).unwrap_or(FIRST.len()));
    let line = spets::ui::run::no_terminal_message(lang, &commands);
    let _ = writeln!(std::io::stderr(), "{line}");
    ExitCode::from(2)
}

/// The exit status of a check.
fn exit(o: spets::commands::integrity::Outcome) -> ExitCode {
    match o {
        spets::commands::integrity::Outcome::Clean => ExitCode::SUCCESS,
        spets::commands::integrity::Outcome::Problems => ExitCode::FAILURE,
    }
}

fn embedded(dir: &Path) -> Result<spets::client::Embedded> {
    let service = spets::service::Service::open(dir)?;
    Ok(spets::client::Embedded::new(
        std::sync::Arc::new(service),
        spets::identity::current_user(),
    ))
}

fn csv_export(
    client: &dyn spets::client::Client,
    lang: spets::i18n::Lang,
    dataset: spets::csvio::Dataset,
    output: Option<&Path>,
    dialect: Option<spets::csvio::Dialect>,
    filter: Option<&str>,
    machine: bool,
) -> Result<ExitCode> {
    use spets::csvio::{self, ExportOptions, Naming};
    let scope = csvio::parse_filter(client, dataset, filter.unwrap_or(""), lang)?;
    let dialect = dialect.unwrap_or_else(|| csvio::Dialect::for_lang(lang));
    let naming = if machine {
        Naming::Machine
    } else {
        Naming::Labels(lang)
    };
    let opts = ExportOptions::new(dialect, naming);
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
            match lang {
                spets::i18n::Lang::Sv => {
                    eprintln!("{rows} rader exporterade till {}.", path.display())
                }
                spets::i18n::Lang::En => eprintln!("{rows} rows exported to {}.", path.display()),
            }
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
                return Err(anyhow::Error::new(e).context("cannot write to stdout"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn csv_import(
    client: &dyn spets::client::Client,
    lang: spets::i18n::Lang,
    what: spets::csvio::ImportKind,
    file: &Path,
    dry_run: bool,
    valid_only: bool,
) -> Result<ExitCode> {
    use spets::csvio;
    let mut opts = csvio::ImportOptions::new(lang);
    opts.dry_run = dry_run;
    opts.valid_only = valid_only;
    // On a terminal, a line that says how far it has come (a large file takes seconds).
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |p: csvio::ImportProgress| {
        if !tty {
            return;
        }
        let line = match (p, lang) {
            (csvio::ImportProgress::Checking { rows }, spets::i18n::Lang::En) => {
                format!("checking: {rows} rows")
            }
            (csvio::ImportProgress::Checking { rows }, spets::i18n::Lang::Sv) => {
                format!("kontrollerar: {rows} rader")
            }
            (csvio::ImportProgress::Writing { rows, total }, spets::i18n::Lang::En) => {
                format!("writing: {rows} of {total} rows sent")
            }
            (csvio::ImportProgress::Writing { rows, total }, spets::i18n::Lang::Sv) => {
                format!("skriver: {rows} av {total} rader skickade")
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
        spets::term::warn(&p.to_string());
    }
    if !report.ignored_columns.is_empty() {
        let label = match lang {
            spets::i18n::Lang::Sv => "kolumner som inte används",
            spets::i18n::Lang::En => "ignored columns",
        };
        let cols: Vec<String> = report
            .ignored_columns
            .iter()
            .map(|c| spets::term::inline(c).into_owned())
            .collect();
        spets::term::warn(&format!("{label}: {}", cols.join(", ")));
    }
    spets::term::say(&report.summary());
    // With --valid-only, importing the valid rows is success; otherwise any problem is a failure.
    let imported_valid_rows = valid_only && !dry_run && report.written > 0;
    Ok(if report.is_clean() || imported_valid_rows {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn remote_backup(target: &Target, file: &Path) -> Result<ExitCode> {
    let client = client(target)?;
    match client.call(spets::service::Request::Backup) {
        spets::service::Response::Backup(bytes) => {
            // Written by this process, as this user.
            backup::write_atomic(file, &bytes)
                .with_context(|| format!("cannot write the backup to {}", file.display()))?;
            println!(
                "Backup of {} written to {}: {} bytes.",
                client.location(),
                file.display(),
                bytes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("the daemon made no backup: {}", describe(&other)),
    }
}

/// A one-line explanation of an unexpected response.
fn describe(r: &spets::service::Response) -> String {
    use spets::service::Response;
    match r {
        Response::Forbidden { denied, role } => {
            format!("not allowed for a {} ({denied:?})", role.key())
        }
        Response::Failed(m) => m.clone(),
        other => format!("unexpected answer {other:?}"),
    }
}

fn keymap_command(cli: &Cli, lang: spets::i18n::Lang, command: &KeymapCommand) -> Result<ExitCode> {
    match command {
        KeymapCommand::Check { file } => match spets::keymap::check_file_warnings(file) {
            Ok(warnings) => {
                for w in &warnings {
                    eprintln!("{}: {w}", file.display());
                }
                println!("{}: OK", file.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(errors) => {
                for e in &errors {
                    spets::term::warn(&e.to_string());
                }
                spets::term::warn(&format!(
                    "{} problem(s) in {}.",
                    errors.len(),
                    file.display()
                ));
                Ok(ExitCode::FAILURE)
            }
        },
        KeymapCommand::Show { preset } => {
            let (map, notices) = match preset {
                Some(name) => (
                    spets::keymap::Keymap::preset(name).map_err(|e| anyhow::anyhow!("{e}"))?,
                    Vec::new(),
                ),
                None => spets::ui::load_keymap(&spets::ui::KeymapChoice {
                    preset: cli.keymap_preset.clone(),
                    file: cli.keymap.clone(),
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            };
            for n in notices {
                spets::term::warn(&n.text(lang));
            }
            print!("{}", spets::term::visible(&map.show_table(lang)));
            Ok(ExitCode::SUCCESS)
        }
    }
}
