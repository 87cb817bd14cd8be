//! Read requests.

use super::api::*;
use super::model::Model;
use super::{Kind, Service, by_kind, lock};
use crate::domain::{
    Activity, ActivityStatus, Agreement, Assessment, Contact, EntityKind, Id, Partner, Record,
    text::fold,
};
use crate::store::{Store, StoreError, TreeId, date_key, id_suffix};
use chrono::{Months, NaiveDate};
use std::collections::HashSet;

impl Service {
    pub(super) fn query(&self, req: Request) -> Result<Response, StoreError> {
        Ok(match req {
            Request::Partners(q) => Response::Partners(self.partners(&q)?),
            Request::PartnerDetail(id) => match self.partner_detail(id)? {
                Some(d) => Response::PartnerDetail(Box::new(d)),
                None => Response::NotFound {
                    kind: EntityKind::Partner,
                    id,
                },
            },
            Request::Get { kind, id } => match by_kind!(kind, get_any, &self.store, id)? {
                Some(r) => Response::Record(r),
                None => Response::NotFound { kind, id },
            },
            Request::Activities(q) => Response::Activities(self.activities(&q)?),
            Request::Timeline(q) => Response::Timeline(self.timeline(&q)?),
            Request::PartnerNames { lang } => {
                let mut m = lock(&self.model);
                let ids = m.sorted(lang).to_vec();
                Response::PartnerNames(
                    ids.into_iter()
                        .filter_map(|id| {
                            let e = m.partners.get(&id)?;
                            (!e.rec.meta.archived).then(|| (id, e.rec.data.name.clone()))
                        })
                        .collect(),
                )
            }
            Request::Today => Response::Today(self.today()),
            Request::ActivityScan {
                query,
                after,
                limit,
            } => self.activity_scan(&query, after, limit)?,
            Request::Matrix(q) => Response::Matrix(self.matrix(&q)?),
            Request::AssessmentHistory { partner, value } => {
                let prefix = [&partner.to_be_bytes()[..], &[value.index() as u8]].concat();
                let mut out = Vec::new();
                for k in self
                    .store
                    .index_prefix(TreeId::AssessmentByPartnerValue, &prefix)
                    .rev()
                {
                    if let Some(r) = self.store.get::<Assessment>(id_suffix(&k?))?
                        && !r.meta.archived
                    {
                        out.push(r);
                    }
                }
                Response::Assessments(out)
            }
            Request::Notes(q) => Response::Notes(self.notes(&q)?),
            Request::ActionItems(q) => {
                let today = self.today();
                let wanted = |r: &ActionRow| {
                    q.owner.as_ref().is_none_or(|o| r.item.owner == *o)
                        && q.partner.is_none_or(|p| r.partners.contains(&p))
                };
                // The model holds the open items; done ones are read from the notes.
                let mut rows: Vec<ActionRow> = if q.open_only {
                    let mut m = lock(&self.model);
                    let open = m.actions(&self.store, today)?;
                    open.iter().filter(|r| wanted(r)).cloned().collect()
                } else {
                    let mut all = super::model::all_actions(&self.store, today)?;
                    all.retain(wanted);
                    all
                };
                rows.sort_by(|a, b| {
                    (a.item.done, a.item.due.is_none(), a.item.due, a.note_date).cmp(&(
                        b.item.done,
                        b.item.due.is_none(),
                        b.item.due,
                        b.note_date,
                    ))
                });
                Response::ActionItems(rows)
            }
            Request::Audit(q) => {
                let limit = if q.limit == 0 { usize::MAX } else { q.limit };
                let entries = match q.record {
                    Some((kind, id)) => self.store.audit_of(kind, id)?,
                    None => self
                        .store
                        .audit(q.before)
                        .take(limit)
                        .collect::<Result<_, _>>()?,
                };
                Response::Audit(entries)
            }
            Request::Stats => Response::Stats(self.stats()),
            Request::RenewalsDue => {
                let today = self.today();
                let mut m = lock(&self.model);
                let ids: Vec<Id> = m.sorted(crate::i18n::Lang::En).to_vec();
                let mut rows: Vec<RenewalRow> = ids
                    .into_iter()
                    .filter(|id| m.is_active_partner(*id))
                    .filter_map(|id| {
                        let renewal = m.renewal(id, today);
                        let name = m.partners.get(&id)?.rec.data.name.clone();
                        (renewal != Renewal::None).then_some(RenewalRow {
                            partner: id,
                            name,
                            renewal,
                        })
                    })
                    .collect();
                rows.sort_by_key(|r| match r.renewal {
                    Renewal::Expired { end } | Renewal::Due { end } => Some(end),
                    Renewal::None => None,
                });
                Response::Renewals(rows)
            }
            Request::Overview => Response::Overview(Box::new(self.overview()?)),
            Request::Portfolio { year, lang } => {
                Response::Portfolio(Box::new(self.portfolio(year, lang)?))
            }
            Request::PartnerYear { partner, year } => match self.partner_year(partner, year)? {
                Some(y) => Response::PartnerYear(Box::new(y)),
                None => Response::NotFound {
                    kind: EntityKind::Partner,
                    id: partner,
                },
            },
            req @ (Request::Lifecycle(_)
            | Request::GoalLinksFor { .. }
            | Request::PhaseCriteria(_)) => self.life_query(req)?,
            _ => Response::Failed(super::Failure::Internal),
        })
    }

    fn row(&self, m: &mut Model, id: Id, today: NaiveDate) -> Result<PartnerRow, StoreError> {
        let scores = m.scores(&self.store, id)?;
        let agreement_end = m.agreement_end(id);
        let renewal = m.renewal(id, today);
        let governance = m.governance_mark(&self.store, id, today)?;
        let Some(e) = m.partners.get(&id) else {
            return Err(StoreError::Invalid(format!(
                "partner {id} vanished from the model"
            )));
        };
        let p = &e.rec.data;
        Ok(PartnerRow {
            id,
            version: e.rec.meta.version,
            name: p.name.clone(),
            short_name: p.short_name.clone(),
            kind: p.kind,
            country: p.country.clone(),
            city: p.city.clone(),
            phase: p.phase,
            tier: p.tier,
            agreement_end,
            renewal,
            governance,
            scores,
            archived: e.rec.meta.archived,
        })
    }

    /// Partner ids matching the query, in the query's order: the last answer again while
    /// nothing has changed (see [`Model::ids_memo`]).
    fn partner_ids(&self, m: &mut Model, q: &PartnerQuery) -> Result<Vec<Id>, StoreError> {
        let today = self.today();
        let key = PartnerQuery {
            offset: 0,
            limit: 0,
            ..q.clone()
        };
        if let Some((k, day, ids)) = &m.ids_memo
            && *k == key
            && *day == today
        {
            return Ok(ids.clone());
        }
        let ids = self.filter_partners(m, q)?;
        m.ids_memo = Some((key, today, ids.clone()));
        Ok(ids)
    }

    /// Partner ids matching the query, in the query's order, worked out from every partner.
    fn filter_partners(&self, m: &mut Model, q: &PartnerQuery) -> Result<Vec<Id>, StoreError> {
        let needle = fold(q.text.trim());
        let country = q
            .country
            .as_ref()
            .map(|c| crate::domain::country::normalise(c));
        let mut ids: Vec<Id> = m.sorted(q.lang).to_vec();
        if q.governance_behind {
            let today = self.today();
            let mut behind = Vec::with_capacity(ids.len());
            for id in ids {
                if m.governance_mark(&self.store, id, today)? == super::GovernanceMark::Behind {
                    behind.push(id);
                }
            }
            ids = behind;
        }
        let mut out: Vec<Id> = ids
            .into_iter()
            .filter(|id| {
                let Some(e) = m.partners.get(id) else {
                    return false;
                };
                let p = &e.rec.data;
                q.archived.admits(e.rec.meta.archived)
                    && q.phase.is_none_or(|x| p.phase == x)
                    && q.kind.is_none_or(|x| p.kind == x)
                    && q.tier.is_none_or(|x| p.tier == x)
                    && country.as_ref().is_none_or(|c| p.country == *c)
                    && (needle.is_empty() || e.search.contains(&needle))
            })
            .collect();
        match q.sort {
            PartnerColumn::Name => {}
            PartnerColumn::Kind => {
                out.sort_by_key(|id| m.partners.get(id).map(|e| e.rec.data.kind))
            }
            PartnerColumn::Country => {
                out.sort_by(|a, b| {
                    let ca = m.partners.get(a).map(|e| e.rec.data.country.as_str());
                    let cb = m.partners.get(b).map(|e| e.rec.data.country.as_str());
                    ca.cmp(&cb)
                });
            }
            PartnerColumn::Phase => {
                out.sort_by_key(|id| m.partners.get(id).map(|e| e.rec.data.phase))
            }
            PartnerColumn::AgreementEnd => {
                // Partners without an agreement end come last.
                out.sort_by_key(|id| {
                    let end = m.agreement_end(*id);
                    (end.is_none(), end)
                });
            }
            PartnerColumn::Value => {
                m.ensure_all_scores(&self.store)?;
                let mut keyed: Vec<(i32, Id)> = Vec::with_capacity(out.len());
                for id in &out {
                    let s = m.scores(&self.store, *id)?;
                    keyed.push((mean(&s).map(|x| (x * 1000.0) as i32).unwrap_or(-1), *id));
                }
                // Highest first is the natural order for scores.
                keyed.sort_by_key(|k| std::cmp::Reverse(k.0));
                out = keyed.into_iter().map(|(_, id)| id).collect();
            }
        }
        if q.descending {
            out.reverse();
        }
        Ok(out)
    }

    fn partners(&self, q: &PartnerQuery) -> Result<Page<PartnerRow>, StoreError> {
        let today = self.today();
        let mut m = lock(&self.model);
        let ids = self.partner_ids(&mut m, q)?;
        let total = ids.len();
        let limit = if q.limit == 0 { usize::MAX } else { q.limit };
        if ids.len().saturating_sub(q.offset).min(limit) > 200 {
            // Many rows: one pass over all assessments beats a lookup per partner.
            m.ensure_all_scores(&self.store)?;
        }
        let mut items = Vec::new();
        for id in ids.into_iter().skip(q.offset).take(limit) {
            items.push(self.row(&mut m, id, today)?);
        }
        Ok(Page {
            total,
            offset: q.offset,
            items,
        })
    }

    fn partner_detail(&self, id: Id) -> Result<Option<PartnerDetail>, StoreError> {
        let today = self.today();
        let Some(partner) = self.store.get::<Partner>(id)? else {
            return Ok(None);
        };
        let two_years_ago = today.checked_sub_months(Months::new(24)).unwrap_or(today);
        let (mut contacts, mut archived_contacts) = (Vec::new(), Vec::new());
        for k in self
            .store
            .index_prefix(TreeId::ContactByPartner, &id.to_be_bytes())
        {
            if let Some(c) = self.store.get::<Contact>(id_suffix(&k?))? {
                if c.meta.archived {
                    archived_contacts.push(c);
                } else {
                    contacts.push(c);
                }
            }
        }
        let mut recent_activities = Vec::new();
        let mut kinds = HashSet::new();
        let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
        let mut value_activities = [0u32; 6];
        for k in self
            .store
            .index_prefix(TreeId::ActivityByPartner, &id.to_be_bytes())
            .rev()
        {
            let k = k?;
            let aid = id_suffix(&k);
            let Some(a) = self.store.get::<Activity>(aid)? else {
                continue;
            };
            if a.meta.archived {
                continue;
            }
            let in_window = a.data.date >= two_years_ago && a.data.date <= today;
            if in_window && a.data.status != ActivityStatus::Cancelled {
                kinds.insert(a.data.kind);
                if a.data.date >= year_ago {
                    for v in &a.data.values {
                        value_activities[v.index()] += 1;
                    }
                }
            }
            if recent_activities.len() < 50 && a.data.date <= today {
                recent_activities.push(a);
            } else if a.data.date < two_years_ago && recent_activities.len() >= 50 {
                break;
            }
        }
        let mut m = lock(&self.model);
        let scores = m.scores(&self.store, id)?;
        let renewal = m.renewal(id, today);
        let (mut agreements, mut archived_agreements): (Vec<Record<Agreement>>, Vec<_>) = m
            .agreements
            .get(&id)
            .map(|v| v.iter().cloned().partition(|a| !a.meta.archived))
            .unwrap_or_default();
        agreements.sort_by_key(|a| std::cmp::Reverse(a.data.start));
        archived_agreements.sort_by_key(|a| std::cmp::Reverse(a.data.start));
        let partner_values = m
            .life(&self.store)?
            .evaluations
            .live(id)
            .next_back()
            .map(|e| {
                e.data
                    .values
                    .iter()
                    .filter(|s| s.partner.is_some_and(|x| x >= 3))
                    .count()
            });
        let theirs = m.life(&self.store)?.partner_view(id);
        let checklist = m.renewal_checklist(id, today);
        let open_goals = m
            .life(&self.store)?
            .live_goals(id)
            .filter(|g| g.data.status == crate::domain::GoalStatus::Open)
            .count();
        let open_actions: Vec<ActionRow> = m
            .actions(&self.store, today)?
            .iter()
            .filter(|r| !r.item.done && r.partners.contains(&id))
            .cloned()
            .collect();
        drop(m);
        let p = &partner.data;
        let longest = agreements.iter().filter_map(|a| a.data.months()).max();
        let open_ended = agreements.iter().any(|a| {
            a.data.end.is_none() && a.data.status == crate::domain::AgreementStatus::Active
        });
        let profile = [
            ProfileCheck::SeniorSponsors {
                ours: p.sponsors_ours.len(),
                theirs: p.sponsors_partner.len(),
            },
            ProfileCheck::LongTermAgreement {
                longest_months: longest,
                open_ended,
            },
            ProfileCheck::CommonGoals { goals: open_goals },
            ProfileCheck::DiverseActivities { kinds: kinds.len() },
            ProfileCheck::MutualBenefit {
                values: scores.iter().flatten().filter(|c| c.score >= 3).count(),
                partner_values,
            },
            ProfileCheck::UniversityWide {
                faculties: p.faculties.len(),
            },
        ];
        Ok(Some(PartnerDetail {
            partner,
            agreements,
            contacts,
            archived_agreements,
            archived_contacts,
            recent_activities,
            open_actions,
            scores,
            checklist,
            theirs,
            value_activities,
            renewal,
            profile,
        }))
    }

    fn matrix(&self, q: &MatrixQuery) -> Result<Matrix, StoreError> {
        let today = self.today();
        let mut m = lock(&self.model);
        m.ensure_all_scores(&self.store)?;
        let mut pq = q.partners.clone();
        let descending = pq.descending;
        if q.sort_by_value.is_some() {
            pq.sort = PartnerColumn::Name;
            pq.descending = false;
        }
        let mut ids = self.partner_ids(&mut m, &pq)?;
        let mut all = Vec::with_capacity(ids.len());
        for id in &ids {
            all.push((*id, m.scores(&self.store, *id)?));
        }
        if let Some(v) = q.sort_by_value {
            let i = v.index();
            // Highest score first; unscored last; `descending` flips it.
            all.sort_by_key(|(_, s)| {
                std::cmp::Reverse(s[i].map(|c| i16::from(c.score)).unwrap_or(-1))
            });
            if descending {
                all.reverse();
            }
            ids = all.iter().map(|(id, _)| *id).collect();
        }
        // The partners' own views, once per partner, in the rows' order.
        let life = m.life(&self.store)?;
        let views: Vec<Theirs> = all.iter().map(|(id, _)| life.partner_view(*id)).collect();
        let value_means = per_value_means(all.iter().map(|(_, s)| s.map(|c| c.map(|c| c.score))));
        let partner_means = per_value_means(views.iter().map(|t| t.map(|c| c.map(|c| c.score))));
        let total = ids.len();
        let limit = if pq.limit == 0 { usize::MAX } else { pq.limit };
        let page: Vec<((Id, Scores), Theirs)> = all
            .into_iter()
            .zip(views)
            .skip(pq.offset)
            .take(limit)
            .collect();
        let mut rows = Vec::with_capacity(page.len());
        for ((id, scores), theirs) in page {
            let name = m
                .partners
                .get(&id)
                .map(|e| e.rec.data.name.clone())
                .unwrap_or_default();
            rows.push(MatrixRow {
                partner: id,
                name,
                scores,
                theirs,
                activity_counts: None,
                mean: mean(&scores),
            });
        }
        drop(m);
        if q.with_activity_counts {
            let since = today.checked_sub_months(Months::new(12)).unwrap_or(today);
            for row in &mut rows {
                row.activity_counts =
                    Some(activity_counts(&self.store, row.partner, since, today)?);
            }
        }
        Ok(Matrix {
            rows: Page {
                total,
                offset: pq.offset,
                items: rows,
            },
            value_means,
            partner_means,
        })
    }
}

fn get_any<T: Kind>(store: &Store, id: Id) -> Result<Option<AnyRecord>, StoreError> {
    Ok(store.get::<T>(id)?.map(T::into_any))
}

/// The mean per value over the rows that have a score on it (None where none has).
fn per_value_means(rows: impl Iterator<Item = [Option<u8>; 6]>) -> [Option<f32>; 6] {
    let mut acc = [(0u32, 0u32); 6];
    for row in rows {
        for (slot, score) in acc.iter_mut().zip(row) {
            if let Some(x) = score {
                slot.0 += u32::from(x);
                slot.1 += 1;
            }
        }
    }
    acc.map(|(sum, n)| (n > 0).then(|| sum as f32 / n as f32))
}

/// Mean of the latest scores that exist.
pub fn mean(s: &Scores) -> Option<f32> {
    let v: Vec<f32> = s.iter().flatten().map(|c| f32::from(c.score)).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f32>() / v.len() as f32)
}

/// Activities (done or planned, not archived) per value for one partner in `[since, today]`.
fn activity_counts(
    store: &Store,
    partner: Id,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<[u32; 6], StoreError> {
    let p = partner.to_be_bytes();
    let from = [&p[..], &date_key(since)].concat();
    let to = [&p[..], &date_key(today.succ_opt().unwrap_or(today))].concat();
    let mut counts = [0u32; 6];
    for k in store.index_range(TreeId::ActivityByPartner, &from, &to) {
        if let Some(a) = store.get::<Activity>(id_suffix(&k?))?
            && !a.meta.archived
            && a.data.status != ActivityStatus::Cancelled
        {
            for v in &a.data.values {
                counts[v.index()] += 1;
            }
        }
    }
    Ok(counts)
}
