//! Typed forms. Each entity has a module that lists its fields as an enum (the field ids) and
//! keeps, side by side, how each field is built from a record and parsed back into one; the
//! labels and the domain's machine names (for error mapping) are an exhaustive `match` on the
//! same ids, so a field added without a label, a builder or a parser does not compile.
//!
//! [`Form`] is the engine they share: rows keyed by [`FieldKey`], focus, dirty state, problems,
//! read-only mode for viewers, the vim preset's modes, drafts, and the keys of a form.

pub mod activity;
pub mod agreement;
pub mod assessment;
pub mod contact;
pub mod draw;
pub mod evaluation;
pub mod field;
pub mod goal;
pub mod links;
pub mod note;
mod open;
pub mod partner;
pub mod phase;
pub mod rhythm;
pub mod schema;
pub mod suitability;

use crate::domain::{AddedValue, Assessment, FieldError, Id, Record};
use crate::i18n::Lang;
use crate::i18n::catalogue::Msg;
use crate::service::{AnyData, Request};
use crate::ui::effect::Notice;
use crate::ui::input::vim::Mode;
use field::{Cell, Input, Problem, Row};
use serde::{Deserialize, Serialize};

pub use open::for_record;
pub(crate) use schema::{Schema, field_ids, rows, schema_data, schema_form};

/// A field of any form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    Partner(partner::F),
    Activity(activity::F),
    Note(note::F),
    /// Field `1` of action item `0` of a note.
    Action(usize, note::A),
    Assessment(assessment::F),
    Agreement(agreement::F),
    Contact(contact::F),
    Goal(goal::F),
    /// The tick box of goal `0` in the link dialog.
    LinkGoal(usize),
    Phase(phase::P),
    Suitability(suitability::F),
    Rhythm(rhythm::F),
    Evaluation(evaluation::E),
}

impl FieldKey {
    fn meta(self) -> (&'static str, Msg) {
        match self {
            FieldKey::Partner(f) => f.meta(),
            FieldKey::Activity(f) => f.meta(),
            FieldKey::Note(f) => f.meta(),
            FieldKey::Action(_, a) => a.meta(),
            FieldKey::Assessment(f) => f.meta(),
            FieldKey::Agreement(f) => f.meta(),
            FieldKey::Contact(f) => f.meta(),
            FieldKey::Goal(f) => f.meta(),
            FieldKey::LinkGoal(_) => ("goals", Msg::FGoal),
            FieldKey::Phase(f) => f.meta(),
            FieldKey::Suitability(f) => f.meta(),
            FieldKey::Rhythm(f) => f.meta(),
            FieldKey::Evaluation(f) => f.meta(),
        }
    }

    /// The domain's machine name (what `FieldError::field` and conflict reports say).
    pub fn name(self) -> &'static str {
        self.meta().0
    }

    /// The label.
    pub fn label(self) -> Msg {
        self.meta().1
    }

    /// A name unique in the form: the machine name, with the item number for action items
    /// (`action_due.0`). Drafts and tests use it.
    pub fn path(self) -> String {
        match self {
            FieldKey::Action(n, _) | FieldKey::LinkGoal(n) => format!("{}.{n}", self.name()),
            _ => self.name().to_string(),
        }
    }
}

/// What a form edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormKind {
    Partner(Option<(Id, u64)>),
    Activity(Option<(Id, u64)>),
    Assessment {
        partner: Id,
        partner_name: String,
        value: AddedValue,
        history: Vec<Record<Assessment>>,
    },
    Note(Option<(Id, u64)>),
    Agreement {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    Contact {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    Goal {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    /// The goals an activity or a note's decisions serve: the links record (if any) and the
    /// goals offered (id and shown text), one tick box each.
    GoalLinks {
        id: Option<(Id, u64)>,
        source: crate::domain::LinkSource,
        source_id: Id,
        title: String,
        goals: Vec<(Id, String)>,
    },
    /// The phase dialog (saved as a phase change, not as a record of its own).
    PhaseChange(Box<phase::PhaseTarget>),
    Suitability {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    Rhythm {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    /// An evaluation of `partner`, with its goals (id, text) for the outcome rows.
    Evaluation {
        id: Option<(Id, u64)>,
        partner: Id,
        goals: Vec<(Id, String)>,
        /// The partner's evidence, shown beside a new evaluation.
        evidence: Option<Box<evaluation::Evidence>>,
    },
}

impl FormKind {
    /// The record edited and the version the edit started from (None for a new record).
    pub fn target(&self) -> Option<(Id, u64)> {
        match self {
            FormKind::Partner(t) | FormKind::Activity(t) | FormKind::Note(t) => *t,
            FormKind::Agreement { id, .. }
            | FormKind::Contact { id, .. }
            | FormKind::Goal { id, .. }
            | FormKind::Suitability { id, .. }
            | FormKind::Rhythm { id, .. }
            | FormKind::Evaluation { id, .. }
            | FormKind::GoalLinks { id, .. } => *id,
            FormKind::Assessment { .. } | FormKind::PhaseChange(_) => None,
        }
    }

    fn target_mut(&mut self) -> Option<&mut Option<(Id, u64)>> {
        match self {
            FormKind::Partner(t) | FormKind::Activity(t) | FormKind::Note(t) => Some(t),
            FormKind::Agreement { id, .. }
            | FormKind::Contact { id, .. }
            | FormKind::Goal { id, .. }
            | FormKind::Suitability { id, .. }
            | FormKind::Rhythm { id, .. }
            | FormKind::Evaluation { id, .. }
            | FormKind::GoalLinks { id, .. } => Some(id),
            FormKind::Assessment { .. } | FormKind::PhaseChange(_) => None,
        }
    }
}

/// Problems found while parsing: the row and what is wrong.
pub type Problems = Vec<(usize, Problem)>;

/// What parsing needs besides the form.
pub struct ParseCx<'a> {
    pub names: &'a [(Id, String)],
    pub user: &'a str,
    pub today: chrono::NaiveDate,
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    kind: FormKind,
    rows: Vec<Row<FieldKey>>,
    focus: usize,
    dirty: bool,
    saving: bool,
    /// Errors that name no field of this form (translated when drawn).
    general: Vec<Notice>,
    /// A viewer's form: nothing can be typed or saved.
    read_only: bool,
    /// The vim preset's mode.
    pub(crate) mode: Mode,
    /// What the pending save sent (the saver applies it as the saved record).
    sent: Option<AnyData>,
}

impl Form {
    /// A form of `kind` with these rows, focused on the first.
    pub fn new(kind: FormKind, rows: impl IntoIterator<Item = (FieldKey, Cell)>) -> Form {
        Form {
            kind,
            rows: rows.into_iter().map(|(k, c)| Row::new(k, c)).collect(),
            focus: 0,
            dirty: false,
            saving: false,
            general: Vec::new(),
            read_only: false,
            mode: Mode::default(),
            sent: None,
        }
    }

    pub fn kind(&self) -> &FormKind {
        &self.kind
    }
    pub fn rows(&self) -> &[Row<FieldKey>] {
        &self.rows
    }
    pub fn focus(&self) -> usize {
        self.focus
    }
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }
    pub fn is_saving(&self) -> bool {
        self.saving
    }
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }
    pub fn general(&self) -> &[Notice] {
        &self.general
    }
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// Open read-only (a viewer's form).
    pub fn read_only(mut self, yes: bool) -> Form {
        self.read_only = yes;
        self
    }

    /// The text of row `i` (empty for choices).
    pub fn value(&self, i: usize) -> String {
        self.rows.get(i).map(|r| r.input.text()).unwrap_or_default()
    }

    /// The row of a field path (`"city"`, `"action_due.0"`).
    pub fn position(&self, path: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.key.path() == path)
    }

    /// The focused row.
    pub fn focused(&self) -> Option<&Row<FieldKey>> {
        self.rows.get(self.focus)
    }

    pub(crate) fn focused_mut(&mut self) -> Option<&mut Row<FieldKey>> {
        self.rows.get_mut(self.focus)
    }

    /// True when the focused field is the multi-line editor.
    pub fn in_editor(&self) -> bool {
        self.focused().is_some_and(|r| r.input.is_area())
    }

    /// The partner of an agreement or contact form.
    pub fn partner(&self) -> Option<Id> {
        match &self.kind {
            FormKind::Agreement { partner, .. }
            | FormKind::Contact { partner, .. }
            | FormKind::Goal { partner, .. }
            | FormKind::Suitability { partner, .. }
            | FormKind::Rhythm { partner, .. }
            | FormKind::Evaluation { partner, .. }
            | FormKind::Assessment { partner, .. } => Some(*partner),
            FormKind::PhaseChange(t) => Some(t.partner),
            _ => None,
        }
    }

    /// The form's title.
    pub fn title(&self) -> Msg {
        let new = self.kind.target().is_none();
        match &self.kind {
            FormKind::Partner(_) if new => Msg::NewPartner,
            FormKind::Partner(_) => Msg::EditPartner,
            FormKind::Activity(_) if new => Msg::NewActivity,
            FormKind::Activity(_) => Msg::EditActivity,
            FormKind::Assessment { .. } => Msg::Assessment,
            FormKind::Note(_) if new => Msg::NewNote,
            FormKind::Note(_) => Msg::EditNote,
            FormKind::Agreement { .. } if new => Msg::NewAgreement,
            FormKind::Agreement { .. } => Msg::EditAgreement,
            FormKind::Contact { .. } if new => Msg::NewContact,
            FormKind::Contact { .. } => Msg::EditContact,
            FormKind::Goal { .. } if new => Msg::NewGoal,
            FormKind::Goal { .. } => Msg::EditGoal,
            FormKind::GoalLinks { .. } => Msg::LinkGoals,
            FormKind::PhaseChange(_) => Msg::PhaseDialog,
            FormKind::Suitability { .. } if new => Msg::NewSuitability,
            FormKind::Suitability { .. } => Msg::EditSuitability,
            FormKind::Rhythm { .. } => Msg::EditRhythm,
            FormKind::Evaluation { .. } if new => Msg::NewEvaluation,
            FormKind::Evaluation { .. } => Msg::EditEvaluation,
        }
    }

    /// Run `parse` on every row; collect the problems.
    pub(crate) fn parse_each(
        &self,
        mut parse: impl FnMut(FieldKey, &Input) -> Result<(), Problem>,
    ) -> Result<(), Problems> {
        let problems: Problems = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| parse(r.key, &r.input).err().map(|p| (i, p)))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The record the form describes, or the rows it cannot parse.
    pub fn data(&self, cx: &ParseCx) -> Result<AnyData, Problems> {
        Ok(match &self.kind {
            FormKind::Partner(_) => AnyData::Partner(partner::data(self, cx)?),
            FormKind::Activity(_) => AnyData::Activity(activity::data(self, cx)?),
            FormKind::Note(_) => AnyData::Note(note::data(self, cx)?),
            FormKind::Assessment { .. } => AnyData::Assessment(assessment::data(self, cx)?),
            FormKind::Agreement { .. } => AnyData::Agreement(agreement::data(self, cx)?),
            FormKind::Contact { .. } => AnyData::Contact(contact::data(self, cx)?),
            FormKind::Goal { .. } => AnyData::Goal(goal::data(self, cx)?),
            FormKind::GoalLinks { .. } => AnyData::GoalLinks(links::data(self)?),
            FormKind::Suitability { .. } => AnyData::Suitability(suitability::data(self, cx)?),
            FormKind::Rhythm { .. } => AnyData::Rhythm(rhythm::data(self, cx)?),
            FormKind::Evaluation { .. } => AnyData::Evaluation(evaluation::data(self, cx)?),
            // Saved as a phase change (see `save_request`), never as data.
            FormKind::PhaseChange(_) => return Err(Vec::new()),
        })
    }

    /// The save request, or None when fields do not parse (they are marked).
    pub fn save_request(&mut self, cx: &ParseCx) -> Option<Request> {
        for r in &mut self.rows {
            r.problem = None;
        }
        self.general.clear();
        if let FormKind::PhaseChange(t) = &self.kind {
            return match phase::request(self, t) {
                Ok(req) => {
                    self.saving = true;
                    self.sent = None;
                    Some(req)
                }
                Err(problems) => {
                    self.mark(problems);
                    None
                }
            };
        }
        match self.data(cx) {
            Ok(data) => {
                self.saving = true;
                self.sent = Some(data.clone());
                Some(match self.kind.target() {
                    Some((id, v)) => Request::Update {
                        id,
                        expected_version: v,
                        data,
                    },
                    None => Request::Create(data),
                })
            }
            Err(problems) => {
                self.mark(problems);
                None
            }
        }
    }

    /// Mark the rows that did not parse and focus the first.
    fn mark(&mut self, problems: Problems) {
        for (i, p) in problems {
            if let Some(r) = self.rows.get_mut(i) {
                r.problem = Some(p);
            }
        }
        self.focus_first_problem();
    }

    /// The save was answered (any answer): not saving any more.
    pub fn save_done(&mut self) {
        self.saving = false;
    }

    fn focus_first_problem(&mut self) {
        if let Some(p) = self.rows.iter().position(|r| r.problem.is_some()) {
            self.focus = p;
        }
    }

    /// Mark the fields the service found invalid; the rest become general messages.
    pub fn apply_errors(&mut self, errs: &[FieldError]) {
        let is_note = matches!(self.kind, FormKind::Note(_));
        for e in errs {
            let row = self
                .rows
                .iter_mut()
                .find(|r| match (r.key, e.field.as_str()) {
                    (FieldKey::Action(_, note::A::Text), "actions") => true,
                    (FieldKey::Note(note::F::MeetingKind), "kind") => is_note,
                    (k, f) => k.name() == f && !matches!(k, FieldKey::Action(..)),
                });
            match row {
                Some(r) => r.problem = Some(Problem::Rule(e.rule.clone())),
                None => self.general.push(Notice::FieldRule {
                    field: e.field.clone(),
                    rule: e.rule.clone(),
                }),
            }
        }
        self.focus_first_problem();
    }

    /// The user's own value of a field named by its machine name (for the conflict dialog).
    pub fn plain_value(&self, name: &str, lang: Lang) -> String {
        self.rows
            .iter()
            .find(|r| r.key.name() == name && !matches!(r.key, FieldKey::Action(..)))
            .map(|r| r.input.plain(lang))
            .unwrap_or_default()
    }

    /// Save over a newer version (the conflict dialog's overwrite).
    pub fn set_version(&mut self, v: u64) {
        if let Some(Some((_, ver))) = self.kind.target_mut() {
            *ver = v;
        }
    }

    /// Move the focus by `delta` rows (wrapping).
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.rows.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Put the focus on row `i` (kept in range).
    pub fn set_focus(&mut self, i: usize) {
        self.focus = i.min(self.rows.len().saturating_sub(1));
    }

    /// Add an action item (notes only) and focus its text. False for other forms.
    pub fn add_action(&mut self, user: &str) -> bool {
        if !matches!(self.kind, FormKind::Note(_)) || self.read_only {
            return false;
        }
        let n = self
            .rows
            .iter()
            .filter_map(|r| match r.key {
                FieldKey::Action(i, _) => Some(i + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let at = self.rows.len();
        self.rows.extend(
            note::action_rows(n, &note::new_action(user))
                .into_iter()
                .map(|(k, c)| Row::new(k, c)),
        );
        self.focus = at;
        self.dirty = true;
        true
    }

    /// Remove the action item under the focus.
    pub fn delete_row(&mut self) -> bool {
        let Some(FieldKey::Action(n, _)) = self.focused().map(|r| r.key) else {
            return false;
        };
        if self.read_only {
            return false;
        }
        self.rows
            .retain(|r| !matches!(r.key, FieldKey::Action(i, _) if i == n));
        self.set_focus(self.focus);
        self.dirty = true;
        true
    }

    /// A key for the focused field. Returns what it did; a change marks the form dirty.
    pub fn edit(
        &mut self,
        ev: crossterm::event::KeyEvent,
        style: crate::keymap::EditStyle,
    ) -> crate::ui::input::Edit {
        if self.read_only {
            return crate::ui::input::Edit::Ignored;
        }
        let Some(row) = self.rows.get_mut(self.focus) else {
            return crate::ui::input::Edit::Ignored;
        };
        let e = row.input.key(ev, style);
        if e == crate::ui::input::Edit::Changed {
            row.problem = None;
            self.dirty = true;
        }
        e
    }

    /// Mark the form changed (after an edit outside [`Form::edit`]).
    pub(crate) fn touch(&mut self) {
        self.dirty = true;
        if let Some(r) = self.rows.get_mut(self.focus) {
            r.problem = None;
        }
    }

    /// True when the focused field's editor takes `ev` before any binding.
    pub fn editor_first(
        &self,
        ev: &crossterm::event::KeyEvent,
        style: crate::keymap::EditStyle,
    ) -> bool {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(row) = self.focused() else {
            return false;
        };
        if !row.input.is_text() {
            return false;
        }
        if crate::ui::input::line::is_editing_chord(ev.code, ev.modifiers) {
            return true;
        }
        if !row.input.is_area() {
            return false;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match ev.code {
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown | KeyCode::Enter => {
                !ctrl && !alt
            }
            KeyCode::Char(c) if ctrl && style == crate::keymap::EditStyle::Emacs => {
                "npv".contains(c)
            }
            KeyCode::Char(c) if alt && style == crate::keymap::EditStyle::Emacs => {
                "v<>".contains(c)
            }
            _ => false,
        }
    }
}

/// The partners of a record as a list cell of names.
pub(crate) fn partners_cell(ids: &[Id], names: &[(Id, String)]) -> Cell {
    Cell {
        hint: Some(Msg::ListHint),
        ..field::text(&field::partner_names_of(ids, names))
    }
}

#[cfg(test)]
mod tests;
