//! Opening a workspace, and opening it again after a failed write.
//!
//! sled stops writing after its first I/O error (a full disk, say) and keeps in memory whatever it
//! could not write, so readers would see changes that are not on disk. [`Store::reopen`] drops
//! those handles and opens the workspace again from what is on disk.
//!
//! sled's open itself writes (it zeroes the rest of its last log segment, up to half a MiB), so it
//! fails on a full disk. Each workspace therefore keeps [`RESERVE_BYTES`] in a file of its own,
//! `space.reserve`: when a write or an open fails for lack of space, the reserve is given back to
//! the disk and the open is tried again; the reserve is made anew once there is room.

use super::{
    Handles, Result, SCHEMA_KEY, SCHEMA_VERSION, Store, StoreError, TreeId, import, io_err,
};
use std::path::Path;
use std::sync::Arc;

/// Disk space kept in reserve in each workspace for opening it when the disk is full.
pub const RESERVE_BYTES: u64 = 4 << 20;
const RESERVE_FILE: &str = "space.reserve";

/// sled reports a workspace locked by another process as an `Other` I/O error about its lock.
fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Other && e.to_string().contains("could not acquire lock")
}

/// A full disk or a full quota.
fn is_out_of_space(e: &sled::Error) -> bool {
    let io = match e {
        sled::Error::Io(io) => io,
        _ => return false,
    };
    io.kind() == std::io::ErrorKind::StorageFull
        || io.kind() == std::io::ErrorKind::QuotaExceeded
        || io.raw_os_error() == Some(28)
        || io.to_string().contains("No space left")
}

/// Create `dir` (and parents) with mode 0700 if missing.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))
}

/// Make every file below `dir` owner-only (sled creates files with the process umask).
fn restrict(dir: &Path, file_mode: u32, dir_mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode))
        .map_err(io_err(dir))?;
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(io_err(&p))?;
        if ft.is_dir() {
            restrict(&p, file_mode, dir_mode)?;
        } else if ft.is_file() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(file_mode))
                .map_err(io_err(&p))?;
        }
    }
    Ok(())
}

/// Give the reserve's space back to the disk. True when there was a reserve.
fn release_reserve(dir: &Path) -> bool {
    let released = std::fs::remove_file(dir.join(RESERVE_FILE)).is_ok();
    if released {
        tracing::warn!(path = %dir.display(), "the disk is full: the space reserve was released");
    }
    released
}

/// Whether the reserve is missing (or short).
fn reserve_missing(dir: &Path) -> bool {
    !std::fs::metadata(dir.join(RESERVE_FILE)).is_ok_and(|m| m.len() >= RESERVE_BYTES)
}

/// Free bytes on the disk of `dir` (0 when unknown).
fn room(dir: &Path) -> u64 {
    rustix::fs::statvfs(dir)
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
        .unwrap_or(0)
}

/// Make the reserve if it is missing and the disk has room for it and as much again.
pub(super) fn ensure_reserve(dir: &Path, file_mode: u32) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(RESERVE_FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() >= RESERVE_BYTES) {
        return;
    }
    if room(dir) < 2 * RESERVE_BYTES {
        return;
    }
    let tmp = dir.join(format!(".{RESERVE_FILE}.tmp"));
    let made = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(file_mode)
            .open(&tmp)?;
        // Real blocks (zeros written, not a sparse file), so that removing it frees them.
        let chunk = vec![0u8; 64 << 10];
        let mut left = RESERVE_BYTES;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            f.write_all(&chunk[..n])?;
            left -= n as u64;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_file(&tmp);
        tracing::warn!(error = %e, "could not make the disk-space reserve");
    }
}

/// Move aside every blob file of sled's (large values, in `blobs/`) whose checksum does not match,
/// into `blobs-torn/`; returns how many. A write that failed half-way (a full disk) leaves such a
/// torn blob, and sled 0.34 refuses to open a workspace that has one, although the log entry
/// pointing to it was never confirmed. Moved, not deleted: the bytes stay for a rescue.
fn set_aside_torn_blobs(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir.join("blobs")) else {
        return 0;
    };
    let aside = dir.join("blobs-torn");
    let mut moved = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let intact = bytes
            .split_first_chunk::<4>()
            .is_some_and(|(crc, rest)| u32::from_le_bytes(*crc) == crc32fast::hash(rest));
        if intact {
            continue;
        }
        if create_private_dir(&aside).is_ok()
            && std::fs::rename(&path, aside.join(entry.file_name())).is_ok()
        {
            tracing::error!(blob = %path.display(), "a torn blob (from a write that failed) was moved to blobs-torn/");
            moved += 1;
        }
    }
    moved
}

/// Open sled in `dir`: retry a lock that a closing process still holds, on a full disk release the
/// reserve and try once more, and set aside torn blobs that a failed write left.
fn open_handles(dir: &Path) -> Result<Handles> {
    // No timed background flush: every write path flushes before it reports success, and an idle
    // daemon should not wake up twice a second.
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(super::CACHE_BYTES)
        .flush_every_ms(None);
    // sled releases its lock from a background thread after the last handle is dropped, so a
    // workspace closed a moment ago (a restarted daemon, a test) may still look locked: retry for
    // half a second before calling it in use.
    let mut attempts = 0;
    let mut released = false;
    let mut set_aside = false;
    let opened = loop {
        match config.open() {
            Err(sled::Error::Io(ref io)) if is_lock_error(io) && attempts < 20 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(ref e) if is_out_of_space(e) && !released && release_reserve(dir) => {
                released = true;
            }
            Err(sled::Error::Corruption { .. }) if !set_aside && set_aside_torn_blobs(dir) > 0 => {
                set_aside = true;
            }
            other => break other,
        }
    };
    let db = opened.map_err(|e| match e {
        sled::Error::Io(ref io) if is_lock_error(io) => StoreError::InUse {
            path: dir.to_path_buf(),
        },
        sled::Error::Io(io) => StoreError::Io {
            path: dir.to_path_buf(),
            source: io,
        },
        other => StoreError::Sled(other),
    })?;
    let trees = TreeId::ALL
        .iter()
        .map(|t| db.open_tree(t.name()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let log = std::fs::File::open(dir.join("db")).ok();
    Ok(Handles { db, trees, log })
}

impl Store {
    /// Open (or create) the workspace in `dir`, private to its owner.
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with_modes(dir, 0o600, 0o700)
    }

    /// Open with explicit permissions (the daemon opens a group-shared workspace with 0660/0770).
    pub fn open_with_modes(dir: &Path, file_mode: u32, dir_mode: u32) -> Result<Store> {
        create_private_dir(dir)?;
        let handles = open_handles(dir)?;
        let store = Store {
            handles: std::sync::RwLock::new(Some(Arc::new(handles))),
            path: dir.to_path_buf(),
            modes: (file_mode, dir_mode),
            generation: std::sync::atomic::AtomicU64::new(0),
            damaged: std::sync::Mutex::new(Default::default()),
            pending: std::sync::RwLock::new(Vec::new()),
            reserve_missing: std::sync::atomic::AtomicBool::new(false),
            snapshots: std::sync::Mutex::new(Vec::new()),
            snapshot_count: std::sync::atomic::AtomicUsize::new(0),
            last_write: Default::default(),
            gate: std::sync::RwLock::new(()),
        };
        // An import cut short is rolled back first, so that no migration step reads its records.
        import::roll_back_unfinished(&store)?;
        store.migrate()?;
        store.write_log()?;
        ensure_reserve(dir, file_mode);
        store
            .reserve_missing
            .store(reserve_missing(dir), std::sync::atomic::Ordering::Relaxed);
        restrict(dir, file_mode, dir_mode)?;
        tracing::info!(path = %dir.display(), "workspace opened");
        Ok(store)
    }

    /// Open the workspace again from what is on disk, after a failed write: sled refuses to write
    /// after an I/O error, and its memory may hold changes that never reached the disk. Those are
    /// gone afterwards (nothing was reported as saved before its flush). Waits up to two seconds
    /// for readers to let go of the old handles. While this runs, and if it fails, every use of
    /// the store fails with [`StoreError::Unavailable`]; call it again later.
    pub fn reopen(&self) -> Result<()> {
        let mut slot = self.handles.write().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = slot.take() {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
            let mut old = old;
            loop {
                match Arc::try_unwrap(old) {
                    Ok(h) => {
                        drop(h);
                        break;
                    }
                    Err(still) if std::time::Instant::now() < deadline => {
                        old = still;
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Err(still) => {
                        *slot = Some(still);
                        return Err(StoreError::Unavailable {
                            path: self.path.clone(),
                            why: "readers still hold the workspace".into(),
                        });
                    }
                }
            }
        }
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // A write failed, most likely for lack of space: give sled the reserve before it opens
        // (an open that fails half-way for lack of space can leave what the next one reads as
        // damage).
        if room(&self.path) < RESERVE_BYTES {
            release_reserve(&self.path);
        }
        self.reserve_missing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let handles = open_handles(&self.path).map_err(|e| {
            tracing::error!(error = %e, "the workspace could not be opened again");
            StoreError::Unavailable {
                path: self.path.clone(),
                why: e.to_string(),
            }
        })?;
        *slot = Some(Arc::new(handles));
        drop(slot);
        self.pending
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        import::roll_back_unfinished(self)?;
        self.write_log()?;
        tracing::warn!(path = %self.path.display(), "workspace opened again after a failed write");
        Ok(())
    }

    /// Make the disk-space reserve again if it was given away and there is room now (cheap when
    /// it is there: the service calls this after each durable batch).
    pub fn restore_reserve(&self) {
        use std::sync::atomic::Ordering;
        if self.reserve_missing.load(Ordering::Relaxed) {
            ensure_reserve(&self.path, self.modes.0);
            self.reserve_missing
                .store(reserve_missing(&self.path), Ordering::Relaxed);
        }
    }

    /// The schema version stored in the workspace.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        Ok(match self.default_tree()?.get(SCHEMA_KEY)? {
            Some(v) if v.len() == 4 => Some(u32::from_be_bytes([v[0], v[1], v[2], v[3]])),
            Some(v) => {
                return Err(StoreError::Invalid(format!(
                    "the schema-version key holds {} bytes, expected 4",
                    v.len()
                )));
            }
            None => None,
        })
    }

    fn is_empty(&self) -> Result<bool> {
        let h = self.handles()?;
        Ok(h.trees.iter().all(|t| t.is_empty()))
    }

    /// Bring the workspace to [`SCHEMA_VERSION`]. Each step upgrades one version, in order.
    fn migrate(&self) -> Result<()> {
        let default = self.default_tree()?;
        let found = match self.schema_version()? {
            Some(v) => v,
            None if self.is_empty()? => {
                default.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
                return Ok(());
            }
            None => {
                return Err(StoreError::Invalid(format!(
                    "{} holds data but no schema version: it is not a spets workspace, or it is damaged",
                    self.path.display()
                )));
            }
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let mut v = found;
        while v < SCHEMA_VERSION {
            // Records in old envelope versions are upgraded on read by `Stored::unwrap`; these
            // steps move data between records and build new indexes.
            tracing::info!(from = v, to = v + 1, "migrating workspace");
            if v == 1 {
                super::migrate::one_to_two(self, &crate::identity::current_user())?;
            }
            v += 1;
            default.insert(SCHEMA_KEY, &v.to_be_bytes())?;
        }
        Ok(())
    }
}
