//! The governance rhythm: the meetings of the governed kinds per partner (from the meeting
//! notes, kept current by every change), each partner's own rhythm (or the defaults), and the
//! compliance computed from both: the last meeting, the next one due, and whether it is overdue.

use super::api::{Governance, GovernanceMark, MeetingCompliance, RhythmState};
use crate::domain::rhythm::{GOVERNED, due_after};
use crate::domain::{EntityKind, Id, MeetingKind, Note, Phase, Record, Rhythm, Tier};
use crate::store::{Store, StoreError, TreeId, id_suffix, meeting_kind_byte};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Whether a partner in `tier` and `phase` is expected to keep a governance rhythm: strategic
/// partners from start-up until they are phased out.
pub fn governed(tier: Tier, phase: Phase) -> bool {
    tier == Tier::Strategic
        && matches!(
            phase,
            Phase::StartUp | Phase::Running | Phase::Evaluation | Phase::NewStart
        )
}

/// The dates of the governed meetings per partner and kind, from notes that are not archived.
#[derive(Default)]
pub(in crate::service) struct Meetings {
    by: HashMap<(Id, MeetingKind), BTreeSet<(NaiveDate, Id)>>,
    /// Note → the entries it made.
    of: HashMap<Id, Vec<(Id, MeetingKind, NaiveDate)>>,
}

/// The date of an index key's date part (see [`crate::store::date_key`]).
fn key_date(b: &[u8]) -> Option<NaiveDate> {
    let raw = u32::from_be_bytes(b.try_into().ok()?) ^ 0x8000_0000;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(raw).ok()?)
}

impl Meetings {
    /// The governed meetings from the meeting-kind index (no note is read); `archived` holds
    /// the archived records of every kind.
    pub fn load(
        store: &Store,
        archived: &HashSet<(EntityKind, Id)>,
    ) -> Result<Meetings, StoreError> {
        let mut m = Meetings::default();
        for kind in GOVERNED {
            for k in store.index_prefix(TreeId::NoteByKind, &[meeting_kind_byte(kind)]) {
                let k = k?;
                // kind (1), partner (8), date (4), note (8)
                let (Some(p), Some(d)) = (k.get(1..9), k.get(9..13).and_then(key_date)) else {
                    continue;
                };
                let note = id_suffix(&k);
                if archived.contains(&(EntityKind::Note, note)) {
                    continue;
                }
                let mut b = [0u8; 8];
                b.copy_from_slice(p);
                m.insert(note, Id(u64::from_be_bytes(b)), kind, d);
            }
        }
        Ok(m)
    }

    fn insert(&mut self, note: Id, partner: Id, kind: MeetingKind, date: NaiveDate) {
        self.by
            .entry((partner, kind))
            .or_default()
            .insert((date, note));
        self.of.entry(note).or_default().push((partner, kind, date));
    }

    /// Forget note `id`.
    pub fn remove(&mut self, id: Id) {
        for (p, k, d) in self.of.remove(&id).unwrap_or_default() {
            if let Some(set) = self.by.get_mut(&(p, k)) {
                set.remove(&(d, id));
                if set.is_empty() {
                    self.by.remove(&(p, k));
                }
            }
        }
    }

    /// Follow a note as written (None: purged).
    pub fn put(&mut self, id: Id, note: Option<&Record<Note>>) {
        self.remove(id);
        let Some(n) = note else { return };
        if n.meta.archived || !GOVERNED.contains(&n.data.kind) {
            return;
        }
        for p in &n.data.partners {
            self.insert(id, *p, n.data.kind, n.data.date);
        }
    }

    /// The latest meeting of `kind` with `partner` on or before `today`.
    pub fn last(&self, partner: Id, kind: MeetingKind, today: NaiveDate) -> Option<NaiveDate> {
        self.by
            .get(&(partner, kind))?
            .range(..=(today, Id(u64::MAX)))
            .next_back()
            .map(|(d, _)| *d)
    }
}

/// The partners' own rhythms (archived ones too).
#[derive(Default)]
pub(in crate::service) struct Rhythms {
    records: HashMap<Id, Record<Rhythm>>,
    of: HashMap<Id, Vec<Id>>,
}

impl Rhythms {
    pub fn put(&mut self, r: Record<Rhythm>) {
        self.remove(r.meta.id);
        let ids = self.of.entry(r.data.partner).or_default();
        ids.push(r.meta.id);
        ids.sort();
        self.records.insert(r.meta.id, r);
    }

    pub fn remove(&mut self, id: Id) {
        if let Some(old) = self.records.remove(&id)
            && let Some(ids) = self.of.get_mut(&old.data.partner)
        {
            ids.retain(|x| *x != id);
        }
    }

    /// The partner's rhythm that is not archived (the oldest, if there were ever two).
    pub fn live(&self, partner: Id) -> Option<&Record<Rhythm>> {
        self.of
            .get(&partner)?
            .iter()
            .filter_map(|id| self.records.get(id))
            .find(|r| !r.meta.archived)
    }
}

/// The compliance with `rhythm` of the meetings of `partner`, as of `today`.
pub(in crate::service) fn compliance(
    meetings: &Meetings,
    partner: Id,
    rhythm: &Rhythm,
    today: NaiveDate,
) -> Vec<MeetingCompliance> {
    GOVERNED
        .iter()
        .filter_map(|kind| {
            let months = rhythm.months(*kind)?;
            let last = meetings.last(partner, *kind, today);
            let next_due = last.and_then(|l| due_after(l, months));
            let state = match next_due {
                None => RhythmState::NoneRecorded,
                Some(due) if due < today => RhythmState::Overdue,
                Some(_) => RhythmState::Kept,
            };
            Some(MeetingCompliance {
                kind: *kind,
                months,
                last,
                next_due,
                state,
            })
        })
        .collect()
}

/// The governed meetings and the rhythms, kept in the model apart from the rest of the life
/// cycle: the Partners pane's marks need them for every row, and loading them reads only the
/// meeting-kind index and the (few) rhythm records.
#[derive(Default)]
pub(in crate::service) struct Gov {
    pub meetings: Meetings,
    pub rhythms: Rhythms,
}

impl Gov {
    /// Load from the store; `archived` holds the archived records of every kind.
    pub fn load(store: &Store, archived: &HashSet<(EntityKind, Id)>) -> Result<Gov, StoreError> {
        let mut g = Gov {
            meetings: Meetings::load(store, archived)?,
            rhythms: Rhythms::default(),
        };
        for r in store.scan::<Rhythm>() {
            g.rhythms.put(r?);
        }
        Ok(g)
    }

    /// Follow a change to record `id` of `kind` (`written`: as written, None after a purge).
    pub fn apply(&mut self, kind: EntityKind, id: Id, written: Option<&crate::service::AnyRecord>) {
        use crate::service::AnyRecord;
        match (kind, written) {
            (EntityKind::Rhythm, Some(AnyRecord::Rhythm(r))) => self.rhythms.put(r.clone()),
            (EntityKind::Rhythm, _) => self.rhythms.remove(id),
            (EntityKind::Note, Some(AnyRecord::Note(n))) => self.meetings.put(id, Some(n)),
            (EntityKind::Note, _) => self.meetings.put(id, None),
            _ => {}
        }
    }

    /// The governance of `partner` (in `tier` and `phase`) as of `today`; None if it is not
    /// expected to keep a rhythm.
    pub fn governance(
        &self,
        partner: Id,
        (tier, phase): (Tier, Phase),
        today: NaiveDate,
    ) -> Option<Governance> {
        if !governed(tier, phase) {
            return None;
        }
        let own = self.rhythms.live(partner).cloned();
        let rhythm = own
            .as_ref()
            .map_or_else(|| Rhythm::default_for(partner), |r| r.data.clone());
        Some(Governance {
            meetings: compliance(&self.meetings, partner, &rhythm, today),
            rhythm: own,
        })
    }

    /// The Partners pane's mark for `partner`.
    pub fn governance_mark(
        &self,
        partner: Id,
        (tier, phase): (Tier, Phase),
        today: NaiveDate,
    ) -> GovernanceMark {
        match self.governance(partner, (tier, phase), today) {
            None => GovernanceMark::NotGoverned,
            Some(g) if g.behind() => GovernanceMark::Behind,
            Some(_) => GovernanceMark::Kept,
        }
    }
}
