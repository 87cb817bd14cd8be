//! Drafts: the input of an open form with unsaved changes, kept privately on disk so that it
//! survives a crash, a dropped SSH session, a kill or Ctrl-C, and is offered back the next time
//! the user starts spets on the same workspace. A draft lives until it is used or discarded.
//!
//! Drafts are the user's own: `$XDG_STATE_HOME/spets/drafts/` (mode 0700), one file per
//! workspace (mode 0600), never inside the shared workspace. They are written on a thread of
//! their own, newest state only, so the UI never waits on the disk.

use super::forms::{Form, FormKind};
use crate::i18n::catalogue::Msg;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// A kept form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// What the form edits.
    pub kind: FormKind,
    /// Every field's path and raw value.
    pub values: Vec<(String, String)>,
    /// When it was kept (local time, for the offer).
    pub saved_at: String,
}

impl Draft {
    /// The draft of a form.
    pub fn of(form: &Form) -> Draft {
        Draft {
            kind: form.kind().clone(),
            values: form.draft_values(),
            saved_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// The title of the form it restores.
    pub fn title(&self) -> Msg {
        Form::new(self.kind.clone(), []).title()
    }
}

/// Where a workspace's draft is kept.
pub fn draft_file(dir: &Path, workspace: &str) -> PathBuf {
    let h = crc32fast::hash(workspace.as_bytes());
    dir.join(format!("draft-{h:08x}.bin"))
}

/// The drafts folder of the user.
pub fn default_dir() -> PathBuf {
    crate::config::log_dir().join("drafts")
}

/// Read the draft kept for a workspace (None when there is none or it cannot be read).
pub fn load(file: &Path) -> Option<Draft> {
    let bytes = std::fs::read(file).ok()?;
    match bincode::serde::decode_from_slice::<Draft, _>(&bytes, CONFIG) {
        Ok((d, used)) if used == bytes.len() => Some(d),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(file = %file.display(), error = %e, "unreadable draft ignored");
            None
        }
    }
}

/// Drafts are small; a damaged length must not ask for more than this.
const CONFIG: bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<{ 1 << 22 }>,
> = bincode::config::standard().with_limit::<{ 1 << 22 }>();

enum Job {
    Keep(Box<Draft>),
    Drop,
    /// Answer once every job sent before this one is on disk.
    Sync(mpsc::Sender<()>),
}

/// The draft writer: keeps the newest draft of the open form on disk, off the UI thread.
pub struct Drafts {
    file: PathBuf,
    tx: mpsc::Sender<Job>,
}

impl Drafts {
    /// A writer for `file` (its folder is created owner-only on the first write). It first
    /// reads the draft kept there, if any, and sends it to the app.
    pub fn new(file: PathBuf, found: super::worker::EventTx) -> std::io::Result<Drafts> {
        let (tx, rx) = mpsc::channel::<Job>();
        let path = file.clone();
        std::thread::Builder::new()
            .name("spets-drafts".into())
            .spawn(move || {
                if let Some(d) = load(&path) {
                    let _ = found.send(super::worker::Event::Draft(Box::new(d)));
                }
                while let Ok(first) = rx.recv() {
                    // Only the newest state matters; a sync is answered once it is written.
                    let mut newest = None;
                    let mut waiting = Vec::new();
                    for job in std::iter::once(first).chain(rx.try_iter()) {
                        match job {
                            Job::Sync(done) => waiting.push(done),
                            other => newest = Some(other),
                        }
                    }
                    if let Some(job) = newest {
                        perform(&path, job);
                    }
                    for done in waiting {
                        let _ = done.send(());
                    }
                }
            })?;
        Ok(Drafts { file, tx })
    }

    /// The file drafts go to.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Keep this form's input.
    pub fn keep(&self, form: &Form) {
        let _ = self.tx.send(Job::Keep(Box::new(Draft::of(form))));
    }

    /// The draft was used, saved or discarded.
    pub fn drop_draft(&self) {
        let _ = self.tx.send(Job::Drop);
    }

    /// Wait (up to `within`) until everything kept so far is on disk: for an exit that does not
    /// wait for anything else, such as a dropped terminal. True when it is.
    pub fn sync(&self, within: std::time::Duration) -> bool {
        let (done, written) = mpsc::channel();
        self.tx.send(Job::Sync(done)).is_ok() && written.recv_timeout(within).is_ok()
    }
}

fn perform(path: &Path, job: Job) {
    let result = match job {
        Job::Keep(d) => write(path, &d),
        Job::Drop => match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        Job::Sync(_) => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!(file = %path.display(), error = %e, "draft not kept");
    }
}

fn write(path: &Path, d: &Draft) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let bytes = bincode::serde::encode_to_vec(d, CONFIG).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        crate::store::create_private_dir(dir).map_err(std::io::Error::other)?;
    }
    let tmp = path.with_extension("bin.tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(&bytes)?;
    f.sync_data()?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A sync returns once every draft kept before it is on disk: the exit on a dropped
    /// terminal relies on it.
    #[test]
    fn sync_waits_for_what_was_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = draft_file(&dir.path().join("drafts"), "/some/workspace");
        let (found, _events) = crate::ui::worker::channel().unwrap();
        let drafts = Drafts::new(file.clone(), found).unwrap();
        let form = Form::new(FormKind::Partner(None), []);
        for _ in 0..50 {
            drafts.keep(&form);
        }
        assert!(drafts.sync(std::time::Duration::from_secs(10)));
        assert_eq!(load(&file).map(|d| d.kind), Some(FormKind::Partner(None)));
        drafts.drop_draft();
        assert!(drafts.sync(std::time::Duration::from_secs(10)));
        assert!(!file.exists());
    }
}
