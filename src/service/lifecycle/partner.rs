//! What a partner's save writes besides the partner, in the same transaction: goal records made
//! from goal lines (a client or a test written for the first schema still sends them; the partner
//! keeps none), and the history record of a phase change.

use crate::domain::{
    FieldError, Goal, GoalStatus, Id, Meta, PhaseChange, Record, Rhythm, Rule, Timestamp, limits,
};
use crate::service::{ChangeEvent, Identity, Kind, Response, Service, lock};
use crate::store::{AuditAction, Change, StoreError, TreeId, id_suffix};

impl Service {
    /// The lines that are not already goals of partner `own` (an update that sends the same
    /// lines again adds nothing).
    pub(in crate::service) fn new_goal_lines(
        &self,
        lines: Vec<String>,
        own: Option<Id>,
    ) -> Vec<String> {
        let Some(p) = own else {
            return lines;
        };
        let mut m = lock(&self.model);
        let Ok(life) = m.life(&self.store) else {
            return lines;
        };
        let have: Vec<String> = life
            .live_goals(p)
            .map(|g| crate::domain::text::fold(&g.data.text))
            .collect();
        lines
            .into_iter()
            .filter(|l| !have.contains(&crate::domain::text::fold(l)))
            .collect()
    }

    /// Problems of goal lines that would become goals of partner `own` (None: a new partner).
    pub(in crate::service) fn goal_line_errors(
        &self,
        lines: &[String],
        own: Option<Id>,
    ) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let existing = match own {
            Some(p) => lock(&self.model)
                .life(&self.store)
                .map(|l| l.live_goals(p).count())
                .unwrap_or(0),
            None => 0,
        };
        if existing + lines.len() > limits::GOALS {
            errs.push(FieldError::new(
                "goals",
                "",
                Rule::TooMany {
                    max: limits::GOALS,
                    given: existing + lines.len(),
                },
            ));
        }
        for l in lines {
            let g = Goal {
                text: l.clone(),
                ..blank(Id(0), String::new())
            };
            for mut e in crate::domain::Entity::validate(&g) {
                e.field = "goals".into();
                errs.push(e);
            }
        }
        errs
    }

    /// Goal records for goal lines of partner `id`, owned by `owner`, with new ids.
    pub(in crate::service) fn goal_records(
        &self,
        who: &Identity,
        id: Id,
        lines: &[String],
        owner: &str,
    ) -> Result<Vec<Record<Goal>>, StoreError> {
        let first = self.store.reserve_ids(lines.len() as u64)?;
        let now = Timestamp::now();
        Ok(lines
            .iter()
            .enumerate()
            .map(|(i, l)| Record {
                meta: Meta::first(Id(first + i as u64), &who.user, now),
                data: Goal {
                    text: l.clone(),
                    ..blank(id, owner.to_string())
                },
            })
            .collect())
    }

    /// Purge archived partner `id` (version `version`), its phase history and its governance
    /// rhythm in one
    /// transaction, then scrub their audit entries as a plain purge does.
    pub(in crate::service) fn purge_partner_with_history<T: Kind>(
        &self,
        who: &Identity,
        id: Id,
        version: u64,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let mut history = Vec::new();
        for k in self
            .store
            .index_prefix(TreeId::PhaseChangeByPartner, &id.to_be_bytes())
        {
            history.push(id_suffix(&k?));
        }
        let mut rhythms = Vec::new();
        for k in self
            .store
            .index_prefix(TreeId::RhythmByPartner, &id.to_be_bytes())
        {
            rhythms.push(id_suffix(&k?));
        }
        let outcome = self.store.together(|t| {
            let out = t.commit::<T>(id, &who.user, AuditAction::Purge, Some(version), |_| {
                Change::Purge
            })?;
            if out.is_ok() {
                for h in &history {
                    // One already gone (a stale index entry) is fine: nothing to purge.
                    let _gone =
                        t.commit::<PhaseChange>(*h, &who.user, AuditAction::Purge, None, |_| {
                            Change::Purge
                        })?;
                }
                for r in &rhythms {
                    let _gone =
                        t.commit::<Rhythm>(*r, &who.user, AuditAction::Purge, None, |_| {
                            Change::Purge
                        })?;
                }
            }
            Ok(out)
        })?;
        let purged = outcome.is_ok();
        let answer = self.finish::<T>(id, Some(version), outcome, None)?;
        if purged {
            let today = self.today();
            {
                let mut m = lock(&self.model);
                for h in &history {
                    m.apply::<PhaseChange>(&self.store, *h, None, today)?;
                }
                for r in &rhythms {
                    m.apply::<Rhythm>(&self.store, *r, None, today)?;
                }
            }
            // Made durable by the same flush as the purge.
            self.store.scrub_audit(T::KIND, id)?;
            for h in &history {
                self.store
                    .scrub_audit(crate::domain::EntityKind::PhaseChange, *h)?;
            }
            for r in &rhythms {
                self.store
                    .scrub_audit(crate::domain::EntityKind::Rhythm, *r)?;
            }
        }
        Ok(answer)
    }

    /// Write partner `id` (as `decide` makes it) with the records its save brings along (goals
    /// made from goal lines, the history record of a phase change) in one transaction; then
    /// update the model and answer as a plain save does.
    pub(in crate::service) fn commit_partner_with<T: Kind>(
        &self,
        who: &Identity,
        (id, expected, action): (Id, Option<u64>, AuditAction),
        decide: &dyn Fn(Option<&Record<T>>) -> Change<T>,
        goals: Vec<Record<Goal>>,
        phase: Option<PhaseChange>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let phase = match phase {
            Some(c) => Some(Service::phase_change_record(who, self.store.new_id()?, c)),
            None => None,
        };
        let outcome = self.store.together(|t| {
            let out = t.commit::<T>(id, &who.user, action, expected, decide)?;
            if out.is_ok() {
                for g in &goals {
                    created(t.commit::<Goal>(
                        g.meta.id,
                        &who.user,
                        AuditAction::Create,
                        None,
                        |_| Change::Put(g.clone()),
                    )?)?;
                }
                if let Some(c) = &phase {
                    created(t.commit::<PhaseChange>(
                        c.meta.id,
                        &who.user,
                        AuditAction::Create,
                        None,
                        |_| Change::Put(c.clone()),
                    )?)?;
                }
            }
            Ok(out)
        })?;
        let saved = outcome.is_ok();
        let answer = self.finish::<T>(id, expected, outcome, None)?;
        if saved {
            let today = self.today();
            let mut m = lock(&self.model);
            for g in &goals {
                m.apply::<Goal>(&self.store, g.meta.id, Some(g), today)?;
            }
            if let Some(c) = &phase {
                m.apply::<PhaseChange>(&self.store, c.meta.id, Some(c), today)?;
            }
        }
        Ok(answer)
    }
}

/// A create inside [`Service::commit_partner_with`]: refused only if its new id is taken, which
/// aborts the whole transaction.
fn created<T>(c: crate::store::Committed<T>) -> Result<(), crate::store::TxError> {
    match c {
        Ok(_) => Ok(()),
        Err(_) => Err(StoreError::Invalid(
            "a record made with the partner could not be created".into(),
        )
        .into()),
    }
}

fn blank(partner: Id, owner: String) -> Goal {
    Goal {
        partner,
        text: String::new(),
        values: Vec::new(),
        indicator: String::new(),
        target: String::new(),
        deadline: None,
        status: GoalStatus::Open,
        owner,
    }
}
