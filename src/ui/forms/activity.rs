//! The activity form: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, area, choice, date, first, multi, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{Activity, ActivityStatus, AddedValue, Id, Record};

super::field_ids!(Activity: Activity => F {
    Title = "title", FTitle;
    Partners = "partners", FPartners;
    Date = "date", FDate;
    EndDate = "end_date", FEndDate;
    Kind = "kind", FKind;
    Status = "status", FStatus;
    Values = "values", FValues;
    Description = "description", FDescription;
    Owner = "owner", FOwner;
});

fn build(a: &Activity, f: F, cx: &ParseCx) -> Cell {
    match f {
        F::Title => text(&a.title),
        F::Partners => super::partners_cell(&a.partners, cx.names),
        F::Date => date(Some(a.date)),
        F::EndDate => date(a.end_date),
        F::Kind => choice(Choices::ActivityKind, a.kind),
        F::Status => choice(Choices::ActivityStatus, a.status),
        F::Values => multi(Choices::Value, &a.values),
        F::Description => area(&a.description),
        F::Owner => text(&a.owner),
    }
}

fn parse(a: &mut Activity, f: F, v: &Input, cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Title => a.title = v.text(),
        F::Partners => a.partners = v.partners(cx.names)?,
        F::Date => a.date = v.required_date()?,
        F::EndDate => a.end_date = v.date()?,
        F::Kind => a.kind = v.choice(),
        F::Status => a.status = v.choice(),
        F::Values => a.values = v.multi::<AddedValue>(),
        F::Description => a.description = v.text(),
        F::Owner => a.owner = v.text(),
    }
    Ok(())
}

fn blank(cx: &ParseCx, partners: &[Id]) -> Activity {
    Activity {
        date: cx.today,
        end_date: None,
        partners: partners.to_vec(),
        kind: first(),
        title: String::new(),
        description: String::new(),
        values: Vec::new(),
        status: ActivityStatus::Planned,
        owner: cx.user.to_string(),
    }
}

/// The activity form: a record's, or a new one for the given partners.
pub fn form(rec: Option<&Record<Activity>>, partners: &[Id], cx: &ParseCx) -> Form {
    let kind = FormKind::Activity(rec.map(|r| (r.meta.id, r.meta.version)));
    let a = rec.map_or_else(|| blank(cx, partners), |r| r.data.clone());
    super::schema_form::<F>(kind, &a, cx)
}

/// The activity the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Activity, super::Problems> {
    super::schema_data::<F>(form, blank(cx, &[]), cx)
}
