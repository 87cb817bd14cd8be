//! The goal form for one partner: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, choice, date, multi, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{AddedValue, Goal, GoalStatus, Id, Record};

super::field_ids!(Goal: Goal => F {
    Text = "text", FGoalText;
    Values = "values", FValues;
    Indicator = "indicator", FIndicator;
    Target = "goal_target", FGoalTarget;
    Deadline = "deadline", FDeadline;
    Status = "status", FStatus;
    Owner = "owner", FOwner;
});

fn build(g: &Goal, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Text => text(&g.text),
        F::Values => multi(Choices::Value, &g.values),
        F::Indicator => text(&g.indicator),
        F::Target => text(&g.target),
        F::Deadline => date(g.deadline),
        F::Status => choice(Choices::GoalStatus, g.status),
        F::Owner => text(&g.owner),
    }
}

fn parse(g: &mut Goal, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Text => g.text = v.text(),
        F::Values => g.values = v.multi::<AddedValue>(),
        F::Indicator => g.indicator = v.text(),
        F::Target => g.target = v.text(),
        F::Deadline => g.deadline = v.date()?,
        F::Status => g.status = v.choice(),
        F::Owner => g.owner = v.text(),
    }
    Ok(())
}

fn blank(partner: Id, cx: &ParseCx) -> Goal {
    Goal {
        partner,
        text: String::new(),
        values: Vec::new(),
        indicator: String::new(),
        target: String::new(),
        deadline: None,
        status: GoalStatus::Open,
        owner: cx.user.to_string(),
    }
}

/// The goal form for `partner`, empty or filled from a record.
pub fn form(rec: Option<&Record<Goal>>, partner: Id, cx: &ParseCx) -> Form {
    let id = rec.map(|r| (r.meta.id, r.meta.version));
    let g = rec.map_or_else(|| blank(partner, cx), |r| r.data.clone());
    super::schema_form::<F>(FormKind::Goal { id, partner }, &g, cx)
}

/// The goal the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Goal, super::Problems> {
    super::schema_data::<F>(form, blank(form.partner().unwrap_or(Id(0)), cx), cx)
}
