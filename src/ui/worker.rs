//! The worker thread and the app's one event channel.
//!
//! The worker owns the client and runs service calls off the UI thread. Requests go in with an
//! id; answers come back tagged with it. A query queued behind a newer one for the same purpose
//! ([`Slot`]) is dropped before it runs (answered [`FromWorker::Superseded`]): typing in a search
//! sends one query per key, and only the newest is worth running. Requests run in turn, except
//! a [`Slot::Beside`] one (the overview for the notice at start, the longest read of an open),
//! which runs on a thread of its own so that the panes' queries do not wait behind it.
//!
//! Everything the UI waits for, besides the keys the run loop reads itself, arrives on one
//! channel ([`Event`], sent through [`EventTx`]): resizes from the signal thread, answers from the
//! worker, change events and the connection state from the client, and CSV job messages. The
//! run loop sleeps on it (and on the terminal) and wakes on any of them.

use super::effect::Slot;
use super::transfer::JobMsg;
use crate::client::{Client, ConnectionFeed};
use crate::service::{ChangeEvent, Request, Response, Role};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// A request id, unique per worker.
pub type ReqId = u64;

/// Something that opens the client (on the worker thread).
pub type Opener = Box<dyn FnOnce() -> Result<Arc<dyn Client>, String> + Send>;

/// What the worker sends back. (Each message is moved once; boxing the answer would only add an
/// allocation.)
#[allow(clippy::large_enum_variant)]
pub enum FromWorker {
    /// The client is open: who we are, where the data is.
    Ready {
        user: String,
        role: Role,
        location: String,
        /// The client itself, for work that streams (CSV export and import run on their own
        /// thread through it).
        client: Arc<dyn Client>,
        /// The service's date (a daemon's, which is everyone's "today").
        today: Option<chrono::NaiveDate>,
    },
    /// The client could not be opened; the worker has stopped.
    OpenFailed(String),
    /// The answer to a request.
    Answer(ReqId, Response),
    /// A queued query replaced by a newer one for the same purpose; it did not run.
    Superseded(ReqId),
}

/// Everything the UI loop wakes up for.
#[allow(clippy::large_enum_variant)]
pub enum Event {
    Key(crossterm::event::KeyEvent),
    Resize(u16, u16),
    Worker(FromWorker),
    /// Another user's change (or one of ours), durable.
    Change(ChangeEvent),
    /// A CSV export or import reports.
    Job(JobMsg),
    /// The daemon went away (false) or is back (true).
    Connection(bool),
    /// A draft kept from an earlier session, found at start.
    Draft(Box<super::drafts::Draft>),
    /// The terminal is gone or a signal asked spets to stop.
    Stop,
}

/// The sending end of the app's event channel. Each message is followed by a nudge on a wake-up
/// fd (an eventfd), so that the run loop can sleep in one `epoll_wait` on the terminal and this fd
/// together, and read the terminal on its own thread: a key reaches the app without a hand-off
/// between threads.
#[derive(Clone)]
pub struct EventTx {
    tx: mpsc::Sender<Event>,
    wake: Arc<std::os::fd::OwnedFd>,
}

impl EventTx {
    /// Queue `ev` and wake the run loop. Fails only when the app is gone (the event is dropped).
    pub fn send(&self, ev: Event) -> Result<(), AppGone> {
        self.tx.send(ev).map_err(|_| AppGone)?;
        // Cannot fail short of a counter at u64::MAX - 1 (it is reset on every wake-up); a
        // failed nudge would only delay the event to the next one.
        let _ = rustix::io::write(&*self.wake, &1u64.to_ne_bytes());
        Ok(())
    }

    /// The wake-up fd: readable while events wait.
    pub fn wake_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.wake.as_fd()
    }
}

/// The app's event channel has no receiver any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppGone;

/// The app's event channel: a sender that nudges [`EventTx::wake_fd`] with each message.
///
/// # Errors
/// The process has no file descriptors left for the eventfd.
pub fn channel() -> std::io::Result<(EventTx, mpsc::Receiver<Event>)> {
    use rustix::event::{EventfdFlags, eventfd};
    let wake = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
    let (tx, rx) = mpsc::channel();
    Ok((
        EventTx {
            tx,
            wake: Arc::new(wake),
        },
        rx,
    ))
}

/// Reset the wake-up fd after a wake-up (the events themselves are on the channel).
pub fn clear_wake(fd: std::os::fd::BorrowedFd<'_>) {
    let mut count = [0u8; 8];
    let _ = rustix::io::read(fd, &mut count);
}

/// The UI's handle on the worker thread.
pub struct Worker {
    tx: mpsc::Sender<(ReqId, Option<Slot>, Request)>,
    next: ReqId,
    in_flight: usize,
    /// Cleared when the app goes: the helper threads stop.
    alive: Arc<AtomicBool>,
    /// True while no connection watcher holds the client.
    released: Released,
}

/// A flag with a condition variable: the connection watcher has let go of the client.
type Released = Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>;

/// How long the connection watcher waits at a time (and so how long a closing app waits for it
/// to let go of the client, which may hold the workspace open).
const WATCH_STEP: Duration = Duration::from_millis(100);

impl Drop for Worker {
    fn drop(&mut self) {
        self.alive.store(false, Ordering::Relaxed);
        // The workspace must be free when the app is gone (it may be opened again at once).
        let (lock, cv) = &*self.released;
        if let Ok(g) = lock.lock() {
            let _ = cv.wait_timeout_while(g, WATCH_STEP * 5, |released| !*released);
        }
    }
}

/// Forward the client's change events and connection state into the app's channel. Every thread
/// here sleeps until something arrives: an idle UI does not wake (a client that can only be polled
/// is looked at every [`WATCH_STEP`]).
fn spawn_feeds(
    client: &Arc<dyn Client>,
    events: &EventTx,
    alive: &Arc<AtomicBool>,
    released: &Released,
) {
    let changes = client.subscribe();
    let tx = events.clone();
    let _ = std::thread::Builder::new()
        .name("spets-changes".into())
        .spawn(move || {
            while let Ok(ev) = changes.recv() {
                if tx.send(Event::Change(ev)).is_err() {
                    break;
                }
            }
        });
    match client.connection_feed() {
        // Nothing to watch: no thread, and nothing wakes while the user is idle.
        ConnectionFeed::Never => return,
        ConnectionFeed::Push(changes) => {
            let tx = events.clone();
            let forward = move || {
                while let Ok(up) = changes.recv() {
                    if tx.send(Event::Connection(up)).is_err() {
                        break;
                    }
                }
            };
            if std::thread::Builder::new()
                .name("spets-connection".into())
                .spawn(forward)
                .is_err()
            {
                tracing::warn!("no connection watcher: the offline state will not show");
            }
            return;
        }
        ConnectionFeed::Poll => {}
    }
    let (weak, tx, alive) = (Arc::downgrade(client), events.clone(), Arc::clone(alive));
    let released = Arc::clone(released);
    if let Ok(mut g) = released.0.lock() {
        *g = false;
    }
    let watcher = move || {
        let mut up = true;
        while alive.load(Ordering::Relaxed) {
            let Some(c) = weak.upgrade() else {
                break;
            };
            let now = c.wait_connection_change(up, WATCH_STEP);
            drop(c);
            if now != up {
                up = now;
                if tx.send(Event::Connection(up)).is_err() {
                    break;
                }
            }
        }
        if let Ok(mut g) = released.0.lock() {
            *g = true;
        }
        released.1.notify_all();
    };
    if std::thread::Builder::new()
        .name("spets-connection".into())
        .spawn(watcher)
        .is_err()
    {
        tracing::warn!("no connection watcher: the offline state will not show");
    }
}

/// Take the next request to run: drain what is queued, drop queries a newer one replaces.
fn next_request(
    rx: &mpsc::Receiver<(ReqId, Option<Slot>, Request)>,
    queue: &mut VecDeque<(ReqId, Option<Slot>, Request)>,
    events: &EventTx,
) -> Option<(ReqId, Option<Slot>, Request)> {
    loop {
        if queue.is_empty() {
            queue.push_back(rx.recv().ok()?);
        }
        while let Ok(m) = rx.try_recv() {
            queue.push_back(m);
        }
        let (id, slot, req) = queue.pop_front()?;
        if slot.is_some() && queue.iter().any(|(_, s, _)| *s == slot) {
            let _ = events.send(Event::Worker(FromWorker::Superseded(id)));
            continue;
        }
        return Some((id, slot, req));
    }
}

/// Run one request. A bug in a request must not take the worker (and so the UI) down with it.
fn answer(client: &Arc<dyn Client>, id: ReqId, req: Request) -> FromWorker {
    let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| client.call(req)))
        .unwrap_or(Response::Failed(crate::service::Failure::Internal));
    FromWorker::Answer(id, resp)
}

/// Run a [`Slot::Beside`] request on a thread of its own (in the queue, when no thread starts).
fn run_beside(client: &Arc<dyn Client>, events: &EventTx, id: ReqId, req: Request) {
    let (c, tx, r) = (Arc::clone(client), events.clone(), req.clone());
    let started = std::thread::Builder::new()
        .name("spets-beside".into())
        .spawn(move || {
            let _ = tx.send(Event::Worker(answer(&c, id, r)));
        });
    if let Err(e) = started {
        tracing::warn!(error = %e, "no thread for a request beside the queue: it runs in turn");
        let _ = events.send(Event::Worker(answer(client, id, req)));
    }
}

impl Worker {
    /// Start the thread on an open client. It ends when the `Worker` is dropped.
    pub fn spawn(client: Arc<dyn Client>, events: EventTx) -> std::io::Result<Worker> {
        Self::spawn_opening(Box::new(move || Ok(client)), events)
    }

    /// Start the thread; it opens the client first. Requests sent meanwhile wait.
    pub fn spawn_opening(open: Opener, events: EventTx) -> std::io::Result<Worker> {
        let (tx, req_rx) = mpsc::channel::<(ReqId, Option<Slot>, Request)>();
        let alive = Arc::new(AtomicBool::new(true));
        let alive2 = Arc::clone(&alive);
        let released: Released = Arc::new((std::sync::Mutex::new(true), std::sync::Condvar::new()));
        let released2 = Arc::clone(&released);
        std::thread::Builder::new()
            .name("spets-worker".into())
            .spawn(move || {
                let client = match open() {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = events.send(Event::Worker(FromWorker::OpenFailed(e)));
                        return;
                    }
                };
                let today = match client.call(Request::Today) {
                    Response::Today(d) => Some(d),
                    _ => None,
                };
                spawn_feeds(&client, &events, &alive2, &released2);
                let ready = FromWorker::Ready {
                    today,
                    user: client.identity().user.clone(),
                    role: client.identity().role,
                    location: client.location(),
                    client: Arc::clone(&client),
                };
                if events.send(Event::Worker(ready)).is_err() {
                    return;
                }
                let mut queue = VecDeque::new();
                while let Some((id, slot, req)) = next_request(&req_rx, &mut queue, &events) {
                    if slot == Some(Slot::Beside) {
                        run_beside(&client, &events, id, req);
                        continue;
                    }
                    if events
                        .send(Event::Worker(answer(&client, id, req)))
                        .is_err()
                    {
                        break;
                    }
                }
            })?;
        Ok(Worker {
            tx,
            next: 1,
            in_flight: 0,
            alive,
            released,
        })
    }

    /// Queue a request (a query with its slot); returns its id.
    pub fn send(&mut self, req: Request, slot: Option<Slot>) -> ReqId {
        let id = self.next;
        self.next += 1;
        if self.tx.send((id, slot, req)).is_ok() {
            self.in_flight += 1;
        }
        id
    }

    /// A message from the worker arrived: count it.
    pub fn received(&mut self, m: &FromWorker) {
        match m {
            FromWorker::Answer(..) | FromWorker::Superseded(_) => {
                self.in_flight = self.in_flight.saturating_sub(1)
            }
            FromWorker::OpenFailed(_) => self.in_flight = 0,
            FromWorker::Ready { .. } => {}
        }
    }

    /// Requests sent so far.
    pub fn sent(&self) -> u64 {
        self.next - 1
    }

    /// Requests sent and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_newer_query_for_the_same_purpose_replaces_the_queued_one() {
        let (tx, rx) = mpsc::channel();
        let (ev_tx, ev_rx) = channel().unwrap();
        let q = |t: &str| {
            Request::Partners(crate::service::PartnerQuery {
                text: t.into(),
                ..Default::default()
            })
        };
        tx.send((1, Some(Slot::Partners), q("k"))).unwrap();
        tx.send((2, Some(Slot::Matrix), Request::Stats)).unwrap();
        tx.send((3, Some(Slot::Partners), q("kt"))).unwrap();
        tx.send((4, None, Request::Stats)).unwrap();
        tx.send((5, Some(Slot::Partners), q("kth"))).unwrap();
        let mut queue = VecDeque::new();
        let mut ran = Vec::new();
        while ran.len() < 3 {
            let (id, _, _) = next_request(&rx, &mut queue, &ev_tx).unwrap();
            ran.push(id);
        }
        assert_eq!(ran, vec![2, 4, 5]);
        let dropped: Vec<ReqId> = ev_rx
            .try_iter()
            .filter_map(|e| match e {
                Event::Worker(FromWorker::Superseded(id)) => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(dropped, vec![1, 3]);
    }
}
