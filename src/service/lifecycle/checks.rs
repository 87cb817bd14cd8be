//! The checks of life-cycle records that need other records (the service runs them with the
//! record's own checks, before anything is written): a goal's partner has room for it; a links
//! record names an activity or note that exists, is the only one for it, and links only goals of
//! that activity's or note's own partners; a partner has one governance rhythm; an evaluated
//! period does not overlap another of the partner, and judges only the partner's goals.

use super::Lifecycle;
use crate::domain::{
    Activity, Entity, FieldError, Goal, GoalLinks, Id, LinkSource, Note, Rule, limits,
};
use crate::store::{Store, StoreError};

/// Errors of `data` (a record of any kind; only life-cycle records are checked here) against
/// the rest of the workspace. `own` is the record's id on an update.
pub(in crate::service) fn check<T: Entity>(
    life: &Lifecycle,
    store: &Store,
    data: &T,
    own: Option<Id>,
) -> Result<Vec<FieldError>, StoreError> {
    let any = data as &dyn std::any::Any;
    if let Some(g) = any.downcast_ref::<Goal>() {
        return Ok(goal(life, g, own));
    }
    if let Some(l) = any.downcast_ref::<GoalLinks>() {
        return links(life, store, l, own);
    }
    if let Some(r) = any.downcast_ref::<crate::domain::Rhythm>() {
        return rhythm(store, r, own);
    }
    if let Some(e) = any.downcast_ref::<crate::domain::Evaluation>() {
        return Ok(evaluation(life, e, own));
    }
    Ok(Vec::new())
}

/// An evaluated period may not share days with another evaluation of the partner, and the
/// goals it judges are goals of that partner.
fn evaluation(life: &Lifecycle, e: &crate::domain::Evaluation, own: Option<Id>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if e.start <= e.end
        && let Some(o) = life
            .evaluations
            .live(e.partner)
            .find(|r| Some(r.meta.id) != own && r.data.overlaps(e))
    {
        errs.push(FieldError::new(
            "start",
            e.start.to_string(),
            Rule::PeriodOverlaps {
                existing: o.meta.id,
                start: o.data.start,
                end: o.data.end,
            },
        ));
    }
    for g in &e.goals {
        match life.goals.get(&g.goal) {
            None => errs.push(FieldError::new(
                "goals",
                g.goal.to_string(),
                Rule::UnknownGoal,
            )),
            Some(r) if r.data.partner != e.partner => errs.push(FieldError::new(
                "goals",
                g.goal.to_string(),
                Rule::GoalOfOtherPartner {
                    goal: g.goal,
                    partner: r.data.partner,
                },
            )),
            Some(_) => {}
        }
    }
    errs
}

/// A partner has one governance rhythm: a second one is refused, naming the first.
fn rhythm(
    store: &Store,
    r: &crate::domain::Rhythm,
    own: Option<Id>,
) -> Result<Vec<FieldError>, StoreError> {
    for k in store.index_prefix(
        crate::store::TreeId::RhythmByPartner,
        &r.partner.to_be_bytes(),
    ) {
        let id = crate::store::id_suffix(&k?);
        if Some(id) == own {
            continue;
        }
        if let Some(other) = store.get::<crate::domain::Rhythm>(id)?
            && !other.meta.archived
        {
            return Ok(vec![FieldError::new(
                "partner",
                r.partner.to_string(),
                Rule::RhythmExists { existing: id },
            )]);
        }
    }
    Ok(Vec::new())
}

fn goal(life: &Lifecycle, g: &Goal, own: Option<Id>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let others = life
        .live_goals(g.partner)
        .filter(|r| Some(r.meta.id) != own)
        .count();
    if others >= limits::GOALS {
        errs.push(FieldError::new(
            "goals",
            "",
            Rule::TooMany {
                max: limits::GOALS,
                given: others + 1,
            },
        ));
    }
    errs
}

fn links(
    life: &Lifecycle,
    store: &Store,
    l: &GoalLinks,
    own: Option<Id>,
) -> Result<Vec<FieldError>, StoreError> {
    let mut errs = Vec::new();
    let partners = match l.source {
        LinkSource::Activity => store
            .get::<Activity>(l.source_id)?
            .filter(|r| !r.meta.archived)
            .map(|r| r.data.partners),
        LinkSource::Note => store
            .get::<Note>(l.source_id)?
            .filter(|r| !r.meta.archived)
            .map(|r| r.data.partners),
    };
    let Some(partners) = partners else {
        errs.push(FieldError::new(
            "source_id",
            l.source_id.to_string(),
            Rule::UnknownSource,
        ));
        return Ok(errs);
    };
    if let Some(existing) = life
        .links_of
        .get(&(l.source, l.source_id))
        .into_iter()
        .flatten()
        .copied()
        .find(|id| Some(*id) != own && life.links.get(id).is_some_and(|r| !r.meta.archived))
    {
        errs.push(FieldError::new(
            "source_id",
            l.source_id.to_string(),
            Rule::AlreadyLinked { existing },
        ));
    }
    for gid in &l.goals {
        match life.goals.get(gid) {
            Some(g) if !g.meta.archived => {
                if !partners.contains(&g.data.partner) {
                    errs.push(FieldError::new(
                        "goals",
                        g.data.text.clone(),
                        Rule::GoalOfOtherPartner {
                            goal: *gid,
                            partner: g.data.partner,
                        },
                    ));
                }
            }
            _ => errs.push(FieldError::new("goals", gid.to_string(), Rule::UnknownGoal)),
        }
    }
    Ok(errs)
}
