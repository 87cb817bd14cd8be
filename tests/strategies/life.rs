//! Strategies for the life cycle's records and answers (see the module's top for the rules:
//! every field named, every variant listed beside an exhaustive `covered_*` match).

use super::*;

pub fn goal() -> impl Strategy<Value = Goal> + Clone {
    (
        id(),
        text(),
        vec(en::<AddedValue>(), 0..7),
        text(),
        text(),
        proptest::option::of(date()),
        en::<GoalStatus>(),
        text(),
    )
        .prop_map(
            |(partner, text, values, indicator, target, deadline, status, owner)| Goal {
                partner,
                text,
                values,
                indicator,
                target,
                deadline,
                status,
                owner,
            },
        )
}

pub fn goal_links() -> impl Strategy<Value = GoalLinks> + Clone {
    (en::<LinkSource>(), id(), list(id())).prop_map(|(source, source_id, goals)| GoalLinks {
        source,
        source_id,
        goals,
    })
}

pub fn linked_item() -> impl Strategy<Value = LinkedItem> + Clone {
    (en::<LinkSource>(), id(), date(), text()).prop_map(|(source, id, date, title)| LinkedItem {
        source,
        id,
        date,
        title,
    })
}

pub fn goal_follow_up() -> impl Strategy<Value = GoalFollowUp> + Clone {
    (
        record(goal()),
        list(linked_item()),
        proptest::option::of(date()),
        any::<bool>(),
    )
        .prop_map(|(goal, linked, last, no_follow_up)| GoalFollowUp {
            goal,
            linked,
            last,
            no_follow_up,
        })
}

pub fn phase_change() -> impl Strategy<Value = PhaseChange> + Clone {
    (
        id(),
        en::<Phase>(),
        en::<Phase>(),
        date(),
        text(),
        list(en::<Criterion>()),
    )
        .prop_map(|(partner, from, to, date, reason, unmet)| PhaseChange {
            partner,
            from,
            to,
            date,
            reason,
            unmet,
        })
}

pub fn suitability() -> impl Strategy<Value = Suitability> + Clone {
    (
        (id(), date(), text(), any::<u8>(), any::<u8>(), any::<u8>()),
        (
            texts(),
            en::<RiskLevel>(),
            long_text(),
            en::<Recommendation>(),
            long_text(),
        ),
    )
        .prop_map(
            |(
                (partner, date, assessor, strategic_fit, commitment, mutual_benefit),
                (faculties, risk, risks, recommendation, comment),
            )| Suitability {
                partner,
                date,
                assessor,
                strategic_fit,
                commitment,
                mutual_benefit,
                faculties,
                risk,
                risks,
                recommendation,
                comment,
            },
        )
}

pub fn phase_checks() -> impl Strategy<Value = PhaseChecks> + Clone {
    (
        en::<Phase>(),
        list((en::<Criterion>(), any::<bool>(), any::<bool>()).prop_map(
            |(criterion, met, why)| CriterionCheck {
                criterion,
                met,
                why: why.then_some(Shortfall::NoEvaluation),
            },
        )),
    )
        .prop_map(|(phase, checks)| PhaseChecks { phase, checks })
}

pub fn phase_criteria() -> impl Strategy<Value = PhaseCriteria> + Clone {
    (
        id(),
        text(),
        any::<u64>(),
        en::<Phase>(),
        list(phase_checks()),
        proptest::option::of(date()),
    )
        .prop_map(
            |(partner, name, version, current, phases, last_change)| PhaseCriteria {
                partner,
                name,
                version,
                current,
                phases,
                last_change,
            },
        )
}

pub fn partner_lifecycle() -> impl Strategy<Value = PartnerLifecycle> + Clone {
    (
        (id(), list(goal_follow_up()), list(record(goal()))),
        (
            list(record(phase_change())),
            proptest::option::of(phase_checks()),
            list(record(suitability())),
            list(record(suitability())),
            proptest::option::of(governance()),
            list(record(evaluation())),
        ),
    )
        .prop_map(
            |(
                (partner, goals, archived_goals),
                (phases, next, suitability, archived_suitability, governance, evaluations),
            )| PartnerLifecycle {
                partner,
                goals,
                archived_goals,
                phases,
                next,
                suitability,
                archived_suitability,
                governance,
                evaluations,
            },
        )
}

pub fn rhythm() -> impl Strategy<Value = Rhythm> + Clone {
    (id(), any::<u8>(), any::<u8>()).prop_map(|(partner, s, m)| Rhythm {
        partner,
        steering_group_months: s,
        management_months: m,
    })
}

pub fn meeting_compliance() -> impl Strategy<Value = MeetingCompliance> + Clone {
    (
        en::<MeetingKind>(),
        any::<u8>(),
        proptest::option::of(date()),
        proptest::option::of(date()),
        select(
            &[
                RhythmState::Kept,
                RhythmState::Overdue,
                RhythmState::NoneRecorded,
            ][..],
        ),
    )
        .prop_map(|(kind, months, last, next_due, state)| MeetingCompliance {
            kind,
            months,
            last,
            next_due,
            state,
        })
}

pub fn governance() -> impl Strategy<Value = Governance> + Clone {
    (
        proptest::option::of(record(rhythm())),
        list(meeting_compliance()),
    )
        .prop_map(|(rhythm, meetings)| Governance { rhythm, meetings })
}

pub fn goal_choice() -> impl Strategy<Value = GoalChoice> + Clone {
    (id(), id(), text(), text(), en::<GoalStatus>()).prop_map(
        |(id, partner, partner_name, text, status)| GoalChoice {
            id,
            partner,
            partner_name,
            text,
            status,
        },
    )
}

pub fn goal_link_choices() -> impl Strategy<Value = GoalLinkChoices> + Clone {
    (
        en::<LinkSource>(),
        id(),
        text(),
        proptest::option::of(record(goal_links())),
        list(goal_choice()),
    )
        .prop_map(|(source, source_id, title, links, goals)| GoalLinkChoices {
            source,
            source_id,
            title,
            links,
            goals,
        })
}

/// The life cycle's requests.
pub fn life_requests() -> Vec<BoxedStrategy<Request>> {
    vec![
        id().prop_map(Request::Lifecycle).boxed(),
        (en::<LinkSource>(), id())
            .prop_map(|(source, id)| Request::GoalLinksFor { source, id })
            .boxed(),
        id().prop_map(Request::PhaseCriteria).boxed(),
        (id(), any::<u64>(), en::<Phase>(), date(), text())
            .prop_map(
                |(partner, expected_version, to, date, reason)| Request::ChangePhase {
                    partner,
                    expected_version,
                    to,
                    date,
                    reason,
                },
            )
            .boxed(),
    ]
}

/// The life cycle's responses.
pub fn life_responses() -> Vec<BoxedStrategy<Response>> {
    vec![
        partner_lifecycle()
            .prop_map(|l| Response::Lifecycle(Box::new(l)))
            .boxed(),
        goal_link_choices()
            .prop_map(|c| Response::GoalLinkChoices(Box::new(c)))
            .boxed(),
        phase_criteria()
            .prop_map(|c| Response::PhaseCriteria(Box::new(c)))
            .boxed(),
    ]
}

/// The life cycle's rules.
pub fn life_rules() -> Vec<BoxedStrategy<Rule>> {
    vec![
        Just(Rule::GoalLinesMoved).boxed(),
        Just(Rule::UnknownGoal).boxed(),
        (id(), id())
            .prop_map(|(goal, partner)| Rule::GoalOfOtherPartner { goal, partner })
            .boxed(),
        Just(Rule::UnknownSource).boxed(),
        id().prop_map(|existing| Rule::AlreadyLinked { existing })
            .boxed(),
        Just(Rule::PhaseUnchanged).boxed(),
        date()
            .prop_map(|previous| Rule::BeforePreviousChange { previous })
            .boxed(),
        date().prop_map(|today| Rule::AfterToday { today }).boxed(),
        any::<u8>()
            .prop_map(|max| Rule::RhythmOutOfRange { max })
            .boxed(),
        id().prop_map(|existing| Rule::RhythmExists { existing })
            .boxed(),
        (id(), date(), date())
            .prop_map(|(existing, start, end)| Rule::PeriodOverlaps {
                existing,
                start,
                end,
            })
            .boxed(),
        date().prop_map(|end| Rule::NotAfterPeriod { end }).boxed(),
    ]
}

fn sides() -> impl Strategy<Value = Sides> + Clone {
    (
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u8>()),
    )
        .prop_map(|(ours, partner)| Sides { ours, partner })
}

pub fn evaluation() -> impl Strategy<Value = Evaluation> + Clone {
    (
        (id(), date(), date()),
        (
            proptest::array::uniform5(sides()),
            proptest::array::uniform6(sides()),
        ),
        list((id(), en::<GoalOutcome>()).prop_map(|(goal, outcome)| GoalResult { goal, outcome })),
        (en::<Decision>(), proptest::option::of(date()), text()),
    )
        .prop_map(
            |(
                (partner, start, end),
                (characteristics, values),
                goals,
                (decision, next, comment),
            )| {
                Evaluation {
                    partner,
                    start,
                    end,
                    characteristics,
                    values,
                    goals,
                    decision,
                    next,
                    comment,
                }
            },
        )
}
