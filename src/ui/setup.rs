//! Starting the UI: the keymap (preset, user overrides, their problems as notices), the options,
//! and the workspace or daemon client.

use super::app::{App, Options};
use super::effect::Notice;
use super::worker;
use crate::i18n::catalogue::{Msg, t};
use std::sync::Arc;

/// Keymap options from the command line.
#[derive(Debug, Clone, Default)]
pub struct KeymapChoice {
    /// `--keymap-preset NAME` (else `keymap = "…"` in config.toml, else `default`).
    pub preset: Option<String>,
    /// `--keymap FILE` (else `$XDG_CONFIG_HOME/spets/keymap.toml` when it exists).
    pub file: Option<std::path::PathBuf>,
}

/// The preset named in the config files (`keymap = "vim"` in the user's or the system's
/// config.toml), if any; a broken config file becomes a notice.
fn config_preset(notices: &mut Vec<Notice>) -> Option<String> {
    match crate::config::Config::load_typed() {
        Ok(c) => c.keymap,
        Err(e) => {
            notices.push(Notice::worded(|l| {
                crate::i18n::reasons::config_error(l, &e)
            }));
            None
        }
    }
}

/// Load the keymap: the preset, with the user's overrides merged on. A bad user keymap never
/// stops the app: its errors become a notice and the preset is used.
///
/// # Errors
/// Only when the built-in default preset itself is broken (a build defect the tests catch).
pub fn load_keymap(
    choice: &KeymapChoice,
) -> Result<(crate::keymap::Keymap, Vec<Notice>), crate::keymap::KeymapErrors> {
    use crate::keymap::Keymap;
    let mut notices = Vec::new();
    let preset = choice
        .preset
        .clone()
        .or_else(|| config_preset(&mut notices))
        .unwrap_or_else(|| "default".to_string());
    let base = match Keymap::preset(&preset) {
        Ok(k) => k,
        Err(e) => {
            notices.push(Notice::worded(|l| {
                format!(
                    "{} {}",
                    t(l, Msg::KeymapErrors),
                    crate::i18n::keymap::errors(l, &e)
                )
            }));
            Keymap::preset("default")?
        }
    };
    let file = choice.file.clone().or_else(|| {
        let p = crate::config::config_dir().join("keymap.toml");
        p.exists().then_some(p)
    });
    let Some(file) = file else {
        return Ok((base, notices));
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            notices.push(Notice::worded(|l| {
                let why = crate::i18n::reasons::io_error(l, &e);
                format!("{} {}: {why}", t(l, Msg::KeymapErrors), file.display())
            }));
            return Ok((base, notices));
        }
    };
    let preset_name = if Keymap::preset(&preset).is_ok() {
        preset.as_str()
    } else {
        "default"
    };
    match Keymap::with_overrides(preset_name, &text, &file) {
        Ok(k) => Ok((k, notices)),
        Err(e) => {
            tracing::warn!(errors = %e, "user keymap rejected");
            notices.push(Notice::worded(|l| {
                let detail =
                    e.0.iter()
                        .map(|x| crate::i18n::keymap::error(l, x).replace('\n', " "))
                        .collect::<Vec<_>>()
                        .join(" | ");
                format!("{} {detail}", t(l, Msg::KeymapErrors))
            }));
            Ok((base, notices))
        }
    }
}

/// Open the workspace and run the UI on it. The workspace opens on the worker thread while the
/// first frame is drawn.
pub fn start(
    dir: &std::path::Path,
    lang: crate::i18n::Lang,
    keys: &KeymapChoice,
) -> anyhow::Result<()> {
    let options = options(lang, keys)?;
    let user = crate::identity::current_user();
    let owner = user.clone();
    let path = dir.to_path_buf();
    let open: worker::Opener = Box::new(move || {
        let service = crate::service::Service::open(&path)
            .map_err(|e| format!("cannot open the workspace at {}: {e}", path.display()))?;
        let client: Arc<dyn crate::client::Client> =
            Arc::new(crate::client::Embedded::new(Arc::new(service), owner));
        Ok(client)
    });
    // The first frame shows the partner table as the last session left it, while the workspace
    // opens on the worker (no edit is possible until it is open: every request waits for it).
    let first = crate::service::first_screen(dir, lang, options.today);
    let mut app = App::opening(open, user, dir.display().to_string(), options)?;
    if let Some(page) = first {
        app.show_first_screen(page);
    }
    super::run::run(app)
}

/// The app's options: language, keymap (with its notices), today, theme.
fn options(lang: crate::i18n::Lang, keys: &KeymapChoice) -> anyhow::Result<Options> {
    let (keymap, mut notices) = load_keymap(keys).map_err(|e| anyhow::anyhow!("{e}"))?;
    let configured = crate::config::Config::load_typed()
        .ok()
        .and_then(|c| c.start_pane);
    let start_pane = start_pane(configured.as_deref(), &mut notices);
    Ok(Options {
        lang,
        keymap,
        today: chrono::Local::now().date_naive(),
        theme: super::theme::Theme::from_env(),
        notices,
        drafts: Some(super::drafts::default_dir()),
        start_pane,
    })
}

/// The pane to start on from `start_pane` in the config: Partners when it is not set, and when
/// it names no pane (a notice says so, in both languages, naming the value and the choices).
pub fn start_pane(configured: Option<&str>, notices: &mut Vec<Notice>) -> super::Pane {
    let Some(v) = configured else {
        return super::Pane::Partners;
    };
    super::Pane::parse(v).unwrap_or_else(|| {
        notices.push(Notice::worded(|l| {
            crate::i18n::reasons::bad_start_pane(l, v)
        }));
        super::Pane::Partners
    })
}

/// Run the UI on any client (embedded workspace or a daemon).
pub fn start_client(
    client: Arc<dyn crate::client::Client>,
    lang: crate::i18n::Lang,
    keys: &KeymapChoice,
) -> anyhow::Result<()> {
    let app = App::new(client, options(lang, keys)?)?;
    super::run::run(app)
}
