//! Each partner's latest scores: read from the assessment index one partner at a time, or for
//! every partner in one pass over the assessments, and cached in the model.

use super::Model;
use crate::domain::{AddedValue, EntityKind, Enumerated, Id};
use crate::service::api::{Cell, Scores};
use crate::store::{Store, StoreError, TreeId};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

impl Model {
    /// Latest scores of one partner, from the cache or the assessment index.
    pub fn scores(&mut self, store: &Store, partner: Id) -> Result<Scores, StoreError> {
        if let Some(s) = self.scores.get(&partner) {
            return Ok(*s);
        }
        let s = read_scores(store, partner, &self.archived)?;
        self.scores.insert(partner, s);
        Ok(s)
    }

    /// Make sure every partner's scores are cached (for sorting by value and the matrix means).
    pub fn ensure_all_scores(&mut self, store: &Store) -> Result<(), StoreError> {
        if self.scores_complete {
            return Ok(());
        }
        let latest = scan(store)?;
        self.install_scores(latest);
        Ok(())
    }

    /// Whether every partner's scores are cached.
    pub fn all_scores_cached(&self) -> bool {
        self.scores_complete
    }

    /// Counts the changes to assessments (a [`scan`] made while it moved may be stale).
    pub fn assessment_epoch(&self) -> u64 {
        self.assessment_epoch
    }

    /// Cache the scores of every partner not cached yet from `latest`, a [`scan`] of the
    /// assessments that describes the store as it is (no assessment changed since it began).
    pub fn install_scores(&mut self, latest: Latest) {
        for pid in self.partners.keys() {
            if self.scores.contains_key(pid) {
                continue;
            }
            let mut s: Scores = [None; 6];
            if let Some(cells) = latest.get(pid) {
                for (v, top) in cells.iter().enumerate() {
                    s[v] = top[0].map(|(date, id, score, target)| Cell {
                        score,
                        target,
                        date,
                        previous: top[1].map(|p| p.2),
                        assessment: id,
                    });
                }
            }
            self.scores.insert(*pid, s);
        }
        self.scores_complete = true;
    }
}

/// One assessment: its date, id, score and target.
type Scored = (NaiveDate, Id, u8, Option<u8>);

/// Per partner and value, the latest two assessments by (date, id).
pub type Latest = HashMap<Id, [[Option<Scored>; 2]; 6]>;

/// One sequential pass over the assessments (much cheaper than a lookup per cell): per partner
/// and value, the latest two by (date, id). Needs no model, so the warm-up runs it without
/// holding the model's lock.
pub fn scan(store: &Store) -> Result<Latest, StoreError> {
    let mut per: Latest = HashMap::new();
    for r in store.scan::<crate::domain::Assessment>() {
        let r = r?;
        let a = &r.data;
        if r.meta.archived {
            continue;
        }
        let slot = &mut per.entry(a.partner).or_default()[a.value.index()];
        let entry = (a.date, r.meta.id, a.score, a.target);
        let key = |e: &Scored| (e.0, e.1);
        match slot[0] {
            Some(latest) if key(&latest) > key(&entry) => {
                if slot[1].is_none_or(|prev| key(&prev) < key(&entry)) {
                    slot[1] = Some(entry);
                }
            }
            _ => {
                slot[1] = slot[0];
                slot[0] = Some(entry);
            }
        }
    }
    Ok(per)
}

/// The latest and previous assessment among `ids` (in index order: oldest first).
fn cell_from(store: &Store, ids: &[Id]) -> Result<Option<Cell>, StoreError> {
    let Some(last) = ids.last() else {
        return Ok(None);
    };
    let Some(a) = store.get::<crate::domain::Assessment>(*last)? else {
        return Ok(None);
    };
    let previous = match ids.len().checked_sub(2).map(|i| ids[i]) {
        Some(p) => store
            .get::<crate::domain::Assessment>(p)?
            .map(|r| r.data.score),
        None => None,
    };
    Ok(Some(Cell {
        score: a.data.score,
        target: a.data.target,
        date: a.data.date,
        previous,
        assessment: a.meta.id,
    }))
}

pub(super) fn read_scores(
    store: &Store,
    partner: Id,
    archived: &HashSet<(EntityKind, Id)>,
) -> Result<Scores, StoreError> {
    let mut lists: [Vec<Id>; 6] = Default::default();
    for k in store.index_prefix(TreeId::AssessmentByPartnerValue, &partner.to_be_bytes()) {
        let k = k?;
        if k.len() != 21 {
            continue;
        }
        let aid = crate::store::id_suffix(&k);
        if !archived.contains(&(EntityKind::Assessment, aid)) {
            lists[usize::from(k[8]).min(AddedValue::ALL.len() - 1)].push(aid);
        }
    }
    let mut s: Scores = [None; 6];
    for (v, ids) in lists.iter().enumerate() {
        s[v] = cell_from(store, ids)?;
    }
    Ok(s)
}
