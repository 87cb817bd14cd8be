//! Record-level validation: precise errors naming the field, the value and the rule broken.

use super::*;
use serde::{Deserialize, Serialize};

/// The rule a value broke. The i18n catalogue turns these into sentences in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// The field must not be empty.
    Required,
    /// The text has `given` characters, more than the `max` allowed.
    TooLong { max: usize, given: usize },
    /// The list has `given` entries, more than the `max` allowed.
    TooMany { max: usize, given: usize },
    /// The whole record encodes to `given` bytes, more than the `max` the store writes.
    RecordTooLarge { max: usize, given: usize },
    /// Not an assigned ISO 3166-1 alpha-2 code.
    UnknownCountry,
    /// An end date lies before the start date.
    EndBeforeStart,
    /// The renewal is signed before its draft was sent (on `draft`).
    SignedBeforeDraft { draft: NaiveDate },
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
    /// The same record is already in row `row` of the file being imported.
    DuplicateRow { row: u64 },
    /// Only archived records can be purged.
    NotArchived,
    /// Other records still refer to this one.
    StillReferenced { count: usize },
    /// Goal lines on a partner: goals are records of their own now.
    GoalLinesMoved,
    /// A linked goal does not exist or is archived.
    UnknownGoal,
    /// A linked goal belongs to partner `partner`, which the activity or note does not name.
    GoalOfOtherPartner { goal: Id, partner: Id },
    /// The activity or note to link does not exist or is archived.
    UnknownSource,
    /// The activity or note already has its goal links in record `existing`: edit that one.
    AlreadyLinked { existing: Id },
    /// The partner is in this phase already.
    PhaseUnchanged,
    /// The date lies before the partner's previous phase change (on `previous`).
    BeforePreviousChange { previous: NaiveDate },
    /// The date lies after today (`today`): the record is of something that has happened.
    AfterToday { today: NaiveDate },
    /// A governance rhythm outside 1..=`max` months (0 would mean no rhythm at all).
    RhythmOutOfRange { max: u8 },
    /// The partner has its rhythm in record `existing` already: edit that one.
    RhythmExists { existing: Id },
    /// The evaluated period shares days with evaluation `existing` (`start`..=`end`).
    PeriodOverlaps {
        existing: Id,
        start: NaiveDate,
        end: NaiveDate,
    },
    /// The next evaluation must lie after the evaluated period's end (`end`).
    NotAfterPeriod { end: NaiveDate },
}

impl fmt::Display for Rule {
    /// English text, for logs and the CLI; the UI uses the catalogue.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("must not be empty"),
            Rule::TooLong { max, given } => write!(
                f,
                "has {given} characters, more than the {max} allowed; shorten it"
            ),
            Rule::TooMany { max, given } => write!(
                f,
                "has {given} entries, more than the {max} allowed; remove some"
            ),
            Rule::RecordTooLarge { max, given } => write!(
                f,
                "makes the record {given} bytes long, more than the {max} a record may take; shorten the longest texts"
            ),
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
            Rule::DuplicateRow { row } => {
                write!(
                    f,
                    "is already in row {row} of this file; keep one of the two"
                )
            }
            Rule::NotArchived => f.write_str("is not archived; archive it before purging it"),
            Rule::StillReferenced { count } => write!(
                f,
                "is still referred to by {count} other records; purge or move those first"
            ),
            Rule::GoalLinesMoved => f.write_str(
                "holds goal lines; goals are records of their own now: add each as a goal of the partner (or import them with spets import goals)",
            ),
            Rule::UnknownGoal => f.write_str("names a goal that does not exist or is archived"),
            Rule::GoalOfOtherPartner { goal, partner } => write!(
                f,
                "names goal {goal} of partner {partner}, which this record does not involve; link only goals of its own partners"
            ),
            Rule::UnknownSource => {
                f.write_str("names an activity or note that does not exist or is archived")
            }
            Rule::AlreadyLinked { existing } => write!(
                f,
                "already has its goals in link record {existing}; change that one instead"
            ),
            Rule::PhaseUnchanged => {
                f.write_str("is the partner's phase already; choose another phase")
            }
            Rule::BeforePreviousChange { previous } => write!(
                f,
                "lies before the previous phase change ({previous}); use that date or a later one"
            ),
            Rule::SignedBeforeDraft { draft } => write!(
                f,
                "lies before the day the draft was sent ({draft}); check both dates"
            ),
            Rule::AfterToday { today } => write!(
                f,
                "lies after today ({today}); record it on the day it happens or later"
            ),
            Rule::RhythmOutOfRange { max } => write!(
                f,
                "must be from 1 to {max} months; a meeting every 0 months is no rhythm"
            ),
            Rule::RhythmExists { existing } => write!(
                f,
                "has its governance rhythm in record {existing} already; change that one instead"
            ),
            Rule::PeriodOverlaps {
                existing,
                start,
                end,
            } => write!(
                f,
                "overlaps evaluation {existing} ({start} to {end}); periods may not share days"
            ),
            Rule::NotAfterPeriod { end } => write!(
                f,
                "must lie after the evaluated period's end ({end})"
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

use super::limits as lim;

fn required(errs: &mut Vec<FieldError>, field: &str, v: &str) {
    if v.is_empty() {
        errs.push(FieldError::new(field, "", Rule::Required));
    }
}

/// The start of a long value, for messages.
fn shown(v: &str) -> String {
    let mut it = v.chars();
    let start: String = it.by_ref().take(40).collect();
    if it.next().is_some() {
        format!("{start}…")
    } else {
        start
    }
}

fn max_len(errs: &mut Vec<FieldError>, field: &str, v: &str, max: usize) {
    // Bytes bound characters from above: most values are short and need no count.
    if v.len() <= max {
        return;
    }
    let given = v.chars().count();
    if given > max {
        errs.push(FieldError::new(
            field,
            shown(v),
            Rule::TooLong { max, given },
        ));
    }
}

fn max_items(errs: &mut Vec<FieldError>, field: &str, given: usize, max: usize) {
    if given > max {
        errs.push(FieldError::new(field, "", Rule::TooMany { max, given }));
    }
}

/// A list of lines: at most `max` entries of at most [`lim::LINE_CHARS`] characters each.
fn list(errs: &mut Vec<FieldError>, field: &str, v: &[String], max: usize) {
    max_items(errs, field, v.len(), max);
    for s in v {
        max_len(errs, field, s, lim::LINE_CHARS);
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
    max_items(errs, field, v.len(), lim::PARTNERS_PER_RECORD);
}

pub(super) fn partner(p: &Partner) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "name", &p.name);
    max_len(&mut e, "name", &p.name, lim::NAME_CHARS);
    if let Some(s) = &p.short_name {
        max_len(&mut e, "short_name", s, lim::NAME_CHARS);
    }
    if !country::is_valid(&p.country) {
        e.push(FieldError::new(
            "country",
            p.country.clone(),
            Rule::UnknownCountry,
        ));
    }
    max_len(&mut e, "city", &p.city, lim::NAME_CHARS);
    if !p.website.is_empty() {
        let w = p.website.to_ascii_lowercase();
        if !(w.starts_with("https://") || w.starts_with("http://")) || w.contains(' ') {
            e.push(FieldError::new(
                "website",
                p.website.clone(),
                Rule::InvalidWebsite,
            ));
        }
        max_len(&mut e, "website", &p.website, lim::LINE_CHARS);
    }
    list(&mut e, "faculties", &p.faculties, lim::FACULTIES);
    list(&mut e, "goals", &p.goals, lim::GOALS);
    if !p.goals.is_empty() {
        e.push(FieldError::new(
            "goals",
            shown(&p.goals.join("; ")),
            Rule::GoalLinesMoved,
        ));
    }
    list(&mut e, "tags", &p.tags, lim::TAGS);
    list(&mut e, "sponsors_ours", &p.sponsors_ours, lim::SPONSORS);
    list(
        &mut e,
        "sponsors_partner",
        &p.sponsors_partner,
        lim::SPONSORS,
    );
    max_len(&mut e, "coordinator", &p.coordinator, lim::NAME_CHARS);
    e
}

pub(super) fn agreement(a: &Agreement) -> Vec<FieldError> {
    let mut e = Vec::new();
    max_len(&mut e, "title", &a.title, lim::LINE_CHARS);
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
    list(&mut e, "signatories", &a.signatories, lim::SIGNATORIES);
    if let Some(d) = a.renewal_draft_sent {
        date(&mut e, "renewal_draft_sent", d);
    }
    if let Some(s) = a.renewal_signed {
        date(&mut e, "renewal_signed", s);
        if let Some(draft) = a.renewal_draft_sent.filter(|d| s < *d) {
            e.push(FieldError::new(
                "renewal_signed",
                s.to_string(),
                Rule::SignedBeforeDraft { draft },
            ));
        }
    }
    e
}

pub(super) fn contact(c: &Contact) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "name", &c.name);
    max_len(&mut e, "name", &c.name, lim::NAME_CHARS);
    max_len(&mut e, "email", &c.email, lim::EMAIL_CHARS);
    email(&mut e, "email", &c.email);
    max_len(&mut e, "phone", &c.phone, lim::PHONE_CHARS);
    e
}

pub(super) fn activity(a: &Activity) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "title", &a.title);
    max_len(&mut e, "title", &a.title, lim::LINE_CHARS);
    max_len(&mut e, "description", &a.description, lim::TEXT_CHARS);
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
    max_len(&mut e, "owner", &a.owner, lim::NAME_CHARS);
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
    max_len(&mut e, "evidence", &a.evidence, lim::TEXT_CHARS);
    max_len(&mut e, "assessor", &a.assessor, lim::NAME_CHARS);
    e
}

pub(super) fn note(n: &Note) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "title", &n.title);
    max_len(&mut e, "title", &n.title, lim::LINE_CHARS);
    date(&mut e, "date", n.date);
    partners(&mut e, "partners", &n.partners);
    list(&mut e, "attendees", &n.attendees, lim::ATTENDEES);
    list(&mut e, "decisions", &n.decisions, lim::DECISIONS);
    max_len(&mut e, "body", &n.body, lim::TEXT_CHARS);
    max_items(&mut e, "actions", n.actions.len(), lim::ACTION_ITEMS);
    for a in &n.actions {
        max_len(&mut e, "actions", &a.text, lim::LINE_CHARS);
        max_len(&mut e, "actions", &a.owner, lim::NAME_CHARS);
        if let Some(d) = a.due {
            date(&mut e, "actions", d);
        }
    }
    e
}

pub(super) fn goal(g: &Goal) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, "text", &g.text);
    max_len(&mut e, "text", &g.text, lim::LINE_CHARS);
    max_len(&mut e, "indicator", &g.indicator, lim::LINE_CHARS);
    max_len(&mut e, "goal_target", &g.target, lim::LINE_CHARS);
    if let Some(d) = g.deadline {
        date(&mut e, "deadline", d);
    }
    max_len(&mut e, "owner", &g.owner, lim::NAME_CHARS);
    e
}

pub(super) fn goal_links(l: &GoalLinks) -> Vec<FieldError> {
    let mut e = Vec::new();
    max_items(&mut e, "goals", l.goals.len(), lim::GOALS);
    e
}

pub(super) fn phase_change(c: &PhaseChange) -> Vec<FieldError> {
    let mut e = Vec::new();
    date(&mut e, "date", c.date);
    max_len(&mut e, "reason", &c.reason, lim::LINE_CHARS);
    if c.from == c.to {
        e.push(FieldError::new("to", c.to.key(), Rule::PhaseUnchanged));
    }
    e
}

pub(super) fn suitability(s: &Suitability) -> Vec<FieldError> {
    let mut e = Vec::new();
    date(&mut e, "date", s.date);
    max_len(&mut e, "assessor", &s.assessor, lim::NAME_CHARS);
    for (field, v) in [
        ("strategic_fit", s.strategic_fit),
        ("commitment", s.commitment),
        ("mutual_benefit", s.mutual_benefit),
    ] {
        if v > SCORE_MAX {
            e.push(FieldError::new(field, v.to_string(), Rule::ScoreOutOfRange));
        }
    }
    list(&mut e, "faculties", &s.faculties, lim::FACULTIES);
    max_len(&mut e, "risks", &s.risks, lim::TEXT_CHARS);
    max_len(&mut e, "comment", &s.comment, lim::TEXT_CHARS);
    e
}

pub(super) fn evaluation(v: &Evaluation) -> Vec<FieldError> {
    let mut e = Vec::new();
    date(&mut e, "start", v.start);
    date(&mut e, "end", v.end);
    if v.end < v.start {
        e.push(FieldError::new(
            "end",
            v.end.to_string(),
            Rule::EndBeforeStart,
        ));
    }
    if let Some(next) = v.next {
        date(&mut e, "next", next);
        if next <= v.end {
            e.push(FieldError::new(
                "next",
                next.to_string(),
                Rule::NotAfterPeriod { end: v.end },
            ));
        }
    }
    let scored = Characteristic::ALL
        .iter()
        .map(|c| c.key())
        .zip(v.characteristics)
        .chain(AddedValue::ALL.iter().map(|a| a.key()).zip(v.values));
    for (key, s) in scored {
        for x in [s.ours, s.partner].into_iter().flatten() {
            if x > SCORE_MAX {
                e.push(FieldError::new(key, x.to_string(), Rule::ScoreOutOfRange));
            }
        }
    }
    max_items(&mut e, "goals", v.goals.len(), lim::GOALS);
    let mut seen = std::collections::HashSet::new();
    for g in &v.goals {
        if !seen.insert(g.goal) {
            e.push(FieldError::new(
                "goals",
                g.goal.to_string(),
                Rule::Duplicated,
            ));
        }
    }
    max_len(&mut e, "comment", &v.comment, lim::TEXT_CHARS);
    e
}
