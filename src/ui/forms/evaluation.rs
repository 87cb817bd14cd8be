//! The evaluation form: the period, the decision and the next date; for each of the five
//! characteristics and the six values our score and the partner's (the row's label names the
//! item, the choice says whose score it is); the outcome of each goal of the partner; a comment.

use super::field::{Cell, Choices, Input, Problem, area, choice, date, index_choice};
use super::{FieldKey, Form, FormKind, ParseCx};
use crate::domain::{
    AddedValue, Characteristic, Decision, Enumerated, Evaluation, GoalOutcome, GoalResult, Id,
    Record, Sides,
};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, t};

/// What the partner's records say, shown beside a new evaluation's form: the evaluator
/// writes the judgement, the evidence is gathered.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    /// The latest score on each value and the one before it (in [`AddedValue::ALL`] order).
    pub scores: Vec<(Option<u8>, Option<u8>)>,
    /// The partner's own view on each value and its view before (from the evaluations).
    pub theirs: Vec<(Option<u8>, Option<u8>)>,
    /// Activities (not cancelled) in the last 12 months per value.
    pub activities: [u32; 6],
    /// Each goal: its text, the activities and notes linked in the last 12 months, and whether
    /// it lacks follow-up.
    pub goals: Vec<(String, usize, bool)>,
    /// Governed meetings out of rhythm, by kind.
    pub behind: Vec<crate::domain::MeetingKind>,
    /// Open action items, and how many of them are overdue.
    pub actions: (usize, usize),
}

impl Evidence {
    /// The evidence in the partner's detail and life cycle.
    pub fn of(d: &crate::service::PartnerDetail, l: &crate::service::PartnerLifecycle) -> Evidence {
        Evidence {
            scores: d
                .scores
                .iter()
                .map(|c| (c.map(|c| c.score), c.and_then(|c| c.previous)))
                .collect(),
            theirs: d
                .theirs
                .iter()
                .map(|c| (c.map(|c| c.score), c.and_then(|c| c.previous)))
                .collect(),
            activities: d.value_activities,
            goals: l
                .goals
                .iter()
                .map(|g| (g.goal.data.text.clone(), g.linked.len(), g.no_follow_up))
                .collect(),
            behind: l
                .governance
                .iter()
                .flat_map(|g| g.meetings.iter())
                .filter(|m| m.state != crate::service::RhythmState::Kept)
                .map(|m| m.kind)
                .collect(),
            actions: (
                d.open_actions.len(),
                d.open_actions.iter().filter(|a| a.overdue).count(),
            ),
        }
    }

    /// The evidence as lines of text in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![t(lang, Msg::Evidence).to_string()];
        // One line per value: our score and trend, the partner's, the activities of the year.
        fn score((now, before): (Option<u8>, Option<u8>)) -> String {
            let arrow = match (now, before) {
                (Some(n), Some(b)) if n > b => "↑",
                (Some(n), Some(b)) if n < b => "↓",
                _ => "",
            };
            now.map_or_else(|| "-".to_string(), |n| format!("{n}{arrow}"))
        }
        for (i, v) in AddedValue::ALL.iter().enumerate() {
            let ours = self.scores.get(i).copied().unwrap_or((None, None));
            let theirs = self.theirs.get(i).copied().unwrap_or((None, None));
            let n = self.activities.get(i).copied().unwrap_or(0);
            out.push(format!(
                " {}: {} {} · {} {} · {}",
                v.label(lang),
                t(lang, Msg::OurView),
                score(ours),
                t(lang, Msg::PartnerView),
                score(theirs),
                crate::i18n::catalogue::count(
                    lang,
                    n as usize,
                    crate::i18n::catalogue::Noun::Activity
                ),
            ));
        }
        for (text, linked, lacking) in &self.goals {
            let mut line = format!(
                " {}: {text} · {linked} {}",
                t(lang, Msg::FGoal),
                t(lang, Msg::LinkedInYear)
            );
            if *lacking {
                line.push_str(&format!(" · {}", t(lang, Msg::NoFollowUp)));
            }
            out.push(line);
        }
        if !self.behind.is_empty() {
            let kinds: Vec<&str> = self.behind.iter().map(|k| k.label(lang)).collect();
            out.push(format!(
                " {}: {}",
                t(lang, Msg::GovernanceBehind),
                kinds.join(", ")
            ));
        }
        out.push(format!(
            " {}: {} · {} {}",
            t(lang, Msg::OpenActions),
            self.actions.0,
            t(lang, Msg::OverdueWord),
            self.actions.1
        ));
        out
    }
}

/// What a score row judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    C(Characteristic),
    V(AddedValue),
}

impl Item {
    fn key(self) -> &'static str {
        match self {
            Item::C(c) => c.key(),
            Item::V(v) => v.key(),
        }
    }
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Item::C(c) => c.label(lang),
            Item::V(v) => v.label(lang),
        }
    }
}

/// The fields of the evaluation form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum E {
    Start,
    End,
    Decision,
    Next,
    Ours(Item),
    Partner(Item),
    /// The outcome of goal `0` of the form's goals.
    Goal(usize),
    Comment,
}

impl E {
    /// The machine name (as the service's errors name it) and the catalogue label.
    pub fn meta(self) -> (&'static str, Msg) {
        match self {
            E::Start => ("start", Msg::FPeriodStart),
            E::End => ("end", Msg::FPeriodEnd),
            E::Decision => ("decision", Msg::FDecision),
            E::Next => ("next", Msg::FNextEvaluation),
            E::Ours(i) | E::Partner(i) => (i.key(), Msg::FValues),
            E::Goal(_) => ("goals", Msg::FGoal),
            E::Comment => ("comment", Msg::FComment),
        }
    }
}

/// A row's label: the item on our score's row, nothing on the partner's (its choice says whose
/// score it is), the goal's text on a goal's row.
pub fn label(e: E, goals: &[(Id, String)], lang: Lang) -> String {
    match e {
        E::Ours(i) => i.label(lang).to_string(),
        E::Partner(_) => String::new(),
        E::Goal(n) => goals
            .get(n)
            .map(|(_, text)| format!("{}: {text}", t(lang, Msg::FGoal)))
            .unwrap_or_default(),
        other => t(lang, other.meta().1).to_string(),
    }
}

fn items() -> impl Iterator<Item = Item> {
    Characteristic::ALL
        .iter()
        .map(|c| Item::C(*c))
        .chain(AddedValue::ALL.iter().map(|v| Item::V(*v)))
}

fn sides_of(e: &Evaluation, i: Item) -> Sides {
    match i {
        Item::C(c) => e.characteristic(c),
        Item::V(v) => e.value(v),
    }
}

fn score_cell(set: Choices, s: Option<u8>) -> Cell {
    index_choice(set, s.map_or(0, |x| usize::from(x) + 1))
}

/// The rows for evaluation `e` of a partner with `goals`.
fn rows(e: &Evaluation, goals: &[(Id, String)]) -> Vec<(FieldKey, Cell)> {
    let k = FieldKey::Evaluation;
    let mut rows = vec![
        (k(E::Start), date(Some(e.start))),
        (k(E::End), date(Some(e.end))),
        (k(E::Decision), choice(Choices::Decision, e.decision)),
        (k(E::Next), date(e.next)),
    ];
    for i in items() {
        let s = sides_of(e, i);
        rows.push((k(E::Ours(i)), score_cell(Choices::OurScore, s.ours)));
        rows.push((
            k(E::Partner(i)),
            score_cell(Choices::PartnerScore, s.partner),
        ));
    }
    for (n, (g, _)) in goals.iter().enumerate() {
        let outcome = e.goals.iter().find(|r| r.goal == *g).map(|r| r.outcome);
        let at = outcome
            .and_then(|o| GoalOutcome::ALL.iter().position(|x| *x == o))
            .map_or(0, |p| p + 1);
        rows.push((k(E::Goal(n)), index_choice(Choices::OptGoalOutcome, at)));
    }
    rows.push((k(E::Comment), area(&e.comment)));
    rows
}

fn blank(partner: Id, cx: &ParseCx) -> Evaluation {
    let start = cx
        .today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(cx.today);
    Evaluation {
        partner,
        start,
        end: cx.today,
        characteristics: [Sides::default(); 5],
        values: [Sides::default(); 6],
        goals: Vec::new(),
        decision: Decision::Continue,
        next: cx.today.checked_add_months(chrono::Months::new(12)),
        comment: String::new(),
    }
}

/// The evaluation form of `partner` with its `goals` (id, text): empty (the last 12 months), or
/// filled from a record.
pub fn form(
    rec: Option<&Record<Evaluation>>,
    partner: Id,
    (goals, evidence): (Vec<(Id, String)>, Option<Box<Evidence>>),
    cx: &ParseCx,
) -> Form {
    let e = rec.map_or_else(|| blank(partner, cx), |r| r.data.clone());
    let rows = rows(&e, &goals);
    Form::new(
        FormKind::Evaluation {
            id: rec.map(|r| (r.meta.id, r.meta.version)),
            partner,
            goals,
            evidence,
        },
        rows,
    )
}

/// A new form of `kind` (for drafts).
pub fn rows_for(partner: Id, goals: &[(Id, String)], cx: &ParseCx) -> Vec<(FieldKey, Cell)> {
    rows(&blank(partner, cx), goals)
}

fn score(v: &Input) -> Option<u8> {
    v.index().checked_sub(1).and_then(|x| u8::try_from(x).ok())
}

/// The evaluation the form describes, or the fields it cannot parse.
pub fn data(form: &Form, cx: &ParseCx) -> Result<Evaluation, super::Problems> {
    let FormKind::Evaluation { partner, goals, .. } = form.kind() else {
        return Err(Vec::new());
    };
    let mut e = blank(*partner, cx);
    form.parse_each(|key, v: &Input| -> Result<(), Problem> {
        let FieldKey::Evaluation(f) = key else {
            return Ok(());
        };
        match f {
            E::Start => e.start = v.required_date()?,
            E::End => e.end = v.required_date()?,
            E::Decision => e.decision = v.choice(),
            E::Next => e.next = v.date()?,
            E::Ours(i) | E::Partner(i) => {
                let slot = match i {
                    Item::C(c) => Characteristic::ALL
                        .iter()
                        .position(|x| *x == c)
                        .and_then(|p| e.characteristics.get_mut(p)),
                    Item::V(a) => AddedValue::ALL
                        .iter()
                        .position(|x| *x == a)
                        .and_then(|p| e.values.get_mut(p)),
                };
                if let Some(s) = slot {
                    match f {
                        E::Ours(_) => s.ours = score(v),
                        _ => s.partner = score(v),
                    }
                }
            }
            E::Goal(n) => {
                let outcome = v
                    .index()
                    .checked_sub(1)
                    .and_then(|i| GoalOutcome::ALL.get(i));
                if let (Some(o), Some((g, _))) = (outcome, goals.get(n)) {
                    e.goals.push(GoalResult {
                        goal: *g,
                        outcome: *o,
                    });
                }
            }
            E::Comment => e.comment = v.text(),
        }
        Ok(())
    })?;
    Ok(e)
}
