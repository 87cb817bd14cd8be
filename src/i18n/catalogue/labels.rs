//! Labels from the catalogue for things named elsewhere: an action's status-bar hint, a field by
//! its machine name, a dataset and a CSV dialect.

use super::{Msg, t};
use crate::i18n::Lang;

/// A short status-bar label for an action's hint (None: use the action's description).
pub fn hint_label(lang: Lang, action: crate::keymap::Action) -> Option<&'static str> {
    use crate::keymap::Action as A;
    let m = match action {
        A::Open => Msg::HintOpen,
        A::Add => Msg::HintAdd,
        A::Search => Msg::HintSearch,
        A::Help => Msg::HintHelp,
        A::CommandPalette => Msg::HintCommands,
        A::Menu => Msg::HintMenu,
        A::ToggleLanguage => Msg::HintLanguage,
        A::Quit => Msg::HintQuit,
        A::Save => Msg::HintSave,
        A::NextField => Msg::HintNext,
        A::Cancel => Msg::HintCancel,
        A::ConfirmYes => Msg::HintYes,
        A::ConfirmNo => Msg::HintNo,
        A::Back => Msg::HintBack,
        A::ShowDiff => Msg::HintDiff,
        A::Reload => Msg::HintReload,
        A::Overwrite => Msg::HintOverwrite,
        _ => return None,
    };
    Some(t(lang, m))
}

/// The label of a field (its machine name from the domain), for forms and validation messages.
pub fn field_label(lang: Lang, field: &str) -> &'static str {
    let msg = match field {
        "name" => Msg::FName,
        "short_name" => Msg::FShortName,
        "kind" => Msg::FKind,
        "country" => Msg::FCountry,
        "city" => Msg::FCity,
        "website" => Msg::FWebsite,
        "phase" => Msg::FPhase,
        "tier" => Msg::FTier,
        "formats" => Msg::FFormats,
        "faculties" => Msg::FFaculties,
        "goals" => Msg::FGoals,
        "tags" => Msg::FTags,
        "sponsors_ours" => Msg::FSponsorsOurs,
        "sponsors_partner" => Msg::FSponsorsPartner,
        "coordinator" => Msg::FCoordinator,
        "date" => Msg::FDate,
        "end_date" => Msg::FEndDate,
        "partners" => Msg::FPartners,
        "title" => Msg::FTitle,
        "description" => Msg::FDescription,
        "values" => Msg::FValues,
        "status" => Msg::FStatus,
        "owner" => Msg::FOwner,
        "score" => Msg::FScore,
        "target" => Msg::FTarget,
        "evidence" => Msg::FEvidence,
        "meeting_kind" => Msg::FMeetingKind,
        "attendees" => Msg::FAttendees,
        "body" => Msg::FBody,
        "decisions" => Msg::FDecisions,
        "actions" | "action_text" => Msg::FActionText,
        "action_due" => Msg::FDue,
        "action_done" => Msg::FDone,
        "action_owner" => Msg::FOwner,
        "signed" => Msg::FSigned,
        "start" => Msg::FStart,
        "end" => Msg::FEnd,
        "signatories" => Msg::FSignatories,
        "renewal_lead_months" => Msg::FRenewalLead,
        "side" => Msg::FSide,
        "role" => Msg::FRole,
        "email" => Msg::FEmail,
        "phone" => Msg::FPhone,
        "text" => Msg::FGoalText,
        "indicator" => Msg::FIndicator,
        "goal_target" => Msg::FGoalTarget,
        "deadline" => Msg::FDeadline,
        "source_id" => Msg::LinkGoals,
        "to" => Msg::FNewPhase,
        "reason" => Msg::FReason,
        "strategic_fit" => Msg::FStrategicFit,
        "commitment" => Msg::FCommitment,
        "mutual_benefit" => Msg::FExpectedBenefit,
        "risk" => Msg::FRiskLevel,
        "risks" => Msg::FRisks,
        "recommendation" => Msg::FRecommendation,
        "comment" => Msg::FComment,
        "assessor" => Msg::FAssessor,
        "steering_group_months" => Msg::FSteeringGroupMonths,
        "management_months" => Msg::FManagementMonths,
        _ => Msg::FOther,
    };
    t(lang, msg)
}

/// The label of a dataset.
pub fn dataset_label(lang: Lang, d: crate::csvio::Dataset) -> &'static str {
    use crate::csvio::Dataset as D;
    let m = match d {
        D::Partners => Msg::DsPartners,
        D::Agreements => Msg::DsAgreements,
        D::Contacts => Msg::DsContacts,
        D::Activities => Msg::DsActivities,
        D::Matrix => Msg::DsMatrix,
        D::Assessments => Msg::DsAssessments,
        D::Notes => Msg::DsNotes,
        D::Actions => Msg::DsActions,
        D::Audit => Msg::DsAudit,
        D::Goals => Msg::DsGoals,
        D::Evaluations => Msg::DsEvaluations,
        D::PhaseHistory => Msg::DsPhaseHistory,
    };
    t(lang, m)
}

/// The label of a CSV dialect.
pub fn dialect_label(lang: Lang, d: crate::csvio::Dialect) -> &'static str {
    use crate::csvio::Dialect as D;
    let m = match d {
        D::ExcelSv => Msg::DialectExcelSv,
        D::ExcelEn => Msg::DialectExcelEn,
        D::Rfc4180 => Msg::DialectRfc,
    };
    t(lang, m)
}
