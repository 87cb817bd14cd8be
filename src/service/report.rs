//! What the management reports need beyond the other answers, each computed in one pass from the
//! in-memory model: the portfolio of strategic partners ([`Portfolio`], one request for the whole
//! workspace instead of one per partner) and a partner's year ([`PartnerYear`]: its activities
//! per month, per added value and per goal).

use super::GovernanceMark;
use super::api::Renewal;
use super::model::Model;
use super::{Service, lock};
use crate::domain::{Enumerated, GoalStatus, Id, LinkSource, Phase, Tier};
use crate::i18n::Lang;
use crate::store::StoreError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a partner's goals stand (goals that are not archived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GoalCounts {
    pub open: u32,
    pub reached: u32,
    pub dropped: u32,
    /// Open goals with nothing linked in the follow-up window.
    pub no_follow_up: u32,
}

impl GoalCounts {
    fn add(&mut self, o: GoalCounts) {
        self.open += o.open;
        self.reached += o.reached;
        self.dropped += o.dropped;
        self.no_follow_up += o.no_follow_up;
    }
}

/// One strategic partner in the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub partner: Id,
    pub name: String,
    pub country: String,
    pub phase: Phase,
    /// The latest end among its agreements that are not archived.
    pub agreement_end: Option<NaiveDate>,
    pub renewal: Renewal,
    pub governance: GovernanceMark,
    /// Mean of our latest scores on the six values (None: nothing scored).
    pub ours: Option<f32>,
    /// Mean of the partner's own view, per value from the latest evaluation that scores it
    /// (None: not given).
    pub theirs: Option<f32>,
    pub goals: GoalCounts,
    /// Activities in the year (not archived, not cancelled).
    pub activities: u32,
}

/// The portfolio of strategic partners (not archived) and its totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub today: NaiveDate,
    pub year: i32,
    /// In name order for the language asked for.
    pub rows: Vec<PortfolioRow>,
    /// Activities of strategic partners per month of the year.
    pub months: [u32; 12],
    /// Partners per phase, in `Phase::ALL` order.
    pub phases: Vec<u32>,
    /// Governance: kept, behind, not governed.
    pub governance: [u32; 3],
    /// Partners whose agreement is due for renewal, and whose agreement has run out.
    pub renewals_due: u32,
    pub renewals_expired: u32,
    pub goals: GoalCounts,
    /// Means over the partners that have one.
    pub ours: Option<f32>,
    pub theirs: Option<f32>,
    /// The mean of our latest score per phase (`Phase::ALL` order) and value: the heat matrix.
    pub phase_values: Vec<[Option<f32>; 6]>,
    /// The mean of our latest score per value over every strategic partner.
    pub value_means: [Option<f32>; 6],
}

/// One partner's activities in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerYear {
    pub partner: Id,
    pub year: i32,
    /// Activities (not archived, not cancelled) in the year.
    pub total: u32,
    pub months: [u32; 12],
    /// Per added value, in `AddedValue::ALL` order (an activity counts for each of its values).
    pub values: [u32; 6],
    /// Per goal of the partner that an activity of the year links to.
    pub goals: Vec<(Id, u32)>,
}

/// The first and last day of `year` (None outside the dates spets keeps).
pub fn year_range(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// The mean of the scores that are given.
fn mean(it: impl Iterator<Item = Option<u8>>) -> Option<f32> {
    let (sum, n) = it
        .flatten()
        .fold((0u32, 0u32), |(s, n), x| (s + u32::from(x), n + 1));
    (n > 0).then(|| sum as f32 / n as f32)
}

/// Sums and counts to means.
fn means<const N: usize>(acc: &[(f32, u32); N]) -> [Option<f32>; N] {
    acc.map(|(s, n)| (n > 0).then(|| s / n as f32))
}

fn phase_index(p: Phase) -> usize {
    Phase::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

impl Service {
    /// Make sure the activity table is built (outside the model lock, as the overview does).
    fn ensure_activity_table(&self) -> Result<(), StoreError> {
        self.await_warm_up();
        if !lock(&self.model).has_activities() {
            let table = super::activities::Table::load(&self.store)?;
            lock(&self.model).install_activities(&self.store, table)?;
        }
        Ok(())
    }

    /// The portfolio of strategic partners for `year`, in name order for `lang`.
    pub(super) fn portfolio(&self, year: i32, lang: Lang) -> Result<Portfolio, StoreError> {
        let today = self.today();
        self.ensure_activity_table()?;
        let mut m = lock(&self.model);
        m.ensure_all_scores(&self.store)?;
        let all = m.sorted(lang).to_vec();
        let ids: Vec<Id> = all
            .into_iter()
            .filter(|id| {
                m.partners
                    .get(id)
                    .is_some_and(|e| !e.rec.meta.archived && e.rec.data.tier == Tier::Strategic)
            })
            .collect();
        // Activities per strategic partner and per month, in one pass over the table.
        let mut per: HashMap<Id, u32> = ids.iter().map(|id| (*id, 0)).collect();
        let mut months = [0u32; 12];
        if let Some((from, to)) = year_range(year) {
            m.activities(&self.store)?
                .each_counted(from, to, |date, _, _, partners| {
                    let mut any = false;
                    for p in partners {
                        if let Some(n) = per.get_mut(p) {
                            *n += 1;
                            any = true;
                        }
                    }
                    if any {
                        months[date.month0() as usize] += 1;
                    }
                });
        }
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            let row = self.portfolio_row(&mut m, id, today, per.get(&id).copied())?;
            if let Some(r) = row {
                rows.push(r);
            }
        }
        totals(today, year, rows, months, &mut m, &self.store)
    }

    fn portfolio_row(
        &self,
        m: &mut Model,
        id: Id,
        today: NaiveDate,
        activities: Option<u32>,
    ) -> Result<Option<PortfolioRow>, StoreError> {
        let scores = m.scores(&self.store, id)?;
        let governance = m.governance_mark(&self.store, id, today)?;
        let renewal = m.renewal(id, today);
        let agreement_end = m.agreement_end(id);
        let life = m.life(&self.store)?;
        let mut goals = GoalCounts::default();
        for g in life.live_goals(id) {
            match g.data.status {
                GoalStatus::Open => goals.open += 1,
                GoalStatus::Reached => goals.reached += 1,
                GoalStatus::Dropped => goals.dropped += 1,
            }
            if life.follow_up(g, today).1 {
                goals.no_follow_up += 1;
            }
        }
        // The partner's side by the value matrix's rule: per value, the latest evaluation that
        // gives a score.
        let theirs = mean(life.partner_view(id).iter().map(|c| c.map(|c| c.score)));
        let Some(e) = m.partners.get(&id) else {
            return Ok(None);
        };
        let p = &e.rec.data;
        Ok(Some(PortfolioRow {
            partner: id,
            name: p.name.clone(),
            country: p.country.clone(),
            phase: p.phase,
            agreement_end,
            renewal,
            governance,
            ours: mean(scores.iter().map(|c| c.map(|c| c.score))),
            theirs,
            goals,
            activities: activities.unwrap_or(0),
        }))
    }

    /// A partner's activities in `year`: per month, per value and per goal.
    pub(super) fn partner_year(
        &self,
        partner: Id,
        year: i32,
    ) -> Result<Option<PartnerYear>, StoreError> {
        self.ensure_activity_table()?;
        let mut m = lock(&self.model);
        if !m.partners.contains_key(&partner) {
            return Ok(None);
        }
        let mut out = PartnerYear {
            partner,
            year,
            total: 0,
            months: [0; 12],
            values: [0; 6],
            goals: Vec::new(),
        };
        let mut ids = Vec::new();
        if let Some((from, to)) = year_range(year) {
            m.activities(&self.store)?
                .each_counted(from, to, |date, id, values, partners| {
                    if !partners.contains(&partner) {
                        return;
                    }
                    out.total += 1;
                    out.months[date.month0() as usize] += 1;
                    for (i, n) in out.values.iter_mut().enumerate() {
                        if values & (1 << i) != 0 {
                            *n += 1;
                        }
                    }
                    ids.push(id);
                });
        }
        let life = m.life(&self.store)?;
        let mut per: HashMap<Id, u32> = HashMap::new();
        for id in ids {
            for g in life.goals_of_source((LinkSource::Activity, id)) {
                if life
                    .goals
                    .get(&g)
                    .is_some_and(|r| r.data.partner == partner)
                {
                    *per.entry(g).or_default() += 1;
                }
            }
        }
        let mut goals: Vec<(Id, u32)> = per.into_iter().collect();
        goals.sort();
        out.goals = goals;
        Ok(Some(out))
    }
}

/// The portfolio's totals from its rows.
fn totals(
    today: NaiveDate,
    year: i32,
    rows: Vec<PortfolioRow>,
    months: [u32; 12],
    m: &mut Model,
    store: &crate::store::Store,
) -> Result<Portfolio, StoreError> {
    let mut phases = vec![0u32; Phase::ALL.len()];
    let mut governance = [0u32; 3];
    let (mut due, mut expired) = (0, 0);
    let mut goals = GoalCounts::default();
    let (mut ours, mut theirs) = ([(0f32, 0u32); 1], [(0f32, 0u32); 1]);
    let mut per_phase = vec![[(0f32, 0u32); 6]; Phase::ALL.len()];
    let mut per_value = [(0f32, 0u32); 6];
    for r in &rows {
        phases[phase_index(r.phase)] += 1;
        governance[match r.governance {
            GovernanceMark::Kept => 0,
            GovernanceMark::Behind => 1,
            GovernanceMark::NotGoverned => 2,
        }] += 1;
        match r.renewal {
            Renewal::Due { .. } => due += 1,
            Renewal::Expired { .. } => expired += 1,
            Renewal::None => {}
        }
        goals.add(r.goals);
        for (acc, x) in [(&mut ours[0], r.ours), (&mut theirs[0], r.theirs)] {
            if let Some(x) = x {
                acc.0 += x;
                acc.1 += 1;
            }
        }
        let scores = m.scores(store, r.partner)?;
        for (v, c) in scores.iter().enumerate() {
            if let Some(c) = c {
                let s = f32::from(c.score);
                let cell = &mut per_phase[phase_index(r.phase)][v];
                cell.0 += s;
                cell.1 += 1;
                per_value[v].0 += s;
                per_value[v].1 += 1;
            }
        }
    }
    Ok(Portfolio {
        today,
        year,
        rows,
        months,
        phases,
        governance,
        renewals_due: due,
        renewals_expired: expired,
        goals,
        ours: means(&ours)[0],
        theirs: means(&theirs)[0],
        phase_values: per_phase.iter().map(means).collect(),
        value_means: means(&per_value),
    })
}
