//! Creating, updating, archiving, restoring and purging records: validation, conflicts, the
//! audit entry and the model update of each change.

use super::{
    AnyData, ChangeEvent, ConflictInfo, Identity, Kind, Request, Response, Service, batch::Staging,
    by_kind, lock,
};
use crate::domain::{EntityKind, FieldChange, FieldError, Id, Meta, Record, Rule, Timestamp};
use crate::store::{AuditAction, Change, Reject, StoreError};

impl Service {
    /// A stageable mutation ([`Request::stageable`]) into `st`.
    pub(super) fn mutate_staged(
        &self,
        who: &Identity,
        req: Request,
        st: &mut Staging,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let (target, data) = match req {
            Request::Create(data) => (None, data),
            Request::Update {
                id,
                expected_version,
                data,
            } => (Some((id, expected_version)), data),
            _ => return Ok((Response::Failed(super::Failure::Internal), None)),
        };
        self.save_any(who, target, data, Some(st))
    }

    pub(super) fn mutate(
        &self,
        who: &Identity,
        req: Request,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match req {
            Request::Create(data) => self.save_any(who, None, data, None),
            Request::Update {
                id,
                expected_version,
                data,
            } => self.save_any(who, Some((id, expected_version)), data, None),
            Request::Archive {
                kind,
                id,
                expected_version,
            } => by_kind!(
                kind,
                set_archived_dyn,
                self,
                who,
                id,
                expected_version,
                true
            ),
            Request::Restore {
                kind,
                id,
                expected_version,
            } => by_kind!(
                kind,
                set_archived_dyn,
                self,
                who,
                id,
                expected_version,
                false
            ),
            Request::Purge { kind, id } => by_kind!(kind, purge_dyn, self, who, id),
            Request::ChangePhase {
                partner,
                expected_version,
                to,
                date,
                reason,
            } => self.change_phase(who, (partner, expected_version), to, date, reason),
            _ => Ok((Response::Failed(super::Failure::Internal), None)),
        }
    }

    /// Checks that need other records: referenced partners exist, partner names are unique per
    /// country.
    pub(super) fn cross_check<T: Kind>(&self, data: &T, own: Option<Id>) -> Vec<FieldError> {
        let mut model = lock(&self.model);
        let mut errs = Vec::new();
        if let Some(p) = data.as_partner()
            && let Some(existing) = model.duplicate_of(p, own)
        {
            errs.push(FieldError::new(
                "name",
                p.name.clone(),
                Rule::DuplicatePartner { existing },
            ));
        }
        if let Ok(life) = model.life(&self.store) {
            match super::lifecycle::check(life, &self.store, data, own) {
                Ok(e) => errs.extend(e),
                Err(e) => tracing::warn!(error = %e, "the life-cycle checks could not read"),
            }
        }
        let field = match T::KIND {
            EntityKind::Activity | EntityKind::Note => "partners",
            _ => "partner",
        };
        for pid in data.partner_ids() {
            if !model.is_active_partner(pid) {
                errs.push(FieldError::new(
                    field,
                    pid.to_string(),
                    Rule::UnknownPartner,
                ));
            }
        }
        errs
    }

    /// [`Service::save`] for data of any kind.
    fn save_any(
        &self,
        who: &Identity,
        target: Option<(Id, u64)>,
        data: AnyData,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match data {
            AnyData::Partner(d) => self.save(who, target, d, staging),
            AnyData::Agreement(d) => self.save(who, target, d, staging),
            AnyData::Contact(d) => self.save(who, target, d, staging),
            AnyData::Activity(d) => self.save(who, target, d, staging),
            AnyData::Assessment(d) => self.save(who, target, d, staging),
            AnyData::Note(d) => self.save(who, target, d, staging),
            AnyData::Goal(d) => self.save(who, target, d, staging),
            AnyData::GoalLinks(d) => self.save(who, target, d, staging),
            AnyData::PhaseChange(d) => self.save(who, target, d, staging),
            AnyData::Suitability(d) => self.save(who, target, d, staging),
            AnyData::Rhythm(d) => self.save(who, target, d, staging),
            AnyData::Evaluation(d) => self.save(who, target, d, staging),
        }
    }

    /// Create (`target` None) or update a record; into `staging` when given, else in a
    /// transaction of its own.
    fn save<T: Kind>(
        &self,
        who: &Identity,
        target: Option<(Id, u64)>,
        mut data: T,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        data.normalise();
        // Goal lines (a client of the first schema's kind): made goal records with the partner.
        let lines = match staging {
            None => data
                .take_goal_lines()
                .map(|(l, owner)| (self.new_goal_lines(l, target.map(|t| t.0)), owner))
                .filter(|(l, _)| !l.is_empty()),
            Some(_) => None,
        };
        let mut errs = data.validate();
        errs.extend(self.cross_check(&data, target.map(|t| t.0)));
        if let Some((lines, _)) = &lines {
            errs.extend(self.goal_line_errors(lines, target.map(|t| t.0)));
        }
        if !errs.is_empty() {
            return Ok((Response::Invalid(errs), None));
        }
        let now = Timestamp::now();
        let (id, expected, action) = match target {
            Some((id, v)) => (id, Some(v), AuditAction::Update),
            None => (self.store.new_id()?, None, AuditAction::Create),
        };
        // An update that changes nothing is answered without a write.
        let stored = match (&staging, expected) {
            (_, None) => None,
            (Some(st), Some(_)) => self.store.get_staged::<T>(&st.staged, id)?,
            (None, Some(_)) => self.store.get::<T>(id)?,
        };
        // A partner whose phase changes gets a history record (the phase dialog adds a reason).
        let old_phase = stored
            .as_ref()
            .and_then(|r| r.data.as_partner())
            .map(|p| p.phase);
        let phase = match (old_phase, data.as_partner(), &staging) {
            (Some(from), Some(p), None) if from != p.phase => {
                let (change, errs) = self.phase_record_of(id, (from, p.phase))?;
                if !errs.is_empty() {
                    return Ok((Response::Invalid(errs), None));
                }
                Some(change)
            }
            _ => None,
        };
        if let Some(v) = expected
            && let Some(cur) = stored
            && cur.meta.version == v
            && cur.data == data
            && lines.is_none()
        {
            return Ok((
                Response::Saved {
                    kind: T::KIND,
                    id,
                    version: v,
                },
                None,
            ));
        }
        let user = who.user.clone();
        let decide = |cur: Option<&Record<T>>| {
            let meta = match cur {
                Some(c) => Meta {
                    version: c.meta.version + 1,
                    updated_at: now,
                    updated_by: user.clone(),
                    ..c.meta.clone()
                },
                None => Meta::first(id, &user, now),
            };
            Change::Put(Record {
                meta,
                data: data.clone(),
            })
        };
        let committed = match (staging, lines, phase) {
            (None, lines, phase) if lines.is_some() || phase.is_some() => {
                let goals = match lines {
                    Some((lines, owner)) => self.goal_records(who, id, &lines, &owner)?,
                    None => Vec::new(),
                };
                self.commit_partner_with::<T>(who, (id, expected, action), &decide, goals, phase)
            }
            (Some(st), _, _) => self
                .store
                .commit_staged::<T>(&st.staged, id, &who.user, action, expected, decide)
                .and_then(|outcome| self.finish::<T>(id, expected, outcome, Some(st))),
            (None, _, _) => self
                .store
                .commit::<T>(id, &who.user, action, expected, decide)
                .and_then(|outcome| self.finish::<T>(id, expected, outcome, None)),
        };
        match committed {
            // Every field within its limit, and still too large to store (many long fields at
            // once): the record as a whole is refused, nothing written.
            Err(StoreError::TooLarge { size, max }) => Ok((
                Response::Invalid(vec![FieldError::new(
                    "record",
                    "",
                    Rule::RecordTooLarge { max, given: size },
                )]),
                None,
            )),
            other => other,
        }
    }

    fn set_archived<T: Kind>(
        &self,
        who: &Identity,
        id: Id,
        expected: u64,
        archived: bool,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let action = if archived {
            AuditAction::Archive
        } else {
            AuditAction::Restore
        };
        if !archived && let Some(cur) = self.store.get::<T>(id)? {
            // Restoring a record whose partner is archived would leave it dangling.
            let errs = self.cross_check(&cur.data, Some(id));
            if !errs.is_empty() {
                return Ok((Response::Invalid(errs), None));
            }
        }
        let now = Timestamp::now();
        let user = who.user.clone();
        let outcome =
            self.store
                .commit::<T>(id, &who.user, action, Some(expected), |cur| match cur {
                    Some(c) => Change::Put(Record {
                        meta: Meta {
                            version: c.meta.version + 1,
                            updated_at: now,
                            updated_by: user.clone(),
                            archived,
                            ..c.meta.clone()
                        },
                        data: c.data.clone(),
                    }),
                    None => Change::Purge,
                })?;
        self.finish::<T>(id, Some(expected), outcome, None)
    }

    fn purge<T: Kind>(
        &self,
        who: &Identity,
        id: Id,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let Some(cur) = self.store.get::<T>(id)? else {
            return Ok((Response::NotFound { kind: T::KIND, id }, None));
        };
        if !cur.meta.archived {
            return Ok((
                Response::Invalid(vec![FieldError::new(
                    "archived",
                    cur.data.label(),
                    Rule::NotArchived,
                )]),
                None,
            ));
        }
        if T::KIND == EntityKind::Partner {
            let count = self.references(id)?;
            if count > 0 {
                return Ok((
                    Response::Invalid(vec![FieldError::new(
                        "partner",
                        cur.data.label(),
                        Rule::StillReferenced { count },
                    )]),
                    None,
                ));
            }
        }
        if T::KIND == EntityKind::Partner {
            // The phase history is the partner's own: it goes with it.
            return self.purge_partner_with_history::<T>(who, id, cur.meta.version);
        }
        let outcome = self.store.commit::<T>(
            id,
            &who.user,
            AuditAction::Purge,
            Some(cur.meta.version),
            |_| Change::Purge,
        )?;
        let purged = outcome.is_ok();
        let answer = self.finish::<T>(id, Some(cur.meta.version), outcome, None)?;
        if purged {
            // Made durable by the same flush as the purge.
            self.store.scrub_audit(T::KIND, id)?;
        }
        Ok(answer)
    }

    /// How many records refer to partner `id` (its phase history does not count: it is purged
    /// with the partner).
    fn references(&self, id: Id) -> Result<usize, StoreError> {
        use crate::store::TreeId;
        let p = id.to_be_bytes();
        let mut n = 0;
        for t in [
            TreeId::AgreementByPartner,
            TreeId::ContactByPartner,
            TreeId::ActivityByPartner,
            TreeId::NoteByPartner,
            TreeId::AssessmentByPartnerValue,
            TreeId::GoalByPartner,
            TreeId::SuitabilityByPartner,
            TreeId::EvaluationByPartner,
        ] {
            n += self.store.index_prefix(t, &p).count();
        }
        Ok(n)
    }

    /// Turn a commit outcome into a response, update the model and tell subscribers.
    pub(super) fn finish<T: Kind>(
        &self,
        id: Id,
        expected: Option<u64>,
        outcome: crate::store::Committed<T>,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let staged = staging.as_ref().map(|st| &st.staged);
        match outcome {
            Ok((entry, written)) => {
                match staging {
                    // The model follows once the staged batch is written.
                    Some(st) => st.updates.push(Box::new(move |m, store, today| {
                        m.apply::<T>(store, id, written.as_ref(), today)
                    })),
                    None => {
                        lock(&self.model).apply::<T>(
                            &self.store,
                            id,
                            written.as_ref(),
                            self.today(),
                        )?;
                    }
                }
                let event = ChangeEvent {
                    seq: entry.seq,
                    kind: T::KIND,
                    id,
                    version: entry.version,
                    action: entry.action,
                    user: entry.user.clone(),
                    at: entry.at,
                };
                let saved = Response::Saved {
                    kind: T::KIND,
                    id,
                    version: entry.version,
                };
                Ok((saved, Some(event)))
            }
            Err(Reject::NotFound) => Ok((Response::NotFound { kind: T::KIND, id }, None)),
            Err(Reject::Conflict(current)) => {
                let since = expected.unwrap_or(0);
                let fields = merge_changes(
                    self.store
                        .audit_of_in(staged, T::KIND, id)?
                        .into_iter()
                        .filter(|e| e.version > since)
                        .flat_map(|e| e.changes),
                );
                let conflict = ConflictInfo {
                    kind: T::KIND,
                    id,
                    expected_version: since,
                    changed_by: current.meta.updated_by.clone(),
                    changed_at: current.meta.updated_at,
                    current: T::into_any(*current),
                    fields,
                };
                Ok((Response::Conflict(Box::new(conflict)), None))
            }
        }
    }
}

fn set_archived_dyn<T: Kind>(
    s: &Service,
    who: &Identity,
    id: Id,
    expected: u64,
    archived: bool,
) -> Result<(Response, Option<ChangeEvent>), StoreError> {
    s.set_archived::<T>(who, id, expected, archived)
}

fn purge_dyn<T: Kind>(
    s: &Service,
    who: &Identity,
    id: Id,
) -> Result<(Response, Option<ChangeEvent>), StoreError> {
    s.purge::<T>(who, id)
}

/// Collapse successive changes to one per field: the oldest "old" and the newest "new".
fn merge_changes(changes: impl Iterator<Item = FieldChange>) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|o| o.field == c.field) {
            Some(o) => o.new = c.new,
            None => out.push(c),
        }
    }
    out.retain(|c| c.old != c.new);
    out
}
