//! Group commit: mutations that arrive together are committed one after the other by whichever
//! caller found no batch running, made durable by one disk flush, announced to subscribers as one
//! burst, and only then answered.
//!
//! A batch whose write fails (a full disk) is never visible to anyone: the store is opened again
//! from what is on disk (which drops the failed changes, and those of any batch committed after
//! them), the in-memory model is reloaded, no change event is sent, and every save of those batches
//! is answered "could not be written". Once there is room again, the next save goes through: a
//! store that could not be opened again is retried with every request, at most once a second.

use super::{AnyData, ChangeEvent, Identity, Request, Response, Service, lock, model::Model};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

/// A mutation waiting for the next batch.
pub(super) struct Queued {
    who: Identity,
    req: Request,
    turn: mpsc::Sender<Turn>,
}

/// What a waiting caller is told.
pub(super) enum Turn {
    /// The mutation was committed and flushed (or refused): here is its answer.
    Done(Box<Result<Response, StoreError>>),
    /// The batch before finished and this caller's mutation is next in line: run the next batch.
    Lead,
}

/// Saves of one batch committed as one transaction: their writes, and the model updates that follow
/// once the transaction is written.
#[derive(Default)]
pub(super) struct Staging {
    pub staged: crate::store::Staged,
    pub updates: Vec<ModelUpdate>,
}

/// A mutation's outcome inside a batch: the answer and the event to announce once it is durable.
type Answer = Result<(Response, Option<ChangeEvent>), StoreError>;

pub(super) type ModelUpdate =
    Box<dyn FnOnce(&mut Model, &Store, NaiveDate) -> Result<(), StoreError>>;

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
pub(super) struct WriteQueue {
    waiting: Vec<Queued>,
    running: bool,
    /// Batches started so far (a batch's number orders its announcements).
    started: u64,
}

/// What a failed write tells the user.
fn not_written(why: &str) -> StoreError {
    StoreError::NotWritten {
        why: why.to_string(),
    }
}

impl Service {
    /// Queue a mutation and return its answer once it is durable (or refused).
    ///
    /// Group commit by a leader: whoever queues a mutation while no batch is running leads the next
    /// one. A batch commits every queued mutation in arrival order, flushes once, announces the
    /// changes, answers every caller in it, and hands the lead to the first caller that queued
    /// meanwhile. So fifty staff saving at once cost one flush, not fifty, and nobody waits on a
    /// lock convoy.
    pub(super) fn write(&self, who: &Identity, req: Request) -> Result<Response, StoreError> {
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

    /// Commit every queued mutation under the write lock, in arrival order. Returns the answers and
    /// the store generation they were committed in.
    fn commit_batch(&self, batch: Vec<Queued>) -> (Vec<(mpsc::Sender<Turn>, Answer)>, u64) {
        let mut answers: Vec<(mpsc::Sender<Turn>, Answer)> = Vec::with_capacity(batch.len());
        // The answers (by index) whose writes are in `staging`.
        let mut staged_answers: Vec<usize> = Vec::new();
        let mut staging: Option<Staging> = None;
        let panicked = || {
            Err(StoreError::Invalid(
                "the service failed on this change (a bug: see the log); nothing was saved".into(),
            ))
        };
        let _w = lock(&self.write);
        // A store that failed before is opened again first; if it cannot be, nothing is written.
        if let Err(e) = self.ensure_store_locked() {
            let why = e.to_string();
            for Queued { turn, .. } in batch {
                answers.push((turn, Err(not_written(&why))));
            }
            return (answers, self.store.generation());
        }
        let generation = self.store.generation();
        for Queued { who, req, turn } in batch {
            let answer = if req.stageable() {
                let st = staging.get_or_insert_with(Staging::default);
                let (mark, updates) = (st.staged.mark(), st.updates.len());
                // A bug in one mutation must not strand the callers queued behind it, nor leave
                // half a change in the batch.
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
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.mutate(&who, req)))
                    .unwrap_or_else(|_| panicked())
            };
            answers.push((turn, answer));
        }
        self.write_staged(staging.take(), &mut staged_answers, &mut answers);
        (answers, generation)
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
        let (mut answers, generation) = self.commit_batch(batch);
        // In commit order: what the flush below makes durable is announced after it.
        let mut events = Vec::new();
        let mut storage_failed = false;
        for (_, answer) in &mut answers {
            match answer {
                Ok((_, event)) => events.extend(event.take()),
                Err(e) => storage_failed |= e.is_storage_failure(),
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
        if flushed.is_err() || storage_failed {
            self.recover_from(generation);
        }
        // Kept only if it reached the disk and no reopen since has dropped it.
        let kept = flushed.is_ok() && self.store.generation() == generation;
        if kept && changed {
            self.store.restore_reserve();
        }
        // Batches announce in the order they committed.
        {
            let mut announced = lock(&self.announced);
            while *announced + 1 < number {
                announced = self
                    .announced_changed
                    .wait(announced)
                    .unwrap_or_else(|p| p.into_inner());
            }
            if kept {
                self.publish(&events);
            }
            *announced = number;
            self.announced_changed.notify_all();
        }
        let why = match &flushed {
            Err(e) => e.clone(),
            Ok(()) => "the workspace was opened again after a failed write".into(),
        };
        for (turn, answer) in answers {
            let answer = match answer {
                Ok((Response::Saved { .. }, _)) if !kept => Err(not_written(&why)),
                Ok((response, _)) => Ok(response),
                Err(e) => Err(e),
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
                let failure = e.is_storage_failure();
                let msg = e.to_string();
                for i in idx {
                    if let Some((_, a)) = answers.get_mut(i) {
                        *a = Err(if failure {
                            StoreError::Unavailable {
                                path: self.store.path().to_path_buf(),
                                why: msg.clone(),
                            }
                        } else {
                            not_written(&msg)
                        });
                    }
                }
            }
        }
    }

    /// After a write failed in store generation `generation`: open the store again from disk and
    /// reload the model, unless someone did so already. If the store cannot be opened again (the
    /// disk is still full), the service stays unavailable, answering every request with why,
    /// until a later request finds it can be opened.
    pub(super) fn recover_from(&self, generation: u64) {
        let _w = lock(&self.write);
        if self.store.generation() != generation {
            return;
        }
        self.healthy.store(false, Ordering::SeqCst);
        // Whatever the model holds may include the failed changes: nobody may read it now.
        if let Err(e) = self.recover_locked() {
            tracing::error!(error = %e, "the workspace stays unavailable until it can be opened again");
        }
    }

    /// Open the store again and reload the model; the caller holds the write lock.
    fn recover_locked(&self) -> Result<(), StoreError> {
        self.last_recovery.store(
            crate::domain::Timestamp::now().0,
            std::sync::atomic::Ordering::SeqCst,
        );
        self.store.reopen()?;
        let model = Model::load(&self.store)?;
        *lock(&self.model) = model;
        lock(&self.imports).clear();
        self.healthy.store(true, Ordering::SeqCst);
        tracing::warn!(
            "the workspace was opened again and the model reloaded after a failed write"
        );
        Ok(())
    }

    /// Make sure the store and the model can be used: after a failed write that could not be
    /// recovered at once, try again (at most once a second). Cheap when all is well.
    pub(super) fn ensure_store(&self) -> Result<(), StoreError> {
        if self.healthy.load(Ordering::SeqCst) {
            return Ok(());
        }
        let _w = lock(&self.write);
        self.ensure_store_locked()
    }

    /// [`Service::ensure_store`] with the write lock held.
    fn ensure_store_locked(&self) -> Result<(), StoreError> {
        if self.healthy.load(Ordering::SeqCst) {
            return Ok(());
        }
        let last = self.last_recovery.load(Ordering::SeqCst);
        if crate::domain::Timestamp::now().0 - last < 1_000 {
            return Err(StoreError::Unavailable {
                path: self.store.path().to_path_buf(),
                why: "a write failed and the workspace could not be opened again yet".into(),
            });
        }
        self.recover_locked()
    }
}
