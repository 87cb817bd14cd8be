//! `spets keymap check FILE` and `spets keymap show [--preset NAME]`, in the user's language.

use crate::i18n::keymap as words;
use crate::i18n::{Lang, messages as say};
use std::path::Path;
use std::process::ExitCode;

/// `spets keymap check FILE`: every problem with its place; warnings for bindings that shadow
/// editing keys.
pub fn check(lang: Lang, file: &Path) -> ExitCode {
    let shown = file.display().to_string();
    match crate::keymap::check_file_warnings(file) {
        Ok(warnings) => {
            for w in &warnings {
                crate::term::warn(&format!("{shown}: {}", words::warning(lang, w)));
            }
            crate::term::say(&say::keymap_ok(lang, &shown));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                crate::term::warn(&words::error(lang, e));
            }
            crate::term::warn(&say::keymap_problems(lang, errors.len(), &shown));
            ExitCode::FAILURE
        }
    }
}

/// `spets keymap show`: the active bindings (a preset, or the configured one with the user's
/// overrides).
pub fn show(
    lang: Lang,
    preset: Option<&str>,
    choice: &crate::ui::KeymapChoice,
) -> anyhow::Result<ExitCode> {
    let (map, notices) = match preset {
        Some(name) => (crate::keymap::Keymap::preset(name)?, Vec::new()),
        None => crate::ui::load_keymap(choice)?,
    };
    for n in notices {
        crate::term::warn(&n.text(lang));
    }
    print!("{}", crate::term::visible(&map.show_table(lang)));
    Ok(ExitCode::SUCCESS)
}
