//! The in-memory model the service answers from, kept up to date by every change.

use super::Kind;
use super::api::{ActionRow, AnyRecord, Renewal, Scores};
use crate::domain::{Agreement, AgreementStatus, EntityKind, Id, Partner, Record, text::fold};
use crate::i18n::{Lang, collate};
use crate::store::{Store, StoreError, TreeId, kind_of_byte};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

mod actions;
pub(super) mod scores;
pub(super) use actions::all_actions;
use actions::push_actions;
use scores::read_scores;

/// A partner with its precomputed search text.
pub(super) struct PartnerEntry {
    pub rec: Record<Partner>,
    /// Folded name, short name, city and tags.
    pub search: String,
}

impl PartnerEntry {
    pub fn new(rec: Record<Partner>) -> Self {
        let p = &rec.data;
        // Folded name, short name, city and tags, separated so that no match spans two fields.
        let mut search = fold(&p.name);
        for part in [p.short_name.as_deref().unwrap_or(""), p.city.as_str()]
            .into_iter()
            .chain(p.tags.iter().map(String::as_str))
        {
            search.push('\u{1f}');
            search.push_str(&fold(part));
        }
        PartnerEntry { rec, search }
    }
}

/// What a checkpoint on disk holds: the audit count it was taken at, the name orders, and
/// which of the activity table, the open action items and the notes' table it has.
#[derive(Debug, PartialEq)]
struct Held {
    seq: u64,
    langs: Vec<Lang>,
    activities: bool,
    actions: bool,
    notes: bool,
}

pub(super) struct Model {
    pub partners: HashMap<Id, PartnerEntry>,
    /// Agreements per partner (archived ones included).
    pub agreements: HashMap<Id, Vec<Record<Agreement>>>,
    /// Archived records of every kind.
    pub archived: HashSet<(EntityKind, Id)>,
    /// Partner ids sorted by name, per language (built on demand).
    sorted: HashMap<Lang, Vec<Id>>,
    /// Partners by folded name and country (built on demand, dropped when a partner changes).
    names: Option<HashMap<(String, String), Vec<Id>>>,
    /// The partner ids of the last partner query (offset and limit aside) as of a day, until
    /// anything changes: paging through a long list reads a window at a time, and each window
    /// would otherwise filter and sort every partner again.
    pub ids_memo: Option<(super::api::PartnerQuery, NaiveDate, Vec<Id>)>,
    /// Latest scores per partner (filled on demand).
    scores: HashMap<Id, Scores>,
    scores_complete: bool,
    /// Counts the changes to assessments (see [`Model::assessment_epoch`]).
    assessment_epoch: u64,
    /// Every open action item (built on demand). Done items are not held: they are most of a
    /// long-lived workspace's items, and only a list that asks for them shows them (it reads the
    /// notes: [`all_actions`]).
    actions: Option<Vec<ActionRow>>,
    /// Every activity's filterable fields (built on demand).
    activities: Option<super::activities::Table>,
    /// Activities changed while the table was not built (replayed by [`Model::install_activities`]).
    activity_changes: Vec<Id>,
    /// Every meeting note's date, partners and archived flag (built on demand).
    notes: Option<super::timeline::NoteTable>,
    /// What the checkpoint on disk that matches this model holds, if any (see
    /// [`super::checkpoint`]).
    checkpoint: Option<Held>,
    /// The day the open action items' `overdue` flags were worked out for.
    actions_day: Option<NaiveDate>,
    /// Goals, links, phases, governance and evaluations (built on demand).
    life: Option<super::lifecycle::Lifecycle>,
    /// Counts the changes to the life cycle's own records, so that one read without the model
    /// lock is installed only if nothing changed meanwhile ([`Model::install_life`]).
    life_epoch: u64,
    /// Governed meetings and rhythms (built on demand, for the Partners pane's marks too).
    gov: Option<super::lifecycle::governance::Gov>,
}

/// Where a new model's [`Model::life_epoch`] starts: apart from every earlier model's, so that
/// life-cycle records read for a model that was then replaced (after a repair, the demo data or
/// a recovery) are never installed into its successor.
fn first_life_epoch() -> u64 {
    static MODELS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    MODELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) << 32
}

impl Model {
    /// The model from a checkpoint that [`super::checkpoint::matches`] the store.
    pub fn from_checkpoint(store: &Store, parts: super::checkpoint::Parts) -> Model {
        let mut langs: Vec<Lang> = parts.sorted.keys().copied().collect();
        langs.sort_by_key(|l| l.key());
        let held = Held {
            seq: super::checkpoint::current_seq(store),
            langs,
            activities: parts.activities.is_some(),
            actions: parts.actions.is_some(),
            notes: parts.notes.is_some(),
        };
        Model {
            partners: parts.partners,
            agreements: parts.agreements,
            archived: parts.archived,
            sorted: parts.sorted,
            names: None,
            ids_memo: None,
            scores: HashMap::new(),
            scores_complete: false,
            assessment_epoch: 0,
            actions: parts.actions,
            activities: parts.activities,
            activity_changes: Vec::new(),
            notes: parts.notes,
            checkpoint: Some(held),
            actions_day: None,
            life: None,
            life_epoch: first_life_epoch(),
            gov: None,
        }
    }

    /// The languages this model has a name order for (the ones the UI has shown), in key order.
    pub fn langs(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self.sorted.keys().copied().collect();
        langs.sort_by_key(|l| l.key());
        langs
    }

    /// Whether this model came from a checkpoint (and nothing changed since).
    pub fn checkpointed(&self) -> bool {
        self.checkpoint.is_some()
    }

    /// The model from the records (partners, agreements and archived ids).
    pub fn load(store: &Store) -> Result<Model, StoreError> {
        // Partners in two halves on two threads, agreements and archived ids on this one.
        let mid = store
            .id_bounds(EntityKind::Partner)?
            .map(|(a, b)| Id(a.0 + (b.0 - a.0) / 2));
        let load_partners = |from: Id, to: Option<Id>| -> Result<Vec<PartnerEntry>, StoreError> {
            store
                .scan_range::<Partner>(from, to)
                .map(|r| r.map(PartnerEntry::new))
                .collect()
        };
        let (partners, rest) = std::thread::scope(|s| {
            let first = s.spawn(move || load_partners(Id(0), mid));
            let second = s.spawn(move || match mid {
                Some(m) => load_partners(m, None),
                None => Ok(Vec::new()),
            });
            let rest = (|| -> Result<_, StoreError> {
                let mut agreements: HashMap<Id, Vec<Record<Agreement>>> = HashMap::new();
                for r in store.scan::<Agreement>() {
                    let r = r?;
                    agreements.entry(r.data.partner).or_default().push(r);
                }
                let mut archived = HashSet::new();
                for k in store.index_prefix(TreeId::Archived, &[]) {
                    let k = k?;
                    if let Some(kind) = k.first().copied().and_then(kind_of_byte) {
                        archived.insert((kind, crate::store::id_suffix(&k)));
                    }
                }
                Ok((agreements, archived))
            })();
            let join =
                |h: std::thread::ScopedJoinHandle<'_, Result<Vec<PartnerEntry>, StoreError>>| {
                    h.join().unwrap_or_else(|_| {
                        Err(StoreError::Invalid("loading partners panicked".into()))
                    })
                };
            let partners = join(first).and_then(|mut a| {
                a.extend(join(second)?);
                Ok(a.into_iter()
                    .map(|e| (e.rec.meta.id, e))
                    .collect::<HashMap<Id, PartnerEntry>>())
            });
            (partners, rest)
        });
        let partners = partners?;
        let (agreements, archived) = rest?;
        Ok(Model {
            partners,
            agreements,
            archived,
            sorted: HashMap::new(),
            names: None,
            ids_memo: None,
            scores: HashMap::new(),
            scores_complete: false,
            assessment_epoch: 0,
            actions: None,
            activities: None,
            activity_changes: Vec::new(),
            notes: None,
            checkpoint: None,
            actions_day: None,
            life: None,
            life_epoch: first_life_epoch(),
            gov: None,
        })
    }

    /// Write a checkpoint of this model unless the one on disk already matches it. The model must
    /// describe the store as it is (no write in progress).
    pub fn write_checkpoint(&mut self, store: &Store) {
        let mut langs: Vec<Lang> = self.sorted.keys().copied().collect();
        langs.sort_by_key(|l| l.key());
        let now = Held {
            seq: super::checkpoint::current_seq(store),
            langs,
            activities: self.activities.is_some(),
            actions: self.actions.is_some(),
            notes: self.notes.is_some(),
        };
        if self.checkpoint.as_ref() == Some(&now) {
            return;
        }
        let tables = super::checkpoint::Tables {
            activities: self.activities.as_ref(),
            actions: self.actions.as_deref(),
            notes: self.notes.as_ref(),
        };
        match super::checkpoint::write(
            store,
            &self.partners,
            &self.agreements,
            &self.archived,
            &self.sorted,
            tables,
        ) {
            Ok(_) => self.checkpoint = Some(now),
            Err(e) => tracing::warn!(error = %e, "could not write the model checkpoint"),
        }
    }

    /// The life cycle, built on first use.
    pub fn life(&mut self, store: &Store) -> Result<&mut super::lifecycle::Lifecycle, StoreError> {
        if self.life.is_none() {
            let read = super::lifecycle::Lifecycle::read(store)?;
            self.install_life(store, read, self.life_epoch)?;
        }
        match &mut self.life {
            Some(l) => Ok(l),
            None => Err(StoreError::Invalid("the life cycle did not load".into())),
        }
    }

    /// Whether the life cycle is built.
    pub fn has_life(&self) -> bool {
        self.life.is_some()
    }

    /// See [`Model::install_life`].
    pub fn life_epoch(&self) -> u64 {
        self.life_epoch
    }

    /// Install the life-cycle records `read` from the store when the epoch was `epoch` (read
    /// without the model lock; if one of its records changed since, it is read again here),
    /// and fill in the linked activities and notes from the model's tables.
    pub fn install_life(
        &mut self,
        store: &Store,
        read: super::lifecycle::Lifecycle,
        epoch: u64,
    ) -> Result<(), StoreError> {
        if self.life.is_some() {
            return Ok(());
        }
        let mut life = if epoch == self.life_epoch {
            read
        } else {
            drop(read);
            super::lifecycle::Lifecycle::read(store)?
        };
        self.activities(store)?;
        self.notes(store)?;
        if let (Some(a), Some(n)) = (&self.activities, &self.notes) {
            life.link_sources(a, n);
        }
        self.life = Some(life);
        Ok(())
    }

    /// The governance mark of partner `id` as of `today` (builds the life cycle on first use).
    pub fn governance_mark(
        &mut self,
        store: &Store,
        id: Id,
        today: NaiveDate,
    ) -> Result<super::GovernanceMark, StoreError> {
        self.gov(store)?;
        let (Some(gov), Some(e)) = (self.gov.as_ref(), self.partners.get(&id)) else {
            return Ok(super::GovernanceMark::NotGoverned);
        };
        let p = &e.rec.data;
        Ok(gov.governance_mark(id, (p.tier, p.phase), today))
    }

    /// The governed meetings and rhythms, built on first use.
    pub fn gov(
        &mut self,
        store: &Store,
    ) -> Result<&mut super::lifecycle::governance::Gov, StoreError> {
        if self.gov.is_none() {
            self.gov = Some(super::lifecycle::governance::Gov::load(
                store,
                &self.archived,
            )?);
        }
        match &mut self.gov {
            Some(g) => Ok(g),
            None => Err(StoreError::Invalid("the governance did not load".into())),
        }
    }

    /// Whether the activity table is built.
    pub fn has_activities(&self) -> bool {
        self.activities.is_some()
    }

    /// The activity table, if it is built.
    pub fn activity_table(&self) -> Option<&super::activities::Table> {
        self.activities.as_ref()
    }

    /// Install a table built without the model lock, replaying the changes made meanwhile.
    pub fn install_activities(
        &mut self,
        store: &Store,
        mut table: super::activities::Table,
    ) -> Result<(), StoreError> {
        if self.activities.is_some() {
            return Ok(());
        }
        for id in std::mem::take(&mut self.activity_changes) {
            table.update(id, store.get::<crate::domain::Activity>(id)?.as_ref());
        }
        self.activities = Some(table);
        Ok(())
    }

    /// The activity table, built on first use.
    pub fn activities(&mut self, store: &Store) -> Result<&super::activities::Table, StoreError> {
        if self.activities.is_none() {
            self.activity_changes.clear();
            self.activities = Some(super::activities::Table::load(store)?);
        }
        match &self.activities {
            Some(t) => Ok(t),
            None => Err(StoreError::Invalid(
                "the activity table did not load".into(),
            )),
        }
    }

    /// The note table, built on first use.
    pub fn notes(&mut self, store: &Store) -> Result<&super::timeline::NoteTable, StoreError> {
        if self.notes.is_none() {
            self.notes = Some(super::timeline::NoteTable::load(store, &self.archived)?);
        }
        match &self.notes {
            Some(t) => Ok(t),
            None => Err(StoreError::Invalid("the note table did not load".into())),
        }
    }

    pub fn is_active_partner(&self, id: Id) -> bool {
        self.partners.get(&id).is_some_and(|p| !p.rec.meta.archived)
    }

    /// A partner (not archived, not `own`) with the same name and country. Names are compared
    /// after cleaning (so invisible characters cannot make a look-alike) and folding.
    pub fn duplicate_of(&mut self, p: &Partner, own: Option<Id>) -> Option<Id> {
        let name = fold(&crate::domain::text::clean_line(&p.name));
        self.names()
            .get(&(name, p.country.clone()))?
            .iter()
            .copied()
            .find(|id| Some(*id) != own)
    }

    /// A partner (not archived) whose folded name is `folded` in `country`.
    pub fn named(&mut self, folded: &str, country: &str) -> Option<Id> {
        self.names()
            .get(&(folded.to_string(), country.to_string()))?
            .first()
            .copied()
    }

    /// Partners that are not archived by folded name and country, built on first use after a
    /// partner changed.
    fn names(&mut self) -> &HashMap<(String, String), Vec<Id>> {
        let partners = &self.partners;
        self.names.get_or_insert_with(|| {
            let mut m: HashMap<(String, String), Vec<Id>> = HashMap::new();
            for e in partners.values().filter(|e| !e.rec.meta.archived) {
                m.entry((fold(&e.rec.data.name), e.rec.data.country.clone()))
                    .or_default()
                    .push(e.rec.meta.id);
            }
            for ids in m.values_mut() {
                ids.sort();
            }
            m
        })
    }

    /// Every partner id in name order for `lang`.
    pub fn sorted(&mut self, lang: Lang) -> &[Id] {
        let partners = &self.partners;
        self.sorted.entry(lang).or_insert_with(|| {
            let mut v: Vec<(Vec<u8>, &str, Id)> = partners
                .values()
                .map(|e| {
                    let name = e.rec.data.name.as_str();
                    (collate::sort_key(lang, name), name, e.rec.meta.id)
                })
                .collect();
            // Collation order, then the exact text and the id, so the order is total and stable.
            v.sort_unstable();
            v.into_iter().map(|(_, _, id)| id).collect()
        })
    }

    /// The latest end date among a partner's agreements that are not archived.
    pub fn agreement_end(&self, partner: Id) -> Option<NaiveDate> {
        self.agreements
            .get(&partner)?
            .iter()
            .filter(|a| !a.meta.archived)
            .filter_map(|a| a.data.end)
            .max()
    }

    /// Whether the partner's current agreement needs renewal work or has run out.
    pub fn renewal(&self, partner: Id, today: NaiveDate) -> Renewal {
        match self.current_agreement(partner) {
            Some(a) => {
                let end = a.data.end.unwrap_or(today);
                // An agreement past its end is reported even when its renewal was signed: the
                // renewed agreement is still to be entered. Inside the lead time a counted
                // signature ends the renewal work.
                let signed = super::answers::counted_signature(&a.data, today).is_some();
                if end < today {
                    Renewal::Expired { end }
                } else if !signed && a.data.renewal_due().is_some_and(|due| today >= due) {
                    Renewal::Due { end }
                } else {
                    Renewal::None
                }
            }
            None => Renewal::None,
        }
    }

    /// The partner's active agreement (not archived) with the latest end: the one whose renewal
    /// counts.
    pub fn current_agreement(&self, partner: Id) -> Option<&Record<Agreement>> {
        self.agreements
            .get(&partner)?
            .iter()
            .filter(|a| !a.meta.archived && a.data.status == AgreementStatus::Active)
            .filter(|a| a.data.end.is_some())
            .max_by_key(|a| a.data.end)
    }

    /// The renewal checklist of the partner's current agreement from the start of its lead
    /// time on (None before, or without an agreement that ends). Needs the life cycle loaded.
    pub fn renewal_checklist(
        &self,
        partner: Id,
        today: NaiveDate,
    ) -> Option<super::RenewalChecklist> {
        let a = self.current_agreement(partner)?;
        if a.data.renewal_due().is_none_or(|due| today < due) {
            return None;
        }
        let latest = self
            .life
            .as_ref()
            .and_then(|l| l.evaluations.live(partner).next_back());
        Some(super::RenewalChecklist::of(a, latest, today))
    }

    /// Bring the model up to date after a change to record `id` of kind `T` (`current` is None
    /// after a purge).
    pub fn apply<T: Kind>(
        &mut self,
        store: &Store,
        id: Id,
        current: Option<&Record<T>>,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        self.ids_memo = None;
        let archived = current.is_some_and(|r| r.meta.archived);
        if archived {
            self.archived.insert((T::KIND, id));
        } else {
            self.archived.remove(&(T::KIND, id));
        }
        // The record as written (None after a purge), without reading it back from the store.
        let written = current.cloned().map(T::into_any);
        if matches!(
            T::KIND,
            EntityKind::Goal
                | EntityKind::GoalLinks
                | EntityKind::PhaseChange
                | EntityKind::Suitability
                | EntityKind::Evaluation
        ) {
            self.life_epoch = self.life_epoch.wrapping_add(1);
        }
        if let Some(l) = &mut self.life {
            l.apply(store, T::KIND, id, written.as_ref())?;
        }
        if let Some(g) = &mut self.gov {
            g.apply(T::KIND, id, written.as_ref());
        }
        match (T::KIND, written) {
            (EntityKind::Partner, written) => {
                self.sorted.clear();
                self.names = None;
                match written {
                    // Scores come from assessments, which a partner edit does not change.
                    Some(AnyRecord::Partner(r)) => {
                        self.partners.insert(id, PartnerEntry::new(r));
                    }
                    _ => {
                        self.partners.remove(&id);
                        self.scores.remove(&id);
                    }
                }
            }
            (EntityKind::Agreement, written) => {
                for list in self.agreements.values_mut() {
                    list.retain(|a| a.meta.id != id);
                }
                if let Some(AnyRecord::Agreement(r)) = written {
                    self.agreements.entry(r.data.partner).or_default().push(r);
                }
            }
            (EntityKind::Assessment, _) => {
                self.assessment_epoch += 1;
                // The partner may have changed in an edit: refresh every cached partner whose
                // scores mention this assessment, and the assessment's own partner.
                let mut touched: Vec<Id> = self
                    .scores
                    .iter()
                    .filter(|(_, s)| s.iter().flatten().any(|c| c.assessment == id))
                    .map(|(p, _)| *p)
                    .collect();
                if let Some(c) = current {
                    touched.extend(c.data.partner_ids());
                }
                for p in touched {
                    let s = read_scores(store, p, &self.archived)?;
                    self.scores.insert(p, s);
                }
            }
            (EntityKind::Note, written) => {
                if let Some(t) = &mut self.notes {
                    match &written {
                        Some(AnyRecord::Note(n)) => t.update(id, Some(n)),
                        _ => t.update(id, None),
                    }
                }
                if let Some(rows) = &mut self.actions {
                    rows.retain(|r| r.note != id);
                    if let Some(AnyRecord::Note(n)) = written
                        && !n.meta.archived
                    {
                        push_actions(rows, &n, today, false);
                    }
                }
            }
            (EntityKind::Activity, written) => {
                let activity = match written {
                    Some(AnyRecord::Activity(r)) => Some(r),
                    _ => None,
                };
                match &mut self.activities {
                    Some(t) => t.update(id, activity.as_ref()),
                    None => self.activity_changes.push(id),
                }
            }
            (EntityKind::Contact, _) => {}
            (
                EntityKind::Goal
                | EntityKind::GoalLinks
                | EntityKind::PhaseChange
                | EntityKind::Suitability
                | EntityKind::Rhythm
                | EntityKind::Evaluation,
                _,
            ) => {}
        }
        Ok(())
    }
}
