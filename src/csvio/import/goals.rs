//! One row of `spets import goals`: the partner by name (the id column breaks ties between
//! partners of the same name, or stands in when the name is empty), the status and added values
//! in the one vocabulary, the deadline a date, the texts within their limits; a goal the partner
//! already has (the same text) is a duplicate.

use super::ImportError;
use super::check::{Context, RowCheck, rule_text, t};
use crate::client::Client;
use crate::domain::{AddedValue, Entity, Goal, GoalStatus, Id, Rule, text::fold};
use crate::i18n::Lang;
use crate::service::{AnyData, Request, Response};
use std::collections::HashSet;

/// The partner a goal row names, with a problem when it names none or several.
fn partner(check: &mut RowCheck<'_>, rec: &csv::StringRecord, ctx: &Context) -> Option<Id> {
    let h = check.header;
    let lang = h.lang;
    let id_text = h.get(rec, "partner_id").unwrap_or("").trim().to_string();
    let id = if id_text.is_empty() {
        None
    } else if let Ok(n) = id_text.parse::<u64>() {
        Some(Id(n))
    } else {
        let m = t(
            lang,
            "is not a partner id (a number)",
            "är inte ett partner-id (ett tal)",
        );
        check.add("partner_id", &id_text, m);
        return None;
    };
    let name = h.get(rec, "partner").unwrap_or("").trim().to_string();
    if name.is_empty() {
        return match id {
            Some(id) if ctx.ids.contains(&id) => Some(id),
            Some(id) => {
                let m = rule_text(lang, &Rule::UnknownPartner);
                check.add("partner_id", &id.to_string(), m);
                None
            }
            None => {
                let m = t(
                    lang,
                    "must not be empty; give the partner's name",
                    "får inte vara tomt; ange partnerns namn",
                );
                check.add("partner", "", m);
                None
            }
        };
    }
    match ctx.by_name.get(&fold(&name)).map(Vec::as_slice) {
        Some([one]) => Some(*one),
        Some(many) if !many.is_empty() => {
            if let Some(id) = id.filter(|i| many.contains(i)) {
                return Some(id);
            }
            let list = many
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let m = match lang {
                Lang::En => format!(
                    "names several partners (ids {list}); put the right id in the Partner ID column"
                ),
                Lang::Sv => format!(
                    "är namnet på flera partner (id {list}); ange rätt id i kolumnen Partner-ID"
                ),
            };
            check.add("partner", &name, m);
            None
        }
        _ => {
            let m = t(
                lang,
                "is not the name of a partner in this workspace; check the spelling, or import the partners first",
                "är inte namnet på en partner i arbetsytan; kontrollera stavningen, eller importera partnerna först",
            );
            check.add("partner", &name, m);
            None
        }
    }
}

/// Whether the partner has a goal with this (folded) text in the workspace; the partner's goals
/// are fetched once.
fn has_goal(
    ctx: &mut Context,
    client: &dyn Client,
    partner: Id,
    folded: &str,
) -> Result<bool, ImportError> {
    if let std::collections::hash_map::Entry::Vacant(slot) = ctx.goal_texts.entry(partner) {
        let texts = match client.call(Request::Lifecycle(partner)) {
            Response::Lifecycle(l) => l
                .goals
                .iter()
                .map(|g| fold(&g.goal.data.text))
                .chain(l.archived_goals.iter().map(|g| fold(&g.data.text)))
                .collect(),
            Response::NotFound { .. } => HashSet::new(),
            Response::Failed(m) => return Err(ImportError::Failed(m)),
            _ => return Err(ImportError::Failed(crate::service::Failure::Internal)),
        };
        slot.insert(texts);
    }
    Ok(ctx
        .goal_texts
        .get(&partner)
        .is_some_and(|s| s.contains(folded)))
}

pub(super) fn goal_row(
    check: &mut RowCheck<'_>,
    rec: &csv::StringRecord,
    ctx: &mut Context,
    client: &dyn Client,
) -> Result<Option<AnyData>, ImportError> {
    let h = check.header;
    let lang = h.lang;
    let partner = partner(check, rec, ctx);
    let status = check.enumerated::<GoalStatus>(
        rec,
        "status",
        ("a goal status", "en målstatus"),
        Some(GoalStatus::Open),
    );
    let values = check.enum_list::<AddedValue>(rec, "values", ("an added value", "ett mervärde"));
    let deadline = check.date(rec, "deadline", false);
    let Some(partner) = partner else {
        return Ok(None);
    };
    let mut g = Goal {
        partner,
        text: h.text(rec, "text"),
        values,
        indicator: h.text(rec, "indicator"),
        target: h.text(rec, "target"),
        deadline,
        status: status.unwrap_or(GoalStatus::Open),
        owner: h.text(rec, "owner"),
    };
    g.normalise();
    check.field_errors(g.validate());
    if check.problems.is_empty() && !ctx.resend {
        let key = format!("goal|{partner}|{}", fold(&g.text));
        if has_goal(ctx, client, partner, &fold(&g.text))? {
            let m = t(
                lang,
                "is already a goal of this partner; a duplicate",
                "är redan ett mål för den här partnern; en dubblett",
            );
            check.add("text", &g.text, m);
        } else if let Some(first) = ctx.seen.get(&key) {
            let m = match lang {
                Lang::En => format!("for the same partner is a duplicate of row {first}"),
                Lang::Sv => format!("för samma partner är en dubblett av rad {first}"),
            };
            check.add("text", &g.text, m);
        } else {
            ctx.seen.insert(key, check.row);
        }
    }
    Ok(Some(AnyData::Goal(g)))
}
