//! `spets demo`: a realistic, deterministic sample workspace.
//!
//! The same seed always gives the same records. Names mix Swedish and international spellings
//! (å ä ö é ü), CJK names and some very long names; every kind, phase, format, activity kind, value
//! and meeting kind occurs. Tests, benchmarks and first-time users use it.

use crate::domain::*;
use crate::store::{Store, StoreError};

mod life;
use chrono::{Datelike, Days, Months, NaiveDate};

/// How much to generate.
#[derive(Debug, Clone)]
pub struct DemoSpec {
    pub partners: usize,
    pub activities: usize,
    pub notes: usize,
    pub seed: u64,
    /// "Today" for the data: activities before it are done, after it planned.
    pub today: NaiveDate,
    /// A user who gets some action items and activities (the person trying spets).
    pub me: String,
}

impl DemoSpec {
    pub fn small(today: NaiveDate, me: &str) -> DemoSpec {
        DemoSpec {
            partners: 40,
            activities: 800,
            notes: 120,
            seed: 1,
            today,
            me: me.to_string(),
        }
    }
}

/// What was generated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub partners: usize,
    pub agreements: usize,
    pub contacts: usize,
    pub activities: usize,
    pub assessments: usize,
    pub notes: usize,
    pub goals: usize,
    pub goal_links: usize,
    pub rhythms: usize,
    pub phase_changes: usize,
    pub evaluations: usize,
}

mod rng;
use rng::Rng;

mod data;
use data::*;

fn person(rng: &mut Rng) -> String {
    if rng.chance(8) {
        rng.pick(CJK_PEOPLE).to_string()
    } else {
        format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
    }
}

fn email_of(name: &str, domain: &str) -> String {
    let local: String = text::fold(name)
        .chars()
        .map(|c| if c == ' ' { '.' } else { c })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let local = if local.trim_matches('.').is_empty() {
        "contact".to_string()
    } else {
        local
    };
    format!("{local}@{domain}")
}

/// Between `min` and `min + extra - 1` distinct picks from `from`, sorted.
fn sample<T: Copy + Ord>(rng: &mut Rng, from: &[T], min: usize, extra: usize) -> Vec<T> {
    let n = min + rng.below(extra);
    let mut v: Vec<T> = (0..n).map(|_| *rng.pick(from)).collect();
    v.sort();
    v.dedup();
    v
}

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(chrono::Duration::days(n)).unwrap_or(d)
}

fn meta(id: Id, user: &str, now: Timestamp) -> Meta {
    Meta::first(id, user, now)
}

/// Generate and store a demo workspace. Refuses a workspace that already holds partners.
pub fn generate(store: &Store, spec: &DemoSpec, user: &str) -> Result<DemoSummary, StoreError> {
    let existing = store.count(EntityKind::Partner);
    if existing > 0 {
        return Err(StoreError::NotEmpty {
            path: store.path().to_path_buf(),
            partners: existing,
        });
    }
    let mut rng = Rng(spec.seed ^ 0x5EED_5EED);
    let now = Timestamp::now();
    let today = spec.today;
    let mut people: Vec<String> = STAFF.iter().map(|s| s.to_string()).collect();
    people.push(spec.me.clone());

    // Partners.
    let mut partners: Vec<Record<Partner>> = Vec::with_capacity(spec.partners);
    // Their common goals, made goal records after everything else (see `life`).
    let mut goal_lines: Vec<Vec<&'static str>> = Vec::with_capacity(spec.partners);
    let mut seen = std::collections::HashSet::new();
    let first = store.reserve_ids(spec.partners as u64)?;
    for i in 0..spec.partners {
        // Every other one of the first partners is a name as written at home (CJK, Swedish,
        // very long); after that a few more at random.
        let native = if i % 2 == 0 && i / 2 < NATIVE.len() {
            Some(NATIVE[i / 2])
        } else if i >= NATIVE.len() * 2 && rng.chance(2) {
            Some(*rng.pick(NATIVE))
        } else {
            None
        };
        let (name, city, country, kind) = if let Some((n, c, cc, k)) = native {
            (n.to_string(), c.to_string(), cc.to_string(), k)
        } else {
            let (city, cc) = *rng.pick(CITIES);
            let kind = *rng.pick(&[
                OrgKind::University,
                OrgKind::University,
                OrgKind::University,
                OrgKind::Company,
                OrgKind::Company,
                OrgKind::PublicOrganisation,
                OrgKind::NonProfit,
                OrgKind::Other,
            ]);
            let t = match kind {
                OrgKind::University => rng.pick(UNI_TEMPLATES),
                OrgKind::Company => rng.pick(COMPANY_TEMPLATES),
                OrgKind::PublicOrganisation => rng.pick(PUBLIC_TEMPLATES),
                OrgKind::NonProfit => rng.pick(NONPROFIT_TEMPLATES),
                OrgKind::Other => rng.pick(OTHER_TEMPLATES),
            };
            (
                t.replace("{}", city),
                city.to_string(),
                cc.to_string(),
                kind,
            )
        };
        let mut name = name;
        let mut n = 2;
        while !seen.insert(format!("{}|{country}", text::fold(&name))) {
            name = format!(
                "{} ({n})",
                name.trim_end_matches(|c: char| c.is_ascii_digit()
                    || c == '('
                    || c == ')'
                    || c == ' ')
            );
            n += 1;
        }
        let short = if name.chars().count() > 24 || rng.chance(40) {
            let s: String = name
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_alphabetic())
                .flat_map(|c| c.to_uppercase())
                .collect();
            (s.chars().count() >= 2).then_some(s)
        } else {
            None
        };
        let tier = if rng.chance(30) {
            Tier::Strategic
        } else {
            Tier::Other
        };
        let phase = *rng.pick(Phase::ALL);
        let domain = format!(
            "{}.example.org",
            text::fold(&city)
                .replace(' ', "-")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        );
        let p = Partner {
            short_name: short,
            kind,
            country,
            city,
            website: format!("https://www.{domain}"),
            phase,
            tier,
            formats: sample(&mut rng, Format::ALL, 1, 6),
            faculties: sample(&mut rng, FACULTIES, 1, 3)
                .into_iter()
                .map(String::from)
                .collect(),
            goals: {
                goal_lines.push(if tier == Tier::Strategic || rng.chance(40) {
                    sample(&mut rng, GOALS, 1, 3)
                } else {
                    Vec::new()
                });
                Vec::new()
            },
            tags: sample(&mut rng, TAGS, 0, 4)
                .into_iter()
                .map(String::from)
                .collect(),
            sponsors_ours: if tier == Tier::Strategic || rng.chance(30) {
                vec![rng.pick(SPONSORS_OURS).to_string()]
            } else {
                Vec::new()
            },
            sponsors_partner: if tier == Tier::Strategic && rng.chance(80) {
                vec![format!(
                    "{} ({})",
                    person(&mut rng),
                    rng.pick(SPONSORS_THEIRS)
                )]
            } else {
                Vec::new()
            },
            coordinator: rng.pick(&people).clone(),
            name,
        };
        partners.push(Record {
            meta: meta(Id(first + i as u64), user, now),
            data: p,
        });
    }

    // Agreements and contacts.
    let mut agreements = Vec::new();
    let mut contacts = Vec::new();
    for p in &partners {
        let n_agreements = match p.data.phase {
            Phase::Prospect => 0,
            _ => 1 + rng.below(2),
        };
        for k in 0..n_agreements {
            let years = *rng.pick(&[3i32, 5, 5, 6, 10]);
            // Some end soon (renewal due), some have ended, most run for years.
            let start = days(today, -(rng.below(365 * 6) as i64));
            let start = if k == 0 && rng.chance(15) {
                days(today, -(365 * years as i64) + rng.below(200) as i64)
            } else {
                start
            };
            let end = start
                .checked_add_months(Months::new(years as u32 * 12))
                .and_then(|d| d.pred_opt());
            let status = match end {
                Some(e) if e < today => {
                    if rng.chance(50) {
                        AgreementStatus::Expired
                    } else {
                        AgreementStatus::Active
                    }
                }
                _ if p.data.phase == Phase::StartUp && rng.chance(50) => {
                    AgreementStatus::Negotiation
                }
                _ => AgreementStatus::Active,
            };
            let kind = *rng.pick(AgreementKind::ALL);
            agreements.push(Agreement {
                partner: p.meta.id,
                kind,
                title: format!(
                    "{} {}–{}",
                    kind.key().to_uppercase(),
                    start.year(),
                    end.map(|e| e.year()).unwrap_or(start.year())
                ),
                signed: Some(days(start, -(rng.below(60) as i64))),
                start,
                end: if rng.chance(5) { None } else { end },
                signatories: vec![
                    "Rektor".into(),
                    format!("{} ({})", person(&mut rng), rng.pick(SPONSORS_THEIRS)),
                ],
                renewal_lead_months: if years >= 5 {
                    12
                } else {
                    DEFAULT_RENEWAL_LEAD_MONTHS
                },
                status,
                renewal_draft_sent: None,
                renewal_signed: None,
            });
            // Every third partner inside its lead time has sent the draft of the renewed
            // agreement a month into it (no draw from the generator: the rest stays as it was).
            if let Some(a) = agreements.last_mut()
                && p.meta.id.0 % 3 == 0
                && a.status == AgreementStatus::Active
                && let Some(sent) = a
                    .renewal_due()
                    .and_then(|d| d.checked_add_days(Days::new(30)))
                && sent <= today
                && a.end.is_some_and(|e| e >= today)
            {
                a.renewal_draft_sent = Some(sent);
            }
        }
        let domain = p
            .data
            .website
            .trim_start_matches("https://www.")
            .to_string();
        for k in 0..(2 + rng.below(3)) {
            let side = if k % 2 == 0 {
                Side::Partner
            } else {
                Side::Ours
            };
            let name = person(&mut rng);
            contacts.push(Contact {
                partner: p.meta.id,
                side,
                email: email_of(
                    &name,
                    if side == Side::Ours {
                        "oru.example.se"
                    } else {
                        &domain
                    },
                ),
                role: *rng.pick(ContactRole::ALL),
                phone: format!(
                    "+{} {} {:03} {:02} {:02}",
                    10 + rng.below(89),
                    10 + rng.below(89),
                    rng.below(1000),
                    rng.below(100),
                    rng.below(100)
                ),
                name,
            });
        }
    }

    // Activities: spread from eight years back to two years ahead.
    let mut activities = Vec::with_capacity(spec.activities);
    let span = 365 * 10;
    for _ in 0..spec.activities {
        if partners.is_empty() {
            break;
        }
        let date = days(today, rng.below(span) as i64 - 365 * 8);
        let mut ps = vec![partners[rng.below(partners.len())].meta.id];
        if rng.chance(10) {
            ps.push(partners[rng.below(partners.len())].meta.id);
        }
        let kind = *rng.pick(ActivityKind::ALL);
        let lead = &partners[(ps[0].0 - first) as usize].data;
        let short = lead.short_name.clone().unwrap_or_else(|| lead.name.clone());
        let status = if date > today {
            if rng.chance(5) {
                ActivityStatus::Cancelled
            } else {
                ActivityStatus::Planned
            }
        } else if rng.chance(6) {
            ActivityStatus::Cancelled
        } else {
            ActivityStatus::Done
        };
        activities.push(Activity {
            end_date: if matches!(kind, ActivityKind::Visit | ActivityKind::Mobility | ActivityKind::Conference) && rng.chance(60) {
                Some(days(date, 1 + rng.below(20) as i64))
            } else {
                None
            },
            partners: { ps.sort(); ps.dedup(); ps },
            kind,
            title: title_for(kind, &short, &mut rng),
            description: if rng.chance(50) {
                format!("Follow-up of the goals agreed with {short}.\nOwner reports back to the steering group.")
            } else {
                String::new()
            },
            values: sample(&mut rng, AddedValue::ALL, 1, 3),
            status,
            owner: rng.pick(&people).clone(),
            date,
        });
    }

    // Assessments: most partners scored on most values, some with history.
    let mut assessments = Vec::new();
    for p in &partners {
        if p.data.phase == Phase::Prospect && rng.chance(70) {
            continue;
        }
        for v in AddedValue::ALL {
            if !rng.chance(70) {
                continue;
            }
            let n = 1 + rng.below(3);
            let mut score = rng.below(3) as u8;
            for k in 0..n {
                let date =
                    days(today, -((n - k) as i64 * 170) + rng.below(60) as i64 - 30).min(today);
                assessments.push(Assessment {
                    partner: p.meta.id,
                    value: *v,
                    score,
                    target: if rng.chance(60) {
                        Some((score + 1 + rng.below(2) as u8).min(SCORE_MAX))
                    } else {
                        None
                    },
                    evidence: format!("{} ({})", rng.pick(GOALS), rng.pick(TAGS)),
                    date,
                    assessor: rng.pick(&people).clone(),
                });
                score = (score + rng.below(3) as u8)
                    .saturating_sub(rng.below(2) as u8)
                    .min(SCORE_MAX);
            }
        }
    }

    // Meeting notes with decisions and action items.
    let mut notes = Vec::with_capacity(spec.notes);
    for i in 0..spec.notes {
        if partners.is_empty() {
            break;
        }
        let p = &partners[rng.below(partners.len())];
        let kind = *rng.pick(MeetingKind::ALL);
        let date = days(today, -(rng.below(365 * 4) as i64) + 30);
        let short = p
            .data
            .short_name
            .clone()
            .unwrap_or_else(|| p.data.name.clone());
        let n_actions = rng.below(4);
        let actions = (0..n_actions)
            .map(|k| ActionItem {
                text: format!(
                    "{} ({})",
                    rng.pick(&[
                        "Send draft agreement",
                        "Book the next steering group",
                        "Collect mobility figures",
                        "Skicka underlag till rektor",
                        "Follow up the funding call",
                        "Uppdatera värdematrisen"
                    ]),
                    k + 1
                ),
                owner: if i % 7 == 0 && k == 0 {
                    spec.me.clone()
                } else {
                    rng.pick(&people).clone()
                },
                due: Some(days(date, 14 + rng.below(60) as i64)),
                done: date < days(today, -120) || rng.chance(30),
            })
            .collect();
        notes.push(Note {
            partners: vec![p.meta.id],
            date,
            title: format!("{} – {}", match kind {
                MeetingKind::SteeringGroup => "Styrgruppsmöte",
                MeetingKind::Management => "Management meeting",
                MeetingKind::WorkingGroup => "Working group",
                MeetingKind::AnnualReview => "Annual review",
                MeetingKind::Other => "Avstämning",
            }, short),
            kind,
            attendees: (0..(2 + rng.below(4))).map(|_| person(&mut rng)).collect(),
            body: format!("Agenda\n1. Status of joint activities\n2. Mobility numbers\n3. Next steps\n\nDiscussion on {}.", rng.pick(GOALS)),
            decisions: sample(&mut rng, &["Approve the activity plan", "Renew the MoU for five years", "Apply jointly in the next call", "Besluta om gemensam doktorandtjänst"], 0, 3).into_iter().map(String::from).collect(),
            actions,
        });
    }

    let summary = DemoSummary {
        partners: partners.len(),
        agreements: agreements.len(),
        contacts: contacts.len(),
        activities: activities.len(),
        assessments: assessments.len(),
        notes: notes.len(),
        ..DemoSummary::default()
    };
    store.insert_bulk(user, &partners)?;
    insert_all(store, user, now, agreements)?;
    insert_all(store, user, now, contacts)?;
    let first_activity = insert_all(store, user, now, activities.clone())?;
    insert_all(store, user, now, assessments)?;
    let first_note = insert_all(store, user, now, notes.clone())?;
    // The life cycle comes last, from a random sequence of its own, so that the records above
    // are the same as before it existed (tests and snapshots rely on them).
    let made = life::Made {
        partners: &partners,
        goal_lines: &goal_lines,
        activities: &activities,
        first_activity,
        notes: &notes,
        first_note,
    };
    let summary = life::generate(store, spec, user, now, &made, summary)?;
    Ok(summary)
}

/// Store `data` as new records with consecutive ids; returns the first id.
fn insert_all<T: crate::store::Stored>(
    store: &Store,
    user: &str,
    now: Timestamp,
    data: Vec<T>,
) -> Result<u64, StoreError> {
    let first = store.reserve_ids(data.len() as u64)?;
    let records: Vec<Record<T>> = data
        .into_iter()
        .enumerate()
        .map(|(i, d)| Record {
            meta: meta(Id(first + i as u64), user, now),
            data: d,
        })
        .collect();
    store.insert_bulk(user, &records)?;
    Ok(first)
}
