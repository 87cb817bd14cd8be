//! The phase dialog: the new phase, the date and the reason; the form's drawing shows the
//! criteria of the chosen phase as a checklist (unmet ones warn, they do not block: the change
//! records them as overridden).

use super::field::{Cell, Choices, Input, Problem, choice, date, text};
use super::{FieldKey, Form, FormKind};
use crate::domain::{Id, Phase};
use crate::service::{PhaseChecks, PhaseCriteria, Request};
use chrono::NaiveDate;

/// The fields of the phase dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum P {
    To,
    Date,
    Reason,
}

impl P {
    pub const ALL: &'static [P] = &[P::To, P::Date, P::Reason];
    /// The machine name (as the service's errors name it) and the label.
    pub fn meta(self) -> (&'static str, crate::i18n::catalogue::Msg) {
        use crate::i18n::catalogue::Msg;
        match self {
            P::To => ("to", Msg::FNewPhase),
            P::Date => ("date", Msg::FDate),
            P::Reason => ("reason", Msg::FReason),
        }
    }
}

/// What the dialog changes, with the criteria of every phase as the service checked them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PhaseTarget {
    pub partner: Id,
    pub name: String,
    pub version: u64,
    pub current: Phase,
    pub phases: Vec<PhaseChecks>,
}

/// The dialog's rows: the usual next phase after `current`, today, no reason.
pub fn rows(current: Phase, today: NaiveDate) -> Vec<(FieldKey, Cell)> {
    let to = crate::service::lifecycle::phase::next_phase(current).unwrap_or(current);
    vec![
        (FieldKey::Phase(P::To), choice(Choices::Phase, to)),
        (FieldKey::Phase(P::Date), date(Some(today))),
        (FieldKey::Phase(P::Reason), text("")),
    ]
}

/// The dialog for what the service answered, on the usual next phase, today.
pub fn form(c: &PhaseCriteria, today: NaiveDate) -> Form {
    let cells = rows(c.current, today);
    Form::new(
        FormKind::PhaseChange(Box::new(PhaseTarget {
            partner: c.partner,
            name: c.name.clone(),
            version: c.version,
            current: c.current,
            phases: c.phases.clone(),
        })),
        cells,
    )
}

/// The phase the dialog's choice shows.
pub fn chosen(form: &Form) -> Option<Phase> {
    form.rows()
        .iter()
        .find(|r| r.key == FieldKey::Phase(P::To))
        .map(|r| r.input.choice::<Phase>())
}

/// The criteria of the chosen phase.
pub fn checks<'a>(form: &'a Form, t: &'a PhaseTarget) -> Option<&'a PhaseChecks> {
    let p = chosen(form)?;
    t.phases.iter().find(|c| c.phase == p)
}

/// The change request the dialog describes, or the fields it cannot parse.
pub fn request(form: &Form, t: &PhaseTarget) -> Result<Request, super::Problems> {
    let (mut to, mut when, mut reason) = (t.current, None, String::new());
    form.parse_each(|key, v: &Input| -> Result<(), Problem> {
        match key {
            FieldKey::Phase(P::To) => to = v.choice(),
            FieldKey::Phase(P::Date) => when = Some(v.required_date()?),
            FieldKey::Phase(P::Reason) => reason = v.text(),
            _ => {}
        }
        Ok(())
    })?;
    Ok(Request::ChangePhase {
        partner: t.partner,
        expected_version: t.version,
        to,
        date: when.unwrap_or_default(),
        reason,
    })
}
