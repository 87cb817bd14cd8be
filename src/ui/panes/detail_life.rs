//! The life-cycle sections of the partner detail view: goals with their follow-up, and the
//! chooser entries to edit, archive and restore goals. Pure drawing from the loaded
//! [`PartnerLifecycle`].

use super::detail::{archive_choice, heading};
use crate::domain::{EntityKind, LinkSource};
use crate::i18n::catalogue::{Label, Msg, t};
use crate::service::{GoalFollowUp, PartnerLifecycle, RhythmState};
use crate::ui::overlays::{Choice, ChoiceLabel};
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, truncate};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// How many linked activities and notes the view lists under a goal.
const LINKED_SHOWN: usize = 3;

/// The life-cycle sections, appended to `lines`.
pub fn lines(
    life: Option<&PartnerLifecycle>,
    archived: bool,
    cx: &Ctx,
    lines: &mut Vec<Line<'static>>,
) {
    lines.push(heading(Msg::GoalsFollowUp, cx));
    let Some(l) = life else {
        lines.push(Line::from(format!(" {}", t(cx.lang, Msg::Loading))));
        return;
    };
    if l.goals.is_empty() {
        lines.push(Line::from(format!(" {}", t(cx.lang, Msg::NoGoalsYet))));
    }
    for g in &l.goals {
        goal_lines(g, cx, lines);
    }
    phase_lines(l, cx, lines);
    governance_lines(l, cx, lines);
    evaluation_lines(l, cx, lines);
    suitability_lines(l, cx, lines);
    if archived && !l.archived_goals.is_empty() {
        lines.push(Line::from(Span::styled(
            t(cx.lang, Msg::ArchivedGoals),
            cx.theme.warn(),
        )));
        for g in &l.archived_goals {
            lines.push(Line::from(Span::styled(
                format!(" {}", clean(&g.data.text)),
                cx.theme.past(),
            )));
        }
    }
}

fn goal_lines(f: &GoalFollowUp, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    let g = &f.goal.data;
    let mut head = vec![
        Span::styled(format!(" ● {}", clean(&g.text)), th.title()),
        Span::raw(format!(" · {}", g.status.label(lang))),
    ];
    if let Some(d) = g.deadline {
        head.push(Span::raw(format!(" · {} {d}", t(lang, Msg::Deadline))));
    }
    if !g.owner.is_empty() {
        head.push(Span::raw(format!(" · {}", clean(&g.owner))));
    }
    lines.push(Line::from(head));
    let mut about = Vec::new();
    if !g.indicator.is_empty() {
        about.push(format!(
            "{}: {}",
            t(lang, Msg::FIndicator),
            clean(&g.indicator)
        ));
    }
    if !g.target.is_empty() {
        about.push(format!(
            "{}: {}",
            t(lang, Msg::FGoalTarget),
            clean(&g.target)
        ));
    }
    if !g.values.is_empty() {
        let values: Vec<&str> = g.values.iter().map(|v| v.label(lang)).collect();
        about.push(values.join(", "));
    }
    if !about.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("   {}", about.join(" · ")),
            th.dim(),
        )));
    }
    // Follow-up matters while a goal is open.
    if g.status != crate::domain::GoalStatus::Open {
        return;
    }
    let mut status = match f.last {
        Some(d) => format!("   {} {d}", t(lang, Msg::LastFollowUp)),
        None => format!("   {}", t(lang, Msg::NeverFollowedUp)),
    };
    if !f.linked.is_empty() {
        status.push_str(&format!(
            " · {} {}",
            f.linked.len(),
            t(lang, Msg::LinkedLastYear)
        ));
    }
    let mut follow = vec![Span::raw(status)];
    if f.no_follow_up {
        follow.push(Span::styled(
            format!("  ⚠ {}", t(lang, Msg::NoFollowUp)),
            th.warn(),
        ));
    }
    lines.push(Line::from(follow));
    for item in f.linked.iter().take(LINKED_SHOWN) {
        let mark = match item.source {
            LinkSource::Activity => "·",
            LinkSource::Note => "✎",
        };
        lines.push(Line::from(Span::styled(
            format!("     {mark} {} {}", item.date, truncate(&item.title, 60)),
            Style::default(),
        )));
    }
}

/// The phase history (newest first) and the criteria of the usual next phase.
fn phase_lines(l: &PartnerLifecycle, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    lines.push(heading(Msg::PhaseHistory, cx));
    if let Some(next) = &l.next
        && !next.checks.is_empty()
    {
        let mut spans = vec![Span::raw(format!(
            " {} {}:",
            t(lang, Msg::CriteriaFor),
            next.phase.label(lang)
        ))];
        for c in &next.checks {
            let (mark, style) = if c.met {
                ("✓", th.ok())
            } else {
                ("✗", th.warn())
            };
            let why = c
                .why
                .map(|w| format!(" ({})", crate::ui::forms::draw::shortfall(lang, w)))
                .unwrap_or_default();
            spans.push(Span::styled(
                format!(" {mark} {}{why}", c.criterion.label(lang)),
                style,
            ));
        }
        lines.push(Line::from(spans));
    }
    if l.phases.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::NoPhaseChanges))));
    }
    for c in l.phases.iter().take(PHASES_SHOWN) {
        let d = &c.data;
        let mut text = format!(
            " {} {} → {} · {}",
            d.date,
            d.from.label(lang),
            d.to.label(lang),
            clean(&c.meta.created_by)
        );
        if !d.reason.is_empty() {
            text.push_str(&format!(" · {}", clean(&d.reason)));
        }
        let mut spans = vec![Span::raw(text)];
        if !d.unmet.is_empty() {
            let unmet: Vec<&str> = d.unmet.iter().map(|c| c.label(lang)).collect();
            spans.push(Span::styled(
                format!(" · {}: {}", t(lang, Msg::Overrode), unmet.join(", ")),
                th.warn(),
            ));
        }
        lines.push(Line::from(spans));
    }
}

/// The governance rhythm of a strategic partner and how its meetings keep it.
fn governance_lines(l: &PartnerLifecycle, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    let Some(g) = &l.governance else {
        return;
    };
    let mut head = vec![Span::styled(
        t(lang, Msg::GovernanceHeading).to_string(),
        th.header(),
    )];
    if g.rhythm.is_none() {
        head.push(Span::raw(format!(" ({})", t(lang, Msg::RhythmDefault))));
    }
    lines.push(Line::from(head));
    for m in &g.meetings {
        let mut text = format!(
            " {} · {}",
            m.kind.label(lang),
            crate::i18n::counts::every_months(lang, m.months)
        );
        if let Some(last) = m.last {
            text.push_str(&format!(" · {} {last}", t(lang, Msg::LastMeeting)));
        }
        if let Some(due) = m.next_due {
            text.push_str(&format!(" · {} {due}", t(lang, Msg::NextDue)));
        }
        let (word, style) = match m.state {
            RhythmState::Kept => (Msg::RhythmKept, th.ok()),
            RhythmState::Overdue => (Msg::RhythmOverdue, th.warn()),
            RhythmState::NoneRecorded => (Msg::RhythmNoneRecorded, th.warn()),
        };
        let mark = if m.state == RhythmState::Kept {
            "✓"
        } else {
            "⚑"
        };
        lines.push(Line::from(vec![
            Span::raw(text),
            Span::styled(format!(" · {mark} {}", t(lang, word)), style),
        ]));
    }
}

/// The latest evaluation: its period, decision and next date, and the mean of both sides'
/// assessments of the characteristics and of the values.
fn evaluation_lines(l: &PartnerLifecycle, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let lang = cx.lang;
    let Some(e) = l.evaluations.first() else {
        return;
    };
    let e = &e.data;
    lines.push(heading(Msg::EvaluationHeading, cx));
    let mut text = format!(
        " {} – {} · {} {}",
        e.start,
        e.end,
        t(lang, Msg::FDecision).to_lowercase(),
        e.decision.label(lang)
    );
    if let Some(next) = e.next {
        text.push_str(&format!(" · {} {next}", t(lang, Msg::NextEvaluation)));
    }
    lines.push(Line::from(text));
    let mean = |xs: Vec<Option<u8>>| -> String {
        let given: Vec<f64> = xs.into_iter().flatten().map(f64::from).collect();
        if given.is_empty() {
            return "-".into();
        }
        crate::i18n::counts::decimal(lang, given.iter().sum::<f64>() / given.len() as f64, 1)
    };
    for (label, set) in [
        (Msg::Characteristics, &e.characteristics[..]),
        (Msg::FValues, &e.values[..]),
    ] {
        lines.push(Line::from(format!(
            "   {}: {} {} · {} {}",
            t(lang, label),
            t(lang, Msg::OurView),
            mean(set.iter().map(|s| s.ours).collect()),
            t(lang, Msg::PartnerView),
            mean(set.iter().map(|s| s.partner).collect()),
        )));
    }
}

/// The latest suitability and risk assessment.
fn suitability_lines(l: &PartnerLifecycle, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let lang = cx.lang;
    let prospect = l
        .next
        .as_ref()
        .is_some_and(|n| n.phase == crate::domain::Phase::StartUp);
    let Some(s) = l.suitability.first() else {
        // A prospect is expected to have one: say that it has none yet.
        if prospect {
            lines.push(heading(Msg::SuitabilityHeading, cx));
            lines.push(Line::from(Span::styled(
                format!(" {}", t(lang, Msg::NoSuitability)),
                cx.theme.warn(),
            )));
        }
        return;
    };
    lines.push(heading(Msg::SuitabilityHeading, cx));
    let d = &s.data;
    lines.push(Line::from(format!(
        " {} · {} · {} {} · {} {}",
        d.date,
        clean(&d.assessor),
        t(lang, Msg::FRecommendation).to_lowercase(),
        d.recommendation.label(lang),
        t(lang, Msg::SuitRisk),
        d.risk.label(lang),
    )));
    lines.push(Line::from(format!(
        "   {} {} · {} {} · {} {}",
        t(lang, Msg::SuitFit),
        d.strategic_fit,
        t(lang, Msg::SuitCommitment),
        d.commitment,
        t(lang, Msg::SuitBenefit),
        d.mutual_benefit,
    )));
    if !d.faculties.is_empty() {
        lines.push(Line::from(format!(
            "   {}: {}",
            t(lang, Msg::Faculties),
            clean(&d.faculties.join("; "))
        )));
    }
    if !d.risks.is_empty() {
        lines.push(Line::from(format!(
            "   {}: {}",
            t(lang, Msg::FRisks),
            truncate(&d.risks.replace('\n', " "), 100)
        )));
    }
}

/// How many phase changes the view lists.
const PHASES_SHOWN: usize = 5;

/// The partner's goals (id, text) for the evaluation form's outcome rows.
pub fn goal_texts(l: &PartnerLifecycle) -> Vec<(crate::domain::Id, String)> {
    l.goals
        .iter()
        .map(|g| (g.goal.meta.id, g.goal.data.text.clone()))
        .collect()
}

/// Chooser entries to edit each goal and the latest suitability assessment.
pub fn edit_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    let mut items: Vec<(ChoiceLabel, Choice)> = l
        .goals
        .iter()
        .map(|g| {
            (
                ChoiceLabel::Named(Msg::FGoal, g.goal.data.text.clone()),
                Choice::EditGoal(Box::new(g.goal.clone())),
            )
        })
        .collect();
    if let Some(s) = l.suitability.first() {
        items.push((
            ChoiceLabel::Named(Msg::SuitabilityHeading, s.data.date.to_string()),
            Choice::EditSuitability(Box::new(s.clone())),
        ));
    }
    if let Some(e) = l.evaluations.first() {
        items.push((
            ChoiceLabel::Named(
                Msg::EvaluationHeading,
                format!("{} – {}", e.data.start, e.data.end),
            ),
            Choice::EditEvaluation(Box::new(e.clone()), goal_texts(l)),
        ));
    }
    if let Some(g) = &l.governance {
        items.push((
            ChoiceLabel::Msg(Msg::EditRhythm),
            Choice::EditRhythm(l.partner, g.rhythm.clone().map(Box::new)),
        ));
    }
    items
}

/// Chooser entries to archive each goal and suitability assessment.
pub fn archive_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    let mut items: Vec<(ChoiceLabel, Choice)> = l
        .goals
        .iter()
        .map(|g| archive_choice(EntityKind::Goal, &g.goal.meta, &g.goal.data.text, true))
        .collect();
    items.extend(l.suitability.iter().map(|s| {
        archive_choice(
            EntityKind::Suitability,
            &s.meta,
            &s.data.date.to_string(),
            true,
        )
    }));
    items
}

/// Chooser entries to restore each archived goal and suitability assessment.
pub fn restore_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    let mut items: Vec<(ChoiceLabel, Choice)> = l
        .archived_goals
        .iter()
        .map(|g| archive_choice(EntityKind::Goal, &g.meta, &g.data.text, false))
        .collect();
    items.extend(l.archived_suitability.iter().map(|s| {
        archive_choice(
            EntityKind::Suitability,
            &s.meta,
            &s.data.date.to_string(),
            false,
        )
    }));
    items
}
