//! The service API on a real sled store: validation, versions, conflicts, roles, archive and purge,
//! audit, change events, and the queries the panes depend on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use spets::domain::*;
use spets::service::*;

#[test]
fn create_update_archive_restore_purge_with_versions_and_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    // Without goal lines: a line would become a goal record, which keeps the partner from
    // being purged below.
    let mut p = partner("Örebro universitet", "se");
    p.goals.clear();
    let (id, v1) = create(&s, &me, AnyData::Partner(p));
    assert_eq!(v1, 1);
    // Stored cleaned and normalised: country upper-cased.
    let Response::Record(AnyRecord::Partner(p)) = s.handle(
        &me,
        Request::Get {
            kind: EntityKind::Partner,
            id,
        },
    ) else {
        panic!()
    };
    assert_eq!(p.data.country, "SE");
    assert_eq!(p.meta.created_by, "anna.lind");

    let mut changed = p.data.clone();
    changed.phase = Phase::Evaluation;
    let r = s.handle(
        &me,
        Request::Update {
            id,
            expected_version: 1,
            data: AnyData::Partner(changed.clone()),
        },
    );
    assert_eq!(
        r,
        Response::Saved {
            kind: EntityKind::Partner,
            id,
            version: 2
        }
    );
    // The same data again is not a change.
    let r = s.handle(
        &me,
        Request::Update {
            id,
            expected_version: 2,
            data: AnyData::Partner(changed),
        },
    );
    assert_eq!(
        r,
        Response::Saved {
            kind: EntityKind::Partner,
            id,
            version: 2
        }
    );

    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Partner,
            id,
            expected_version: 2,
        },
    );
    assert_eq!(
        r,
        Response::Saved {
            kind: EntityKind::Partner,
            id,
            version: 3
        }
    );
    let Response::Partners(page) = s.handle(&me, Request::Partners(PartnerQuery::default())) else {
        panic!()
    };
    assert_eq!(page.total, 0, "archived partners are hidden by default");
    let Response::Partners(page) = s.handle(
        &me,
        Request::Partners(PartnerQuery {
            archived: Archived::Only,
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(page.total, 1);

    // Editors cannot purge; admins can purge only archived records.
    let r = s.handle(
        &me,
        Request::Purge {
            kind: EntityKind::Partner,
            id,
        },
    );
    assert!(matches!(
        r,
        Response::Forbidden {
            denied: Denied::PurgeNeedsAdmin,
            ..
        }
    ));
    let r = s.handle(
        &me,
        Request::Restore {
            kind: EntityKind::Partner,
            id,
            expected_version: 3,
        },
    );
    assert_eq!(
        r,
        Response::Saved {
            kind: EntityKind::Partner,
            id,
            version: 4
        }
    );
    let r = s.handle(
        &admin(),
        Request::Purge {
            kind: EntityKind::Partner,
            id,
        },
    );
    let Response::Invalid(errs) = r else {
        panic!("{r:?}")
    };
    assert_eq!(errs[0].rule, Rule::NotArchived);
    s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Partner,
            id,
            expected_version: 4,
        },
    );
    let r = s.handle(
        &admin(),
        Request::Purge {
            kind: EntityKind::Partner,
            id,
        },
    );
    assert!(matches!(r, Response::Saved { version: 0, .. }), "{r:?}");
    assert!(matches!(
        s.handle(
            &me,
            Request::Get {
                kind: EntityKind::Partner,
                id
            }
        ),
        Response::NotFound { .. }
    ));

    // The audit log has every step, with who and what changed.
    let Response::Audit(log) = s.handle(
        &admin(),
        Request::Audit(AuditQuery {
            record: Some((EntityKind::Partner, id)),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    let actions: Vec<&str> = log.iter().map(|e| e.action.key()).collect();
    assert_eq!(
        actions,
        ["create", "update", "archive", "restore", "archive", "purge"]
    );
    assert_eq!(
        log[1].changes,
        vec![FieldChange {
            field: "phase".into(),
            old: "running".into(),
            new: "evaluation".into()
        }]
    );
    assert_eq!(log[5].user, "root");
    // The purge took the name (personal data) out of the history; that a name was set stays.
    assert!(
        log[0]
            .changes
            .iter()
            .any(|c| c.field == "name" && c.new.is_empty())
    );
    assert!(!format!("{log:?}").contains("Örebro universitet"));
    assert!(spets::store::check::check(s.store()).unwrap().is_ok());
}

#[test]
fn validation_errors_name_field_value_and_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let mut p = partner("  ", "XX");
    p.website = "www.example.org".into();
    let Response::Invalid(errs) = s.handle(&me, Request::Create(AnyData::Partner(p))) else {
        panic!()
    };
    let got: Vec<(String, Rule)> = errs
        .iter()
        .map(|e| (e.field.clone(), e.rule.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("name".into(), Rule::Required),
            ("country".into(), Rule::UnknownCountry),
            ("website".into(), Rule::InvalidWebsite)
        ]
    );
    assert_eq!(
        errs[1].to_string(),
        "country \"XX\": is not an ISO 3166-1 alpha-2 country code (e.g. SE, DE, JP)"
    );

    let (pid, _) = create(&s, &me, AnyData::Partner(partner("Aalto University", "FI")));
    // Duplicate name in the same country, whatever the case and accents.
    let Response::Invalid(errs) = s.handle(
        &me,
        Request::Create(AnyData::Partner(partner("AALTO university", "fi"))),
    ) else {
        panic!()
    };
    assert_eq!(errs[0].rule, Rule::DuplicatePartner { existing: pid });
    // Same name in another country is fine.
    create(&s, &me, AnyData::Partner(partner("Aalto University", "SE")));

    let mut a = activity(pid, "2026-05-02", "Visit");
    a.end_date = Some(d("2026-05-01"));
    let Response::Invalid(errs) = s.handle(&me, Request::Create(AnyData::Activity(a))) else {
        panic!()
    };
    assert_eq!(
        (
            errs[0].field.as_str(),
            errs[0].value.as_str(),
            &errs[0].rule
        ),
        ("end_date", "2026-05-01", &Rule::EndBeforeStart)
    );

    let Response::Invalid(errs) = s.handle(
        &me,
        Request::Create(AnyData::Assessment(assessment(
            pid,
            AddedValue::Impact,
            5,
            "2026-01-01",
        ))),
    ) else {
        panic!()
    };
    assert_eq!(errs[0].rule, Rule::ScoreOutOfRange);

    let Response::Invalid(errs) = s.handle(
        &me,
        Request::Create(AnyData::Activity(activity(Id(999_999), "2026-01-01", "x"))),
    ) else {
        panic!()
    };
    assert_eq!(errs[0].rule, Rule::UnknownPartner);
}

#[test]
fn second_save_on_the_same_version_is_a_conflict_naming_who_and_which_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let anna = editor();
    let bjorn = who("bjorn.ek", Role::Editor);
    let (id, v) = create(
        &s,
        &anna,
        AnyData::Partner(partner("Tampere University", "FI")),
    );
    let base = partner("Tampere University", "FI");

    let mut first = base.clone();
    first.phase = Phase::Evaluation;
    first.city = "Tampere".into();
    assert!(matches!(
        s.handle(
            &bjorn,
            Request::Update {
                id,
                expected_version: v,
                data: AnyData::Partner(first)
            }
        ),
        Response::Saved { version: 2, .. }
    ));

    let mut second = base.clone();
    second.tier = Tier::Other;
    let r = s.handle(
        &anna,
        Request::Update {
            id,
            expected_version: v,
            data: AnyData::Partner(second.clone()),
        },
    );
    let Response::Conflict(c) = r else {
        panic!("expected a conflict, got {r:?}")
    };
    assert_eq!(c.changed_by, "bjorn.ek");
    assert_eq!(c.expected_version, 1);
    let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["city", "phase"]);
    let AnyRecord::Partner(cur) = &c.current else {
        panic!()
    };
    assert_eq!(cur.data.phase, Phase::Evaluation);
    // Overwriting on purpose: save against the version now current.
    let r = s.handle(
        &anna,
        Request::Update {
            id,
            expected_version: cur.meta.version,
            data: AnyData::Partner(second),
        },
    );
    assert!(matches!(r, Response::Saved { version: 3, .. }));
}

#[test]
fn viewers_change_nothing_and_only_admins_read_the_whole_audit_log() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let viewer = who("guest", Role::Viewer);
    let r = s.handle(
        &viewer,
        Request::Create(AnyData::Partner(partner("KTH", "SE"))),
    );
    assert_eq!(
        r,
        Response::Forbidden {
            denied: Denied::ReadOnly,
            role: Role::Viewer
        }
    );
    let r = s.handle(&editor(), Request::Audit(AuditQuery::default()));
    assert!(matches!(
        r,
        Response::Forbidden {
            denied: Denied::AuditNeedsAdmin,
            ..
        }
    ));
    assert!(matches!(
        s.handle(&viewer, Request::Partners(PartnerQuery::default())),
        Response::Partners(_)
    ));
}

#[test]
fn subscribers_hear_about_every_durable_change() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let rx = s.subscribe();
    let (id, _) = create(
        &s,
        &editor(),
        AnyData::Partner(partner("Lund University", "SE")),
    );
    let e = rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    assert_eq!(
        (e.kind, e.id, e.version, e.user.as_str()),
        (EntityKind::Partner, id, 1, "anna.lind")
    );
    assert_eq!(e.action, spets::store::AuditAction::Create);
}

#[test]
fn partner_search_sort_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    for (name, cc) in [
        ("Örebro universitet", "SE"),
        ("Zürich Hochschule", "CH"),
        ("Aalto University", "FI"),
        ("Åbo Akademi", "FI"),
        ("Oslo Met", "NO"),
    ] {
        let mut p = partner(name, cc);
        p.city = String::new();
        create(&s, &me, AnyData::Partner(p));
    }
    let names = |q: PartnerQuery| -> Vec<String> {
        let Response::Partners(p) = s.handle(&me, Request::Partners(q)) else {
            panic!()
        };
        p.items.into_iter().map(|r| r.name).collect()
    };
    let sv = names(PartnerQuery {
        lang: spets::i18n::Lang::Sv,
        ..Default::default()
    });
    assert_eq!(
        sv,
        [
            "Aalto University",
            "Oslo Met",
            "Zürich Hochschule",
            "Åbo Akademi",
            "Örebro universitet"
        ]
    );
    let en = names(PartnerQuery {
        lang: spets::i18n::Lang::En,
        ..Default::default()
    });
    assert_eq!(
        en,
        [
            "Aalto University",
            "Åbo Akademi",
            "Örebro universitet",
            "Oslo Met",
            "Zürich Hochschule"
        ]
    );
    assert_eq!(
        names(PartnerQuery {
            text: "öre".into(),
            ..Default::default()
        }),
        ["Örebro universitet"]
    );
    assert_eq!(
        names(PartnerQuery {
            text: "ORE".into(),
            ..Default::default()
        }),
        ["Örebro universitet"]
    );
    assert_eq!(
        names(PartnerQuery {
            country: Some("fi".into()),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        names(PartnerQuery {
            sort: PartnerColumn::Country,
            ..Default::default()
        })[0],
        "Zürich Hochschule"
    );
    let page = names(PartnerQuery {
        offset: 1,
        limit: 2,
        lang: spets::i18n::Lang::Sv,
        ..Default::default()
    });
    assert_eq!(page, ["Oslo Met", "Zürich Hochschule"]);
}

#[test]
fn matrix_shows_latest_scores_with_trend_means_and_activity_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (a, _) = create(&s, &me, AnyData::Partner(partner("Alpha", "SE")));
    let (b, _) = create(&s, &me, AnyData::Partner(partner("Beta", "SE")));
    create(
        &s,
        &me,
        AnyData::Assessment(assessment(a, AddedValue::Quality, 1, "2025-01-10")),
    );
    create(
        &s,
        &me,
        AnyData::Assessment(assessment(a, AddedValue::Quality, 3, "2026-02-10")),
    );
    create(
        &s,
        &me,
        AnyData::Assessment(assessment(b, AddedValue::Quality, 2, "2026-03-01")),
    );
    create(
        &s,
        &me,
        AnyData::Assessment(assessment(b, AddedValue::Impact, 4, "2026-03-01")),
    );
    create(
        &s,
        &me,
        AnyData::Activity(activity(a, "2026-06-01", "Workshop")),
    );
    create(
        &s,
        &me,
        AnyData::Activity(activity(a, "2024-06-01", "Too old")),
    );

    let Response::Matrix(m) = s.handle(
        &me,
        Request::Matrix(MatrixQuery {
            with_activity_counts: true,
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    let alpha = &m.rows.items[0];
    let q = alpha.scores[AddedValue::Quality.index()].unwrap();
    assert_eq!((q.score, q.previous, q.target), (3, Some(1), Some(4)));
    assert_eq!(
        alpha.activity_counts.unwrap()[AddedValue::Quality.index()],
        1
    );
    assert_eq!(m.value_means[AddedValue::Quality.index()], Some(2.5));
    assert_eq!(m.value_means[AddedValue::Impact.index()], Some(4.0));
    assert_eq!(m.rows.items[1].mean, Some(3.0));

    // Sorting by a value puts the highest first.
    let Response::Matrix(m) = s.handle(
        &me,
        Request::Matrix(MatrixQuery {
            sort_by_value: Some(AddedValue::Impact),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(m.rows.items[0].name, "Beta");

    // A new assessment updates the cached matrix at once.
    create(
        &s,
        &me,
        AnyData::Assessment(assessment(b, AddedValue::Quality, 0, "2026-11-01")),
    );
    let Response::Matrix(m) = s.handle(&me, Request::Matrix(MatrixQuery::default())) else {
        panic!()
    };
    let q = m.rows.items[1].scores[AddedValue::Quality.index()].unwrap();
    assert_eq!((q.score, q.previous), (0, Some(2)));

    let Response::Assessments(h) = s.handle(
        &me,
        Request::AssessmentHistory {
            partner: a,
            value: AddedValue::Quality,
        },
    ) else {
        panic!()
    };
    assert_eq!(h.iter().map(|r| r.data.score).collect::<Vec<_>>(), [3, 1]);
}

#[test]
fn timeline_notes_action_items_and_partner_detail() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let (p, _) = create(&s, &me, AnyData::Partner(partner("Gamma", "SE")));
    for (date, title, kind) in [
        ("2025-03-01", "Steering group", ActivityKind::Meeting),
        ("2025-09-01", "Staff week", ActivityKind::Mobility),
        (
            "2026-10-01",
            "Joint application",
            ActivityKind::JointApplication,
        ),
        ("2027-02-01", "Planned visit", ActivityKind::Visit),
    ] {
        let mut a = activity(p, date, title);
        a.kind = kind;
        create(&s, &me, AnyData::Activity(a));
    }
    let Response::Activities(page) = s.handle(
        &me,
        Request::Activities(ActivityQuery {
            from: Some(d("2025-06-01")),
            to: Some(d("2026-12-31")),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(
        page.items
            .iter()
            .map(|a| a.data.title.as_str())
            .collect::<Vec<_>>(),
        ["Staff week", "Joint application"]
    );
    let Response::Activities(page) = s.handle(
        &me,
        Request::Activities(ActivityQuery {
            text: "JOINT".into(),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(page.total, 1);
    let Response::Activities(page) = s.handle(
        &me,
        Request::Activities(ActivityQuery {
            partner: Some(p),
            newest_first: true,
            limit: 2,
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(
        (page.total, page.items[0].data.title.as_str()),
        (4, "Planned visit")
    );

    let note = Note {
        partners: vec![p],
        date: d("2026-11-01"),
        title: "Styrgruppsmöte".into(),
        kind: MeetingKind::SteeringGroup,
        attendees: vec!["Anna Lind".into()],
        body: "Agenda\n1. Status".into(),
        decisions: vec!["Renew the MoU".into()],
        actions: vec![
            ActionItem {
                text: "Send draft".into(),
                owner: "anna.lind".into(),
                due: Some(d("2026-11-15")),
                done: false,
            },
            ActionItem {
                text: "Book room".into(),
                owner: "bjorn.ek".into(),
                due: None,
                done: false,
            },
        ],
    };
    create(&s, &me, AnyData::Note(note));
    let Response::ActionItems(mine) = s.handle(
        &me,
        Request::ActionItems(ActionQuery {
            owner: Some("anna.lind".into()),
            open_only: true,
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(mine.len(), 1);
    assert!(mine[0].overdue, "due 2026-11-15, today is 2026-11-28");
    let Response::Notes(notes) = s.handle(
        &me,
        Request::Notes(NoteQuery {
            partner: Some(p),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(notes.items[0].data.body, "Agenda\n1. Status");

    create(
        &s,
        &me,
        AnyData::Agreement(Agreement {
            partner: p,
            kind: AgreementKind::Framework,
            title: "Framework 2022–2027".into(),
            signed: Some(d("2021-12-01")),
            start: d("2022-01-01"),
            end: Some(d("2027-03-31")),
            signatories: vec!["Rektor".into()],
            renewal_lead_months: 6,
            status: AgreementStatus::Active,
            renewal_draft_sent: None,
            renewal_signed: None,
        }),
    );
    let Response::PartnerDetail(detail) = s.handle(&me, Request::PartnerDetail(p)) else {
        panic!()
    };
    assert_eq!(
        detail.renewal,
        Renewal::Due {
            end: d("2027-03-31")
        }
    );
    assert_eq!(detail.open_actions.len(), 2);
    assert_eq!(
        detail.recent_activities.len(),
        3,
        "planned future activities are not 'recent'"
    );
    let met: Vec<bool> = detail.profile.iter().map(|c| c.met()).collect();
    // Sponsors both sides, 63-month agreement, goals, 3 kinds in two years; no scores yet; one
    // faculty is not university-wide.
    assert_eq!(met, [true, true, true, true, false, false]);
    let Response::Renewals(due) = s.handle(&me, Request::RenewalsDue) else {
        panic!()
    };
    assert_eq!(due.len(), 1);
}

#[test]
fn text_is_sanitised_at_the_boundary() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let (id, _) = create(
        &s,
        &editor(),
        AnyData::Partner(partner("Evil\u{1b}[2J \u{202E}Corp\u{200B}", "SE")),
    );
    let Response::Record(AnyRecord::Partner(p)) = s.handle(
        &editor(),
        Request::Get {
            kind: EntityKind::Partner,
            id,
        },
    ) else {
        panic!()
    };
    assert_eq!(p.data.name, "Evil[2J Corp");
}

#[test]
fn today_and_partner_names_for_pickers() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    assert_eq!(
        s.handle(&editor(), Request::Today),
        Response::Today(today())
    );
    let (a, _) = create(
        &s,
        &editor(),
        AnyData::Partner(partner("Örebro universitet", "SE")),
    );
    let (b, _) = create(
        &s,
        &editor(),
        AnyData::Partner(partner("Zürich Hochschule", "CH")),
    );
    let (c, v) = create(&s, &editor(), AnyData::Partner(partner("Aalto", "FI")));
    s.handle(
        &editor(),
        Request::Archive {
            kind: EntityKind::Partner,
            id: c,
            expected_version: v,
        },
    );
    let Response::PartnerNames(sv) = s.handle(
        &editor(),
        Request::PartnerNames {
            lang: spets::i18n::Lang::Sv,
        },
    ) else {
        panic!()
    };
    assert_eq!(
        sv,
        vec![
            (b, "Zürich Hochschule".to_string()),
            (a, "Örebro universitet".to_string())
        ]
    );
    let Response::PartnerNames(en) = s.handle(
        &editor(),
        Request::PartnerNames {
            lang: spets::i18n::Lang::En,
        },
    ) else {
        panic!()
    };
    assert_eq!(
        en[0].0, a,
        "archived partners are left out; Ö sorts as O in English"
    );
}

#[test]
fn demo_data_through_the_service_only_into_an_empty_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    assert!(matches!(
        s.handle(&editor(), Request::LoadDemo),
        Response::Forbidden {
            denied: Denied::AdminOnly,
            ..
        }
    ));
    let rx = s.subscribe();
    let Response::DemoLoaded(st) = s.handle(&admin(), Request::LoadDemo) else {
        panic!()
    };
    assert_eq!((st.partners, st.activities, st.notes), (40, 800, 120));
    assert_eq!(
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .unwrap()
            .seq,
        0,
        "a refresh event"
    );
    let Response::Partners(p) = s.handle(&admin(), Request::Partners(PartnerQuery::default()))
    else {
        panic!()
    };
    assert_eq!(p.total, 40, "the model is reloaded");
    assert!(matches!(
        s.handle(&admin(), Request::LoadDemo),
        Response::Failed(spets::service::Failure::NotEmpty { partners: 40, .. })
    ));
    assert!(spets::store::check::check(s.store()).unwrap().is_ok());
}

/// Many editors saving at once: the service commits them in batches (one transaction and one flush
/// for a burst of saves). Nothing may be lost, doubled or mixed up, a stale save is still a
/// conflict naming the fields (also when the save it lost to is in the same batch), a refused save
/// leaves nothing behind, and the workspace checks clean before and after reopening.
#[test]
fn concurrent_saves_in_batches_lose_nothing_and_still_detect_conflicts() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let rx = s.subscribe();
    let (pid, mut pver) = create(
        &s,
        &admin(),
        AnyData::Partner(partner("Aalto University", "FI")),
    );
    let shared: Vec<Id> = (0..4)
        .map(|i| {
            create(
                &s,
                &admin(),
                AnyData::Activity(activity(pid, "2026-03-01", &format!("Shared {i}"))),
            )
            .0
        })
        .collect();
    let threads = 10;
    let rounds = 30;
    let results: Vec<(usize, usize, usize, Vec<Id>)> = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let s = &s;
                let shared = &shared;
                sc.spawn(move || {
                    let me = who(&format!("editor{t}"), Role::Editor);
                    let target = shared[t % shared.len()];
                    let mut version = 1;
                    let (mut updates, mut conflicts, mut refused) = (0, 0, 0);
                    let mut created = Vec::new();
                    for k in 0..rounds {
                        // A create, sometimes for a partner that does not exist (refused).
                        let bad = k % 7 == 3;
                        let p = if bad { Id(9_999_999) } else { pid };
                        match s.handle(
                            &me,
                            Request::Create(AnyData::Activity(activity(
                                p,
                                "2026-04-01",
                                &format!("t{t} k{k}"),
                            ))),
                        ) {
                            Response::Saved { id, .. } if !bad => created.push(id),
                            Response::Invalid(_) if bad => refused += 1,
                            other => panic!("create {t}/{k}: {other:?}"),
                        }
                        // An update of an activity others update too.
                        let r = s.handle(
                            &me,
                            Request::Update {
                                id: target,
                                expected_version: version,
                                data: AnyData::Activity(activity(
                                    pid,
                                    "2026-03-01",
                                    &format!("edited by {t} in round {k}"),
                                )),
                            },
                        );
                        match r {
                            Response::Saved { version: v, .. } => {
                                version = v;
                                updates += 1;
                            }
                            Response::Conflict(c) => {
                                assert!(
                                    c.fields.iter().any(|f| f.field == "title"),
                                    "a conflict names the changed fields: {c:?}"
                                );
                                assert_ne!(c.changed_by, me.user);
                                version = c.current.meta().version;
                                conflicts += 1;
                            }
                            other => panic!("update {t}/{k}: {other:?}"),
                        }
                    }
                    (updates, conflicts, refused, created)
                })
            })
            .collect();
        // Meanwhile partner edits, which are committed on their own between the batches.
        for k in 0..10 {
            let mut p = partner("Aalto University", "FI");
            p.city = format!("Espoo {k}");
            match s.handle(
                &admin(),
                Request::Update {
                    id: pid,
                    expected_version: pver,
                    data: AnyData::Partner(p),
                },
            ) {
                Response::Saved { version, .. } => pver = version,
                other => panic!("partner edit {k}: {other:?}"),
            }
        }
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let updates: usize = results.iter().map(|r| r.0).sum();
    let conflicts: usize = results.iter().map(|r| r.1).sum();
    let refused: usize = results.iter().map(|r| r.2).sum();
    let created: Vec<Id> = results.iter().flat_map(|r| r.3.clone()).collect();
    assert_eq!(updates + conflicts, threads * rounds);
    assert_eq!(
        refused,
        threads * (rounds / 7 + usize::from(rounds % 7 > 3))
    );
    assert_eq!(created.len(), threads * rounds - refused);
    let unique: std::collections::HashSet<Id> = created.iter().copied().collect();
    assert_eq!(
        unique.len(),
        created.len(),
        "ids are never handed out twice"
    );

    let check = |s: &Service| {
        let stats = s.stats();
        assert_eq!(stats.activities, shared.len() + created.len());
        // One audit entry per save: partner create (and the goal its goal line became) + 10
        // edits, the shared four, creates, updates.
        assert_eq!(
            stats.audit_entries,
            1 + 1 + 10 + shared.len() + created.len() + updates
        );
        // Each shared activity's versions run 1..=n without gaps, one audit entry each.
        let mut versions = 0;
        for id in &shared {
            let Response::Audit(page) = s.handle(
                &admin(),
                Request::Audit(AuditQuery {
                    record: Some((EntityKind::Activity, *id)),
                    ..Default::default()
                }),
            ) else {
                panic!("no audit page")
            };
            let mut v: Vec<u64> = page.iter().map(|e| e.version).collect();
            v.sort();
            assert_eq!(v, (1..=v.len() as u64).collect::<Vec<_>>());
            versions += v.len() - 1;
        }
        assert_eq!(versions, updates);
        match s.handle(&admin(), Request::Check) {
            Response::CheckReport { findings, .. } => assert!(findings.is_empty(), "{findings:?}"),
            other => panic!("{other:?}"),
        }
    };
    check(&s);
    // Every durable change was announced once, in commit order.
    let events: Vec<ChangeEvent> = rx.try_iter().collect();
    assert_eq!(events.len(), 1 + 4 + 10 + created.len() + updates);
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
    drop(s);
    let s = open(tmp.path());
    check(&s);
}

/// What the partner screens show, for comparing two loads of one workspace.
fn partner_screens(s: &Service) -> Vec<String> {
    let mut out = Vec::new();
    for lang in [spets::i18n::Lang::Sv, spets::i18n::Lang::En] {
        for archived in [Archived::Hide, Archived::Only] {
            let q = PartnerQuery {
                lang,
                archived,
                ..Default::default()
            };
            out.push(format!("{:?}", s.handle(&admin(), Request::Partners(q))));
        }
    }
    out.push(format!("{:?}", s.handle(&admin(), Request::RenewalsDue)));
    out
}

/// Closing leaves a checkpoint of the model that the next open uses instead of decoding every
/// partner and agreement. It must never hide a change: a save made after it (by a process that then
/// died without closing), or a damaged checkpoint file, means loading from the records.
#[test]
fn the_model_checkpoint_is_used_only_while_it_matches_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("model.checkpoint");
    let (pid, version) = {
        let s = open(tmp.path());
        assert!(matches!(
            s.handle(&admin(), Request::LoadDemo),
            Response::DemoLoaded(_)
        ));
        let (pid, version) = create(
            &s,
            &editor(),
            AnyData::Partner(partner("Åbo Akademi", "FI")),
        );
        let Response::Partners(page) = s.handle(
            &admin(),
            Request::Partners(PartnerQuery {
                limit: 2,
                ..Default::default()
            }),
        ) else {
            panic!()
        };
        let Some(first) = page.items.iter().find(|p| p.id != pid) else {
            panic!("the demo has partners")
        };
        assert!(matches!(
            s.handle(
                &admin(),
                Request::Archive {
                    kind: EntityKind::Partner,
                    id: first.id,
                    expected_version: first.version
                }
            ),
            Response::Saved { .. }
        ));
        (pid, version)
    };
    assert!(file.exists(), "closing writes a checkpoint");
    let full = {
        // The same workspace loaded from the records (no checkpoint) ...
        let saved = std::fs::read(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        let s = open(tmp.path());
        let screens = partner_screens(&s);
        drop(s);
        std::fs::write(&file, saved).unwrap();
        screens
    };
    // ... and from the checkpoint: the same screens.
    let s = open(tmp.path());
    assert_eq!(partner_screens(&s), full);
    drop(s);
    // A change written after the checkpoint by something that never closed a service (a process
    // killed after its save): the checkpoint is stale and must be ignored.
    {
        let store = spets::store::Store::open(tmp.path()).unwrap();
        let outcome = store
            .commit::<Partner>(
                pid,
                "bjorn.ek",
                spets::store::AuditAction::Update,
                Some(version),
                |cur| {
                    let mut r = cur.unwrap().clone();
                    r.meta.version += 1;
                    r.data.city = "Turku".into();
                    spets::store::Change::Put(r)
                },
            )
            .unwrap();
        assert!(outcome.is_ok());
        store.flush().unwrap();
    }
    let s = open(tmp.path());
    let Response::PartnerDetail(detail) = s.handle(&admin(), Request::PartnerDetail(pid)) else {
        panic!()
    };
    assert_eq!(
        detail.partner.data.city, "Turku",
        "a stale checkpoint is not used"
    );
    let full = partner_screens(&s);
    drop(s);
    // A damaged checkpoint (one letter changed inside a record) is not used either.
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes
        .windows(5)
        .position(|w| w == b"Turku")
        .expect("the checkpoint holds the partner's city");
    bytes[at + 4] = b'v';
    std::fs::write(&file, bytes).unwrap();
    let s = open(tmp.path());
    assert_eq!(partner_screens(&s), full);
}

/// Paging through the partners reuses the last filtered list (the service keeps it while nothing
/// changes): every page must still reflect every change made between two pages.
#[test]
fn partner_pages_follow_changes_made_between_them() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let mut ids = Vec::new();
    for i in 0..30 {
        let mut p = partner(&format!("Partner {i:02}"), "SE");
        p.goals.clear();
        ids.push(create(&s, &me, AnyData::Partner(p)).0);
    }
    let page = |offset: usize, text: &str| {
        let Response::Partners(p) = s.handle(
            &me,
            Request::Partners(PartnerQuery {
                text: text.into(),
                offset,
                limit: 10,
                ..Default::default()
            }),
        ) else {
            panic!()
        };
        (
            p.total,
            p.items.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        )
    };
    let (total, first) = page(0, "");
    assert_eq!(total, 30);
    assert_eq!(first[0], "Partner 00");
    assert_eq!(page(10, "").1[0], "Partner 10");
    // A new partner that sorts first shifts every page.
    let mut p = partner("Aalto University", "FI");
    p.goals.clear();
    create(&s, &me, AnyData::Partner(p));
    assert_eq!(page(10, "").0, 31);
    assert_eq!(page(10, "").1[0], "Partner 09");
    // A rename moves the partner in the order.
    let Response::Record(AnyRecord::Partner(mut r)) = s.handle(
        &me,
        Request::Get {
            kind: EntityKind::Partner,
            id: ids[0],
        },
    ) else {
        panic!()
    };
    r.data.name = "Zeta Partner 00".into();
    let saved = s.handle(
        &me,
        Request::Update {
            id: ids[0],
            expected_version: r.meta.version,
            data: AnyData::Partner(r.data),
        },
    );
    assert!(matches!(saved, Response::Saved { .. }), "{saved:?}");
    assert_eq!(page(30, "").1, vec!["Zeta Partner 00".to_string()]);
    // Archived partners drop out of the next page.
    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Partner,
            id: ids[1],
            expected_version: 1,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    let (total, first) = page(0, "");
    assert_eq!(total, 30);
    assert_eq!(first[..2], ["Aalto University", "Partner 02"]);
    // Another query is worked out anew, and the first one again after it.
    assert_eq!(page(0, "partner 1").0, 10);
    assert_eq!(page(0, "").0, 30);
}

/// The service holds open action items in memory and reads done ones from the notes when a list
/// asks for them: both lists must follow every change to a note.
#[test]
fn action_items_open_and_done_follow_changes_to_the_note() {
    let tmp = tempfile::tempdir().unwrap();
    let s = open(tmp.path());
    let me = editor();
    let mut p = partner("Aalto University", "FI");
    p.goals.clear();
    let (pid, _) = create(&s, &me, AnyData::Partner(p));
    let item = |text: &str, done: bool| ActionItem {
        text: text.into(),
        owner: "anna.lind".into(),
        due: Some(d("2026-12-15")),
        done,
    };
    let mut note = Note {
        partners: vec![pid],
        date: d("2026-11-01"),
        title: "Styrgruppsmöte".into(),
        kind: MeetingKind::SteeringGroup,
        attendees: vec![],
        body: String::new(),
        decisions: vec![],
        actions: vec![item("Send draft", false), item("Book room", true)],
    };
    let (nid, v) = create(&s, &me, AnyData::Note(note.clone()));
    let items = |open_only: bool| {
        let Response::ActionItems(rows) = s.handle(
            &me,
            Request::ActionItems(ActionQuery {
                owner: Some("anna.lind".into()),
                open_only,
                ..Default::default()
            }),
        ) else {
            panic!()
        };
        rows.iter()
            .map(|r| (r.item.text.clone(), r.item.done, r.note_title.clone()))
            .collect::<Vec<_>>()
    };
    let open = |t: &str| (t.to_string(), false, "Styrgruppsmöte".to_string());
    let done = |t: &str| (t.to_string(), true, "Styrgruppsmöte".to_string());
    assert_eq!(items(true), [open("Send draft")]);
    assert_eq!(items(false), [open("Send draft"), done("Book room")]);
    // Ticking the open item off moves it to the done ones.
    note.actions[0].done = true;
    let r = s.handle(
        &me,
        Request::Update {
            id: nid,
            expected_version: v,
            data: AnyData::Note(note),
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    assert_eq!(items(true), []);
    assert_eq!(items(false), [done("Send draft"), done("Book room")]);
    // An archived note's items are in neither list.
    let r = s.handle(
        &me,
        Request::Archive {
            kind: EntityKind::Note,
            id: nid,
            expected_version: v + 1,
        },
    );
    assert!(matches!(r, Response::Saved { .. }), "{r:?}");
    assert_eq!(items(false), []);
}
