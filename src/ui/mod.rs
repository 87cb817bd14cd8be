//! The terminal UI: the run loop, terminal set-up and restore, signals, and the frame (tab bar,
//! status bar, overlays). Panes draw themselves in [`panes`].
//!
//! Rendering is pure: [`draw`] reads the [`App`] and writes the frame, nothing else. The run loop
//! polls crossterm with a timeout, feeds keys to [`App::handle_key`], and drains worker answers
//! and change events between polls, so the UI never waits on the disk.

pub mod app;
pub mod dialogs;
pub mod panes;
pub mod theme;
pub mod transfer;
pub mod widgets;
pub mod worker;

pub use app::{App, Options, Overlay, Pane};

use crate::i18n::catalogue::{Msg, t};
use crate::keymap::{Action, Context};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use widgets::{fit, truncate, width};

/// The smallest usable terminal.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draw the whole screen from the app state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let th = app.theme;
    let lang = app.lang;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = vec![
            Line::from(Span::styled(t(lang, Msg::TooSmall), th.warn())),
            Line::from(format!(
                "{}x{} < {MIN_WIDTH}x{MIN_HEIGHT}",
                area.width, area.height
            )),
            Line::from(t(lang, Msg::TooSmallHint)),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [tabs, body, notice, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app);
    match app.pane {
        Pane::Partners => panes::partners::draw(frame, body, app),
        Pane::Timeline => panes::timeline::draw(frame, body, app),
        Pane::Matrix => panes::matrix::draw(frame, body, app),
        Pane::Notes => panes::notes::draw(frame, body, app),
    }
    if let Some(form) = &app.form {
        panes::form::draw(frame, body, app, form);
    }
    draw_notice(frame, notice, app);
    draw_status(frame, status, app);
    if let Some(ov) = &app.overlay {
        draw_overlay(frame, body, app, ov);
    }
    draw_which_key(frame, body, app);
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let mut spans = vec![Span::styled(" spets ", th.title())];
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, t(app.lang, p.title()));
        if *p == app.pane {
            spans.push(Span::styled(
                format!("[{}]", label.trim_end()),
                th.tab_active(),
            ));
        } else {
            spans.push(Span::styled(label, th.normal()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_notice(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(n) = app.last_notice() {
        let text = truncate(&n.text(app.lang), area.width as usize);
        frame.render_widget(Paragraph::new(Span::styled(text, app.theme.warn())), area);
    }
}

/// Key hints for the status bar: the first key of each action, from the live keymap.
pub fn hints(app: &App, ctx: Context) -> Vec<(String, Action)> {
    let wanted: &[Action] = match ctx {
        Context::Forms | Context::Editor => &[Action::Save, Action::NextField, Action::Cancel],
        Context::Dialogs if matches!(app.overlay, Some(Overlay::Conflict(_))) => &[
            Action::ShowDiff,
            Action::Reload,
            Action::Overwrite,
            Action::ConfirmNo,
        ],
        Context::Dialogs if matches!(app.overlay, Some(Overlay::Exporting(_))) => {
            &[Action::ConfirmNo]
        }
        Context::Dialogs => &[Action::ConfirmYes, Action::ConfirmNo],
        Context::Menus => &[Action::Open, Action::Back],
        _ => &[
            Action::Open,
            Action::Add,
            Action::Search,
            Action::Help,
            Action::CommandPalette,
            Action::Menu,
            Action::ToggleLanguage,
            Action::Quit,
        ],
    };
    wanted
        .iter()
        .filter_map(|a| {
            app.keymap
                .keys_for(ctx, *a)
                .into_iter()
                .next()
                .map(|k| (k, *a))
        })
        .collect()
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let th = app.theme;
    let lang = app.lang;
    let w = area.width as usize;
    if !app.connected {
        // Say it plainly, in place of the hints; nothing else changes (forms keep their input).
        let text = format!(
            " ⟳ {} · {} · {} ",
            t(lang, Msg::Reconnecting),
            truncate(&app.location, 32),
            app.user
        );
        frame.render_widget(Paragraph::new(Span::styled(fit(&text, w), th.warn())), area);
        return;
    }
    let left = format!(
        " {} · {} · {} ",
        truncate(&app.location, 32),
        app.user,
        t(lang, Msg::LanguageName)
    );
    let lw = width(&left).min(w);
    let mut right = String::new();
    for (k, a) in hints(app, app.context()) {
        let short = crate::i18n::catalogue::hint_label(lang, a).unwrap_or(a.description(lang));
        let item = format!("{k} {short}  ");
        if lw + width(&right) + width(&item) > w {
            break;
        }
        right.push_str(&item);
    }
    let line = Line::from(vec![
        Span::styled(fit(&left, lw), th.bar()),
        Span::styled(fit_right_pad(&right, w - lw), th.bar()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn fit_right_pad(s: &str, cols: usize) -> String {
    widgets::fit_right(s.trim_end(), cols)
}

/// Clear a popup's area. A wide (CJK, emoji) character just left of the popup would spill its
/// right half into the border; blank it so the border stays whole.
pub fn clear_area(frame: &mut Frame, r: Rect) {
    frame.render_widget(Clear, r);
    if r.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in r.y..r.y + r.height {
        if let Some(cell) = buf.cell_mut((r.x - 1, y))
            && width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// A centred rectangle inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup<'a>(title: &str, app: &App) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), app.theme.title()))
}

fn draw_overlay(frame: &mut Frame, body: Rect, app: &App, ov: &Overlay) {
    let th = app.theme;
    let lang = app.lang;
    match ov {
        Overlay::Menu { selected } => {
            let r = Rect {
                x: body.x + 1,
                y: body.y,
                width: 30,
                height: app::MENU.len() as u16 + 2,
            };
            clear_area(frame, r);
            let lines: Vec<Line> = app::MENU
                .iter()
                .enumerate()
                .map(|(i, (m, a))| {
                    let key = app
                        .keymap
                        .keys_for(app.base_context(), *a)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    let text = format!("{} {}", fit(t(lang, *m), 18), fit(&key, 7));
                    if i == *selected {
                        Line::from(Span::styled(format!("▸{text}"), th.selected()))
                    } else {
                        Line::from(format!(" {text}"))
                    }
                })
                .collect();
            frame.render_widget(
                Paragraph::new(lines).block(popup(t(lang, Msg::Menu), app)),
                r,
            );
        }
        Overlay::Help {
            filter,
            scroll,
            context,
        } => {
            let r = centered(body, 76, body.height);
            clear_area(frame, r);
            let mut lines = vec![
                Line::from(Span::styled(t(lang, Msg::HelpIntro), th.dim())),
                Line::from(format!("{}: {filter}▏", t(lang, Msg::Search))),
            ];
            for (k, a) in app.help_lines(*context, filter).into_iter().skip(*scroll) {
                lines.push(Line::from(vec![
                    Span::styled(fit(&k, 12), th.key()),
                    Span::raw(fit(a.description(lang), 34)),
                    Span::styled(truncate(a.name(), 26), th.dim()),
                ]));
            }
            let title = format!("{} — {}", t(lang, Msg::Help), context.name());
            frame.render_widget(Paragraph::new(lines).block(popup(&title, app)), r);
        }
        Overlay::Palette {
            query,
            selected,
            context,
        } => {
            let r = centered(body, 70, body.height.min(18));
            clear_area(frame, r);
            let mut lines = vec![
                Line::from(format!(": {query}▏")),
                Line::from(Span::styled(t(lang, Msg::PaletteHint), th.dim())),
            ];
            let rows = r.height.saturating_sub(4) as usize;
            let matches = app.palette_matches(query);
            let start = selected.saturating_sub(rows.saturating_sub(1));
            for (i, a) in matches.iter().enumerate().skip(start).take(rows) {
                let key = app
                    .keymap
                    .keys_for(*context, *a)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let text = format!(
                    "{} {} {}",
                    fit(a.description(lang), 32),
                    fit(a.name(), 20),
                    fit(&key, 10)
                );
                let style = if i == *selected {
                    th.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(text, style)));
            }
            frame.render_widget(
                Paragraph::new(lines).block(popup(t(lang, Msg::Palette), app)),
                r,
            );
        }
        Overlay::Confirm(kind) => {
            let text = match kind {
                app::ConfirmKind::Quit => t(lang, Msg::ConfirmQuitUnsaved).to_string(),
                app::ConfirmKind::CancelForm => t(lang, Msg::ConfirmCancelForm).to_string(),
                app::ConfirmKind::Archive { name, .. } => {
                    crate::i18n::catalogue::confirm_archive(lang, &widgets::clean(name))
                }
                app::ConfirmKind::Restore { name, .. } => {
                    crate::i18n::catalogue::confirm_restore(lang, &widgets::clean(name))
                }
                app::ConfirmKind::CancelActivity(r) => format!(
                    "{}: {}?",
                    t(lang, Msg::Cancelled).trim_end_matches('.'),
                    widgets::clean(&r.data.title)
                ),
                app::ConfirmKind::OverwriteExport(path) => format!(
                    "{} {}",
                    widgets::clean(path),
                    t(lang, Msg::ConfirmOverwriteFile)
                ),
            };
            let r = centered(body, 60, 7);
            clear_area(frame, r);
            let lines = vec![
                Line::from(text),
                Line::from(""),
                Line::from(Span::styled(t(lang, Msg::ConfirmYesNo), th.key())),
            ];
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(popup(t(lang, Msg::Confirm), app)),
                r,
            );
        }
        Overlay::Choose {
            title,
            items,
            selected,
        } => {
            let h = (items.len() as u16 + 2).min(body.height);
            let r = centered(body, 60, h);
            clear_area(frame, r);
            let rows = h.saturating_sub(2) as usize;
            let start = selected.saturating_sub(rows.saturating_sub(1));
            let lines: Vec<Line> = items
                .iter()
                .enumerate()
                .skip(start)
                .take(rows)
                .map(|(i, (label, _))| {
                    let text = match label {
                        app::ChoiceLabel::Msg(m) => t(lang, *m).to_string(),
                        app::ChoiceLabel::Named(m, name) => {
                            format!("{}: {}", t(lang, *m), widgets::clean(name))
                        }
                    };
                    if i == *selected {
                        Line::from(Span::styled(fit(&format!("▸{text}"), 58), th.selected()))
                    } else {
                        Line::from(fit(&format!(" {text}"), 58))
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(lines).block(popup(t(lang, *title), app)), r);
        }
        Overlay::Info(notices) => {
            let r = centered(body, body.width.min(100), body.height.min(16));
            clear_area(frame, r);
            let mut lines = Vec::new();
            for n in notices {
                for part in n.text(lang).split(" | ") {
                    lines.push(Line::from(widgets::clean(part)));
                }
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(t(lang, Msg::InfoClose), th.key())));
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(popup(t(lang, Msg::Notices), app)),
                r,
            );
        }
        Overlay::Export(d) => dialogs::draw_export(frame, body, app, d),
        Overlay::Exporting(run) => dialogs::draw_exporting(frame, body, app, run),
        Overlay::Import(d) => dialogs::draw_import(frame, body, app, d),
        Overlay::Importing(run) => dialogs::draw_importing(frame, body, app, run),
        Overlay::ImportReview(rv) => dialogs::draw_import_review(frame, body, app, rv),
        Overlay::Conflict(v) => dialogs::draw_conflict(frame, body, app, v),
        Overlay::Prompt { field, .. } => {
            let r = centered(body, 72, 5);
            clear_area(frame, r);
            let lines = vec![
                Line::from(Span::styled(t(lang, field.label), th.dim())),
                Line::from(format!("> {}▏", field.display(lang))),
            ];
            frame.render_widget(
                Paragraph::new(lines).block(popup(t(lang, Msg::FilterPrompt), app)),
                r,
            );
        }
    }
}

fn draw_which_key(frame: &mut Frame, body: Rect, app: &App) {
    if !app.keys.is_pending() {
        return;
    }
    let ctx = app.context();
    let conts = app.keymap.pending_continuations(ctx, &app.keys);
    let prefix = crate::keymap::format_sequence(&app.keys.prefix());
    let h = (conts.len() as u16 + 3).min(body.height);
    let r = Rect {
        x: body.x + body.width.saturating_sub(44),
        y: body.y + body.height.saturating_sub(h),
        width: 44.min(body.width),
        height: h,
    };
    clear_area(frame, r);
    let mut lines = vec![Line::from(Span::styled(prefix, app.theme.key()))];
    for (k, a) in conts {
        lines.push(Line::from(vec![
            Span::styled(fit(&k, 8), app.theme.key()),
            Span::raw(truncate(a.description(app.lang), 32)),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(popup(t(app.lang, Msg::WhichKey), app)),
        r,
    );
}

/// Run the UI on a terminal until the user quits or a signal arrives.
pub fn run(mut app: App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    install_signals(&stop)?;
    let initial = app.lang;
    let mut terminal = ratatui::init();
    let result = run_loop(&mut terminal, &mut app, &stop);
    ratatui::restore();
    app.close();
    if app.lang != initial
        && let Err(e) = save_lang(app.lang)
    {
        tracing::warn!(error = %e, "could not remember the language");
    }
    if let Some(e) = app.fatal.take() {
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
    use crossterm::event::{self, Event};
    app.dirty = true;
    loop {
        if stop.load(Ordering::Relaxed) || app.quit {
            return Ok(());
        }
        if app.redraw {
            app.redraw = false;
            terminal.clear()?;
            app.dirty = true;
        }
        if app.dirty {
            app.dirty = false;
            terminal.draw(|f| draw(f, app))?;
        }
        // A short poll keeps signals and worker answers flowing; errors mean the tty is gone.
        if event::poll(Duration::from_millis(25))? {
            match event::read()? {
                Event::Key(k) => app.handle_key(k),
                Event::Resize(..) => app.dirty = true,
                _ => {}
            }
        }
        app.drain();
    }
}

/// SIGHUP and SIGTERM: ask the loop to stop; if it has not within a second (crossterm can spin
/// or block when the tty disappears), restore what can be restored and exit. Every saved edit
/// is already durable.
fn install_signals(stop: &Arc<AtomicBool>) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM])?;
    let stop = Arc::clone(stop);
    std::thread::Builder::new()
        .name("spets-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                tracing::info!(signal = sig, "signal received, exiting");
                stop.store(true, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(700));
                ratatui::restore();
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

/// Keymap options from the command line.
#[derive(Debug, Clone, Default)]
pub struct KeymapChoice {
    /// `--keymap-preset NAME` (else `keymap = "…"` in config.toml, else `default`).
    pub preset: Option<String>,
    /// `--keymap FILE` (else `$XDG_CONFIG_HOME/spets/keymap.toml` when it exists).
    pub file: Option<std::path::PathBuf>,
}

/// The preset named in the config files (`keymap = "vim"` in the user's or the system's
/// config.toml), if any; a broken config file becomes a notice.
fn config_preset(notices: &mut Vec<app::Notice>) -> Option<String> {
    match crate::config::Config::load() {
        Ok(c) => c.keymap,
        Err(e) => {
            notices.push(app::Notice::WithDetail(Msg::KeymapErrors, e));
            None
        }
    }
}

/// Load the keymap: the preset, with the user's overrides merged on. A bad user keymap never
/// stops the app: its errors become a notice and the preset is used.
///
/// # Errors
/// Only when the built-in default preset itself is broken (a build defect the tests catch).
pub fn load_keymap(
    choice: &KeymapChoice,
) -> Result<(crate::keymap::Keymap, Vec<app::Notice>), crate::keymap::KeymapErrors> {
    use crate::keymap::Keymap;
    let mut notices = Vec::new();
    let preset = choice
        .preset
        .clone()
        .or_else(|| config_preset(&mut notices))
        .unwrap_or_else(|| "default".to_string());
    let base = match Keymap::preset(&preset) {
        Ok(k) => k,
        Err(e) => {
            notices.push(app::Notice::WithDetail(Msg::KeymapErrors, e.to_string()));
            Keymap::preset("default")?
        }
    };
    let file = choice.file.clone().or_else(|| {
        let p = crate::config::config_dir().join("keymap.toml");
        p.exists().then_some(p)
    });
    let Some(file) = file else {
        return Ok((base, notices));
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            notices.push(app::Notice::WithDetail(
                Msg::KeymapErrors,
                format!("{}: {e}", file.display()),
            ));
            return Ok((base, notices));
        }
    };
    let preset_name = if Keymap::preset(&preset).is_ok() {
        preset.as_str()
    } else {
        "default"
    };
    match Keymap::with_overrides(preset_name, &text, &file) {
        Ok(k) => Ok((k, notices)),
        Err(e) => {
            let detail =
                e.0.iter()
                    .map(|e| e.to_string().replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join(" | ");
            tracing::warn!(errors = %e, "user keymap rejected");
            notices.push(app::Notice::WithDetail(Msg::KeymapErrors, detail));
            Ok((base, notices))
        }
    }
}

/// Open the workspace and run the UI on it. The workspace opens on the worker thread while the
/// first frame is drawn.
pub fn start(
    dir: &std::path::Path,
    lang: crate::i18n::Lang,
    keys: &KeymapChoice,
) -> anyhow::Result<()> {
    let options = options(lang, keys)?;
    let user = crate::identity::current_user();
    let owner = user.clone();
    let path = dir.to_path_buf();
    let open: worker::Opener = Box::new(move || {
        let service = crate::service::Service::open(&path)
            .map_err(|e| format!("cannot open the workspace at {}: {e}", path.display()))?;
        let client: Arc<dyn crate::client::Client> =
            Arc::new(crate::client::Embedded::new(Arc::new(service), owner));
        Ok(client)
    });
    let app = App::opening(open, user, dir.display().to_string(), options)?;
    run(app)
}

/// The app's options: language, keymap (with its notices), today, theme.
fn options(lang: crate::i18n::Lang, keys: &KeymapChoice) -> anyhow::Result<Options> {
    let (keymap, notices) = load_keymap(keys).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Options {
        lang,
        keymap,
        today: chrono::Local::now().date_naive(),
        theme: theme::Theme::from_env(),
        notices,
    })
}

/// Run the UI on any client (embedded workspace or a daemon).
pub fn start_client(
    client: Arc<dyn crate::client::Client>,
    lang: crate::i18n::Lang,
    keys: &KeymapChoice,
) -> anyhow::Result<()> {
    let app = App::new(client, options(lang, keys)?)?;
    run(app)
}
