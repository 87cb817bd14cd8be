//! Reading keymap TOML into checked entries, with every problem collected and located.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::keymap::Context;
use crate::keymap::action::Action;
use crate::keymap::error::{ErrorKind, KeymapError, Problem, Source, closest};
use crate::keymap::key::{KEY_SYNTAX, KeyChord, format_sequence};

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

/// Parses and checks a whole keymap file. All problems are returned, sorted by position. The
/// work is linear in the size of the file.
pub(crate) fn parse_entries(text: &str, file: &str) -> Result<Vec<Entry>, Vec<KeymapError>> {
    let src = Source::new(file, text);
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().trim_end_matches('.').replace('\n', " ");
            return Err(vec![src.error(
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
                src.error(
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
            if let Some(entry) = check_binding(context, &binding, &src, &mut errors) {
                entries.push(entry);
            }
        }
    }
    entries.sort_by_key(|e| e.offset);
    check_conflicts(&entries, &src, &mut errors);

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
    src: &Source<'_>,
    errors: &mut Vec<KeymapError>,
) -> Option<Entry> {
    let before = errors.len();
    let offset = binding.on.span().start;
    if binding.on.get_ref().is_empty() {
        errors.push(
            src.error(
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
                src.error(
                    key.span().start,
                    ErrorKind::ReservedKey,
                    "\"<C-c>\" is reserved: it always quits spets",
                    "Choose another key.",
                )
                .with(Problem::CtrlC),
            ),
            Ok(chord) if chord.is_esc() && i > 0 => errors.push(
                src.error(
                    key.span().start,
                    ErrorKind::ReservedKey,
                    "\"<Esc>\" cannot follow another key: it cancels a pending key sequence",
                    "Bind \"<Esc>\" alone, or remove it from the sequence.",
                )
                .with(Problem::EscInSequence),
            ),
            Ok(chord) => keys.push(chord),
            Err(reason) => errors.push(
                src.error(
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
                        src.error(
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

/// What an entry conflicts with: the first earlier entry of its context (in file order) that
/// binds the same keys, or, when both run an action, that is a proper prefix of its keys or has
/// its keys as a proper prefix.
#[derive(Default)]
struct Earlier<'a> {
    /// Keys → the first entry binding exactly them.
    exact: HashMap<&'a [KeyChord], usize>,
    /// Keys → the first entry with an action binding exactly them.
    bound: HashMap<&'a [KeyChord], usize>,
    /// A proper prefix → the first entry with an action whose keys extend it.
    extended: HashMap<&'a [KeyChord], usize>,
}

impl<'a> Earlier<'a> {
    /// The conflict of `entry` with the entries seen so far: (the earlier entry, duplicate?).
    fn conflict(&self, entry: &Entry) -> Option<(usize, bool)> {
        let keys = entry.keys.as_slice();
        let same = self.exact.get(keys).map(|&i| (i, true));
        let shadow = if entry.run.is_some() {
            let shorter = (1..keys.len()).filter_map(|n| self.bound.get(&keys[..n]).copied());
            shorter
                .chain(self.extended.get(keys).copied())
                .min()
                .map(|i| (i, false))
        } else {
            None
        };
        match (same, shadow) {
            (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    fn add(&mut self, i: usize, entry: &'a Entry) {
        let keys = entry.keys.as_slice();
        self.exact.entry(keys).or_insert(i);
        if entry.run.is_some() {
            self.bound.entry(keys).or_insert(i);
            for n in 1..keys.len() {
                self.extended.entry(&keys[..n]).or_insert(i);
            }
        }
    }
}

fn check_conflicts(entries: &[Entry], src: &Source<'_>, errors: &mut Vec<KeymapError>) {
    let mut seen: HashMap<Context, Earlier<'_>> = HashMap::new();
    for (i, later) in entries.iter().enumerate() {
        let earlier_in = seen.entry(later.context).or_default();
        let found = earlier_in.conflict(later);
        earlier_in.add(i, later);
        let Some((j, duplicate)) = found else {
            continue;
        };
        let Some(earlier) = entries.get(j) else {
            continue;
        };
        let (line, column) = src.lines.line_col(earlier.offset);
        let later_keys = format_sequence(&later.keys);
        let earlier_keys = format_sequence(&earlier.keys);
        let context = later.context.name();
        if duplicate {
            errors.push(
                src.error(
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
            continue;
        }
        let (short, long) = if earlier.keys.len() < later.keys.len() {
            (&earlier_keys, &later_keys)
        } else {
            (&later_keys, &earlier_keys)
        };
        errors.push(
            src.error(
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
    }
}
