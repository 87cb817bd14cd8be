//! Heavy read-only work (a check of the whole workspace, a backup) runs on one worker thread of its
//! own, at a lower scheduling priority, one job at a time: it reads a snapshot, so it holds no lock
//! that saves need, and with at most one such job on the CPU, saves keep a core and their latency,
//! and memory holds one job's working set however many clients ask at once.

use std::sync::{Mutex, mpsc};

/// A job: run it, its result goes back through its own channel.
type Job = Box<dyn FnOnce() + Send>;

/// The heavy worker's queue.
pub(super) struct Heavy {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

/// The niceness of the heavy worker (0 is normal, 19 the lowest priority).
const NICE: i32 = 10;

impl Heavy {
    /// Start the worker thread.
    pub fn start() -> std::io::Result<Heavy> {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("spets-heavy".into())
            .spawn(move || {
                // This thread only: Linux applies a priority given a thread id to that thread.
                let me = rustix::thread::gettid();
                if let Err(e) = rustix::process::setpriority_process(Some(me), NICE) {
                    tracing::warn!(error = %e, "the heavy worker keeps the normal priority");
                }
                while let Ok(job) = rx.recv() {
                    job();
                }
            })?;
        Ok(Heavy {
            jobs: Mutex::new(Some(tx)),
        })
    }

    /// Run `f` on the heavy worker and wait for its result (None if the worker is gone).
    pub fn run<R: Send + 'static>(&self, f: impl FnOnce() -> R + Send + 'static) -> Option<R> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|s| s.send(job).is_ok());
        if !sent {
            return None;
        }
        rx.recv().ok()
    }
}
