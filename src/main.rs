//! The spets command line. See the crate docs (src/lib.rs) for the module map.

use anyhow::{Result, anyhow, bail};
use clap::{Parser, Subcommand};
use spets::i18n::messages as say;
use spets::i18n::{Lang, cli};
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
    #[arg(long, global = true, value_name = "sv|en", value_parser = cli::lang(Lang::En))]
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
        /// The keymap file to check.
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
        /// Create a new, empty workspace when --db does not exist (without it, a missing
        /// directory is refused: a typo must not serve an empty workspace to everyone).
        #[arg(long)]
        init: bool,
        /// The most connections served at once; the next one is refused with a message.
        #[arg(long, value_name = "N", default_value_t = spets::daemon::DEFAULT_MAX_CLIENTS)]
        max_clients: u32,
        /// The most connections one user may hold at once.
        #[arg(long, value_name = "N", default_value_t = spets::daemon::DEFAULT_MAX_PER_USER)]
        max_clients_per_user: u32,
    },
    /// Fill an empty workspace with realistic sample data (deterministic for a seed).
    Demo {
        /// How many partners.
        #[arg(long, default_value_t = 40)]
        partners: usize,
        /// How many activities.
        #[arg(long, default_value_t = 800)]
        activities: usize,
        /// How many meeting notes.
        #[arg(long, default_value_t = 120)]
        notes: usize,
        /// The random seed.
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
        /// The file to write (atomically, mode 0600).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Restore a backup FILE into a new workspace (--db DIR, which must be empty or missing).
    Restore {
        /// The backup to read.
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
        /// With --daemon: this many more clients run `spets check` in a loop while the others
        /// save.
        #[arg(long, default_value_t = 0)]
        check_loops: usize,
    },
    /// Export a dataset as CSV: partners, agreements, contacts, activities, matrix, assessments,
    /// notes, actions or audit. Writes to stdout unless --output names a file.
    Export {
        /// partners, agreements, contacts, activities, matrix, assessments, notes, actions, audit.
        #[arg(value_name = "DATASET", value_parser = cli::dataset(Lang::En))]
        dataset: spets::csvio::Dataset,
        /// The file to write (atomically, mode 0600); `-` or nothing for stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// excel-sv (BOM, `;`), excel-en (BOM, `,`) or rfc4180 (no BOM, `,`); default from the language.
        #[arg(long, value_name = "D", value_parser = cli::dialect(Lang::En))]
        dialect: Option<spets::csvio::Dialect>,
        /// Only what a filter selects: comma-separated field=value terms, e.g. phase=running,country=DE.
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Stable English snake_case headers and machine keys for enumerated values.
        #[arg(long)]
        machine_headers: bool,
    },
    /// Write a management report as HTML or Markdown: one partner's year, or the portfolio of
    /// strategic partners.
    Report {
        #[command(subcommand)]
        what: spets::commands::report::ReportCommand,
    },
    /// Print a shell completion script for SHELL (bash, zsh, fish, elvish or powershell).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the spets(1) manual page (roff).
    Man,
    /// Import partners, activities or goals from a CSV file (columns matched by header, Swedish or English).
    Import {
        /// partners, activities or goals.
        #[arg(value_name = "WHAT", value_parser = cli::import_kind(Lang::En))]
        what: spets::csvio::ImportKind,
        /// The CSV file to read.
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

fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = spets::config::log_dir();
    spets::store::create_private_dir(&dir).ok()?;
    // A file per day, the last week kept: the log never grows without bound.
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("spets")
        .filename_suffix("log")
        .max_log_files(7)
        .build(&dir)
        .ok()?;
    // 4,096 lines waiting for the writer thread, not the default 128,000: the queue is allocated
    // in full up front (4 MB of every process's memory); a full queue drops lines rather than
    // hold up the UI or the daemon.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4_096)
        .finish(appender);
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The config files are read once, here; a broken one is an error only when it is needed.
    let config = spets::config::Config::load_typed();
    let lang = choose_lang(cli::lang_arg(&args), &config);
    let cli = parse_cli(args, lang);
    let _log = init_logging();
    match run(cli, lang, &config) {
        Ok(code) => code,
        Err(e) => {
            // The UI stopped for a signal or a lost terminal: nothing to print (nowhere, perhaps).
            if let Some(stopped) = e.downcast_ref::<spets::ui::run::Stopped>() {
                return ExitCode::from(stopped.code());
            }
            tracing::error!(error = format!("{e:#}"), "command failed");
            let text = spets::commands::errors::text(lang, &e);
            spets::term::warn(&format!("{} {text}", say::error_prefix(lang)));
            ExitCode::FAILURE
        }
    }
}

/// The language of every command: `--lang`, then the language last chosen with `L` in the
/// terminal UI, then `lang` in the config, then LC_ALL, LC_MESSAGES or LANG.
fn choose_lang(
    arg: Option<Lang>,
    config: &Result<spets::config::Config, spets::config::ConfigError>,
) -> Lang {
    arg.or_else(spets::ui::saved_lang)
        .or_else(|| config.as_ref().ok()?.lang.as_deref().and_then(Lang::parse))
        .unwrap_or_else(Lang::from_env)
}

/// Parse the command line, with help, usage and errors in Swedish for a Swedish session.
fn parse_cli(args: Vec<std::ffi::OsString>, lang: Lang) -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = Cli::command();
    if lang == Lang::Sv {
        cmd = cli::swedish(cmd);
    }
    let fail = |e: clap::Error| -> ! {
        match lang {
            Lang::Sv => e.apply::<cli::SwedishErrors>().exit(),
            Lang::En => e.exit(),
        }
    };
    let matches = cmd.try_get_matches_from(args).unwrap_or_else(|e| fail(e));
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| fail(e))
}

/// The command line as clap sees it, in `lang` (for `spets man` and `spets completions`).
fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    match lang {
        Lang::En => Cli::command(),
        Lang::Sv => cli::swedish(Cli::command()),
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

/// Where the data comes from: a daemon's socket or a workspace directory.
enum Target {
    Socket(PathBuf),
    Workspace(PathBuf),
}

/// `--connect`, else `--db`, else `server` in the config, else the default workspace. A broken
/// config file is an error only when it is needed.
fn target(
    cli: &Cli,
    config: &Result<spets::config::Config, spets::config::ConfigError>,
) -> Result<Target> {
    if let Some(s) = &cli.connect {
        return Ok(Target::Socket(s.clone()));
    }
    if let Some(d) = &cli.db {
        return Ok(Target::Workspace(d.clone()));
    }
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            return Err(
                anyhow!(spets::i18n::reasons::config_error(Lang::En, e)).context(ConfigFailed)
            );
        }
    };
    Ok(match &config.server {
        Some(s) => Target::Socket(s.clone()),
        None => Target::Workspace(spets::config::default_workspace()),
    })
}

/// Marks an error as a config error (worded again in the user's language by `main`).
#[derive(Debug)]
struct ConfigFailed;

impl std::fmt::Display for ConfigFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("config")
    }
}

/// No workspace at `dir`: say so, and what to check.
fn no_workspace(lang: Lang, dir: &Path, hint_demo: bool) -> anyhow::Error {
    let d = dir.display();
    anyhow!(match (lang, hint_demo) {
        (Lang::En, false) => format!("there is no workspace at {d}; check --db or SPETS_DB"),
        (Lang::Sv, false) =>
            format!("det finns ingen arbetsyta i {d}; kontrollera --db eller SPETS_DB"),
        (Lang::En, true) =>
            format!("there is no workspace at {d}; create one with spets demo --db DIR"),
        (Lang::Sv, true) =>
            format!("det finns ingen arbetsyta i {d}; skapa en med spets demo --db KATALOG"),
    })
}

/// A client for commands that read or write through the service (embedded or remote).
fn client(lang: Lang, target: &Target) -> Result<Box<dyn spets::client::Client>> {
    Ok(match target {
        Target::Socket(s) => Box::new(spets::client::Remote::connect(s)?),
        Target::Workspace(dir) => {
            if !dir.exists() {
                return Err(no_workspace(lang, dir, false));
            }
            Box::new(embedded(dir)?)
        }
    })
}

fn run(
    cli: Cli,
    lang: Lang,
    config: &Result<spets::config::Config, spets::config::ConfigError>,
) -> Result<ExitCode> {
    let dir = workspace(&cli);
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut cmd = command(Lang::En);
            clap_complete::generate(*shell, &mut cmd, "spets", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command(Lang::En)).render(&mut out)?;
            std::io::Write::write_all(&mut std::io::stdout(), &out)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Serve {
            socket,
            group,
            access,
            init,
            max_clients,
            max_clients_per_user,
        }) => {
            let Some(db) = cli.db.clone() else {
                bail!(match lang {
                    Lang::En =>
                        "serve needs the workspace to serve: spets serve --db DIR --socket PATH",
                    Lang::Sv =>
                        "serve behöver arbetsytan att dela: spets serve --db KATALOG --socket SÖKVÄG",
                });
            };
            // The socket and its directory are for the group; the workspace stays the daemon's own.
            rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o007));
            spets::daemon::serve(spets::daemon::ServeOptions {
                db,
                socket: socket.clone(),
                group: group.clone(),
                access: access.clone(),
                init: *init,
                max_clients: *max_clients,
                max_per_user: *max_clients_per_user,
                lang,
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let target = match target(&cli, config) {
        Ok(t) => t,
        Err(e) if e.is::<ConfigFailed>() => {
            let Err(c) = config else { return Err(e) };
            bail!(spets::i18n::reasons::config_error(lang, c));
        }
        Err(e) => return Err(e),
    };
    let remote = matches!(target, Target::Socket(_));
    if remote {
        match &cli.command {
            Some(Command::Check { repair }) => {
                let c = client(lang, &target)?;
                return Ok(exit(spets::commands::integrity::check_remote(
                    lang, &*c, *repair,
                )?));
            }
            Some(Command::Backup { file }) => {
                let c = client(lang, &target)?;
                spets::commands::integrity::remote_backup(lang, &*c, file)?;
                return Ok(ExitCode::SUCCESS);
            }
            Some(Command::Demo { .. } | Command::Restore { .. } | Command::Bench { .. }) => {
                bail!(match lang {
                    Lang::En =>
                        "this command works on a workspace directory (--db DIR), not through a daemon (--connect)",
                    Lang::Sv =>
                        "det här kommandot arbetar på en arbetsytekatalog (--db KATALOG), inte via en demon (--connect)",
                })
            }
            _ => {}
        }
    }
    match &cli.command {
        Some(Command::Serve { .. } | Command::Completions { .. } | Command::Man) => {}
        None => {
            if !spets::ui::run::has_terminal() {
                return Ok(no_terminal(lang));
            }
            let keys = spets::ui::KeymapChoice {
                preset: cli.keymap_preset.clone(),
                file: cli.keymap.clone(),
            };
            if remote {
                spets::ui::start_client(std::sync::Arc::from(client(lang, &target)?), lang, &keys)?;
            } else {
                spets::tui_entry_with(&dir, lang, &keys)?;
            }
        }
        Some(Command::Keymap { command }) => {
            return keymap_command(&cli, lang, command);
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
            spets::term::say(&say::demo_written(
                lang,
                &dir.display().to_string(),
                started.elapsed().as_secs_f64(),
                &[
                    s.partners,
                    s.agreements,
                    s.contacts,
                    s.activities,
                    s.assessments,
                    s.notes,
                ],
            ));
        }
        Some(Command::Check { repair }) => {
            if !dir.exists() {
                return Err(no_workspace(lang, &dir, false));
            }
            return Ok(exit(spets::commands::integrity::check_workspace(
                lang,
                &dir,
                *repair,
                &spets::identity::current_user(),
            )?));
        }
        Some(Command::Backup { file }) => {
            if !dir.exists() {
                return Err(no_workspace(lang, &dir, false));
            }
            let store = open_store(&dir)?;
            let summary = backup::write_file(&store, file)
                .map_err(|e| spets::commands::integrity::backup_failed(lang, file, &e))?;
            spets::term::say(&say::backup_written(
                lang,
                &file.display().to_string(),
                summary.entries as usize,
                summary.trees,
                summary.bytes as usize,
                summary.checksum,
            ));
        }
        Some(Command::Restore { file }) => {
            let Some(target) = cli.db.clone() else {
                bail!(match lang {
                    Lang::En =>
                        "restore needs the new workspace directory: spets restore FILE --db NEW_DIR",
                    Lang::Sv =>
                        "restore behöver den nya arbetsytans katalog: spets restore FIL --db NY_KATALOG",
                });
            };
            return Ok(exit(spets::commands::integrity::restore(
                lang,
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
            let c = client(lang, &target)?;
            let result = spets::commands::csv::export(
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
        Some(Command::Report { what }) => {
            return spets::commands::report::run_and_close(client(lang, &target)?, lang, what);
        }
        Some(Command::Import {
            what,
            file,
            dry_run,
            valid_only,
        }) => {
            // Importing into a workspace directory that does not exist yet creates it.
            let c: Box<dyn spets::client::Client> = match &target {
                Target::Workspace(dir) => Box::new(embedded(dir)?),
                Target::Socket(_) => client(lang, &target)?,
            };
            return spets::commands::csv::import(&*c, lang, *what, file, *dry_run, *valid_only);
        }
        Some(Command::Bench {
            filters,
            daemon,
            clients,
            edits,
            pause_ms,
            idle_secs,
            check_loops,
        }) => {
            if !dir.exists() {
                return Err(no_workspace(lang, &dir, true));
            }
            let report = if *daemon {
                spets::bench::daemon(&dir, *clients, *edits, *pause_ms, *idle_secs, *check_loops)?
            } else {
                spets::bench::run(&dir, filters)?
            };
            print!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `spets` without a terminal: one line naming the commands that need none, status 2.
fn no_terminal(lang: Lang) -> ExitCode {
    use std::io::Write;
    let cli = command(lang);
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

fn keymap_command(cli: &Cli, lang: Lang, command: &KeymapCommand) -> Result<ExitCode> {
    match command {
        KeymapCommand::Check { file } => Ok(spets::commands::keymap::check(lang, file)),
        KeymapCommand::Show { preset } => {
            let choice = spets::ui::KeymapChoice {
                preset: cli.keymap_preset.clone(),
                file: cli.keymap.clone(),
            };
            spets::commands::keymap::show(lang, preset.as_deref(), &choice)
        }
    }
}
