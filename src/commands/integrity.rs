//! `spets check [--repair]`, `spets backup` and `spets restore`, on a workspace directory or
//! through a daemon, in the user's language.

use crate::client::Client;
use crate::i18n::{Lang, integrity as words};
use crate::service::{Request, Response};
use crate::store::check::{self, Finding, RepairStep};
use crate::store::{Store, backup};
use crate::term::{say, warn};
use std::path::Path;

/// How a check ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing wrong (or nothing left wrong after a repair).
    Clean,
    /// Problems remain.
    Problems,
}

fn counted(counted: &[(String, usize)]) {
    for (tree, n) in counted {
        say(&format!("{tree:<30} {n:>9}"));
    }
}

/// Print findings and what to do about them.
fn report(lang: Lang, findings: &[Finding], place: &str, repairing: bool) {
    for f in findings {
        warn(&match lang {
            Lang::En => format!("problem: {}", f.describe(lang)),
            Lang::Sv => format!("problem: {}", f.describe(lang)),
        });
    }
    let n = findings.len();
    let fixable = findings.iter().filter(|f| f.repairable()).count();
    let head = match (lang, n) {
        (Lang::En, 1) => format!("1 problem found in {place}."),
        (Lang::En, n) => format!("{n} problems found in {place}."),
        (Lang::Sv, 1) => format!("1 problem hittades i {place}."),
        (Lang::Sv, n) => format!("{n} problem hittades i {place}."),
    };
    let hint = if repairing {
        String::new()
    } else if fixable > 0 {
        match lang {
            Lang::En => format!(
                " This was a dry run: nothing was changed. `spets check --repair` mends {fixable} of them (with an audit entry for each step); for the rest, restore the latest backup with `spets restore FILE --db NEW_DIR`."
            ),
            Lang::Sv => format!(
                " Det här var en provkörning: inget ändrades. `spets check --repair` lagar {fixable} av dem (med en granskningspost för varje steg); för resten, återställ den senaste säkerhetskopian med `spets restore FIL --db NY_KATALOG`."
            ),
        }
    } else {
        match lang {
            Lang::En => {
                " Restore the latest backup with `spets restore FILE --db NEW_DIR`.".to_string()
            }
            Lang::Sv => {
                " Återställ den senaste säkerhetskopian med `spets restore FIL --db NY_KATALOG`."
                    .to_string()
            }
        }
    };
    warn(&format!("{head}{hint}"));
}

fn steps(lang: Lang, steps: &[RepairStep]) {
    for s in steps {
        say(&match lang {
            Lang::En => format!("repaired: {}", words::repair_step(lang, s)),
            Lang::Sv => format!("lagat: {}", words::repair_step(lang, s)),
        });
    }
}

fn ok(lang: Lang, place: &str) {
    say(&match lang {
        Lang::En => format!("OK: {place} is consistent."),
        Lang::Sv => format!("OK: {place} är konsistent."),
    });
}

/// `spets check [--repair]` on a workspace directory.
pub fn check_workspace(
    lang: Lang,
    dir: &Path,
    repair: bool,
    user: &str,
) -> anyhow::Result<Outcome> {
    let store = Store::open(dir)?;
    let place = dir.display().to_string();
    let first = check::check(&store)?;
    let names: Vec<(String, usize)> = first
        .counted
        .iter()
        .map(|(t, n)| (t.to_string(), *n))
        .collect();
    counted(&names);
    if first.is_ok() {
        ok(lang, &place);
        return Ok(Outcome::Clean);
    }
    report(lang, &first.findings, &place, repair);
    if !repair {
        return Ok(Outcome::Problems);
    }
    let done = check::repair(&store, user)?;
    store.flush()?;
    steps(lang, &done);
    let after = check::check(&store)?;
    if after.is_ok() {
        ok(lang, &place);
        Ok(Outcome::Clean)
    } else {
        report(lang, &after.findings, &place, true);
        Ok(Outcome::Problems)
    }
}

fn unexpected(lang: Lang, r: &Response) -> anyhow::Error {
    let why = match r {
        Response::Forbidden { denied, role } => crate::i18n::reasons::denied(lang, *denied, *role),
        Response::Failed(m) => crate::i18n::reasons::failure(lang, m),
        other => {
            tracing::error!(answer = ?other, "unexpected answer");
            crate::i18n::reasons::failure(lang, &crate::service::Failure::Internal)
        }
    };
    anyhow::anyhow!("{}", crate::term::inline(&why).into_owned())
}

fn remote_check(lang: Lang, client: &dyn Client) -> anyhow::Result<Vec<Finding>> {
    match client.call(Request::Check) {
        Response::CheckReport {
            counted: c,
            findings,
        } => {
            counted(&c);
            Ok(findings)
        }
        other => Err(unexpected(lang, &other)),
    }
}

/// `spets check [--repair]` through a daemon (the repair needs an admin).
pub fn check_remote(lang: Lang, client: &dyn Client, repair: bool) -> anyhow::Result<Outcome> {
    let place = client.location();
    let findings = remote_check(lang, client)?;
    if findings.is_empty() {
        ok(lang, &place);
        return Ok(Outcome::Clean);
    }
    report(lang, &findings, &place, repair);
    if !repair {
        return Ok(Outcome::Problems);
    }
    match client.call(Request::Repair) {
        Response::Repaired(done) => steps(lang, &done),
        other => return Err(unexpected(lang, &other)),
    }
    let after = remote_check(lang, client)?;
    if after.is_empty() {
        ok(lang, &place);
        Ok(Outcome::Clean)
    } else {
        report(lang, &after, &place, true);
        Ok(Outcome::Problems)
    }
}

/// `spets restore FILE --db DIR`: restore, mend, and say what was mended.
pub fn restore(lang: Lang, file: &Path, target: &Path, user: &str) -> anyhow::Result<Outcome> {
    let (summary, done) = backup::restore_file(file, target, user)?;
    steps(lang, &done);
    let store = Store::open(target)?;
    let report_after = check::check(&store)?;
    if !report_after.is_ok() {
        report(
            lang,
            &report_after.findings,
            &target.display().to_string(),
            true,
        );
        return Ok(Outcome::Problems);
    }
    say(&match lang {
        Lang::En => format!(
            "Restored {} entries from {} into {}; the workspace checks out.",
            summary.entries,
            file.display(),
            target.display()
        ),
        Lang::Sv => format!(
            "{} poster återställdes från {} till {}; arbetsytan är konsistent.",
            summary.entries,
            file.display(),
            target.display()
        ),
    });
    Ok(Outcome::Clean)
}

/// Say how many records could not be read and were left out, if any (after an export, say).
pub fn damaged_notice(lang: Lang, client: &dyn Client) {
    if let Response::Stats(s) = client.call(Request::Stats)
        && s.damaged > 0
    {
        warn(&words::damaged_notice(lang, s.damaged));
    }
}

/// A backup that could not be written, with the OS's reason in words.
pub fn cannot_write_backup(lang: Lang, file: &Path, e: std::io::Error) -> anyhow::Error {
    let why = crate::i18n::reasons::io_error(lang, &e);
    tracing::warn!(error = %e, file = %file.display(), "cannot write the backup");
    cannot_write_backup_because(lang, file, &why)
}

/// A local backup that could not be written: the store's reason in words.
pub fn backup_failed(lang: Lang, file: &Path, e: &crate::store::StoreError) -> anyhow::Error {
    let why = crate::i18n::reasons::failure(lang, &crate::service::Failure::from(e));
    tracing::warn!(error = %e, file = %file.display(), "cannot write the backup");
    cannot_write_backup_because(lang, file, &why)
}

fn cannot_write_backup_because(lang: Lang, file: &Path, why: &str) -> anyhow::Error {
    anyhow::anyhow!(match lang {
        Lang::En => format!("cannot write the backup to {}: {why}", file.display()),
        Lang::Sv => format!(
            "kan inte skriva säkerhetskopian till {}: {why}",
            file.display()
        ),
    })
}

/// `spets backup FILE` through a daemon (admins only): the file is written by this process, as
/// this user, as the parts arrive (nothing is held in memory), and checked whole before it takes
/// the file's name.
pub fn remote_backup(lang: Lang, client: &dyn Client, file: &Path) -> anyhow::Result<()> {
    use crate::service::Response;
    let mut answer = None;
    let written = crate::store::backup::write_atomic_with(file, &mut |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        let r = client.backup_to(&mut w);
        std::io::Write::flush(&mut w)?;
        let done = matches!(r, Response::BackupDone { .. });
        answer = Some(r);
        if done {
            Ok(())
        } else {
            Err(std::io::Error::other("the daemon made no backup"))
        }
    });
    if let Err(e) = written {
        return Err(match &answer {
            Some(r) if !matches!(r, Response::BackupDone { .. }) => {
                let why = match r {
                    Response::Forbidden { denied, role } => {
                        crate::i18n::reasons::denied(lang, *denied, *role)
                    }
                    Response::Failed(f) => crate::i18n::reasons::failure(lang, f),
                    _ => crate::i18n::reasons::failure(lang, &crate::service::Failure::Internal),
                };
                anyhow::anyhow!(match lang {
                    Lang::En => format!("the daemon made no backup: {why}"),
                    Lang::Sv => format!("demonen gjorde ingen säkerhetskopia: {why}"),
                })
            }
            _ => cannot_write_backup(lang, file, e),
        });
    }
    if let Err(e) = crate::store::backup::verify_file(file) {
        tracing::warn!(error = %e, file = %file.display(), "a streamed backup is not whole");
        let _ = std::fs::remove_file(file);
        anyhow::bail!(match lang {
            Lang::En => "the backup that arrived is not whole; nothing was kept, try again",
            Lang::Sv => "säkerhetskopian som kom fram är inte hel; inget sparades, försök igen",
        });
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    crate::term::say(&crate::i18n::messages::remote_backup_written(
        lang,
        &client.location(),
        &file.display().to_string(),
        bytes as usize,
    ));
    Ok(())
}
