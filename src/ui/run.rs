//! Running the UI on a terminal: the event loop, reading the terminal, signals, a clean exit
//! when the terminal goes away, and the language the user last chose.
//!
//! The loop is event-driven. It sleeps in one `epoll_wait` on the terminal and on the wake-up fd
//! of the app's channel, where the worker's answers, change events, the connection state, CSV
//! jobs and signals arrive as [`Event`]s. Keys are read on the loop's own thread, so a key is
//! handled and drawn without waking another thread. The loop draws when something changed;
//! nothing polls on a timer.
//!
//! # Stopping
//! The user quits; or SIGTERM or SIGHUP arrives; or the terminal goes away (an SSH session
//! drops: see `run/tty.rs`). Whatever stops the app first decides the exit status: 0 for a quit,
//! 128 + the signal otherwise (129 for a hang-up, as a shell reports one). On the way out the open
//! form's draft is written and waited for. A terminal that is still there is restored and the
//! workspace's model checkpoint written; a terminal that is gone is left alone, and so is the
//! checkpoint, which is only a cache (every save is already on disk): the process is gone within
//! milliseconds and uses next to no CPU on the way.

mod tty;

use super::app::App;
use super::worker::Event;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

pub use tty::present as has_terminal;

/// How long the draft of the open form may take to reach the disk on the way out.
const DRAFT_WAIT: Duration = Duration::from_secs(1);

/// How long after a signal or a hang-up the process may take to exit before it is ended
/// without further ado (the main thread is stuck, say in a write to a stalled terminal).
const LAST_RESORT: Duration = Duration::from_secs(3);

/// The UI stopped for a signal or a lost terminal: the process should exit with [`code`]
/// (printing nothing: the terminal may be gone).
///
/// [`code`]: Stopped::code
#[derive(Debug, thiserror::Error)]
#[error("the terminal UI stopped ({why})")]
pub struct Stopped {
    why: &'static str,
    code: u8,
}

impl Stopped {
    /// The exit status: 128 + the signal (129 when the terminal hung up).
    pub fn code(&self) -> u8 {
        self.code
    }
}

/// Why the app stops, other than a quit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Why {
    /// The terminal is gone (hang-up, end of file or an error on it).
    Hangup = 1,
    /// SIGHUP.
    Sighup = 2,
    /// SIGTERM.
    Sigterm = 3,
}

impl Why {
    fn from_u8(n: u8) -> Option<Why> {
        [Why::Hangup, Why::Sighup, Why::Sigterm]
            .into_iter()
            .find(|w| *w as u8 == n)
    }
    fn code(self) -> u8 {
        match self {
            Why::Hangup | Why::Sighup => 128 + 1,
            Why::Sigterm => 128 + 15,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Why::Hangup => "the terminal is gone",
            Why::Sighup => "SIGHUP",
            Why::Sigterm => "SIGTERM",
        }
    }
}

/// Asks the run loop to stop, once, for the first reason that comes.
#[derive(Clone)]
struct Stopper {
    why: Arc<AtomicU8>,
    events: super::worker::EventTx,
}

impl Stopper {
    fn new(events: super::worker::EventTx) -> Stopper {
        Stopper {
            why: Arc::new(AtomicU8::new(0)),
            events,
        }
    }

    fn stop(&self, why: Why) {
        let first = self
            .why
            .compare_exchange(0, why as u8, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        let _ = self.events.send(Event::Stop);
        if first {
            // The last resort: the exit below normally comes first and ends this thread too.
            let _ = std::thread::Builder::new()
                .name("spets-exit".into())
                .spawn(move || {
                    std::thread::sleep(LAST_RESORT);
                    tracing::warn!(reason = why.name(), "still running; exiting now");
                    std::process::exit(i32::from(why.code()));
                });
        }
    }

    fn why(&self) -> Option<Why> {
        Why::from_u8(self.why.load(Ordering::SeqCst))
    }
}

/// Run the UI on a terminal until the user quits, a signal arrives or the terminal goes away.
///
/// # Errors
/// No terminal; the workspace could not be opened; drawing failed on a terminal that is still
/// there; or [`Stopped`] (a signal, or the terminal is gone), whose exit code the caller should
/// use without printing anything.
pub fn run(mut app: App) -> anyhow::Result<()> {
    if !tty::present() {
        anyhow::bail!("the terminal UI needs a terminal on standard input and output");
    }
    let stopper = Stopper::new(app.events());
    install_signals(&stopper)?;
    let initial = app.lang();
    let mut terminal = tty::init()?;
    tty::spawn_watcher(stopper.clone())?;
    let result = tty::Input::new(app.wake_fd())
        .and_then(|mut input| run_loop(&mut terminal, &mut app, &mut input, &stopper));
    let alive = tty::alive();
    if !alive {
        stopper.stop(Why::Hangup);
    }
    let why = stopper.why();
    if why.is_some() {
        keep_draft(&app);
    }
    if app.lang() != initial
        && let Err(e) = save_lang(app.lang())
    {
        tracing::warn!(error = %e, "could not remember the language");
    }
    if let Some(why) = why.filter(|_| !alive) {
        if let Err(e) = &result {
            tracing::info!(error = %e, "drawing stopped");
        }
        tracing::info!(reason = why.name(), "the terminal is gone: exiting");
        // Nothing to restore, and nothing else to wait for: the app's threads end with the
        // process (every save is on disk; the model checkpoint is only a cache).
        std::mem::forget(terminal);
        std::mem::forget(app);
        return Err(Stopped {
            why: why.name(),
            code: why.code(),
        }
        .into());
    }
    tty::restore(&mut terminal);
    drop(terminal);
    app.close();
    if let Some(e) = app.fatal() {
        anyhow::bail!(e);
    }
    result?;
    match why {
        Some(why) => {
            tracing::info!(reason = why.name(), "stopped by a signal");
            Err(Stopped {
                why: why.name(),
                code: why.code(),
            }
            .into())
        }
        None => Ok(()),
    }
}

/// Write the open form's unsaved input as a draft now, and wait for it to reach the disk.
fn keep_draft(app: &App) {
    if app.form.is_none() {
        return;
    }
    app.keep_draft();
    if let Some(d) = &app.drafts
        && !d.sync(DRAFT_WAIT)
    {
        tracing::warn!("the draft was not written in time");
    }
}

/// The one line `spets` prints when it has no terminal for the UI: what it needs, and the
/// commands that work without one.
pub fn no_terminal_message(lang: crate::i18n::Lang, commands: &[&str]) -> String {
    let list = commands.join(", ");
    match lang {
        crate::i18n::Lang::En => format!(
            "spets: the terminal UI needs a terminal on standard input and output; these \
             commands work without one: {list}"
        ),
        crate::i18n::Lang::Sv => format!(
            "spets: gränssnittet behöver en terminal för standard in och standard ut; de här \
             kommandona klarar sig utan: {list}"
        ),
    }
}

fn ui_state_file() -> std::path::PathBuf {
    crate::config::config_dir().join("ui.toml")
}

/// The language the user last switched to with L (remembered per user in
/// `$XDG_CONFIG_HOME/spets/ui.toml`).
pub fn saved_lang() -> Option<crate::i18n::Lang> {
    let text = std::fs::read_to_string(ui_state_file()).ok()?;
    let table = text.parse::<toml::Table>().ok()?;
    crate::i18n::Lang::parse(table.get("lang")?.as_str()?)
}

fn save_lang(lang: crate::i18n::Lang) -> std::io::Result<()> {
    let path = ui_state_file();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(
        &tmp,
        format!(
            "# Written by spets when you switch language.\nlang = \"{}\"\n",
            lang.key()
        ),
    )?;
    std::fs::rename(tmp, path)
}

fn run_loop(
    terminal: &mut tty::Tui,
    app: &mut App,
    input: &mut tty::Input,
    stop: &Stopper,
) -> std::io::Result<()> {
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    loop {
        if stop.why().is_some() || app.quitting() || tty::gone() {
            return Ok(());
        }
        if std::mem::take(&mut app.redraw) {
            terminal.clear()?;
            app.dirty = true;
        }
        if std::mem::take(&mut app.dirty) {
            terminal.draw(|f| super::draw(f, app))?;
        }
        wait(app, input, stop);
    }
}

/// Handle what is waiting, or sleep until something comes: keys from the terminal, events on
/// the app's channel. Keys that arrive together are all handled before the next frame.
fn wait(app: &mut App, input: &mut tty::Input, stop: &Stopper) {
    if app.drain() {
        return;
    }
    match input.wait(app.wake_fd(), stop) {
        tty::Woke::Keys(keys) => {
            for k in keys {
                app.handle_event(k);
            }
        }
        tty::Woke::Channel => {}
        tty::Woke::Lost => return,
    }
    app.drain();
}

/// SIGTERM and SIGHUP stop the app; SIGWINCH reports the new size. A SIGHUP that was ignored
/// when spets started (`nohup`, `trap '' HUP`) stays ignored: the terminal itself says when it
/// is gone.
fn install_signals(stop: &Stopper) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};
    let mut wanted = vec![SIGTERM, SIGWINCH];
    if !ignored_at_start(SIGHUP) {
        wanted.push(SIGHUP);
    }
    let mut signals = signal_hook::iterator::Signals::new(&wanted)?;
    let stop = stop.clone();
    std::thread::Builder::new()
        .name("spets-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                match sig {
                    SIGWINCH => {
                        if let Some((w, h)) = tty::size() {
                            let _ = stop.events.send(Event::Resize(w, h));
                        }
                    }
                    SIGHUP => {
                        tracing::info!("SIGHUP received");
                        stop.stop(Why::Sighup);
                    }
                    _ => {
                        tracing::info!(signal = sig, "signal received");
                        stop.stop(Why::Sigterm);
                    }
                }
            }
        })?;
    Ok(())
}

/// Whether a signal is ignored in this process (inherited from whoever started it), from the
/// `SigIgn` mask in /proc/self/status. False when that cannot be read.
fn ignored_at_start(signal: i32) -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    let Some(mask) = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
    else {
        return false;
    };
    (1..=64).contains(&signal) && mask & (1u64 << (signal - 1)) != 0
}
