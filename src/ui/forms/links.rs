//! The dialog that links an activity, or the decisions of a meeting note, to goals: one tick box
//! per goal of its partners (open goals, and those it links to already).

use super::field::{Cell, Input, Problem, check};
use super::{FieldKey, Form, FormKind};
use crate::domain::{GoalLinks, Id};
use crate::service::GoalLinkChoices;

/// The link form for what the service offered.
pub fn form(c: &GoalLinkChoices) -> Form {
    let current: Vec<Id> = c
        .links
        .as_ref()
        .map(|l| l.data.goals.clone())
        .unwrap_or_default();
    let rows = c.goals.iter().enumerate().map(|(i, g)| {
        let text = format!("{} ({})", g.text, g.partner_name);
        (FieldKey::LinkGoal(i), check(current.contains(&g.id), &text))
    });
    Form::new(
        FormKind::GoalLinks {
            id: c.links.as_ref().map(|l| (l.meta.id, l.meta.version)),
            source: c.source,
            source_id: c.source_id,
            title: c.title.clone(),
            goals: c
                .goals
                .iter()
                .map(|g| (g.id, format!("{} ({})", g.text, g.partner_name)))
                .collect(),
        },
        rows.collect::<Vec<(FieldKey, Cell)>>(),
    )
}

/// The rows of a link form for `goals` (id and shown text), none ticked.
pub fn rows(goals: &[(Id, String)]) -> Vec<(FieldKey, Cell)> {
    goals
        .iter()
        .enumerate()
        .map(|(i, (_, text))| (FieldKey::LinkGoal(i), check(false, text)))
        .collect()
}

/// The links the form describes.
pub fn data(form: &Form) -> Result<GoalLinks, super::Problems> {
    let FormKind::GoalLinks {
        source,
        source_id,
        goals,
        ..
    } = form.kind()
    else {
        return Err(Vec::new());
    };
    let mut ticked = Vec::new();
    form.parse_each(|key, v: &Input| -> Result<(), Problem> {
        if let FieldKey::LinkGoal(i) = key
            && v.checked()
            && let Some((g, _)) = goals.get(i)
        {
            ticked.push(*g);
        }
        Ok(())
    })?;
    Ok(GoalLinks {
        source: *source,
        source_id: *source_id,
        goals: ticked,
    })
}
