//! A strategic partner's governance rhythm: the months between steering-group meetings and
//! between top-management meetings (empty: the default).

use super::field::{Cell, Input, Problem, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::rhythm::{MANAGEMENT_MONTHS, MAX_MONTHS, STEERING_GROUP_MONTHS};
use crate::domain::{Id, Record, Rhythm, Rule};

super::field_ids!(Rhythm: Rhythm => F {
    SteeringGroup = "steering_group_months", FSteeringGroupMonths;
    Management = "management_months", FManagementMonths;
});

/// Months from the field: empty is `default`; 0 or more than the maximum is the rule's error.
fn months(v: &Input, default: u8) -> Result<u8, Problem> {
    let m = match v.opt_text() {
        None => default,
        Some(t) => t.trim().parse::<u8>().map_err(|_| Problem::BadNumber)?,
    };
    if m == 0 || m > MAX_MONTHS {
        return Err(Problem::Rule(Rule::RhythmOutOfRange { max: MAX_MONTHS }));
    }
    Ok(m)
}

fn build(r: &Rhythm, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::SteeringGroup => text(&r.steering_group_months.to_string()),
        F::Management => text(&r.management_months.to_string()),
    }
}

fn parse(r: &mut Rhythm, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::SteeringGroup => r.steering_group_months = months(v, STEERING_GROUP_MONTHS)?,
        F::Management => r.management_months = months(v, MANAGEMENT_MONTHS)?,
    }
    Ok(())
}

/// The rhythm form for `partner`: its own rhythm, or the defaults for a new one.
pub fn form(rec: Option<&Record<Rhythm>>, partner: Id, cx: &ParseCx) -> Form {
    let id = rec.map(|r| (r.meta.id, r.meta.version));
    let r = rec.map_or_else(|| Rhythm::default_for(partner), |r| r.data.clone());
    super::schema_form::<F>(FormKind::Rhythm { id, partner }, &r, cx)
}

/// The rhythm the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Rhythm, super::Problems> {
    let partner = form.partner().unwrap_or(Id(0));
    super::schema_data::<F>(form, Rhythm::default_for(partner), cx)
}
