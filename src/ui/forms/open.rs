//! Forms and records: the record a save stored, a form from a draft's raw values, and the form
//! of a loaded record.

use super::{
    Form, FormKind, ParseCx, activity, agreement, assessment, contact, evaluation, goal, links,
    note, partner, phase, rhythm, suitability,
};
use crate::domain::{Entity, Id, Record};
use crate::service::{AnyData, AnyRecord};

impl Form {
    /// The record the service stored for this form's save: the data sent, normalised as the
    /// service does, under the id and version the save returned.
    pub fn saved_record(&self, id: Id, version: u64, user: &str) -> Option<AnyRecord> {
        let meta = crate::domain::Meta {
            id,
            version,
            created_at: crate::domain::Timestamp::now(),
            created_by: user.to_string(),
            updated_at: crate::domain::Timestamp::now(),
            updated_by: user.to_string(),
            archived: false,
        };
        fn rec<T: Entity>(mut data: T, meta: crate::domain::Meta) -> Record<T> {
            data.normalise();
            Record { meta, data }
        }
        Some(match self.sent.clone()? {
            AnyData::Partner(d) => AnyRecord::Partner(rec(d, meta)),
            AnyData::Agreement(d) => AnyRecord::Agreement(rec(d, meta)),
            AnyData::Contact(d) => AnyRecord::Contact(rec(d, meta)),
            AnyData::Activity(d) => AnyRecord::Activity(rec(d, meta)),
            AnyData::Assessment(d) => AnyRecord::Assessment(rec(d, meta)),
            AnyData::Note(d) => AnyRecord::Note(rec(d, meta)),
            AnyData::Goal(d) => AnyRecord::Goal(rec(d, meta)),
            AnyData::GoalLinks(d) => AnyRecord::GoalLinks(rec(d, meta)),
            AnyData::Suitability(d) => AnyRecord::Suitability(rec(d, meta)),
            AnyData::Rhythm(d) => AnyRecord::Rhythm(rec(d, meta)),
            AnyData::Evaluation(d) => AnyRecord::Evaluation(rec(d, meta)),
            AnyData::PhaseChange(d) => AnyRecord::PhaseChange(rec(d, meta)),
        })
    }

    /// Every row's path and raw value, for a draft.
    pub fn draft_values(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .map(|r| (r.key.path(), r.input.raw()))
            .collect()
    }

    /// A form of `kind` filled from a draft's values (action items are recreated).
    pub fn from_draft(kind: FormKind, values: &[(String, String)], cx: &ParseCx) -> Form {
        let mut form = match &kind {
            FormKind::Partner(_) => partner::form(None, cx),
            FormKind::Activity(_) => activity::form(None, &[], cx),
            FormKind::Note(_) => note::form(None, &[], cx),
            FormKind::Assessment {
                partner,
                partner_name,
                value,
                ..
            } => assessment::form(*partner, partner_name.clone(), *value, Vec::new(), cx),
            FormKind::Agreement { partner, .. } => agreement::form(None, *partner, cx),
            FormKind::Contact { partner, .. } => contact::form(None, *partner, cx),
            FormKind::Goal { partner, .. } => goal::form(None, *partner, cx),
            FormKind::GoalLinks { goals, .. } => Form::new(kind.clone(), links::rows(goals)),
            FormKind::Suitability { partner, .. } => suitability::form(None, *partner, cx),
            FormKind::Rhythm { partner, .. } => rhythm::form(None, *partner, cx),
            FormKind::Evaluation { partner, goals, .. } => {
                Form::new(kind.clone(), evaluation::rows_for(*partner, goals, cx))
            }
            FormKind::PhaseChange(t) => Form::new(kind.clone(), phase::rows(t.current, cx.today)),
        };
        form.kind = kind;
        for (path, raw) in values {
            if form.position(path).is_none() && path.starts_with("action_") {
                form.add_action(cx.user);
            }
            if let Some(i) = form.position(path)
                && let Some(r) = form.rows.get_mut(i)
            {
                r.input.set_raw(raw);
            }
        }
        form.focus = 0;
        form.dirty = true;
        form
    }
}

/// The form a record opens (the conflict dialog's reload, an edit of a loaded record).
pub fn for_record(rec: &AnyRecord, cx: &ParseCx) -> Option<Form> {
    Some(match rec {
        AnyRecord::Partner(r) => partner::form(Some(r), cx),
        AnyRecord::Activity(r) => activity::form(Some(r), &[], cx),
        AnyRecord::Note(r) => note::form(Some(r), &[], cx),
        AnyRecord::Agreement(r) => agreement::form(Some(r), r.data.partner, cx),
        AnyRecord::Contact(r) => contact::form(Some(r), r.data.partner, cx),
        AnyRecord::Goal(r) => goal::form(Some(r), r.data.partner, cx),
        AnyRecord::Suitability(r) => suitability::form(Some(r), r.data.partner, cx),
        AnyRecord::Rhythm(r) => rhythm::form(Some(r), r.data.partner, cx),
        AnyRecord::Assessment(_)
        | AnyRecord::GoalLinks(_)
        | AnyRecord::PhaseChange(_)
        | AnyRecord::Evaluation(_) => {
            return None;
        }
    })
}
