//! The life cycle in memory: goals and what links to them, kept beside the rest of the model
//! (built on first use, or by the warm-up, and brought up to date by every change), so that the
//! partner detail, the overview and the reports answer without scanning the store per request.
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the in-memory part: goals, goal links and the linked activities' and notes' dates |
//! | [`api`] | the answers' types |
//! | `checks.rs` | the checks of goals and links that need other records |
//! | `partner.rs` | what a partner's save writes with it: goals from goal lines, the phase history |
//! | `governance.rs` | the governed meetings per partner, the rhythms, their compliance |
//! | `phase.rs` | the criteria of each phase, the phase dialog's checklist, the phase change |
//! | `query.rs` | the answers: a partner's life cycle, the link dialog |

pub mod api;
mod checks;
pub mod governance;
mod partner;
pub mod phase;
mod query;

pub(super) use checks::check;

use super::AnyRecord;
use super::activities::Table as ActivityTable;
use super::timeline::NoteTable;
use crate::domain::{
    ActivityStatus, Entity, EntityKind, Goal, GoalLinks, Id, LinkSource, PhaseChange, Record,
    Suitability, goal::lacks_follow_up,
};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// What the follow-up needs of a linked activity or note. (Its title is read from the store
/// when a partner's life cycle lists it: holding every linked title would cost megabytes.)
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub date: NaiveDate,
    pub partners: Box<[Id]>,
    /// Archived, or a cancelled activity: it does not count.
    pub counts: bool,
}

impl Source {
    fn of(rec: &AnyRecord) -> Option<((LinkSource, Id), Source)> {
        match rec {
            AnyRecord::Activity(r) => Some((
                (LinkSource::Activity, r.meta.id),
                Source {
                    date: r.data.date,
                    partners: r.data.partners.as_slice().into(),
                    counts: !r.meta.archived && r.data.status != ActivityStatus::Cancelled,
                },
            )),
            AnyRecord::Note(r) => Some((
                (LinkSource::Note, r.meta.id),
                Source {
                    date: r.data.date,
                    partners: r.data.partners.as_slice().into(),
                    counts: !r.meta.archived,
                },
            )),
            _ => None,
        }
    }
}

/// What a table's `each_of` gives, kept as a source of kind `source`.
fn put_source(
    sources: &mut HashMap<(LinkSource, Id), Source>,
    source: LinkSource,
) -> impl FnMut(Id, NaiveDate, Box<[Id]>, bool) + '_ {
    move |id, date, partners, counts| {
        let s = Source {
            date,
            partners,
            counts,
        };
        sources.insert((source, id), s);
    }
}

/// Goals and links, indexed for the questions the life cycle asks.
#[derive(Default)]
pub(super) struct Lifecycle {
    pub goals: HashMap<Id, Record<Goal>>,
    /// Partner → its goals (archived ones too).
    pub goals_of: HashMap<Id, Vec<Id>>,
    pub links: HashMap<Id, Record<GoalLinks>>,
    /// Source → the links records about it (normally one).
    pub links_of: HashMap<(LinkSource, Id), Vec<Id>>,
    /// Goal → the links records that name it.
    pub links_to: HashMap<Id, Vec<Id>>,
    /// The linked activities and notes.
    pub sources: HashMap<(LinkSource, Id), Source>,
    /// Phase changes per partner (archived ones too), oldest first.
    pub phases: PerPartner<PhaseChange>,
    /// Suitability assessments per partner (archived ones too), oldest first.
    pub suitability: PerPartner<Suitability>,
    /// Evaluations per partner (archived ones too), by the end of their period.
    pub evaluations: PerPartner<crate::domain::Evaluation>,
}

/// Records of one kind per partner, in (date, id) order as their `order` key gives it.
pub(super) struct PerPartner<T> {
    lists: HashMap<Id, Vec<Record<T>>>,
    /// Record id → its partner (a record's partner may change in an edit).
    partner_of: HashMap<Id, Id>,
}

impl<T> Default for PerPartner<T> {
    fn default() -> Self {
        PerPartner {
            lists: HashMap::new(),
            partner_of: HashMap::new(),
        }
    }
}

impl<T: Entity + Dated> PerPartner<T> {
    pub fn put(&mut self, r: Record<T>) {
        self.remove(r.meta.id);
        let Some(p) = r.data.partner_ids().first().copied() else {
            return;
        };
        self.partner_of.insert(r.meta.id, p);
        let list = self.lists.entry(p).or_default();
        let key = (r.data.date(), r.meta.id);
        let at = list.partition_point(|x| (x.data.date(), x.meta.id) < key);
        list.insert(at, r);
    }
    pub fn remove(&mut self, id: Id) {
        if let Some(p) = self.partner_of.remove(&id)
            && let Some(list) = self.lists.get_mut(&p)
        {
            list.retain(|x| x.meta.id != id);
        }
    }
    /// A partner's records, oldest first (archived ones too).
    pub fn of(&self, partner: Id) -> &[Record<T>] {
        self.lists.get(&partner).map(Vec::as_slice).unwrap_or(&[])
    }
    /// A partner's records that are not archived, oldest first.
    pub fn live(&self, partner: Id) -> impl DoubleEndedIterator<Item = &Record<T>> {
        self.of(partner).iter().filter(|r| !r.meta.archived)
    }
}

/// Records kept in date order per partner.
pub(super) trait Dated {
    fn date(&self) -> NaiveDate;
}

impl Dated for PhaseChange {
    fn date(&self) -> NaiveDate {
        self.date
    }
}

impl Dated for crate::domain::Evaluation {
    fn date(&self) -> NaiveDate {
        self.end
    }
}

impl Dated for Suitability {
    fn date(&self) -> NaiveDate {
        self.date
    }
}

impl Lifecycle {
    /// Read the life-cycle records from the store: sequential scans, without the model (so
    /// without its lock). The linked activities' and notes' facts come after, from the model's
    /// tables ([`Lifecycle::link_sources`]).
    pub fn read(store: &Store) -> Result<Lifecycle, StoreError> {
        let mut l = Lifecycle::default();
        for g in store.scan::<Goal>() {
            l.put_goal(g?);
        }
        for r in store.scan::<GoalLinks>() {
            l.put_links(r?);
        }
        for r in store.scan::<PhaseChange>() {
            l.phases.put(r?);
        }
        for r in store.scan::<Suitability>() {
            l.suitability.put(r?);
        }
        for r in store.scan::<crate::domain::Evaluation>() {
            l.evaluations.put(r?);
        }
        Ok(l)
    }

    /// Fill in the date, partners and standing of every linked activity and note, from the
    /// model's tables: one pass over each instead of a store read per link.
    pub fn link_sources(&mut self, activities: &ActivityTable, notes: &NoteTable) {
        let mut wanted: [HashSet<Id>; 2] = Default::default();
        for (source, id) in self.links_of.keys() {
            wanted[usize::from(*source == LinkSource::Note)].insert(*id);
        }
        self.sources.reserve(self.links_of.len());
        activities.each_of(
            &wanted[0],
            put_source(&mut self.sources, LinkSource::Activity),
        );
        notes.each_of(&wanted[1], put_source(&mut self.sources, LinkSource::Note));
    }

    fn put_goal(&mut self, g: Record<Goal>) {
        let ids = self.goals_of.entry(g.data.partner).or_default();
        if !ids.contains(&g.meta.id) {
            ids.push(g.meta.id);
        }
        self.goals.insert(g.meta.id, g);
    }

    fn remove_goal(&mut self, id: Id) {
        if let Some(old) = self.goals.remove(&id)
            && let Some(ids) = self.goals_of.get_mut(&old.data.partner)
        {
            ids.retain(|g| *g != id);
        }
    }

    /// Index a links record; its source's facts come from [`Lifecycle::link_sources`] or
    /// [`Lifecycle::fetch_source`].
    fn put_links(&mut self, r: Record<GoalLinks>) -> (LinkSource, Id) {
        let key = (r.data.source, r.data.source_id);
        let ids = self.links_of.entry(key).or_default();
        if !ids.contains(&r.meta.id) {
            ids.push(r.meta.id);
        }
        for g in &r.data.goals {
            let ids = self.links_to.entry(*g).or_default();
            if !ids.contains(&r.meta.id) {
                ids.push(r.meta.id);
            }
        }
        self.links.insert(r.meta.id, r);
        key
    }

    /// Read one linked activity's or note's facts from the store, unless they are known.
    fn fetch_source(&mut self, store: &Store, key: (LinkSource, Id)) -> Result<(), StoreError> {
        if self.sources.contains_key(&key) {
            return Ok(());
        }
        let rec = match key.0 {
            LinkSource::Activity => store
                .get::<crate::domain::Activity>(key.1)?
                .map(AnyRecord::Activity),
            LinkSource::Note => store
                .get::<crate::domain::Note>(key.1)?
                .map(AnyRecord::Note),
        };
        if let Some((k, s)) = rec.as_ref().and_then(Source::of) {
            self.sources.insert(k, s);
        }
        Ok(())
    }

    fn remove_links(&mut self, id: Id) {
        if let Some(old) = self.links.remove(&id) {
            for g in &old.data.goals {
                if let Some(ids) = self.links_to.get_mut(g) {
                    ids.retain(|l| *l != id);
                    if ids.is_empty() {
                        self.links_to.remove(g);
                    }
                }
            }
            let key = (old.data.source, old.data.source_id);
            if let Some(ids) = self.links_of.get_mut(&key) {
                ids.retain(|l| *l != id);
                if ids.is_empty() {
                    self.links_of.remove(&key);
                    self.sources.remove(&key);
                }
            }
        }
    }

    /// Bring the life cycle up to date after a change to record `id` of `kind` (`written` is the
    /// record as written, None after a purge).
    pub fn apply(
        &mut self,
        store: &Store,
        kind: EntityKind,
        id: Id,
        written: Option<&AnyRecord>,
    ) -> Result<(), StoreError> {
        match (kind, written) {
            (EntityKind::Goal, Some(AnyRecord::Goal(g))) => {
                self.remove_goal(id);
                self.put_goal(g.clone());
            }
            (EntityKind::Goal, _) => self.remove_goal(id),
            (EntityKind::GoalLinks, Some(AnyRecord::GoalLinks(r))) => {
                self.remove_links(id);
                let key = self.put_links(r.clone());
                self.fetch_source(store, key)?;
            }
            (EntityKind::GoalLinks, _) => self.remove_links(id),
            (EntityKind::PhaseChange, Some(AnyRecord::PhaseChange(r))) => {
                self.phases.put(r.clone())
            }
            (EntityKind::PhaseChange, _) => self.phases.remove(id),
            (EntityKind::Suitability, Some(AnyRecord::Suitability(r))) => {
                self.suitability.put(r.clone())
            }
            (EntityKind::Suitability, _) => self.suitability.remove(id),
            (EntityKind::Evaluation, Some(AnyRecord::Evaluation(r))) => {
                self.evaluations.put(r.clone())
            }
            (EntityKind::Evaluation, _) => self.evaluations.remove(id),
            (EntityKind::Activity | EntityKind::Note, rec) => {
                let source = match kind {
                    EntityKind::Activity => LinkSource::Activity,
                    _ => LinkSource::Note,
                };
                if self.links_of.contains_key(&(source, id)) {
                    match rec.and_then(Source::of) {
                        Some((k, s)) => {
                            self.sources.insert(k, s);
                        }
                        None => {
                            self.sources.remove(&(source, id));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The goals a source's links records name.
    pub fn goals_of_source(&self, key: (LinkSource, Id)) -> Vec<Id> {
        let mut out: Vec<Id> = self
            .links_of
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|l| self.links.get(l))
            .filter(|l| !l.meta.archived)
            .flat_map(|l| l.data.goals.iter().copied())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every linked activity and note that counts for goal `goal` (of partner `partner`): not
    /// archived, not cancelled, involving the goal's partner. Unsorted.
    pub fn linked_to(&self, goal: Id, partner: Id) -> Vec<((LinkSource, Id), &Source)> {
        let mut out = Vec::new();
        let links = self.links_to.get(&goal).into_iter().flatten();
        for l in links.filter_map(|id| self.links.get(id)) {
            if l.meta.archived {
                continue;
            }
            let key = (l.data.source, l.data.source_id);
            if let Some(s) = self.sources.get(&key)
                && s.counts
                && s.partners.contains(&partner)
                && !out.iter().any(|(k, _)| *k == key)
            {
                out.push((key, s));
            }
        }
        out
    }

    /// The latest linked activity or note of a goal up to `today`, and whether the goal lacks
    /// follow-up.
    pub fn follow_up(&self, g: &Record<Goal>, today: NaiveDate) -> (Option<NaiveDate>, bool) {
        let last = self
            .linked_to(g.meta.id, g.data.partner)
            .into_iter()
            .map(|(_, s)| s.date)
            .filter(|d| *d <= today)
            .max();
        (last, lacks_follow_up(g.data.status, last, today))
    }

    /// The latest linked activity or note up to `today` of every goal that has one, as
    /// [`Lifecycle::follow_up`] gives it goal by goal, in one pass over the links.
    pub fn last_follow_ups(&self, today: NaiveDate) -> HashMap<Id, NaiveDate> {
        let mut last: HashMap<Id, NaiveDate> = HashMap::with_capacity(self.goals.len());
        for l in self.links.values().filter(|l| !l.meta.archived) {
            let Some(s) = self.sources.get(&(l.data.source, l.data.source_id)) else {
                continue;
            };
            if !s.counts || s.date > today {
                continue;
            }
            for g in &l.data.goals {
                let Some(goal) = self.goals.get(g) else {
                    continue;
                };
                if s.partners.contains(&goal.data.partner) {
                    let e = last.entry(*g).or_insert(s.date);
                    *e = (*e).max(s.date);
                }
            }
        }
        last
    }

    /// The end dates of a partner's evaluations that are not archived, oldest first.
    pub fn evaluation_dates(&self, partner: Id) -> impl DoubleEndedIterator<Item = NaiveDate> + '_ {
        self.evaluations.live(partner).map(|e| e.data.end)
    }

    /// The partner's own view on each value: its score in the latest evaluation that gives one,
    /// with the score of the evaluation before that gives one, for the trend.
    pub fn partner_view(&self, partner: Id) -> super::Theirs {
        let mut out: super::Theirs = [None; 6];
        for (i, slot) in out.iter_mut().enumerate() {
            let mut given = self
                .evaluations
                .live(partner)
                .rev()
                .filter_map(|e| Some((e.data.values.get(i)?.partner?, e.data.end)));
            if let Some((score, date)) = given.next() {
                *slot = Some(super::TheirCell {
                    score,
                    date,
                    previous: given.next().map(|(s, _)| s),
                });
            }
        }
        out
    }

    /// The partner's goals that are not archived.
    pub fn live_goals(&self, partner: Id) -> impl Iterator<Item = &Record<Goal>> {
        self.goals_of
            .get(&partner)
            .into_iter()
            .flatten()
            .filter_map(|id| self.goals.get(id))
            .filter(|g| !g.meta.archived)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::Lifecycle;
    use crate::domain::{AddedValue, Goal, GoalStatus, Id, Meta, Record};
    use crate::service::{Identity, PartnerQuery, Request, Response, Role, Service};

    fn admin() -> Identity {
        Identity {
            user: "anna.lind".into(),
            role: Role::Admin,
        }
    }

    /// A service on a workspace with the demo data, and the admin who loaded it.
    fn demo() -> (tempfile::TempDir, Service, Identity) {
        let tmp = tempfile::tempdir().unwrap();
        let s = Service::open(tmp.path()).unwrap();
        let who = admin();
        assert!(matches!(
            s.handle(&who, Request::LoadDemo),
            Response::DemoLoaded(_)
        ));
        (tmp, s, who)
    }

    /// The overview reads the life cycle's records without the model lock; a goal imported
    /// meanwhile must still be in the life cycle it installs.
    #[test]
    fn a_goal_imported_while_the_records_are_read_unlocked_is_kept() {
        let (tmp, s, who) = demo();
        let Response::Partners(page) = s.handle(&who, Request::Partners(PartnerQuery::default()))
        else {
            panic!("no partners")
        };
        let partner: Id = page.items[0].id;
        // Reopened, the model has no life cycle yet.
        drop(s);
        let s = Service::open(tmp.path()).unwrap();
        assert!(!super::super::lock(&s.model).has_life());
        let epoch = super::super::lock(&s.model).life_epoch();
        let read = Lifecycle::read(&s.store).unwrap();
        let goal = Goal {
            partner,
            text: "Saved during the read".into(),
            values: vec![AddedValue::Impact],
            indicator: String::new(),
            target: String::new(),
            deadline: None,
            status: GoalStatus::Open,
            owner: "anna.lind".into(),
        };
        // Written as an import writes its rows, which reaches the model without a save's checks
        // (a save's checks build the life cycle under the lock, and then nothing is at stake).
        let id = s.store.new_id().unwrap();
        let now = crate::domain::Timestamp::now();
        let rec = Record {
            meta: Meta::first(id, &who.user, now),
            data: goal,
        };
        s.store
            .insert_bulk(&who.user, std::slice::from_ref(&rec))
            .unwrap();
        let today = s.today();
        super::super::lock(&s.model)
            .apply::<Goal>(&s.store, id, Some(&rec), today)
            .unwrap();
        assert!(
            !read.goals.contains_key(&id),
            "the read came before the save"
        );
        let mut m = super::super::lock(&s.model);
        m.install_life(&s.store, read, epoch).unwrap();
        assert!(m.life(&s.store).unwrap().goals.contains_key(&id));
    }

    /// The overview's one pass gives every goal the follow-up that goal by goal gives.
    #[test]
    fn every_goals_last_follow_up_in_one_pass_is_the_one_goal_by_goal() {
        let (_tmp, s, _) = demo();
        let today = s.today();
        let mut m = super::super::lock(&s.model);
        let life = m.life(&s.store).unwrap();
        let all = life.last_follow_ups(today);
        let mut followed = 0;
        for g in life.goals.values() {
            let one = life.follow_up(g, today).0;
            assert_eq!(all.get(&g.meta.id).copied(), one, "goal {}", g.meta.id);
            followed += usize::from(one.is_some());
        }
        assert!(followed > 0 && followed < life.goals.len(), "{followed}");
    }

    /// Records read for a model that is then replaced (here by the demo data) are read again
    /// for its successor, not installed into it.
    #[test]
    fn records_read_for_a_replaced_model_are_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Service::open(tmp.path()).unwrap();
        let epoch = super::super::lock(&s.model).life_epoch();
        let read = Lifecycle::read(&s.store).unwrap();
        assert!(read.goals.is_empty());
        let who = admin();
        assert!(matches!(
            s.handle(&who, Request::LoadDemo),
            Response::DemoLoaded(_)
        ));
        let mut m = super::super::lock(&s.model);
        assert!(!m.has_life());
        m.install_life(&s.store, read, epoch).unwrap();
        assert!(!m.life(&s.store).unwrap().goals.is_empty());
    }
}
