//! The suitability and risk assessment of a (prospective) partner: fields, build and parse side
//! by side.

use super::field::{Cell, Choices, Input, Problem, area, choice, date, index_choice, list, text};
use super::{Form, FormKind, ParseCx};
use crate::domain::{Id, Recommendation, Record, RiskLevel, Suitability};

super::field_ids!(Suitability: Suitability => F {
    Date = "date", FDate;
    StrategicFit = "strategic_fit", FStrategicFit;
    Commitment = "commitment", FCommitment;
    MutualBenefit = "mutual_benefit", FExpectedBenefit;
    Faculties = "faculties", FFaculties;
    Risk = "risk", FRiskLevel;
    Risks = "risks", FRisks;
    Recommendation = "recommendation", FRecommendation;
    Comment = "comment", FComment;
    Assessor = "assessor", FAssessor;
});

fn score(v: &Input) -> Result<u8, Problem> {
    u8::try_from(v.index()).map_err(|_| Problem::BadScore)
}

fn build(s: &Suitability, f: F, _cx: &ParseCx) -> Cell {
    match f {
        F::Date => date(Some(s.date)),
        F::StrategicFit => index_choice(Choices::Score, usize::from(s.strategic_fit)),
        F::Commitment => index_choice(Choices::Score, usize::from(s.commitment)),
        F::MutualBenefit => index_choice(Choices::Score, usize::from(s.mutual_benefit)),
        F::Faculties => list(&s.faculties),
        F::Risk => choice(Choices::RiskLevel, s.risk),
        F::Risks => area(&s.risks),
        F::Recommendation => choice(Choices::Recommendation, s.recommendation),
        F::Comment => area(&s.comment),
        F::Assessor => text(&s.assessor),
    }
}

fn parse(s: &mut Suitability, f: F, v: &Input, _cx: &ParseCx) -> Result<(), Problem> {
    match f {
        F::Date => s.date = v.required_date()?,
        F::StrategicFit => s.strategic_fit = score(v)?,
        F::Commitment => s.commitment = score(v)?,
        F::MutualBenefit => s.mutual_benefit = score(v)?,
        F::Faculties => s.faculties = v.list(),
        F::Risk => s.risk = v.choice(),
        F::Risks => s.risks = v.text(),
        F::Recommendation => s.recommendation = v.choice(),
        F::Comment => s.comment = v.text(),
        F::Assessor => s.assessor = v.text(),
    }
    Ok(())
}

fn blank(partner: Id, cx: &ParseCx) -> Suitability {
    Suitability {
        partner,
        date: cx.today,
        assessor: cx.user.to_string(),
        strategic_fit: 0,
        commitment: 0,
        mutual_benefit: 0,
        faculties: Vec::new(),
        risk: RiskLevel::Medium,
        risks: String::new(),
        recommendation: Recommendation::Wait,
        comment: String::new(),
    }
}

/// The assessment form for `partner`, empty or filled from a record.
pub fn form(rec: Option<&Record<Suitability>>, partner: Id, cx: &ParseCx) -> Form {
    let id = rec.map(|r| (r.meta.id, r.meta.version));
    let s = rec.map_or_else(|| blank(partner, cx), |r| r.data.clone());
    super::schema_form::<F>(FormKind::Suitability { id, partner }, &s, cx)
}

/// The assessment the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Suitability, super::Problems> {
    super::schema_data::<F>(form, blank(form.partner().unwrap_or(Id(0)), cx), cx)
}
