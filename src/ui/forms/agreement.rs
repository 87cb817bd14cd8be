//! The agreement form for one partner: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, choice, date, first, list, text};
use super::{FieldKey, Form, FormKind, ParseCx};
use crate::domain::{Agreement, AgreementStatus, DEFAULT_RENEWAL_LEAD_MONTHS, Id, Record};
use crate::i18n::catalogue::Msg;

super::field_ids!(F {
    Title,
    Kind,
    Status,
    Signed,
    Start,
    End,
    Signatories,
    RenewalLead,
});

impl F {
    /// The domain's machine name and the label.
    pub fn meta(self) -> (&'static str, Msg) {
        match self {
            F::Title => ("title", Msg::FTitle),
            F::Kind => ("kind", Msg::FKind),
            F::Status => ("status", Msg::FStatus),
            F::Signed => ("signed", Msg::FSigned),
            F::Start => ("start", Msg::FStart),
            F::End => ("end", Msg::FEnd),
            F::Signatories => ("signatories", Msg::FSignatories),
            F::RenewalLead => ("renewal_lead_months", Msg::FRenewalLead),
        }
    }
}

fn build(a: &Agreement, f: F) -> Cell {
    match f {
        F::Title => text(&a.title),
        F::Kind => choice(Choices::AgreementKind, a.kind),
        F::Status => choice(Choices::AgreementStatus, a.status),
        F::Signed => date(a.signed),
        F::Start => date(Some(a.start)),
        F::End => date(a.end),
        F::Signatories => list(&a.signatories),
        F::RenewalLead => text(&a.renewal_lead_months.to_string()),
    }
}

fn parse(a: &mut Agreement, f: F, v: &Input) -> Result<(), Problem> {
    match f {
        F::Title => a.title = v.text(),
        F::Kind => a.kind = v.choice(),
        F::Status => a.status = v.choice(),
        F::Signed => a.signed = v.date()?,
        F::Start => a.start = v.required_date()?,
        F::End => a.end = v.date()?,
        F::Signatories => a.signatories = v.list(),
        F::RenewalLead => {
            a.renewal_lead_months = match v.opt_text() {
                None => DEFAULT_RENEWAL_LEAD_MONTHS,
                Some(t) => t.parse().map_err(|_| Problem::BadNumber)?,
            }
        }
    }
    Ok(())
}

fn blank(partner: Id, cx: &ParseCx) -> Agreement {
    Agreement {
        partner,
        kind: first(),
        title: String::new(),
        signed: None,
        start: cx.today,
        end: None,
        signatories: Vec::new(),
        renewal_lead_months: DEFAULT_RENEWAL_LEAD_MONTHS,
        status: AgreementStatus::Active,
    }
}

/// The agreement form for `partner`, empty or filled from a record.
pub fn form(rec: Option<&Record<Agreement>>, partner: Id, cx: &ParseCx) -> Form {
    let a = rec
        .map(|r| r.data.clone())
        .unwrap_or_else(|| blank(partner, cx));
    let kind = FormKind::Agreement {
        id: rec.map(|r| (r.meta.id, r.meta.version)),
        partner,
    };
    Form::new(
        kind,
        F::ALL
            .iter()
            .map(|f| (FieldKey::Agreement(*f), build(&a, *f))),
    )
}

/// The agreement the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Agreement, super::Problems> {
    let mut a = blank(form.partner().unwrap_or(Id(0)), cx);
    form.parse_each(|key, v| match key {
        FieldKey::Agreement(f) => parse(&mut a, f, v),
        _ => Ok(()),
    })?;
    Ok(a)
}
