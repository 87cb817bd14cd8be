//! Running the UI on a terminal: the event loop, the terminal reader, signals, and the language
//! the user last chose.
//!
//! The loop is event-driven: a reader thread turns terminal input into [`Event`]s on the app's
//! one channel, where the worker's answers, change events, the connection state and CSV jobs
//! also arrive. The loop draws when something changed and sleeps until the next event; nothing
//! polls on a timer.

use super::app::App;
use super::worker::Event;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Run the UI on a terminal until the user quits or a signal arrives.
pub fn run(mut app: App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    install_signals(&stop, app.events())?;
    let initial = app.lang();
    let mut terminal = ratatui::init();
    spawn_reader(app.events())?;
    let result = run_loop(&mut terminal, &mut app, &stop);
    ratatui::restore();
    app.close();
    if app.lang() != initial
        && let Err(e) = save_lang(app.lang())
    {
        tracing::warn!(error = %e, "could not remember the language");
    }
    if let Some(e) = app.fatal() {
        anyhow::bail!(e);
    }
    result
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
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    loop {
        if stop.load(Ordering::Relaxed) || app.quitting() {
            return Ok(());
        }
        if std::mem::take(&mut app.redraw) {
            terminal.clear()?;
            app.dirty = true;
        }
        if std::mem::take(&mut app.dirty) {
            terminal.draw(|f| super::draw(f, app))?;
        }
        app.wait();
    }
}

/// Read the terminal on a thread of its own. An error means the tty is gone (an SSH session
/// dropped): the app is told to stop, and nothing is restored on a dead terminal by this thread.
fn spawn_reader(events: mpsc::Sender<Event>) -> std::io::Result<()> {
    use crossterm::event::{self, Event as Term};
    std::thread::Builder::new()
        .name("spets-terminal".into())
        .spawn(move || {
            loop {
                let ev = match event::read() {
                    Ok(Term::Key(k)) => Event::Key(k),
                    Ok(Term::Resize(w, h)) => Event::Resize(w, h),
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::info!(error = %e, "the terminal is gone");
                        let _ = events.send(Event::Stop);
                        return;
                    }
                };
                if events.send(ev).is_err() {
                    return;
                }
            }
        })
        .map(|_| ())
}

/// SIGHUP and SIGTERM: ask the loop to stop; if it has not within a second (crossterm can spin
/// or block when the tty disappears), restore what can be restored and exit. Every saved edit
/// is already durable.
fn install_signals(stop: &Arc<AtomicBool>, events: mpsc::Sender<Event>) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM])?;
    let stop = Arc::clone(stop);
    std::thread::Builder::new()
        .name("spets-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                tracing::info!(signal = sig, "signal received, exiting");
                stop.store(true, Ordering::Relaxed);
                let _ = events.send(Event::Stop);
                std::thread::sleep(Duration::from_millis(700));
                ratatui::restore();
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}
