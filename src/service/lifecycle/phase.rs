//! Phase changes with their criteria: what each phase expects (from the records), the phase
//! dialog's checklist, and the change itself (the partner and its history record in one
//! transaction, with the criteria that were not met recorded as overridden).

use super::Lifecycle;
use super::api::{CriterionCheck, PhaseChecks, PhaseCriteria, Shortfall};
use crate::domain::{
    AgreementStatus, Contact, ContactRole, Criterion, Enumerated, FieldError, Id, Meta, Partner,
    Phase, PhaseChange, Record, Rule, Side, Timestamp,
};
use crate::service::{ChangeEvent, Identity, Response, Service, lock};
use crate::store::{AuditAction, Change, StoreError, TreeId, id_suffix};
use chrono::NaiveDate;

/// Months within which an evaluation counts as recent (a new start, a phase-out, a renewal).
pub const RECENT_EVALUATION_MONTHS: u32 = 12;

/// The facts the criteria are checked against, for one partner.
#[derive(Debug, Default, Clone, Copy)]
pub(in crate::service) struct Facts {
    pub suitability: bool,
    pub signed_agreement: bool,
    pub active_agreement: bool,
    pub directors: (bool, bool),
    pub steering_group: (bool, bool),
    pub recent_evaluation: bool,
    /// The end of the latest evaluated period up to today.
    pub last_evaluation: Option<NaiveDate>,
}

impl Facts {
    pub fn met(&self, c: Criterion) -> bool {
        match c {
            Criterion::SuitabilityAssessed => self.suitability,
            Criterion::AgreementSigned => self.signed_agreement,
            Criterion::DirectorsBothSides => self.directors.0 && self.directors.1,
            Criterion::SteeringGroup => self.steering_group.0 && self.steering_group.1,
            Criterion::RecentEvaluation => self.recent_evaluation,
            Criterion::AgreementsClosed => !self.active_agreement,
        }
    }

    /// The criteria of entering `phase`, checked.
    pub fn checks(&self, phase: Phase) -> PhaseChecks {
        PhaseChecks {
            phase,
            checks: Criterion::of(phase)
                .iter()
                .map(|c| {
                    let met = self.met(*c);
                    CriterionCheck {
                        criterion: *c,
                        met,
                        why: if met { None } else { self.why(*c) },
                    }
                })
                .collect(),
        }
    }

    /// Why `c` is not met where the criterion's words do not say it.
    fn why(&self, c: Criterion) -> Option<Shortfall> {
        match c {
            Criterion::RecentEvaluation => Some(match self.last_evaluation {
                None => Shortfall::NoEvaluation,
                Some(end) => Shortfall::LastEvaluation(end),
            }),
            _ => None,
        }
    }

    /// The criteria of `phase` that are not met.
    pub fn unmet(&self, phase: Phase) -> Vec<Criterion> {
        Criterion::of(phase)
            .iter()
            .copied()
            .filter(|c| !self.met(*c))
            .collect()
    }
}

/// The phase that usually follows `p` (None where an evaluation decides, and at the end).
pub fn next_phase(p: Phase) -> Option<Phase> {
    match p {
        Phase::Prospect => Some(Phase::StartUp),
        Phase::StartUp | Phase::NewStart => Some(Phase::Running),
        Phase::Running => Some(Phase::Evaluation),
        Phase::PhaseOut => Some(Phase::Ended),
        Phase::Evaluation | Phase::Ended => None,
    }
}

impl Lifecycle {
    /// Whether the partner has an evaluation that ended within the last 12 months.
    pub fn recent_evaluation(&self, partner: Id, today: NaiveDate) -> bool {
        let since = today
            .checked_sub_months(chrono::Months::new(RECENT_EVALUATION_MONTHS))
            .unwrap_or(today);
        self.evaluation_dates(partner)
            .any(|d| d >= since && d <= today)
    }
}

impl Service {
    /// The facts of partner `id` the criteria need, as of `today`.
    pub(in crate::service) fn facts(&self, id: Id, today: NaiveDate) -> Result<Facts, StoreError> {
        let mut f = Facts::default();
        for k in self
            .store
            .index_prefix(TreeId::ContactByPartner, &id.to_be_bytes())
        {
            let Some(c) = self.store.get::<Contact>(id_suffix(&k?))? else {
                continue;
            };
            if c.meta.archived {
                continue;
            }
            let ours = c.data.side == Side::Ours;
            let slot = match c.data.role {
                ContactRole::PartnerDirector => &mut f.directors,
                ContactRole::SteeringGroup => &mut f.steering_group,
                _ => continue,
            };
            if ours {
                slot.0 = true;
            } else {
                slot.1 = true;
            }
        }
        let mut m = lock(&self.model);
        for a in m.agreements.get(&id).into_iter().flatten() {
            if a.meta.archived || a.data.status != AgreementStatus::Active {
                continue;
            }
            f.active_agreement = true;
            f.signed_agreement |= a.data.signed.is_some();
        }
        let life = m.life(&self.store)?;
        f.suitability = life.suitability.live(id).next().is_some();
        f.recent_evaluation = life.recent_evaluation(id, today);
        f.last_evaluation = life.evaluation_dates(id).filter(|d| *d <= today).max();
        Ok(f)
    }

    /// What the phase dialog shows for partner `id`.
    pub(in crate::service) fn phase_criteria(
        &self,
        id: Id,
    ) -> Result<Option<PhaseCriteria>, StoreError> {
        let Some(p) = self.store.get::<Partner>(id)? else {
            return Ok(None);
        };
        let facts = self.facts(id, self.today())?;
        let last_change = {
            let mut m = lock(&self.model);
            m.life(&self.store)?
                .phases
                .live(id)
                .last()
                .map(|c| c.data.date)
        };
        Ok(Some(PhaseCriteria {
            partner: id,
            name: p.data.name,
            version: p.meta.version,
            current: p.data.phase,
            phases: Phase::ALL.iter().map(|ph| facts.checks(*ph)).collect(),
            last_change,
        }))
    }

    /// The history record of a change of partner `id` from `from` to `to`, with the criteria of
    /// `to` that are not met, and the problems of the change (a date before the last change).
    pub(in crate::service) fn phase_record(
        &self,
        id: Id,
        (from, to): (Phase, Phase),
        date: NaiveDate,
        reason: String,
    ) -> Result<(PhaseChange, Vec<FieldError>), StoreError> {
        let facts = self.facts(id, self.today())?;
        let mut c = PhaseChange {
            partner: id,
            from,
            to,
            date,
            reason,
            unmet: facts.unmet(to),
        };
        crate::domain::Entity::normalise(&mut c);
        let mut errs = crate::domain::Entity::validate(&c);
        let last = {
            let mut m = lock(&self.model);
            m.life(&self.store)?
                .phases
                .live(id)
                .last()
                .map(|c| c.data.date)
        };
        let today = self.today();
        if date > today {
            errs.push(FieldError::new(
                "date",
                date.to_string(),
                Rule::AfterToday { today },
            ));
        } else if let Some(previous) = last
            && date < previous
        {
            errs.push(FieldError::new(
                "date",
                date.to_string(),
                Rule::BeforePreviousChange { previous },
            ));
        }
        Ok((c, errs))
    }

    /// [`crate::service::Request::ChangePhase`]: the partner's new phase and its history record,
    /// in one transaction.
    pub(in crate::service) fn change_phase(
        &self,
        who: &Identity,
        (id, expected): (Id, u64),
        to: Phase,
        date: NaiveDate,
        reason: String,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let Some(cur) = self.store.get::<Partner>(id)? else {
            return Ok((
                Response::NotFound {
                    kind: crate::domain::EntityKind::Partner,
                    id,
                },
                None,
            ));
        };
        let (change, errs) = self.phase_record(id, (cur.data.phase, to), date, reason)?;
        if !errs.is_empty() {
            return Ok((Response::Invalid(errs), None));
        }
        let now = Timestamp::now();
        let user = who.user.clone();
        let decide = move |c: Option<&Record<Partner>>| match c {
            Some(c) => Change::Put(Record {
                meta: Meta {
                    version: c.meta.version + 1,
                    updated_at: now,
                    updated_by: user.clone(),
                    ..c.meta.clone()
                },
                data: Partner {
                    phase: to,
                    ..c.data.clone()
                },
            }),
            None => Change::Purge,
        };
        self.commit_partner_with(
            who,
            (id, Some(expected), AuditAction::Update),
            &decide,
            Vec::new(),
            Some(change),
        )
    }

    /// The record of a phase change, made for a partner whose save changes its phase.
    pub(in crate::service) fn phase_record_of(
        &self,
        id: Id,
        (from, to): (Phase, Phase),
    ) -> Result<(PhaseChange, Vec<FieldError>), StoreError> {
        self.phase_record(id, (from, to), self.today(), String::new())
    }

    /// A new phase-change record, for [`Service::commit_partner_with`].
    pub(in crate::service) fn phase_change_record(
        who: &Identity,
        id: Id,
        data: PhaseChange,
    ) -> Record<PhaseChange> {
        let now = Timestamp::now();
        Record {
            meta: Meta::first(id, &who.user, now),
            data,
        }
    }
}
