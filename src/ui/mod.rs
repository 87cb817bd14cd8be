//! The terminal UI, as components.
//!
//! | module | job |
//! |---|---|
//! | [`app`] | the router: holds the components, refreshes panes, answers read-only questions |
//! | [`keys`] | key routing in the fixed order of [`input`]; refusals for viewers and while offline; vim modes |
//! | [`apply`] | the effect loop: effects, service answers routed back, change events applied in place, saves |
//! | [`jobs`] | CSV export and import from the UI: dialogs, jobs, their messages |
//! | [`effect`] | what components ask for ([`effect::Effect`]), where answers go ([`effect::Route`]), notices |
//! | [`view`] | the read-only view every component decides and draws with ([`view::Ctx`]) |
//! | [`panes`] | the four panes and the partner detail view: components that own their state |
//! | [`overlays`] | dialogs and popups: confirm, menu, chooser, help, palette, prompt, conflict, CSV |
//! | [`forms`] | typed forms: one module per entity, build and parse side by side; the form engine; drawing |
//! | [`input`] | the line editor, the multi-line editor, the vim preset's modes; the key precedence |
//! | [`frame`] | the frame: tabs, status bar (connection, role, hints), notice, which-key |
//! | [`run`](mod@run) | the event-driven loop (one epoll on the terminal and the app's channel), signals, the remembered language |
//! | [`setup`] | keymap loading and starting on a workspace or a daemon |
//! | [`worker`] | the worker thread (stale queries dropped) and the one event channel |
//! | [`drafts`] | unsaved form input kept privately and offered back after a crash |
//! | [`transfer`] | CSV export and import jobs on their own threads |
//! | [`theme`], [`widgets`] | colours, and width-aware text |
//!
//! Rendering is pure: [`draw`] reads the [`App`] and writes the frame, nothing else.

pub mod app;
pub mod apply;
pub mod drafts;
pub mod effect;
pub mod forms;
pub mod frame;
pub mod input;
pub mod jobs;
pub mod keys;
pub mod overlays;
pub mod panes;
pub mod run;
pub mod setup;
pub mod theme;
pub mod transfer;
pub mod view;
pub mod widgets;
pub mod worker;

pub use app::{App, Options};
pub use effect::Notice;
pub use frame::{centered, clear_area, draw, hints};
pub use overlays::Overlay;
pub use panes::Pane;
pub use run::{run, saved_lang};
pub use setup::{KeymapChoice, load_keymap, start, start_client};

/// The smallest usable terminal.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
