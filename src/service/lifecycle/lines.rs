//! Goal lines that arrive on a partner (a client or a test written for the first schema) become
//! goal records, written in the same transaction as the partner, which keeps no lines.

use crate::domain::{FieldError, Goal, GoalStatus, Id, Meta, Record, Rule, Timestamp, limits};
use crate::service::{ChangeEvent, Identity, Kind, Response, Service, lock};
use crate::store::{AuditAction, Change, StoreError};

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

    /// Write partner `target.0` (as `decide` makes it) and one open goal per line, owned by
    /// `owner`, in one transaction; then update the model and answer as a plain save does.
    pub(in crate::service) fn commit_with_goals<T: Kind>(
        &self,
        who: &Identity,
        (id, expected, action): (Id, Option<u64>, AuditAction),
        decide: &dyn Fn(Option<&Record<T>>) -> Change<T>,
        lines: &[String],
        owner: &str,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let first = self.store.reserve_ids(lines.len() as u64)?;
        let now = Timestamp::now();
        let goals: Vec<Record<Goal>> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| Record {
                meta: Meta {
                    id: Id(first + i as u64),
                    version: 1,
                    created_at: now,
                    created_by: who.user.clone(),
                    updated_at: now,
                    updated_by: who.user.clone(),
                    archived: false,
                },
                data: Goal {
                    text: l.clone(),
                    ..blank(id, owner.to_string())
                },
            })
            .collect();
        let outcome = self.store.together(|t| {
            let out = t.commit::<T>(id, &who.user, action, expected, decide)?;
            if out.is_ok() {
                for g in &goals {
                    let made =
                        t.commit::<Goal>(g.meta.id, &who.user, AuditAction::Create, None, |_| {
                            Change::Put(g.clone())
                        })?;
                    if made.is_err() {
                        return Err(StoreError::Invalid(format!(
                            "goal {} could not be created",
                            g.meta.id
                        ))
                        .into());
                    }
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
        }
        Ok(answer)
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
