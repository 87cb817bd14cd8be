//! Form fields: the sets of choices, how a field is edited ([`Input`]), what is wrong with it
//! ([`Problem`]) and one row of a form ([`Row`]), keyed by a typed field id.

use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, AgreementKind, AgreementStatus, ContactRole,
    Enumerated, Format, GoalStatus, Id, MeetingKind, OrgKind, Phase, Recommendation, RiskLevel,
    Rule, Side, Tier,
};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, score_label, t};
use crate::keymap::EditStyle;
use crate::ui::input::{AreaEditor, Edit, LineEditor};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
    GoalStatus,
    RiskLevel,
    Recommendation,
    Decision,
    /// Our score or nothing (index 0); the labels say whose score it is.
    OurScore,
    /// The partner's score or nothing (index 0).
    PartnerScore,
    /// A goal's outcome, or not judged (index 0).
    OptGoalOutcome,
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
            Choices::ExportScope | Choices::Naming => 2,
            Choices::ImportKind => 3,
            Choices::GoalStatus => GoalStatus::ALL.len(),
            Choices::RiskLevel => RiskLevel::ALL.len(),
            Choices::Recommendation => Recommendation::ALL.len(),
            Choices::Decision => crate::domain::Decision::ALL.len(),
            Choices::OurScore | Choices::PartnerScore => 6,
            Choices::OptGoalOutcome => crate::domain::GoalOutcome::ALL.len() + 1,
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
            Choices::ImportKind if i == 1 => t(lang, Msg::DsActivities).to_string(),
            Choices::ImportKind => t(lang, Msg::DsGoals).to_string(),
            Choices::GoalStatus => get::<GoalStatus>(i, lang),
            Choices::RiskLevel => get::<RiskLevel>(i, lang),
            Choices::Recommendation => get::<Recommendation>(i, lang),
            Choices::Decision => get::<crate::domain::Decision>(i, lang),
            Choices::OurScore | Choices::PartnerScore => {
                let whose = if self == Choices::OurScore {
                    Msg::OurView
                } else {
                    Msg::PartnerView
                };
                format!("{}: {}", t(lang, whose), Choices::OptScore.label(lang, i))
            }
            Choices::OptGoalOutcome if i == 0 => t(lang, Msg::NotJudged).to_string(),
            Choices::OptGoalOutcome => get::<crate::domain::GoalOutcome>(i - 1, lang),
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
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// One line of text.
    Text(LineEditor),
    /// One of a fixed set.
    Choice { set: Choices, selected: usize },
    /// Any subset of a fixed set; `cursor` is the option under the cursor.
    Multi {
        set: Choices,
        selected: Vec<bool>,
        cursor: usize,
    },
    /// Several lines.
    Area(AreaEditor),
    /// A tick box with a text of its own (a goal in the link dialog).
    Check { on: bool, text: String },
}

/// A field's input and the hint shown under an empty focused field.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub input: Input,
    pub hint: Option<Msg>,
}

/// A one-line text cell.
pub fn text(s: &str) -> Cell {
    Cell {
        input: Input::Text(LineEditor::new(s)),
        hint: None,
    }
}

/// A `;`-separated list cell.
pub fn list(v: &[String]) -> Cell {
    Cell {
        hint: Some(Msg::ListHint),
        ..text(&v.join("; "))
    }
}

/// A date cell (empty for none).
pub fn date(d: Option<NaiveDate>) -> Cell {
    Cell {
        hint: Some(Msg::DateHint),
        ..text(&d.map(|d| d.to_string()).unwrap_or_default())
    }
}

/// A choice cell on the value `v` of an enumeration.
pub fn choice<E: Enumerated>(set: Choices, v: E) -> Cell {
    index_choice(set, E::ALL.iter().position(|x| *x == v).unwrap_or(0))
}

/// A choice cell on an index.
pub fn index_choice(set: Choices, selected: usize) -> Cell {
    Cell {
        input: Input::Choice { set, selected },
        hint: None,
    }
}

/// A multiple-choice cell with the values in `v` ticked.
pub fn multi<E: Enumerated>(set: Choices, v: &[E]) -> Cell {
    Cell {
        input: Input::Multi {
            set,
            selected: E::ALL.iter().map(|x| v.contains(x)).collect(),
            cursor: 0,
        },
        hint: None,
    }
}

/// A tick box showing `text`.
pub fn check(on: bool, text: &str) -> Cell {
    Cell {
        input: Input::Check {
            on,
            text: text.to_string(),
        },
        hint: None,
    }
}

/// A multi-line cell.
pub fn area(s: &str) -> Cell {
    Cell {
        input: Input::Area(AreaEditor::new(s)),
        hint: None,
    }
}

/// The partner a typed name means: exact (ignoring case and accents), else the only prefix match.
pub fn resolve_partner(names: &[(Id, String)], typed: &str) -> Option<Id> {
    let t = crate::domain::text::fold(typed.trim());
    if let Some(id) = typed.trim().strip_prefix('#').and_then(|n| n.parse().ok()) {
        return names.iter().find(|(i, _)| i.0 == id).map(|(i, _)| *i);
    }
    if let Some((id, _)) = names
        .iter()
        .find(|(_, n)| crate::domain::text::fold(n) == t)
    {
        return Some(*id);
    }
    let mut matches = names
        .iter()
        .filter(|(_, n)| crate::domain::text::fold(n).starts_with(&t));
    let first = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    Some(first.0)
}

/// Partner names for ids (`#id` for one not in the list).
pub fn partner_names_of(ids: &[Id], names: &[(Id, String)]) -> String {
    ids.iter()
        .map(|id| {
            names
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| format!("#{id}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A date typed as YYYY-MM-DD.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl Input {
    /// The text of a text field, trimmed (empty for others).
    pub fn text(&self) -> String {
        match self {
            Input::Text(e) => e.text().trim().to_string(),
            Input::Area(a) => a.text(),
            _ => String::new(),
        }
    }

    /// Whether a tick box is ticked.
    pub fn checked(&self) -> bool {
        matches!(self, Input::Check { on: true, .. })
    }

    /// The text, or None when empty.
    pub fn opt_text(&self) -> Option<String> {
        Some(self.text()).filter(|s| !s.is_empty())
    }

    /// `;`-separated entries of a text field.
    pub fn list(&self) -> Vec<String> {
        self.text()
            .split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A date, None when empty.
    pub fn date(&self) -> Result<Option<NaiveDate>, Problem> {
        let v = self.text();
        if v.is_empty() {
            return Ok(None);
        }
        parse_date(&v).map(Some).ok_or(Problem::BadDate)
    }

    /// A date that must be given.
    pub fn required_date(&self) -> Result<NaiveDate, Problem> {
        self.date()?.ok_or(Problem::Rule(Rule::Required))
    }

    /// The selected index of a choice field.
    pub fn index(&self) -> usize {
        match self {
            Input::Choice { selected, .. } => *selected,
            _ => 0,
        }
    }

    /// The selected value of a choice field over an enumeration.
    pub fn choice<E: Enumerated>(&self) -> E {
        E::ALL
            .get(self.index())
            .or_else(|| E::ALL.last())
            .copied()
            .unwrap_or_else(|| E::ALL[0])
    }

    /// The ticked values of a multiple-choice field.
    pub fn multi<E: Enumerated>(&self) -> Vec<E> {
        match self {
            Input::Multi { selected, .. } => E::ALL
                .iter()
                .zip(selected)
                .filter(|(_, s)| **s)
                .map(|(e, _)| *e)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The partners named in a `;`-separated list.
    pub fn partners(&self, names: &[(Id, String)]) -> Result<Vec<Id>, Problem> {
        self.list()
            .iter()
            .map(|typed| resolve_partner(names, typed).ok_or(Problem::UnknownPartnerName))
            .collect()
    }

    pub fn is_area(&self) -> bool {
        matches!(self, Input::Area(_))
    }

    /// True when the field edits text (its editor takes the editing keys first).
    pub fn is_text(&self) -> bool {
        matches!(self, Input::Text(_) | Input::Area(_))
    }

    /// The value as shown in one line (for choices, in `lang`).
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Input::Text(e) => e.text(),
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
            Input::Area(a) => a.lines().join(" ⏎ "),
            Input::Check { on, text } => format!("[{}] {text}", if *on { "x" } else { " " }),
        }
    }

    /// The value as one plain line (choices by their label, without the arrows).
    pub fn plain(&self, lang: Lang) -> String {
        match self {
            Input::Choice { set, selected } => set.label(lang, *selected),
            Input::Multi { set, selected, .. } => selected
                .iter()
                .enumerate()
                .filter(|(_, s)| **s)
                .map(|(i, _)| set.label(lang, i))
                .collect::<Vec<_>>()
                .join(", "),
            Input::Check { .. } => self.display(lang),
            _ => self.text().replace('\n', " ⏎ "),
        }
    }

    /// The value as draft text (indexes for choices).
    pub fn raw(&self) -> String {
        match self {
            Input::Text(e) => e.text(),
            Input::Area(a) => a.text(),
            Input::Choice { selected, .. } => selected.to_string(),
            Input::Multi { selected, .. } => selected
                .iter()
                .map(|s| if *s { '1' } else { '0' })
                .collect(),
            Input::Check { on, .. } => if *on { "1" } else { "0" }.to_string(),
        }
    }

    /// Set the value from draft text.
    pub fn set_raw(&mut self, raw: &str) {
        match self {
            Input::Text(e) => *e = LineEditor::new(raw),
            Input::Area(a) => *a = AreaEditor::new(raw),
            Input::Choice { set, selected } => {
                *selected = raw.parse().unwrap_or(0).min(set.len().saturating_sub(1));
            }
            Input::Multi { selected, .. } => {
                for (s, c) in selected.iter_mut().zip(raw.chars()) {
                    *s = c == '1';
                }
            }
            Input::Check { on, .. } => *on = raw == "1",
        }
    }

    /// The cursor's column offset in a one-line text field.
    pub fn cursor_col(&self) -> Option<usize> {
        match self {
            Input::Text(e) => Some(e.cursor_col()),
            _ => None,
        }
    }

    /// One key for the field (text editing, or changing a choice).
    pub fn key(&mut self, ev: KeyEvent, style: EditStyle) -> Edit {
        let plain = !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self {
            Input::Text(e) => e.key(ev),
            Input::Area(a) => a.key(ev, style),
            Input::Choice { set, selected } => {
                let n = set.len().max(1);
                match ev.code {
                    KeyCode::Left if plain => *selected = (*selected + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') if plain => *selected = (*selected + 1) % n,
                    KeyCode::Char(c) if plain && c.is_ascii_digit() => {
                        let d = c.to_digit(10).unwrap_or(0) as usize;
                        let i = match set {
                            Choices::Score => d,
                            Choices::OptScore | Choices::OurScore | Choices::PartnerScore => d + 1,
                            _ => return Edit::Ignored,
                        };
                        if i >= set.len() {
                            return Edit::Ignored;
                        }
                        *selected = i;
                    }
                    _ => return Edit::Ignored,
                }
                Edit::Changed
            }
            Input::Multi {
                set,
                selected,
                cursor,
            } => {
                let n = set.len().max(1);
                match ev.code {
                    KeyCode::Left if plain => *cursor = (*cursor + n - 1) % n,
                    KeyCode::Right if plain => *cursor = (*cursor + 1) % n,
                    KeyCode::Char(' ' | 'x') if plain => {
                        if let Some(s) = selected.get_mut(*cursor) {
                            *s = !*s;
                        }
                        return Edit::Changed;
                    }
                    _ => return Edit::Ignored,
                }
                Edit::Moved
            }
            Input::Check { on, .. } => match ev.code {
                KeyCode::Left | KeyCode::Right | KeyCode::Char(' ' | 'x') if plain => {
                    *on = !*on;
                    Edit::Changed
                }
                _ => Edit::Ignored,
            },
        }
    }
}

/// One row of a form: its typed id, input, problem and hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<K> {
    pub key: K,
    pub input: Input,
    pub problem: Option<Problem>,
    pub hint: Option<Msg>,
}

impl<K> Row<K> {
    pub fn new(key: K, cell: Cell) -> Row<K> {
        Row {
            key,
            input: cell.input,
            problem: None,
            hint: cell.hint,
        }
    }
}

/// The first value of an enumeration (what a new form's choice shows).
pub fn first<E: Enumerated>() -> E {
    E::ALL[0]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ctrl_and_alt_letters_never_change_a_choice_or_set() {
        let mut c = choice(Choices::Phase, Phase::Running).input;
        let before = c.clone();
        for m in [KeyModifiers::CONTROL, KeyModifiers::ALT] {
            for ch in ['a', ' ', 'x', '3'] {
                c.key(KeyEvent::new(KeyCode::Char(ch), m), EditStyle::Default);
            }
        }
        assert_eq!(c, before);
        let mut m = multi::<Format>(Choices::Format, &[]).input;
        m.key(
            KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL),
            EditStyle::Default,
        );
        assert!(m.multi::<Format>().is_empty());
    }

    #[test]
    fn raw_round_trip() {
        let mut m = multi(Choices::Format, &[Format::ALL[1]]).input;
        let raw = m.raw();
        m.set_raw("00000");
        m.set_raw(&raw);
        assert_eq!(m.multi::<Format>(), vec![Format::ALL[1]]);
    }
}
