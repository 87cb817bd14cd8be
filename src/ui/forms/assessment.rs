//! The assessment editor for one cell of the value matrix: fields, build and parse side by side.
//! It opens on the latest assessment's score and target, with an empty evidence and today.

use super::field::{Cell, Choices, Input, Problem, date, index_choice, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{AddedValue, Assessment, Id, Record};

super::field_ids!(Assessment: Assessment => F {
    Score = "score", FScore;
    Target = "target", FTarget;
    Evidence = "evidence", FEvidence;
    Date = "date", FDate;
});

fn build(a: &Assessment, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Score => index_choice(Choices::Score, usize::from(a.score)),
        F::Target => index_choice(
            Choices::OptScore,
            a.target.map_or(0, |t| usize::from(t) + 1),
        ),
        F::Evidence => text(&a.evidence),
        F::Date => date(Some(a.date)),
    }
}

fn parse(a: &mut Assessment, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Score => a.score = u8::try_from(v.index()).map_err(|_| Problem::BadScore)?,
        F::Target => {
            a.target = match v.index() {
                0 => None,
                n => Some(u8::try_from(n - 1).map_err(|_| Problem::BadScore)?),
            }
        }
        F::Evidence => a.evidence = v.text(),
        F::Date => a.date = v.required_date()?,
    }
    Ok(())
}

fn blank(partner: Id, value: AddedValue, cx: &ParseCx) -> Assessment {
    Assessment {
        partner,
        value,
        score: 0,
        target: None,
        evidence: String::new(),
        date: cx.today,
        assessor: cx.user.to_string(),
    }
}

/// The editor for a cell, prefilled from the newest assessment in `history`.
pub fn form(
    partner: Id,
    partner_name: String,
    value: AddedValue,
    history: Vec<Record<Assessment>>,
    cx: &ParseCx,
) -> Form {
    let mut a = blank(partner, value, cx);
    if let Some(latest) = history.first() {
        a.score = latest.data.score;
        a.target = latest.data.target;
    }
    let kind = FormKind::Assessment {
        partner,
        partner_name,
        value,
        history,
    };
    super::schema_form::<F>(kind, &a, cx)
}

/// The assessment the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Assessment, super::Problems> {
    let (partner, value) = match form.kind() {
        FormKind::Assessment { partner, value, .. } => (*partner, *value),
        _ => (Id(0), AddedValue::Quality),
    };
    super::schema_data::<F>(form, blank(partner, value, cx), cx)
}
