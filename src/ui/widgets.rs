//! Text width helpers and the form model shared by every pane.
//!
//! Layout is measured in terminal columns (unicode-width), never in bytes or chars: CJK names are
//! two columns per character, combining accents zero, emoji two. Text that does not fit is cut with
//! an ellipsis so that the result is exactly as wide as asked.

use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, AgreementKind, AgreementStatus, ContactRole,
    Enumerated, Format, MeetingKind, OrgKind, Phase, Rule, Side, Tier,
};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, score_label, t};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` without characters that could upset the terminal (line breaks become spaces).
pub fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if crate::domain::text::is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns; when cut, the last column is an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    let s = clean(s);
    if width(&s) <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    for _ in w..cols {
        out.push(' ');
    }
    out
}

/// `s` right-aligned in exactly `cols` columns.
pub fn fit_right(s: &str, cols: usize) -> String {
    let cut = truncate(s, cols);
    let w = width(&cut);
    format!("{}{cut}", " ".repeat(cols.saturating_sub(w)))
}

/// The sets of choices a form field can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    OrgKind,
    Phase,
    Tier,
    ActivityKind,
    ActivityStatus,
    MeetingKind,
    Format,
    Value,
    Score,
    /// A score or nothing (targets): index 0 is "not set".
    OptScore,
    YesNo,
    AgreementKind,
    AgreementStatus,
    Side,
    ContactRole,
    /// The CSV datasets ([`crate::csvio::Dataset::ALL`]).
    Dataset,
    /// Everything, or what the pane shows.
    ExportScope,
    /// [`crate::csvio::Dialect::ALL`].
    Dialect,
    /// Labels in the UI language, or machine names.
    Naming,
    /// Partners or activities (import).
    ImportKind,
}

impl Choices {
    pub fn len(self) -> usize {
        match self {
            Choices::OrgKind => OrgKind::ALL.len(),
            Choices::Phase => Phase::ALL.len(),
            Choices::Tier => Tier::ALL.len(),
            Choices::ActivityKind => ActivityKind::ALL.len(),
            Choices::ActivityStatus => ActivityStatus::ALL.len(),
            Choices::MeetingKind => MeetingKind::ALL.len(),
            Choices::Format => Format::ALL.len(),
            Choices::Value => AddedValue::ALL.len(),
            Choices::Score => 5,
            Choices::OptScore => 6,
            Choices::YesNo => 2,
            Choices::AgreementKind => AgreementKind::ALL.len(),
            Choices::AgreementStatus => AgreementStatus::ALL.len(),
            Choices::Side => Side::ALL.len(),
            Choices::ContactRole => ContactRole::ALL.len(),
            Choices::Dataset => crate::csvio::Dataset::ALL.len(),
            Choices::Dialect => crate::csvio::Dialect::ALL.len(),
            Choices::ExportScope | Choices::Naming | Choices::ImportKind => 2,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The label of choice `i` in `lang`.
    pub fn label(self, lang: Lang, i: usize) -> String {
        fn get<E: Enumerated + Label>(i: usize, lang: Lang) -> String {
            E::ALL
                .get(i)
                .map(|v| v.label(lang).to_string())
                .unwrap_or_default()
        }
        match self {
            Choices::OrgKind => get::<OrgKind>(i, lang),
            Choices::Phase => get::<Phase>(i, lang),
            Choices::Tier => get::<Tier>(i, lang),
            Choices::ActivityKind => get::<ActivityKind>(i, lang),
            Choices::ActivityStatus => get::<ActivityStatus>(i, lang),
            Choices::MeetingKind => get::<MeetingKind>(i, lang),
            Choices::Format => get::<Format>(i, lang),
            Choices::Value => get::<AddedValue>(i, lang),
            Choices::Score => format!("{i} {}", score_label(lang, i as u8)),
            Choices::OptScore if i == 0 => t(lang, Msg::NotSet).to_string(),
            Choices::OptScore => format!("{} {}", i - 1, score_label(lang, (i - 1) as u8)),
            Choices::YesNo if i == 0 => t(lang, Msg::No).to_string(),
            Choices::YesNo => t(lang, Msg::Yes).to_string(),
            Choices::AgreementKind => get::<AgreementKind>(i, lang),
            Choices::AgreementStatus => get::<AgreementStatus>(i, lang),
            Choices::Side => get::<Side>(i, lang),
            Choices::ContactRole => get::<ContactRole>(i, lang),
            Choices::Dataset => crate::csvio::Dataset::ALL
                .get(i)
                .map(|d| crate::i18n::catalogue::dataset_label(lang, *d).to_string())
                .unwrap_or_default(),
            Choices::Dialect => crate::csvio::Dialect::ALL
                .get(i)
                .map(|d| crate::i18n::catalogue::dialect_label(lang, *d).to_string())
                .unwrap_or_default(),
            Choices::ExportScope if i == 0 => t(lang, Msg::ScopeAll).to_string(),
            Choices::ExportScope => t(lang, Msg::ScopePane).to_string(),
            Choices::Naming if i == 0 => t(lang, Msg::HeadersLabels).to_string(),
            Choices::Naming => t(lang, Msg::HeadersMachine).to_string(),
            Choices::ImportKind if i == 0 => t(lang, Msg::DsPartners).to_string(),
            Choices::ImportKind => t(lang, Msg::DsActivities).to_string(),
        }
    }
}

/// What went wrong with a field, rendered in the current language at draw time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Rule(Rule),
    BadDate,
    BadScore,
    BadNumber,
    UnknownPartnerName,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Rule(r) => crate::i18n::catalogue::rule(lang, r),
            Problem::BadDate => t(lang, Msg::BadDate).to_string(),
            Problem::BadScore => t(lang, Msg::BadScore).to_string(),
            Problem::BadNumber => t(lang, Msg::BadNumber).to_string(),
            Problem::UnknownPartnerName => t(lang, Msg::UnknownPartnerName).to_string(),
        }
    }
}

/// How a field is edited.
#[derive(Debug, Clone)]
pub enum Input {
    /// One line of text; `cursor` is a char index.
    Text { value: String, cursor: usize },
    /// One of a fixed set.
    Choice { set: Choices, selected: usize },
    /// Any subset of a fixed set; `cursor` is the option under the cursor.
    Multi {
        set: Choices,
        selected: Vec<bool>,
        cursor: usize,
    },
    /// Several lines (the note body).
    Area(Box<ratatui_textarea::TextArea<'static>>),
}

/// One form field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The domain's machine name (matches `FieldError::field`), or a form-local name.
    pub name: String,
    pub label: Msg,
    pub input: Input,
    pub problem: Option<Problem>,
    /// Shown under the label when focused (e.g. the date format).
    pub hint: Option<Msg>,
}

impl Field {
    pub fn text(name: &str, label: Msg, value: &str) -> Field {
        Field {
            name: name.to_string(),
            label,
            input: Input::Text {
                value: value.to_string(),
                cursor: value.chars().count(),
            },
            problem: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Msg) -> Field {
        self.hint = Some(hint);
        self
    }

    pub fn choice(name: &str, label: Msg, set: Choices, selected: usize) -> Field {
        Field {
            name: name.to_string(),
            label,
            input: Input::Choice { set, selected },
            problem: None,
            hint: None,
        }
    }

    pub fn multi(name: &str, label: Msg, set: Choices, selected: Vec<bool>) -> Field {
        Field {
            name: name.to_string(),
            label,
            input: Input::Multi {
                set,
                selected,
                cursor: 0,
            },
            problem: None,
            hint: None,
        }
    }

    pub fn area(name: &str, label: Msg, value: &str) -> Field {
        let lines: Vec<String> = value.lines().map(str::to_string).collect();
        let mut ta = ratatui_textarea::TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        ta.set_cursor_line_style(ratatui::style::Style::default());
        Field {
            name: name.to_string(),
            label,
            input: Input::Area(Box::new(ta)),
            problem: None,
            hint: None,
        }
    }

    /// The text of a text field (empty for others).
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text { value, .. } => value.trim().to_string(),
            Input::Area(ta) => ta.lines().join("\n"),
            _ => String::new(),
        }
    }

    /// The selected index of a choice field.
    pub fn selected(&self) -> usize {
        match &self.input {
            Input::Choice { selected, .. } => *selected,
            _ => 0,
        }
    }

    /// The selected indexes of a multi-choice field.
    pub fn selected_set(&self) -> Vec<usize> {
        match &self.input {
            Input::Multi { selected, .. } => selected
                .iter()
                .enumerate()
                .filter(|(_, s)| **s)
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `;`-separated entries of a text field.
    pub fn list(&self) -> Vec<String> {
        self.value()
            .split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn is_area(&self) -> bool {
        matches!(self.input, Input::Area(_))
    }

    /// The value as shown in one line (for choices, in `lang`).
    pub fn display(&self, lang: Lang) -> String {
        match &self.input {
            Input::Text { value, .. } => value.clone(),
            Input::Choice { set, selected } => format!("◂ {} ▸", set.label(lang, *selected)),
            Input::Multi {
                set,
                selected,
                cursor,
            } => {
                let mut parts = Vec::new();
                for (i, s) in selected.iter().enumerate() {
                    let mark = if *s { "[x]" } else { "[ ]" };
                    let cur = if i == *cursor { "›" } else { "" };
                    parts.push(format!("{cur}{mark} {}", set.label(lang, i)));
                }
                parts.join("  ")
            }
            Input::Area(ta) => ta.lines().join(" ⏎ "),
        }
    }

    /// Type a character. Returns true when the value changed.
    pub fn type_char(&mut self, c: char) -> bool {
        match &mut self.input {
            Input::Text { value, cursor } => {
                if crate::domain::text::is_unsafe(c) {
                    return false;
                }
                let byte = value
                    .char_indices()
                    .nth(*cursor)
                    .map(|(b, _)| b)
                    .unwrap_or(value.len());
                value.insert(byte, c);
                *cursor += 1;
                true
            }
            Input::Choice { set, selected } if c.is_ascii_digit() => {
                let d = c.to_digit(10).unwrap_or(0) as usize;
                let i = match set {
                    Choices::Score => d,
                    Choices::OptScore => d + 1,
                    _ => return false,
                };
                if i < set.len() {
                    *selected = i;
                    return true;
                }
                false
            }
            Input::Choice { set, selected } if c == ' ' => {
                *selected = (*selected + 1) % set.len().max(1);
                true
            }
            Input::Multi {
                selected, cursor, ..
            } if c == ' ' || c == 'x' => {
                if let Some(s) = selected.get_mut(*cursor) {
                    *s = !*s;
                }
                true
            }
            _ => false,
        }
    }

    /// Backspace. Returns true when the value changed.
    pub fn backspace(&mut self) -> bool {
        if let Input::Text { value, cursor } = &mut self.input
            && *cursor > 0
        {
            if let Some((b, _)) = value.char_indices().nth(*cursor - 1) {
                value.remove(b);
            }
            *cursor -= 1;
            return true;
        }
        false
    }

    /// Delete under the cursor.
    pub fn delete(&mut self) -> bool {
        if let Input::Text { value, cursor } = &mut self.input
            && let Some((b, _)) = value.char_indices().nth(*cursor)
        {
            value.remove(b);
            return true;
        }
        false
    }

    /// Left/right: move the cursor, or change the choice. Returns true when the value changed.
    pub fn step(&mut self, right: bool) -> bool {
        match &mut self.input {
            Input::Text { value, cursor } => {
                let n = value.chars().count();
                *cursor = if right {
                    (*cursor + 1).min(n)
                } else {
                    cursor.saturating_sub(1)
                };
                false
            }
            Input::Choice { set, selected } => {
                let n = set.len().max(1);
                *selected = if right {
                    (*selected + 1) % n
                } else {
                    (*selected + n - 1) % n
                };
                true
            }
            Input::Multi { set, cursor, .. } => {
                let n = set.len().max(1);
                *cursor = if right {
                    (*cursor + 1) % n
                } else {
                    (*cursor + n - 1) % n
                };
                false
            }
            Input::Area(_) => false,
        }
    }

    /// Home/End in a text field.
    pub fn home_end(&mut self, end: bool) {
        if let Input::Text { value, cursor } = &mut self.input {
            *cursor = if end { value.chars().count() } else { 0 };
        }
    }

    /// The cursor's column offset (display width before it) in a text field.
    pub fn cursor_col(&self) -> Option<usize> {
        match &self.input {
            Input::Text { value, cursor } => {
                let before: String = value.chars().take(*cursor).collect();
                Some(width(&before))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cjk_is_two_columns() {
        assert_eq!(width("東京大学"), 8);
        assert_eq!(truncate("東京大学", 5), "東京…");
        assert_eq!(width(&truncate("東京大学", 5)), 5);
        assert_eq!(fit("東京大学", 6), "東京… ");
        assert_eq!(width(&fit("東京大学", 6)), 6);
        assert_eq!(fit("東京", 5), "東京 ");
    }

    #[test]
    fn combining_accents_take_no_column() {
        let s = "Ko\u{308}ln Universita\u{308}t";
        assert_eq!(width(s), 16);
        assert_eq!(fit(s, 16), s);
        let cut = truncate(s, 4);
        assert_eq!(cut, "Ko\u{308}l…");
        assert_eq!(width(&cut), 4);
        assert_eq!(width(&fit("Örebro universitet", 8)), 8);
    }

    #[test]
    fn emoji_are_two_columns() {
        assert_eq!(width("🎓"), 2);
        assert_eq!(width(&fit("🎓 Campus 🎓", 7)), 7);
        assert_eq!(truncate("🎓🎓🎓", 4), "🎓…");
        assert_eq!(width(&fit("🎓🎓🎓", 4)), 4);
        assert_eq!(fit_right("🎓", 4), "  🎓");
    }

    #[test]
    fn controls_never_pass() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202E}c\nd"), "a[2Jbc d");
        assert_eq!(truncate("x\u{7}y", 10), "xy");
    }

    #[test]
    fn text_editing_with_multibyte() {
        let mut f = Field::text("name", Msg::FName, "Åbo");
        f.step(false);
        f.type_char('ö');
        assert_eq!(f.value(), "Åböo");
        f.backspace();
        f.backspace();
        assert_eq!(f.value(), "Åo");
        assert_eq!(f.cursor_col(), Some(1));
    }
}
