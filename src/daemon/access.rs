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
//! are editors.
//!
//! Roles follow the file on every request (checked at most every [`RECHECK`]): the file is opened
//! without following symlinks, and its owner and mode and those of its directory are checked on
//! the open file (fstat), so a swapped link or a file made writable after the start changes nothing.
//! A file that fails a check, or does not parse, leaves the last good configuration in force; the
//! log says so once.

use crate::service::Role;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often the file (or the groups, without a file) is looked at again.
pub const RECHECK: Duration = Duration::from_millis(250);
/// The largest access file read.
const MAX_FILE: u64 = 1 << 20;

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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessFile {
    #[serde(default)]
    users: BTreeMap<String, RoleName>,
    #[serde(default)]
    groups: BTreeMap<String, RoleName>,
}

/// Why the access file is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// It cannot be opened (a symlink is not followed) or read.
    Unreadable {
        file: String,
        kind: crate::service::IoKind,
    },
    /// It is not a regular file.
    NotRegular { file: String },
    /// It belongs to another user than the daemon's (or root).
    Owner { file: String, uid: u32 },
    /// Others may write it.
    Writable { file: String, mode: u32 },
    /// Its directory belongs to someone else, or others may write it.
    Directory { dir: String, mode: u32 },
    /// It does not parse.
    Invalid { file: String },
}

impl Fault {
    /// The fault in `lang`, saying how to fix it.
    pub fn words(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        use crate::i18n::messages::{ServeProblem as P, serve_problem};
        let me = crate::identity::user_name(rustix::process::geteuid().as_raw());
        match (self, lang) {
            (Fault::Unreadable { file, kind }, _) => format!(
                "{}: {}",
                serve_problem(lang, P::AccessUnreadable(file)),
                crate::i18n::reasons::io(lang, *kind)
            ),
            (Fault::Owner { file, uid }, _) => serve_problem(lang, P::AccessOwner(file, &me, *uid)),
            (Fault::Writable { file, mode }, _) => {
                serve_problem(lang, P::AccessWritable(file, *mode))
            }
            (Fault::NotRegular { file }, Lang::En) => {
                format!("the access file {file} is not a regular file (a symlink is not followed)")
            }
            (Fault::NotRegular { file }, Lang::Sv) => {
                format!(
                    "behörighetsfilen {file} är ingen vanlig fil (en symbolisk länk följs inte)"
                )
            }
            (Fault::Directory { dir, mode }, Lang::En) => format!(
                "the directory {dir} of the access file must belong to the daemon's user or root and not be writable by others (mode {mode:o}): fix it with chown and chmod go-w"
            ),
            (Fault::Directory { dir, mode }, Lang::Sv) => format!(
                "katalogen {dir} med behörighetsfilen måste tillhöra demonens användare eller root och får inte vara skrivbar för andra (läge {mode:o}): rätta med chown och chmod go-w"
            ),
            (Fault::Invalid { file }, _) => crate::i18n::reasons::refusal_why(
                lang,
                &crate::service::Refusal::AccessFileInvalid { file: file.clone() },
            ),
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(crate::i18n::Lang::En))
    }
}

/// Why a user has no role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoRole {
    /// Not in the access file (neither the user nor any of their groups).
    NotInFile { file: PathBuf },
    /// Without an access file: not the daemon's user and not in the socket's group.
    NotInGroup { group: Option<String> },
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

/// What makes a file the same file as last time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    mtime: i64,
    mtime_nsec: i64,
    size: i64,
}

/// The access policy in force, re-read when the file changes.
#[derive(Debug)]
pub struct Access {
    policy: Policy,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The last configuration that passed every check.
    good: Option<AccessFile>,
    stamp: Option<Stamp>,
    checked: Option<Instant>,
    /// The last fault of the file, logged once.
    complaint: Option<Fault>,
}

impl Access {
    /// The policy, with the access file checked and read now (an error if it fails: a daemon does
    /// not start on a bad file).
    pub fn new(policy: Policy) -> Result<Access, Fault> {
        let (good, stamp) = match &policy {
            Policy::File(p) => {
                let (file, stamp) = read_checked(p)?;
                (Some(file), Some(stamp))
            }
            Policy::Default { .. } => (None, None),
        };
        Ok(Access {
            policy,
            state: Mutex::new(State {
                good,
                stamp,
                checked: Some(Instant::now()),
                complaint: None,
            }),
        })
    }

    /// The access file, if there is one.
    pub fn file(&self) -> Option<&Path> {
        match &self.policy {
            Policy::File(p) => Some(p),
            Policy::Default { .. } => None,
        }
    }

    /// The group whose members may connect without an access file.
    pub fn group(&self) -> Option<&str> {
        match &self.policy {
            Policy::Default { group, .. } => group.as_deref(),
            Policy::File(_) => None,
        }
    }

    /// Look at the access file again if it is time (or at once when `now`), keeping the last good
    /// configuration when the file fails a check.
    fn refresh(&self, now: bool) {
        let Policy::File(path) = &self.policy else {
            return;
        };
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !now && s.checked.is_some_and(|t| t.elapsed() < RECHECK) {
            return;
        }
        s.checked = Some(Instant::now());
        match stamp_checked(path) {
            Ok(stamp) if Some(stamp) == s.stamp => {}
            Ok(_) | Err(_) => match read_checked(path) {
                Ok((file, stamp)) => {
                    if s.complaint.take().is_some() {
                        tracing::info!(file = %path.display(), "the access file is good again");
                    }
                    tracing::info!(file = %path.display(), "access file read");
                    s.good = Some(file);
                    s.stamp = Some(stamp);
                }
                Err(why) => {
                    if s.complaint.as_ref() != Some(&why) {
                        tracing::error!(file = %path.display(), error = %why, "the access file is not used; the last good configuration stays in force");
                        s.complaint = Some(why);
                    }
                }
            },
        }
    }

    /// The role of `user` (member of `groups`), or why they have none, from the file as it was at
    /// most [`RECHECK`] ago (for each request on an open connection).
    pub fn role(&self, user: &str, groups: &[String]) -> Result<Role, NoRole> {
        self.refresh(false);
        self.resolve(user, groups)
    }

    /// [`Access::role`] from the file as it is now (for a new connection).
    pub fn role_now(&self, user: &str, groups: &[String]) -> Result<Role, NoRole> {
        self.refresh(true);
        self.resolve(user, groups)
    }

    fn resolve(&self, user: &str, groups: &[String]) -> Result<Role, NoRole> {
        match &self.policy {
            Policy::Default { owner, group } => {
                if user == owner {
                    Ok(Role::Admin)
                } else if group
                    .as_ref()
                    .is_some_and(|g| groups.iter().any(|x| x == g))
                {
                    Ok(Role::Editor)
                } else {
                    Err(NoRole::NotInGroup {
                        group: group.clone(),
                    })
                }
            }
            Policy::File(path) => {
                let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let none = || NoRole::NotInFile { file: path.clone() };
                let Some(file) = &s.good else {
                    return Err(none());
                };
                if let Some(r) = file.users.get(user) {
                    return Ok((*r).into());
                }
                groups
                    .iter()
                    .filter_map(|g| file.groups.get(g))
                    .map(|r| Role::from(*r))
                    .max()
                    .ok_or_else(none)
            }
        }
    }
}

/// The file's identity, opened without following a link and checked ([`check_open`]).
fn stamp_checked(path: &Path) -> Result<Stamp, Fault> {
    let (fd, stat) = open_checked(path)?;
    drop(fd);
    Ok(stamp_of(&stat))
}

fn stamp_of(st: &rustix::fs::Stat) -> Stamp {
    Stamp {
        dev: st.st_dev,
        ino: st.st_ino,
        mtime: st.st_mtime,
        mtime_nsec: st.st_mtime_nsec as i64,
        size: st.st_size,
    }
}

/// Open the access file without following symlinks and check it and its directory on the open
/// descriptors: a regular file, owned by the daemon's user (or root), not writable by group or
/// others; its directory the same.
fn open_checked(path: &Path) -> Result<(rustix::fd::OwnedFd, rustix::fs::Stat), Fault> {
    use rustix::fs::{Mode, OFlags};
    let file = path.display().to_string();
    let io = |e: rustix::io::Errno| Fault::Unreadable {
        file: file.clone(),
        kind: crate::service::IoKind::of(&std::io::Error::from(e)),
    };
    let me = rustix::process::geteuid().as_raw();
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY,
        Mode::empty(),
    )
    .map_err(|e| match e {
        // O_NOFOLLOW on a symlink.
        rustix::io::Errno::LOOP => Fault::NotRegular { file: file.clone() },
        e => io(e),
    })?;
    let st = rustix::fs::fstat(&fd).map_err(io)?;
    if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::RegularFile {
        return Err(Fault::NotRegular { file });
    }
    if st.st_uid != me && st.st_uid != 0 {
        return Err(Fault::Owner {
            file,
            uid: st.st_uid,
        });
    }
    if st.st_mode & 0o022 != 0 {
        return Err(Fault::Writable {
            file,
            mode: st.st_mode & 0o777,
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dfd = rustix::fs::open(
        &dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io)?;
    let dst = rustix::fs::fstat(&dfd).map_err(io)?;
    if (dst.st_uid != me && dst.st_uid != 0) || dst.st_mode & 0o022 != 0 {
        return Err(Fault::Directory {
            dir: dir.display().to_string(),
            mode: dst.st_mode & 0o777,
        });
    }
    Ok((fd, st))
}

/// Open, check and parse the access file.
fn read_checked(path: &Path) -> Result<(AccessFile, Stamp), Fault> {
    use std::io::Read;
    let (fd, st) = open_checked(path)?;
    let file = path.display().to_string();
    let mut text = String::new();
    std::fs::File::from(fd)
        .take(MAX_FILE)
        .read_to_string(&mut text)
        .map_err(|e| Fault::Unreadable {
            file: file.clone(),
            kind: crate::service::IoKind::of(&e),
        })?;
    let parsed = toml::from_str(&text).map_err(|e| {
        tracing::warn!(%file, error = %e, "the access file is not valid");
        Fault::Invalid { file }
    })?;
    Ok((parsed, stamp_of(&st)))
}

/// Check an access file before serving: it passes every check and parses.
pub fn validate(path: &Path) -> Result<(), Fault> {
    read_checked(path).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn file(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("access.toml");
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        p
    }

    fn g(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn user_entries_win_then_the_best_group() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(
            dir.path(),
            "[users]\nanna = \"viewer\"\n[groups]\nstaff = \"editor\"\nboss = \"admin\"\n",
        );
        let a = Access::new(Policy::File(p)).unwrap();
        assert_eq!(a.role("anna", &g(&["boss"])), Ok(Role::Viewer));
        assert_eq!(a.role("bo", &g(&["staff", "boss"])), Ok(Role::Admin));
        assert!(matches!(
            a.role("eve", &g(&["users"])),
            Err(NoRole::NotInFile { .. })
        ));
        let d = Access::new(Policy::Default {
            owner: "spets".into(),
            group: Some("staff".into()),
        })
        .unwrap();
        assert_eq!(d.role("spets", &[]), Ok(Role::Admin));
        assert_eq!(d.role("bo", &g(&["staff"])), Ok(Role::Editor));
        assert!(d.role("eve", &[]).is_err());
    }

    #[test]
    fn a_file_that_fails_a_check_later_leaves_the_last_good_one_in_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = file(dir.path(), "[users]\nbo = \"editor\"\n");
        let a = Access::new(Policy::File(p.clone())).unwrap();
        assert_eq!(a.role("bo", &[]), Ok(Role::Editor));
        // Made writable by others, then rewritten to make bo an admin: ignored.
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
        std::fs::write(&p, "[users]\nbo = \"admin\"\n").unwrap();
        a.state.lock().unwrap().checked = None;
        assert_eq!(a.role("bo", &[]), Ok(Role::Editor));
        // Replaced by a symlink to a file that says admin: not followed.
        let other = dir.path().join("other.toml");
        std::fs::write(&other, "[users]\nbo = \"admin\"\n").unwrap();
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink(&other, &p).unwrap();
        a.state.lock().unwrap().checked = None;
        assert_eq!(a.role("bo", &[]), Ok(Role::Editor));
        // A good edit applies.
        std::fs::remove_file(&p).unwrap();
        file(dir.path(), "[users]\nbo = \"viewer\"\n");
        a.state.lock().unwrap().checked = None;
        assert_eq!(a.role("bo", &[]), Ok(Role::Viewer));
    }
}
