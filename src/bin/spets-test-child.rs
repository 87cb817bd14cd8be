//! Child programs for the integration tests; not part of spets itself.
//!
//! The tests start this binary (as `env!("CARGO_BIN_EXE_spets-test-child")`) when they need a
//! second, real process: one that can be killed with SIGKILL mid-write, or that connects to a
//! daemon as another Unix user. Cargo builds it before any integration test, so it always runs the
//! code under test.
//!
//! * `spets-test-child durability DB`: opens the workspace in `DB` and creates partners forever,
//!   printing `saved ID NAME` after each `Saved` answer (tests/store.rs kills it with SIGKILL and
//!   checks that every reported partner is on disk).
//! * `spets-test-child tag-writer SOCKET PARTNER TAG`: connects to the daemon on `SOCKET` and adds
//!   the tags `TAG-0` … `TAG-9` to partner `PARTNER`, re-reading and retrying on every conflict,
//!   like a user pressing "reload"; then prints `done conflicts=N role=ROLE`, where ROLE is the
//!   role the daemon gave this process (tests/daemon.rs).

use anyhow::{Context, anyhow, bail};
use spets::client::{Client, Remote};
use spets::domain::{EntityKind, Format, Id, OrgKind, Partner, Phase, Tier};
use spets::service::{AnyData, AnyRecord, Identity, Request, Response, Role, Service};
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["durability", db] => durability(Path::new(db)),
        ["tag-writer", socket, partner, tag] => {
            let id = Id(partner.parse().context("PARTNER must be a record id")?);
            tag_writer(Path::new(socket), id, tag)
        }
        _ => bail!(
            "usage: spets-test-child durability DB | tag-writer SOCKET PARTNER TAG (got {args:?})"
        ),
    }
}

fn durability(db: &Path) -> anyhow::Result<()> {
    let s = Service::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let me = Identity {
        user: "anna.lind".into(),
        role: Role::Editor,
    };
    for i in 0u64.. {
        let name = format!("Partner nummer {i} – Göteborg");
        if let Response::Saved { id, .. } =
            s.handle(&me, Request::Create(AnyData::Partner(partner(&name))))
        {
            println!("saved {} {name}", id.0);
        }
    }
    Ok(())
}

/// The partner the durability child saves (the same as `partner(name, "SE")` in tests/common).
fn partner(name: &str) -> Partner {
    Partner {
        name: name.to_string(),
        short_name: None,
        kind: OrgKind::University,
        country: "SE".to_string(),
        city: "Örebro".to_string(),
        website: "https://example.org".to_string(),
        phase: Phase::Running,
        tier: Tier::Strategic,
        formats: vec![Format::Research, Format::Education],
        faculties: vec!["Faculty of Science and Technology".into()],
        goals: vec!["Joint doctoral programme".into()],
        tags: vec!["ai".into()],
        sponsors_ours: vec!["Rektor".into()],
        sponsors_partner: vec!["President".into()],
        coordinator: "anna.lind".into(),
    }
}

fn tag_writer(socket: &Path, id: Id, tag: &str) -> anyhow::Result<()> {
    let c = Remote::connect(socket).with_context(|| format!("cannot connect to {socket:?}"))?;
    let mut conflicts = 0;
    for k in 0..10 {
        loop {
            let p = match c.call(Request::Get {
                kind: EntityKind::Partner,
                id,
            }) {
                Response::Record(AnyRecord::Partner(p)) => p,
                other => return Err(anyhow!("reading partner {id}: {other:?}")),
            };
            let mut d = p.data.clone();
            d.tags.push(format!("{tag}-{k}"));
            match c.call(Request::Update {
                id,
                expected_version: p.meta.version,
                data: AnyData::Partner(d),
            }) {
                Response::Saved { .. } => break,
                Response::Conflict(_) => conflicts += 1,
                other => return Err(anyhow!("saving partner {id}: {other:?}")),
            }
        }
    }
    println!(
        "done conflicts={conflicts} role={}",
        c.identity().role.key()
    );
    Ok(())
}
