//! The life cycle's datasets: `goals` (with their follow-up), `evaluations` and `phase-history`,
//! one partner at a time through the service's life cycle answer ([`Request::Lifecycle`]), so the
//! partner filter selects them like the other per-partner datasets.

use super::ExportError;
use super::export::{Out, call, partner_ids, unexpected};
use super::labels::Label;
use crate::domain::{Enumerated, GoalOutcome, LinkSource};
use crate::service::{PartnerLifecycle, PartnerQuery, Request, Response};

/// Which life cycle dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Goals,
    Evaluations,
    PhaseHistory,
}

/// Write the rows of `part` for the partners of `q`, in the query's order.
pub(super) fn export(
    out: &mut Out<'_, '_, '_>,
    q: PartnerQuery,
    part: Part,
) -> Result<(), ExportError> {
    let ids = partner_ids(out, q)?;
    for (n, pid) in ids.iter().enumerate() {
        if n % 64 == 0 {
            out.check()?;
        }
        let life = match call(out.client, Request::Lifecycle(*pid))? {
            Response::Lifecycle(l) => l,
            Response::NotFound { .. } => continue,
            r => return Err(unexpected(&r)),
        };
        match part {
            Part::Goals => goals(out, &life)?,
            Part::Evaluations => evaluations(out, &life)?,
            Part::PhaseHistory => phases(out, &life)?,
        }
    }
    Ok(())
}

fn goals(out: &mut Out<'_, '_, '_>, life: &PartnerLifecycle) -> Result<(), ExportError> {
    for f in &life.goals {
        let g = &f.goal.data;
        out.num(f.goal.meta.id.0)?;
        out.num(g.partner.0)?;
        out.partner_name(g.partner)?;
        out.text(&g.text)?;
        out.en_list(&g.values)?;
        out.text(&g.indicator)?;
        out.text(&g.target)?;
        out.opt_date(g.deadline)?;
        out.en(g.status)?;
        out.text(&g.owner)?;
        let activities = f
            .linked
            .iter()
            .filter(|l| l.source == LinkSource::Activity)
            .count();
        out.num(activities as u64)?;
        out.opt_date(f.last)?;
        out.yes_no(f.no_follow_up)?;
        out.end()?;
    }
    Ok(())
}

fn evaluations(out: &mut Out<'_, '_, '_>, life: &PartnerLifecycle) -> Result<(), ExportError> {
    // The service answers the latest period first; the file reads oldest first, like a history.
    for r in life.evaluations.iter().rev() {
        let e = &r.data;
        out.num(r.meta.id.0)?;
        out.num(e.partner.0)?;
        out.partner_name(e.partner)?;
        out.date(e.start)?;
        out.date(e.end)?;
        out.en(e.decision)?;
        out.opt_date(e.next)?;
        for s in e.characteristics.iter().chain(e.values.iter()) {
            out.opt_num(s.ours)?;
            out.opt_num(s.partner)?;
        }
        let lang = out.lang;
        let summary: Vec<String> = GoalOutcome::ALL
            .iter()
            .filter_map(|o| {
                let n = e.goals.iter().filter(|g| g.outcome == *o).count();
                (n > 0).then(|| format!("{}: {n}", o.cell(lang)))
            })
            .collect();
        out.list(&summary)?;
        out.end()?;
    }
    Ok(())
}

fn phases(out: &mut Out<'_, '_, '_>, life: &PartnerLifecycle) -> Result<(), ExportError> {
    // Newest first from the service; oldest first in the file.
    for r in life.phases.iter().rev() {
        let c = &r.data;
        out.num(c.partner.0)?;
        out.partner_name(c.partner)?;
        out.date(c.date)?;
        out.en(c.from)?;
        out.en(c.to)?;
        out.text(&r.meta.created_by)?;
        out.text(&c.reason)?;
        out.en_list(&c.unmet)?;
        out.end()?;
    }
    Ok(())
}
