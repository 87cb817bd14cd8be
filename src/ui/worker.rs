//! The worker thread: it owns the client and runs service calls off the UI thread. Requests go in
//! over a channel with an id; answers come back tagged with the same id, so the UI can tell a
//! fresh answer from a stale one.
//!
//! The worker can also open the client itself ([`Worker::spawn_opening`]): opening a large
//! workspace takes a while, and the UI draws its first frame meanwhile. Requests sent before the
//! client is open wait in the channel.

use crate::client::Client;
use crate::service::{ChangeEvent, Request, Response};
use std::sync::{Arc, mpsc};

/// A request id, unique per worker.
pub type ReqId = u64;

/// Something that opens the client (on the worker thread).
pub type Opener = Box<dyn FnOnce() -> Result<Arc<dyn Client>, String> + Send>;

/// What the worker sends back. (Each message is moved once; boxing the answer would only add an
/// allocation.)
#[allow(clippy::large_enum_variant)]
pub enum FromWorker {
    /// The client is open: who we are, where the data is, and its change events.
    Ready {
        user: String,
        location: String,
        changes: mpsc::Receiver<ChangeEvent>,
        /// The client itself, for work that streams (CSV export and import run on their own
        /// thread through it) and for the connection state.
        client: Arc<dyn Client>,
        /// The service's date (a daemon's, which is everyone's "today").
        today: Option<chrono::NaiveDate>,
    },
    /// The client could not be opened; the worker has stopped.
    OpenFailed(String),
    /// The answer to a request.
    Answer(ReqId, Response),
}

/// The UI's handle on the worker thread.
pub struct Worker {
    tx: mpsc::Sender<(ReqId, Request)>,
    rx: mpsc::Receiver<FromWorker>,
    next: ReqId,
    in_flight: usize,
}

impl Worker {
    /// Start the thread on an open client. It ends when the `Worker` is dropped.
    pub fn spawn(client: Arc<dyn Client>) -> std::io::Result<Worker> {
        Self::spawn_opening(Box::new(move || Ok(client)))
    }

    /// Start the thread; it opens the client first.
    pub fn spawn_opening(open: Opener) -> std::io::Result<Worker> {
        let (tx, req_rx) = mpsc::channel::<(ReqId, Request)>();
        let (resp_tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("spets-worker".into())
            .spawn(move || {
                let client = match open() {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = resp_tx.send(FromWorker::OpenFailed(e));
                        return;
                    }
                };
                let today = match client.call(crate::service::Request::Today) {
                    Response::Today(d) => Some(d),
                    _ => None,
                };
                let ready = FromWorker::Ready {
                    today,
                    user: client.identity().user.clone(),
                    location: client.location(),
                    changes: client.subscribe(),
                    client: Arc::clone(&client),
                };
                if resp_tx.send(ready).is_err() {
                    return;
                }
                while let Ok((id, req)) = req_rx.recv() {
                    // A bug in a request must not take the worker (and so the UI) down with it.
                    let resp =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| client.call(req)))
                            .unwrap_or_else(|_| {
                                Response::Failed("internal error (see the log)".into())
                            });
                    if resp_tx.send(FromWorker::Answer(id, resp)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Worker {
            tx,
            rx,
            next: 1,
            in_flight: 0,
        })
    }

    /// Queue a request; returns its id.
    pub fn send(&mut self, req: Request) -> ReqId {
        let id = self.next;
        self.next += 1;
        if self.tx.send((id, req)).is_ok() {
            self.in_flight += 1;
        }
        id
    }

    fn count(&mut self, m: Option<FromWorker>) -> Option<FromWorker> {
        match &m {
            Some(FromWorker::Answer(..)) => self.in_flight = self.in_flight.saturating_sub(1),
            Some(FromWorker::OpenFailed(_)) => self.in_flight = 0,
            _ => {}
        }
        m
    }

    /// A message that has arrived, without waiting.
    pub fn try_recv(&mut self) -> Option<FromWorker> {
        let m = self.rx.try_recv().ok();
        self.count(m)
    }

    /// Wait up to `timeout` for one message.
    pub fn recv_timeout(&mut self, timeout: std::time::Duration) -> Option<FromWorker> {
        let m = self.rx.recv_timeout(timeout).ok();
        self.count(m)
    }

    /// Requests sent and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}
