//! Consistent reads without the write lock: `spets check` and backups read the workspace as it was
//! when they began, while saves go on.
//!
//! sled has no snapshots, so the store keeps what a snapshot needs: while one is open, every write
//! first records the value its key had (its pre-image) in the snapshot's overlay, once per key.
//! The snapshot reads the live trees and, for every key the overlay knows, returns the pre-image
//! instead; keys created since it began are left out, and keys deleted since are returned from the
//! overlay at the end of their tree. Writes take a read lock of the store's gate around the check
//! and the write; opening a snapshot takes the gate's write lock for a moment, so no write is half
//! way through when it begins.
//!
//! The overlay grows with what is written during the snapshot, never with the workspace; past
//! [`MAX_OVERLAY_BYTES`] the snapshot gives up with a clear error (try again when it is quieter).

use super::{Result, Store, StoreError, TreeId};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

/// The most a snapshot's overlay may hold.
pub const MAX_OVERLAY_BYTES: usize = 128 << 20;

/// A scan looks whether saves are going on every this many entries...
const GIVE_WAY_EVERY: u32 = 512;
/// ... and if one began within this time, pauses this long, so that its reads (which pull pages
/// through sled's cache and take a core) leave saves their latency. A scan under a steady stream
/// of saves takes longer; saves do not.
const RECENT: std::time::Duration = std::time::Duration::from_millis(5);
const PAUSE: std::time::Duration = std::time::Duration::from_millis(1);

/// When the last write began.
pub(super) struct LastWrite {
    born: std::time::Instant,
    /// Nanoseconds after `born`; 0 for never.
    at: std::sync::atomic::AtomicU64,
}

impl Default for LastWrite {
    fn default() -> Self {
        LastWrite {
            born: std::time::Instant::now(),
            at: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl LastWrite {
    fn now(&self) -> u64 {
        u64::try_from(self.born.elapsed().as_nanos())
            .unwrap_or(u64::MAX)
            .max(1)
    }
    fn note(&self) {
        self.at
            .store(self.now(), std::sync::atomic::Ordering::Relaxed);
    }
    fn recent(&self) -> bool {
        let at = self.at.load(std::sync::atomic::Ordering::Relaxed);
        at != 0 && self.now().saturating_sub(at) < RECENT.as_nanos() as u64
    }
}

/// Pre-images of the keys written since a snapshot began.
#[derive(Default)]
pub(super) struct Overlay {
    state: Mutex<OverlayState>,
}

#[derive(Default)]
struct OverlayState {
    /// (tree, key) → (the value before the snapshot's first write to it, already read by the
    /// snapshot's scan).
    pre: BTreeMap<(TreeId, Vec<u8>), (Option<sled::IVec>, bool)>,
    /// How far the scan has come: keys up to here were read.
    position: Option<(TreeId, Vec<u8>)>,
    bytes: usize,
    overflow: bool,
}

fn lock(m: &Mutex<OverlayState>) -> std::sync::MutexGuard<'_, OverlayState> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Overlay {
    /// Record the pre-image of `(t, key)` unless it is known already.
    fn capture<E>(
        &self,
        t: TreeId,
        key: &[u8],
        current: &mut dyn FnMut() -> std::result::Result<Option<sled::IVec>, E>,
    ) -> std::result::Result<(), E> {
        let mut s = lock(&self.state);
        if s.overflow || s.pre.contains_key(&(t, key.to_vec())) {
            return Ok(());
        }
        let value = current()?;
        s.bytes += key.len() + value.as_ref().map_or(0, |v| v.len()) + 64;
        if s.bytes > MAX_OVERLAY_BYTES {
            s.overflow = true;
            s.pre.clear();
            return Ok(());
        }
        // A key the scan has passed was read (and returned) before this write.
        let read = s
            .position
            .as_ref()
            .is_some_and(|p| (t, key) <= (p.0, p.1.as_slice()));
        s.pre.insert((t, key.to_vec()), (value, read));
        Ok(())
    }
}

impl Store {
    /// Record the pre-image of `(t, key)` in every open snapshot before it is written; `current`
    /// reads the value (only called when a snapshot is open). Call with the gate held
    /// ([`Store::gate`]).
    pub(super) fn capture<E>(
        &self,
        t: TreeId,
        key: &[u8],
        mut current: impl FnMut() -> std::result::Result<Option<sled::IVec>, E>,
    ) -> std::result::Result<(), E> {
        if self
            .snapshot_count
            .load(std::sync::atomic::Ordering::Acquire)
            == 0
        {
            return Ok(());
        }
        let open: Vec<Arc<Overlay>> = self
            .snapshots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for o in open {
            o.capture(t, key, &mut current)?;
        }
        Ok(())
    }

    /// The gate every write holds (shared) while it checks for snapshots and writes.
    pub(super) fn gate(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        self.last_write.note();
        self.gate.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Begin a consistent read of the whole workspace as it is now.
    pub fn snapshot(&self) -> Snapshot<'_> {
        let overlay = Arc::new(Overlay::default());
        {
            // No write is half way through while the snapshot begins.
            let _closed = self.gate.write().unwrap_or_else(|p| p.into_inner());
            self.snapshots
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Arc::clone(&overlay));
            self.snapshot_count
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        Snapshot {
            store: self,
            overlay,
            generation: self.generation(),
        }
    }
}

/// The workspace as it was when [`Store::snapshot`] was called.
pub struct Snapshot<'a> {
    store: &'a Store,
    overlay: Arc<Overlay>,
    generation: u64,
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        let mut open = self
            .store
            .snapshots
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        open.retain(|o| !Arc::ptr_eq(o, &self.overlay));
        self.store
            .snapshot_count
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl Snapshot<'_> {
    pub fn store(&self) -> &Store {
        self.store
    }

    /// Whether the snapshot still holds (not overflowed, the store not reopened).
    fn intact(&self, s: &OverlayState) -> Result<()> {
        if s.overflow {
            return Err(StoreError::Invalid(
                "the workspace changed too much while it was being read; try again when it is quieter"
                    .into(),
            ));
        }
        if self.store.generation() != self.generation {
            return Err(StoreError::Invalid(
                "the workspace was opened again while it was being read; try again".into(),
            ));
        }
        Ok(())
    }

    /// One value as of the snapshot.
    pub fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<sled::IVec>> {
        let live = self.store.tree(t)?.get(key)?;
        let s = lock(&self.overlay.state);
        self.intact(&s)?;
        Ok(match s.pre.get(&(t, key.to_vec())) {
            Some((pre, _)) => pre.clone(),
            None => live,
        })
    }

    /// Every entry of tree `t` as of the snapshot, until `each` breaks. Trees must be read in
    /// [`TreeId::ALL`] order, each at most once (the scan's position tells writes what it has
    /// read). Keys come in order, then those deleted since the snapshot began. The scan gives way
    /// to saves: while they go on, it pauses briefly every few hundred entries.
    pub fn for_each(
        &self,
        t: TreeId,
        mut each: impl FnMut(&[u8], &[u8]) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let mut since_look = 0u32;
        for kv in self.store.tree(t)?.iter() {
            since_look += 1;
            if since_look == GIVE_WAY_EVERY {
                since_look = 0;
                if self.store.last_write.recent() {
                    std::thread::sleep(PAUSE);
                }
            }
            let (k, live) = kv?;
            let value = {
                let mut s = lock(&self.overlay.state);
                self.intact(&s)?;
                s.position = Some((t, k.to_vec()));
                match s.pre.get_mut(&(t, k.to_vec())) {
                    Some((pre, read)) => {
                        *read = true;
                        pre.clone()
                    }
                    None => Some(live),
                }
            };
            if let Some(v) = value
                && each(&k, &v)?.is_break()
            {
                return Ok(());
            }
        }
        // Deleted while the scan ran, before it reached them.
        let gone: Vec<(Vec<u8>, sled::IVec)> = {
            let mut s = lock(&self.overlay.state);
            self.intact(&s)?;
            s.position = Some((t, vec![0xff; 64]));
            s.pre
                .range((t, Vec::new())..)
                .take_while(|((tt, _), _)| *tt == t)
                .filter_map(|((_, k), (pre, read))| match (pre, read) {
                    (Some(v), false) => Some((k.clone(), v.clone())),
                    _ => None,
                })
                .collect()
        };
        for (k, v) in gone {
            if each(&k, &v)?.is_break() {
                return Ok(());
            }
        }
        Ok(())
    }
}
