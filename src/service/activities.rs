//! An in-memory table of every activity's filterable fields, sorted by date, so that the timeline's
//! windows, counts and filters never decode records from disk: only the rows of the window shown
//! are read from the store. Built on first use (or by [`super::Service::warm_up`]) and kept up to
//! date by every change.
//!
//! The table is compact: one fixed-size [`Row`] of [`ROW_BYTES`] per activity (date, id, first
//! partner, kind, status, values and flags as small integers), in one vector, and the partners
//! beyond the first for the few activities that have several. Titles and descriptions are not
//! held: a text search reads the candidate records of its range from the store
//! ([`super::Service::matching_activities`]).

use super::api::ActivityQuery;
use crate::domain::{Activity, AddedValue, Enumerated, Id, Record};
use crate::store::codec::ActivityRef;
use crate::store::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

/// One activity's place and filterable fields.
#[derive(Debug, Clone, Copy)]
struct Row {
    id: u64,
    /// The first partner (0 for none); see [`Table::more`] for the others.
    partner: u64,
    /// Days since the common era.
    day: i32,
    /// Position in `ActivityKind::ALL`.
    kind: u8,
    /// Position in `ActivityStatus::ALL`.
    status: u8,
    /// Bit `i` set when it contributes to `AddedValue::ALL[i]`.
    values: u8,
    /// [`ARCHIVED`], [`MORE_PARTNERS`].
    flags: u8,
}

const ARCHIVED: u8 = 1;
const MORE_PARTNERS: u8 = 2;

/// The bytes one activity takes in the table (the partners beyond the first aside).
pub const ROW_BYTES: usize = std::mem::size_of::<Row>();
const _: () = assert!(ROW_BYTES <= 24);

/// Position of a value in its enumeration's list.
fn ord<T: Enumerated>(v: T) -> u8 {
    T::ALL.iter().position(|x| *x == v).unwrap_or(0) as u8
}

fn day_of(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN)
}

impl Row {
    fn new(r: &ActivityRef<'_>) -> (Row, Option<Box<[Id]>>) {
        let a = &r.data;
        let partners = a.partners.as_slice();
        let more = (partners.len() > 1).then(|| partners[1..].into());
        let row = Row {
            id: r.meta.id.0,
            partner: partners.first().map_or(0, |p| p.0),
            day: day_of(a.date),
            kind: ord(a.kind),
            status: ord(a.status),
            values: a
                .values
                .as_slice()
                .iter()
                .fold(0u8, |m, v| m | (1 << v.index())),
            flags: if r.meta.archived { ARCHIVED } else { 0 }
                | if more.is_some() { MORE_PARTNERS } else { 0 },
        };
        (row, more)
    }

    fn key(&self) -> (i32, u64) {
        (self.day, self.id)
    }
}

/// Rows in (date, id) order.
pub(super) struct Table {
    rows: Vec<Row>,
    /// The partners beyond the first, of the activities that have several.
    more: HashMap<u64, Box<[Id]>>,
}

impl Table {
    pub fn load(store: &Store) -> Result<Table, StoreError> {
        let mut t = Table {
            rows: Vec::with_capacity(store.count(crate::domain::EntityKind::Activity)),
            more: HashMap::new(),
        };
        // Read in place, in id order; sorted once at the end.
        store.visit_activities(Id(0), None, |a| {
            let (row, more) = Row::new(&a);
            if let Some(m) = more {
                t.more.insert(row.id, m);
            }
            t.rows.push(row);
            Ok::<_, StoreError>(ControlFlow::Continue(()))
        })?;
        t.rows.sort_unstable_by_key(Row::key);
        t.rows.shrink_to_fit();
        Ok(t)
    }

    /// The heap bytes the table holds: its rows (with their spare capacity) and the partners
    /// beyond the first (the map's slots and the lists they point to). Printed by `spets bench`
    /// and bounded per activity by `tests/memory.rs`.
    pub fn heap_bytes(&self) -> usize {
        let slot = std::mem::size_of::<(u64, Box<[Id]>)>() + 1;
        self.rows.capacity() * ROW_BYTES
            + self.more.capacity() * slot
            + self
                .more
                .values()
                .map(|m| std::mem::size_of_val(&**m))
                .sum::<usize>()
    }

    /// The table as bytes, for the model checkpoint: the row count, each row in 24 big-endian
    /// bytes (id, first partner, day, kind, status, values, flags), then the count of activities
    /// with more partners and, for each, its id, how many more and their ids.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.rows.len() * 24);
        out.extend_from_slice(&(self.rows.len() as u64).to_be_bytes());
        for r in &self.rows {
            out.extend_from_slice(&r.id.to_be_bytes());
            out.extend_from_slice(&r.partner.to_be_bytes());
            out.extend_from_slice(&r.day.to_be_bytes());
            out.extend_from_slice(&[r.kind, r.status, r.values, r.flags]);
        }
        let mut more: Vec<(&u64, &Box<[Id]>)> = self.more.iter().collect();
        more.sort_unstable_by_key(|(id, _)| **id);
        out.extend_from_slice(&(more.len() as u64).to_be_bytes());
        for (id, ids) in more {
            out.extend_from_slice(&id.to_be_bytes());
            out.extend_from_slice(&(ids.len() as u64).to_be_bytes());
            for p in ids.iter() {
                out.extend_from_slice(&p.0.to_be_bytes());
            }
        }
        out
    }

    /// The table from [`Table::encode`]'s bytes; None unless they are exactly such a table (rows
    /// in order, every count within the bytes).
    pub fn decode(bytes: &[u8]) -> Option<Table> {
        let mut rest = bytes;
        let u64_of = |rest: &mut &[u8]| -> Option<u64> {
            let (n, tail) = rest.split_first_chunk::<8>()?;
            *rest = tail;
            Some(u64::from_be_bytes(*n))
        };
        let n = usize::try_from(u64_of(&mut rest)?).ok()?;
        if n > rest.len() / 24 {
            return None;
        }
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let (b, tail) = rest.split_first_chunk::<24>()?;
            rest = tail;
            let (id, b) = b.split_first_chunk::<8>()?;
            let (partner, b) = b.split_first_chunk::<8>()?;
            let (day, b) = b.split_first_chunk::<4>()?;
            let [kind, status, values, flags] = *b else {
                return None;
            };
            rows.push(Row {
                id: u64::from_be_bytes(*id),
                partner: u64::from_be_bytes(*partner),
                day: i32::from_be_bytes(*day),
                kind,
                status,
                values,
                flags,
            });
        }
        if !rows.is_sorted_by_key(Row::key) {
            return None;
        }
        let count = usize::try_from(u64_of(&mut rest)?).ok()?;
        if count > rest.len() / 16 {
            return None;
        }
        let mut more = HashMap::with_capacity(count);
        for _ in 0..count {
            let id = u64_of(&mut rest)?;
            let len = usize::try_from(u64_of(&mut rest)?).ok()?;
            if len > rest.len() / 8 {
                return None;
            }
            let ids: Option<Box<[Id]>> = (0..len).map(|_| u64_of(&mut rest).map(Id)).collect();
            more.insert(id, ids?);
        }
        rest.is_empty().then_some(Table { rows, more })
    }

    /// Replace (or remove, for `None`) the row of activity `id`.
    pub fn update(&mut self, id: Id, current: Option<&Record<Activity>>) {
        if let Some(at) = self.rows.iter().position(|r| r.id == id.0) {
            self.rows.remove(at);
        }
        self.more.remove(&id.0);
        if let Some(r) = current {
            let (row, more) = Row::new(&ActivityRef::of(r));
            if let Some(m) = more {
                self.more.insert(row.id, m);
            }
            let at = self.rows.partition_point(|x| x.key() < row.key());
            self.rows.insert(at, row);
        }
    }

    /// Every activity dated `from..=to` that is neither archived nor cancelled: its date, id,
    /// value bits (bit `i` for `AddedValue::ALL[i]`) and partners, in (date, id) order (the
    /// reports' one pass).
    pub fn each_counted(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(NaiveDate, Id, u8, &[Id]),
    ) {
        let (from, to) = (day_of(from), day_of(to));
        let cancelled = ord(crate::domain::ActivityStatus::Cancelled);
        let a = self.rows.partition_point(|r| r.day < from);
        let b = self.rows.partition_point(|r| r.day <= to);
        let mut partners: Vec<Id> = Vec::new();
        for r in self.rows.get(a..b).unwrap_or(&[]) {
            if r.flags & ARCHIVED != 0 || r.status == cancelled {
                continue;
            }
            partners.clear();
            if r.partner != 0 {
                partners.push(Id(r.partner));
            }
            if r.flags & MORE_PARTNERS != 0
                && let Some(m) = self.more.get(&r.id)
            {
                partners.extend(m.iter().copied());
            }
            each(date_of(r.day), Id(r.id), r.values, &partners);
        }
    }

    /// The date, partners and whether it counts (neither archived nor cancelled) of each
    /// activity in `ids`, in (date, id) order: the life cycle's linked activities, from one
    /// pass over the table instead of a read per record.
    pub fn each_of(&self, ids: &HashSet<Id>, mut each: impl FnMut(Id, NaiveDate, Box<[Id]>, bool)) {
        if ids.is_empty() {
            return;
        }
        let cancelled = ord(crate::domain::ActivityStatus::Cancelled);
        for r in self.rows.iter().filter(|r| ids.contains(&Id(r.id))) {
            let more = (r.flags & MORE_PARTNERS != 0)
                .then(|| self.more.get(&r.id))
                .flatten();
            let partners: Box<[Id]> = (r.partner != 0)
                .then_some(Id(r.partner))
                .into_iter()
                .chain(more.into_iter().flat_map(|m| m.iter().copied()))
                .collect();
            let counts = r.flags & ARCHIVED == 0 && r.status != cancelled;
            each(Id(r.id), date_of(r.day), partners, counts);
        }
    }

    /// The date and id of every row that `q` admits (its paging aside), in (date, id) order,
    /// until `each` returns false. Search text is not looked at here: the table holds no text.
    pub fn each_match(&self, q: &ActivityQuery, mut each: impl FnMut(NaiveDate, Id) -> bool) {
        let from = q.from.map_or(i32::MIN, day_of);
        let to = q.to.map_or(i32::MAX, day_of);
        if from > to {
            return;
        }
        let a = self.rows.partition_point(|r| r.day < from);
        let b = self.rows.partition_point(|r| r.day <= to);
        let kind = q.kind.map(ord);
        let status = q.status.map(ord);
        let value = q.value.map(|v: AddedValue| 1u8 << v.index());
        for r in self.rows.get(a..b).unwrap_or(&[]) {
            let admitted = q.archived.admits(r.flags & ARCHIVED != 0)
                && kind.is_none_or(|k| r.kind == k)
                && status.is_none_or(|s| r.status == s)
                && value.is_none_or(|v| r.values & v != 0)
                && q.partner.is_none_or(|p| {
                    r.partner == p.0
                        || (r.flags & MORE_PARTNERS != 0
                            && self.more.get(&r.id).is_some_and(|m| m.contains(&p)))
                });
            if admitted && !each(date_of(r.day), Id(r.id)) {
                return;
            }
        }
    }
}
