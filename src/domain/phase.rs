//! Phases with a history and criteria: every phase change is a record (date, who, why, and the
//! criteria of the new phase that were not met, which the change overrode), and prospects get a
//! suitability and risk assessment (the SPETS guide's canvas and risk assessment, reduced to what
//! a coordinator fills in).

use super::{Entity, EntityKind, Enumerated, FieldError, Id, Phase, date_days, join, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

enumeration!(
    /// What the guide expects before a partnership enters a phase.
    Criterion {
        /// A suitability and risk assessment of the prospect (before start-up).
        SuitabilityAssessed = "suitability_assessed",
        /// An active agreement with a signing date (before running).
        AgreementSigned = "agreement_signed",
        /// A partner director named on both sides (before running).
        DirectorsBothSides = "directors_both_sides",
        /// Steering-group members named (before running).
        SteeringGroup = "steering_group",
        /// An evaluation in the last 12 months (before a new start or a phase-out).
        RecentEvaluation = "recent_evaluation",
        /// No agreement is still active (before the partnership is ended).
        AgreementsClosed = "agreements_closed",
    }
);

impl Criterion {
    /// The criteria of entering `phase`.
    pub fn of(phase: Phase) -> &'static [Criterion] {
        match phase {
            Phase::Prospect | Phase::Evaluation => &[],
            Phase::StartUp => &[Criterion::SuitabilityAssessed],
            Phase::Running => &[
                Criterion::AgreementSigned,
                Criterion::DirectorsBothSides,
                Criterion::SteeringGroup,
            ],
            Phase::NewStart | Phase::PhaseOut => &[Criterion::RecentEvaluation],
            Phase::Ended => &[Criterion::AgreementsClosed],
        }
    }
}

enumeration!(
    /// How risky a prospective partnership looks.
    RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
);

enumeration!(
    /// What the suitability assessment recommends.
    Recommendation {
        Proceed = "proceed",
        Wait = "wait",
        Decline = "decline",
    }
);

/// One change of a partner's phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChange {
    pub partner: Id,
    pub from: Phase,
    pub to: Phase,
    #[serde(with = "date_days")]
    pub date: NaiveDate,
    pub reason: String,
    /// Criteria of the new phase that were not met: the change overrode them.
    pub unmet: Vec<Criterion>,
}

/// A suitability and risk assessment of a (prospective) partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suitability {
    pub partner: Id,
    #[serde(with = "date_days")]
    pub date: NaiveDate,
    pub assessor: String,
    /// How well a partnership fits our strategy (0..=4, as the value scores).
    pub strategic_fit: u8,
    /// Senior management interest and commitment at the partner (0..=4).
    pub commitment: u8,
    /// What both sides could reach together that neither reaches alone (0..=4).
    pub mutual_benefit: u8,
    /// Faculties that want to take part (two or more: university-wide).
    pub faculties: Vec<String>,
    pub risk: RiskLevel,
    /// The risks found (reputation, ethics, security and export control, finances, dependence)
    /// and how they would be handled.
    pub risks: String,
    pub recommendation: Recommendation,
    pub comment: String,
}

impl Entity for PhaseChange {
    const KIND: EntityKind = EntityKind::PhaseChange;
    fn normalise(&mut self) {
        self.reason = text::clean_line(&self.reason);
        super::set(&mut self.unmet);
    }
    fn validate(&self) -> Vec<FieldError> {
        super::validate::phase_change(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("from", self.from.key().into()),
            ("to", self.to.key().into()),
            ("date", self.date.to_string()),
            ("reason", self.reason.clone()),
            ("unmet", join(&self.unmet)),
        ]
    }
    fn label(&self) -> String {
        format!("{} → {}", self.from.key(), self.to.key())
    }
}

impl Entity for Suitability {
    const KIND: EntityKind = EntityKind::Suitability;
    fn normalise(&mut self) {
        self.assessor = text::clean_line(&self.assessor);
        self.faculties = text::clean_list(&self.faculties);
        self.risks = text::clean_multiline(&self.risks);
        self.comment = text::clean_multiline(&self.comment);
    }
    fn validate(&self) -> Vec<FieldError> {
        super::validate::suitability(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("date", self.date.to_string()),
            ("assessor", self.assessor.clone()),
            ("strategic_fit", self.strategic_fit.to_string()),
            ("commitment", self.commitment.to_string()),
            ("mutual_benefit", self.mutual_benefit.to_string()),
            ("faculties", join(&self.faculties)),
            ("risk", self.risk.key().into()),
            ("risks", self.risks.clone()),
            ("recommendation", self.recommendation.key().into()),
            ("comment", self.comment.clone()),
        ]
    }
    fn label(&self) -> String {
        format!("{} {}", self.date, self.recommendation.key())
    }
}
