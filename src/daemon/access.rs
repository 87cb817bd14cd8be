//! Who may use a served workspace, and as what.
//!
//! The access file (TOML, owned by the daemon's user, not writable by others):
//!
//! ```toml
//! [users]
//! anna = "admin"
//! bjorn = "editor"
//!
//! [groups]
//! intl-office = "editor"
//! management = "viewer"
//! ```
//!
//! A user's own entry wins; otherwise the highest role of any group they are in. Anyone else is
//! refused. Without an access file, the daemon's own user is admin and members of the socket's group
//! are editors. The file is read again for every new connection, so edits apply at once to new
//! sessions.

use crate::service::{Refusal, Role};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RoleName {
    Admin,
    Editor,
    Viewer,
}

impl From<RoleName> for Role {
    fn from(r: RoleName) -> Role {
        match r {
            RoleName::Admin => Role::Admin,
            RoleName::Editor => Role::Editor,
            RoleName::Viewer => Role::Viewer,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessFile {
    #[serde(default)]
    users: BTreeMap<String, RoleName>,
    #[serde(default)]
    groups: BTreeMap<String, RoleName>,
}

/// How roles are decided.
#[derive(Debug, Clone)]
pub enum Policy {
    /// Roles from an access file.
    File(PathBuf),
    /// No access file: `owner` is admin, members of `group` are editors.
    Default {
        owner: String,
        group: Option<String>,
    },
}

/// The role of `user` (member of `groups`), or why they are refused.
pub fn resolve(policy: &Policy, user: &str, groups: &[String]) -> Result<Role, Refusal> {
    match policy {
        Policy::Default { owner, group } => {
            if user == owner {
                Ok(Role::Admin)
            } else if group
                .as_ref()
                .is_some_and(|g| groups.iter().any(|x| x == g))
            {
                Ok(Role::Editor)
            } else {
                Err(Refusal::NotInGroup {
                    user: user.to_string(),
                    owner: owner.clone(),
                    group: group.clone(),
                })
            }
        }
        Policy::File(path) => {
            let file = load(path)?;
            if let Some(r) = file.users.get(user) {
                return Ok((*r).into());
            }
            groups
                .iter()
                .filter_map(|g| file.groups.get(g))
                .map(|r| Role::from(*r))
                .max()
                .ok_or_else(|| Refusal::NoAccessEntry {
                    user: user.to_string(),
                    file: path.display().to_string(),
                })
        }
    }
}

fn load(path: &Path) -> Result<AccessFile, Refusal> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        tracing::warn!(%file, error = %e, "the access file cannot be read");
        Refusal::AccessFileUnreadable {
            file: file.clone(),
            kind: crate::service::IoKind::of(&e),
        }
    })?;
    toml::from_str(&text).map_err(|e| {
        tracing::warn!(%file, error = %e, "the access file is not valid");
        Refusal::AccessFileInvalid { file }
    })
}

/// Check an access file before serving: it parses, belongs to the daemon's user and is not
/// writable by group or others.
pub fn validate(path: &Path, lang: crate::i18n::Lang) -> Result<(), String> {
    use crate::i18n::messages::{ServeProblem as P, serve_problem};
    use std::os::unix::fs::MetadataExt;
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        let why = crate::i18n::reasons::io_error(lang, &e);
        format!("{}: {why}", serve_problem(lang, P::AccessUnreadable(&file)))
    })?;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        let user = crate::identity::user_name(me);
        return Err(serve_problem(
            lang,
            P::AccessOwner(&file, &user, meta.uid()),
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(serve_problem(
            lang,
            P::AccessWritable(&file, meta.mode() & 0o777),
        ));
    }
    load(path)
        .map(|_| ())
        .map_err(|r| crate::i18n::reasons::refusal_why(lang, &r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_entries_win_then_the_best_group() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("access.toml");
        std::fs::write(
            &p,
            "[users]\nanna = \"viewer\"\n[groups]\nstaff = \"editor\"\nboss = \"admin\"\n",
        )
        .unwrap();
        let policy = Policy::File(p);
        let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(resolve(&policy, "anna", &g(&["boss"])), Ok(Role::Viewer));
        assert_eq!(
            resolve(&policy, "bo", &g(&["staff", "boss"])),
            Ok(Role::Admin)
        );
        assert!(matches!(
            resolve(&policy, "eve", &g(&["users"])),
            Err(Refusal::NoAccessEntry { .. })
        ));
        let d = Policy::Default {
            owner: "spets".into(),
            group: Some("staff".into()),
        };
        assert_eq!(resolve(&d, "spets", &[]), Ok(Role::Admin));
        assert_eq!(resolve(&d, "bo", &g(&["staff"])), Ok(Role::Editor));
        assert!(resolve(&d, "eve", &[]).is_err());
    }
}
