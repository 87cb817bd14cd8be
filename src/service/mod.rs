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
pub mod api;
mod checkpoint;
mod model;
mod queries;

pub use api::*;

use crate::domain::{
    Activity, Agreement, Assessment, Contact, EntityKind, FieldChange, FieldError, Id, Meta, Note,
    Partner, Record, Rule, Timestamp,
};
use crate::store::{AuditAction, Change, Reject, Store, StoreError, Stored};
use chrono::NaiveDate;
use model::Model;
use std::sync::{Mutex, MutexGuard, mpsc};

/// A mutation waiting for the next batch.
struct Queued {
    who: Identity,
    req: Request,
    turn: mpsc::Sender<Turn>,
}

/// What a waiting caller is told.
enum Turn {
    /// The mutation was committed and flushed (or refused): here is its answer.
    Done(Box<Result<Response, StoreError>>),
    /// The batch before finished and this caller's mutation is next in line: run the next batch.
    Lead,
}

/// Saves of one batch committed as one transaction: their writes, and the model updates that follow
/// once the transaction is written.
#[derive(Default)]
struct Staging {
    staged: crate::store::Staged,
    updates: Vec<ModelUpdate>,
}

/// A mutation's outcome inside a batch: the answer and the event to announce once it is durable.
type Answer = Result<(Response, Option<ChangeEvent>), StoreError>;

type ModelUpdate = Box<dyn FnOnce(&mut Model, &Store, NaiveDate) -> Result<(), StoreError>>;

impl Request {
    /// Creates and updates of anything but partners can share a transaction: they never change
    /// what the checks of the others look at (partners and their archived flags).
    fn stageable(&self) -> bool {
        match self {
            Request::Create(d) | Request::Update { data: d, .. } => {
                !matches!(d, AnyData::Partner(_))
            }
            _ => false,
        }
    }
}

/// Mutations waiting for a batch, and whether one is running.
#[derive(Default)]
struct WriteQueue {
    waiting: Vec<Queued>,
    running: bool,
    /// Batches started so far (a batch's number orders its announcements).
    started: u64,
}

/// Converts between a concrete entity and the `Any*` enums of the API.
pub trait Kind: Stored {
    fn from_data(d: AnyData) -> Option<Self>;
    fn into_any(r: Record<Self>) -> AnyRecord;
    /// The partner data, when this is a partner.
    fn as_partner(&self) -> Option<&Partner> {
        None
    }
}

macro_rules! kind {
    ($ty:ident $(, $extra:item)?) => {
        impl Kind for $ty {
            $($extra)?
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
    }
);
kind!(Agreement);
kind!(Contact);
kind!(Activity);
kind!(Assessment);
kind!(Note);

/// Dispatch a generic function over the entity kind.
macro_rules! by_kind {
    ($kind:expr, $f:ident, $($arg:expr),*) => {
        match $kind {
            EntityKind::Partner => $f::<Partner>($($arg),*),
            EntityKind::Agreement => $f::<Agreement>($($arg),*),
            EntityKind::Contact => $f::<Contact>($($arg),*),
            EntityKind::Activity => $f::<Activity>($($arg),*),
            EntityKind::Assessment => $f::<Assessment>($($arg),*),
            EntityKind::Note => $f::<Note>($($arg),*),
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
    model: Mutex<Model>,
    subscribers: Mutex<Vec<mpsc::Sender<ChangeEvent>>>,
    /// Events of batches whose flush failed, in commit order: the next durable batch announces
    /// them first (their changes are in the store and reach the disk with it).
    unannounced: Mutex<Vec<ChangeEvent>>,
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
            model: Mutex::new(model),
            subscribers: Mutex::new(Vec::new()),
            unannounced: Mutex::new(Vec::new()),
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
        match self.model.try_lock() {
            Ok(mut m) => m.write_checkpoint(&self.store),
            Err(std::sync::TryLockError::Poisoned(p)) => {
                p.into_inner().write_checkpoint(&self.store)
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                tracing::info!("model busy; no checkpoint this time");
            }
        }
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
        let mut m = lock(&self.model);
        m.ensure_all_scores(&self.store)?;
        m.actions(&self.store, today)?;
        Ok(())
    }

    /// Wait while the background warm-up builds the activity table.
    fn await_warm_up(&self) {
        let mut building = lock(&self.building);
        while *building {
            building = self.built.wait(building).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Queue a mutation and return its answer once it is durable (or refused).
    ///
    /// Group commit by a leader: whoever queues a mutation while no batch is running leads the next
    /// one. A batch commits every queued mutation in arrival order, flushes once, announces the
    /// changes, answers every caller in it, and hands the lead to the first caller that queued
    /// meanwhile. So fifty staff saving at once cost one flush, not fifty, and nobody waits on a
    /// lock convoy.
    fn write(&self, who: &Identity, req: Request) -> Result<Response, StoreError> {
        let (turn, mine) = mpsc::channel();
        let lead = {
            let mut q = lock(&self.queue);
            q.waiting.push(Queued {
                who: who.clone(),
                req,
                turn,
            });
            !std::mem::replace(&mut q.running, true)
        };
        if lead {
            self.run_batch();
        }
        loop {
            match mine.recv() {
                Ok(Turn::Done(answer)) => return *answer,
                Ok(Turn::Lead) => self.run_batch(),
                Err(_) => {
                    return Err(StoreError::Invalid(
                        "the save was lost inside the service; check the record and save again"
                            .into(),
                    ));
                }
            }
        }
    }

    /// Commit, flush and answer everything queued, then pass the lead on (or stop).
    ///
    /// Consecutive stageable saves ([`Request::stageable`]) are committed as one transaction; any
    /// other mutation first writes what is staged, then commits on its own. Either way every
    /// change is in the store, in arrival order, before the one flush.
    fn run_batch(&self) {
        let (batch, number) = {
            let mut q = lock(&self.queue);
            q.started += 1;
            (std::mem::take(&mut q.waiting), q.started)
        };
        let mut answers: Vec<(mpsc::Sender<Turn>, Answer)> = Vec::with_capacity(batch.len());
        // The answers (by index) whose writes are in `staging`.
        let mut staged_answers: Vec<usize> = Vec::new();
        let mut staging: Option<Staging> = None;
        let panicked = || {
            Err(StoreError::Invalid(
                "the service failed on this change (a bug: see the log); nothing was saved".into(),
            ))
        };
        {
            let _w = lock(&self.write);
            for Queued { who, req, turn } in batch {
                let answer = if req.stageable() {
                    let st = staging.get_or_insert_with(Staging::default);
                    let (mark, updates) = (st.staged.mark(), st.updates.len());
                    // A bug in one mutation must not strand the callers queued behind it, nor
                    // leave half a change in the batch.
                    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.mutate_staged(&who, req, st)
                    }))
                    .unwrap_or_else(|_| panicked());
                    if !matches!(answer, Ok((_, Some(_)))) {
                        st.staged.rollback(mark);
                        st.updates.truncate(updates);
                    } else {
                        staged_answers.push(answers.len());
                    }
                    answer
                } else {
                    self.write_staged(staging.take(), &mut staged_answers, &mut answers);
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.mutate(&who, req)
                    }))
                    .unwrap_or_else(|_| panicked())
                };
                answers.push((turn, answer));
            }
            self.write_staged(staging.take(), &mut staged_answers, &mut answers);
        }
        // In commit order: what the flush below makes durable is announced after it.
        let mut events = Vec::new();
        for (_, answer) in &mut answers {
            if let Ok((_, event)) = answer
                && let Some(e) = event.take()
            {
                events.push(e);
            }
        }
        let changed = !events.is_empty();
        // sled writes its log; then the next batch may commit while this one waits for the disk.
        let written = if changed {
            self.store.write_log()
        } else {
            Ok(())
        };
        self.pass_lead();
        // Durable before it is reported or announced.
        let flushed = written
            .and_then(|_| {
                if changed {
                    self.store.sync_log()
                } else {
                    Ok(())
                }
            })
            .map_err(|e| e.to_string());
        // Batches announce in the order they committed.
        {
            let mut announced = lock(&self.announced);
            while *announced + 1 < number {
                announced = self
                    .announced_changed
                    .wait(announced)
                    .unwrap_or_else(|p| p.into_inner());
            }
            let mut carried = lock(&self.unannounced);
            carried.extend(events);
            if flushed.is_ok() {
                let ready = std::mem::take(&mut *carried);
                drop(carried);
                self.publish(&ready);
            }
            *announced = number;
            self.announced_changed.notify_all();
        }
        for (turn, answer) in answers {
            let answer = match (answer, &flushed) {
                (Ok((Response::Saved { .. }, _)), Err(e)) => Err(StoreError::Invalid(format!(
                    "the change could not be written to disk: {e}"
                ))),
                (Ok((response, _)), _) => Ok(response),
                (Err(e), _) => Err(e),
            };
            let _ = turn.send(Turn::Done(Box::new(answer)));
        }
    }

    /// Hand the lead to the first caller that queued during this batch, or stop.
    fn pass_lead(&self) {
        let mut q = lock(&self.queue);
        while !q.waiting.is_empty() {
            // Its caller is waiting for an answer; it runs the next batch instead.
            if q.waiting[0].turn.send(Turn::Lead).is_ok() {
                return;
            }
            // Its caller is gone (it cannot be, while it waits); drop the request rather than
            // strand the ones behind it.
            q.waiting.remove(0);
        }
        q.running = false;
    }

    /// Write what `staging` holds in one transaction and bring the model up to date; if the write
    /// fails, every staged answer becomes that failure (nothing of theirs was written).
    fn write_staged(
        &self,
        staging: Option<Staging>,
        staged_answers: &mut Vec<usize>,
        answers: &mut [(mpsc::Sender<Turn>, Answer)],
    ) {
        let Some(Staging { staged, updates }) = staging else {
            return;
        };
        let idx = std::mem::take(staged_answers);
        match self.store.apply_staged(staged) {
            Ok(()) => {
                let today = self.today();
                let mut m = lock(&self.model);
                for (update, i) in updates.into_iter().zip(idx) {
                    if let Err(e) = update(&mut m, &self.store, today) {
                        tracing::error!(error = %e, "the model could not follow a saved change");
                        if let Some((_, a)) = answers.get_mut(i) {
                            *a = Err(e);
                        }
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "a batch of saves could not be written");
                let msg = e.to_string();
                for i in idx {
                    if let Some((_, a)) = answers.get_mut(i) {
                        *a = Err(StoreError::Invalid(format!(
                            "the change could not be written: {msg}"
                        )));
                    }
                }
            }
        }
    }

    /// Wait for the write in progress, flush, and keep the write lock so that nothing else is
    /// written (the daemon calls this on SIGTERM, then exits).
    pub fn shutdown(&self) -> Result<(), StoreError> {
        let guard = lock(&self.write);
        self.store.flush()?;
        // The daemon stops right after this: wait for the model rather than skip the checkpoint.
        lock(&self.model).write_checkpoint(&self.store);
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
    /// [`Response::Failed`] with the store's message.
    pub fn handle(&self, who: &Identity, req: Request) -> Response {
        if req.is_mutation() {
            if who.role < Role::Editor {
                return Response::Forbidden {
                    denied: Denied::ReadOnly,
                    role: who.role,
                };
            }
            if matches!(req, Request::Purge { .. }) && who.role < Role::Admin {
                return Response::Forbidden {
                    denied: Denied::PurgeNeedsAdmin,
                    role: who.role,
                };
            }
        }
        if let Request::Audit(AuditQuery { record: None, .. }) = req
            && who.role < Role::Admin
        {
            return Response::Forbidden {
                denied: Denied::AuditNeedsAdmin,
                role: who.role,
            };
        }
        let result = if req.is_mutation() {
            self.write(who, req)
        } else {
            match req {
                Request::Backup => {
                    if who.role < Role::Admin {
                        return Response::Forbidden {
                            denied: Denied::AdminOnly,
                            role: who.role,
                        };
                    }
                    let _w = lock(&self.write);
                    crate::store::backup::snapshot(&self.store)
                        .map(|(bytes, _)| Response::Backup(bytes))
                }
                Request::LoadDemo => {
                    if who.role < Role::Admin {
                        return Response::Forbidden {
                            denied: Denied::AdminOnly,
                            role: who.role,
                        };
                    }
                    let _w = lock(&self.write);
                    let spec = crate::demo::DemoSpec::small(self.today(), &who.user);
                    crate::demo::generate(&self.store, &spec, &who.user)
                        .and_then(|_| Model::load(&self.store))
                        .map(|model| {
                            *lock(&self.model) = model;
                            // Everyone's screens refresh.
                            self.publish(&[ChangeEvent {
                                seq: 0,
                                kind: EntityKind::Partner,
                                id: Id(0),
                                version: 0,
                                action: AuditAction::Import,
                                user: who.user.clone(),
                                at: Timestamp::now(),
                            }]);
                            Response::DemoLoaded(self.stats())
                        })
                }
                Request::Check => {
                    let _w = lock(&self.write);
                    crate::store::check::check(&self.store).map(|r| Response::CheckReport {
                        counted: r.counted.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
                        problems: r.problems,
                    })
                }
                req => self.query(req),
            }
        };
        match result {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "request failed");
                Response::Failed(e.to_string())
            }
        }
    }

    /// A stageable mutation ([`Request::stageable`]) into `st`.
    fn mutate_staged(
        &self,
        who: &Identity,
        req: Request,
        st: &mut Staging,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let (target, data) = match req {
            Request::Create(data) => (None, data),
            Request::Update {
                id,
                expected_version,
                data,
            } => (Some((id, expected_version)), data),
            _ => return Ok((Response::Failed("not a stageable mutation".into()), None)),
        };
        self.save_any(who, target, data, Some(st))
    }

    fn mutate(
        &self,
        who: &Identity,
        req: Request,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match req {
            Request::Create(data) => self.save_any(who, None, data, None),
            Request::Update {
                id,
                expected_version,
                data,
            } => self.save_any(who, Some((id, expected_version)), data, None),
            Request::Archive {
                kind,
                id,
                expected_version,
            } => by_kind!(
                kind,
                set_archived_dyn,
                self,
                who,
                id,
                expected_version,
                true
            ),
            Request::Restore {
                kind,
                id,
                expected_version,
            } => by_kind!(
                kind,
                set_archived_dyn,
                self,
                who,
                id,
                expected_version,
                false
            ),
            Request::Purge { kind, id } => by_kind!(kind, purge_dyn, self, who, id),
            _ => Ok((Response::Failed("not a mutation".into()), None)),
        }
    }

    /// Checks that need other records: referenced partners exist, partner names are unique per
    /// country.
    fn cross_check<T: Kind>(&self, data: &T, own: Option<Id>) -> Vec<FieldError> {
        let model = lock(&self.model);
        let mut errs = Vec::new();
        if let Some(p) = data.as_partner()
            && let Some(existing) = model.duplicate_of(p, own)
        {
            errs.push(FieldError::new(
                "name",
                p.name.clone(),
                Rule::DuplicatePartner { existing },
            ));
        }
        let field = match T::KIND {
            EntityKind::Activity | EntityKind::Note => "partners",
            _ => "partner",
        };
        for pid in data.partner_ids() {
            if !model.is_active_partner(pid) {
                errs.push(FieldError::new(
                    field,
                    pid.to_string(),
                    Rule::UnknownPartner,
                ));
            }
        }
        errs
    }

    /// [`Service::save`] for data of any kind.
    fn save_any(
        &self,
        who: &Identity,
        target: Option<(Id, u64)>,
        data: AnyData,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match data {
            AnyData::Partner(d) => self.save(who, target, d, staging),
            AnyData::Agreement(d) => self.save(who, target, d, staging),
            AnyData::Contact(d) => self.save(who, target, d, staging),
            AnyData::Activity(d) => self.save(who, target, d, staging),
            AnyData::Assessment(d) => self.save(who, target, d, staging),
            AnyData::Note(d) => self.save(who, target, d, staging),
        }
    }

    /// Create (`target` None) or update a record; into `staging` when given, else in a
    /// transaction of its own.
    fn save<T: Kind>(
        &self,
        who: &Identity,
        target: Option<(Id, u64)>,
        mut data: T,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        data.normalise();
        let mut errs = data.validate();
        errs.extend(self.cross_check(&data, target.map(|t| t.0)));
        if !errs.is_empty() {
            return Ok((Response::Invalid(errs), None));
        }
        let now = Timestamp::now();
        let (id, expected, action) = match target {
            Some((id, v)) => (id, Some(v), AuditAction::Update),
            None => (self.store.new_id()?, None, AuditAction::Create),
        };
        // An update that changes nothing is answered without a write.
        let stored = match (&staging, expected) {
            (_, None) => None,
            (Some(st), Some(_)) => self.store.get_staged::<T>(&st.staged, id)?,
            (None, Some(_)) => self.store.get::<T>(id)?,
        };
        if let Some(v) = expected
            && let Some(cur) = stored
            && cur.meta.version == v
            && cur.data == data
        {
            return Ok((
                Response::Saved {
                    kind: T::KIND,
                    id,
                    version: v,
                },
                None,
            ));
        }
        let user = who.user.clone();
        let decide = |cur: Option<&Record<T>>| {
            let meta = match cur {
                Some(c) => Meta {
                    version: c.meta.version + 1,
                    updated_at: now,
                    updated_by: user.clone(),
                    ..c.meta.clone()
                },
                None => Meta {
                    id,
                    version: 1,
                    created_at: now,
                    created_by: user.clone(),
                    updated_at: now,
                    updated_by: user.clone(),
                    archived: false,
                },
            };
            Change::Put(Record {
                meta,
                data: data.clone(),
            })
        };
        match staging {
            Some(st) => {
                let outcome = self
                    .store
                    .commit_staged::<T>(&st.staged, id, &who.user, action, expected, decide)?;
                self.finish::<T>(id, expected, outcome, Some(st))
            }
            None => {
                let outcome = self
                    .store
                    .commit::<T>(id, &who.user, action, expected, decide)?;
                self.finish::<T>(id, expected, outcome, None)
            }
        }
    }

    fn set_archived<T: Kind>(
        &self,
        who: &Identity,
        id: Id,
        expected: u64,
        archived: bool,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let action = if archived {
            AuditAction::Archive
        } else {
            AuditAction::Restore
        };
        if !archived && let Some(cur) = self.store.get::<T>(id)? {
            // Restoring a record whose partner is archived would leave it dangling.
            let errs = self.cross_check(&cur.data, Some(id));
            if !errs.is_empty() {
                return Ok((Response::Invalid(errs), None));
            }
        }
        let now = Timestamp::now();
        let user = who.user.clone();
        let outcome =
            self.store
                .commit::<T>(id, &who.user, action, Some(expected), |cur| match cur {
                    Some(c) => Change::Put(Record {
                        meta: Meta {
                            version: c.meta.version + 1,
                            updated_at: now,
                            updated_by: user.clone(),
                            archived,
                            ..c.meta.clone()
                        },
                        data: c.data.clone(),
                    }),
                    None => Change::Purge,
                })?;
        self.finish::<T>(id, Some(expected), outcome, None)
    }

    fn purge<T: Kind>(
        &self,
        who: &Identity,
        id: Id,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let Some(cur) = self.store.get::<T>(id)? else {
            return Ok((Response::NotFound { kind: T::KIND, id }, None));
        };
        if !cur.meta.archived {
            return Ok((
                Response::Invalid(vec![FieldError::new(
                    "archived",
                    cur.data.label(),
                    Rule::NotArchived,
                )]),
                None,
            ));
        }
        if T::KIND == EntityKind::Partner {
            let count = self.references(id)?;
            if count > 0 {
                return Ok((
                    Response::Invalid(vec![FieldError::new(
                        "partner",
                        cur.data.label(),
                        Rule::StillReferenced { count },
                    )]),
                    None,
                ));
            }
        }
        let outcome = self.store.commit::<T>(
            id,
            &who.user,
            AuditAction::Purge,
            Some(cur.meta.version),
            |_| Change::Purge,
        )?;
        self.finish::<T>(id, Some(cur.meta.version), outcome, None)
    }

    /// How many records refer to partner `id`.
    fn references(&self, id: Id) -> Result<usize, StoreError> {
        use crate::store::TreeId;
        let p = id.to_be_bytes();
        let mut n = 0;
        for t in [
            TreeId::AgreementByPartner,
            TreeId::ContactByPartner,
            TreeId::ActivityByPartner,
            TreeId::NoteByPartner,
            TreeId::AssessmentByPartnerValue,
        ] {
            n += self.store.index_prefix(t, &p).count();
        }
        Ok(n)
    }

    /// Turn a commit outcome into a response, update the model and tell subscribers.
    fn finish<T: Kind>(
        &self,
        id: Id,
        expected: Option<u64>,
        outcome: crate::store::Committed<T>,
        staging: Option<&mut Staging>,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        let staged = staging.as_ref().map(|st| &st.staged);
        match outcome {
            Ok((entry, written)) => {
                match staging {
                    // The model follows once the staged batch is written.
                    Some(st) => st.updates.push(Box::new(move |m, store, today| {
                        m.apply::<T>(store, id, written.as_ref(), today)
                    })),
                    None => {
                        lock(&self.model).apply::<T>(
                            &self.store,
                            id,
                            written.as_ref(),
                            self.today(),
                        )?;
                    }
                }
                let event = ChangeEvent {
                    seq: entry.seq,
                    kind: T::KIND,
                    id,
                    version: entry.version,
                    action: entry.action,
                    user: entry.user.clone(),
                    at: entry.at,
                };
                let saved = Response::Saved {
                    kind: T::KIND,
                    id,
                    version: entry.version,
                };
                Ok((saved, Some(event)))
            }
            Err(Reject::NotFound) => Ok((Response::NotFound { kind: T::KIND, id }, None)),
            Err(Reject::Conflict(current)) => {
                let since = expected.unwrap_or(0);
                let fields = merge_changes(
                    self.store
                        .audit_of_in(staged, T::KIND, id)?
                        .into_iter()
                        .filter(|e| e.version > since)
                        .flat_map(|e| e.changes),
                );
                let conflict = ConflictInfo {
                    kind: T::KIND,
                    id,
                    expected_version: since,
                    changed_by: current.meta.updated_by.clone(),
                    changed_at: current.meta.updated_at,
                    current: T::into_any(*current),
                    fields,
                };
                Ok((Response::Conflict(Box::new(conflict)), None))
            }
        }
    }
}

fn set_archived_dyn<T: Kind>(
    s: &Service,
    who: &Identity,
    id: Id,
    expected: u64,
    archived: bool,
) -> Result<(Response, Option<ChangeEvent>), StoreError> {
    s.set_archived::<T>(who, id, expected, archived)
}

fn purge_dyn<T: Kind>(
    s: &Service,
    who: &Identity,
    id: Id,
) -> Result<(Response, Option<ChangeEvent>), StoreError> {
    s.purge::<T>(who, id)
}

/// Collapse successive changes to one per field: the oldest "old" and the newest "new".
fn merge_changes(changes: impl Iterator<Item = FieldChange>) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|o| o.field == c.field) {
            Some(o) => o.new = c.new,
            None => out.push(c),
        }
    }
    out.retain(|c| c.old != c.new);
    out
}
