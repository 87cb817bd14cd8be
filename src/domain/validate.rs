//! Record-level validation: precise errors naming the field, the value and the rule broken.

use super::*;
use serde::{Deserialize, Serialize};

/// The rule a value broke. The i18n catalogue turns these into sentences in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// The field must not be empty.
    Required,
    /// The text is longer than `max` characters.
    TooLong { max: usize },
    /// Not an assigned ISO 3166-1 alpha-2 code.
    UnknownCountry,
    /// An end date lies before the start date.
    EndBeforeStart,
    /// A score outside 0..=4.
    ScoreOutOfRange,
    /// Another (not archived) partner already has this name in this country.
    DuplicatePartner { existing: Id },
    /// The record must name at least one partner.
    NoPartner,
    /// A referenced partner does not exist (or is archived).
    UnknownPartner,
    /// Not an e-mail address (needs one @ with text on both sides and no spaces).
    InvalidEmail,
    /// A website must start with http:// or https://.
    InvalidWebsite,
    /// Renewal lead time outside 0..=60 months.
    LeadTimeOutOfRange,
    /// A date before 1900 or after 2200 is almost certainly a typo.
    DateOutOfRange,
    /// The same entry is listed twice.
    Duplicated,
    /// Only archived records can be purged.
    NotArchived,
    /// Other records still refer to this one.
    StillReferenced { count: usize },
}

impl fmt::Display for Rule {
    /// English text, for logs and the CLI; the UI uses the catalogue.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("must not be empty"),
            Rule::TooLong { max } => write!(f, "is longer than {max} characters; shorten it"),
            Rule::UnknownCountry => {
                f.write_str("is not an ISO 3166-1 alpha-2 country code (e.g. SE, DE, JP)")
            }
            Rule::EndBeforeStart => f.write_str("ends before it starts; check both dates"),
            Rule::ScoreOutOfRange => f.write_str("must be a score from 0 to 4"),
            Rule::DuplicatePartner { existing } => write!(
                f,
                "already exists in this country (partner id {existing}); edit that one instead"
            ),
            Rule::NoPartner => f.write_str("needs at least one partner"),
            Rule::UnknownPartner => {
                f.write_str("names a partner that does not exist or is archived")
            }
            Rule::InvalidEmail => f.write_str("is not an e-mail address (name@example.org)"),
            Rule::InvalidWebsite => f.write_str("must start with https:// or http://"),
            Rule::LeadTimeOutOfRange => f.write_str("must be between 0 and 60 months"),
            Rule::DateOutOfRange => f.write_str("is outside the years 1900-2200; check the year"),
            Rule::Duplicated => f.write_str("lists the same entry twice"),
            Rule::NotArchived => f.write_str("is not archived; archive it before purging it"),
            Rule::StillReferenced { count } => write!(
                f,
                "is still referred to by {count} other records; purge or move those first"
            ),
        }
    }
}

/// One validation error: which field, what value, which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub value: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: &str, value: impl Into<String>, rule: Rule) -> Self {
        FieldError {
            field: field.to_string(),
            value: value.into(),
            rule,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.rule)
        } else {
            write!(f, "{} \"{}\": {}", self.field, self.value, self.rule)
        }
    }
}

const MAX_NAME: usize = 200;
const MAX_LINE: usize = 500;
const MAX_TEXT: usize = 100_000;

fn required(errs: &mut Vec<FieldError>, field: &str, v: &str) {
    if v.is_empty() {
        errs.push(FieldError::new(field, "", Rule::Required));
    }
}

fn max_len(errs: &mut Vec<FieldError>, field: &str, v: &str, max: usize) {
    if v.chars().count() > max {
        let shown: String = v.chars().take(40).collect();
        errs.push(FieldError::new(
            field,
            format!("{shown}…"),
            Rule::TooLong { max },
        ));
    }
}

fn list(errs: &mut Vec<FieldError>, field: &str, v: &[String]) {
    for s in v {
        max_len(errs, field, s, MAX_LINE);
    }
}

fn date(errs: &mut Vec<FieldError>, field: &str, d: NaiveDate) {
    use chrono::Datelike;
    if !(1900..=2200).contains(&d.year()) {
        errs.push(FieldError::new(field, d.to_string(), Rule::DateOutOfRange));
    }
}

fn email(errs: &mut Vec<FieldError>, field: &str, v: &str) {
    if v.is_empty() {
        return;
    }
    let ok = match v.split_once('@') {
        Some((a, b)) => {
            !a.is_empty()
                && b.contains('.')
                && !b.starts_with('.')
                && !b.ends_with('.')
                && !b.contains('@')
        }
        None => false,
    } && !v.contains(' ');
    if !ok {
        errs.push(FieldError::new(field, v, Rule::InvalidEmail));
    }
}

fn partners(errs: &mut Vec<FieldError>, field: &str, v: &[Id]) {
    if v.is_empty() {
        errs.push(FieldError::new(field, "", Rule::NoPartner));
    }
}

pub(super) fn partner(p: &Partner) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "name", &p.name);
    max_len(&mut e, "name", &p.name, MAX_NAME);
    if let Some(s) = &p.short_name {
        max_len(&mut e, "short_name", s, MAX_NAME);
    }
    if !country::is_valid(&p.country) {
        e.push(FieldError::new(
            "country",
            p.country.clone(),
            Rule::UnknownCountry,
        ));
    }
    max_len(&mut e, "city", &p.city, MAX_NAME);
    if !p.website.is_empty() {
        let w = p.website.to_ascii_lowercase();
        if !(w.starts_with("https://") || w.starts_with("http://")) || w.contains(' ') {
            e.push(FieldError::new(
                "website",
                p.website.clone(),
                Rule::InvalidWebsite,
            ));
        }
        max_len(&mut e, "website", &p.website, MAX_LINE);
    }
    list(&mut e, "faculties", &p.faculties);
    list(&mut e, "goals", &p.goals);
    list(&mut e, "tags", &p.tags);
    list(&mut e, "sponsors_ours", &p.sponsors_ours);
    list(&mut e, "sponsors_partner", &p.sponsors_partner);
    max_len(&mut e, "coordinator", &p.coordinator, MAX_NAME);
    e
}

pub(super) fn agreement(a: &Agreement) -> Vec<FieldError> {
    let mut e = Vec::new();
    max_len(&mut e, "title", &a.title, MAX_LINE);
    date(&mut e, "start", a.start);
    if let Some(s) = a.signed {
        date(&mut e, "signed", s);
    }
    if let Some(end) = a.end {
        date(&mut e, "end", end);
        if end < a.start {
            e.push(FieldError::new(
                "end",
                end.to_string(),
                Rule::EndBeforeStart,
            ));
        }
    }
    if a.renewal_lead_months > 60 {
        e.push(FieldError::new(
            "renewal_lead_months",
            a.renewal_lead_months.to_string(),
            Rule::LeadTimeOutOfRange,
        ));
    }
    list(&mut e, "signatories", &a.signatories);
    e
}

pub(super) fn contact(c: &Contact) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "name", &c.name);
    max_len(&mut e, "name", &c.name, MAX_NAME);
    email(&mut e, "email", &c.email);
    max_len(&mut e, "phone", &c.phone, 50);
    e
}

pub(super) fn activity(a: &Activity) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "title", &a.title);
    max_len(&mut e, "title", &a.title, MAX_LINE);
    max_len(&mut e, "description", &a.description, MAX_TEXT);
    date(&mut e, "date", a.date);
    if let Some(end) = a.end_date {
        date(&mut e, "end_date", end);
        if end < a.date {
            e.push(FieldError::new(
                "end_date",
                end.to_string(),
                Rule::EndBeforeStart,
            ));
        }
    }
    partners(&mut e, "partners", &a.partners);
    max_len(&mut e, "owner", &a.owner, MAX_NAME);
    e
}

pub(super) fn assessment(a: &Assessment) -> Vec<FieldError> {
    let mut e = Vec::new();
    if a.score > SCORE_MAX {
        e.push(FieldError::new(
            "score",
            a.score.to_string(),
            Rule::ScoreOutOfRange,
        ));
    }
    if let Some(t) = a.target
        && t > SCORE_MAX
    {
        e.push(FieldError::new(
            "target",
            t.to_string(),
            Rule::ScoreOutOfRange,
        ));
    }
    date(&mut e, "date", a.date);
    max_len(&mut e, "evidence", &a.evidence, MAX_TEXT);
    e
}

pub(super) fn note(n: &Note) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "title", &n.title);
    max_len(&mut e, "title", &n.title, MAX_LINE);
    date(&mut e, "date", n.date);
    partners(&mut e, "partners", &n.partners);
    list(&mut e, "attendees", &n.attendees);
    list(&mut e, "decisions", &n.decisions);
    max_len(&mut e, "body", &n.body, MAX_TEXT);
    for a in &n.actions {
        max_len(&mut e, "actions", &a.text, MAX_LINE);
        if let Some(d) = a.due {
            date(&mut e, "actions", d);
        }
    }
    e
}
