//! The spets command line: its clap definition, the language, logging and `main`; what each
//! subcommand then does is in `main_run` (src/main_run.rs). See the crate docs (src/lib.rs) for
//! the module map.

mod main_run;

use clap::{Parser, Subcommand};
use main_run::run;
use spets::i18n::messages as say;
use spets::i18n::{Lang, cli};
use std::path::PathBuf;
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
