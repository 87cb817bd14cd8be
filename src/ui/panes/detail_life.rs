//! The life-cycle sections of the partner detail view: goals with their follow-up, and the
//! chooser entries to edit, archive and restore goals. Pure drawing from the loaded
//! [`PartnerLifecycle`].

use super::detail::{archive_choice, heading};
use crate::domain::{EntityKind, LinkSource};
use crate::i18n::catalogue::{Label, Msg, t};
use crate::service::{GoalFollowUp, PartnerLifecycle};
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

/// Chooser entries to edit each goal.
pub fn edit_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    l.goals
        .iter()
        .map(|g| {
            (
                ChoiceLabel::Named(Msg::FGoal, g.goal.data.text.clone()),
                Choice::EditGoal(Box::new(g.goal.clone())),
            )
        })
        .collect()
}

/// Chooser entries to archive each goal.
pub fn archive_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    l.goals
        .iter()
        .map(|g| archive_choice(EntityKind::Goal, &g.goal.meta, &g.goal.data.text, true))
        .collect()
}

/// Chooser entries to restore each archived goal.
pub fn restore_items(l: &PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)> {
    l.archived_goals
        .iter()
        .map(|g| archive_choice(EntityKind::Goal, &g.meta, &g.data.text, false))
        .collect()
}
