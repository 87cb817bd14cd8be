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

pub fn partner_lifecycle() -> impl Strategy<Value = PartnerLifecycle> + Clone {
    (id(), list(goal_follow_up()), list(record(goal()))).prop_map(
        |(partner, goals, archived_goals)| PartnerLifecycle {
            partner,
            goals,
            archived_goals,
        },
    )
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
    ]
}
