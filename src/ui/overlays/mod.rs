//! Dialogs and popups over the panes and the form. Each kind is a component: it handles the
//! actions of its keymap context and the keys typed into it, pushes effects, and draws itself.
//! One is open at a time ([`Overlay`]).

pub mod confirm;
pub mod conflict;
pub mod help;
pub mod menu;
pub mod prompt;
pub mod transfer;

pub use confirm::Confirm;
pub use conflict::{ConflictRow, ConflictView};
pub use menu::{Choice, ChoiceLabel, MENU};
pub use prompt::PromptKind;

use super::effect::{Effects, Notice};
use super::input::LineEditor;
use super::transfer::{ExportDialog, ExportRun, ImportDialog, ImportReview, ImportRun};
use super::view::Ctx;
use crate::i18n::catalogue::Msg;
use crate::keymap::{Action, Context};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

/// A popup on top of the panes (and forms).
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        filter: LineEditor,
        scroll: usize,
        context: Context,
    },
    Palette {
        query: LineEditor,
        selected: usize,
        context: Context,
    },
    Menu {
        selected: usize,
    },
    Confirm(Confirm),
    /// Start-up problems the user must see (a bad keymap), closed with any answer key.
    Info(Vec<Notice>),
    Prompt {
        kind: PromptKind,
        field: LineEditor,
    },
    /// Pick one of a few things (the partner detail view's add, edit, archive, restore).
    Choose {
        title: Msg,
        items: Vec<(ChoiceLabel, Choice)>,
        selected: usize,
    },
    /// The Export CSV… dialog.
    Export(Box<ExportDialog>),
    /// An export in progress (Esc cancels).
    Exporting(ExportRun),
    /// The Import CSV… dialog.
    Import(Box<ImportDialog>),
    /// An import or its dry run in progress.
    Importing(ImportRun),
    /// The dry run's report and the choice what to import.
    ImportReview(Box<ImportReview>),
    /// A save hit a newer version: over the form, which keeps the user's input.
    Conflict(Box<ConflictView>),
    /// A draft of unsaved input was found at start: restore it?
    Draft(Box<super::drafts::Draft>),
}

impl Overlay {
    /// A filter prompt with `current` filled in.
    pub fn prompt(kind: PromptKind, current: &str) -> Overlay {
        Overlay::Prompt {
            kind,
            field: LineEditor::new(current),
        }
    }

    /// The keymap context while this overlay is open.
    pub fn context(&self) -> Context {
        match self {
            Overlay::Confirm(_)
            | Overlay::Info(_)
            | Overlay::Exporting(_)
            | Overlay::Importing(_)
            | Overlay::Conflict(_)
            | Overlay::Draft(_) => Context::Dialogs,
            Overlay::Export(_) | Overlay::Import(_) | Overlay::Prompt { .. } => Context::Forms,
            Overlay::ImportReview(_)
            | Overlay::Menu { .. }
            | Overlay::Palette { .. }
            | Overlay::Help { .. }
            | Overlay::Choose { .. } => Context::Menus,
        }
    }

    /// True when a text editor in the overlay takes `ev` before any binding (precedence).
    pub fn editor_first(&self, ev: &KeyEvent) -> bool {
        let editing = crate::ui::input::line::is_editing_chord(ev.code, ev.modifiers);
        match self {
            Overlay::Prompt { .. } => editing,
            // Left/Right/Home/End move in the list; Ctrl/Alt editing keys edit the filter.
            Overlay::Help { .. } | Overlay::Palette { .. } => {
                editing
                    && ev.modifiers.intersects(
                        crossterm::event::KeyModifiers::CONTROL
                            | crossterm::event::KeyModifiers::ALT,
                    )
                    || ev.code == crossterm::event::KeyCode::Backspace
            }
            Overlay::Export(d) => editing && super::transfer::text_focused(&d.fields, d.focus),
            Overlay::Import(d) => editing && super::transfer::text_focused(&d.fields, d.focus),
            _ => false,
        }
    }

    /// An action from the keymap.
    pub fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        match self {
            Overlay::Help { .. } | Overlay::Palette { .. } => {
                help::action(self, action, count, cx, fx)
            }
            Overlay::Menu { .. } | Overlay::Choose { .. } => {
                menu::action(self, action, count, cx, fx)
            }
            Overlay::Confirm(_) | Overlay::Info(_) | Overlay::Draft(_) => {
                confirm::action(self, action, fx)
            }
            Overlay::Prompt { .. } => prompt::action(self, action, fx),
            Overlay::Conflict(v) => conflict::action(v, action, cx, fx),
            Overlay::Export(_)
            | Overlay::Import(_)
            | Overlay::Exporting(_)
            | Overlay::Importing(_)
            | Overlay::ImportReview(_) => transfer::action(self, action, count, cx, fx),
        }
    }

    /// A key no binding wanted: typing into a filter or field, or the localised yes key.
    pub fn key(&mut self, ev: KeyEvent, cx: &Ctx, fx: &mut Effects) {
        match self {
            Overlay::Help { filter, scroll, .. } => {
                *scroll = if filter.key(ev).consumed() {
                    0
                } else {
                    *scroll
                };
            }
            Overlay::Palette {
                query, selected, ..
            } => {
                *selected = if query.key(ev).consumed() {
                    0
                } else {
                    *selected
                }
            }
            Overlay::Prompt { .. } => prompt::key(self, ev, fx),
            Overlay::Confirm(_) | Overlay::Draft(_) => confirm::key(self, ev, cx, fx),
            Overlay::Export(_) | Overlay::Import(_) => transfer::key(self, ev, fx),
            _ => {}
        }
    }

    /// Draw over `body`.
    pub fn draw(&self, frame: &mut Frame, body: Rect, cx: &Ctx) {
        match self {
            Overlay::Help { .. } | Overlay::Palette { .. } => help::draw(frame, body, self, cx),
            Overlay::Menu { .. } | Overlay::Choose { .. } => menu::draw(frame, body, self, cx),
            Overlay::Confirm(_) | Overlay::Info(_) | Overlay::Draft(_) => {
                confirm::draw(frame, body, self, cx)
            }
            Overlay::Prompt { kind, field } => prompt::draw(frame, body, *kind, field, cx),
            Overlay::Conflict(v) => conflict::draw(frame, body, v, cx),
            Overlay::Export(_)
            | Overlay::Import(_)
            | Overlay::Exporting(_)
            | Overlay::Importing(_)
            | Overlay::ImportReview(_) => transfer::draw(frame, body, self, cx),
        }
    }
}
