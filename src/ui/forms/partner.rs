//! The partner form: its fields, and each field's build (record → form) and parse
//! (form → record) side by side.

use super::field::{Cell, Choices, Input, Problem, choice, first, list, multi, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{Format, OrgKind, Partner, Phase, Record, Tier};

super::field_ids!(Partner: Partner => F {
    Name = "name", FName;
    ShortName = "short_name", FShortName;
    Kind = "kind", FKind;
    Country = "country", FCountry;
    City = "city", FCity;
    Website = "website", FWebsite;
    Phase = "phase", FPhase;
    Tier = "tier", FTier;
    Formats = "formats", FFormats;
    Faculties = "faculties", FFaculties;
    Tags = "tags", FTags;
    SponsorsOurs = "sponsors_ours", FSponsorsOurs;
    SponsorsPartner = "sponsors_partner", FSponsorsPartner;
    Coordinator = "coordinator", FCoordinator;
});

/// Record → field.
fn build(p: &Partner, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Name => text(&p.name),
        F::ShortName => text(p.short_name.as_deref().unwrap_or_default()),
        F::Kind => choice(Choices::OrgKind, p.kind),
        F::Country => text(&p.country),
        F::City => text(&p.city),
        F::Website => text(&p.website),
        F::Phase => choice(Choices::Phase, p.phase),
        F::Tier => choice(Choices::Tier, p.tier),
        F::Formats => multi(Choices::Format, &p.formats),
        F::Faculties => list(&p.faculties),
        F::Tags => list(&p.tags),
        F::SponsorsOurs => list(&p.sponsors_ours),
        F::SponsorsPartner => list(&p.sponsors_partner),
        F::Coordinator => text(&p.coordinator),
    }
}

/// Field → record.
fn parse(p: &mut Partner, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Name => p.name = v.text(),
        F::ShortName => p.short_name = v.opt_text(),
        F::Kind => p.kind = v.choice(),
        F::Country => p.country = v.text(),
        F::City => p.city = v.text(),
        F::Website => p.website = v.text(),
        F::Phase => p.phase = v.choice(),
        F::Tier => p.tier = v.choice(),
        F::Formats => p.formats = v.multi::<Format>(),
        F::Faculties => p.faculties = v.list(),
        F::Tags => p.tags = v.list(),
        F::SponsorsOurs => p.sponsors_ours = v.list(),
        F::SponsorsPartner => p.sponsors_partner = v.list(),
        F::Coordinator => p.coordinator = v.text(),
    }
    Ok(())
}

fn blank() -> Partner {
    Partner {
        name: String::new(),
        short_name: None,
        kind: first::<OrgKind>(),
        country: String::new(),
        city: String::new(),
        website: String::new(),
        phase: Phase::Prospect,
        tier: first::<Tier>(),
        formats: Vec::new(),
        faculties: Vec::new(),
        goals: Vec::new(),
        tags: Vec::new(),
        sponsors_ours: Vec::new(),
        sponsors_partner: Vec::new(),
        coordinator: String::new(),
    }
}

/// The partner form, empty or filled from a record.
pub fn form(rec: Option<&Record<Partner>>, cx: &ParseCx) -> Form {
    let kind = FormKind::Partner(rec.map(|r| (r.meta.id, r.meta.version)));
    super::schema_form::<F>(kind, &rec.map_or_else(blank, |r| r.data.clone()), cx)
}

/// The partner the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Partner, super::Problems> {
    super::schema_data::<F>(form, blank(), cx)
}
