//! Where things live, following the XDG base directories.

use std::path::PathBuf;

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() && PathBuf::from(&v).is_absolute() => PathBuf::from(v),
        _ => home().join(fallback),
    }
}

/// The default workspace: `$XDG_DATA_HOME/spets/workspace` (`~/.local/share/spets/workspace`).
pub fn default_workspace() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share")
        .join("spets")
        .join("workspace")
}

/// The user's config directory: `$XDG_CONFIG_HOME/spets` (`~/.config/spets`).
pub fn config_dir() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join("spets")
}

/// Log files: `$XDG_STATE_HOME/spets` (`~/.local/state/spets`).
pub fn log_dir() -> PathBuf {
    xdg("XDG_STATE_HOME", ".local/state").join("spets")
}

/// Settings from `/etc/spets/config.toml` (the system) and `$XDG_CONFIG_HOME/spets/config.toml`
/// (the user); the user's file wins field by field.
///
/// ```toml
/// server = "/run/spets/spets.sock"   # connect to this daemon instead of opening a workspace
/// keymap = "vim"                     # default, vim or emacs
/// lang = "sv"                        # sv or en
/// start_pane = "overview"            # the pane shown first (partners by default)
/// ```
#[derive(Debug, Default, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: Option<PathBuf>,
    pub keymap: Option<String>,
    pub lang: Option<String>,
    /// The pane shown first: partners, timeline, matrix, notes or overview, or a pane's name
    /// in English or Swedish (checked by `crate::ui::Pane::parse`).
    pub start_pane: Option<String>,
}

/// The system-wide config file (`SPETS_SYSTEM_CONFIG` overrides the path, for tests).
pub fn system_config_path() -> PathBuf {
    std::env::var_os("SPETS_SYSTEM_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/etc/spets/config.toml"))
}

/// The user's config file.
pub fn user_config_path() -> PathBuf {
    config_dir().join("config.toml")
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not valid TOML, or a key spets does not know (`detail` is the parser's English text, for
    /// the log and the English message).
    #[error("{} is not a valid spets config (line {line}): {detail}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn read_config(path: &std::path::Path) -> Result<Option<Config>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map(Some).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                detail: e.message().to_string(),
            }
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
    }
}

impl Config {
    /// Load the system and user config files (missing files are fine; broken ones are errors).
    pub fn load() -> Result<Config, String> {
        Config::load_typed().map_err(|e| e.to_string())
    }

    /// [`Config::load`], with the reason as data (the command line words it in its language).
    pub fn load_typed() -> Result<Config, ConfigError> {
        let system = read_config(&system_config_path())?.unwrap_or_default();
        let user = read_config(&user_config_path())?.unwrap_or_default();
        Ok(Config {
            server: user.server.or(system.server),
            keymap: user.keymap.or(system.keymap),
            lang: user.lang.or(system.lang),
            start_pane: user.start_pane.or(system.start_pane),
        })
    }
}
