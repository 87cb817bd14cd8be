//! spets: a terminal workspace for the people who build and run a university's strategic
//! partnerships.
//!
//! # Module map
//!
//! Data flows one way: store → service → view → draw; keys → action → service request → change
//! event → view.
//!
//! | module | job |
//! |---|---|
//! | [`domain`] | records, enumerations, validation against the one set of limits (`domain::limits`), text cleaning; the life cycle's records: goals and their links (`goal`), phase changes and the suitability assessment (`phase`), governance rhythms (`rhythm`), evaluations (`evaluation`); pure, no I/O |
//! | [`store`] | the sled database (open, read, commit, import journal, indexes, schema migrations in `migrate`): the versioned bincode codec with its size limits, the audit log, read snapshots for heavy readers, check and repair, streamed backup and restore; damaged records are skipped and counted, never fatal |
//! | [`service`] | the one API every read and write goes through: requests, responses, roles, conflicts, change events (`api`), and the answers about partners: rows, the detail with the partner's own view, the renewal checklist, the matrix, the timeline's windows (`answers`); the in-memory model (its scores cache in `model::scores`, its open action items in `model::actions`) and its checkpoint, which also keeps the activity table, the notes' table and the open action items; the compact activity table (24 bytes a row, no text), the activity queries and text search (`activity_queries`) and the windows of the timeline, notes and partners that clients page through (`timeline`); the first-screen file painted while the store opens (`first_screen`); the partnership life cycle (`lifecycle`, read once without the model lock, its linked activities and notes taken from the model's tables: goal follow-up, phase criteria, governance compliance, evaluations, the strategic profile); the overview of what is due in the next 30 days (`overview`, one request from the model); what the reports need beyond that, the portfolio of strategic partners and a partner's year (`report`, one pass each); group commit of concurrent saves |
//! | [`client`] | how the app reaches a service: in-process (embedded workspace) or over the daemon's socket |
//! | [`daemon`] | `spets serve`: the accept loop and its caps (`server`), one connection's reader and bounded outbox (`conn`), the wire protocol with its own frame limits and parts (`protocol`), the access file re-checked on every read (`access`), the low-priority worker for checks and backups (`heavy`) |
//! | [`identity`] | the Unix user behind a process or a socket peer |
//! | [`i18n`] | languages and every word spets says: the one vocabulary of enumerated values, the typed sv/en catalogue, plurals, decimals, local times, command-line messages, clap in Swedish, language-aware sorting |
//! | [`demo`] | deterministic sample workspaces for first-time users, tests and benchmarks (the life cycle in `demo::life`: goals and their links, rhythms, evaluations, phase histories) |
//! | [`config`] | where workspaces, config files and logs live (XDG), and the config files themselves |
//! | [`keymap`] | actions, keymap presets (`keymaps/*.toml`), user overrides, the per-context key trie, which-key |
//! | [`ui`] | the terminal UI as components: a router ([`ui::app`]) with an effect loop; panes (the partner detail's life cycle in `panes::detail_life`, what is due in `panes::overview`), overlays and typed forms (one per record, the life cycle's included) that own their state; the line editor and key precedence; the event-driven loop and the worker thread that runs requests in turn (the overview for the notice at start beside them, `ui::worker`); drafts |
//! | [`bench`](mod@bench) | `spets bench`: the core and daemon performance figures |
//! | [`commands`] | what the subcommands do (check and repair, backup, restore, export, import, keymap check and show) and their errors in the user's language, printing through [`term`] |
//! | [`term`] | text for the terminal from the command line: user data made visible, never run as escape sequences |
//! | [`csvio`] | CSV export (datasets, the life cycle's in `life`, Excel dialects, formula guard, atomic files) and import (partners, activities, goals) with a validation report |
//! | [`report`] | management reports (`spets report partner` and `spets report portfolio`, the menu's Report…): the data through a client, a small document in the user's language, written as self-contained HTML (inline CSS, inline SVG charts, A4) or Markdown |
//!
//! The binary (`src/main.rs`, with each subcommand's handling in `src/main_run.rs`) is the command
//! line (clap): `serve`, `demo`, `check`, `backup`, `restore`, `bench`, `export`, `import`, `report partner|portfolio`, `keymap check|show`, `completions`, `man`, and the
//! terminal UI (no subcommand), on a workspace (`--db`) or through a daemon (`--connect`), all in
//! the language chosen with `--lang`, `L`, the config or the locale. `packaging/` holds the Debian
//! package's unit, maintainer scripts, man page and completions (`cargo deb`).

pub mod bench;
pub mod client;
pub mod commands;
pub mod config;
pub mod csvio;
pub mod daemon;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod identity;
pub mod keymap;
pub mod report;
pub mod service;
pub mod store;
pub mod term;
pub mod ui;

/// Start the terminal UI on the workspace in `dir` with the configured keymap.
pub fn tui_entry(dir: &std::path::Path, lang: i18n::Lang) -> anyhow::Result<()> {
    tui_entry_with(dir, lang, &ui::KeymapChoice::default())
}

/// Start the terminal UI with keymap options from the command line (`--keymap-preset`,
/// `--keymap FILE`).
pub fn tui_entry_with(
    dir: &std::path::Path,
    lang: i18n::Lang,
    keys: &ui::KeymapChoice,
) -> anyhow::Result<()> {
    ui::start(dir, lang, keys)
}
