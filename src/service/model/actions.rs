//! The open action items the model holds (the overview, the partner detail and "my action
//! items" list them), and every item, done ones included, read from the notes for a list that
//! asks for them.

use super::Model;
use crate::domain::{Note, Record};
use crate::service::api::ActionRow;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

impl Model {
    /// Every open action item, built once and kept up to date by every change to a note.
    pub fn actions(&mut self, store: &Store, today: NaiveDate) -> Result<&[ActionRow], StoreError> {
        if self.actions.is_none() {
            let mut rows = Vec::new();
            for n in store.scan::<Note>() {
                let n = n?;
                if n.meta.archived {
                    continue;
                }
                push_actions(&mut rows, &n, today, false);
            }
            self.actions = Some(rows);
            self.actions_day = Some(today);
        }
        if self.actions_day != Some(today)
            && let Some(rows) = &mut self.actions
        {
            // Kept from an earlier day (a checkpoint, a service that ran past midnight).
            for r in rows.iter_mut() {
                r.overdue = !r.item.done && r.item.due.is_some_and(|d| d < today);
            }
            self.actions_day = Some(today);
        }
        Ok(self.actions.as_deref().unwrap_or(&[]))
    }
}

/// Every action item of every note that is not archived, done ones included, read from the
/// store (a list that asks for done items; the model holds the open ones).
pub(in crate::service) fn all_actions(
    store: &Store,
    today: NaiveDate,
) -> Result<Vec<ActionRow>, StoreError> {
    let mut rows = Vec::new();
    for n in store.scan::<Note>() {
        let n = n?;
        if !n.meta.archived {
            push_actions(&mut rows, &n, today, true);
        }
    }
    Ok(rows)
}

/// The action items of note `n`: the open ones, or all of them when `done` is true.
pub(super) fn push_actions(
    rows: &mut Vec<ActionRow>,
    n: &Record<Note>,
    today: NaiveDate,
    done: bool,
) {
    for (index, item) in n.data.actions.iter().enumerate() {
        if item.done && !done {
            continue;
        }
        rows.push(ActionRow {
            note: n.meta.id,
            note_version: n.meta.version,
            note_title: n.data.title.clone(),
            note_date: n.data.date,
            partners: n.data.partners.clone(),
            index,
            overdue: !item.done && item.due.is_some_and(|d| d < today),
            item: item.clone(),
        });
    }
}
