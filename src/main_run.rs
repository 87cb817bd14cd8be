//! What the spets binary does with its parsed command line (`src/main.rs` parses it): the
//! workspace or daemon a command works on, the client it reads and writes through, and each
//! subcommand's handling, with the exit status it ends in.

use super::{Cli, Command, KeymapCommand, command};
use anyhow::{Result, anyhow, bail};
use spets::i18n::Lang;
use spets::i18n::messages as say;
use spets::store::{Store, backup};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

pub(super) fn run(
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
