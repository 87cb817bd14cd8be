//! The terminal the UI draws on, and noticing at once that it is gone.
//!
//! When an SSH connection drops, sshd closes the pty's master and the kernel hangs the terminal
//! up: reads return 0 (end of file) or EIO, poll(2) reports POLLHUP, writes fail with EIO, and the
//! session leader gets SIGHUP, which a wrapper may ignore (`trap '' HUP; exec spets`). crossterm
//! 0.29's reader does not return an error then: it reads 0 bytes again and again, at full CPU. So:
//!
//! - the run loop ([`Input`]) waits on the tty itself, edge-triggered like crossterm's own
//!   registration, and asks crossterm to read only when bytes arrived without a hang-up;
//! - a watcher ([`spawn_watcher`]) sleeps in poll(2) for a hang-up or an error alone; it covers the
//!   moment the loop is inside crossterm (a half-received escape sequence);
//! - once the terminal is gone ([`gone`]) nothing more is written to it: [`Out`] drops what is
//!   written, and neither the panic hook nor the exit path restores anything.

use super::{Stopper, Why};
use crate::ui::worker::Event;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use rustix::event::{PollFd, PollFlags, Timespec, epoll};
use std::io::{self, IsTerminal, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set once the terminal is known to be gone; never cleared (a hung-up tty does not come back).
static GONE: AtomicBool = AtomicBool::new(false);

/// True once the terminal is known to be gone.
pub fn gone() -> bool {
    GONE.load(Ordering::SeqCst)
}

fn mark_gone() {
    GONE.store(true, Ordering::SeqCst);
}

/// True when standard input and output are both terminals (the UI reads one and draws on the
/// other).
pub fn present() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

fn hung_up(flags: PollFlags) -> bool {
    flags.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// Whether the terminal is still there, checked now without waiting: no hang-up or error on
/// standard input or output, and both still answer as terminals (a hung-up tty refuses). Marks
/// the terminal gone when it is not.
pub fn alive() -> bool {
    if gone() {
        return false;
    }
    let (stdin, stdout) = (rustix::stdio::stdin(), rustix::stdio::stdout());
    let mut fds = [
        PollFd::new(&stdin, PollFlags::empty()),
        PollFd::new(&stdout, PollFlags::empty()),
    ];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let hangup = rustix::event::poll(&mut fds, Some(&now)).is_ok()
        && fds.iter().any(|f| hung_up(f.revents()));
    if hangup || !rustix::termios::isatty(stdin) || !rustix::termios::isatty(stdout) {
        mark_gone();
        return false;
    }
    true
}

/// The terminal's output, buffered until a flush. Once the terminal is gone everything written
/// is dropped, so that nothing (ratatui's cursor restore on drop included) reaches a dead tty,
/// and nothing fails on the way out.
pub struct Out {
    file: std::fs::File,
    buf: Vec<u8>,
}

impl Out {
    fn new() -> io::Result<Out> {
        let fd = io::stdout().as_fd().try_clone_to_owned()?;
        Ok(Out {
            file: std::fs::File::from(fd),
            buf: Vec::with_capacity(1 << 14),
        })
    }
}

impl Write for Out {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if !gone() {
            self.buf.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if gone() || self.buf.is_empty() {
            self.buf.clear();
            return Ok(());
        }
        let written = self.file.write_all(&self.buf);
        self.buf.clear();
        if written.is_err() && !alive() {
            tracing::info!("the terminal is gone (a write failed)");
        }
        written
    }
}

/// The backend: crossterm's, writing to [`Out`], with the size read from the tty directly.
/// (crossterm's own size query runs `tput` twice when the tty does not answer.)
pub struct Screen(CrosstermBackend<Out>);

/// The terminal as the UI uses it.
pub type Tui = ratatui::Terminal<Screen>;

fn winsize() -> io::Result<rustix::termios::Winsize> {
    if gone() {
        return Err(io::Error::new(
            io::ErrorKind::NotConnected,
            "the terminal is gone",
        ));
    }
    Ok(rustix::termios::tcgetwinsize(rustix::stdio::stdout())?)
}

/// The terminal's size (columns, rows), unless it is gone.
pub fn size() -> Option<(u16, u16)> {
    winsize().ok().map(|w| (w.ws_col, w.ws_row))
}

impl Backend for Screen {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.0.append_lines(n)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.0.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.0.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.0.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.0.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        let w = winsize()?;
        Ok(Size::new(w.ws_col, w.ws_row))
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        let w = winsize()?;
        Ok(WindowSize {
            columns_rows: Size::new(w.ws_col, w.ws_row),
            pixels: Size::new(w.ws_xpixel, w.ws_ypixel),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.0)
    }
}

/// Raw mode and the alternate screen, with a panic hook that restores them only while the
/// terminal is there. (ratatui's own hook restores unconditionally and reports a failure with
/// `eprintln!`, which panics again on a dead tty: a double panic, and an abort.)
pub fn init() -> io::Result<Tui> {
    install_panic_hook();
    crossterm::terminal::enable_raw_mode()?;
    let started = Out::new().and_then(|mut out| {
        crossterm::execute!(out, crossterm::terminal::EnterAlternateScreen)?;
        ratatui::Terminal::new(Screen(CrosstermBackend::new(out)))
    });
    if started.is_err() {
        restore_modes();
    }
    started
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_modes();
            previous(info);
        }));
    });
}

/// Put the terminal back (main screen, cursor shown, cooked mode) if it is still there.
/// Never panics and never prints: failures go to the log.
pub fn restore(terminal: &mut Tui) {
    if !alive() {
        return;
    }
    if let Err(e) = terminal.show_cursor() {
        tracing::warn!(error = %e, "could not show the cursor");
    }
    restore_modes();
}

fn restore_modes() {
    if gone() {
        return;
    }
    if let Err(e) = crossterm::terminal::disable_raw_mode() {
        tracing::warn!(error = %e, "could not leave raw mode");
    }
    let left = Out::new().and_then(|mut out| {
        crossterm::execute!(
            out,
            crossterm::terminal::LeaveAlternateScreen,
            crossterm::cursor::Show
        )
    });
    if let Err(e) = left {
        tracing::warn!(error = %e, "could not leave the alternate screen");
    }
}

/// Where the run loop sleeps: one epoll set holding the terminal and the app's wake-up fd. The
/// loop reads keys itself when the terminal has bytes (no reader thread, so no hand-off between
/// threads on the way from a key to the frame), and drains the app's channel when the wake-up fd
/// says something arrived there (worker answers, changes, jobs, signals).
pub(super) struct Input {
    ep: std::os::fd::OwnedFd,
    ready: Vec<epoll::Event>,
}

/// The epoll data of the terminal's entry and of the wake-up fd's.
const TTY: u64 = 0;
const WAKE: u64 = 1;

/// What one wait brought.
pub(super) enum Woke {
    /// Terminal events, in order (possibly none: an escape sequence arrives in pieces).
    Keys(Vec<Event>),
    /// The app's channel has something (or had: the caller drains it either way).
    Channel,
    /// The terminal is gone; the stop has been asked for.
    Lost,
}

impl Input {
    pub(super) fn new(wake: std::os::fd::BorrowedFd<'_>) -> io::Result<Input> {
        let ep = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        // Edge-triggered, as crossterm's mio registers the same tty: input crossterm leaves
        // unread (more than its 1 KiB buffer at once) waits for the next key here as it would
        // there, instead of waking the loop again and again. Hang-ups and errors are always
        // reported.
        epoll::add(
            &ep,
            rustix::stdio::stdin(),
            epoll::EventData::new_u64(TTY),
            epoll::EventFlags::IN | epoll::EventFlags::RDHUP | epoll::EventFlags::ET,
        )?;
        // Level-triggered: readable until the loop resets it.
        epoll::add(
            &ep,
            wake,
            epoll::EventData::new_u64(WAKE),
            epoll::EventFlags::IN,
        )?;
        Ok(Input {
            ep,
            ready: Vec::with_capacity(4),
        })
    }

    /// Sleep until the terminal has bytes or the app's channel has events. The wake-up fd is
    /// reset here, before the caller drains the channel, so an event sent meanwhile wakes the
    /// next wait.
    pub(super) fn wait(&mut self, wake: std::os::fd::BorrowedFd<'_>, stop: &Stopper) -> Woke {
        let lost = |why: &dyn std::fmt::Display| {
            mark_gone();
            tracing::info!(reason = %why, "the terminal is gone");
            stop.stop(Why::Hangup);
            Woke::Lost
        };
        self.ready.clear();
        loop {
            match epoll::wait(
                &self.ep,
                rustix::buffer::spare_capacity(&mut self.ready),
                None,
            ) {
                Ok(_) => break,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return lost(&e),
            }
        }
        let hangup = epoll::EventFlags::HUP | epoll::EventFlags::ERR | epoll::EventFlags::RDHUP;
        let mut tty = false;
        let mut channel = false;
        for e in &self.ready {
            let flags = e.flags;
            match e.data.u64() {
                TTY if flags.intersects(hangup) => return lost(&"hang-up"),
                TTY => tty = true,
                _ => channel = true,
            }
        }
        if gone() {
            return lost(&"hang-up");
        }
        if channel {
            crate::ui::worker::clear_wake(wake);
        }
        if !tty {
            return Woke::Channel;
        }
        // Every event the new bytes make; crossterm has seen the same edge.
        use crossterm::event::{self, Event as Term};
        let mut keys = Vec::new();
        loop {
            match event::poll(Duration::ZERO) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return lost(&e),
            }
            match event::read() {
                Ok(Term::Key(k)) => keys.push(Event::Key(k)),
                Ok(Term::Resize(w, h)) => keys.push(Event::Resize(w, h)),
                Ok(_) => {}
                Err(e) => return lost(&e),
            }
        }
        Woke::Keys(keys)
    }
}

/// Watch for a hang-up or an error on the terminal alone, asleep in poll(2) until one comes.
pub(super) fn spawn_watcher(stop: Stopper) -> io::Result<()> {
    std::thread::Builder::new()
        .name("spets-hangup".into())
        .spawn(move || {
            let (stdin, stdout) = (rustix::stdio::stdin(), rustix::stdio::stdout());
            loop {
                // With no events asked for, poll returns only for POLLHUP, POLLERR or POLLNVAL.
                let mut fds = [
                    PollFd::new(&stdin, PollFlags::empty()),
                    PollFd::new(&stdout, PollFlags::empty()),
                ];
                match rustix::event::poll(&mut fds, None) {
                    Ok(_) if fds.iter().any(|f| hung_up(f.revents())) => {
                        mark_gone();
                        tracing::info!("the terminal hung up");
                        stop.stop(Why::Hangup);
                        return;
                    }
                    Ok(_) | Err(rustix::io::Errno::INTR) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot watch the terminal for a hang-up");
                        return;
                    }
                }
            }
        })?;
    Ok(())
}
