//! The activity queries: a page of the activities a query admits, from the activity table (a
//! search reads the candidates' text from the store, by lookup or in one pass on two threads), a
//! narrow date range from the date index, and the scans in storage order that exports use.

use super::api::*;
use super::{Service, lock};
use crate::domain::{
    Activity, EntityKind, Id, Record,
    text::{fold, fold_into},
};
use crate::store::codec::ActivityRef;
use crate::store::{Store, StoreError, TreeId, date_key, id_suffix};
use chrono::NaiveDate;
use std::ops::ControlFlow;

/// A search over at most this many candidates looks each one up; over more, it reads the
/// activities in one pass in id order.
const SEARCH_BY_LOOKUP: usize = 2_000;

impl Service {
    pub(super) fn activities(
        &self,
        q: &ActivityQuery,
    ) -> Result<Page<Record<Activity>>, StoreError> {
        // A few weeks (a day, for an import's duplicate check) are read through the date index
        // while the activity table is not built, rather than building it for them.
        if let (Some(from), Some(to)) = (q.from, q.to)
            && (to - from).num_days() <= NARROW_DAYS
            && !lock(&self.model).has_activities()
        {
            return self.activities_by_date(q, from, to);
        }
        let list = self.matching_activities(q)?;
        let total = list.len();
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        let page: Vec<Id> = if q.newest_first {
            list.iter()
                .rev()
                .skip(q.offset)
                .take(limit)
                .map(|x| x.1)
                .collect()
        } else {
            list.iter()
                .skip(q.offset)
                .take(limit)
                .map(|x| x.1)
                .collect()
        };
        drop(list);
        let mut items = Vec::with_capacity(page.len());
        for id in page {
            if let Some(r) = self.store.get::<Activity>(id)? {
                items.push(r);
            }
        }
        Ok(Page {
            total,
            offset: q.offset,
            items,
        })
    }

    /// The date and id of every activity `q` admits (its paging aside), in (date, id) order: the
    /// filters from the activity table, then, for a search, the text of the candidates from the
    /// store (outside the model lock, so a long search holds no one up).
    pub(super) fn matching_activities(
        &self,
        q: &ActivityQuery,
    ) -> Result<Vec<(NaiveDate, Id)>, StoreError> {
        self.await_warm_up();
        let mut list = Vec::new();
        lock(&self.model)
            .activities(&self.store)?
            .each_match(q, |d, id| {
                list.push((d, id));
                true
            });
        let needle = fold(q.text.trim());
        if needle.is_empty() {
            return Ok(list);
        }
        if list.len() <= SEARCH_BY_LOOKUP {
            let mut found = Vec::new();
            let mut buf = String::new();
            for (d, id) in list {
                if self
                    .store
                    .with_activity(id, |a| text_hit(&mut buf, a, &needle))?
                    == Some(true)
                {
                    found.push((d, id));
                }
            }
            return Ok(found);
        }
        // Many candidates: a pass over the activities in id order (sled's order, so each page is
        // read once), in two halves on two threads, beats a lookup per candidate in date order
        // by about ten times.
        let mut ids: Vec<u64> = list.iter().map(|(_, id)| id.0).collect();
        ids.sort_unstable();
        let (low, high) = ids.split_at(ids.len() / 2);
        let store = &self.store;
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| scan_hits(store, high, &needle));
            let mine = scan_hits(store, low, &needle);
            (mine, other.join())
        });
        let mut hits = a?;
        hits.extend(b.unwrap_or_else(|p| std::panic::resume_unwind(p))?);
        list.retain(|(_, id)| hits.binary_search(&id.0).is_ok());
        Ok(list)
    }

    /// [`Service::activities`] for a narrow date range, from the date index.
    pub(super) fn activities_by_date(
        &self,
        q: &ActivityQuery,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Page<Record<Activity>>, StoreError> {
        let filter = ActivityFilter::new(q);
        let end = to.succ_opt().unwrap_or(to);
        let mut matched = Vec::new();
        for k in self
            .store
            .index_range(TreeId::ActivityByDate, &date_key(from), &date_key(end))
        {
            if let Some(r) = self.store.get::<Activity>(id_suffix(&k?))?
                && filter.admits(&ActivityRef::of(&r))
            {
                matched.push(r);
            }
        }
        if q.newest_first {
            matched.reverse();
        }
        let total = matched.len();
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        let items = matched.into_iter().skip(q.offset).take(limit).collect();
        Ok(Page {
            total,
            offset: q.offset,
            items,
        })
    }

    /// [`Request::ActivityScan`]: the activities matching `q` among the next `limit` records
    /// after `after`, in id (storage) order.
    ///
    /// A batch reads at most `limit` records, so a narrow filter gives short batches (continue
    /// after `next` until it is `None`), and a caller can bound how far a batch reads: the export
    /// reads several id ranges in parallel this way, each thread decoding only its own range.
    pub(super) fn activity_scan(
        &self,
        q: &ActivityQuery,
        after: Option<Id>,
        limit: usize,
    ) -> Result<Response, StoreError> {
        let limit = limit.clamp(1, 20_000);
        let total = self.store.count(EntityKind::Activity);
        let Some(start) = after.map_or(Some(0), |a| a.0.checked_add(1)) else {
            return Ok(Response::ActivityBatch {
                items: Vec::new(),
                next: None,
                scanned: 0,
                total,
            });
        };
        let filter = ActivityFilter::new(q);
        let mut items = Vec::with_capacity(limit.min(4096));
        let (mut scanned, mut last) = (0, None);
        let ran_out = self.store.visit_activities(Id(start), None, |a| {
            scanned += 1;
            last = Some(a.meta.id);
            if filter.admits(&a) {
                items.push(a.to_record());
            }
            Ok::<_, StoreError>(if scanned >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
        })?;
        Ok(Response::ActivityBatch {
            next: if ran_out { None } else { last },
            items,
            scanned,
            total,
        })
    }

    /// The activities `q` admits with ids in `[from, below)` (to the end when `below` is `None`),
    /// in id order, each handed to `each` without being copied. This is the in-process export's
    /// path; [`Request::ActivityScan`] reads the same records in batches for a socket client.
    pub fn for_each_activity<E: From<StoreError>>(
        &self,
        q: &ActivityQuery,
        from: u64,
        below: Option<u64>,
        mut each: impl FnMut(&ActivityRef<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let filter = ActivityFilter::new(q);
        self.store.visit_activities(Id(from), below.map(Id), |a| {
            if filter.admits(&a) {
                each(&a)?;
            }
            Ok::<_, E>(ControlFlow::Continue(()))
        })?;
        Ok(())
    }
}

/// Which activities an [`ActivityQuery`] admits (its paging aside).
/// A date range this short is read through the date index when the activity table is not built.
const NARROW_DAYS: i64 = 62;

struct ActivityFilter<'q> {
    q: &'q ActivityQuery,
    /// The folded search text.
    needle: String,
}

impl<'q> ActivityFilter<'q> {
    fn new(q: &'q ActivityQuery) -> Self {
        ActivityFilter {
            q,
            needle: fold(q.text.trim()),
        }
    }

    fn admits(&self, r: &ActivityRef<'_>) -> bool {
        let (q, a) = (self.q, &r.data);
        q.archived.admits(r.meta.archived)
            && q.from.is_none_or(|f| a.date >= f)
            && q.to.is_none_or(|t| a.date <= t)
            && q.partner.is_none_or(|p| a.partners.as_slice().contains(&p))
            && q.kind.is_none_or(|x| a.kind == x)
            && q.status.is_none_or(|x| a.status == x)
            && q.value.is_none_or(|x| a.values.as_slice().contains(&x))
            && (self.needle.is_empty()
                || fold(a.title).contains(&self.needle)
                || fold(a.description).contains(&self.needle))
    }
}

/// Whether an activity's title or description contains `needle` (folded), folding into `buf`.
fn text_hit(buf: &mut String, a: &ActivityRef<'_>, needle: &str) -> bool {
    fold_into(buf, a.data.title);
    if buf.contains(needle) {
        return true;
    }
    fold_into(buf, a.data.description);
    buf.contains(needle)
}

/// The ids among `ids` (sorted) whose activity's text contains `needle`, in id order: one pass
/// over the activity tree from the first id to the last.
fn scan_hits(store: &Store, ids: &[u64], needle: &str) -> Result<Vec<u64>, StoreError> {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return Ok(Vec::new());
    };
    let (mut next, mut hits, mut buf) = (0, Vec::new(), String::new());
    store.visit_activities(
        Id(first),
        last.checked_add(1).map(Id),
        |a| -> Result<ControlFlow<()>, StoreError> {
            let id = a.meta.id.0;
            while next < ids.len() && ids[next] < id {
                next += 1;
            }
            if next == ids.len() {
                return Ok(ControlFlow::Break(()));
            }
            if ids[next] == id && text_hit(&mut buf, &a, needle) {
                hits.push(id);
            }
            Ok(ControlFlow::Continue(()))
        },
    )?;
    Ok(hits)
}
