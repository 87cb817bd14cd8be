//! The agreement form for one partner: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, choice, date, first, list, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{Agreement, AgreementStatus, DEFAULT_RENEWAL_LEAD_MONTHS, Id, Record};

super::field_ids!(Agreement: Agreement => F {
    Title = "title", FTitle;
    Kind = "kind", FKind;
    Status = "status", FStatus;
    Signed = "signed", FSigned;
    Start = "start", FStart;
    End = "end", FEnd;
    Signatories = "signatories", FSignatories;
    RenewalLead = "renewal_lead_months", FRenewalLead;
    DraftSent = "renewal_draft_sent", FRenewalDraftSent;
    RenewalSigned = "renewal_signed", FRenewalSigned;
});

fn build(a: &Agreement, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Title => text(&a.title),
        F::Kind => choice(Choices::AgreementKind, a.kind),
        F::Status => choice(Choices::AgreementStatus, a.status),
        F::Signed => date(a.signed),
        F::Start => date(Some(a.start)),
        F::End => date(a.end),
        F::Signatories => list(&a.signatories),
        F::DraftSent => date(a.renewal_draft_sent),
        F::RenewalSigned => date(a.renewal_signed),
        F::RenewalLead => Cell {
            hint: Some(crate::i18n::catalogue::Msg::LeadHint),
            ..text(&a.renewal_lead_months.to_string())
        },
    }
}

fn parse(a: &mut Agreement, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Title => a.title = v.text(),
        F::Kind => a.kind = v.choice(),
        F::Status => a.status = v.choice(),
        F::Signed => a.signed = v.date()?,
        F::Start => a.start = v.required_date()?,
        F::End => a.end = v.date()?,
        F::Signatories => a.signatories = v.list(),
        F::DraftSent => a.renewal_draft_sent = v.date()?,
        F::RenewalSigned => a.renewal_signed = v.date()?,
        // The kind is parsed first (its row comes first): an empty lead time is the kind's.
        F::RenewalLead => {
            a.renewal_lead_months = match v.opt_text() {
                None => a.kind.default_lead_months(),
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
        renewal_draft_sent: None,
        renewal_signed: None,
    }
}

/// The agreement form for `partner`, empty or filled from a record.
pub fn form(rec: Option<&Record<Agreement>>, partner: Id, cx: &ParseCx) -> Form {
    let id = rec.map(|r| (r.meta.id, r.meta.version));
    let a = rec.map_or_else(|| blank(partner, cx), |r| r.data.clone());
    let mut form = super::schema_form::<F>(FormKind::Agreement { id, partner }, &a, cx);
    if rec.is_none() {
        // A new agreement's lead time follows its kind until one is typed.
        if let Some(r) = form.rows.iter_mut().find(|r| r.key == F::RenewalLead.key()) {
            r.input.set_raw("");
        }
    }
    form
}

/// The agreement the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Agreement, super::Problems> {
    super::schema_data::<F>(form, blank(form.partner().unwrap_or(Id(0)), cx), cx)
}
