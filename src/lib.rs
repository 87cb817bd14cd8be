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
//! | [`domain`] | records, enumerations, validation, text cleaning; pure, no I/O |
//! | [`store`] | the sled database: trees, the versioned bincode codec, indexes, audit log, check, backup |
//! | [`service`] | the one API every read and write goes through: requests, responses, roles, conflicts, change events |
//! | [`client`] | how the app reaches a service: in-process (embedded workspace) |
//! | [`identity`] | the Unix user behind a process or a socket peer |
//! | [`i18n`] | languages and language-aware sorting |
//! | [`demo`] | deterministic sample workspaces for first-time users, tests and benchmarks |
//! | [`config`] | where workspaces, config and logs live (XDG) |
//! | [`bench`] | `spets bench`: the core performance figures |
//!
//! The binary (`src/main.rs`) is the command line (clap): `demo`, `check`, `backup`, `restore`,
//! `bench`, and the terminal UI.

pub mod bench;
pub mod client;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod identity;
pub mod service;
pub mod store;

/// Start the terminal UI on the workspace in `dir`.
pub fn tui_entry(dir: &std::path::Path, lang: i18n::Lang) -> anyhow::Result<()> {
    let _ = (dir, lang);
    anyhow::bail!("the terminal UI is not built yet")
}
