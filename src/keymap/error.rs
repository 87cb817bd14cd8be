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

/// The lines of a text, found once: turning a byte offset into a line and column then costs a
/// binary search and the length of one line, not a scan of everything before it (a file with
/// thousands of bindings and as many errors stays linear).
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // Lines starting at or before the offset; the first always does.
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

/// A keymap file being checked: its name as the user gave it and its lines, so that every error
/// can say where it is.
pub(crate) struct Source<'a> {
    pub(crate) file: &'a str,
    pub(crate) lines: Lines<'a>,
}

impl<'a> Source<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Source {
            file,
            lines: Lines::new(text),
        }
    }

    /// An error at a byte offset of the file.
    pub(crate) fn error(
        &self,
        offset: usize,
        kind: ErrorKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> KeymapError {
        let (line, column) = self.lines.line_col(offset);
        KeymapError {
            file: self.file.to_owned(),
            line,
            column,
            kind,
            message: message.into(),
            hint: hint.into(),
            problem: Problem::Shape,
        }
    }
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
        let lines = Lines::new("ab\ncdé\nf");
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(2), (1, 3));
        assert_eq!(lines.line_col(3), (2, 1));
        // Inside the two bytes of é: its start.
        assert_eq!(lines.line_col(6), (2, 3));
        assert_eq!(lines.line_col(7), (2, 4));
        assert_eq!(lines.line_col(8), (3, 1));
        assert_eq!(lines.line_col(100), (3, 2));
        assert_eq!(Lines::new("").line_col(5), (1, 1));
        assert_eq!(Lines::new("\n").line_col(1), (2, 1));
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
