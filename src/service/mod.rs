//! The one service API. Every read and write of a workspace goes through [`Service::handle`]: the
//! embedded client calls it in-process, the daemon serves it over a socket, so both run the same
//! rules (validation, roles, conflict detection, audit, durability).
//!
//! The service keeps an in-memory model of what every screen needs at once (partners, agreements,
//! archived ids; scores and action items filled lazily) and updates it on each change, so queries
//! never rescan every tree per keystroke. Mutations are serialised by one write lock; each is
//! flushed to disk before [`Response::Saved`] is returned, then announced to subscribers.

mod activities;
pub mod api;
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

/// Progress of the group commit.
#[derive(Debug, Default)]
struct FlushState {
    /// Every commit up to this number is on disk.
    done: u64,
    /// A flush is under way.
    running: bool,
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
    /// Serialises mutations; holds the number of commits made so far.
    write: Mutex<u64>,
    /// Group commit: one disk flush covers every commit made before it started.
    flushed: Mutex<FlushState>,
    flushed_changed: std::sync::Condvar,
    /// The number of commits made so far (a copy of the write lock's count, readable without it).
    committed: std::sync::atomic::AtomicU64,
    model: Mutex<Model>,
    subscribers: Mutex<Vec<mpsc::Sender<ChangeEvent>>>,
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

impl Service {
    /// Load the in-memory model from the store.
    pub fn new(store: Store) -> Result<Service, StoreError> {
        let model = Model::load(&store)?;
        Ok(Service {
            store,
            write: Mutex::new(0),
            flushed: Mutex::new(FlushState::default()),
            flushed_changed: std::sync::Condvar::new(),
            committed: std::sync::atomic::AtomicU64::new(0),
            model: Mutex::new(model),
            subscribers: Mutex::new(Vec::new()),
            today: None,
        })
    }

    /// Open the workspace in `dir` and load the service on it.
    pub fn open(dir: &std::path::Path) -> Result<Service, StoreError> {
        Service::new(Store::open(dir)?)
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
            let table = activities::Table::load(&self.store)?;
            lock(&self.model).install_activities(&self.store, table)?;
        }
        let mut m = lock(&self.model);
        m.ensure_all_scores(&self.store)?;
        m.actions(&self.store, today)?;
        Ok(())
    }

    /// Return once commit number `commit` is on disk. Whoever finds no flush running starts one
    /// that covers every commit made so far; the others wait for it.
    fn flush_through(&self, commit: u64) -> Result<(), StoreError> {
        let mut st = lock(&self.flushed);
        loop {
            if st.done >= commit {
                return Ok(());
            }
            if !st.running {
                st.running = true;
                drop(st);
                let target = self.committed.load(std::sync::atomic::Ordering::Acquire);
                let result = self.store.flush();
                st = lock(&self.flushed);
                st.running = false;
                if result.is_ok() {
                    st.done = st.done.max(target);
                }
                self.flushed_changed.notify_all();
                result?;
                continue;
            }
            st = self
                .flushed_changed
                .wait(st)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Wait for the write in progress, flush, and keep the write lock so that nothing else is
    /// written (the daemon calls this on SIGTERM, then exits).
    pub fn shutdown(&self) -> Result<(), StoreError> {
        let guard = lock(&self.write);
        self.store.flush()?;
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

    fn publish(&self, e: ChangeEvent) {
        lock(&self.subscribers).retain(|s| s.send(e.clone()).is_ok());
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
            let (outcome, commit) = {
                let mut w = lock(&self.write);
                let outcome = self.mutate(who, req);
                if matches!(outcome, Ok((_, Some(_)))) {
                    *w += 1;
                    self.committed
                        .store(*w, std::sync::atomic::Ordering::Release);
                }
                (outcome, *w)
            };
            // Durable before it is reported: flushed outside the write lock, so saves that arrive
            // together share one flush (group commit).
            outcome.and_then(|(response, event)| {
                if let Some(e) = event {
                    self.flush_through(commit)?;
                    self.publish(e);
                }
                Ok(response)
            })
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
                            self.publish(ChangeEvent {
                                seq: 0,
                                kind: EntityKind::Partner,
                                id: Id(0),
                                version: 0,
                                action: AuditAction::Import,
                                user: who.user.clone(),
                                at: Timestamp::now(),
                            });
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

    fn mutate(
        &self,
        who: &Identity,
        req: Request,
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match req {
            Request::Create(data) => self.save_any(who, None, data),
            Request::Update {
                id,
                expected_version,
                data,
            } => self.save_any(who, Some((id, expected_version)), data),
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
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match data {
            AnyData::Partner(d) => self.save(who, target, d),
            AnyData::Agreement(d) => self.save(who, target, d),
            AnyData::Contact(d) => self.save(who, target, d),
            AnyData::Activity(d) => self.save(who, target, d),
            AnyData::Assessment(d) => self.save(who, target, d),
            AnyData::Note(d) => self.save(who, target, d),
        }
    }

    /// Create (`target` None) or update a record.
    fn save<T: Kind>(
        &self,
        who: &Identity,
        target: Option<(Id, u64)>,
        mut data: T,
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
        if let Some(v) = expected
            && let Some(cur) = self.store.get::<T>(id)?
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
        let outcome = self
            .store
            .commit::<T>(id, &who.user, action, expected, |cur| {
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
            })?;
        self.finish::<T>(id, expected, outcome)
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
        self.finish::<T>(id, Some(expected), outcome)
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
        self.finish::<T>(id, Some(cur.meta.version), outcome)
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
    ) -> Result<(Response, Option<ChangeEvent>), StoreError> {
        match outcome {
            Ok((entry, written)) => {
                lock(&self.model).apply::<T>(&self.store, id, written.as_ref(), self.today())?;
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
                        .audit_of(T::KIND, id)?
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
