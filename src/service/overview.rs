//! The overview: what is due this week and in the next 30 days, across the workspace, computed
//! from the in-memory model in one request (renewals, governance meetings, evaluations, goals
//! without follow-up, upcoming activities, the team's action items by owner).

use super::api::{ActionRow, ActivityQuery, Archived, Renewal};
use super::lifecycle::Lifecycle;
use super::model::Model;
use super::{Request, Service, lock};
use crate::domain::{Activity, ActivityStatus, Id, MeetingKind, Record};
use crate::store::Store;
use crate::store::StoreError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many days ahead the overview looks.
pub const OVERVIEW_DAYS: u64 = 30;
/// At most this many lines of each group are listed (the counts are of them all): the answer,
/// and what the pane draws, stay small on any workspace (the large demo has over 10,000 goals
/// without follow-up).
pub const OVERVIEW_LINES: usize = 200;

/// The groups of the overview, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverviewGroup {
    Renewals,
    Meetings,
    Evaluations,
    Goals,
    Activities,
    Actions,
}

/// A group's place in [`OverviewGroup::ALL`].
fn group_index(g: OverviewGroup) -> usize {
    OverviewGroup::ALL.iter().position(|x| *x == g).unwrap_or(0)
}

impl OverviewGroup {
    pub const ALL: [OverviewGroup; 6] = [
        OverviewGroup::Renewals,
        OverviewGroup::Meetings,
        OverviewGroup::Evaluations,
        OverviewGroup::Goals,
        OverviewGroup::Activities,
        OverviewGroup::Actions,
    ];
}

/// What a line of the overview says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverviewItem {
    /// A partner's agreement is inside its lead time or has run out, with its checklist.
    Renewal {
        partner: Id,
        renewal: Renewal,
        checklist: Option<super::api::RenewalChecklist>,
    },
    /// A governed meeting is overdue (`due`) or was never held (None).
    Meeting {
        partner: Id,
        kind: MeetingKind,
        due: Option<NaiveDate>,
    },
    /// The next evaluation is due on `due` (passed, or within the window).
    Evaluation { partner: Id, due: NaiveDate },
    /// An open goal with nothing linked in the follow-up window.
    Goal {
        partner: Id,
        goal: Id,
        text: String,
        last: Option<NaiveDate>,
    },
    /// A planned activity within the window.
    Activity {
        id: Id,
        date: NaiveDate,
        title: String,
    },
    /// An open action item that is overdue or due within the window.
    Action {
        note: Id,
        owner: String,
        text: String,
        due: NaiveDate,
    },
}

impl OverviewItem {
    pub fn group(&self) -> OverviewGroup {
        match self {
            OverviewItem::Renewal { .. } => OverviewGroup::Renewals,
            OverviewItem::Meeting { .. } => OverviewGroup::Meetings,
            OverviewItem::Evaluation { .. } => OverviewGroup::Evaluations,
            OverviewItem::Goal { .. } => OverviewGroup::Goals,
            OverviewItem::Activity { .. } => OverviewGroup::Activities,
            OverviewItem::Action { .. } => OverviewGroup::Actions,
        }
    }
}

/// One line: what is due, and the partner names it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewLine {
    pub item: OverviewItem,
    /// The partners' names, joined (empty for none).
    pub partners: String,
}

/// The whole overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub today: NaiveDate,
    /// The last day of the window.
    pub until: NaiveDate,
    /// In group order; action items by owner, then due date. At most [`OVERVIEW_LINES`] of
    /// each group.
    pub lines: Vec<OverviewLine>,
    /// How many lines each group has in all, in [`OverviewGroup::ALL`] order.
    pub counts: [usize; 6],
}

impl Overview {
    /// How many lines each group has in all, in [`OverviewGroup::ALL`] order.
    pub fn counts(&self) -> [usize; 6] {
        self.counts
    }
}

/// Partners (not archived) with their names, in name order.
type Named = [(Id, String)];

/// The partners' names, joined.
fn names(m: &Model, ids: &[Id]) -> String {
    let v: Vec<&str> = ids
        .iter()
        .filter_map(|i| Some(m.partners.get(i)?.rec.data.name.as_str()))
        .collect();
    v.join(", ")
}

/// Agreements inside their lead time or past their end, the earliest end first.
fn renewal_lines(m: &Model, named: &Named, today: NaiveDate) -> Vec<OverviewLine> {
    let mut out: Vec<(NaiveDate, OverviewLine)> = Vec::new();
    for (id, name) in named {
        let renewal = m.renewal(*id, today);
        if let Renewal::Due { end } | Renewal::Expired { end } = renewal {
            let item = OverviewItem::Renewal {
                partner: *id,
                renewal,
                checklist: m.renewal_checklist(*id, today),
            };
            let partners = name.clone();
            out.push((end, OverviewLine { item, partners }));
        }
    }
    out.sort_by_key(|(end, _)| *end);
    out.into_iter().map(|(_, l)| l).collect()
}

/// Governed meetings overdue or never held, per partner and kind: never held first, then by
/// the day they were due.
fn meeting_lines(
    m: &mut Model,
    store: &Store,
    named: &Named,
    today: NaiveDate,
) -> Result<Vec<OverviewLine>, StoreError> {
    let tiers: Vec<_> = named
        .iter()
        .filter_map(|(id, name)| {
            let p = &m.partners.get(id)?.rec.data;
            Some((*id, (p.tier, p.phase), name))
        })
        .collect();
    let gov = m.gov(store)?;
    let mut out = Vec::new();
    for (id, tier_phase, name) in tiers {
        let Some(g) = gov.governance(id, tier_phase, today) else {
            continue;
        };
        let behind = g
            .meetings
            .iter()
            .filter(|c| c.state != super::RhythmState::Kept);
        for c in behind {
            let item = OverviewItem::Meeting {
                partner: id,
                kind: c.kind,
                due: c.next_due,
            };
            let partners = name.clone();
            out.push((c.next_due, OverviewLine { item, partners }));
        }
    }
    out.sort_by_key(|(d, _)| (d.is_some(), *d));
    Ok(out.into_iter().map(|(_, l)| l).collect())
}

/// Partners whose latest evaluation names a next one due by `until`, the earliest first.
fn evaluation_lines(life: &Lifecycle, named: &Named, until: NaiveDate) -> Vec<OverviewLine> {
    let mut out = Vec::new();
    for (id, name) in named {
        let next = life
            .evaluations
            .live(*id)
            .next_back()
            .and_then(|e| e.data.next);
        if let Some(due) = next.filter(|d| *d <= until) {
            let item = OverviewItem::Evaluation { partner: *id, due };
            let partners = name.clone();
            out.push((due, OverviewLine { item, partners }));
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out.into_iter().map(|(_, l)| l).collect()
}

/// Open goals with nothing linked in the follow-up window, by partner, then goal.
fn goal_lines(life: &Lifecycle, named: &Named, today: NaiveDate) -> Vec<OverviewLine> {
    let mut out = Vec::new();
    // Every goal's last follow-up in one pass over the links (goal by goal, every goal's links
    // were looked up at random: half of the overview's time on the large workspace).
    let last_of = life.last_follow_ups(today);
    for (id, name) in named {
        let mut mine: Vec<(Id, OverviewItem)> = life
            .live_goals(*id)
            .filter_map(|g| {
                let last = last_of.get(&g.meta.id).copied();
                let lacks = crate::domain::goal::lacks_follow_up(g.data.status, last, today);
                let item = OverviewItem::Goal {
                    partner: *id,
                    goal: g.meta.id,
                    text: g.data.text.clone(),
                    last,
                };
                lacks.then_some((g.meta.id, item))
            })
            .collect();
        mine.sort_by_key(|(g, _)| *g);
        out.extend(mine.into_iter().map(|(_, item)| OverviewLine {
            item,
            partners: name.clone(),
        }));
    }
    out
}

/// Whether an open action item counts in a window ending `until`: its due date if so.
fn action_due(r: &ActionRow, until: NaiveDate) -> Option<NaiveDate> {
    r.item.due.filter(|d| !r.item.done && *d <= until)
}

/// The team's open action items overdue or due by `until`, by owner (folded), then due date.
fn action_lines(
    m: &mut Model,
    store: &Store,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<OverviewLine>, StoreError> {
    let rows: Vec<(NaiveDate, ActionRow)> = m
        .actions(store, today)?
        .iter()
        .filter_map(|r| Some((action_due(r, until)?, r.clone())))
        .collect();
    let mut out: Vec<(String, NaiveDate, OverviewLine)> = rows
        .into_iter()
        .map(|(due, r)| {
            let partners = names(m, &r.partners);
            let key = crate::domain::text::fold(&r.item.owner);
            let item = OverviewItem::Action {
                note: r.note,
                owner: r.item.owner,
                text: r.item.text,
                due,
            };
            (key, due, OverviewLine { item, partners })
        })
        .collect();
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(out.into_iter().map(|(_, _, l)| l).collect())
}

/// Whether a request uses the life cycle (goals, links, phases, evaluations): the dispatcher
/// builds it first without the model lock ([`Service::read_life`]). A request left out here
/// still gets it, built under the lock.
pub(super) fn needs_life(req: &Request) -> bool {
    req.is_batched()
        || matches!(
            req,
            Request::Overview
                | Request::PartnerDetail(_)
                | Request::Matrix(_)
                | Request::Lifecycle(_)
                | Request::GoalLinksFor { .. }
                | Request::PhaseCriteria(_)
                | Request::Portfolio { .. }
                | Request::PartnerYear { .. }
        )
}

impl Service {
    /// The overview as of today.
    /// Build the life cycle with its records read without the model lock (the first overview
    /// comes at start, and the other panes' queries should not wait for it). One read at a
    /// time: a second caller waits for the first and finds the life cycle built. Called before
    /// the model lock is taken (by the dispatcher, for every request that [`needs_life`]).
    pub(super) fn read_life(&self) -> Result<(), StoreError> {
        let _one = lock(&self.life_read);
        let epoch = {
            let m = lock(&self.model);
            if m.has_life() {
                return Ok(());
            }
            m.life_epoch()
        };
        let read = super::lifecycle::Lifecycle::read(&self.store)?;
        lock(&self.model).install_life(&self.store, read, epoch)
    }

    pub(super) fn overview(&self) -> Result<Overview, StoreError> {
        let today = self.today();
        let until = today
            .checked_add_days(Days::new(OVERVIEW_DAYS))
            .unwrap_or(today);
        // The activity table (on the first overview, at start) is built outside the model lock,
        // as the warm-up builds it, so the first screen's queries are not held up meanwhile.
        self.await_warm_up();
        if !lock(&self.model).has_activities() {
            let table = super::activities::Table::load(&self.store)?;
            lock(&self.model).install_activities(&self.store, table)?;
        }
        let mut m = lock(&self.model);
        let ids: Vec<Id> = m.sorted(crate::i18n::Lang::En).to_vec();
        let named: Vec<(Id, String)> = ids
            .into_iter()
            .filter(|id| m.is_active_partner(*id))
            .map(|id| (id, names(&m, &[id])))
            .collect();
        m.life(&self.store)?;
        let mut lines = renewal_lines(&m, &named, today);
        lines.extend(meeting_lines(&mut m, &self.store, &named, today)?);
        let life = m.life(&self.store)?;
        lines.extend(evaluation_lines(life, &named, until));
        lines.extend(goal_lines(life, &named, today));
        let (upcoming, activities) = self.upcoming(&mut m, today, until)?;
        for a in upcoming {
            let partners = names(&m, &a.data.partners);
            let item = OverviewItem::Activity {
                id: a.meta.id,
                date: a.data.date,
                title: a.data.title,
            };
            lines.push(OverviewLine { item, partners });
        }
        lines.extend(action_lines(&mut m, &self.store, today, until)?);
        let mut counts = [0; 6];
        for l in &lines {
            counts[group_index(l.item.group())] += 1;
        }
        counts[group_index(OverviewGroup::Activities)] = activities;
        let mut kept = [0; 6];
        lines.retain(|l| {
            let k = &mut kept[group_index(l.item.group())];
            *k += 1;
            *k <= OVERVIEW_LINES
        });
        Ok(Overview {
            today,
            until,
            lines,
            counts,
        })
    }

    /// The planned activities (not archived) dated today to `until`: the first
    /// [`OVERVIEW_LINES`] read from the store, and how many there are.
    fn upcoming(
        &self,
        m: &mut Model,
        today: NaiveDate,
        until: NaiveDate,
    ) -> Result<(Vec<Record<Activity>>, usize), StoreError> {
        let q = ActivityQuery {
            from: Some(today),
            to: Some(until),
            partner: None,
            kind: None,
            status: Some(ActivityStatus::Planned),
            value: None,
            text: String::new(),
            archived: Archived::Hide,
            newest_first: false,
            offset: 0,
            limit: 0,
        };
        let mut ids = Vec::new();
        let mut total = 0;
        m.activities(&self.store)?.each_match(&q, |_, id| {
            total += 1;
            if ids.len() < OVERVIEW_LINES {
                ids.push(id);
            }
            true
        });
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = self.store.get::<Activity>(id)? {
                out.push(r);
            }
        }
        Ok((out, total))
    }
}
