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
