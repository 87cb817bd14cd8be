//! The meeting-note form: its fixed fields and its action items (four fields each, added and
//! removed in the form), build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, area, choice, date, first, list, text};
use super::{FieldKey, Form, FormKind, ParseCx};
use crate::domain::{ActionItem, Id, Note, Record};
use crate::i18n::catalogue::Msg;

super::field_ids!(Note: Note => F {
    Title = "title", FTitle;
    Partners = "partners", FPartners;
    Date = "date", FDate;
    MeetingKind = "kind", FMeetingKind;
    Attendees = "attendees", FAttendees;
    Body = "body", FBody;
    Decisions = "decisions", FDecisions;
});

/// The fields of an action item (its key also carries the item's number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum A {
    Text,
    Owner,
    Due,
    Done,
}

impl A {
    /// Every field of an item.
    pub const ALL: &'static [A] = &[A::Text, A::Owner, A::Due, A::Done];

    /// The machine name (the domain reports problems of action items as `actions`) and label.
    pub fn meta(self) -> (&'static str, Msg) {
        match self {
            A::Text => ("action_text", Msg::FActionText),
            A::Owner => ("action_owner", Msg::FOwner),
            A::Due => ("action_due", Msg::FDue),
            A::Done => ("action_done", Msg::FDone),
        }
    }
}

fn build(n: &Note, f: F, cx: &ParseCx) -> Cell {
    match f {
        F::Title => text(&n.title),
        F::Partners => super::partners_cell(&n.partners, cx.names),
        F::Date => date(Some(n.date)),
        F::MeetingKind => choice(Choices::MeetingKind, n.kind),
        F::Attendees => list(&n.attendees),
        F::Body => area(&n.body),
        F::Decisions => list(&n.decisions),
    }
}

fn parse(n: &mut Note, f: F, v: &Input, cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Title => n.title = v.text(),
        F::Partners => n.partners = v.partners(cx.names)?,
        F::Date => n.date = v.required_date()?,
        F::MeetingKind => n.kind = v.choice(),
        F::Attendees => n.attendees = v.list(),
        F::Body => n.body = v.text(),
        F::Decisions => n.decisions = v.list(),
    }
    Ok(())
}

fn build_action(i: &ActionItem, a: A) -> Cell {
    match a {
        A::Text => text(&i.text),
        A::Owner => text(&i.owner),
        A::Due => date(i.due),
        A::Done => super::field::index_choice(Choices::YesNo, usize::from(i.done)),
    }
}

fn parse_action(i: &mut ActionItem, a: A, v: &Input) -> Result<(), Problem> {
    match a {
        A::Text => i.text = v.text(),
        A::Owner => i.owner = v.text(),
        A::Due => i.due = v.date()?,
        A::Done => i.done = v.index() == 1,
    }
    Ok(())
}

/// The rows of action item `n`.
pub fn action_rows(n: usize, item: &ActionItem) -> Vec<(FieldKey, Cell)> {
    A::ALL
        .iter()
        .map(|a| (FieldKey::Action(n, *a), build_action(item, *a)))
        .collect()
}

/// A new, empty action item for `user`.
pub fn new_action(user: &str) -> ActionItem {
    ActionItem {
        text: String::new(),
        owner: user.to_string(),
        due: None,
        done: false,
    }
}

fn blank(cx: &ParseCx, partners: &[Id]) -> Note {
    Note {
        partners: partners.to_vec(),
        date: cx.today,
        title: String::new(),
        kind: first(),
        attendees: Vec::new(),
        body: String::new(),
        decisions: Vec::new(),
        actions: Vec::new(),
    }
}

/// The note form: a record's, or a new one for the given partners.
pub fn form(rec: Option<&Record<Note>>, partners: &[Id], cx: &ParseCx) -> Form {
    let n = rec
        .map(|r| r.data.clone())
        .unwrap_or_else(|| blank(cx, partners));
    let mut rows = super::rows::<F>(&n, cx);
    for (i, item) in n.actions.iter().enumerate() {
        rows.extend(action_rows(i, item));
    }
    Form::new(
        FormKind::Note(rec.map(|r| (r.meta.id, r.meta.version))),
        rows,
    )
}

/// The note the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Note, super::Problems> {
    let mut n = blank(cx, &[]);
    let mut items: Vec<(usize, ActionItem)> = Vec::new();
    form.parse_each(|key, v| match key {
        FieldKey::Note(f) => parse(&mut n, f, v, cx),
        FieldKey::Action(i, a) => {
            if !items.iter().any(|(k, _)| *k == i) {
                items.push((i, new_action("")));
            }
            match items.iter_mut().find(|(k, _)| *k == i) {
                Some((_, item)) => parse_action(item, a, v),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    })?;
    n.actions = items.into_iter().map(|(_, i)| i).collect();
    Ok(n)
}
