//! An in-memory table of every activity's filterable fields, sorted by date, so that the timeline's
//! paging, counting and search-as-you-type never decode records from disk. Only the rows of the
//! page being shown are read from the store. Built on first use (or by [`super::Service::warm_up`])
//! and kept up to date by every change.

use super::api::ActivityQuery;
use crate::domain::{Activity, ActivityKind, ActivityStatus, Id, Record, text::fold};
use crate::store::codec::ActivityRef;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

/// What the timeline filters on, for one activity.
pub(super) struct Row {
    pub date: NaiveDate,
    pub id: Id,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    /// Bit `i` set when it contributes to `AddedValue::ALL[i]`.
    pub values: u8,
    pub archived: bool,
    pub partners: Box<[Id]>,
    /// Folded title and description, for search.
    pub text: Box<str>,
}

impl Row {
    fn new(r: &ActivityRef<'_>) -> Row {
        let a = &r.data;
        let mut text = fold(a.title);
        text.push('\u{1f}');
        text.push_str(&fold(a.description));
        Row {
            date: a.date,
            id: r.meta.id,
            kind: a.kind,
            status: a.status,
            values: a
                .values
                .as_slice()
                .iter()
                .fold(0u8, |m, v| m | (1 << v.index())),
            archived: r.meta.archived,
            partners: a.partners.as_slice().into(),
            text: text.into_boxed_str(),
        }
    }

    fn key(&self) -> (NaiveDate, Id) {
        (self.date, self.id)
    }
}

/// Rows in (date, id) order, and each id's date for updates.
pub(super) struct Table {
    rows: BTreeMap<(NaiveDate, Id), Row>,
    dates: HashMap<Id, NaiveDate>,
}

impl Table {
    pub fn load(store: &Store) -> Result<Table, StoreError> {
        let mut t = Table {
            rows: BTreeMap::new(),
            dates: HashMap::new(),
        };
        // Read in place: only the row's own copies are allocated.
        store.visit_activities(Id(0), None, |a| {
            let row = Row::new(&a);
            t.dates.insert(row.id, row.date);
            t.rows.insert(row.key(), row);
            Ok::<_, StoreError>(ControlFlow::Continue(()))
        })?;
        Ok(t)
    }

    /// Replace (or remove, for `None`) the row of activity `id`.
    pub fn update(&mut self, id: Id, current: Option<&Record<Activity>>) {
        if let Some(date) = self.dates.remove(&id) {
            self.rows.remove(&(date, id));
        }
        if let Some(r) = current {
            let row = Row::new(&ActivityRef::of(r));
            self.dates.insert(id, row.date);
            self.rows.insert(row.key(), row);
        }
    }

    /// The date and id of every row matching `q` (its paging aside), in (date, id) order, until
    /// `each` returns false.
    pub fn each_match(&self, q: &ActivityQuery, mut each: impl FnMut(NaiveDate, Id) -> bool) {
        let from = q.from.unwrap_or(NaiveDate::MIN);
        let to = q.to.unwrap_or(NaiveDate::MAX);
        if from > to {
            return;
        }
        let needle = fold(q.text.trim());
        for r in self
            .rows
            .range((from, Id(0))..=(to, Id(u64::MAX)))
            .map(|(_, r)| r)
        {
            let admitted = q.archived.admits(r.archived)
                && q.partner.is_none_or(|p| r.partners.contains(&p))
                && q.kind.is_none_or(|k| r.kind == k)
                && q.status.is_none_or(|s| r.status == s)
                && q.value.is_none_or(|v| r.values & (1 << v.index()) != 0)
                && (needle.is_empty() || r.text.contains(needle.as_str()));
            if admitted && !each(r.date, r.id) {
                return;
            }
        }
    }

    /// Ids matching the query, in date order (newest first when asked), and how many matched.
    pub fn select(&self, q: &ActivityQuery) -> (usize, Vec<Id>) {
        let from = q.from.unwrap_or(NaiveDate::MIN);
        let to = q.to.unwrap_or(NaiveDate::MAX);
        if from > to {
            return (0, Vec::new());
        }
        let range = self.rows.range((from, Id(0))..=(to, Id(u64::MAX)));
        let needle = fold(q.text.trim());
        let matches = |r: &&Row| {
            q.archived.admits(r.archived)
                && q.partner.is_none_or(|p| r.partners.contains(&p))
                && q.kind.is_none_or(|k| r.kind == k)
                && q.status.is_none_or(|s| r.status == s)
                && q.value.is_none_or(|v| r.values & (1 << v.index()) != 0)
                && (needle.is_empty() || r.text.contains(needle.as_str()))
        };
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        let mut total = 0;
        let mut page = Vec::new();
        let mut take = |r: &Row| {
            if total >= q.offset && page.len() < limit {
                page.push(r.id);
            }
            total += 1;
        };
        if q.newest_first {
            range
                .rev()
                .map(|(_, r)| r)
                .filter(matches)
                .for_each(&mut take);
        } else {
            range.map(|(_, r)| r).filter(matches).for_each(&mut take);
        }
        (total, page)
    }
}
