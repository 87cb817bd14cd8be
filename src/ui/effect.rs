//! What components ask the app to do ([`Effect`]), where a service answer goes back to
//! ([`Route`]), and the messages of the status line ([`Notice`]).
//!
//! Components never change the app: they change their own state and push effects; the app's
//! effect loop carries them out (send a request, open a form or a dialog, show a notice, refresh
//! a pane, switch panes...).

use super::forms::Form;
use super::overlays::{Confirm, Overlay};
use super::panes::Pane;
use super::transfer::Failure;
use crate::domain::{AddedValue, Id};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::Action;
use crate::service::Request;

/// One thing for the app to do. (Each effect is moved once; boxing the larger ones would only
/// add allocations.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Effect {
    /// Send a request to the service; the answer goes to `to`.
    Request { req: Request, to: Route },
    /// Open a form (replacing none: a form is only opened when none is).
    OpenForm(Box<Form>),
    /// Close the form (its draft is dropped).
    CloseForm,
    /// Show a dialog or popup over everything.
    Open(Box<Overlay>),
    /// Close the dialog or popup.
    CloseOverlay,
    /// A message in the status line.
    Notice(Notice),
    /// Reload every pane (the visible one now) and the partner names.
    RefreshAll,
    /// Reload one pane (now if visible, else when next shown).
    Refresh(Pane),
    /// Switch panes.
    SetPane(Pane),
    /// Show the partner detail of this partner (in the Partners pane).
    OpenPartner(Id),
    /// Switch the interface language.
    SetLang(Lang),
    /// Run an action as if its key had been pressed where the focus is (menu, palette).
    Run(Action),
    /// A confirmation was answered yes.
    Confirmed(Confirm),
    /// Leave spets.
    Quit,
    /// Clear and repaint the whole screen.
    Redraw,
    /// Start the export or import the dialog describes (the dialog is handed back).
    Transfer(Box<Overlay>),
    /// Answer the dry run's report (import all, the valid rows only, or nothing).
    ImportChoice(super::transfer::ImportChoice),
    /// Restore (true) or drop (false) the draft found at start.
    Draft(Box<super::drafts::Draft>, bool),
    /// A confirmation was answered no (the overwrite question goes back to its dialog).
    Declined(Confirm),
    /// A filter prompt was answered.
    Prompt(super::overlays::PromptKind, String),
    /// The conflict dialog: load their version into the form.
    ConflictReload(Box<crate::service::AnyRecord>),
    /// The conflict dialog: save the user's version over theirs (its version).
    ConflictOverwrite(u64),
    /// Cancel the running export.
    CancelExport,
    /// Write a report in the export folder: the partner's, or (None) the portfolio.
    Report {
        partner: Option<Id>,
        format: crate::report::Format,
    },
}

/// A list of effects, with shorthands.
#[derive(Debug, Default)]
pub struct Effects(pub Vec<Effect>);

impl Effects {
    pub fn push(&mut self, e: Effect) {
        self.0.push(e);
    }
    pub fn send(&mut self, req: Request, to: Route) {
        self.0.push(Effect::Request { req, to });
    }
    pub fn notice(&mut self, m: Msg) {
        self.0.push(Effect::Notice(Notice::Msg(m)));
    }
    pub fn open(&mut self, o: Overlay) {
        self.0.push(Effect::Open(Box::new(o)));
    }
    pub fn close(&mut self) {
        self.0.push(Effect::CloseOverlay);
    }
    pub fn form(&mut self, f: Form) {
        self.0.push(Effect::OpenForm(Box::new(f)));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where an answer goes. The numbers are the sender's own sequence numbers, so a component
/// can tell its latest query from an older one.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// The partners table (the quick first page when `quick`).
    Partners {
        seq: u64,
        quick: bool,
    },
    /// The partner detail view.
    Detail(u64),
    /// The partner detail view's life cycle (goals, phases, governance, evaluations).
    DetailLife(u64),
    /// A window of the timeline (activities and notes).
    Timeline(u64),
    Matrix(u64),
    Notes(u64),
    /// The overview (what is due).
    Overview(u64),
    /// The overview's counts for the notice at start.
    OverviewNotice,
    /// My open action items.
    Actions(u64),
    PartnerNames,
    /// The workspace's counts, for the notice about records that cannot be read.
    Damage,
    /// The open form's save.
    Save,
    /// Archive, restore, a toggled action item: a notice on success.
    Mutation,
    /// Open the assessment editor once the history is here.
    History {
        partner: Id,
        partner_name: String,
        value: AddedValue,
    },
    /// Toggle an action item once its note is loaded.
    ToggleAction {
        index: usize,
    },
    /// Open an editor once the record is loaded.
    EditLoaded,
    /// Open the link dialog once its choices are loaded.
    LinkGoals,
    /// Open the phase dialog once the criteria are loaded.
    PhaseDialog,
    /// Demo data for an empty workspace.
    Demo,
    /// A record another user changed, to apply in place.
    Changed,
}

/// Queries that a newer one for the same purpose replaces while still queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Partners,
    PartnersQuick,
    Detail,
    DetailLife,
    Timeline,
    Matrix,
    Notes,
    Overview,
    Actions,
    Names,
    /// A read that runs beside the queue, on a thread of its own, so that nothing the user asks
    /// for waits behind it: the overview for the notice at start, which builds the life cycle.
    Beside,
}

impl Route {
    /// The slot of a query (None for saves, mutations and one-off reads).
    pub fn slot(&self) -> Option<Slot> {
        Some(match self {
            Route::Partners { quick: false, .. } => Slot::Partners,
            Route::Partners { quick: true, .. } => Slot::PartnersQuick,
            Route::Detail(_) => Slot::Detail,
            Route::DetailLife(_) => Slot::DetailLife,
            Route::Timeline(_) => Slot::Timeline,
            Route::Matrix(_) => Slot::Matrix,
            Route::Notes(_) => Slot::Notes,
            Route::Overview(_) => Slot::Overview,
            Route::Actions(_) => Slot::Actions,
            Route::PartnerNames => Slot::Names,
            Route::OverviewNotice => Slot::Beside,
            _ => return None,
        })
    }
}

/// A message in the status area, translated when drawn (so a language switch translates it too).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Msg(Msg),
    /// A message followed by details that are not translated (paths, names).
    WithDetail(Msg, String),
    /// A message already worded in both languages ([English, Swedish]), for what is found before
    /// the language is known (keymap and config problems at start).
    Worded(Box<[String; 2]>),
    /// The notice at start: agreements due for renewal and ended (how many, and the first
    /// partner's name), then the overview's counts in [`crate::service::OverviewGroup::ALL`]
    /// order.
    Overview {
        renewals: Option<(usize, usize, String)>,
        counts: [usize; 6],
    },
    /// A validation error for a field the form does not show.
    FieldRule {
        field: String,
        rule: crate::domain::Rule,
    },
    /// An export finished.
    Exported {
        rows: usize,
        path: String,
    },
    /// An import finished.
    Imported {
        written: usize,
        noun: crate::i18n::catalogue::Noun,
        skipped: usize,
    },
    /// An export or import failed (the message says which).
    Failed(Msg, Failure),
    /// A key that needs the server was refused while offline (the key as typed).
    Offline,
    /// A change refused for a viewer.
    ReadOnly,
    /// Records that cannot be read were left out (how many).
    Damaged(usize),
    /// The daemon changed this user's role on the open connection.
    RoleChanged(crate::service::Role),
}

impl Notice {
    /// A message worded now in both languages (see [`Notice::Worded`]).
    pub fn worded(words: impl Fn(Lang) -> String) -> Notice {
        Notice::Worded(Box::new([words(Lang::En), words(Lang::Sv)]))
    }

    pub fn text(&self, lang: Lang) -> String {
        use crate::i18n::catalogue as cat;
        match self {
            Notice::Msg(m) => t(lang, *m).to_string(),
            Notice::Damaged(n) => crate::i18n::integrity::damaged_notice(lang, *n),
            Notice::RoleChanged(r) => match (lang, r) {
                (Lang::En, crate::service::Role::Viewer) => {
                    "An administrator changed your access: you can now read but not change".into()
                }
                (Lang::En, r) => format!(
                    "An administrator changed your access: you are now {}",
                    r.key()
                ),
                (Lang::Sv, crate::service::Role::Viewer) => {
                    "En administratör har ändrat din behörighet: du kan nu läsa men inte ändra"
                        .into()
                }
                (Lang::Sv, crate::service::Role::Editor) => {
                    "En administratör har ändrat din behörighet: du kan nu ändra".into()
                }
                (Lang::Sv, crate::service::Role::Admin) => {
                    "En administratör har ändrat din behörighet: du är nu administratör".into()
                }
            },
            Notice::WithDetail(m, d) => format!("{} {d}", t(lang, *m)),
            Notice::Worded(both) => match lang {
                Lang::En => both[0].clone(),
                Lang::Sv => both[1].clone(),
            },
            Notice::Overview { renewals, counts } => cat::overview_notice(
                lang,
                counts,
                renewals
                    .as_ref()
                    .map(|(due, expired, first)| (*due, *expired, first.as_str())),
            ),
            Notice::FieldRule { field, rule } => format!(
                "{}: {}",
                cat::field_label(lang, field),
                cat::rule(lang, rule)
            ),
            Notice::Exported { rows, path } => cat::export_done(lang, *rows, path),
            Notice::Imported {
                written,
                noun,
                skipped,
            } => cat::import_done(lang, *written, *noun, *skipped),
            Notice::Failed(_, Failure::Cancelled) => Failure::Cancelled.text(lang),
            Notice::Failed(m, f) => format!("{} {}", t(lang, *m), f.text(lang)),
            Notice::Offline => t(lang, Msg::OfflineRefused).to_string(),
            Notice::ReadOnly => t(lang, Msg::ReadOnly).to_string(),
        }
    }
}
