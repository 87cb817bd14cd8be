//! The partner form: its fields, and each field's build (record → form) and parse
//! (form → record) side by side.

use super::field::{Cell, Choices, Input, Problem, choice, first, list, multi, text};
use super::{FieldKey, Form, FormKind, ParseCx};
use crate::domain::{Format, OrgKind, Partner, Phase, Record, Tier};
use crate::i18n::catalogue::Msg;

super::field_ids!(F {
    Name,
    ShortName,
    Kind,
    Country,
    City,
    Website,
    Phase,
    Tier,
    Formats,
    Faculties,
    Goals,
    Tags,
    SponsorsOurs,
    SponsorsPartner,
    Coordinator,
});

impl F {
    /// The domain's machine name (as in `FieldError::field`) and the label.
    pub fn meta(self) -> (&'static str, Msg) {
        match self {
            F::Name => ("name", Msg::FName),
            F::ShortName => ("short_name", Msg::FShortName),
            F::Kind => ("kind", Msg::FKind),
            F::Country => ("country", Msg::FCountry),
            F::City => ("city", Msg::FCity),
            F::Website => ("website", Msg::FWebsite),
            F::Phase => ("phase", Msg::FPhase),
            F::Tier => ("tier", Msg::FTier),
            F::Formats => ("formats", Msg::FFormats),
            F::Faculties => ("faculties", Msg::FFaculties),
            F::Goals => ("goals", Msg::FGoals),
            F::Tags => ("tags", Msg::FTags),
            F::SponsorsOurs => ("sponsors_ours", Msg::FSponsorsOurs),
            F::SponsorsPartner => ("sponsors_partner", Msg::FSponsorsPartner),
            F::Coordinator => ("coordinator", Msg::FCoordinator),
        }
    }
}

/// Record → field.
fn build(p: &Partner, f: F) -> Cell {
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
        F::Goals => list(&p.goals),
        F::Tags => list(&p.tags),
        F::SponsorsOurs => list(&p.sponsors_ours),
        F::SponsorsPartner => list(&p.sponsors_partner),
        F::Coordinator => text(&p.coordinator),
    }
}

/// Field → record.
fn parse(p: &mut Partner, f: F, v: &Input) -> Result<(), Problem> {
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
        F::Goals => p.goals = v.list(),
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
pub fn form(rec: Option<&Record<Partner>>) -> Form {
    let p = rec.map(|r| r.data.clone()).unwrap_or_else(blank);
    let kind = FormKind::Partner(rec.map(|r| (r.meta.id, r.meta.version)));
    Form::new(
        kind,
        F::ALL
            .iter()
            .map(|f| (FieldKey::Partner(*f), build(&p, *f))),
    )
}

/// The partner the form describes, or the fields it cannot parse.
pub fn data(form: &Form, _cx: &ParseCx) -> Result<Partner, super::Problems> {
    let mut p = blank();
    form.parse_each(|key, v| match key {
        FieldKey::Partner(f) => parse(&mut p, f, v),
        _ => Ok(()),
    })?;
    Ok(p)
}
