//! `spets keymap check`: a user's keymap file checked on its own and merged onto the default
//! preset, and the warnings for bindings that an open text field would take first.

use super::error::{ErrorKind, KeymapError, Problem};
use super::key::{KeyChord, parse_sequence};
use super::{Action, Context, Keymap};
use std::collections::HashSet;
use std::path::Path;

/// A binding that is valid but will not work as the user may expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapWarning {
    pub context: Context,
    pub keys: String,
    pub action: Action,
    pub message: String,
}

impl std::fmt::Display for KeymapWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "warning: [{}] {} = {}: {}",
            self.context, self.keys, self.action, self.message
        )
    }
}

/// True for a key the text editors use (see `ui::input`): such a binding never fires while a
/// text field has the focus, because an open editor gets its editing keys first.
pub fn is_editing_key(key: &KeyChord) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if ctrl && !alt => "aebfkuwydh_/z".contains(c.to_ascii_lowercase()),
        KeyCode::Char(c) if alt && !ctrl => "bfd".contains(c),
        KeyCode::Backspace | KeyCode::Delete | KeyCode::Home | KeyCode::End => !ctrl,
        KeyCode::Left | KeyCode::Right => !ctrl && !alt,
        _ => false,
    }
}

/// Bindings in the contexts with a text field (`forms`, `editor`) whose first key is an editing
/// key: the field takes that key first, so the binding never fires there.
pub fn shadowed_editing_keys(
    map: &Keymap,
    only: Option<&[(Context, String)]>,
) -> Vec<KeymapWarning> {
    let only: Option<HashSet<(Context, &str)>> =
        only.map(|o| o.iter().map(|(c, k)| (*c, k.as_str())).collect());
    let mut out = Vec::new();
    for context in [Context::Forms, Context::Editor] {
        for (keys, action) in map.effective_bindings(context) {
            if only
                .as_ref()
                .is_some_and(|o| !o.contains(&(context, keys.as_str())))
            {
                continue;
            }
            let Ok(seq) = parse_sequence(&keys) else {
                continue;
            };
            if seq.first().is_some_and(is_editing_key) {
                out.push(KeymapWarning {
                    context,
                    keys,
                    action,
                    message: "this is an editing key in text fields, which take it first; \
                              the binding will not fire while a field has the focus"
                        .into(),
                });
            }
        }
    }
    out
}

/// Checks a user keymap file for `spets keymap check FILE`: standalone (syntax, names, keys, and
/// conflicts within the file) and merged onto the default preset. On success, the warnings:
/// bindings of the file that shadow an editing key in a context with a text field.
///
/// # Errors
/// Every problem found, sorted by position; an unreadable file gives one `Io` error.
pub fn check_file_warnings(path: &Path) -> Result<Vec<KeymapWarning>, Vec<KeymapError>> {
    check_file(path)?;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let Ok(own) = Keymap::from_toml(&text, path) else {
        return Ok(Vec::new());
    };
    let mine: Vec<(Context, String)> = Context::ALL
        .iter()
        .flat_map(|c| own.bindings(*c).into_iter().map(move |(k, _)| (*c, k)))
        .collect();
    let merged = Keymap::with_overrides("default", &text, path).map_err(|e| e.0)?;
    Ok(shadowed_editing_keys(&merged, Some(&mine)))
}

/// Checks a user keymap file for `spets keymap check FILE`: standalone (syntax, names, keys, and
/// conflicts within the file) and merged onto the default preset.
///
/// # Errors
/// Every problem found, sorted by position; an unreadable file gives one `Io` error.
pub fn check_file(path: &Path) -> Result<(), Vec<KeymapError>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![
            KeymapError::nowhere(
                &shown,
                ErrorKind::Io,
                format!("cannot read the file: {e}"),
                "Check the path and the file's permissions.",
            )
            .with(Problem::Unreadable {
                kind: crate::service::IoKind::of(&e),
            }),
        ]
    })?;
    Keymap::with_overrides("default", &text, path)
        .map(|_| ())
        .map_err(|e| e.0)
}
