//! The overview: what is due this week and in the next 30 days, across the workspace, computed
//! from the in-memory model in one request (renewals, governance meetings, evaluations, goals
//! without follow-up, upcoming activities, the team's action items by owner).

use super::api::{ActionRow, ActivityQuery, Archived, Renewal};
use super::{Service, lock};
use crate::domain::{Activity, ActivityStatus, Id, MeetingKind};
use crate::store::StoreError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many days ahead the overview looks.
pub const OVERVIEW_DAYS: u64 = 30;
/// At most this many upcoming activities are listed (the count is of them all).
pub const OVERVIEW_ACTIVITIES: usize = 200;

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
    /// A partner's agreement is inside its lead time or has run out.
    Renewal { partner: Id, renewal: Renewal },
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
    /// In group order; action items by owner, then due date.
    pub lines: Vec<OverviewLine>,
    /// How many upcoming activities there are (the lines hold at most
    /// [`OVERVIEW_ACTIVITIES`]).
    pub activities: usize,
}

impl Overview {
    /// How many lines each group has (upcoming activities: all of them), in
    /// [`OverviewGroup::ALL`] order.
    pub fn counts(&self) -> [usize; 6] {
        let mut c = [0; 6];
        for l in &self.lines {
            let g = l.item.group();
            if g != OverviewGroup::Activities {
                c[OverviewGroup::ALL.iter().position(|x| *x == g).unwrap_or(0)] += 1;
            }
        }
        c[4] = self.activities;
        c
    }
}

/// Whether an open action item with `due` counts in a window ending `until`.
fn action_due(r: &ActionRow, until: NaiveDate) -> Option<NaiveDate> {
    r.item.due.filter(|d| !r.item.done && *d <= until)
}

impl Service {
    /// The overview as of today.
    pub(super) fn overview(&self) -> Result<Overview, StoreError> {
        let today = self.today();
        let until = today
            .checked_add_days(Days::new(OVERVIEW_DAYS))
            .unwrap_or(today);
        let mut m = lock(&self.model);
        let ids: Vec<Id> = m.sorted(crate::i18n::Lang::En).to_vec();
        let ids: Vec<Id> = ids
            .into_iter()
            .filter(|id| m.is_active_partner(*id))
            .collect();
        let name = |m: &super::model::Model, id: &Id| {
            m.partners
                .get(id)
                .map(|e| e.rec.data.name.clone())
                .unwrap_or_default()
        };
        let names = |m: &super::model::Model, ids: &[Id]| {
            let v: Vec<String> = ids.iter().map(|i| name(m, i)).collect();
            v.join(", ")
        };
        let mut lines = Vec::new();
        let mut renewals: Vec<(NaiveDate, OverviewLine)> = Vec::new();
        for id in &ids {
            let renewal = m.renewal(*id, today);
            if let Renewal::Due { end } | Renewal::Expired { end } = renewal {
                let item = OverviewItem::Renewal {
                    partner: *id,
                    renewal,
                };
                let partners = name(&m, id);
                renewals.push((end, OverviewLine { item, partners }));
            }
        }
        renewals.sort_by_key(|(end, _)| *end);
        lines.extend(renewals.into_iter().map(|(_, l)| l));
        let mut meetings = Vec::new();
        {
            let tiers: Vec<_> = ids
                .iter()
                .filter_map(|id| {
                    let p = &m.partners.get(id)?.rec.data;
                    Some((*id, (p.tier, p.phase), name(&m, id)))
                })
                .collect();
            let gov = m.gov(&self.store)?;
            for (id, tp, partners) in tiers {
                let Some(g) = gov.governance(id, tp, today) else {
                    continue;
                };
                for c in g
                    .meetings
                    .iter()
                    .filter(|c| c.state != super::RhythmState::Kept)
                {
                    let item = OverviewItem::Meeting {
                        partner: id,
                        kind: c.kind,
                        due: c.next_due,
                    };
                    let line = OverviewLine {
                        item,
                        partners: partners.clone(),
                    };
                    meetings.push((c.next_due, line));
                }
            }
        }
        meetings.sort_by_key(|(d, _)| (d.is_some(), *d));
        lines.extend(meetings.into_iter().map(|(_, l)| l));
        let named: Vec<(Id, String)> = ids.iter().map(|id| (*id, name(&m, id))).collect();
        {
            let life = m.life(&self.store)?;
            let mut evals = Vec::new();
            let mut goals = Vec::new();
            for (id, partners) in &named {
                let next = life
                    .evaluations
                    .live(*id)
                    .next_back()
                    .and_then(|e| e.data.next);
                if let Some(due) = next.filter(|d| *d <= until) {
                    let item = OverviewItem::Evaluation { partner: *id, due };
                    let partners = partners.clone();
                    evals.push((due, OverviewLine { item, partners }));
                }
                let mut mine: Vec<_> = life
                    .live_goals(*id)
                    .filter_map(|g| {
                        let (last, lacks) = life.follow_up(g, today);
                        lacks.then(|| OverviewItem::Goal {
                            partner: *id,
                            goal: g.meta.id,
                            text: g.data.text.clone(),
                            last,
                        })
                    })
                    .collect();
                mine.sort_by_key(|i| match i {
                    OverviewItem::Goal { goal, .. } => *goal,
                    _ => Id(0),
                });
                goals.extend(mine.into_iter().map(|item| OverviewLine {
                    item,
                    partners: partners.clone(),
                }));
            }
            evals.sort_by_key(|(d, _)| *d);
            lines.extend(evals.into_iter().map(|(_, l)| l));
            lines.extend(goals);
        }
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
        let mut actions: Vec<(String, NaiveDate, OverviewLine)> = Vec::new();
        let rows: Vec<ActionRow> = m
            .actions(&self.store, today)?
            .iter()
            .filter(|r| action_due(r, until).is_some())
            .cloned()
            .collect();
        for r in rows {
            let Some(due) = action_due(&r, until) else {
                continue;
            };
            let partners = names(&m, &r.partners);
            let item = OverviewItem::Action {
                note: r.note,
                owner: r.item.owner.clone(),
                text: r.item.text.clone(),
                due,
            };
            let key = crate::domain::text::fold(&r.item.owner);
            actions.push((key, due, OverviewLine { item, partners }));
        }
        actions.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        lines.extend(actions.into_iter().map(|(_, _, l)| l));
        Ok(Overview {
            today,
            until,
            lines,
            activities,
        })
    }

    /// The planned activities (not archived) dated today to `until`: the first
    /// [`OVERVIEW_ACTIVITIES`] read from the store, and how many there are.
    fn upcoming(
        &self,
        m: &mut super::model::Model,
        today: NaiveDate,
        until: NaiveDate,
    ) -> Result<(Vec<crate::domain::Record<Activity>>, usize), StoreError> {
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
            if ids.len() < OVERVIEW_ACTIVITIES {
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
