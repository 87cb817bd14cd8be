//! Reading keymap TOML into checked entries, with every problem collected and located.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::keymap::action::Action;
use crate::keymap::error::{ErrorKind, KeymapError, Problem, closest};
use crate::keymap::key::{KEY_SYNTAX, KeyChord, format_sequence};
use crate::keymap::{Context, is_prefix};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: Spanned<Vec<Spanned<String>>>,
    run: Spanned<String>,
    /// A note for the reader of the file; help texts come from the action itself.
    #[serde(default)]
    #[allow(dead_code)]
    desc: Option<String>,
}

type RawFile = BTreeMap<Spanned<String>, Vec<RawBinding>>;

/// One checked binding from a file. `run == None` means "unbind".
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) context: Context,
    pub(crate) keys: Vec<KeyChord>,
    pub(crate) run: Option<Action>,
    /// Byte offset of the `on` array, for later messages.
    pub(crate) offset: usize,
}

const SHAPE_HINT: &str = "Fix the TOML here: strings need both quotes, lists are written \
[\"a\", \"b\"], and each binding is a [[context]] table with on = [\"key\", ...] and \
run = \"action\".";

/// Parses and checks a whole keymap file. All problems are returned, sorted by position.
pub(crate) fn parse_entries(text: &str, file: &str) -> Result<Vec<Entry>, Vec<KeymapError>> {
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().trim_end_matches('.').replace('\n', " ");
            return Err(vec![KeymapError::at(
                file,
                text,
                offset,
                ErrorKind::Toml,
                message,
                SHAPE_HINT,
            )]);
        }
    };

    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for (section, bindings) in raw {
        let Some(context) = Context::from_name(section.get_ref()) else {
            let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            let suggestion = closest(section.get_ref(), names.iter().copied())
                .map(|s| format!("Did you mean \"{s}\"? "))
                .unwrap_or_default();
            errors.push(
                KeymapError::at(
                    file,
                    text,
                    section.span().start,
                    ErrorKind::UnknownContext,
                    format!("unknown context \"{}\"", section.get_ref()),
                    format!("{suggestion}Valid contexts are: {}.", names.join(", ")),
                )
                .with(Problem::UnknownContext {
                    name: section.get_ref().clone(),
                    suggestion: closest(section.get_ref(), names.iter().copied())
                        .map(str::to_owned),
                }),
            );
            continue;
        };
        for binding in bindings {
            if let Some(entry) = check_binding(context, &binding, text, file, &mut errors) {
                entries.push(entry);
            }
        }
    }
    entries.sort_by_key(|e| e.offset);
    check_conflicts(&entries, text, file, &mut errors);

    if errors.is_empty() {
        Ok(entries)
    } else {
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

fn check_binding(
    context: Context,
    binding: &RawBinding,
    text: &str,
    file: &str,
    errors: &mut Vec<KeymapError>,
) -> Option<Entry> {
    let before = errors.len();
    let offset = binding.on.span().start;
    if binding.on.get_ref().is_empty() {
        errors.push(
            KeymapError::at(
                file,
                text,
                offset,
                ErrorKind::EmptyKeys,
                "empty key list",
                "Give at least one key, e.g. on = [\"j\"] or on = [\"g\", \"g\"].",
            )
            .with(Problem::EmptyKeys),
        );
    }
    let mut keys = Vec::new();
    for (i, key) in binding.on.get_ref().iter().enumerate() {
        match key.get_ref().parse::<KeyChord>() {
            Ok(chord) if chord.is_ctrl_c() => errors.push(
                KeymapError::at(
                    file,
                    text,
                    key.span().start,
                    ErrorKind::ReservedKey,
                    "\"<C-c>\" is reserved: it always quits spets",
                    "Choose another key.",
                )
                .with(Problem::CtrlC),
            ),
            Ok(chord) if chord.is_esc() && i > 0 => errors.push(
                KeymapError::at(
                    file,
                    text,
                    key.span().start,
                    ErrorKind::ReservedKey,
                    "\"<Esc>\" cannot follow another key: it cancels a pending key sequence",
                    "Bind \"<Esc>\" alone, or remove it from the sequence.",
                )
                .with(Problem::EscInSequence),
            ),
            Ok(chord) => keys.push(chord),
            Err(reason) => errors.push(
                KeymapError::at(
                    file,
                    text,
                    key.span().start,
                    ErrorKind::BadKey,
                    format!("cannot parse key \"{}\": {reason}", key.get_ref()),
                    format!("To name a key, {KEY_SYNTAX}."),
                )
                .with(Problem::BadKey {
                    key: key.get_ref().clone(),
                }),
            ),
        }
    }
    let run = match binding.run.get_ref().as_str() {
        "" | "unbind" => None,
        name => {
            match Action::from_name(name) {
                Some(action) => Some(action),
                None => {
                    let hint = match closest(name, Action::ALL.iter().map(Action::name)) {
                    Some(s) => format!("Did you mean \"{s}\"?"),
                    None => "Use an action name listed by \"spets keymap show\", or run = \"unbind\" \
                             to remove the key."
                        .to_owned(),
                };
                    errors.push(
                        KeymapError::at(
                            file,
                            text,
                            binding.run.span().start,
                            ErrorKind::UnknownAction,
                            format!("unknown action \"{name}\""),
                            hint,
                        )
                        .with(Problem::UnknownAction {
                            name: name.to_owned(),
                            suggestion: closest(name, Action::ALL.iter().map(Action::name))
                                .map(str::to_owned),
                        }),
                    );
                    None
                }
            }
        }
    };
    (errors.len() == before).then_some(Entry {
        context,
        keys,
        run,
        offset,
    })
}

fn check_conflicts(entries: &[Entry], text: &str, file: &str, errors: &mut Vec<KeymapError>) {
    for (i, later) in entries.iter().enumerate() {
        for earlier in entries[..i].iter().filter(|e| e.context == later.context) {
            let (line, column) = crate::keymap::error::line_col(text, earlier.offset);
            let later_keys = format_sequence(&later.keys);
            let earlier_keys = format_sequence(&earlier.keys);
            let context = later.context.name();
            if earlier.keys == later.keys {
                errors.push(
                    KeymapError::at(
                        file,
                        text,
                        later.offset,
                        ErrorKind::Duplicate,
                        format!(
                            "\"{later_keys}\" is bound twice in [[{context}]] \
                         (first at line {line}, column {column})"
                        ),
                        "Remove one of the two bindings.",
                    )
                    .with(Problem::Duplicate {
                        keys: later_keys.clone(),
                        context: context.to_owned(),
                        line,
                        column,
                    }),
                );
                break;
            }
            if later.run.is_none() || earlier.run.is_none() {
                continue;
            }
            let (short, long) = if is_prefix(&earlier.keys, &later.keys) {
                (&earlier_keys, &later_keys)
            } else if is_prefix(&later.keys, &earlier.keys) {
                (&later_keys, &earlier_keys)
            } else {
                continue;
            };
            errors.push(
                KeymapError::at(
                    file,
                    text,
                    later.offset,
                    ErrorKind::Shadow,
                    format!(
                        "\"{later_keys}\" conflicts with \"{earlier_keys}\" (line {line}, column \
                     {column}) in [[{context}]]: \"{short}\" alone would run before \"{long}\" \
                     could be typed"
                    ),
                    format!(
                        "Bind \"{short}\" only as the start of sequences, or bind the sequence to \
                     other keys."
                    ),
                )
                .with(Problem::Shadow {
                    keys: later_keys.clone(),
                    other: earlier_keys.clone(),
                    context: context.to_owned(),
                    line,
                    column,
                    short: short.clone(),
                    long: long.clone(),
                }),
            );
            break;
        }
    }
}
