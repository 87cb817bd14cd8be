//! Index keys derived from records. Index trees hold keys only (empty values); every key ends with
//! the record id, so a scan yields ids in the index's order.
//!
//! | tree | key |
//! |---|---|
//! | idx_activity_date | date, activity id |
//! | idx_activity_partner | partner id, date, activity id |
//! | idx_note_date | date, note id |
//! | idx_note_partner | partner id, date, note id |
//! | idx_assessment_partner_value | partner id, value index (1 byte), date, assessment id |
//! | idx_agreement_partner | partner id, agreement id |
//! | idx_contact_partner | partner id, contact id |
//! | idx_audit_record | entity kind (1 byte), record id, audit seq |
//! | idx_archived | entity kind (1 byte), record id (archived records only) |
//! | idx_note_kind | meeting kind (1 byte), partner id, date, note id |
//! | idx_goal_partner | partner id, goal id |
//! | idx_goal_links_source | source (1 byte: 0 activity, 1 note), source id, links id |
//! | idx_goal_links_goal | goal id, links id |
//! | idx_phase_change_partner | partner id, date, phase-change id |
//! | idx_suitability_partner | partner id, date, suitability id |
//! | idx_rhythm_partner | partner id, rhythm id |
//! | idx_evaluation_partner | partner id, end date, evaluation id |

use super::TreeId;
use crate::domain::{
    Activity, Agreement, Assessment, Contact, EntityKind, Enumerated, Evaluation, Goal, GoalLinks,
    Id, LinkSource, MeetingKind, Note, Partner, PhaseChange, Record, Rhythm, Suitability,
};
use chrono::{Datelike, NaiveDate};

/// Four bytes that sort like the date.
pub fn date_key(d: NaiveDate) -> [u8; 4] {
    ((d.num_days_from_ce() as u32) ^ 0x8000_0000).to_be_bytes()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// The index entries a record of this type needs.
pub trait IndexKeys {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)>;
}

impl IndexKeys for Partner {
    fn index_keys(&self, _id: Id) -> Vec<(TreeId, Vec<u8>)> {
        Vec::new()
    }
}

impl IndexKeys for Agreement {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::AgreementByPartner,
            cat(&[&self.partner.to_be_bytes(), &id.to_be_bytes()]),
        )]
    }
}

impl IndexKeys for Contact {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::ContactByPartner,
            cat(&[&self.partner.to_be_bytes(), &id.to_be_bytes()]),
        )]
    }
}

impl IndexKeys for Activity {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        let d = date_key(self.date);
        let mut v = vec![(TreeId::ActivityByDate, cat(&[&d, &id.to_be_bytes()]))];
        for p in &self.partners {
            v.push((
                TreeId::ActivityByPartner,
                cat(&[&p.to_be_bytes(), &d, &id.to_be_bytes()]),
            ));
        }
        v
    }
}

impl IndexKeys for Note {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        let d = date_key(self.date);
        let mut v = vec![(TreeId::NoteByDate, cat(&[&d, &id.to_be_bytes()]))];
        for p in &self.partners {
            v.push((
                TreeId::NoteByPartner,
                cat(&[&p.to_be_bytes(), &d, &id.to_be_bytes()]),
            ));
        }
        for p in &self.partners {
            v.push((
                TreeId::NoteByKind,
                cat(&[
                    &[meeting_kind_byte(self.kind)],
                    &p.to_be_bytes(),
                    &d,
                    &id.to_be_bytes(),
                ]),
            ));
        }
        v
    }
}

/// A meeting kind's byte in `idx_note_kind` (its position in [`MeetingKind::ALL`]).
pub fn meeting_kind_byte(k: MeetingKind) -> u8 {
    MeetingKind::ALL
        .iter()
        .position(|x| *x == k)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// A link source's byte in `idx_goal_links_source`.
pub fn link_source_byte(s: LinkSource) -> u8 {
    match s {
        LinkSource::Activity => 0,
        LinkSource::Note => 1,
    }
}

impl IndexKeys for Goal {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::GoalByPartner,
            cat(&[&self.partner.to_be_bytes(), &id.to_be_bytes()]),
        )]
    }
}

impl IndexKeys for GoalLinks {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        let mut v = vec![(
            TreeId::GoalLinksBySource,
            cat(&[
                &[link_source_byte(self.source)],
                &self.source_id.to_be_bytes(),
                &id.to_be_bytes(),
            ]),
        )];
        for g in &self.goals {
            v.push((
                TreeId::GoalLinksByGoal,
                cat(&[&g.to_be_bytes(), &id.to_be_bytes()]),
            ));
        }
        v
    }
}

impl IndexKeys for Assessment {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::AssessmentByPartnerValue,
            cat(&[
                &self.partner.to_be_bytes(),
                &[self.value.index() as u8],
                &date_key(self.date),
                &id.to_be_bytes(),
            ]),
        )]
    }
}

impl IndexKeys for PhaseChange {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::PhaseChangeByPartner,
            cat(&[
                &self.partner.to_be_bytes(),
                &date_key(self.date),
                &id.to_be_bytes(),
            ]),
        )]
    }
}

impl IndexKeys for Evaluation {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::EvaluationByPartner,
            cat(&[
                &self.partner.to_be_bytes(),
                &date_key(self.end),
                &id.to_be_bytes(),
            ]),
        )]
    }
}

impl IndexKeys for Rhythm {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::RhythmByPartner,
            cat(&[&self.partner.to_be_bytes(), &id.to_be_bytes()]),
        )]
    }
}

impl IndexKeys for Suitability {
    fn index_keys(&self, id: Id) -> Vec<(TreeId, Vec<u8>)> {
        vec![(
            TreeId::SuitabilityByPartner,
            cat(&[
                &self.partner.to_be_bytes(),
                &date_key(self.date),
                &id.to_be_bytes(),
            ]),
        )]
    }
}

/// All index entries of a stored record.
pub fn keys<T: IndexKeys + crate::domain::Entity>(r: &Record<T>) -> Vec<(TreeId, Vec<u8>)> {
    let mut v = r.data.index_keys(r.meta.id);
    if r.meta.archived {
        v.push((TreeId::Archived, archived_key(T::KIND, r.meta.id)));
    }
    v
}

pub fn archived_key(kind: EntityKind, id: Id) -> Vec<u8> {
    cat(&[&[kind_byte(kind)], &id.to_be_bytes()])
}

/// The entity kind of a kind byte.
pub fn kind_of_byte(b: u8) -> Option<EntityKind> {
    EntityKind::ALL.iter().copied().find(|k| kind_byte(*k) == b)
}

fn kind_byte(kind: EntityKind) -> u8 {
    kind as u8
}

pub fn audit_record_prefix(kind: EntityKind, id: Id) -> Vec<u8> {
    cat(&[&[kind_byte(kind)], &id.to_be_bytes()])
}

pub fn audit_record_key(kind: EntityKind, id: Id, seq: u64) -> Vec<u8> {
    cat(&[&[kind_byte(kind)], &id.to_be_bytes(), &seq.to_be_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_sort_like_dates() {
        let a = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        let b = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let c = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(date_key(a) < date_key(b) && date_key(b) < date_key(c));
    }
}
