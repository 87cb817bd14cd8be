//! The life cycle's answers, from the in-memory model.

use super::Lifecycle;
use super::api::{GoalChoice, GoalFollowUp, GoalLinkChoices, LinkedItem, PartnerLifecycle};
use crate::domain::{Goal, GoalStatus, Id, LinkSource, Record, goal::FOLLOW_UP_WINDOW_MONTHS};
use chrono::NaiveDate;

impl Lifecycle {
    /// One goal with its follow-up as of `today`.
    pub fn goal_follow_up(&self, g: &Record<Goal>, today: NaiveDate) -> GoalFollowUp {
        let since = today
            .checked_sub_months(chrono::Months::new(FOLLOW_UP_WINDOW_MONTHS))
            .unwrap_or(today);
        let mut linked: Vec<LinkedItem> = self
            .linked_to(g.meta.id, g.data.partner)
            .into_iter()
            .filter(|(_, s)| s.date >= since && s.date <= today)
            .map(|((source, id), s)| LinkedItem {
                source,
                id,
                date: s.date,
                // Read from the store by `life_query` below, once the model is unlocked.
                title: String::new(),
            })
            .collect();
        linked.sort_by_key(|i| std::cmp::Reverse((i.date, i.id)));
        let (last, no_follow_up) = self.follow_up(g, today);
        GoalFollowUp {
            goal: g.clone(),
            linked,
            last,
            no_follow_up,
        }
    }

    /// A partner's goals with their follow-up.
    pub fn partner_lifecycle(&self, partner: Id, today: NaiveDate) -> PartnerLifecycle {
        let mut goals: Vec<GoalFollowUp> = self
            .live_goals(partner)
            .map(|g| self.goal_follow_up(g, today))
            .collect();
        goals.sort_by_key(|g| goal_order(&g.goal));
        let mut archived_goals: Vec<Record<Goal>> = self
            .goals_of
            .get(&partner)
            .into_iter()
            .flatten()
            .filter_map(|id| self.goals.get(id))
            .filter(|g| g.meta.archived)
            .cloned()
            .collect();
        archived_goals.sort_by_key(|g| g.meta.id);
        let (suitability, archived_suitability) = self
            .suitability
            .of(partner)
            .iter()
            .rev()
            .cloned()
            .partition(|r| !r.meta.archived);
        PartnerLifecycle {
            partner,
            goals,
            archived_goals,
            phases: self.phases.live(partner).rev().cloned().collect(),
            next: None,
            suitability,
            archived_suitability,
            governance: None,
            evaluations: self.evaluations.live(partner).rev().cloned().collect(),
        }
    }

    /// The link dialog's choices for an activity or note of `partners` (with their names).
    pub fn link_choices(
        &self,
        source: LinkSource,
        source_id: Id,
        title: String,
        partners: &[(Id, String)],
    ) -> GoalLinkChoices {
        let key = (source, source_id);
        let current = self.goals_of_source(key);
        let links = self
            .links_of
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|id| self.links.get(id))
            .find(|r| !r.meta.archived)
            .cloned();
        let mut goals = Vec::new();
        for (pid, name) in partners {
            let mut mine: Vec<&Record<Goal>> = self
                .live_goals(*pid)
                .filter(|g| g.data.status == GoalStatus::Open || current.contains(&g.meta.id))
                .collect();
            mine.sort_by_key(|g| goal_order(g));
            goals.extend(mine.into_iter().map(|g| GoalChoice {
                id: g.meta.id,
                partner: *pid,
                partner_name: name.clone(),
                text: g.data.text.clone(),
                status: g.data.status,
            }));
        }
        GoalLinkChoices {
            source,
            source_id,
            title,
            links,
            goals,
        }
    }
}

/// Open goals first, then reached, then dropped; within each by deadline (none last), then id.
fn goal_order(g: &Record<Goal>) -> (GoalStatus, bool, Option<NaiveDate>, Id) {
    (
        g.data.status,
        g.data.deadline.is_none(),
        g.data.deadline,
        g.meta.id,
    )
}

impl crate::service::Service {
    /// The life cycle's read requests.
    pub(in crate::service) fn life_query(
        &self,
        req: crate::service::Request,
    ) -> Result<crate::service::Response, crate::store::StoreError> {
        use crate::domain::{Activity, EntityKind, Note};
        use crate::service::{Request, Response, lock};
        let today = self.today();
        Ok(match req {
            Request::Lifecycle(id) => {
                let found = lock(&self.model)
                    .partners
                    .get(&id)
                    .map(|e| (e.rec.data.tier, e.rec.data.phase));
                let Some((tier, phase)) = found else {
                    return Ok(Response::NotFound {
                        kind: EntityKind::Partner,
                        id,
                    });
                };
                let facts = self.facts(id, today)?;
                let mut m = lock(&self.model);
                let mut l = m.life(&self.store)?.partner_lifecycle(id, today);
                l.governance = m.gov(&self.store)?.governance(id, (tier, phase), today);
                drop(m);
                l.next = super::phase::next_phase(phase).map(|p| facts.checks(p));
                for item in l.goals.iter_mut().flat_map(|g| g.linked.iter_mut()) {
                    let title = match item.source {
                        LinkSource::Activity => {
                            self.store.get::<Activity>(item.id)?.map(|r| r.data.title)
                        }
                        LinkSource::Note => self.store.get::<Note>(item.id)?.map(|r| r.data.title),
                    };
                    item.title = title.unwrap_or_default();
                }
                Response::Lifecycle(Box::new(l))
            }
            Request::GoalLinksFor { source, id } => {
                let found = match source {
                    LinkSource::Activity => self
                        .store
                        .get::<Activity>(id)?
                        .map(|r| (r.data.title, r.data.partners)),
                    LinkSource::Note => self
                        .store
                        .get::<Note>(id)?
                        .map(|r| (r.data.title, r.data.partners)),
                };
                let Some((title, partners)) = found else {
                    return Ok(Response::NotFound {
                        kind: source.entity(),
                        id,
                    });
                };
                let mut m = lock(&self.model);
                let named: Vec<(Id, String)> = partners
                    .iter()
                    .filter_map(|p| Some((*p, m.partners.get(p)?.rec.data.name.clone())))
                    .collect();
                let life = m.life(&self.store)?;
                Response::GoalLinkChoices(Box::new(life.link_choices(source, id, title, &named)))
            }
            Request::PhaseCriteria(id) => match self.phase_criteria(id)? {
                Some(c) => Response::PhaseCriteria(Box::new(c)),
                None => Response::NotFound {
                    kind: EntityKind::Partner,
                    id,
                },
            },
            _ => Response::Failed(crate::service::Failure::Internal),
        })
    }
}
