//! Keymap errors: every problem in a keymap file, with its place and a hint on how to fix it.

use std::fmt;

/// What kind of problem a [`KeymapError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The file is not valid TOML, or a binding does not have the expected shape.
    Toml,
    /// A section name that is not a context.
    UnknownContext,
    /// A `run` value that is not an action name.
    UnknownAction,
    /// A key string that cannot be parsed.
    BadKey,
    /// `on = []`.
    EmptyKeys,
    /// A key that cannot be bound (Ctrl-c, or Esc inside a sequence).
    ReservedKey,
    /// The same key sequence bound twice in one context.
    Duplicate,
    /// A sequence that starts with a key which is bound alone in the same context.
    Shadow,
    /// A preset name that does not exist.
    UnknownPreset,
    /// The file could not be read.
    Io,
}

/// One problem in a keymap file.
///
/// Displays as `FILE:LINE:COL: message. hint` (or `FILE: message. hint` when there is no
/// position, as for unreadable files and unknown presets). Lines and columns count from 1;
/// columns count characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The file as the user named it (or `preset:NAME` for built-in presets).
    pub file: String,
    /// 1-based line, 0 when the error has no position.
    pub line: usize,
    /// 1-based column in characters, 0 when the error has no position.
    pub column: usize,
    /// The kind of problem.
    pub kind: ErrorKind,
    /// What is wrong, without a final period.
    pub message: String,
    /// How to fix it, as a full sentence.
    pub hint: String,
    /// The problem as data, for wording it in another language (`crate::i18n::keymap`).
    pub problem: Problem,
}

/// A keymap problem as data: what the message and the hint say, in any language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not TOML, or a binding of the wrong shape.
    Shape,
    UnknownContext {
        name: String,
        suggestion: Option<String>,
    },
    EmptyKeys,
    /// `<C-c>` always quits.
    CtrlC,
    /// `<Esc>` after another key.
    EscInSequence,
    BadKey {
        key: String,
    },
    UnknownAction {
        name: String,
        suggestion: Option<String>,
    },
    /// The same keys twice in one context (first at `line`, `column`).
    Duplicate {
        keys: String,
        context: String,
        line: usize,
        column: usize,
    },
    /// `short` alone would run before `long` could be typed.
    Shadow {
        keys: String,
        other: String,
        context: String,
        line: usize,
        column: usize,
        short: String,
        long: String,
    },
    UnknownPreset {
        name: String,
    },
    /// The file could not be read.
    Unreadable {
        kind: crate::service::IoKind,
    },
}

impl KeymapError {
    pub(crate) fn at(
        file: &str,
        text: &str,
        offset: usize,
        kind: ErrorKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, offset);
        KeymapError {
            file: file.to_owned(),
            line,
            column,
            kind,
            message: message.into(),
            hint: hint.into(),
            problem: Problem::Shape,
        }
    }

    /// With the problem as data.
    pub(crate) fn with(self, problem: Problem) -> Self {
        KeymapError { problem, ..self }
    }

    pub(crate) fn nowhere(
        file: &str,
        kind: ErrorKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        KeymapError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            kind,
            message: message.into(),
            hint: hint.into(),
            problem: Problem::Shape,
        }
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}. {}", self.file, self.message, self.hint)
        } else {
            write!(
                f,
                "{}:{}:{}: {}. {}",
                self.file, self.line, self.column, self.message, self.hint
            )
        }
    }
}

impl std::error::Error for KeymapError {}

/// All problems found in one load; displays one error per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapErrors(pub Vec<KeymapError>);

impl fmt::Display for KeymapErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeymapErrors {}

impl From<Vec<KeymapError>> for KeymapErrors {
    fn from(errors: Vec<KeymapError>) -> Self {
        KeymapErrors(errors)
    }
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    let mut containing: Option<&str> = None;
    for candidate in candidates {
        let d = edit_distance(&input_lower, candidate);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
        if containing.is_none() && input_lower.len() >= 4 && candidate.contains(&input_lower) {
            containing = Some(candidate);
        }
    }
    let limit = (input.chars().count() / 3).max(2);
    match best {
        Some((d, candidate)) if d <= limit => Some(candidate),
        _ => containing,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 8), (3, 1));
        assert_eq!(line_col(text, 100), (3, 2));
    }

    #[test]
    fn suggestions() {
        let names = ["quit", "move_down", "command_palette"];
        assert_eq!(closest("qiut", names), Some("quit"));
        assert_eq!(closest("move_dwn", names), Some("move_down"));
        assert_eq!(closest("palette", names), Some("command_palette"));
        assert_eq!(closest("xyzzy_frob", names), None);
    }
}
