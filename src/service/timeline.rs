//! Windows of the timeline and of the meeting notes: a client asks for the rows it shows (at most
//! [`WINDOW_ROWS`]) and the counts, never for a whole range.
//!
//! The notes' dates, partners and archived flags are kept in a small table ([`NoteTable`], about
//! 40 bytes a note), built from the two note indexes without decoding a note; the activities come
//! from the activity table ([`super::activities::Table`]). A window is one pass over the matching
//! keys of the range (counting months, totals and the anchor) and a second pass that stops at the
//! window's end; only the records of the window are read from the store.

use super::Service;
use super::api::{
    MonthCount, NoteQuery, Page, TimelineItem, TimelineQuery, TimelineWindow, WindowAt,
};
use crate::domain::limits::WINDOW_ROWS;
use crate::domain::{Activity, EntityKind, Id, Note, Record, text::fold};
use crate::store::{Store, StoreError, TreeId, id_suffix};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// One meeting note's place in the lists.
struct NoteRow {
    date: NaiveDate,
    id: Id,
    archived: bool,
    partners: Box<[Id]>,
}

/// Every meeting note's date, partners and archived flag, in (date, id) order.
pub(super) struct NoteTable {
    rows: Vec<NoteRow>,
}

/// The date at the start of an index key (see [`crate::store::date_key`]).
fn key_date(k: &[u8]) -> Option<NaiveDate> {
    let b: [u8; 4] = k.get(..4)?.try_into().ok()?;
    let days = (u32::from_be_bytes(b) ^ 0x8000_0000) as i32;
    NaiveDate::from_num_days_from_ce_opt(days)
}

impl NoteTable {
    /// From the note indexes (date, and partner), without decoding a note.
    pub fn load(store: &Store, archived: &HashSet<(EntityKind, Id)>) -> Result<Self, StoreError> {
        let mut partners: HashMap<Id, Vec<Id>> = HashMap::new();
        for k in store.index_prefix(TreeId::NoteByPartner, &[]) {
            let k = k?;
            if k.len() == 20 {
                partners
                    .entry(id_suffix(&k))
                    .or_default()
                    .push(id_suffix(&k[..8]));
            }
        }
        let mut rows = Vec::new();
        for k in store.index_prefix(TreeId::NoteByDate, &[]) {
            let k = k?;
            let (Some(date), 12) = (key_date(&k), k.len()) else {
                continue;
            };
            let id = id_suffix(&k);
            rows.push(NoteRow {
                date,
                id,
                archived: archived.contains(&(EntityKind::Note, id)),
                partners: partners.remove(&id).unwrap_or_default().into(),
            });
        }
        rows.sort_unstable_by_key(|r| (r.date, r.id));
        Ok(NoteTable { rows })
    }

    /// The table as bytes, for the model checkpoint: the row count, then each row as its day
    /// (days since the common era), id, archived flag and partners (a count and the ids), all
    /// big-endian.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.rows.len() * 25);
        out.extend_from_slice(&(self.rows.len() as u64).to_be_bytes());
        for r in &self.rows {
            out.extend_from_slice(&r.date.num_days_from_ce().to_be_bytes());
            out.extend_from_slice(&r.id.0.to_be_bytes());
            out.push(u8::from(r.archived));
            out.extend_from_slice(&(r.partners.len() as u32).to_be_bytes());
            for p in r.partners.iter() {
                out.extend_from_slice(&p.0.to_be_bytes());
            }
        }
        out
    }

    /// The table from [`NoteTable::encode`]'s bytes; None unless they are exactly such a table
    /// (valid dates, rows in order, every count within the bytes).
    pub fn decode(bytes: &[u8]) -> Option<NoteTable> {
        fn take<const N: usize>(rest: &mut &[u8]) -> Option<[u8; N]> {
            let (b, tail) = rest.split_first_chunk::<N>()?;
            *rest = tail;
            Some(*b)
        }
        let mut rest = bytes;
        let n = usize::try_from(u64::from_be_bytes(take(&mut rest)?)).ok()?;
        if n > rest.len() / 17 {
            return None;
        }
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let date = NaiveDate::from_num_days_from_ce_opt(i32::from_be_bytes(take(&mut rest)?))?;
            let id = Id(u64::from_be_bytes(take(&mut rest)?));
            let archived = match take::<1>(&mut rest)? {
                [0] => false,
                [1] => true,
                _ => return None,
            };
            let count = usize::try_from(u32::from_be_bytes(take(&mut rest)?)).ok()?;
            if count > rest.len() / 8 {
                return None;
            }
            let partners: Option<Box<[Id]>> = (0..count)
                .map(|_| take(&mut rest).map(|b| Id(u64::from_be_bytes(b))))
                .collect();
            rows.push(NoteRow {
                date,
                id,
                archived,
                partners: partners?,
            });
        }
        let ordered = rows.is_sorted_by_key(|r| (r.date, r.id));
        (ordered && rest.is_empty()).then_some(NoteTable { rows })
    }

    /// The date, partners and whether it counts (not archived) of each note in `ids`: the life
    /// cycle's linked notes, from one pass over the table.
    pub fn each_of(&self, ids: &HashSet<Id>, mut each: impl FnMut(Id, NaiveDate, Box<[Id]>, bool)) {
        if ids.is_empty() {
            return;
        }
        for r in self.rows.iter().filter(|r| ids.contains(&r.id)) {
            each(r.id, r.date, r.partners.clone(), !r.archived);
        }
    }

    /// Replace (or remove, for `None`) the row of note `id`.
    pub fn update(&mut self, id: Id, current: Option<&Record<Note>>) {
        self.rows.retain(|r| r.id != id);
        if let Some(n) = current {
            let row = NoteRow {
                date: n.data.date,
                id,
                archived: n.meta.archived,
                partners: n.data.partners.clone().into(),
            };
            let at = self
                .rows
                .partition_point(|r| (r.date, r.id) < (row.date, row.id));
            self.rows.insert(at, row);
        }
    }

    /// The rows dated in `[from, to]` (either end open).
    fn range(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> &[NoteRow] {
        let a = from.map_or(0, |f| self.rows.partition_point(|r| r.date < f));
        let b = to.map_or(self.rows.len(), |t| {
            self.rows.partition_point(|r| r.date <= t)
        });
        self.rows.get(a..b.max(a)).unwrap_or(&[])
    }

    /// Ids of the notes in a range, for a partner (any when `None`), archived or not as `admits`
    /// says, in (date, id) order.
    fn select(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        partner: Option<Id>,
        admits: impl Fn(bool) -> bool,
    ) -> Vec<(NaiveDate, Id)> {
        self.range(from, to)
            .iter()
            .filter(|r| admits(r.archived) && partner.is_none_or(|p| r.partners.contains(&p)))
            .map(|r| (r.date, r.id))
            .collect()
    }
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Where a window starts and how long it is, given the whole list's length and the anchor.
fn window_bounds(at: WindowAt, limit: usize, total: usize, anchor: usize) -> (usize, usize) {
    let start = match at {
        WindowAt::Offset(o) => o,
        WindowAt::Date { before, .. } => anchor.saturating_sub(before),
    };
    // A window that would run past the end starts earlier, so it is full when it can be.
    let start = start.min(total.saturating_sub(limit));
    (start, limit.min(total - start))
}

impl Service {
    /// [`super::Request::Timeline`].
    pub(super) fn timeline(&self, q: &TimelineQuery) -> Result<TimelineWindow, StoreError> {
        let limit = q.limit.clamp(1, WINDOW_ROWS);
        let aq = &q.activities;
        let matching = self.matching_activities(aq)?;
        let notes =
            super::lock(&self.model)
                .notes(&self.store)?
                .select(aq.from, aq.to, aq.partner, |a| !a);
        // (0 = activity / 1 = note, id) of the window, and the counts.
        let mut window: Vec<(u8, Id)> = Vec::with_capacity(limit);
        let (activities, notes, offset, months, anchor) = {
            let each_match = |f: &mut dyn FnMut(NaiveDate, Id) -> bool| {
                for (d, id) in &matching {
                    if !f(*d, *id) {
                        break;
                    }
                }
            };
            // Pass 1: totals, months and the anchor.
            let mut months: Vec<MonthCount> = Vec::new();
            let mut bump = |d: NaiveDate, note: bool| {
                let ms = month_of(d);
                if months.last().is_none_or(|c| c.month != ms) {
                    months.push(MonthCount {
                        month: ms,
                        activities: 0,
                        notes: 0,
                    });
                }
                if let Some(c) = months.last_mut() {
                    if note {
                        c.notes += 1;
                    } else {
                        c.activities += 1;
                    }
                }
            };
            let anchor_date = match q.at {
                WindowAt::Date { date, .. } => Some(date),
                WindowAt::Offset(_) => None,
            };
            let (mut acts, mut anchor) = (0usize, None);
            let mut ni = 0;
            let mut pos = 0usize;
            let mut visit = |date: NaiveDate, note: bool, pos: &mut usize| {
                if anchor.is_none() && anchor_date.is_some_and(|a| date >= a) {
                    anchor = Some(*pos);
                }
                if q.months {
                    bump(date, note);
                }
                *pos += 1;
            };
            each_match(&mut |date, _| {
                while let Some((nd, _)) = notes.get(ni).filter(|(nd, _)| *nd < date) {
                    visit(*nd, true, &mut pos);
                    ni += 1;
                }
                visit(date, false, &mut pos);
                acts += 1;
                true
            });
            for (nd, _) in notes.get(ni..).unwrap_or(&[]) {
                visit(*nd, true, &mut pos);
            }
            let total = pos;
            let anchor = anchor_date.map(|_| anchor.unwrap_or(total));
            let (start, len) = window_bounds(q.at, limit, total, anchor.unwrap_or(0));
            // Pass 2: the window's ids.
            let (mut pos, mut ni) = (0usize, 0usize);
            let end = start + len;
            let mut take = |kind: u8, id: Id, pos: &mut usize| {
                if *pos >= start && *pos < end {
                    window.push((kind, id));
                }
                *pos += 1;
            };
            if len > 0 {
                each_match(&mut |date, id| {
                    while let Some((_, nid)) = notes.get(ni).filter(|(nd, _)| *nd < date) {
                        take(1, *nid, &mut pos);
                        ni += 1;
                    }
                    take(0, id, &mut pos);
                    pos < end
                });
                for (_, nid) in notes.get(ni..).unwrap_or(&[]) {
                    if pos >= end {
                        break;
                    }
                    take(1, *nid, &mut pos);
                }
            }
            (acts, notes.len(), start, months, anchor)
        };
        let mut items = Vec::with_capacity(window.len());
        for (kind, id) in window {
            if kind == 0 {
                if let Some(r) = self.store.get::<Activity>(id)? {
                    items.push(TimelineItem::Activity(r));
                }
            } else if let Some(r) = self.store.get::<Note>(id)? {
                items.push(TimelineItem::Note(r));
            }
        }
        Ok(TimelineWindow {
            activities,
            notes,
            offset,
            items,
            months,
            anchor,
        })
    }

    /// [`super::Request::Notes`]: newest first. Without search text the page comes from the note
    /// table (only its notes are read); with it every note of the range is read and searched.
    pub(super) fn notes(&self, q: &NoteQuery) -> Result<Page<Record<Note>>, StoreError> {
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        let needle = fold(q.text.trim());
        let ids = {
            let mut m = super::lock(&self.model);
            m.notes(&self.store)?
                .select(q.from, q.to, q.partner, |a| q.archived.admits(a))
        };
        let mut total = 0;
        let mut items = Vec::new();
        for (_, id) in ids.into_iter().rev() {
            let wanted = total >= q.offset && items.len() < limit;
            if needle.is_empty() {
                if wanted && let Some(r) = self.store.get::<Note>(id)? {
                    items.push(r);
                }
                total += 1;
                continue;
            }
            let Some(r) = self.store.get::<Note>(id)? else {
                continue;
            };
            let n = &r.data;
            if fold(&n.title).contains(&needle)
                || fold(&n.body).contains(&needle)
                || n.attendees.iter().any(|a| fold(a).contains(&needle))
            {
                if wanted {
                    items.push(r);
                }
                total += 1;
            }
        }
        Ok(Page {
            total,
            offset: q.offset,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_full_when_it_can_be() {
        assert_eq!(window_bounds(WindowAt::Offset(0), 10, 100, 0), (0, 10));
        assert_eq!(window_bounds(WindowAt::Offset(95), 10, 100, 0), (90, 10));
        assert_eq!(window_bounds(WindowAt::Offset(5), 10, 4, 0), (0, 4));
        let at = WindowAt::Date {
            date: NaiveDate::MIN,
            before: 3,
        };
        assert_eq!(window_bounds(at, 10, 100, 50), (47, 10));
        assert_eq!(window_bounds(at, 10, 100, 1), (0, 10));
        assert_eq!(window_bounds(at, 10, 100, 100), (90, 10));
        assert_eq!(window_bounds(at, 10, 0, 0), (0, 0));
    }

    #[test]
    fn index_dates_read_back() {
        for d in [
            NaiveDate::from_ymd_opt(1900, 1, 1),
            NaiveDate::from_ymd_opt(2026, 12, 6),
            NaiveDate::from_ymd_opt(2200, 12, 31),
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(key_date(&crate::store::date_key(d)), Some(d));
        }
    }
}
