//! The contact form for one partner: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, choice, first, text};
use super::{FieldKey, Form, FormKind, ParseCx};
use crate::domain::{Contact, Id, Record};
use crate::i18n::catalogue::Msg;

super::field_ids!(F {
    Name,
    Side,
    Role,
    Email,
    Phone
});

impl F {
    /// The domain's machine name and the label.
    pub fn meta(self) -> (&'static str, Msg) {
        match self {
            F::Name => ("name", Msg::FName),
            F::Side => ("side", Msg::FSide),
            F::Role => ("role", Msg::FRole),
            F::Email => ("email", Msg::FEmail),
            F::Phone => ("phone", Msg::FPhone),
        }
    }
}

fn build(c: &Contact, f: F) -> Cell {
    match f {
        F::Name => text(&c.name),
        F::Side => choice(Choices::Side, c.side),
        F::Role => choice(Choices::ContactRole, c.role),
        F::Email => text(&c.email),
        F::Phone => text(&c.phone),
    }
}

fn parse(c: &mut Contact, f: F, v: &Input) -> Result<(), Problem> {
    match f {
        F::Name => c.name = v.text(),
        F::Side => c.side = v.choice(),
        F::Role => c.role = v.choice(),
        F::Email => c.email = v.text(),
        F::Phone => c.phone = v.text(),
    }
    Ok(())
}

fn blank(partner: Id) -> Contact {
    Contact {
        partner,
        side: first(),
        name: String::new(),
        role: first(),
        email: String::new(),
        phone: String::new(),
    }
}

/// The contact form for `partner`, empty or filled from a record.
pub fn form(rec: Option<&Record<Contact>>, partner: Id) -> Form {
    let c = rec
        .map(|r| r.data.clone())
        .unwrap_or_else(|| blank(partner));
    let kind = FormKind::Contact {
        id: rec.map(|r| (r.meta.id, r.meta.version)),
        partner,
    };
    Form::new(
        kind,
        F::ALL
            .iter()
            .map(|f| (FieldKey::Contact(*f), build(&c, *f))),
    )
}

/// The contact the form describes, or the fields it cannot parse.
pub fn data(form: &Form, _cx: &ParseCx) -> Result<Contact, super::Problems> {
    let mut c = blank(form.partner().unwrap_or(Id(0)));
    form.parse_each(|key, v| match key {
        FieldKey::Contact(f) => parse(&mut c, f, v),
        _ => Ok(()),
    })?;
    Ok(c)
}
