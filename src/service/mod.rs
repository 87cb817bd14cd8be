//! The one service API. Every read and write of a workspace goes through [`Service::handle`]: the
//! embedded client calls it in-process, the daemon serves it over a socket, so both run the same
//! rules (validation, roles, conflict detection, audit, durability).
//!
//! The service keeps an in-memory model of what every screen needs at once (partners, agreements,
//! archived ids; scores and action items filled lazily) and updates it on each change, so queries
//! never rescan every tree per keystroke.
//!
//! Mutations are batched (group commit by a leader, see [`Service::handle`]): saves that arrive
//! together are committed one after the other by whichever caller found no batch running, made
//! durable by one disk flush, announced to subscribers as one burst, and only then answered with
//! [`Response::Saved`].

mod activities;
mod activity_queries;
pub mod answers;
pub mod api;
mod batch;
mod checkpoint;
mod failure;
mod first_screen;
mod import;
pub mod lifecycle;
mod model;
pub mod overview;
mod queries;
pub mod report;
mod save;
mod timeline;

pub use api::*;
pub use failure::{Failure, IoKind, Refusal};
pub use first_screen::{FIRST_SCREEN_ROWS, first_screen};
pub use import::{IMPORT_CHUNK_ROWS, IMPORTS_PER_USER};
pub use lifecycle::api::*;
pub use overview::{OVERVIEW_LINES, Overview, OverviewGroup, OverviewItem, OverviewLine};
pub use report::{GoalCounts, PartnerYear, Portfolio, PortfolioRow};

use crate::domain::{
    Activity, Agreement, Assessment, Contact, EntityKind, Evaluation, Goal, GoalLinks, Id, Note,
    Partner, PhaseChange, Record, Rhythm, Suitability, Timestamp,
};
use crate::store::{AuditAction, Store, StoreError, Stored};
use batch::WriteQueue;
use chrono::NaiveDate;
use model::Model;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, mpsc};

/// Converts between a concrete entity and the `Any*` enums of the API.
pub trait Kind: Stored {
    fn from_data(d: AnyData) -> Option<Self>;
    fn into_any(r: Record<Self>) -> AnyRecord;
    /// The partner data, when this is a partner.
    fn as_partner(&self) -> Option<&Partner> {
        None
    }
    /// Take a partner's goal lines out of it (see [`Partner::goals`]), with its coordinator:
    /// the service makes them goal records.
    fn take_goal_lines(&mut self) -> Option<(Vec<String>, String)> {
        None
    }
}

macro_rules! kind {
    ($ty:ident $(, $extra:item)*) => {
        impl Kind for $ty {
            $($extra)*
            fn from_data(d: AnyData) -> Option<Self> {
                match d {
                    AnyData::$ty(x) => Some(x),
                    _ => None,
                }
            }
            fn into_any(r: Record<Self>) -> AnyRecord {
                AnyRecord::$ty(r)
            }
        }
    };
}
kind!(
    Partner,
    fn as_partner(&self) -> Option<&Partner> {
        Some(self)
    },
    fn take_goal_lines(&mut self) -> Option<(Vec<String>, String)> {
        (!self.goals.is_empty())
            .then(|| (std::mem::take(&mut self.goals), self.coordinator.clone()))
    }
);
kind!(Agreement);
kind!(Contact);
kind!(Activity);
kind!(Assessment);
kind!(Note);
kind!(Goal);
kind!(GoalLinks);
kind!(PhaseChange);
kind!(Suitability);
kind!(Rhythm);
kind!(Evaluation);

/// Dispatch a generic function over the entity kind.
macro_rules! by_kind {
    ($kind:expr, $f:ident, $($arg:expr),*) => {
        match $kind {
            $crate::domain::EntityKind::Partner => $f::<$crate::domain::Partner>($($arg),*),
            $crate::domain::EntityKind::Agreement => $f::<$crate::domain::Agreement>($($arg),*),
            $crate::domain::EntityKind::Contact => $f::<$crate::domain::Contact>($($arg),*),
            $crate::domain::EntityKind::Activity => $f::<$crate::domain::Activity>($($arg),*),
            $crate::domain::EntityKind::Assessment => $f::<$crate::domain::Assessment>($($arg),*),
            $crate::domain::EntityKind::Note => $f::<$crate::domain::Note>($($arg),*),
            $crate::domain::EntityKind::Goal => $f::<$crate::domain::Goal>($($arg),*),
            $crate::domain::EntityKind::GoalLinks => $f::<$crate::domain::GoalLinks>($($arg),*),
            $crate::domain::EntityKind::PhaseChange => $f::<$crate::domain::PhaseChange>($($arg),*),
            $crate::domain::EntityKind::Suitability => $f::<$crate::domain::Suitability>($($arg),*),
            $crate::domain::EntityKind::Rhythm => $f::<$crate::domain::Rhythm>($($arg),*),
            $crate::domain::EntityKind::Evaluation => $f::<$crate::domain::Evaluation>($($arg),*),
        }
    };
}
pub(crate) use by_kind;

/// The service over one open store.
pub struct Service {
    store: Store,
    /// Held while anything writes to the store (a batch, a backup, the demo data, shutdown).
    write: Mutex<()>,
    /// Group commit: mutations queue here and one caller at a time commits the whole queue.
    queue: Mutex<WriteQueue>,
    /// True while [`Service::warm_up`] builds the activity table, so that a query needing it
    /// waits for that build instead of starting a second one.
    building: Mutex<bool>,
    built: std::sync::Condvar,
    /// Held while the life cycle's records are read without the model lock, so that a second
    /// request needing them waits for that read instead of starting its own (see
    /// [`Service::read_life`]). Never taken while the model lock is held.
    life_read: Mutex<()>,
    model: Mutex<Model>,
    subscribers: Mutex<Vec<mpsc::Sender<ChangeEvent>>>,
    /// False after a write failed until the store is open again and the model reloaded (see the
    /// `batch` module): meanwhile every request is answered with why.
    healthy: AtomicBool,
    /// When the store was last opened again (ms since the epoch), to try at most once a second.
    last_recovery: AtomicI64,
    /// Imports in progress, by session number.
    imports: Mutex<std::collections::HashMap<u64, import::Session>>,
    next_import: AtomicU64,
    /// The number of the last batch that announced its changes; batches announce in order.
    announced: Mutex<u64>,
    announced_changed: std::sync::Condvar,
    today: Option<NaiveDate>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("store", &self.store)
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves the data consistent (the store is transactional and the
    // model is rebuilt per change), so a poisoned lock is taken over.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Drop for Service {
    fn drop(&mut self) {
        self.checkpoint();
    }
}

impl Service {
    /// Load the in-memory model from the store (from its checkpoint when that is current).
    pub fn new(store: Store) -> Result<Service, StoreError> {
        let checkpoint = checkpoint::read(store.path());
        Self::with_checkpoint(store, checkpoint)
    }

    fn with_checkpoint(
        store: Store,
        checkpoint: Option<(checkpoint::Header, checkpoint::Parts)>,
    ) -> Result<Service, StoreError> {
        let model = match checkpoint {
            Some((head, parts)) if checkpoint::matches(&head, &store) => {
                Model::from_checkpoint(&store, parts)
            }
            _ => Model::load(&store)?,
        };
        Ok(Service {
            store,
            write: Mutex::new(()),
            queue: Mutex::new(WriteQueue::default()),
            building: Mutex::new(false),
            built: std::sync::Condvar::new(),
            life_read: Mutex::new(()),
            model: Mutex::new(model),
            subscribers: Mutex::new(Vec::new()),
            healthy: AtomicBool::new(true),
            last_recovery: AtomicI64::new(0),
            imports: Mutex::new(std::collections::HashMap::new()),
            next_import: AtomicU64::new(1),
            announced: Mutex::new(0),
            announced_changed: std::sync::Condvar::new(),
            today: None,
        })
    }

    /// Open the workspace in `dir` and load the service on it. The model's checkpoint is read on a
    /// second thread while sled opens the store (each takes tens of milliseconds on a large
    /// workspace), and used if it matches the store.
    pub fn open(dir: &std::path::Path) -> Result<Service, StoreError> {
        let (store, checkpoint) = std::thread::scope(|s| {
            let checkpoint = s.spawn(|| checkpoint::read(dir));
            let store = Store::open(dir);
            (store, checkpoint.join().ok().flatten())
        });
        Service::with_checkpoint(store?, checkpoint)
    }

    /// Leave a checkpoint of the model so the next open is quick (see the `checkpoint` module);
    /// called when the user leaves and when the service is dropped. Skipped (it is only a cache)
    /// while the background warm-up holds the model, so leaving never waits for it.
    pub fn checkpoint(&self) {
        let _w = lock(&self.write);
        if !self.healthy.load(Ordering::SeqCst) {
            return;
        }
        let langs = match self.model.try_lock() {
            Ok(mut m) => {
                m.write_checkpoint(&self.store);
                m.langs()
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                let mut m = p.into_inner();
                m.write_checkpoint(&self.store);
                m.langs()
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                tracing::info!("model busy; no checkpoint this time");
                return;
            }
        };
        self.write_first_screen(&langs);
    }

    /// Whether the model was loaded from a current checkpoint rather than from the records.
    pub fn model_from_checkpoint(&self) -> bool {
        lock(&self.model).checkpointed()
    }

    /// Fix "today" (tests and snapshots); by default it is the local date.
    pub fn with_today(mut self, today: NaiveDate) -> Service {
        self.today = Some(today);
        self
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Build the lazily loaded parts of the model (activity table, all scores, action items) so the
    /// first visit to the timeline, matrix or notes pane is fast. Call it from a background thread
    /// after the first screen is shown; queries meanwhile simply wait for the model lock.
    pub fn warm_up(&self) -> Result<(), StoreError> {
        let today = self.today();
        if !lock(&self.model).has_activities() {
            // The largest part is built without holding the model lock, so queries go on meanwhile.
            *lock(&self.building) = true;
            let installed = activities::Table::load(&self.store)
                .and_then(|table| lock(&self.model).install_activities(&self.store, table));
            *lock(&self.building) = false;
            self.built.notify_all();
            installed?;
        }
        // Every partner's scores: the pass over the assessments runs without the model's lock
        // (queries go on meanwhile, the Timeline's first among them), and its result is kept
        // unless an assessment changed while it ran.
        let (cached, epoch) = {
            let m = lock(&self.model);
            (m.all_scores_cached(), m.assessment_epoch())
        };
        if !cached {
            let latest = model::scores::scan(&self.store)?;
            let mut m = lock(&self.model);
            if m.assessment_epoch() == epoch {
                m.install_scores(latest);
            }
        }
        let mut m = lock(&self.model);
        m.ensure_all_scores(&self.store)?;
        m.actions(&self.store, today)?;
        Ok(())
    }

    /// The heap bytes of the in-memory activity table, or `None` before it is built (see
    /// [`Service::warm_up`]).
    pub fn activity_table_bytes(&self) -> Option<usize> {
        lock(&self.model)
            .activity_table()
            .map(activities::Table::heap_bytes)
    }

    /// Wait while the background warm-up builds the activity table.
    fn await_warm_up(&self) {
        let mut building = lock(&self.building);
        while *building {
            building = self.built.wait(building).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// written (the daemon calls this on SIGTERM, then exits).
    pub fn shutdown(&self) -> Result<(), StoreError> {
        let guard = lock(&self.write);
        self.store.flush()?;
        // The daemon stops right after this: wait for the model rather than skip the checkpoint.
        if self.healthy.load(Ordering::SeqCst) {
            lock(&self.model).write_checkpoint(&self.store);
        }
        std::mem::forget(guard);
        Ok(())
    }

    /// Record counts (O(1): the store keeps counters).
    pub fn stats(&self) -> Stats {
        Stats {
            partners: self.store.count(EntityKind::Partner),
            agreements: self.store.count(EntityKind::Agreement),
            contacts: self.store.count(EntityKind::Contact),
            activities: self.store.count(EntityKind::Activity),
            assessments: self.store.count(EntityKind::Assessment),
            notes: self.store.count(EntityKind::Note),
            audit_entries: self.store.audit_count(),
            damaged: self.store.damaged_count(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Receive a [`ChangeEvent`] after every durable change, from any user.
    pub fn subscribe(&self) -> mpsc::Receiver<ChangeEvent> {
        let (tx, rx) = mpsc::channel();
        lock(&self.subscribers).push(tx);
        rx
    }

    fn publish(&self, events: &[ChangeEvent]) {
        if events.is_empty() {
            return;
        }
        lock(&self.subscribers).retain(|s| events.iter().all(|e| s.send(e.clone()).is_ok()));
    }

    /// Run one request for `who`. Never panics on bad input; storage failures become
    /// [`Response::Failed`] with the store's reason ([`Failure`]).
    pub fn handle(&self, who: &Identity, req: Request) -> Response {
        if let Some(denied) = denied(who.role, &req) {
            return Response::Forbidden {
                denied,
                role: who.role,
            };
        }
        let result = self.ensure_store().and_then(|()| self.dispatch(who, req));
        match result {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "request failed");
                Response::Failed(Failure::from(&e))
            }
        }
    }

    fn dispatch(&self, who: &Identity, req: Request) -> Result<Response, StoreError> {
        if overview::needs_life(&req) {
            self.read_life()?;
        }
        if req.is_batched() {
            return self.write(who, req);
        }
        match req {
            Request::ImportBegin {
                kind,
                rows,
                valid_only,
            } => self.import_begin(who, kind, rows, valid_only),
            Request::ImportRows { session, rows } => self.import_rows(who, session, rows),
            Request::ImportCommit { session } => self.import_commit(who, session),
            Request::ImportAbort { session } => self.import_abort(who, session),
            Request::Backup => {
                let _w = lock(&self.write);
                crate::store::backup::snapshot(&self.store)
                    .map(|(bytes, _)| Response::Backup(bytes))
            }
            Request::LoadDemo => self.load_demo(who),
            Request::Check => {
                // From a snapshot: saves go on meanwhile.
                crate::store::check::check(&self.store).map(|r| Response::CheckReport {
                    counted: r.counted.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
                    findings: r.findings,
                })
            }
            Request::Repair => self.repair(who),
            req => self.query(req),
        }
    }

    /// Write a backup of the workspace to `w` as it is when this begins, while saves go on (admins
    /// only): the daemon streams it to the client as it is written.
    pub fn backup_to(&self, who: &Identity, w: &mut dyn std::io::Write) -> Response {
        if let Some(denied) = denied(who.role, &Request::Backup) {
            return Response::Forbidden {
                denied,
                role: who.role,
            };
        }
        if let Err(e) = self.ensure_store() {
            return Response::Failed(Failure::from(&e));
        }
        match crate::store::backup::write_to(&self.store, w) {
            Ok(s) => Response::BackupDone {
                entries: s.entries,
                bytes: s.bytes,
                checksum: s.checksum,
            },
            Err(e) => {
                tracing::error!(error = %e, "backup failed");
                Response::Failed(Failure::from(&e))
            }
        }
    }

    /// Audit a change of `user`'s access (the daemon calls it when a role changes on an open
    /// connection): durable before it returns.
    pub fn audit_access(&self, user: &str, label: &str) -> Result<(), StoreError> {
        let _w = lock(&self.write);
        crate::store::check::audit_as(
            &self.store,
            AuditAction::Access,
            user,
            EntityKind::Partner,
            Id(0),
            label.to_string(),
            crate::domain::FieldChange::bounded("role", "", label),
        )?;
        self.store.flush()
    }

    /// `spets check --repair` (see [`crate::store::check::repair`]); the model is reloaded after.
    fn repair(&self, who: &Identity) -> Result<Response, StoreError> {
        let _w = lock(&self.write);
        let generation = self.store.generation();
        let steps = crate::store::check::repair(&self.store, &who.user)
            .and_then(|steps| self.store.flush().map(|()| steps));
        let steps = match steps {
            Ok(s) => s,
            Err(e) => {
                drop(_w);
                if e.is_storage_failure() {
                    self.recover_from(generation);
                }
                return Err(e);
            }
        };
        if !steps.is_empty() {
            *lock(&self.model) = Model::load(&self.store)?;
            self.publish(&[self.reload_event(who)]);
        }
        Ok(Response::Repaired(steps))
    }

    /// Fill an empty workspace with the demo data.
    fn load_demo(&self, who: &Identity) -> Result<Response, StoreError> {
        let _w = lock(&self.write);
        let spec = crate::demo::DemoSpec::small(self.today(), &who.user);
        crate::demo::generate(&self.store, &spec, &who.user)?;
        *lock(&self.model) = Model::load(&self.store)?;
        self.publish(&[self.reload_event(who)]);
        Ok(Response::DemoLoaded(self.stats()))
    }

    /// An event that makes everyone's screens reload (many records changed at once).
    fn reload_event(&self, who: &Identity) -> ChangeEvent {
        ChangeEvent {
            seq: 0,
            kind: EntityKind::Partner,
            id: Id(0),
            version: 0,
            action: AuditAction::Import,
            user: who.user.clone(),
            at: Timestamp::now(),
        }
    }
}

/// Why `role` may not make `req`, if it may not.
fn denied(role: Role, req: &Request) -> Option<Denied> {
    if req.is_mutation() && role < Role::Editor {
        return Some(Denied::ReadOnly);
    }
    match req {
        Request::Purge { .. } if role < Role::Admin => Some(Denied::PurgeNeedsAdmin),
        Request::Audit(AuditQuery { record: None, .. }) if role < Role::Admin => {
            Some(Denied::AuditNeedsAdmin)
        }
        Request::Backup | Request::LoadDemo | Request::Repair if role < Role::Admin => {
            Some(Denied::AdminOnly)
        }
        _ => None,
    }
}
