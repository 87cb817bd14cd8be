//! The contact form for one partner: fields, build and parse side by side.

use super::field::{Cell, Choices, Input, Problem, choice, first, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{Contact, Id, Record};

super::field_ids!(Contact: Contact => F {
    Name = "name", FName;
    Side = "side", FSide;
    Role = "role", FRole;
    Email = "email", FEmail;
    Phone = "phone", FPhone;
});

fn build(c: &Contact, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Name => text(&c.name),
        F::Side => choice(Choices::Side, c.side),
        F::Role => choice(Choices::ContactRole, c.role),
        F::Email => text(&c.email),
        F::Phone => text(&c.phone),
    }
}

fn parse(c: &mut Contact, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
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
pub fn form(rec: Option<&Record<Contact>>, partner: Id, cx: &ParseCx) -> Form {
    let id = rec.map(|r| (r.meta.id, r.meta.version));
    let c = rec.map_or_else(|| blank(partner), |r| r.data.clone());
    super::schema_form::<F>(FormKind::Contact { id, partner }, &c, cx)
}

/// The contact the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Contact, super::Problems> {
    super::schema_data::<F>(form, blank(form.partner().unwrap_or(Id(0))), cx)
}
