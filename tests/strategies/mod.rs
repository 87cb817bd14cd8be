//! proptest strategies for every stored type and every daemon protocol message.
//!
//! Generated values are modest: text of up to [`SHORT`] characters (long text fields up to
//! [`LONG`]) and lists of up to [`ITEMS`] items, far inside the domain's validation limits, so a
//! case stays small and fast while still reaching every field, every variant and every
//! enumeration value. Structs are built with every field named, so a field added to a stored type
//! stops this file compiling until its generator covers it; enums listed by hand have an exhaustive
//! `covered_*` match (never called) for the same reason: a new variant must be added to the
//! strategy beside it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, NaiveDate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Union};
use spets::daemon::protocol::{ClientMsg, ServerMsg};
use spets::domain::*;
use spets::i18n::Lang;
use spets::service::*;
use spets::store::check::{Finding, RepairStep};
use spets::store::{AuditAction, AuditEntry};
use std::fmt::Debug;

mod life;
pub use life::*;

/// Characters in a short text field (names, titles, users).
pub const SHORT: usize = 24;
/// Characters in a long text field (descriptions, note bodies).
pub const LONG: usize = 200;
/// Items in a list field.
pub const ITEMS: usize = 5;

/// Any characters, control characters and astral planes included: the codec must not care.
pub fn text() -> impl Strategy<Value = String> + Clone {
    vec(any::<char>(), 0..SHORT).prop_map(String::from_iter)
}

pub fn long_text() -> impl Strategy<Value = String> + Clone {
    vec(any::<char>(), 0..LONG).prop_map(String::from_iter)
}

pub fn texts() -> impl Strategy<Value = Vec<String>> + Clone {
    vec(text(), 0..ITEMS)
}

pub fn list<S: Strategy + Clone>(s: S) -> impl Strategy<Value = Vec<S::Value>> + Clone {
    vec(s, 0..ITEMS)
}

pub fn id() -> impl Strategy<Value = Id> + Clone {
    any::<u64>().prop_map(Id)
}

pub fn ts() -> impl Strategy<Value = Timestamp> + Clone {
    any::<i64>().prop_map(Timestamp)
}

/// Every date chrono can hold (stored as a day number).
pub fn date() -> impl Strategy<Value = NaiveDate> + Clone {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

pub fn en<T: Enumerated + Debug>() -> impl Strategy<Value = T> + Clone {
    select(T::ALL)
}

pub fn entity_kind() -> impl Strategy<Value = EntityKind> + Clone {
    select(&EntityKind::ALL[..])
}

pub fn lang() -> impl Strategy<Value = Lang> + Clone {
    select(&[Lang::En, Lang::Sv][..])
}

fn covered_audit_action(a: AuditAction) {
    match a {
        AuditAction::Create
        | AuditAction::Update
        | AuditAction::Archive
        | AuditAction::Restore
        | AuditAction::Purge
        | AuditAction::Import
        | AuditAction::RestoreBackup
        | AuditAction::Repair
        | AuditAction::Access => {}
    }
}

pub fn audit_action() -> impl Strategy<Value = AuditAction> + Clone {
    select(
        &[
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Archive,
            AuditAction::Restore,
            AuditAction::Purge,
            AuditAction::Import,
            AuditAction::RestoreBackup,
            AuditAction::Repair,
            AuditAction::Access,
        ][..],
    )
}

pub fn role() -> impl Strategy<Value = Role> + Clone {
    select(&[Role::Viewer, Role::Editor, Role::Admin][..])
}

pub fn archived() -> impl Strategy<Value = Archived> + Clone {
    select(&[Archived::Hide, Archived::Only, Archived::Include][..])
}

/// A finite float (NaN would round-trip bit for bit but never compare equal).
pub fn float() -> impl Strategy<Value = f32> + Clone {
    any::<i16>().prop_map(|x| f32::from(x) / 8.0)
}

pub fn meta() -> impl Strategy<Value = Meta> + Clone {
    (
        id(),
        any::<u64>(),
        ts(),
        text(),
        ts(),
        text(),
        any::<bool>(),
    )
        .prop_map(
            |(id, version, created_at, created_by, updated_at, updated_by, archived)| Meta {
                id,
                version,
                created_at,
                created_by,
                updated_at,
                updated_by,
                archived,
            },
        )
}

pub fn record<T: Debug + Clone>(
    data: impl Strategy<Value = T> + Clone,
) -> impl Strategy<Value = Record<T>> + Clone {
    (meta(), data).prop_map(|(meta, data)| Record { meta, data })
}

pub fn partner() -> impl Strategy<Value = Partner> + Clone {
    (
        (
            text(),
            proptest::option::of(text()),
            en::<OrgKind>(),
            text(),
            text(),
            text(),
            en::<Phase>(),
            en::<Tier>(),
        ),
        (
            list(en::<Format>()),
            texts(),
            texts(),
            texts(),
            texts(),
            texts(),
            text(),
        ),
    )
        .prop_map(
            |(
                (name, short_name, kind, country, city, website, phase, tier),
                (formats, faculties, goals, tags, sponsors_ours, sponsors_partner, coordinator),
            )| Partner {
                name,
                short_name,
                kind,
                country,
                city,
                website,
                phase,
                tier,
                formats,
                faculties,
                goals,
                tags,
                sponsors_ours,
                sponsors_partner,
                coordinator,
            },
        )
}

pub fn agreement() -> impl Strategy<Value = Agreement> + Clone {
    (
        id(),
        en::<AgreementKind>(),
        text(),
        proptest::option::of(date()),
        date(),
        proptest::option::of(date()),
        texts(),
        (
            any::<u8>(),
            en::<AgreementStatus>(),
            proptest::option::of(date()),
            proptest::option::of(date()),
        ),
    )
        .prop_map(
            |(
                partner,
                kind,
                title,
                signed,
                start,
                end,
                signatories,
                (lead, status, renewal_draft_sent, renewal_signed),
            )| Agreement {
                partner,
                kind,
                title,
                signed,
                start,
                end,
                signatories,
                renewal_lead_months: lead,
                status,
                renewal_draft_sent,
                renewal_signed,
            },
        )
}

pub fn contact() -> impl Strategy<Value = Contact> + Clone {
    (
        id(),
        en::<Side>(),
        text(),
        en::<ContactRole>(),
        text(),
        text(),
    )
        .prop_map(|(partner, side, name, role, email, phone)| Contact {
            partner,
            side,
            name,
            role,
            email,
            phone,
        })
}

pub fn activity() -> impl Strategy<Value = Activity> + Clone {
    (
        date(),
        proptest::option::of(date()),
        // Past the borrowed decoder's inline capacity (4 partners, 6 values) now and then.
        vec(id(), 0..7),
        en::<ActivityKind>(),
        text(),
        long_text(),
        vec(en::<AddedValue>(), 0..9),
        en::<ActivityStatus>(),
        text(),
    )
        .prop_map(
            |(date, end_date, partners, kind, title, description, values, status, owner)| {
                Activity {
                    date,
                    end_date,
                    partners,
                    kind,
                    title,
                    description,
                    values,
                    status,
                    owner,
                }
            },
        )
}

pub fn assessment() -> impl Strategy<Value = Assessment> + Clone {
    (
        id(),
        en::<AddedValue>(),
        any::<u8>(),
        proptest::option::of(any::<u8>()),
        long_text(),
        date(),
        text(),
    )
        .prop_map(
            |(partner, value, score, target, evidence, date, assessor)| Assessment {
                partner,
                value,
                score,
                target,
                evidence,
                date,
                assessor,
            },
        )
}

pub fn action_item() -> impl Strategy<Value = ActionItem> + Clone {
    (text(), text(), proptest::option::of(date()), any::<bool>()).prop_map(
        |(text, owner, due, done)| ActionItem {
            text,
            owner,
            due,
            done,
        },
    )
}

pub fn note() -> impl Strategy<Value = Note> + Clone {
    (
        list(id()),
        date(),
        text(),
        en::<MeetingKind>(),
        texts(),
        long_text(),
        texts(),
        list(action_item()),
    )
        .prop_map(
            |(partners, date, title, kind, attendees, body, decisions, actions)| Note {
                partners,
                date,
                title,
                kind,
                attendees,
                body,
                decisions,
                actions,
            },
        )
}

pub fn field_change() -> impl Strategy<Value = FieldChange> + Clone {
    (text(), text(), text()).prop_map(|(field, old, new)| FieldChange { field, old, new })
}

pub fn audit_entry() -> impl Strategy<Value = AuditEntry> + Clone {
    (
        any::<u64>(),
        ts(),
        text(),
        audit_action(),
        entity_kind(),
        id(),
        any::<u64>(),
        text(),
        list(field_change()),
    )
        .prop_map(
            |(seq, at, user, action, kind, id, version, label, changes)| AuditEntry {
                seq,
                at,
                user,
                action,
                kind,
                id,
                version,
                label,
                changes,
            },
        )
}

// ------------------------------------------------------------------ the service API

fn covered_any_data(d: &AnyData) {
    match d {
        AnyData::Partner(_)
        | AnyData::Agreement(_)
        | AnyData::Contact(_)
        | AnyData::Activity(_)
        | AnyData::Assessment(_)
        | AnyData::Note(_)
        | AnyData::Goal(_)
        | AnyData::GoalLinks(_)
        | AnyData::PhaseChange(_)
        | AnyData::Suitability(_)
        | AnyData::Rhythm(_)
        | AnyData::Evaluation(_) => {}
    }
}

pub fn any_data() -> BoxedStrategy<AnyData> {
    Union::new([
        partner().prop_map(AnyData::Partner).boxed(),
        agreement().prop_map(AnyData::Agreement).boxed(),
        contact().prop_map(AnyData::Contact).boxed(),
        activity().prop_map(AnyData::Activity).boxed(),
        assessment().prop_map(AnyData::Assessment).boxed(),
        note().prop_map(AnyData::Note).boxed(),
        goal().prop_map(AnyData::Goal).boxed(),
        goal_links().prop_map(AnyData::GoalLinks).boxed(),
        phase_change().prop_map(AnyData::PhaseChange).boxed(),
        suitability().prop_map(AnyData::Suitability).boxed(),
        rhythm().prop_map(AnyData::Rhythm).boxed(),
        evaluation().prop_map(AnyData::Evaluation).boxed(),
    ])
    .boxed()
}

fn covered_any_record(r: &AnyRecord) {
    match r {
        AnyRecord::Partner(_)
        | AnyRecord::Agreement(_)
        | AnyRecord::Contact(_)
        | AnyRecord::Activity(_)
        | AnyRecord::Assessment(_)
        | AnyRecord::Note(_)
        | AnyRecord::Goal(_)
        | AnyRecord::GoalLinks(_)
        | AnyRecord::PhaseChange(_)
        | AnyRecord::Suitability(_)
        | AnyRecord::Rhythm(_)
        | AnyRecord::Evaluation(_) => {}
    }
}

pub fn any_record() -> BoxedStrategy<AnyRecord> {
    Union::new([
        record(partner()).prop_map(AnyRecord::Partner).boxed(),
        record(agreement()).prop_map(AnyRecord::Agreement).boxed(),
        record(contact()).prop_map(AnyRecord::Contact).boxed(),
        record(activity()).prop_map(AnyRecord::Activity).boxed(),
        record(assessment()).prop_map(AnyRecord::Assessment).boxed(),
        record(note()).prop_map(AnyRecord::Note).boxed(),
        record(goal()).prop_map(AnyRecord::Goal).boxed(),
        record(goal_links()).prop_map(AnyRecord::GoalLinks).boxed(),
        record(phase_change())
            .prop_map(AnyRecord::PhaseChange)
            .boxed(),
        record(suitability())
            .prop_map(AnyRecord::Suitability)
            .boxed(),
        record(rhythm()).prop_map(AnyRecord::Rhythm).boxed(),
        record(evaluation()).prop_map(AnyRecord::Evaluation).boxed(),
    ])
    .boxed()
}

pub fn partner_query() -> impl Strategy<Value = PartnerQuery> + Clone {
    (
        text(),
        proptest::option::of(en::<Phase>()),
        proptest::option::of(en::<OrgKind>()),
        proptest::option::of(text()),
        proptest::option::of(en::<Tier>()),
        archived(),
        select(
            &[
                PartnerColumn::Name,
                PartnerColumn::Kind,
                PartnerColumn::Country,
                PartnerColumn::Phase,
                PartnerColumn::AgreementEnd,
                PartnerColumn::Value,
            ][..],
        ),
        any::<bool>(),
        lang(),
        any::<usize>(),
        any::<usize>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                text,
                phase,
                kind,
                country,
                tier,
                archived,
                sort,
                descending,
                lang,
                offset,
                limit,
                governance_behind,
            )| {
                PartnerQuery {
                    text,
                    phase,
                    kind,
                    country,
                    tier,
                    governance_behind,
                    archived,
                    sort,
                    descending,
                    lang,
                    offset,
                    limit,
                }
            },
        )
}

pub fn activity_query() -> impl Strategy<Value = ActivityQuery> + Clone {
    (
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(id()),
        proptest::option::of(en::<ActivityKind>()),
        proptest::option::of(en::<ActivityStatus>()),
        proptest::option::of(en::<AddedValue>()),
        text(),
        archived(),
        any::<bool>(),
        any::<usize>(),
        any::<usize>(),
    )
        .prop_map(
            |(
                from,
                to,
                partner,
                kind,
                status,
                value,
                text,
                archived,
                newest_first,
                offset,
                limit,
            )| {
                ActivityQuery {
                    from,
                    to,
                    partner,
                    kind,
                    status,
                    value,
                    text,
                    archived,
                    newest_first,
                    offset,
                    limit,
                }
            },
        )
}

pub fn note_query() -> impl Strategy<Value = NoteQuery> + Clone {
    (
        proptest::option::of(id()),
        proptest::option::of(date()),
        proptest::option::of(date()),
        text(),
        archived(),
        any::<usize>(),
        any::<usize>(),
    )
        .prop_map(
            |(partner, from, to, text, archived, offset, limit)| NoteQuery {
                partner,
                from,
                to,
                text,
                archived,
                offset,
                limit,
            },
        )
}

fn covered_request(r: &Request) {
    match r {
        Request::Partners(_)
        | Request::PartnerDetail(_)
        | Request::Get { .. }
        | Request::Activities(_)
        | Request::Timeline(_)
        | Request::Matrix(_)
        | Request::AssessmentHistory { .. }
        | Request::Notes(_)
        | Request::ActionItems(_)
        | Request::Audit(_)
        | Request::Stats
        | Request::RenewalsDue
        | Request::Overview
        | Request::Create(_)
        | Request::Update { .. }
        | Request::Archive { .. }
        | Request::Restore { .. }
        | Request::Purge { .. }
        | Request::ActivityScan { .. }
        | Request::PartnerNames { .. }
        | Request::Today
        | Request::LoadDemo
        | Request::Check
        | Request::Repair
        | Request::ImportBegin { .. }
        | Request::ImportRows { .. }
        | Request::ImportCommit { .. }
        | Request::ImportAbort { .. }
        | Request::Backup
        | Request::Lifecycle(_)
        | Request::GoalLinksFor { .. }
        | Request::PhaseCriteria(_)
        | Request::ChangePhase { .. }
        | Request::Portfolio { .. }
        | Request::PartnerYear { .. } => {}
    }
}

/// Every variant of [`Request`].
pub fn request() -> BoxedStrategy<Request> {
    Union::new(
        [
            partner_query().prop_map(Request::Partners).boxed(),
            id().prop_map(Request::PartnerDetail).boxed(),
            (entity_kind(), id())
                .prop_map(|(kind, id)| Request::Get { kind, id })
                .boxed(),
            activity_query().prop_map(Request::Activities).boxed(),
            (
                activity_query(),
                prop_oneof![
                    any::<usize>().prop_map(WindowAt::Offset),
                    (date(), any::<usize>())
                        .prop_map(|(date, before)| WindowAt::Date { date, before }),
                ],
                any::<usize>(),
                any::<bool>(),
            )
                .prop_map(|(activities, at, limit, months)| {
                    Request::Timeline(TimelineQuery {
                        activities,
                        at,
                        limit,
                        months,
                    })
                })
                .boxed(),
            (
                partner_query(),
                proptest::option::of(en::<AddedValue>()),
                any::<bool>(),
            )
                .prop_map(|(partners, sort_by_value, with_activity_counts)| {
                    Request::Matrix(MatrixQuery {
                        partners,
                        sort_by_value,
                        with_activity_counts,
                    })
                })
                .boxed(),
            (id(), en::<AddedValue>())
                .prop_map(|(partner, value)| Request::AssessmentHistory { partner, value })
                .boxed(),
            note_query().prop_map(Request::Notes).boxed(),
            (
                proptest::option::of(text()),
                proptest::option::of(id()),
                any::<bool>(),
            )
                .prop_map(|(owner, partner, open_only)| {
                    Request::ActionItems(ActionQuery {
                        owner,
                        partner,
                        open_only,
                    })
                })
                .boxed(),
            (
                proptest::option::of((entity_kind(), id())),
                proptest::option::of(any::<u64>()),
                any::<usize>(),
            )
                .prop_map(|(record, before, limit)| {
                    Request::Audit(AuditQuery {
                        record,
                        before,
                        limit,
                    })
                })
                .boxed(),
            Just(Request::Stats).boxed(),
            Just(Request::RenewalsDue).boxed(),
            Just(Request::Overview).boxed(),
            (any::<i32>(), lang())
                .prop_map(|(year, lang)| Request::Portfolio { year, lang })
                .boxed(),
            (id(), any::<i32>())
                .prop_map(|(partner, year)| Request::PartnerYear { partner, year })
                .boxed(),
            any_data().prop_map(Request::Create).boxed(),
            (id(), any::<u64>(), any_data())
                .prop_map(|(id, expected_version, data)| Request::Update {
                    id,
                    expected_version,
                    data,
                })
                .boxed(),
            (entity_kind(), id(), any::<u64>())
                .prop_map(|(kind, id, expected_version)| Request::Archive {
                    kind,
                    id,
                    expected_version,
                })
                .boxed(),
            (entity_kind(), id(), any::<u64>())
                .prop_map(|(kind, id, expected_version)| Request::Restore {
                    kind,
                    id,
                    expected_version,
                })
                .boxed(),
            (entity_kind(), id())
                .prop_map(|(kind, id)| Request::Purge { kind, id })
                .boxed(),
            (activity_query(), proptest::option::of(id()), any::<usize>())
                .prop_map(|(query, after, limit)| Request::ActivityScan {
                    query,
                    after,
                    limit,
                })
                .boxed(),
            lang()
                .prop_map(|lang| Request::PartnerNames { lang })
                .boxed(),
            Just(Request::Today).boxed(),
            Just(Request::LoadDemo).boxed(),
            Just(Request::Check).boxed(),
            Just(Request::Repair).boxed(),
            (entity_kind(), any::<u64>(), any::<bool>())
                .prop_map(|(kind, rows, valid_only)| Request::ImportBegin {
                    kind,
                    rows,
                    valid_only,
                })
                .boxed(),
            (any::<u64>(), list(import_row()))
                .prop_map(|(session, rows)| Request::ImportRows { session, rows })
                .boxed(),
            any::<u64>()
                .prop_map(|session| Request::ImportCommit { session })
                .boxed(),
            any::<u64>()
                .prop_map(|session| Request::ImportAbort { session })
                .boxed(),
            Just(Request::Backup).boxed(),
        ]
        .into_iter()
        .chain(life_requests()),
    )
    .boxed()
}

pub fn renewal() -> impl Strategy<Value = Renewal> + Clone {
    prop_oneof![
        Just(Renewal::None),
        date().prop_map(|end| Renewal::Due { end }),
        date().prop_map(|end| Renewal::Expired { end }),
    ]
}

pub fn cell() -> impl Strategy<Value = Cell> + Clone {
    (
        any::<u8>(),
        proptest::option::of(any::<u8>()),
        date(),
        proptest::option::of(any::<u8>()),
        id(),
    )
        .prop_map(|(score, target, date, previous, assessment)| Cell {
            score,
            target,
            date,
            previous,
            assessment,
        })
}

pub fn scores() -> impl Strategy<Value = Scores> + Clone {
    proptest::array::uniform6(proptest::option::of(cell()))
}

pub fn checklist() -> impl Strategy<Value = RenewalChecklist> + Clone {
    (
        id(),
        date(),
        proptest::option::of((date(), en::<Decision>())),
        proptest::option::of(date()),
        proptest::option::of(date()),
    )
        .prop_map(
            |(agreement, end, evaluation, draft_sent, signed)| RenewalChecklist {
                agreement,
                end,
                evaluation,
                draft_sent,
                signed,
            },
        )
}

pub fn theirs() -> impl Strategy<Value = Theirs> + Clone {
    let cell = (any::<u8>(), date(), proptest::option::of(any::<u8>())).prop_map(
        |(score, date, previous)| TheirCell {
            score,
            date,
            previous,
        },
    );
    proptest::array::uniform6(proptest::option::of(cell))
}

pub fn profile_check() -> impl Strategy<Value = ProfileCheck> + Clone {
    prop_oneof![
        (any::<usize>(), any::<usize>())
            .prop_map(|(ours, theirs)| ProfileCheck::SeniorSponsors { ours, theirs }),
        (proptest::option::of(any::<u32>()), any::<bool>()).prop_map(
            |(longest_months, open_ended)| ProfileCheck::LongTermAgreement {
                longest_months,
                open_ended
            }
        ),
        any::<usize>().prop_map(|goals| ProfileCheck::CommonGoals { goals }),
        any::<usize>().prop_map(|kinds| ProfileCheck::DiverseActivities { kinds }),
        (any::<usize>(), proptest::option::of(any::<usize>())).prop_map(
            |(values, partner_values)| ProfileCheck::MutualBenefit {
                values,
                partner_values
            }
        ),
        any::<usize>().prop_map(|faculties| ProfileCheck::UniversityWide { faculties }),
    ]
}

pub fn partner_row() -> impl Strategy<Value = PartnerRow> + Clone {
    (
        (
            id(),
            any::<u64>(),
            text(),
            proptest::option::of(text()),
            en::<OrgKind>(),
            text(),
            text(),
        ),
        (
            en::<Phase>(),
            en::<Tier>(),
            proptest::option::of(date()),
            renewal(),
            scores(),
            any::<bool>(),
            select(
                &[
                    GovernanceMark::NotGoverned,
                    GovernanceMark::Kept,
                    GovernanceMark::Behind,
                ][..],
            ),
        ),
    )
        .prop_map(
            |(
                (id, version, name, short_name, kind, country, city),
                (phase, tier, agreement_end, renewal, scores, archived, governance),
            )| PartnerRow {
                id,
                version,
                name,
                short_name,
                kind,
                country,
                city,
                phase,
                tier,
                agreement_end,
                renewal,
                governance,
                scores,
                archived,
            },
        )
}

pub fn page<T: Debug + Clone>(
    item: impl Strategy<Value = T> + Clone,
) -> impl Strategy<Value = Page<T>> + Clone {
    (any::<usize>(), any::<usize>(), list(item)).prop_map(|(total, offset, items)| Page {
        total,
        offset,
        items,
    })
}

pub fn action_row() -> impl Strategy<Value = ActionRow> + Clone {
    (
        id(),
        any::<u64>(),
        text(),
        date(),
        list(id()),
        any::<usize>(),
        action_item(),
        any::<bool>(),
    )
        .prop_map(
            |(note, note_version, note_title, note_date, partners, index, item, overdue)| {
                ActionRow {
                    note,
                    note_version,
                    note_title,
                    note_date,
                    partners,
                    index,
                    item,
                    overdue,
                }
            },
        )
}

pub fn partner_detail() -> impl Strategy<Value = PartnerDetail> + Clone {
    (
        (
            record(partner()),
            vec(record(agreement()), 0..3),
            vec(record(contact()), 0..3),
            vec(record(agreement()), 0..2),
            vec(record(contact()), 0..2),
        ),
        vec(record(activity()), 0..3),
        vec(action_row(), 0..3),
        (
            scores(),
            proptest::option::of(checklist()),
            theirs(),
            proptest::array::uniform6(any::<u32>()),
        ),
        renewal(),
        proptest::array::uniform6(profile_check()),
    )
        .prop_map(
            |(
                (partner, agreements, contacts, archived_agreements, archived_contacts),
                recent_activities,
                open_actions,
                (scores, checklist, theirs, value_activities),
                renewal,
                profile,
            )| {
                PartnerDetail {
                    partner,
                    agreements,
                    contacts,
                    archived_agreements,
                    archived_contacts,
                    recent_activities,
                    open_actions,
                    scores,
                    checklist,
                    theirs,
                    value_activities,
                    renewal,
                    profile,
                }
            },
        )
}

pub fn matrix() -> impl Strategy<Value = Matrix> + Clone {
    let row = (
        id(),
        text(),
        (scores(), theirs()),
        proptest::option::of(proptest::array::uniform6(any::<u32>())),
        proptest::option::of(float()),
    )
        .prop_map(
            |(partner, name, (scores, theirs), activity_counts, mean)| MatrixRow {
                partner,
                name,
                scores,
                theirs,
                activity_counts,
                mean,
            },
        );
    (
        page(row),
        proptest::array::uniform6(proptest::option::of(float())),
        proptest::array::uniform6(proptest::option::of(float())),
    )
        .prop_map(|(rows, value_means, partner_means)| Matrix {
            rows,
            value_means,
            partner_means,
        })
}

pub fn stats() -> impl Strategy<Value = Stats> + Clone {
    proptest::array::uniform8(any::<usize>()).prop_map(|n| Stats {
        partners: n[0],
        agreements: n[1],
        contacts: n[2],
        activities: n[3],
        assessments: n[4],
        notes: n[5],
        audit_entries: n[6],
        damaged: n[7],
    })
}

pub fn import_row() -> impl Strategy<Value = ImportRow> + Clone {
    (any::<u64>(), any_data()).prop_map(|(row, data)| ImportRow { row, data })
}

pub fn row_errors() -> impl Strategy<Value = RowErrors> + Clone {
    (any::<u64>(), list(field_error())).prop_map(|(row, errors)| RowErrors { row, errors })
}

pub fn field_error() -> impl Strategy<Value = FieldError> + Clone {
    (text(), text(), rule()).prop_map(|(field, value, rule)| FieldError { field, value, rule })
}

fn covered_finding(f: &Finding) {
    match f {
        Finding::Schema { .. }
        | Finding::Undecodable { .. }
        | Finding::WrongKey { .. }
        | Finding::VersionZero { .. }
        | Finding::UpdatedBeforeCreated { .. }
        | Finding::StrayIndex { .. }
        | Finding::MissingIndex { .. }
        | Finding::CounterBehind { .. }
        | Finding::OverLimit { .. }
        | Finding::CountMismatch { .. } => {}
    }
}

/// Every variant of [`Finding`].
pub fn finding() -> BoxedStrategy<Finding> {
    Union::new([
        (proptest::option::of(any::<u32>()), any::<u32>())
            .prop_map(|(found, expected)| Finding::Schema { found, expected })
            .boxed(),
        (text(), text(), text())
            .prop_map(|(tree, key, why)| Finding::Undecodable { tree, key, why })
            .boxed(),
        (text(), id(), text())
            .prop_map(|(tree, id, key)| Finding::WrongKey { tree, id, key })
            .boxed(),
        (text(), id())
            .prop_map(|(tree, id)| Finding::VersionZero { tree, id })
            .boxed(),
        (text(), id())
            .prop_map(|(tree, id)| Finding::UpdatedBeforeCreated { tree, id })
            .boxed(),
        (text(), text())
            .prop_map(|(tree, key)| Finding::StrayIndex { tree, key })
            .boxed(),
        (text(), text())
            .prop_map(|(tree, key)| Finding::MissingIndex { tree, key })
            .boxed(),
        (text(), any::<u64>(), any::<u64>())
            .prop_map(|(counter, stored, needed)| Finding::CounterBehind {
                counter,
                stored,
                needed,
            })
            .boxed(),
        (text(), id(), text(), rule())
            .prop_map(|(tree, id, field, rule)| Finding::OverLimit {
                tree,
                id,
                field,
                rule,
            })
            .boxed(),
        (entity_kind(), any::<u64>(), any::<u64>())
            .prop_map(|(kind, stored, actual)| Finding::CountMismatch {
                kind,
                stored,
                actual,
            })
            .boxed(),
    ])
    .boxed()
}

fn covered_repair_step(s: &RepairStep) {
    match s {
        RepairStep::Quarantined { .. }
        | RepairStep::IndexRebuilt { .. }
        | RepairStep::CounterRaised { .. }
        | RepairStep::CountSet { .. } => {}
    }
}

/// Every variant of [`RepairStep`].
pub fn repair_step() -> BoxedStrategy<RepairStep> {
    Union::new([
        (text(), text(), text())
            .prop_map(|(tree, key, why)| RepairStep::Quarantined { tree, key, why })
            .boxed(),
        (text(), any::<usize>(), any::<usize>())
            .prop_map(|(tree, removed, added)| RepairStep::IndexRebuilt {
                tree,
                removed,
                added,
            })
            .boxed(),
        (text(), any::<u64>(), any::<u64>())
            .prop_map(|(counter, from, to)| RepairStep::CounterRaised { counter, from, to })
            .boxed(),
        (entity_kind(), any::<u64>(), any::<u64>())
            .prop_map(|(kind, from, to)| RepairStep::CountSet { kind, from, to })
            .boxed(),
    ])
    .boxed()
}

fn covered_rule(r: &Rule) {
    match r {
        Rule::Required
        | Rule::TooLong { .. }
        | Rule::UnknownCountry
        | Rule::EndBeforeStart
        | Rule::SignedBeforeDraft { .. }
        | Rule::ScoreOutOfRange
        | Rule::DuplicatePartner { .. }
        | Rule::NoPartner
        | Rule::UnknownPartner
        | Rule::InvalidEmail
        | Rule::InvalidWebsite
        | Rule::LeadTimeOutOfRange
        | Rule::DateOutOfRange
        | Rule::Duplicated
        | Rule::DuplicateRow { .. }
        | Rule::TooMany { .. }
        | Rule::RecordTooLarge { .. }
        | Rule::GoalLinesMoved
        | Rule::UnknownGoal
        | Rule::GoalOfOtherPartner { .. }
        | Rule::UnknownSource
        | Rule::AlreadyLinked { .. }
        | Rule::PhaseUnchanged
        | Rule::BeforePreviousChange { .. }
        | Rule::AfterToday { .. }
        | Rule::RhythmOutOfRange { .. }
        | Rule::RhythmExists { .. }
        | Rule::PeriodOverlaps { .. }
        | Rule::NotAfterPeriod { .. }
        | Rule::NotArchived
        | Rule::StillReferenced { .. } => {}
    }
}

pub fn rule() -> BoxedStrategy<Rule> {
    Union::new(
        [
            Just(Rule::Required).boxed(),
            (any::<usize>(), any::<usize>())
                .prop_map(|(max, given)| Rule::TooLong { max, given })
                .boxed(),
            (any::<usize>(), any::<usize>())
                .prop_map(|(max, given)| Rule::TooMany { max, given })
                .boxed(),
            (any::<usize>(), any::<usize>())
                .prop_map(|(max, given)| Rule::RecordTooLarge { max, given })
                .boxed(),
            any::<u64>()
                .prop_map(|row| Rule::DuplicateRow { row })
                .boxed(),
            Just(Rule::UnknownCountry).boxed(),
            Just(Rule::EndBeforeStart).boxed(),
            date()
                .prop_map(|draft| Rule::SignedBeforeDraft { draft })
                .boxed(),
            Just(Rule::ScoreOutOfRange).boxed(),
            id().prop_map(|existing| Rule::DuplicatePartner { existing })
                .boxed(),
            Just(Rule::NoPartner).boxed(),
            Just(Rule::UnknownPartner).boxed(),
            Just(Rule::InvalidEmail).boxed(),
            Just(Rule::InvalidWebsite).boxed(),
            Just(Rule::LeadTimeOutOfRange).boxed(),
            Just(Rule::DateOutOfRange).boxed(),
            Just(Rule::Duplicated).boxed(),
            Just(Rule::NotArchived).boxed(),
            any::<usize>()
                .prop_map(|count| Rule::StillReferenced { count })
                .boxed(),
        ]
        .into_iter()
        .chain(life_rules()),
    )
    .boxed()
}

pub fn change_event() -> impl Strategy<Value = ChangeEvent> + Clone {
    (
        any::<u64>(),
        entity_kind(),
        id(),
        any::<u64>(),
        audit_action(),
        text(),
        ts(),
    )
        .prop_map(|(seq, kind, id, version, action, user, at)| ChangeEvent {
            seq,
            kind,
            id,
            version,
            action,
            user,
            at,
        })
}

fn covered_response(r: &Response) {
    match r {
        Response::Partners(_)
        | Response::PartnerDetail(_)
        | Response::Record(_)
        | Response::Activities(_)
        | Response::Timeline(_)
        | Response::Matrix(_)
        | Response::Assessments(_)
        | Response::Notes(_)
        | Response::ActionItems(_)
        | Response::Audit(_)
        | Response::Stats(_)
        | Response::Renewals(_)
        | Response::Saved { .. }
        | Response::Conflict(_)
        | Response::Forbidden { .. }
        | Response::Invalid(_)
        | Response::NotFound { .. }
        | Response::Failed(_)
        | Response::CheckReport { .. }
        | Response::Repaired(_)
        | Response::ImportStarted { .. }
        | Response::ImportRowsTaken { .. }
        | Response::Imported { .. }
        | Response::ImportRefused { .. }
        | Response::ImportAborted
        | Response::ImportGone
        | Response::Backup(_)
        | Response::BackupDone { .. }
        | Response::DemoLoaded(_)
        | Response::PartnerNames(_)
        | Response::Today(_)
        | Response::ActivityBatch { .. }
        | Response::Lifecycle(_)
        | Response::GoalLinkChoices(_)
        | Response::PhaseCriteria(_)
        | Response::Overview(_)
        | Response::Portfolio(_)
        | Response::PartnerYear(_) => {}
    }
}

/// Every variant of [`Response`].
pub fn response() -> BoxedStrategy<Response> {
    let denied = select(
        &[
            Denied::ReadOnly,
            Denied::PurgeNeedsAdmin,
            Denied::AuditNeedsAdmin,
            Denied::AdminOnly,
        ][..],
    );
    Union::new(
        [
            page(partner_row()).prop_map(Response::Partners).boxed(),
            partner_detail()
                .prop_map(|d| Response::PartnerDetail(Box::new(d)))
                .boxed(),
            any_record().prop_map(Response::Record).boxed(),
            page(record(activity()))
                .prop_map(Response::Activities)
                .boxed(),
            matrix().prop_map(Response::Matrix).boxed(),
            list(record(assessment()))
                .prop_map(Response::Assessments)
                .boxed(),
            page(record(note())).prop_map(Response::Notes).boxed(),
            list(action_row()).prop_map(Response::ActionItems).boxed(),
            list(audit_entry()).prop_map(Response::Audit).boxed(),
            stats().prop_map(Response::Stats).boxed(),
            list(
                (id(), text(), renewal()).prop_map(|(partner, name, renewal)| RenewalRow {
                    partner,
                    name,
                    renewal,
                }),
            )
            .prop_map(Response::Renewals)
            .boxed(),
            (entity_kind(), id(), any::<u64>())
                .prop_map(|(kind, id, version)| Response::Saved { kind, id, version })
                .boxed(),
            (
                entity_kind(),
                id(),
                any::<u64>(),
                any_record(),
                text(),
                ts(),
                list(field_change()),
            )
                .prop_map(
                    |(kind, id, expected_version, current, changed_by, changed_at, fields)| {
                        Response::Conflict(Box::new(ConflictInfo {
                            kind,
                            id,
                            expected_version,
                            current,
                            changed_by,
                            changed_at,
                            fields,
                        }))
                    },
                )
                .boxed(),
            (denied, role())
                .prop_map(|(denied, role)| Response::Forbidden { denied, role })
                .boxed(),
            list(
                (text(), text(), rule()).prop_map(|(field, value, rule)| FieldError {
                    field,
                    value,
                    rule,
                }),
            )
            .prop_map(Response::Invalid)
            .boxed(),
            (entity_kind(), id())
                .prop_map(|(kind, id)| Response::NotFound { kind, id })
                .boxed(),
            prop_oneof![
                (long_text(), any::<u32>(), any::<u32>()).prop_map(|(path, found, supported)| {
                    spets::service::Failure::NewerSchema {
                        path,
                        found,
                        supported,
                    }
                }),
                (text(), long_text())
                    .prop_map(|(tree, key)| spets::service::Failure::Corrupt { tree, key }),
                (entity_kind(), id())
                    .prop_map(|(kind, id)| spets::service::Failure::IdInUse { kind, id }),
                (long_text(), any::<Option<i32>>()).prop_map(|(path, os)| {
                    spets::service::Failure::Io {
                        path,
                        kind: spets::service::IoKind::Other(os),
                    }
                }),
                Just(spets::service::Failure::NotWritten),
                Just(spets::service::Failure::Internal),
            ]
            .prop_map(Response::Failed)
            .boxed(),
            (list((text(), any::<usize>())), list(finding()))
                .prop_map(|(counted, findings)| Response::CheckReport { counted, findings })
                .boxed(),
            list(repair_step()).prop_map(Response::Repaired).boxed(),
            any::<u64>()
                .prop_map(|session| Response::ImportStarted { session })
                .boxed(),
            (any::<u64>(), list(row_errors()))
                .prop_map(|(accepted, rejected)| Response::ImportRowsTaken { accepted, rejected })
                .boxed(),
            (any::<u64>(), list(row_errors()))
                .prop_map(|(written, rejected)| Response::Imported { written, rejected })
                .boxed(),
            list(row_errors())
                .prop_map(|rejected| Response::ImportRefused { rejected })
                .boxed(),
            Just(Response::ImportAborted).boxed(),
            Just(Response::ImportGone).boxed(),
            vec(any::<u8>(), 0..LONG).prop_map(Response::Backup).boxed(),
            (any::<u64>(), any::<u64>(), any::<u32>())
                .prop_map(|(entries, bytes, checksum)| Response::BackupDone {
                    entries,
                    bytes,
                    checksum,
                })
                .boxed(),
            stats().prop_map(Response::DemoLoaded).boxed(),
            list((id(), text()))
                .prop_map(Response::PartnerNames)
                .boxed(),
            date().prop_map(Response::Today).boxed(),
            (
                list(record(activity())),
                proptest::option::of(id()),
                any::<usize>(),
                any::<usize>(),
            )
                .prop_map(|(items, next, scanned, total)| Response::ActivityBatch {
                    items,
                    next,
                    scanned,
                    total,
                })
                .boxed(),
            overview()
                .prop_map(|o| Response::Overview(Box::new(o)))
                .boxed(),
            portfolio()
                .prop_map(|p| Response::Portfolio(Box::new(p)))
                .boxed(),
            partner_year()
                .prop_map(|y| Response::PartnerYear(Box::new(y)))
                .boxed(),
        ]
        .into_iter()
        .chain(life_responses()),
    )
    .boxed()
}

pub fn client_msg() -> BoxedStrategy<ClientMsg> {
    prop_oneof![
        (any::<u64>(), request()).prop_map(|(id, request)| ClientMsg::Request { id, request }),
        Just(ClientMsg::Ping),
    ]
    .boxed()
}

pub fn server_msg() -> BoxedStrategy<ServerMsg> {
    prop_oneof![
        (any::<u64>(), response()).prop_map(|(id, response)| ServerMsg::Response { id, response }),
        change_event().prop_map(ServerMsg::Event),
        Just(ServerMsg::Pong),
        (any::<u64>(), vec(any::<u8>(), 0..LONG), any::<bool>())
            .prop_map(|(id, bytes, last)| ServerMsg::Part { id, bytes, last }),
        (any::<u64>(), vec(any::<u8>(), 0..LONG))
            .prop_map(|(id, bytes)| ServerMsg::BackupPart { id, bytes }),
        role().prop_map(ServerMsg::Role),
    ]
    .boxed()
}

/// Damage to valid bytes: overwritten bytes, then maybe a cut or an inserted byte. Most of
/// the input stays well-formed, so decoding gets deep before it meets the damage (plain random
/// bytes rarely get past the first length or variant).
pub fn damage() -> impl Strategy<Value = Damage> + Clone {
    (
        vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        proptest::option::of(any::<prop::sample::Index>()),
        proptest::option::of((any::<prop::sample::Index>(), any::<u8>())),
    )
        .prop_map(|(overwrite, cut, insert)| Damage {
            overwrite,
            cut,
            insert,
        })
}

#[derive(Debug, Clone)]
pub struct Damage {
    overwrite: Vec<(prop::sample::Index, u8)>,
    cut: Option<prop::sample::Index>,
    insert: Option<(prop::sample::Index, u8)>,
}

impl Damage {
    pub fn apply(&self, bytes: &[u8]) -> Vec<u8> {
        let mut b = bytes.to_vec();
        if b.is_empty() {
            return b;
        }
        for (at, v) in &self.overwrite {
            let i = at.index(b.len());
            b[i] = *v;
        }
        if let Some((at, v)) = &self.insert {
            let i = at.index(b.len() + 1);
            b.insert(i, *v);
        }
        if let Some(at) = &self.cut {
            b.truncate(at.index(b.len() + 1));
        }
        b
    }
}

// Exhaustive matches (never called) for the enums whose strategies list variants by hand.

fn covered_renewal(r: Renewal) {
    match r {
        Renewal::None | Renewal::Due { .. } | Renewal::Expired { .. } => {}
    }
}

fn covered_profile_check(p: ProfileCheck) {
    match p {
        ProfileCheck::SeniorSponsors { .. }
        | ProfileCheck::LongTermAgreement { .. }
        | ProfileCheck::CommonGoals { .. }
        | ProfileCheck::DiverseActivities { .. }
        | ProfileCheck::MutualBenefit { .. }
        | ProfileCheck::UniversityWide { .. } => {}
    }
}

fn covered_denied(d: Denied) {
    match d {
        Denied::ReadOnly
        | Denied::PurgeNeedsAdmin
        | Denied::AuditNeedsAdmin
        | Denied::AdminOnly => {}
    }
}

fn covered_partner_column(c: PartnerColumn) {
    match c {
        PartnerColumn::Name
        | PartnerColumn::Kind
        | PartnerColumn::Country
        | PartnerColumn::Phase
        | PartnerColumn::AgreementEnd
        | PartnerColumn::Value => {}
    }
}

fn covered_role_archived_lang(role: Role, a: Archived, l: Lang) {
    match role {
        Role::Viewer | Role::Editor | Role::Admin => {}
    }
    match a {
        Archived::Hide | Archived::Only | Archived::Include => {}
    }
    match l {
        Lang::En | Lang::Sv => {}
    }
}

fn covered_messages(cm: &ClientMsg, sm: &ServerMsg) {
    match cm {
        ClientMsg::Request { .. } | ClientMsg::Ping => {}
    }
    match sm {
        ServerMsg::Response { .. }
        | ServerMsg::Event(_)
        | ServerMsg::Pong
        | ServerMsg::Part { .. }
        | ServerMsg::BackupPart { .. }
        | ServerMsg::Role(_) => {}
    }
}

/// A runner for tests that set up a fixture (a workspace) once and run many cases against it.
/// The default configuration (`PROPTEST_CASES` applies), without failure files: a runner made by
/// hand has no source file to put them beside, and says so on every run.
pub fn runner() -> proptest::test_runner::TestRunner {
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
}

fn covered_overview_item(i: &OverviewItem) {
    match i {
        OverviewItem::Renewal { .. }
        | OverviewItem::Meeting { .. }
        | OverviewItem::Evaluation { .. }
        | OverviewItem::Goal { .. }
        | OverviewItem::Activity { .. }
        | OverviewItem::Action { .. } => {}
    }
}

/// Every variant of [`OverviewItem`].
pub fn overview_item() -> BoxedStrategy<OverviewItem> {
    prop_oneof![
        (id(), renewal(), proptest::option::of(checklist())).prop_map(
            |(partner, renewal, checklist)| OverviewItem::Renewal {
                partner,
                renewal,
                checklist
            }
        ),
        (id(), en::<MeetingKind>(), proptest::option::of(date()))
            .prop_map(|(partner, kind, due)| OverviewItem::Meeting { partner, kind, due }),
        (id(), date()).prop_map(|(partner, due)| OverviewItem::Evaluation { partner, due }),
        (id(), id(), text(), proptest::option::of(date())).prop_map(
            |(partner, goal, text, last)| OverviewItem::Goal {
                partner,
                goal,
                text,
                last
            }
        ),
        (id(), date(), text()).prop_map(|(id, date, title)| OverviewItem::Activity {
            id,
            date,
            title
        }),
        (id(), text(), text(), date()).prop_map(|(note, owner, text, due)| {
            OverviewItem::Action {
                note,
                owner,
                text,
                due,
            }
        }),
    ]
    .boxed()
}

/// An overview with lines of every kind.
pub fn overview() -> impl Strategy<Value = Overview> + Clone {
    (
        date(),
        date(),
        list((overview_item(), text())),
        any::<[usize; 6]>(),
    )
        .prop_map(|(today, until, lines, counts)| {
            lines.iter().for_each(|(i, _)| covered_overview_item(i));
            Overview {
                today,
                until,
                lines: lines
                    .into_iter()
                    .map(|(item, partners)| OverviewLine { item, partners })
                    .collect(),
                counts,
            }
        })
}

pub fn goal_counts() -> impl Strategy<Value = GoalCounts> + Clone {
    any::<[u32; 4]>().prop_map(|[open, reached, dropped, no_follow_up]| GoalCounts {
        open,
        reached,
        dropped,
        no_follow_up,
    })
}

pub fn portfolio_row() -> impl Strategy<Value = PortfolioRow> + Clone {
    (
        (
            id(),
            text(),
            text(),
            en::<Phase>(),
            proptest::option::of(date()),
        ),
        (
            renewal(),
            select(
                &[
                    GovernanceMark::NotGoverned,
                    GovernanceMark::Kept,
                    GovernanceMark::Behind,
                ][..],
            ),
            proptest::option::of(float()),
            proptest::option::of(float()),
            goal_counts(),
            any::<u32>(),
        ),
    )
        .prop_map(
            |(
                (partner, name, country, phase, agreement_end),
                (renewal, governance, ours, theirs, goals, activities),
            )| PortfolioRow {
                partner,
                name,
                country,
                phase,
                agreement_end,
                renewal,
                governance,
                ours,
                theirs,
                goals,
                activities,
            },
        )
}

pub fn portfolio() -> impl Strategy<Value = Portfolio> + Clone {
    let means = || proptest::array::uniform6(proptest::option::of(float()));
    (
        (
            date(),
            any::<i32>(),
            list(portfolio_row()),
            any::<[u32; 12]>(),
        ),
        (
            list(any::<u32>()),
            any::<[u32; 3]>(),
            any::<u32>(),
            any::<u32>(),
        ),
        (
            goal_counts(),
            proptest::option::of(float()),
            proptest::option::of(float()),
            list(means()),
            means(),
        ),
    )
        .prop_map(
            |(
                (today, year, rows, months),
                (phases, governance, renewals_due, renewals_expired),
                (goals, ours, theirs, phase_values, value_means),
            )| Portfolio {
                today,
                year,
                rows,
                months,
                phases,
                governance,
                renewals_due,
                renewals_expired,
                goals,
                ours,
                theirs,
                phase_values,
                value_means,
            },
        )
}

pub fn partner_year() -> impl Strategy<Value = PartnerYear> + Clone {
    (
        id(),
        any::<i32>(),
        any::<u32>(),
        any::<[u32; 12]>(),
        any::<[u32; 6]>(),
        list((id(), any::<u32>())),
    )
        .prop_map(
            |(partner, year, total, months, values, goals)| PartnerYear {
                partner,
                year,
                total,
                months,
                values,
                goals,
            },
        )
}
