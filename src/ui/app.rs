//! The application state and its update functions. Keys go through the keymap to an [`Action`];
//! actions change state or queue service requests on the worker; answers and change events
//! update the state. Nothing here draws, and nothing here touches the disk.

use super::theme::Theme;
use super::transfer::{
    ExportDialog, ExportJob, ExportRun, Failure, ImportChoice, ImportDialog, ImportReview,
    ImportRun, JobMsg,
};
use super::widgets::{Choices, Field, Input, Problem};
use super::worker::{FromWorker, Opener, ReqId, Worker};
use crate::client::Client;
use crate::domain::{
    ActionItem, Activity, ActivityKind, ActivityStatus, AddedValue, Agreement, AgreementKind,
    AgreementStatus, Assessment, Contact, ContactRole, EntityKind, Enumerated, FieldError, Format,
    Id, MeetingKind, Note, OrgKind, Partner, Phase, Record, Side, Tier,
};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Msg, t};
use crate::keymap::{Action, Context, KeyChord, KeyResult, KeyState, Keymap};
use crate::service::{
    ActionQuery, ActionRow, ActivityQuery, AnyData, AnyRecord, Archived, ChangeEvent, Matrix,
    MatrixQuery, NoteQuery, PartnerColumn, PartnerDetail, PartnerQuery, PartnerRow, Renewal,
    Request, Response,
};
use chrono::{Datelike, Months, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use std::collections::HashMap;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// The four panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Partners,
    Timeline,
    Matrix,
    Notes,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Partners, Pane::Timeline, Pane::Matrix, Pane::Notes];
    pub fn title(self) -> Msg {
        match self {
            Pane::Partners => Msg::PanePartners,
            Pane::Timeline => Msg::PaneTimeline,
            Pane::Matrix => Msg::PaneMatrix,
            Pane::Notes => Msg::PaneNotes,
        }
    }
    pub fn context(self) -> Context {
        match self {
            Pane::Partners => Context::Partners,
            Pane::Timeline => Context::Timeline,
            Pane::Matrix => Context::Matrix,
            Pane::Notes => Context::Notes,
        }
    }
    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// A message in the status area, translated when drawn (so a language switch translates it too).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Msg(Msg),
    /// A message followed by details that are not translated (paths, store errors).
    WithDetail(Msg, String),
    Renewals {
        due: usize,
        expired: usize,
        first: String,
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
}

impl Notice {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Msg(m) => t(lang, *m).to_string(),
            Notice::WithDetail(m, d) => format!("{} {d}", t(lang, *m)),
            Notice::Renewals {
                due,
                expired,
                first,
            } => crate::i18n::catalogue::renewals_notice(lang, *due, *expired, first),
            Notice::FieldRule { field, rule } => format!(
                "{}: {}",
                crate::i18n::catalogue::field_label(lang, field),
                crate::i18n::catalogue::rule(lang, rule)
            ),
            Notice::Exported { rows, path } => {
                crate::i18n::catalogue::export_done(lang, *rows, path)
            }
            Notice::Imported {
                written,
                noun,
                skipped,
            } => crate::i18n::catalogue::import_done(lang, *written, *noun, *skipped),
            Notice::Failed(_, Failure::Cancelled) => Failure::Cancelled.text(lang),
            Notice::Failed(m, f) => format!("{} {}", t(lang, *m), f.text(lang)),
        }
    }
}

/// Options for starting the app.
pub struct Options {
    pub lang: Lang,
    pub keymap: Keymap,
    pub today: NaiveDate,
    pub theme: Theme,
    /// Shown at start (e.g. keymap errors).
    pub notices: Vec<Notice>,
}

/// The partners pane.
#[derive(Debug, Default)]
pub struct PartnersState {
    pub query: PartnerQuery,
    pub rows: Vec<PartnerRow>,
    /// How many partners match (the rows may still be the quick first page).
    pub total: usize,
    pub selected: usize,
    pub loaded: bool,
    pub req: Option<ReqId>,
    /// The quick first page asked for at start, answered before the whole list.
    pub quick: Option<ReqId>,
    pub detail: Option<DetailState>,
}

/// The partner detail view.
#[derive(Debug)]
pub struct DetailState {
    pub id: Id,
    pub data: Option<Box<PartnerDetail>>,
    pub scroll: u16,
    pub req: Option<ReqId>,
}

/// One line of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlRow {
    /// A month header (first day of the month) with its number of activities.
    Month(NaiveDate, usize),
    Activity(usize),
    Note(usize),
}

/// The timeline pane.
#[derive(Debug, Default)]
pub struct TimelineState {
    pub query: ActivityQuery,
    pub activities: Vec<Record<Activity>>,
    pub notes: Vec<Record<Note>>,
    pub rows: Vec<TlRow>,
    pub selected: usize,
    pub loaded: bool,
    pub req: Option<ReqId>,
    pub notes_req: Option<ReqId>,
    pub jump_today: bool,
}

/// The value matrix pane.
#[derive(Debug, Default)]
pub struct MatrixState {
    pub query: MatrixQuery,
    pub data: Option<Matrix>,
    pub row: usize,
    pub col: usize,
    pub req: Option<ReqId>,
}

/// The meeting notes pane.
#[derive(Debug, Default)]
pub struct NotesState {
    pub query: NoteQuery,
    pub notes: Vec<Record<Note>>,
    pub selected: usize,
    pub loaded: bool,
    pub req: Option<ReqId>,
    /// The "my open action items" view.
    pub my_actions: bool,
    pub actions: Vec<ActionRow>,
    pub action_sel: usize,
    pub actions_req: Option<ReqId>,
    /// The note opened for reading.
    pub open: Option<usize>,
}

/// What a form edits.
#[derive(Debug, Clone)]
pub enum FormKind {
    Partner(Option<(Id, u64)>),
    Activity(Option<(Id, u64)>),
    Assessment {
        partner: Id,
        partner_name: String,
        value: AddedValue,
        history: Vec<Record<Assessment>>,
    },
    Note(Option<(Id, u64)>),
    Agreement {
        id: Option<(Id, u64)>,
        partner: Id,
    },
    Contact {
        id: Option<(Id, u64)>,
        partner: Id,
    },
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    pub saving: Option<ReqId>,
    /// Errors that name no field of this form (translated when drawn).
    pub general: Vec<Notice>,
}

impl Form {
    pub fn title(&self) -> Msg {
        match &self.kind {
            FormKind::Partner(None) => Msg::NewPartner,
            FormKind::Partner(Some(_)) => Msg::EditPartner,
            FormKind::Activity(None) => Msg::NewActivity,
            FormKind::Activity(Some(_)) => Msg::EditActivity,
            FormKind::Assessment { .. } => Msg::Assessment,
            FormKind::Note(None) => Msg::NewNote,
            FormKind::Note(Some(_)) => Msg::EditNote,
            FormKind::Agreement { id: None, .. } => Msg::NewAgreement,
            FormKind::Agreement { id: Some(_), .. } => Msg::EditAgreement,
            FormKind::Contact { id: None, .. } => Msg::NewContact,
            FormKind::Contact { id: Some(_), .. } => Msg::EditContact,
        }
    }
    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    fn text(&self, name: &str) -> String {
        self.field(name).map(Field::value).unwrap_or_default()
    }
    fn list(&self, name: &str) -> Vec<String> {
        self.field(name).map(Field::list).unwrap_or_default()
    }
    fn selected(&self, name: &str) -> usize {
        self.field(name).map(Field::selected).unwrap_or(0)
    }
    fn set_problem(&mut self, name: &str, p: Problem) -> bool {
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            f.problem = Some(p);
            true
        } else {
            false
        }
    }
    /// True when the focused field is the multi-line editor.
    pub fn in_editor(&self) -> bool {
        self.fields.get(self.focus).is_some_and(Field::is_area)
    }
}

/// A one-line question (filters that need text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Country,
    Partner,
    DateRange,
}

/// What a confirmation dialog does on yes.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmKind {
    Quit,
    CancelForm,
    Archive {
        kind: EntityKind,
        id: Id,
        version: u64,
        name: String,
    },
    Restore {
        kind: EntityKind,
        id: Id,
        version: u64,
        name: String,
    },
    CancelActivity(Box<Record<Activity>>),
    /// Replace an existing export file (the path).
    OverwriteExport(String),
}

/// A popup on top of the panes (and forms).
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        filter: String,
        scroll: usize,
        context: Context,
    },
    Palette {
        query: String,
        selected: usize,
        context: Context,
    },
    Menu {
        selected: usize,
    },
    Confirm(ConfirmKind),
    /// Start-up problems the user must see (a bad keymap), closed with any answer key.
    Info(Vec<Notice>),
    Prompt {
        kind: PromptKind,
        field: Field,
    },
    /// Pick one of a few things to add or edit (the partner detail view).
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
}

/// The conflict dialog: who changed the record, and the fields they changed next to the user's
/// own values.
#[derive(Debug, Clone)]
pub struct ConflictView {
    pub info: Box<crate::service::ConflictInfo>,
    pub rows: Vec<ConflictRow>,
    /// Also show the values before their change.
    pub show_was: bool,
}

/// One changed field.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub field: String,
    pub was: String,
    pub theirs: String,
    pub yours: String,
}

/// The label of a [`Overlay::Choose`] entry.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceLabel {
    Msg(Msg),
    /// A fixed message followed by a record's own text (a name, a title).
    Named(Msg, String),
}

/// What a [`Overlay::Choose`] entry opens.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    NewAgreement(Id),
    NewContact(Id),
    NewActivity(Id),
    NewNote(Id),
    EditPartner(Id),
    EditAgreement(Box<Record<Agreement>>),
    EditContact(Box<Record<Contact>>),
}

/// Menu entries, in order.
pub const MENU: [(Msg, Action); 5] = [
    (Msg::MenuExport, Action::ExportCsv),
    (Msg::MenuImport, Action::ImportCsv),
    (Msg::MenuLanguage, Action::ToggleLanguage),
    (Msg::MenuHelp, Action::Help),
    (Msg::MenuQuit, Action::Quit),
];

/// Why a request was sent.
#[derive(Debug, Clone)]
enum Purpose {
    Partners,
    /// The first screenful of partners at start.
    PartnersQuick,
    PartnerNames,
    Detail,
    Timeline,
    TimelineNotes,
    Matrix,
    Notes,
    Actions,
    Renewals,
    Save,
    Mutation,
    /// Open the assessment editor once the history is here.
    History {
        partner: Id,
        partner_name: String,
        value: AddedValue,
    },
    /// Toggle an action item once the note is loaded.
    ToggleAction {
        index: usize,
    },
    /// Open an editor once the record is loaded.
    EditLoaded,
    /// Demo data for an empty workspace.
    Demo,
}

/// The whole application state.
pub struct App {
    pub lang: Lang,
    pub keymap: Keymap,
    pub keys: KeyState,
    pub theme: Theme,
    pub today: NaiveDate,
    pub user: String,
    pub location: String,
    pub pane: Pane,
    pub partners: PartnersState,
    pub timeline: TimelineState,
    pub matrix: MatrixState,
    pub notes: NotesState,
    pub form: Option<Form>,
    pub overlay: Option<Overlay>,
    pub notices: Vec<Notice>,
    /// Every partner's id and name (for forms and filters).
    pub partner_names: Vec<(Id, String)>,
    /// Search-as-you-type is active in the visible pane (`/`).
    pub searching: bool,
    pub quit: bool,
    /// The run loop should clear and repaint the whole screen.
    pub redraw: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    worker: Worker,
    changes: Option<mpsc::Receiver<ChangeEvent>>,
    /// Panes whose data must be reloaded when they are next shown.
    stale: [bool; 4],
    /// The workspace could not be opened: the run loop stops and reports this.
    pub fatal: Option<String>,
    pending: HashMap<ReqId, Purpose>,
    /// The client (from the worker once it is open): CSV jobs run through it, and the status
    /// bar shows its connection state.
    client: Option<Arc<dyn Client>>,
    /// False while the client reconnects to a restarted daemon.
    pub connected: bool,
    /// The default export folder (`~/spets-exports`).
    pub export_dir: std::path::PathBuf,
    /// Messages from a running export or import.
    jobs: Option<mpsc::Receiver<JobMsg>>,
    /// The export dialog as it was when its job started (to go back to it on a problem).
    export_dialog: Option<ExportDialog>,
    /// An export waiting for the overwrite confirmation.
    export_waiting: Option<ExportJob>,
    /// The import dialog while its dry run or import runs.
    import_dialog: Option<ImportDialog>,
}

fn add_months(d: NaiveDate, m: i32) -> NaiveDate {
    if m >= 0 {
        d.checked_add_months(Months::new(m.unsigned_abs()))
    } else {
        d.checked_sub_months(Months::new(m.unsigned_abs()))
    }
    .unwrap_or(d)
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl App {
    /// Start the app on an open client: spawns the worker and asks for the first data.
    /// The user is leaving: let the client tidy up (see [`Client::close`]).
    pub fn close(&self) {
        if let Some(c) = &self.client {
            c.close();
        }
    }

    pub fn new(client: Arc<dyn Client>, opts: Options) -> std::io::Result<App> {
        let user = client.identity().user.clone();
        let location = client.location();
        let mut app = Self::build(Worker::spawn(client)?, user, location, opts);
        // Take the Ready message now, so tests and callers see change events from the start.
        let deadline = Instant::now() + Duration::from_secs(10);
        while app.changes.is_none() && app.fatal.is_none() && Instant::now() < deadline {
            app.pump(Duration::from_millis(50));
        }
        Ok(app)
    }

    /// Start the app while the worker opens the client (a large workspace takes a moment; the
    /// first frame does not wait for it). `user` and `location` are shown until it is open.
    pub fn opening(
        open: Opener,
        user: String,
        location: String,
        opts: Options,
    ) -> std::io::Result<App> {
        Ok(Self::build(
            Worker::spawn_opening(open)?,
            user,
            location,
            opts,
        ))
    }

    fn build(worker: Worker, user: String, location: String, opts: Options) -> App {
        let today = opts.today;
        let mut app = App {
            lang: opts.lang,
            keymap: opts.keymap,
            keys: KeyState::new(),
            theme: opts.theme,
            today,
            user,
            location,
            pane: Pane::Partners,
            partners: PartnersState::default(),
            timeline: TimelineState::default(),
            matrix: MatrixState::default(),
            notes: NotesState::default(),
            form: None,
            overlay: if opts.notices.is_empty() {
                None
            } else {
                Some(Overlay::Info(opts.notices.clone()))
            },
            notices: opts.notices,
            partner_names: Vec::new(),
            searching: false,
            quit: false,
            redraw: false,
            dirty: true,
            worker,
            changes: None,
            stale: [true; 4],
            fatal: None,
            pending: HashMap::new(),
            client: None,
            connected: true,
            export_dir: crate::csvio::Dataset::Partners
                .default_path(today)
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default(),
            jobs: None,
            export_dialog: None,
            export_waiting: None,
            import_dialog: None,
        };
        app.partners.query.lang = app.lang;
        app.timeline.query.from = Some(month_start(add_months(today, -6)));
        app.timeline.query.to = Some(
            add_months(month_start(add_months(today, 6)), 0)
                .pred_opt()
                .unwrap_or(today),
        );
        app.timeline.jump_today = true;
        app.matrix.query.partners.lang = app.lang;
        // The visible pane first; the others load when first shown.
        app.refresh_all();
        app.send(Request::RenewalsDue, Purpose::Renewals);
        app.refresh_names();
        app
    }

    fn send(&mut self, req: Request, purpose: Purpose) -> ReqId {
        let id = self.worker.send(req);
        self.pending.insert(id, purpose);
        id
    }

    fn notice(&mut self, n: Notice) {
        self.notices.push(n);
        if self.notices.len() > 5 {
            self.notices.remove(0);
        }
    }

    /// The newest notice, for the status line.
    pub fn last_notice(&self) -> Option<&Notice> {
        self.notices.last()
    }

    // ------------------------------------------------------------------ requests

    fn refresh_names(&mut self) {
        self.send(
            Request::PartnerNames { lang: self.lang },
            Purpose::PartnerNames,
        );
    }

    fn refresh_partners(&mut self) {
        self.partners.query.lang = self.lang;
        if !self.partners.loaded {
            // A screenful first, so the table shows at once on a large workspace; the whole list
            // follows and replaces it.
            let q = PartnerQuery {
                limit: 100,
                ..self.partners.query.clone()
            };
            self.partners.quick = Some(self.send(Request::Partners(q), Purpose::PartnersQuick));
        }
        let id = self.send(
            Request::Partners(self.partners.query.clone()),
            Purpose::Partners,
        );
        self.partners.req = Some(id);
        if let Some(d) = &self.partners.detail {
            let pid = d.id;
            let id = self.send(Request::PartnerDetail(pid), Purpose::Detail);
            if let Some(d) = &mut self.partners.detail {
                d.req = Some(id);
            }
        }
    }

    fn refresh_timeline(&mut self) {
        let id = self.send(
            Request::Activities(self.timeline.query.clone()),
            Purpose::Timeline,
        );
        self.timeline.req = Some(id);
        let nq = NoteQuery {
            partner: self.timeline.query.partner,
            from: self.timeline.query.from,
            to: self.timeline.query.to,
            ..NoteQuery::default()
        };
        let id = self.send(Request::Notes(nq), Purpose::TimelineNotes);
        self.timeline.notes_req = Some(id);
    }

    fn refresh_matrix(&mut self) {
        self.matrix.query.partners.lang = self.lang;
        let id = self.send(Request::Matrix(self.matrix.query.clone()), Purpose::Matrix);
        self.matrix.req = Some(id);
    }

    fn refresh_notes(&mut self) {
        let id = self.send(Request::Notes(self.notes.query.clone()), Purpose::Notes);
        self.notes.req = Some(id);
        let q = ActionQuery {
            owner: Some(self.user.clone()),
            partner: None,
            open_only: true,
        };
        let id = self.send(Request::ActionItems(q), Purpose::Actions);
        self.notes.actions_req = Some(id);
    }

    fn refresh_pane(&mut self, pane: Pane) {
        self.stale[pane.index()] = false;
        match pane {
            Pane::Partners => self.refresh_partners(),
            Pane::Timeline => self.refresh_timeline(),
            Pane::Matrix => self.refresh_matrix(),
            Pane::Notes => self.refresh_notes(),
        }
    }

    /// Reload the visible pane now and the others when they are next shown.
    fn refresh_all(&mut self) {
        for p in Pane::ALL {
            if p == self.pane {
                self.refresh_pane(p);
            } else {
                self.stale[p.index()] = true;
            }
        }
    }

    // ------------------------------------------------------------------ pumping

    /// Handle every answer and change event that has arrived, without waiting.
    pub fn drain(&mut self) {
        while let Some(m) = self.worker.try_recv() {
            self.on_worker_message(m);
        }
        let mut changed = false;
        while self.changes.as_ref().is_some_and(|c| c.try_recv().is_ok()) {
            changed = true;
        }
        if changed {
            self.refresh_names();
            self.refresh_all();
        }
        while let Some(m) = self.jobs.as_ref().and_then(|r| r.try_recv().ok()) {
            self.on_job(m);
        }
        // The connection state is a flag behind a short lock: cheap enough to read every tick.
        let up = self.client.as_ref().is_none_or(|c| c.connected());
        if up != self.connected {
            self.connected = up;
            self.dirty = true;
            if up {
                self.notice(Notice::Msg(Msg::Reconnected));
                self.refresh_names();
                self.refresh_all();
            }
        }
    }

    /// Wait up to `timeout` for an answer, then drain. For the run loop's idle time and tests.
    pub fn pump(&mut self, timeout: Duration) {
        if let Some(m) = self.worker.recv_timeout(timeout) {
            self.on_worker_message(m);
        }
        self.drain();
    }

    fn on_worker_message(&mut self, m: FromWorker) {
        self.dirty = true;
        match m {
            FromWorker::Answer(id, resp) => self.handle_response(id, resp),
            FromWorker::Ready {
                user,
                location,
                changes,
                client,
                today,
            } => {
                if let Some(d) = today {
                    self.today = d;
                }
                self.user = user;
                self.location = location;
                self.changes = Some(changes);
                self.connected = client.connected();
                self.client = Some(client);
            }
            FromWorker::OpenFailed(e) => {
                self.fatal = Some(e);
                self.quit = true;
            }
        }
    }

    /// True when no request is waiting for an answer.
    pub fn is_idle(&self) -> bool {
        self.worker.in_flight() == 0
    }

    /// Pump until nothing is in flight (or the deadline passes). Returns true when idle.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            self.drain();
            if self.is_idle() || self.fatal.is_some() {
                return self.fatal.is_none();
            }
            if Instant::now() >= deadline {
                return false;
            }
            self.pump(Duration::from_millis(20));
        }
    }

    /// Apply one service answer.
    pub fn handle_response(&mut self, id: ReqId, resp: Response) {
        self.dirty = true;
        let Some(purpose) = self.pending.remove(&id) else {
            return;
        };
        match (purpose, resp) {
            (Purpose::PartnersQuick, Response::Partners(page)) => {
                if self.partners.quick != Some(id) || self.partners.loaded {
                    return;
                }
                self.partners.total = page.total;
                self.partners.rows = page.items;
            }
            (Purpose::Partners, Response::Partners(page)) => {
                if self.partners.req != Some(id) {
                    return;
                }
                let keep = self.partners.rows.get(self.partners.selected).map(|r| r.id);
                self.partners.total = page.total;
                self.partners.rows = page.items;
                self.partners.loaded = true;
                self.partners.selected = reselect(
                    self.partners.rows.iter().map(|r| r.id),
                    keep,
                    self.partners.selected,
                );
            }
            (Purpose::PartnerNames, Response::PartnerNames(names)) => {
                self.partner_names = names;
            }
            (Purpose::Detail, Response::PartnerDetail(d)) => {
                if let Some(det) = &mut self.partners.detail
                    && det.req == Some(id)
                {
                    det.data = Some(d);
                }
            }
            (Purpose::Timeline, Response::Activities(page)) => {
                if self.timeline.req != Some(id) {
                    return;
                }
                self.timeline.activities = page.items;
                self.rebuild_timeline();
                // Start at today once; later reloads keep the cursor where the user put it.
                if self.timeline.jump_today {
                    self.timeline.jump_today = false;
                    self.jump_today();
                }
            }
            (Purpose::TimelineNotes, Response::Notes(page)) => {
                if self.timeline.notes_req != Some(id) {
                    return;
                }
                self.timeline.notes = page.items;
                self.rebuild_timeline();
            }
            (Purpose::Matrix, Response::Matrix(m)) => {
                if self.matrix.req != Some(id) {
                    return;
                }
                let keep = self
                    .matrix
                    .data
                    .as_ref()
                    .and_then(|d| d.rows.items.get(self.matrix.row))
                    .map(|r| r.partner);
                self.matrix.row = reselect(
                    m.rows.items.iter().map(|r| r.partner),
                    keep,
                    self.matrix.row,
                );
                self.matrix.data = Some(m);
            }
            (Purpose::Notes, Response::Notes(page)) => {
                if self.notes.req != Some(id) {
                    return;
                }
                let keep = self.notes.notes.get(self.notes.selected).map(|n| n.meta.id);
                self.notes.notes = page.items;
                self.notes.loaded = true;
                self.notes.selected = reselect(
                    self.notes.notes.iter().map(|n| n.meta.id),
                    keep,
                    self.notes.selected,
                );
                if let Some(o) = self.notes.open
                    && o >= self.notes.notes.len()
                {
                    self.notes.open = None;
                }
            }
            (Purpose::Actions, Response::ActionItems(items)) => {
                if self.notes.actions_req != Some(id) {
                    return;
                }
                self.notes.actions = items;
                self.notes.action_sel = self
                    .notes
                    .action_sel
                    .min(self.notes.actions.len().saturating_sub(1));
            }
            (Purpose::Renewals, Response::Renewals(rows)) => {
                if !rows.is_empty() {
                    let expired = rows
                        .iter()
                        .filter(|r| matches!(r.renewal, Renewal::Expired { .. }))
                        .count();
                    let first = rows.first().map(|r| r.name.clone()).unwrap_or_default();
                    self.notice(Notice::Renewals {
                        due: rows.len() - expired,
                        expired,
                        first,
                    });
                }
            }
            (Purpose::Save, resp) => self.save_answer(id, resp),
            (
                Purpose::History {
                    partner,
                    partner_name,
                    value,
                },
                Response::Assessments(history),
            ) => {
                let latest = history.first().map(|r| r.data.clone());
                self.open_form(assessment_form(
                    partner,
                    partner_name,
                    value,
                    history,
                    latest,
                    self.today,
                ));
            }
            (Purpose::ToggleAction { index }, Response::Record(AnyRecord::Note(mut rec))) => {
                if let Some(a) = rec.data.actions.get_mut(index) {
                    a.done = !a.done;
                    let req = Request::Update {
                        id: rec.meta.id,
                        expected_version: rec.meta.version,
                        data: AnyData::Note(rec.data),
                    };
                    self.send(req, Purpose::Mutation);
                }
            }
            (Purpose::EditLoaded, Response::Record(rec)) => match rec {
                AnyRecord::Partner(r) => self.open_form(partner_form(Some(&r), self.today)),
                AnyRecord::Activity(r) => {
                    let f =
                        activity_form(Some(&r), &self.partner_names, &[], &self.user, self.today);
                    self.open_form(f)
                }
                AnyRecord::Note(r) => {
                    let f = note_form(Some(&r), &self.partner_names, &[], &self.user, self.today);
                    self.open_form(f)
                }
                _ => {}
            },
            (Purpose::Mutation, Response::Saved { .. }) => self.notice(Notice::Msg(Msg::Saved)),
            (Purpose::Demo, Response::DemoLoaded(st)) => {
                let lang = self.lang;
                let detail = format!(
                    "{}, {}, {}",
                    crate::i18n::catalogue::count(
                        lang,
                        st.partners,
                        crate::i18n::catalogue::Noun::Partner
                    ),
                    crate::i18n::catalogue::count(
                        lang,
                        st.activities,
                        crate::i18n::catalogue::Noun::Activity
                    ),
                    crate::i18n::catalogue::count(
                        lang,
                        st.notes,
                        crate::i18n::catalogue::Noun::Note
                    )
                );
                self.notice(Notice::WithDetail(Msg::DemoLoaded, detail));
                self.refresh_names();
                self.refresh_all();
            }
            (_, resp) => self.general_answer(resp),
        }
    }

    fn general_answer(&mut self, resp: Response) {
        match resp {
            Response::Forbidden { .. } => self.notice(Notice::Msg(Msg::ReadOnly)),
            Response::Conflict(_) => {
                self.notice(Notice::Msg(Msg::Conflict));
                self.refresh_all();
            }
            Response::NotFound { .. } => self.notice(Notice::Msg(Msg::NotFound)),
            Response::Failed(e) => self.notice(Notice::WithDetail(Msg::StoreFailed, e)),
            Response::Invalid(errs) => {
                let text = errs
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            crate::i18n::catalogue::field_label(self.lang, &e.field),
                            crate::i18n::catalogue::rule(self.lang, &e.rule)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                self.notice(Notice::WithDetail(Msg::FixErrors, text));
            }
            _ => {}
        }
    }

    fn save_answer(&mut self, id: ReqId, resp: Response) {
        let Some(form) = &mut self.form else {
            return;
        };
        if form.saving != Some(id) {
            return;
        }
        form.saving = None;
        match resp {
            Response::Saved { .. } => {
                self.form = None;
                self.notice(Notice::Msg(Msg::Saved));
            }
            Response::Invalid(errs) => {
                apply_errors(form, &errs);
                self.notice(Notice::Msg(Msg::FixErrors));
            }
            Response::Conflict(info) => {
                // The form keeps the user's input; the dialog over it says who changed what.
                let rows = conflict_rows(form, &info, self.lang);
                self.overlay = Some(Overlay::Conflict(Box::new(ConflictView {
                    info,
                    rows,
                    show_was: false,
                })));
                self.keys.clear();
            }
            other => self.general_answer(other),
        }
    }

    fn rebuild_timeline(&mut self) {
        let tl = &mut self.timeline;
        let keep = tl.rows.get(tl.selected).copied().and_then(|r| match r {
            TlRow::Activity(i) => tl.activities.get(i).map(|a| (0, a.meta.id)),
            TlRow::Note(i) => tl.notes.get(i).map(|n| (1, n.meta.id)),
            TlRow::Month(..) => None,
        });
        let mut dated: Vec<(NaiveDate, u8, usize)> = Vec::new();
        for (i, a) in tl.activities.iter().enumerate() {
            dated.push((a.data.date, 0, i));
        }
        for (i, n) in tl.notes.iter().enumerate() {
            dated.push((n.data.date, 1, i));
        }
        dated.sort();
        let mut rows = Vec::new();
        let mut month: Option<NaiveDate> = None;
        let mut header_at = 0;
        let mut n_in_month = 0;
        for (date, kind, i) in dated {
            let m = month_start(date);
            if month != Some(m) {
                if let Some(prev) = month
                    && let Some(h) = rows.get_mut(header_at)
                {
                    *h = TlRow::Month(prev, n_in_month);
                }
                header_at = rows.len();
                rows.push(TlRow::Month(m, 0));
                month = Some(m);
                n_in_month = 0;
            }
            if kind == 0 {
                n_in_month += 1;
                rows.push(TlRow::Activity(i));
            } else {
                rows.push(TlRow::Note(i));
            }
        }
        if let Some(prev) = month
            && let Some(h) = rows.get_mut(header_at)
        {
            *h = TlRow::Month(prev, n_in_month);
        }
        tl.rows = rows;
        tl.loaded = true;
        let found = keep.and_then(|(k, id)| {
            tl.rows.iter().position(|r| match r {
                TlRow::Activity(i) => {
                    k == 0 && tl.activities.get(*i).map(|a| a.meta.id) == Some(id)
                }
                TlRow::Note(i) => k == 1 && tl.notes.get(*i).map(|n| n.meta.id) == Some(id),
                _ => false,
            })
        });
        if let Some(p) = found {
            tl.selected = p;
        } else {
            tl.selected = tl.selected.min(tl.rows.len().saturating_sub(1));
        }
    }

    fn jump_today(&mut self) {
        let today = self.today;
        let tl = &mut self.timeline;
        let pos = tl.rows.iter().position(|r| match r {
            TlRow::Activity(i) => tl.activities.get(*i).is_some_and(|a| a.data.date >= today),
            TlRow::Note(i) => tl.notes.get(*i).is_some_and(|n| n.data.date >= today),
            _ => false,
        });
        tl.selected = pos.unwrap_or(tl.rows.len().saturating_sub(1));
    }

    // ------------------------------------------------------------------ keys

    /// The keymap context for the current focus.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(
                Overlay::Confirm(_)
                | Overlay::Info(_)
                | Overlay::Exporting(_)
                | Overlay::Importing(_)
                | Overlay::Conflict(_),
            ) => return Context::Dialogs,
            Some(Overlay::Export(_) | Overlay::Import(_)) => return Context::Forms,
            Some(Overlay::ImportReview(_)) => return Context::Menus,
            Some(
                Overlay::Menu { .. }
                | Overlay::Palette { .. }
                | Overlay::Help { .. }
                | Overlay::Choose { .. },
            ) => {
                return Context::Menus;
            }
            Some(Overlay::Prompt { .. }) => return Context::Forms,
            None => {}
        }
        if let Some(f) = &self.form {
            return if f.in_editor() {
                Context::Editor
            } else {
                Context::Forms
            };
        }
        if self.searching {
            return Context::Forms;
        }
        self.pane.context()
    }

    /// The context of what lies under any overlay (for help and the palette).
    pub fn base_context(&self) -> Context {
        if let Some(f) = &self.form {
            return if f.in_editor() {
                Context::Editor
            } else {
                Context::Forms
            };
        }
        self.pane.context()
    }

    /// One key press from the terminal.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        self.dirty = true;
        let chord = KeyChord::from(ev);
        if chord.is_ctrl_c() {
            self.quit = true;
            return;
        }
        let ctx = self.context();
        match self.keymap.feed(&mut self.keys, ctx, chord) {
            KeyResult::Matched { action, count } => self.dispatch(ctx, action, count),
            KeyResult::Pending { .. } | KeyResult::Cancelled => {}
            KeyResult::Unbound => self.unbound(ctx, ev),
        }
    }

    /// A key the keymap does not bind here: text input for fields and filters.
    fn unbound(&mut self, ctx: Context, ev: KeyEvent) {
        match &mut self.overlay {
            Some(Overlay::Prompt { field, .. }) => {
                if ev.code == KeyCode::Enter {
                    self.finish_prompt();
                } else {
                    edit_field(field, ev);
                }
                return;
            }
            Some(Overlay::Help { filter, scroll, .. }) => {
                edit_string(filter, ev);
                *scroll = 0;
                return;
            }
            Some(Overlay::Palette {
                query, selected, ..
            }) => {
                edit_string(query, ev);
                *selected = 0;
                return;
            }
            Some(Overlay::Export(_) | Overlay::Import(_)) if ev.code == KeyCode::Enter => {
                self.start_transfer();
                return;
            }
            Some(Overlay::Export(d)) => {
                if let Some(f) = d.fields.get_mut(d.focus)
                    && edit_field(f, ev)
                {
                    d.changed(&self.export_dir, self.today);
                }
                return;
            }
            Some(Overlay::Import(d)) => {
                if let Some(f) = d.fields.get_mut(d.focus)
                    && edit_field(f, ev)
                {
                    d.problem = None;
                    d.error = None;
                }
                return;
            }
            Some(_) => return,
            None => {}
        }
        if let Some(form) = &mut self.form {
            if ctx == Context::Editor {
                if matches!(ev.code, KeyCode::Tab) {
                    self.dispatch(Context::Forms, Action::NextField, 1);
                    return;
                }
                if matches!(ev.code, KeyCode::BackTab) {
                    self.dispatch(Context::Forms, Action::PrevField, 1);
                    return;
                }
                if let Some(Field {
                    input: Input::Area(ta),
                    ..
                }) = form.fields.get_mut(form.focus)
                    && ta.input(ev)
                {
                    form.dirty = true;
                }
                return;
            }
            if let Some(f) = form.fields.get_mut(form.focus)
                && edit_field(f, ev)
            {
                f.problem = None;
                form.dirty = true;
            }
            return;
        }
        if self.searching {
            if ev.code == KeyCode::Enter {
                self.searching = false;
                return;
            }
            if edit_string(self.search_text_mut(), ev) {
                self.search_changed();
            }
        }
    }

    /// The search text of the visible pane.
    pub fn search_text(&self) -> &str {
        match self.pane {
            Pane::Partners => &self.partners.query.text,
            Pane::Timeline => &self.timeline.query.text,
            Pane::Matrix => &self.matrix.query.partners.text,
            Pane::Notes => &self.notes.query.text,
        }
    }

    fn search_text_mut(&mut self) -> &mut String {
        match self.pane {
            Pane::Partners => &mut self.partners.query.text,
            Pane::Timeline => &mut self.timeline.query.text,
            Pane::Matrix => &mut self.matrix.query.partners.text,
            Pane::Notes => &mut self.notes.query.text,
        }
    }

    fn search_changed(&mut self) {
        match self.pane {
            Pane::Partners => self.partners.selected = 0,
            Pane::Timeline => self.timeline.selected = 0,
            Pane::Matrix => self.matrix.row = 0,
            Pane::Notes => self.notes.selected = 0,
        }
        self.refresh_pane(self.pane);
    }

    /// Run an action in a context.
    pub fn dispatch(&mut self, ctx: Context, action: Action, count: usize) {
        match ctx {
            Context::Dialogs => self.dialog_action(action),
            Context::Menus => self.menu_action(action, count),
            Context::Forms | Context::Editor => {
                if matches!(self.overlay, Some(Overlay::Export(_) | Overlay::Import(_))) {
                    self.transfer_form_action(action);
                } else if matches!(self.overlay, Some(Overlay::Prompt { .. })) {
                    match action {
                        Action::Cancel | Action::Back => self.overlay = None,
                        Action::Save => self.finish_prompt(),
                        _ => self.global_action(action, count),
                    }
                } else if self.form.is_some() {
                    self.form_action(action)
                } else if self.searching {
                    match action {
                        Action::Cancel | Action::Back => {
                            self.searching = false;
                            self.search_text_mut().clear();
                            self.search_changed();
                        }
                        Action::Save | Action::NextField => self.searching = false,
                        _ => self.global_action(action, count),
                    }
                }
            }
            _ => self.global_action(action, count),
        }
    }

    fn dialog_action(&mut self, action: Action) {
        match &self.overlay {
            Some(Overlay::Exporting(run)) => {
                if matches!(action, Action::ConfirmNo | Action::Back | Action::Cancel) {
                    run.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                return;
            }
            Some(Overlay::Importing(_)) => return,
            Some(Overlay::Conflict(_)) => {
                self.conflict_action(action);
                return;
            }
            Some(Overlay::Confirm(ConfirmKind::OverwriteExport(_))) => {
                self.overlay = None;
                let job = self.export_waiting.take();
                match (action, job) {
                    (Action::ConfirmYes, Some(mut job)) => {
                        job.overwrite = true;
                        self.start_export(job);
                    }
                    _ => {
                        if let Some(d) = self.export_dialog.take() {
                            self.overlay = Some(Overlay::Export(Box::new(d)));
                        }
                    }
                }
                return;
            }
            _ => {}
        }
        if matches!(self.overlay, Some(Overlay::Info(_))) {
            if matches!(
                action,
                Action::ConfirmYes | Action::ConfirmNo | Action::Back
            ) {
                self.overlay = None;
            }
            return;
        }
        let Some(Overlay::Confirm(kind)) = self.overlay.take() else {
            return;
        };
        if action != Action::ConfirmYes {
            return;
        }
        match kind {
            ConfirmKind::Quit => self.quit = true,
            ConfirmKind::CancelForm => self.form = None,
            ConfirmKind::Archive {
                kind, id, version, ..
            } => {
                self.send(
                    Request::Archive {
                        kind,
                        id,
                        expected_version: version,
                    },
                    Purpose::Mutation,
                );
                self.partners.detail = None;
                self.notice(Notice::Msg(Msg::Archived));
            }
            ConfirmKind::Restore {
                kind, id, version, ..
            } => {
                self.send(
                    Request::Restore {
                        kind,
                        id,
                        expected_version: version,
                    },
                    Purpose::Mutation,
                );
                self.notice(Notice::Msg(Msg::Restored));
            }
            ConfirmKind::CancelActivity(rec) => {
                let mut data = rec.data;
                data.status = ActivityStatus::Cancelled;
                self.send(
                    Request::Update {
                        id: rec.meta.id,
                        expected_version: rec.meta.version,
                        data: AnyData::Activity(data),
                    },
                    Purpose::Mutation,
                );
                self.notice(Notice::Msg(Msg::Cancelled));
            }
            ConfirmKind::OverwriteExport(_) => {}
        }
    }

    /// The palette's matches for its query, best first.
    pub fn palette_matches(&self, query: &str) -> Vec<Action> {
        let mut scored: Vec<(i64, Action)> = Action::ALL
            .iter()
            .filter_map(|a| {
                let hay = format!("{} {}", a.name(), a.description(self.lang));
                fuzzy(query, &hay).map(|s| (s, *a))
            })
            .collect();
        scored.sort_by_key(|(s, a)| (std::cmp::Reverse(*s), *a));
        scored.into_iter().map(|(_, a)| a).collect()
    }

    /// The help lines for a context, filtered: (keys, action).
    pub fn help_lines(&self, context: Context, filter: &str) -> Vec<(String, Action)> {
        let f = crate::domain::text::fold(filter);
        self.keymap
            .effective_bindings(context)
            .into_iter()
            .filter(|(k, a)| {
                f.is_empty()
                    || crate::domain::text::fold(&format!(
                        "{k} {} {}",
                        a.name(),
                        a.description(self.lang)
                    ))
                    .contains(&f)
            })
            .collect()
    }

    fn menu_action(&mut self, action: Action, count: usize) {
        let Some(ov) = &mut self.overlay else {
            return;
        };
        match ov {
            Overlay::Menu { selected } => match action {
                Action::MoveDown | Action::MoveRight => {
                    *selected = (*selected + count) % MENU.len()
                }
                Action::MoveUp | Action::MoveLeft => {
                    *selected = (*selected + MENU.len() * count - count) % MENU.len()
                }
                Action::First => *selected = 0,
                Action::Last => *selected = MENU.len() - 1,
                Action::Open => {
                    let a = MENU.get(*selected).map(|m| m.1);
                    self.overlay = None;
                    if let Some(a) = a {
                        self.run_anywhere(a);
                    }
                }
                Action::Back | Action::Menu => self.overlay = None,
                other => self.global_action(other, count),
            },
            Overlay::Palette { query, .. } => {
                let q = query.clone();
                let n = self.palette_matches(&q).len();
                match action {
                    Action::MoveDown => {
                        if let Some(Overlay::Palette { selected, .. }) = &mut self.overlay {
                            *selected = (*selected + count).min(n.saturating_sub(1));
                        }
                    }
                    Action::MoveUp => {
                        if let Some(Overlay::Palette { selected, .. }) = &mut self.overlay {
                            *selected = selected.saturating_sub(count);
                        }
                    }
                    Action::Open => {
                        let sel = match &self.overlay {
                            Some(Overlay::Palette { selected, .. }) => *selected,
                            _ => 0,
                        };
                        let a = self.palette_matches(&q).get(sel).copied();
                        self.overlay = None;
                        if let Some(a) = a {
                            self.run_anywhere(a);
                        }
                    }
                    Action::Back => self.overlay = None,
                    other => self.global_action(other, count),
                }
            }
            Overlay::Choose {
                items, selected, ..
            } => {
                let n = items.len().max(1);
                match action {
                    Action::MoveDown | Action::MoveRight => *selected = (*selected + 1) % n,
                    Action::MoveUp | Action::MoveLeft => *selected = (*selected + n - 1) % n,
                    Action::First => *selected = 0,
                    Action::Last => *selected = n - 1,
                    Action::Open => {
                        let c = items.get(*selected).map(|(_, c)| c.clone());
                        self.overlay = None;
                        if let Some(c) = c {
                            self.open_choice(c);
                        }
                    }
                    Action::Back => self.overlay = None,
                    other => self.global_action(other, count),
                }
            }
            Overlay::ImportReview(r) => {
                let n = r.choices.len().max(1);
                let lines = r.lines().len();
                match action {
                    Action::MoveDown | Action::MoveRight => r.selected = (r.selected + 1) % n,
                    Action::MoveUp | Action::MoveLeft => r.selected = (r.selected + n - 1) % n,
                    Action::PageDown => {
                        r.scroll = (r.scroll + 10 * count).min(lines.saturating_sub(1))
                    }
                    Action::PageUp => r.scroll = r.scroll.saturating_sub(10 * count),
                    Action::First => r.scroll = 0,
                    Action::Last => r.scroll = lines.saturating_sub(1),
                    Action::Open => {
                        let choice = r.choices.get(r.selected).copied();
                        self.import_choice(choice.unwrap_or(ImportChoice::Cancel));
                    }
                    Action::Back | Action::Cancel => self.import_choice(ImportChoice::Cancel),
                    Action::ToggleLanguage => self.set_lang(self.lang.toggle()),
                    _ => {}
                }
            }
            Overlay::Help { scroll, .. } => match action {
                Action::MoveDown | Action::PageDown => *scroll += count,
                Action::MoveUp | Action::PageUp => *scroll = scroll.saturating_sub(count),
                Action::First => *scroll = 0,
                Action::Back | Action::Help | Action::Open => self.overlay = None,
                other => self.global_action(other, count),
            },
            _ => {}
        }
    }

    /// Run an action chosen from the menu or the palette: in the form when one is open.
    fn run_anywhere(&mut self, action: Action) {
        if self.form.is_some() {
            match action {
                Action::Save
                | Action::Cancel
                | Action::NextField
                | Action::PrevField
                | Action::AddActionItem
                | Action::DeleteRow
                | Action::AddRow => {
                    self.form_action(action);
                    return;
                }
                _ => {}
            }
        }
        self.global_action(action, 1);
    }

    fn form_action(&mut self, action: Action) {
        let Some(form) = &mut self.form else {
            return;
        };
        match action {
            Action::Save => self.save_form(),
            Action::Cancel | Action::Back => {
                if form.dirty {
                    self.overlay = Some(Overlay::Confirm(ConfirmKind::CancelForm));
                } else {
                    self.form = None;
                }
            }
            Action::NextField => form.focus = (form.focus + 1) % form.fields.len().max(1),
            Action::PrevField => {
                let n = form.fields.len().max(1);
                form.focus = (form.focus + n - 1) % n;
            }
            Action::AddActionItem | Action::AddRow => {
                if matches!(form.kind, FormKind::Note(_)) {
                    let n = form
                        .fields
                        .iter()
                        .filter(|f| f.name.starts_with("action_text."))
                        .count();
                    form.fields.extend(action_fields(n, None, &self.user));
                    form.focus = form.fields.len() - 4;
                    form.dirty = true;
                }
            }
            Action::DeleteRow => {
                if let Some(f) = form.fields.get(form.focus)
                    && let Some((_, n)) = f.name.split_once('.')
                {
                    let suffix = format!(".{n}");
                    form.fields.retain(|f| !f.name.ends_with(&suffix));
                    form.focus = form.focus.min(form.fields.len().saturating_sub(1));
                    form.dirty = true;
                }
            }
            other => self.global_action(other, 1),
        }
    }

    fn open_choice(&mut self, c: Choice) {
        let (names, user, today) = (&self.partner_names, &self.user, self.today);
        let form = match c {
            Choice::NewAgreement(p) => agreement_form(None, p, today),
            Choice::NewContact(p) => contact_form(None, p),
            Choice::NewActivity(p) => activity_form(None, names, &[p], user, today),
            Choice::NewNote(p) => note_form(None, names, &[p], user, today),
            Choice::EditAgreement(r) => agreement_form(Some(&r), r.data.partner, today),
            Choice::EditContact(r) => contact_form(Some(&r), r.data.partner),
            Choice::EditPartner(id) => {
                self.send(
                    Request::Get {
                        kind: EntityKind::Partner,
                        id,
                    },
                    Purpose::EditLoaded,
                );
                return;
            }
        };
        self.open_form(form);
    }

    fn open_form(&mut self, form: Form) {
        self.form = Some(form);
        self.keys.clear();
    }

    fn finish_prompt(&mut self) {
        let Some(Overlay::Prompt { kind, field }) = self.overlay.take() else {
            return;
        };
        let v = field.value();
        match kind {
            PromptKind::Country => {
                let c = v.trim().to_uppercase();
                self.partners.query.country = if c.is_empty() { None } else { Some(c) };
                self.partners.selected = 0;
                self.refresh_partners();
            }
            PromptKind::Partner => {
                let id = if v.is_empty() {
                    None
                } else {
                    resolve_partner(&self.partner_names, &v)
                };
                if !v.is_empty() && id.is_none() {
                    self.notice(Notice::WithDetail(Msg::UnknownPartnerName, v));
                    return;
                }
                match self.pane {
                    Pane::Notes => {
                        self.notes.query.partner = id;
                        self.refresh_notes();
                    }
                    _ => {
                        self.timeline.query.partner = id;
                        self.refresh_timeline();
                    }
                }
            }
            PromptKind::DateRange => {
                if v.is_empty() {
                    self.timeline.query.from = Some(month_start(add_months(self.today, -6)));
                    self.timeline.query.to = month_start(add_months(self.today, 6)).pred_opt();
                } else {
                    let (a, b) = v.split_once("..").unwrap_or((&v, ""));
                    let from = parse_date(a);
                    let to = parse_date(b);
                    if (from.is_none() && !a.trim().is_empty())
                        || (to.is_none() && !b.trim().is_empty())
                    {
                        self.notice(Notice::WithDetail(Msg::BadDate, v));
                        return;
                    }
                    self.timeline.query.from = from;
                    self.timeline.query.to = to;
                }
                self.refresh_timeline();
            }
        }
    }

    fn prompt(&mut self, kind: PromptKind, current: &str) {
        let label = match kind {
            PromptKind::Country => Msg::CountryPrompt,
            PromptKind::Partner => Msg::PartnerPrompt,
            PromptKind::DateRange => Msg::DateRangePrompt,
        };
        self.overlay = Some(Overlay::Prompt {
            kind,
            field: Field::text("prompt", label, current),
        });
    }

    fn global_action(&mut self, action: Action, count: usize) {
        match action {
            Action::Quit => {
                if self.form.as_ref().is_some_and(|f| f.dirty) {
                    self.overlay = Some(Overlay::Confirm(ConfirmKind::Quit));
                } else {
                    self.quit = true;
                }
            }
            Action::PanePartners => self.set_pane(Pane::Partners),
            Action::PaneTimeline => self.set_pane(Pane::Timeline),
            Action::PaneMatrix => self.set_pane(Pane::Matrix),
            Action::PaneNotes => self.set_pane(Pane::Notes),
            Action::NextPane => self.set_pane(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.set_pane(Pane::ALL[(self.pane.index() + 3) % 4]),
            Action::Help => {
                self.overlay = Some(Overlay::Help {
                    filter: String::new(),
                    scroll: 0,
                    context: self.base_context(),
                })
            }
            Action::CommandPalette => {
                self.overlay = Some(Overlay::Palette {
                    query: String::new(),
                    selected: 0,
                    context: self.base_context(),
                })
            }
            Action::Menu => self.overlay = Some(Overlay::Menu { selected: 0 }),
            Action::ToggleLanguage => self.set_lang(self.lang.toggle()),
            Action::ExportCsv => self.open_export(),
            Action::ImportCsv => self.open_import(),
            Action::LoadDemo => {
                self.notice(Notice::Msg(Msg::DemoLoading));
                self.send(Request::LoadDemo, Purpose::Demo);
            }
            Action::Redraw => self.redraw = true,
            _ if self.form.is_some() => {}
            _ => match self.pane {
                Pane::Partners => self.partners_action(action, count),
                Pane::Timeline => self.timeline_action(action, count),
                Pane::Matrix => self.matrix_action(action, count),
                Pane::Notes => self.notes_action(action, count),
            },
        }
    }

    fn set_pane(&mut self, pane: Pane) {
        if self.form.is_some() {
            return;
        }
        self.pane = pane;
        self.keys.clear();
        self.searching = false;
        if self.stale[pane.index()] {
            self.refresh_pane(pane);
        }
    }

    /// Switch the language; everything else stays as it is.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        // Name order follows the language.
        for p in [Pane::Partners, Pane::Matrix] {
            if p == self.pane {
                self.refresh_pane(p);
            } else {
                self.stale[p.index()] = true;
            }
        }
        self.refresh_names();
    }

    fn not_here(&mut self) {
        self.notice(Notice::Msg(Msg::NotHere));
    }

    fn partners_action(&mut self, action: Action, count: usize) {
        let n = self.partners.rows.len();
        if let Some(d) = &mut self.partners.detail {
            match action {
                Action::MoveDown => d.scroll = d.scroll.saturating_add(count as u16),
                Action::MoveUp => d.scroll = d.scroll.saturating_sub(count as u16),
                Action::PageDown => d.scroll = d.scroll.saturating_add(10),
                Action::PageUp => d.scroll = d.scroll.saturating_sub(10),
                Action::First => d.scroll = 0,
                Action::Back => self.partners.detail = None,
                Action::Edit => {
                    let id = d.id;
                    let mut items = vec![(
                        ChoiceLabel::Msg(Msg::EditPartnerItem),
                        Choice::EditPartner(id),
                    )];
                    if let Some(data) = &d.data {
                        for a in &data.agreements {
                            items.push((
                                ChoiceLabel::Named(
                                    Msg::Agreements,
                                    format!("{} ({})", a.data.title, a.data.start),
                                ),
                                Choice::EditAgreement(Box::new(a.clone())),
                            ));
                        }
                        for c in &data.contacts {
                            items.push((
                                ChoiceLabel::Named(Msg::FName, c.data.name.clone()),
                                Choice::EditContact(Box::new(c.clone())),
                            ));
                        }
                    }
                    self.overlay = Some(Overlay::Choose {
                        title: Msg::ChooseEdit,
                        items,
                        selected: 0,
                    });
                }
                Action::Archive => self.confirm_archive_partner(),
                Action::Add => {
                    let id = d.id;
                    self.overlay = Some(Overlay::Choose {
                        title: Msg::ChooseAdd,
                        items: vec![
                            (
                                ChoiceLabel::Msg(Msg::AddAgreement),
                                Choice::NewAgreement(id),
                            ),
                            (ChoiceLabel::Msg(Msg::AddContact), Choice::NewContact(id)),
                            (ChoiceLabel::Msg(Msg::AddActivity), Choice::NewActivity(id)),
                            (ChoiceLabel::Msg(Msg::AddNote), Choice::NewNote(id)),
                        ],
                        selected: 0,
                    });
                }
                _ => self.not_here(),
            }
            return;
        }
        let sel = &mut self.partners.selected;
        match action {
            Action::MoveDown => *sel = (*sel + count).min(n.saturating_sub(1)),
            Action::MoveUp => *sel = sel.saturating_sub(count),
            Action::First => *sel = 0,
            Action::Last => *sel = n.saturating_sub(1),
            Action::PageDown => *sel = (*sel + 15 * count).min(n.saturating_sub(1)),
            Action::PageUp => *sel = sel.saturating_sub(15 * count),
            Action::Open => {
                if let Some(row) = self.partners.rows.get(*sel) {
                    let id = row.id;
                    let req = self.send(Request::PartnerDetail(id), Purpose::Detail);
                    self.partners.detail = Some(DetailState {
                        id,
                        data: None,
                        scroll: 0,
                        req: Some(req),
                    });
                }
            }
            Action::Back | Action::ClearFilter => {
                let q = &mut self.partners.query;
                q.text.clear();
                q.phase = None;
                q.kind = None;
                q.country = None;
                q.tier = None;
                self.partners.selected = 0;
                self.refresh_partners();
            }
            Action::Add => self.open_form(partner_form(None, self.today)),
            Action::Edit => {
                if let Some(row) = self.partners.rows.get(*sel) {
                    let id = row.id;
                    self.send(
                        Request::Get {
                            kind: EntityKind::Partner,
                            id,
                        },
                        Purpose::EditLoaded,
                    );
                }
            }
            Action::Archive => self.confirm_archive_partner(),
            Action::Restore => {
                if let Some(row) = self.partners.rows.get(*sel)
                    && row.archived
                {
                    self.overlay = Some(Overlay::Confirm(ConfirmKind::Restore {
                        kind: EntityKind::Partner,
                        id: row.id,
                        version: row.version,
                        name: row.name.clone(),
                    }));
                } else {
                    self.not_here();
                }
            }
            Action::ShowArchive => {
                self.partners.query.archived = match self.partners.query.archived {
                    Archived::Only => Archived::Hide,
                    _ => Archived::Only,
                };
                self.partners.selected = 0;
                self.refresh_partners();
            }
            Action::Search => self.searching = true,
            Action::FilterPhase => {
                self.partners.query.phase = cycle(self.partners.query.phase, Phase::ALL);
                self.partners.selected = 0;
                self.refresh_partners();
            }
            Action::FilterKind => {
                self.partners.query.kind = cycle(self.partners.query.kind, OrgKind::ALL);
                self.partners.selected = 0;
                self.refresh_partners();
            }
            Action::FilterTier => {
                self.partners.query.tier = cycle(self.partners.query.tier, Tier::ALL);
                self.partners.selected = 0;
                self.refresh_partners();
            }
            Action::FilterCountry => {
                let c = self.partners.query.country.clone().unwrap_or_default();
                self.prompt(PromptKind::Country, &c);
            }
            Action::SortNextColumn => {
                use PartnerColumn as C;
                self.partners.query.sort = match self.partners.query.sort {
                    C::Name => C::Kind,
                    C::Kind => C::Country,
                    C::Country => C::Phase,
                    C::Phase => C::AgreementEnd,
                    C::AgreementEnd => C::Value,
                    C::Value => C::Name,
                };
                self.refresh_partners();
            }
            Action::SortReverse => {
                self.partners.query.descending = !self.partners.query.descending;
                self.refresh_partners();
            }
            _ => self.not_here(),
        }
    }

    fn confirm_archive_partner(&mut self) {
        let row = if let Some(d) = &self.partners.detail {
            d.data.as_ref().map(|d| {
                (
                    d.partner.meta.id,
                    d.partner.meta.version,
                    d.partner.data.name.clone(),
                    d.partner.meta.archived,
                )
            })
        } else {
            self.partners
                .rows
                .get(self.partners.selected)
                .map(|r| (r.id, r.version, r.name.clone(), r.archived))
        };
        match row {
            Some((id, version, name, false)) => {
                self.overlay = Some(Overlay::Confirm(ConfirmKind::Archive {
                    kind: EntityKind::Partner,
                    id,
                    version,
                    name,
                }))
            }
            _ => self.not_here(),
        }
    }

    /// The selected timeline activity.
    pub fn timeline_selected(&self) -> Option<&Record<Activity>> {
        match self.timeline.rows.get(self.timeline.selected)? {
            TlRow::Activity(i) => self.timeline.activities.get(*i),
            _ => None,
        }
    }

    fn timeline_action(&mut self, action: Action, count: usize) {
        let n = self.timeline.rows.len();
        let sel = &mut self.timeline.selected;
        match action {
            Action::MoveDown => *sel = (*sel + count).min(n.saturating_sub(1)),
            Action::MoveUp => *sel = sel.saturating_sub(count),
            Action::First => *sel = 0,
            Action::Last => *sel = n.saturating_sub(1),
            Action::PageDown => *sel = (*sel + 15 * count).min(n.saturating_sub(1)),
            Action::PageUp => *sel = sel.saturating_sub(15 * count),
            Action::MoveLeft | Action::MoveRight => {
                let m = if action == Action::MoveLeft { -1 } else { 1 } * count as i32;
                let q = &mut self.timeline.query;
                q.from = q.from.map(|d| add_months(d, m));
                q.to = q.to.map(|d| add_months(d, m));
                self.refresh_timeline();
            }
            Action::JumpToday => {
                let q = &self.timeline.query;
                let inside =
                    q.from.is_none_or(|f| f <= self.today) && q.to.is_none_or(|t| t >= self.today);
                if inside {
                    self.timeline.jump_today = false;
                    self.jump_today();
                } else {
                    // Bring today back into the range, then jump when the rows are in.
                    self.timeline.query.from = Some(month_start(add_months(self.today, -6)));
                    self.timeline.query.to = month_start(add_months(self.today, 6)).pred_opt();
                    self.timeline.jump_today = true;
                    self.refresh_timeline();
                }
            }
            Action::Add => {
                let pre: Vec<Id> = self.timeline.query.partner.into_iter().collect();
                let f = activity_form(None, &self.partner_names, &pre, &self.user, self.today);
                self.open_form(f);
            }
            Action::Edit | Action::Open => {
                if let Some(r) = self.timeline_selected() {
                    let f =
                        activity_form(Some(r), &self.partner_names, &[], &self.user, self.today);
                    self.open_form(f);
                } else if let Some(TlRow::Note(i)) = self.timeline.rows.get(self.timeline.selected)
                    && let Some(note) = self.timeline.notes.get(*i)
                {
                    let f = note_form(Some(note), &self.partner_names, &[], &self.user, self.today);
                    self.open_form(f);
                }
            }
            Action::Archive => {
                if let Some(r) = self.timeline_selected().cloned() {
                    self.overlay = Some(Overlay::Confirm(ConfirmKind::CancelActivity(Box::new(r))));
                } else {
                    self.not_here();
                }
            }
            Action::Search => self.searching = true,
            Action::FilterPartner => self.prompt(PromptKind::Partner, ""),
            Action::FilterKind => {
                self.timeline.query.kind = cycle(self.timeline.query.kind, ActivityKind::ALL);
                self.refresh_timeline();
            }
            Action::FilterStatus => {
                self.timeline.query.status = cycle(self.timeline.query.status, ActivityStatus::ALL);
                self.refresh_timeline();
            }
            Action::FilterValue => {
                self.timeline.query.value = cycle(self.timeline.query.value, AddedValue::ALL);
                self.refresh_timeline();
            }
            Action::FilterDateRange => {
                let cur = format!(
                    "{}..{}",
                    self.timeline
                        .query
                        .from
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    self.timeline
                        .query
                        .to
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                );
                self.prompt(PromptKind::DateRange, &cur);
            }
            Action::ClearFilter | Action::Back => {
                let q = &mut self.timeline.query;
                q.partner = None;
                q.kind = None;
                q.status = None;
                q.value = None;
                q.text.clear();
                self.refresh_timeline();
            }
            _ => self.not_here(),
        }
    }

    /// The selected matrix cell: (partner id, name, value).
    pub fn matrix_cell(&self) -> Option<(Id, String, AddedValue)> {
        let row = self.matrix.data.as_ref()?.rows.items.get(self.matrix.row)?;
        let v = *AddedValue::ALL.get(self.matrix.col)?;
        Some((row.partner, row.name.clone(), v))
    }

    fn matrix_action(&mut self, action: Action, count: usize) {
        let n = self
            .matrix
            .data
            .as_ref()
            .map(|m| m.rows.items.len())
            .unwrap_or(0);
        let m = &mut self.matrix;
        match action {
            Action::MoveDown => m.row = (m.row + count).min(n.saturating_sub(1)),
            Action::MoveUp => m.row = m.row.saturating_sub(count),
            Action::MoveRight => m.col = (m.col + count).min(5),
            Action::MoveLeft => m.col = m.col.saturating_sub(count),
            Action::First => m.row = 0,
            Action::Last => m.row = n.saturating_sub(1),
            Action::PageDown => m.row = (m.row + 15 * count).min(n.saturating_sub(1)),
            Action::PageUp => m.row = m.row.saturating_sub(15 * count),
            Action::Search => self.searching = true,
            Action::ClearFilter | Action::Back => {
                m.query.partners.text.clear();
                self.refresh_matrix();
            }
            Action::ToggleMatrixView => {
                m.query.with_activity_counts = !m.query.with_activity_counts;
                self.refresh_matrix();
            }
            Action::SortNextColumn => {
                let v = AddedValue::ALL.get(m.col).copied();
                m.query.sort_by_value = if m.query.sort_by_value == v { None } else { v };
                self.refresh_matrix();
            }
            Action::SortReverse => {
                m.query.partners.descending = !m.query.partners.descending;
                self.refresh_matrix();
            }
            Action::Open | Action::Edit | Action::Add => {
                if let Some((partner, partner_name, value)) = self.matrix_cell() {
                    self.send(
                        Request::AssessmentHistory { partner, value },
                        Purpose::History {
                            partner,
                            partner_name,
                            value,
                        },
                    );
                }
            }
            _ => self.not_here(),
        }
    }

    fn notes_action(&mut self, action: Action, count: usize) {
        if self.notes.my_actions {
            let n = self.notes.actions.len();
            let sel = &mut self.notes.action_sel;
            match action {
                Action::MoveDown => *sel = (*sel + count).min(n.saturating_sub(1)),
                Action::MoveUp => *sel = sel.saturating_sub(count),
                Action::First => *sel = 0,
                Action::Last => *sel = n.saturating_sub(1),
                Action::MyActionItems | Action::Back => self.notes.my_actions = false,
                Action::ToggleActionDone => {
                    if let Some(a) = self.notes.actions.get(*sel) {
                        let (id, index) = (a.note, a.index);
                        self.send(
                            Request::Get {
                                kind: EntityKind::Note,
                                id,
                            },
                            Purpose::ToggleAction { index },
                        );
                    }
                }
                Action::Open | Action::Edit => {
                    if let Some(a) = self.notes.actions.get(*sel) {
                        let id = a.note;
                        self.send(
                            Request::Get {
                                kind: EntityKind::Note,
                                id,
                            },
                            Purpose::EditLoaded,
                        );
                    }
                }
                _ => self.not_here(),
            }
            return;
        }
        let n = self.notes.notes.len();
        let sel = &mut self.notes.selected;
        match action {
            Action::MoveDown => *sel = (*sel + count).min(n.saturating_sub(1)),
            Action::MoveUp => *sel = sel.saturating_sub(count),
            Action::First => *sel = 0,
            Action::Last => *sel = n.saturating_sub(1),
            Action::PageDown => *sel = (*sel + 10 * count).min(n.saturating_sub(1)),
            Action::PageUp => *sel = sel.saturating_sub(10 * count),
            Action::Open => {
                self.notes.open = if self.notes.open == Some(*sel) {
                    None
                } else {
                    Some(*sel)
                }
            }
            Action::Back => {
                if self.notes.open.is_some() {
                    self.notes.open = None;
                } else {
                    self.notes.query.partner = None;
                    self.notes.query.text.clear();
                    self.refresh_notes();
                }
            }
            Action::MyActionItems => self.notes.my_actions = true,
            Action::Add => {
                let pre: Vec<Id> = self.notes.query.partner.into_iter().collect();
                let f = note_form(None, &self.partner_names, &pre, &self.user, self.today);
                self.open_form(f);
            }
            Action::Edit | Action::AddActionItem => {
                if let Some(note) = self.notes.notes.get(*sel) {
                    let mut f =
                        note_form(Some(note), &self.partner_names, &[], &self.user, self.today);
                    if action == Action::AddActionItem {
                        let k = f
                            .fields
                            .iter()
                            .filter(|f| f.name.starts_with("action_text."))
                            .count();
                        f.fields.extend(action_fields(k, None, &self.user));
                        f.focus = f.fields.len() - 4;
                        f.dirty = true;
                    }
                    self.open_form(f);
                }
            }
            Action::Archive => {
                if let Some(note) = self.notes.notes.get(*sel) {
                    self.overlay = Some(Overlay::Confirm(ConfirmKind::Archive {
                        kind: EntityKind::Note,
                        id: note.meta.id,
                        version: note.meta.version,
                        name: note.data.title.clone(),
                    }));
                }
            }
            Action::FilterPartner => self.prompt(PromptKind::Partner, ""),
            Action::Search => self.searching = true,
            Action::ClearFilter => {
                self.notes.query.partner = None;
                self.notes.query.text.clear();
                self.refresh_notes();
            }
            _ => self.not_here(),
        }
    }

    // ------------------------------------------------------------------ forms

    fn save_form(&mut self) {
        let Some(form) = &mut self.form else {
            return;
        };
        if form.saving.is_some() {
            return;
        }
        for f in &mut form.fields {
            f.problem = None;
        }
        form.general.clear();
        let data = match build_data(form, &self.partner_names, &self.user) {
            Ok(d) => d,
            Err(problems) => {
                for (name, p) in problems {
                    form.set_problem(&name, p);
                }
                self.notice(Notice::Msg(Msg::FixErrors));
                return;
            }
        };
        let req = match &form.kind {
            FormKind::Partner(Some((id, v)))
            | FormKind::Activity(Some((id, v)))
            | FormKind::Note(Some((id, v)))
            | FormKind::Agreement {
                id: Some((id, v)), ..
            }
            | FormKind::Contact {
                id: Some((id, v)), ..
            } => Request::Update {
                id: *id,
                expected_version: *v,
                data,
            },
            _ => Request::Create(data),
        };
        let id = self.worker.send(req);
        self.pending.insert(id, Purpose::Save);
        if let Some(form) = &mut self.form {
            form.saving = Some(id);
        }
    }
}

/// Keep the selection on the same record after a reload, else keep the index in range.
fn reselect(ids: impl Iterator<Item = Id>, keep: Option<Id>, old: usize) -> usize {
    let ids: Vec<Id> = ids.collect();
    if let Some(k) = keep
        && let Some(p) = ids.iter().position(|i| *i == k)
    {
        return p;
    }
    old.min(ids.len().saturating_sub(1))
}

/// Next filter value: none → first → … → last → none.
fn cycle<T: Copy + PartialEq>(cur: Option<T>, all: &[T]) -> Option<T> {
    match cur {
        None => all.first().copied(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c).unwrap_or(0);
            all.get(i + 1).copied()
        }
    }
}

/// Subsequence fuzzy match: higher is better; None when not all query characters appear in order.
pub fn fuzzy(query: &str, hay: &str) -> Option<i64> {
    let q = crate::domain::text::fold(query);
    let h = crate::domain::text::fold(hay);
    if q.trim().is_empty() {
        return Some(0);
    }
    if let Some(p) = h.find(q.trim()) {
        return Some(1000 - p as i64);
    }
    let mut score = 0i64;
    let mut hi = h.chars().enumerate();
    let mut last = 0usize;
    for qc in q.chars().filter(|c| !c.is_whitespace()) {
        let (i, _) = hi.find(|(_, hc)| *hc == qc)?;
        score -= (i - last) as i64;
        last = i;
    }
    Some(score)
}

/// Edit a plain string with a key (Backspace and characters). Returns true when changed.
fn edit_string(s: &mut String, ev: KeyEvent) -> bool {
    match ev.code {
        KeyCode::Backspace => s.pop().is_some(),
        KeyCode::Char(c) if !c.is_control() => {
            s.push(c);
            true
        }
        _ => false,
    }
}

/// Edit a form field with a key. Returns true when the value changed.
fn edit_field(f: &mut Field, ev: KeyEvent) -> bool {
    match ev.code {
        KeyCode::Char(c) => f.type_char(c),
        KeyCode::Backspace => f.backspace(),
        KeyCode::Delete => f.delete(),
        KeyCode::Left => f.step(false),
        KeyCode::Right => f.step(true),
        KeyCode::Home => {
            f.home_end(false);
            false
        }
        KeyCode::End => {
            f.home_end(true);
            false
        }
        _ => false,
    }
}

fn apply_errors(form: &mut Form, errs: &[FieldError]) {
    for e in errs {
        let name = match e.field.as_str() {
            "actions" => form
                .fields
                .iter()
                .find(|f| f.name.starts_with("action_text."))
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            "kind" if matches!(form.kind, FormKind::Note(_)) => "meeting_kind".into(),
            other => other.to_string(),
        };
        if !form.set_problem(&name, Problem::Rule(e.rule.clone())) {
            form.general.push(Notice::FieldRule {
                field: e.field.clone(),
                rule: e.rule.clone(),
            });
        }
    }
    if let Some(p) = form.fields.iter().position(|f| f.problem.is_some()) {
        form.focus = p;
    }
}

fn index_of<E: Enumerated>(v: E) -> usize {
    E::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

fn partner_names_of(ids: &[Id], names: &[(Id, String)]) -> String {
    ids.iter()
        .map(|id| {
            names
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| format!("#{id}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The partner a typed name means: exact (ignoring case and accents), else the only prefix match.
pub fn resolve_partner(names: &[(Id, String)], typed: &str) -> Option<Id> {
    let t = crate::domain::text::fold(typed.trim());
    if let Some(id) = typed.trim().strip_prefix('#').and_then(|n| n.parse().ok()) {
        return names.iter().find(|(i, _)| i.0 == id).map(|(i, _)| *i);
    }
    if let Some((id, _)) = names
        .iter()
        .find(|(_, n)| crate::domain::text::fold(n) == t)
    {
        return Some(*id);
    }
    let mut matches = names
        .iter()
        .filter(|(_, n)| crate::domain::text::fold(n).starts_with(&t));
    let first = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    Some(first.0)
}

fn new_form(kind: FormKind, fields: Vec<Field>) -> Form {
    Form {
        kind,
        fields,
        focus: 0,
        dirty: false,
        saving: None,
        general: Vec::new(),
    }
}

/// The partner form, empty or filled from a record.
pub fn partner_form(rec: Option<&Record<Partner>>, _today: NaiveDate) -> Form {
    let p = rec.map(|r| &r.data);
    let s = |f: fn(&Partner) -> String| p.map(f).unwrap_or_default();
    let formats: Vec<bool> = Format::ALL
        .iter()
        .map(|f| p.is_some_and(|p| p.formats.contains(f)))
        .collect();
    let fields = vec![
        Field::text("name", Msg::FName, &s(|p| p.name.clone())),
        Field::text(
            "short_name",
            Msg::FShortName,
            &s(|p| p.short_name.clone().unwrap_or_default()),
        ),
        Field::choice(
            "kind",
            Msg::FKind,
            Choices::OrgKind,
            p.map(|p| index_of(p.kind)).unwrap_or(0),
        ),
        Field::text("country", Msg::FCountry, &s(|p| p.country.clone())),
        Field::text("city", Msg::FCity, &s(|p| p.city.clone())),
        Field::text("website", Msg::FWebsite, &s(|p| p.website.clone())),
        Field::choice(
            "phase",
            Msg::FPhase,
            Choices::Phase,
            p.map(|p| index_of(p.phase)).unwrap_or(0),
        ),
        Field::choice(
            "tier",
            Msg::FTier,
            Choices::Tier,
            p.map(|p| index_of(p.tier)).unwrap_or(0),
        ),
        Field::multi("formats", Msg::FFormats, Choices::Format, formats),
        Field::text("faculties", Msg::FFaculties, &s(|p| p.faculties.join("; ")))
            .with_hint(Msg::ListHint),
        Field::text("goals", Msg::FGoals, &s(|p| p.goals.join("; "))).with_hint(Msg::ListHint),
        Field::text("tags", Msg::FTags, &s(|p| p.tags.join("; "))).with_hint(Msg::ListHint),
        Field::text(
            "sponsors_ours",
            Msg::FSponsorsOurs,
            &s(|p| p.sponsors_ours.join("; ")),
        )
        .with_hint(Msg::ListHint),
        Field::text(
            "sponsors_partner",
            Msg::FSponsorsPartner,
            &s(|p| p.sponsors_partner.join("; ")),
        )
        .with_hint(Msg::ListHint),
        Field::text(
            "coordinator",
            Msg::FCoordinator,
            &s(|p| p.coordinator.clone()),
        ),
    ];
    new_form(
        FormKind::Partner(rec.map(|r| (r.meta.id, r.meta.version))),
        fields,
    )
}

/// The activity form.
pub fn activity_form(
    rec: Option<&Record<Activity>>,
    names: &[(Id, String)],
    preset_partners: &[Id],
    user: &str,
    today: NaiveDate,
) -> Form {
    let a = rec.map(|r| &r.data);
    let values: Vec<bool> = AddedValue::ALL
        .iter()
        .map(|v| a.is_some_and(|a| a.values.contains(v)))
        .collect();
    let partners = a
        .map(|a| a.partners.clone())
        .unwrap_or_else(|| preset_partners.to_vec());
    let status = a.map(|a| a.status).unwrap_or(if a.is_none() {
        ActivityStatus::Planned
    } else {
        ActivityStatus::Done
    });
    let fields = vec![
        Field::text(
            "title",
            Msg::FTitle,
            &a.map(|a| a.title.clone()).unwrap_or_default(),
        ),
        Field::text(
            "partners",
            Msg::FPartners,
            &partner_names_of(&partners, names),
        )
        .with_hint(Msg::ListHint),
        Field::text(
            "date",
            Msg::FDate,
            &a.map(|a| a.date).unwrap_or(today).to_string(),
        )
        .with_hint(Msg::DateHint),
        Field::text(
            "end_date",
            Msg::FEndDate,
            &a.and_then(|a| a.end_date)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        )
        .with_hint(Msg::DateHint),
        Field::choice(
            "kind",
            Msg::FKind,
            Choices::ActivityKind,
            a.map(|a| index_of(a.kind)).unwrap_or(0),
        ),
        Field::choice(
            "status",
            Msg::FStatus,
            Choices::ActivityStatus,
            index_of(status),
        ),
        Field::multi("values", Msg::FValues, Choices::Value, values),
        Field::text(
            "description",
            Msg::FDescription,
            &a.map(|a| a.description.replace('\n', " "))
                .unwrap_or_default(),
        ),
        Field::text(
            "owner",
            Msg::FOwner,
            &a.map(|a| a.owner.clone())
                .unwrap_or_else(|| user.to_string()),
        ),
    ];
    new_form(
        FormKind::Activity(rec.map(|r| (r.meta.id, r.meta.version))),
        fields,
    )
}

fn action_fields(n: usize, item: Option<&ActionItem>, user: &str) -> Vec<Field> {
    vec![
        Field::text(
            &format!("action_text.{n}"),
            Msg::FActionText,
            &item.map(|i| i.text.clone()).unwrap_or_default(),
        ),
        Field::text(
            &format!("action_owner.{n}"),
            Msg::FOwner,
            &item
                .map(|i| i.owner.clone())
                .unwrap_or_else(|| user.to_string()),
        ),
        Field::text(
            &format!("action_due.{n}"),
            Msg::FDue,
            &item
                .and_then(|i| i.due)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        )
        .with_hint(Msg::DateHint),
        Field::choice(
            &format!("action_done.{n}"),
            Msg::FDone,
            Choices::YesNo,
            usize::from(item.is_some_and(|i| i.done)),
        ),
    ]
}

/// The meeting-note form.
pub fn note_form(
    rec: Option<&Record<Note>>,
    names: &[(Id, String)],
    preset_partners: &[Id],
    user: &str,
    today: NaiveDate,
) -> Form {
    let n = rec.map(|r| &r.data);
    let partners = n
        .map(|n| n.partners.clone())
        .unwrap_or_else(|| preset_partners.to_vec());
    let mut fields = vec![
        Field::text(
            "title",
            Msg::FTitle,
            &n.map(|n| n.title.clone()).unwrap_or_default(),
        ),
        Field::text(
            "partners",
            Msg::FPartners,
            &partner_names_of(&partners, names),
        )
        .with_hint(Msg::ListHint),
        Field::text(
            "date",
            Msg::FDate,
            &n.map(|n| n.date).unwrap_or(today).to_string(),
        )
        .with_hint(Msg::DateHint),
        Field::choice(
            "meeting_kind",
            Msg::FMeetingKind,
            Choices::MeetingKind,
            n.map(|n| index_of(n.kind)).unwrap_or(0),
        ),
        Field::text(
            "attendees",
            Msg::FAttendees,
            &n.map(|n| n.attendees.join("; ")).unwrap_or_default(),
        )
        .with_hint(Msg::ListHint),
        Field::area(
            "body",
            Msg::FBody,
            &n.map(|n| n.body.clone()).unwrap_or_default(),
        ),
        Field::text(
            "decisions",
            Msg::FDecisions,
            &n.map(|n| n.decisions.join("; ")).unwrap_or_default(),
        )
        .with_hint(Msg::ListHint),
    ];
    if let Some(n) = n {
        for (i, a) in n.actions.iter().enumerate() {
            fields.extend(action_fields(i, Some(a), user));
        }
    }
    new_form(
        FormKind::Note(rec.map(|r| (r.meta.id, r.meta.version))),
        fields,
    )
}

/// The assessment editor for one cell, prefilled from the latest assessment.
pub fn assessment_form(
    partner: Id,
    partner_name: String,
    value: AddedValue,
    history: Vec<Record<Assessment>>,
    latest: Option<Assessment>,
    today: NaiveDate,
) -> Form {
    let score = latest.as_ref().map(|a| a.score).unwrap_or(0);
    let target = latest
        .as_ref()
        .and_then(|a| a.target)
        .map(|t| usize::from(t) + 1)
        .unwrap_or(0);
    let fields = vec![
        Field::choice("score", Msg::FScore, Choices::Score, usize::from(score)),
        Field::choice("target", Msg::FTarget, Choices::OptScore, target),
        Field::text("evidence", Msg::FEvidence, ""),
        Field::text("date", Msg::FDate, &today.to_string()).with_hint(Msg::DateHint),
    ];
    new_form(
        FormKind::Assessment {
            partner,
            partner_name,
            value,
            history,
        },
        fields,
    )
}

type Problems = Vec<(String, Problem)>;

fn date_field(form: &Form, name: &str, problems: &mut Problems) -> Option<NaiveDate> {
    let v = form.text(name);
    if v.is_empty() {
        return None;
    }
    let d = parse_date(&v);
    if d.is_none() {
        problems.push((name.to_string(), Problem::BadDate));
    }
    d
}

fn partners_field(form: &Form, names: &[(Id, String)], problems: &mut Problems) -> Vec<Id> {
    let mut out = Vec::new();
    for typed in form.list("partners") {
        match resolve_partner(names, &typed) {
            Some(id) => out.push(id),
            None => problems.push(("partners".into(), Problem::UnknownPartnerName)),
        }
    }
    out
}

/// The record a form describes, or the fields it cannot parse.
fn build_data(form: &Form, names: &[(Id, String)], user: &str) -> Result<AnyData, Problems> {
    let mut problems = Vec::new();
    let data = match &form.kind {
        FormKind::Partner(_) => {
            let pick = |name: &str| form.selected(name);
            let short = form.text("short_name");
            AnyData::Partner(Partner {
                name: form.text("name"),
                short_name: if short.is_empty() { None } else { Some(short) },
                kind: OrgKind::ALL
                    .get(pick("kind"))
                    .copied()
                    .unwrap_or(OrgKind::Other),
                country: form.text("country"),
                city: form.text("city"),
                website: form.text("website"),
                phase: Phase::ALL
                    .get(pick("phase"))
                    .copied()
                    .unwrap_or(Phase::Prospect),
                tier: Tier::ALL.get(pick("tier")).copied().unwrap_or(Tier::Other),
                formats: form
                    .field("formats")
                    .map(Field::selected_set)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| Format::ALL.get(i).copied())
                    .collect(),
                faculties: form.list("faculties"),
                goals: form.list("goals"),
                tags: form.list("tags"),
                sponsors_ours: form.list("sponsors_ours"),
                sponsors_partner: form.list("sponsors_partner"),
                coordinator: form.text("coordinator"),
            })
        }
        FormKind::Activity(_) => {
            let date = date_field(form, "date", &mut problems);
            if date.is_none() && !problems.iter().any(|(n, _)| n == "date") {
                problems.push(("date".into(), Problem::Rule(crate::domain::Rule::Required)));
            }
            let end_date = date_field(form, "end_date", &mut problems);
            let partners = partners_field(form, names, &mut problems);
            AnyData::Activity(Activity {
                date: date.unwrap_or_default(),
                end_date,
                partners,
                kind: ActivityKind::ALL
                    .get(form.selected("kind"))
                    .copied()
                    .unwrap_or(ActivityKind::Other),
                title: form.text("title"),
                description: form.text("description"),
                values: form
                    .field("values")
                    .map(Field::selected_set)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|i| AddedValue::ALL.get(i).copied())
                    .collect(),
                status: ActivityStatus::ALL
                    .get(form.selected("status"))
                    .copied()
                    .unwrap_or(ActivityStatus::Planned),
                owner: form.text("owner"),
            })
        }
        FormKind::Assessment { partner, value, .. } => {
            let date = date_field(form, "date", &mut problems);
            let target = form.selected("target");
            AnyData::Assessment(Assessment {
                partner: *partner,
                value: *value,
                score: form.selected("score") as u8,
                target: if target == 0 {
                    None
                } else {
                    Some((target - 1) as u8)
                },
                evidence: form.text("evidence"),
                date: date.unwrap_or_default(),
                assessor: user.to_string(),
            })
        }
        FormKind::Note(_) => {
            let date = date_field(form, "date", &mut problems);
            let partners = partners_field(form, names, &mut problems);
            let mut actions = Vec::new();
            for f in form
                .fields
                .iter()
                .filter(|f| f.name.starts_with("action_text."))
            {
                let n = f.name.trim_start_matches("action_text.");
                let due = date_field(form, &format!("action_due.{n}"), &mut problems);
                actions.push(ActionItem {
                    text: f.value(),
                    owner: form.text(&format!("action_owner.{n}")),
                    due,
                    done: form.selected(&format!("action_done.{n}")) == 1,
                });
            }
            AnyData::Note(Note {
                partners,
                date: date.unwrap_or_default(),
                title: form.text("title"),
                kind: MeetingKind::ALL
                    .get(form.selected("meeting_kind"))
                    .copied()
                    .unwrap_or(MeetingKind::Other),
                attendees: form.list("attendees"),
                body: form.text("body"),
                decisions: form.list("decisions"),
                actions,
            })
        }
        FormKind::Agreement { partner, .. } => {
            let start = date_field(form, "start", &mut problems);
            if start.is_none() && !problems.iter().any(|(n, _)| n == "start") {
                problems.push(("start".into(), Problem::Rule(crate::domain::Rule::Required)));
            }
            let lead_text = form.text("renewal_lead_months");
            let lead = if lead_text.is_empty() {
                crate::domain::DEFAULT_RENEWAL_LEAD_MONTHS
            } else {
                match lead_text.parse::<u8>() {
                    Ok(n) => n,
                    Err(_) => {
                        problems.push(("renewal_lead_months".into(), Problem::BadNumber));
                        0
                    }
                }
            };
            AnyData::Agreement(Agreement {
                partner: *partner,
                kind: AgreementKind::ALL
                    .get(form.selected("kind"))
                    .copied()
                    .unwrap_or(AgreementKind::Other),
                title: form.text("title"),
                signed: date_field(form, "signed", &mut problems),
                start: start.unwrap_or_default(),
                end: date_field(form, "end", &mut problems),
                signatories: form.list("signatories"),
                renewal_lead_months: lead,
                status: AgreementStatus::ALL
                    .get(form.selected("status"))
                    .copied()
                    .unwrap_or(AgreementStatus::Draft),
            })
        }
        FormKind::Contact { partner, .. } => AnyData::Contact(Contact {
            partner: *partner,
            side: Side::ALL
                .get(form.selected("side"))
                .copied()
                .unwrap_or(Side::Partner),
            name: form.text("name"),
            role: ContactRole::ALL
                .get(form.selected("role"))
                .copied()
                .unwrap_or(ContactRole::Other),
            email: form.text("email"),
            phone: form.text("phone"),
        }),
    };
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(problems)
    }
}

/// The agreement form for one partner.
pub fn agreement_form(rec: Option<&Record<Agreement>>, partner: Id, today: NaiveDate) -> Form {
    let a = rec.map(|r| &r.data);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let fields = vec![
        Field::text(
            "title",
            Msg::FTitle,
            &a.map(|a| a.title.clone()).unwrap_or_default(),
        ),
        Field::choice(
            "kind",
            Msg::FKind,
            Choices::AgreementKind,
            a.map(|a| index_of(a.kind)).unwrap_or(0),
        ),
        Field::choice(
            "status",
            Msg::FStatus,
            Choices::AgreementStatus,
            a.map(|a| index_of(a.status))
                .unwrap_or(index_of(AgreementStatus::Active)),
        ),
        Field::text("signed", Msg::FSigned, &date(a.and_then(|a| a.signed)))
            .with_hint(Msg::DateHint),
        Field::text(
            "start",
            Msg::FStart,
            &a.map(|a| a.start).unwrap_or(today).to_string(),
        )
        .with_hint(Msg::DateHint),
        Field::text("end", Msg::FEnd, &date(a.and_then(|a| a.end))).with_hint(Msg::DateHint),
        Field::text(
            "signatories",
            Msg::FSignatories,
            &a.map(|a| a.signatories.join("; ")).unwrap_or_default(),
        )
        .with_hint(Msg::ListHint),
        Field::text(
            "renewal_lead_months",
            Msg::FRenewalLead,
            &a.map(|a| a.renewal_lead_months)
                .unwrap_or(crate::domain::DEFAULT_RENEWAL_LEAD_MONTHS)
                .to_string(),
        ),
    ];
    new_form(
        FormKind::Agreement {
            id: rec.map(|r| (r.meta.id, r.meta.version)),
            partner,
        },
        fields,
    )
}

/// The contact form for one partner.
pub fn contact_form(rec: Option<&Record<Contact>>, partner: Id) -> Form {
    let c = rec.map(|r| &r.data);
    let fields = vec![
        Field::text(
            "name",
            Msg::FName,
            &c.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        Field::choice(
            "side",
            Msg::FSide,
            Choices::Side,
            c.map(|c| index_of(c.side)).unwrap_or(0),
        ),
        Field::choice(
            "role",
            Msg::FRole,
            Choices::ContactRole,
            c.map(|c| index_of(c.role)).unwrap_or(0),
        ),
        Field::text(
            "email",
            Msg::FEmail,
            &c.map(|c| c.email.clone()).unwrap_or_default(),
        ),
        Field::text(
            "phone",
            Msg::FPhone,
            &c.map(|c| c.phone.clone()).unwrap_or_default(),
        ),
    ];
    new_form(
        FormKind::Contact {
            id: rec.map(|r| (r.meta.id, r.meta.version)),
            partner,
        },
        fields,
    )
}

// ---------------------------------------------------------------------- CSV and conflicts

impl App {
    /// What the visible pane's search and filters show, as an export scope.
    pub fn pane_scope(&self) -> crate::csvio::Scope {
        use crate::csvio::Scope;
        match self.pane {
            Pane::Partners => Scope::Partners(self.partners.query.clone()),
            Pane::Timeline => Scope::Activities(self.timeline.query.clone()),
            Pane::Matrix => Scope::Partners(self.matrix.query.partners.clone()),
            Pane::Notes if self.notes.my_actions => Scope::Actions(ActionQuery {
                owner: Some(self.user.clone()),
                partner: None,
                open_only: true,
            }),
            Pane::Notes => Scope::Notes(self.notes.query.clone()),
        }
    }

    /// The dataset that goes with the visible pane.
    pub fn pane_dataset(&self) -> crate::csvio::Dataset {
        use crate::csvio::Dataset;
        match self.pane {
            Pane::Partners => Dataset::Partners,
            Pane::Timeline => Dataset::Activities,
            Pane::Matrix => Dataset::Matrix,
            Pane::Notes if self.notes.my_actions => Dataset::Actions,
            Pane::Notes => Dataset::Notes,
        }
    }

    fn open_export(&mut self) {
        if matches!(
            self.overlay,
            Some(Overlay::Exporting(_) | Overlay::Importing(_))
        ) {
            return;
        }
        let d = ExportDialog::new(
            self.pane_dataset(),
            self.pane_scope(),
            self.lang,
            &self.export_dir,
            self.today,
        );
        self.overlay = Some(Overlay::Export(Box::new(d)));
        self.keys.clear();
    }

    fn open_import(&mut self) {
        if matches!(
            self.overlay,
            Some(Overlay::Exporting(_) | Overlay::Importing(_))
        ) {
            return;
        }
        let kind = if self.pane == Pane::Timeline {
            crate::csvio::ImportKind::Activities
        } else {
            crate::csvio::ImportKind::Partners
        };
        self.overlay = Some(Overlay::Import(Box::new(ImportDialog::new(kind, ""))));
        self.keys.clear();
    }

    /// Keys with a meaning in the export and import dialogs.
    fn transfer_form_action(&mut self, action: Action) {
        let (fields, focus) = match &mut self.overlay {
            Some(Overlay::Export(d)) => (d.fields.len(), &mut d.focus),
            Some(Overlay::Import(d)) => (d.fields.len(), &mut d.focus),
            _ => return,
        };
        let n = fields.max(1);
        match action {
            Action::NextField => *focus = (*focus + 1) % n,
            Action::PrevField => *focus = (*focus + n - 1) % n,
            Action::Cancel | Action::Back => self.overlay = None,
            Action::Save => self.start_transfer(),
            Action::ToggleLanguage => self.set_lang(self.lang.toggle()),
            Action::Redraw => self.redraw = true,
            _ => {}
        }
    }

    fn job_channel(&mut self) -> mpsc::Sender<JobMsg> {
        let (tx, rx) = mpsc::channel();
        self.jobs = Some(rx);
        tx
    }

    fn start_transfer(&mut self) {
        let Some(client) = self.client.clone() else {
            self.notice(Notice::Msg(Msg::Loading));
            return;
        };
        match self.overlay.take() {
            Some(Overlay::Export(mut d)) => match d.job(self.lang, &self.export_dir) {
                Ok(job) => {
                    self.export_dialog = Some(*d);
                    self.start_export(job);
                }
                Err(m) => {
                    d.problem = Some(m);
                    self.overlay = Some(Overlay::Export(d));
                }
            },
            Some(Overlay::Import(mut d)) => {
                let raw = d.path();
                if raw.trim().is_empty() {
                    d.problem = Some(Msg::PathEmpty);
                    self.overlay = Some(Overlay::Import(d));
                    return;
                }
                let path = super::transfer::expand_home(raw.trim());
                let kind = d.kind();
                let mut opts = crate::csvio::ImportOptions::new(self.lang);
                opts.today = self.today;
                opts.dry_run = true;
                let tx = self.job_channel();
                match super::transfer::spawn_import(client, kind, path, opts, tx) {
                    Ok(()) => {
                        self.import_dialog = Some(*d);
                        self.overlay = Some(Overlay::Importing(ImportRun { dry_run: true }));
                    }
                    Err(e) => {
                        d.error = Some(Failure::Other(e.to_string()));
                        self.overlay = Some(Overlay::Import(d));
                    }
                }
            }
            other => self.overlay = other,
        }
    }

    fn start_export(&mut self, job: ExportJob) {
        let Some(client) = self.client.clone() else {
            return;
        };
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let path = job.path.display().to_string();
        let tx = self.job_channel();
        match super::transfer::spawn_export(client, job, Arc::clone(&cancel), tx) {
            Ok(()) => {
                self.overlay = Some(Overlay::Exporting(ExportRun {
                    path,
                    progress: None,
                    cancel,
                }))
            }
            Err(e) => self.notice(Notice::Failed(
                Msg::ExportFailed,
                Failure::Other(e.to_string()),
            )),
        }
    }

    /// Back to the export dialog after a failure, with the failure shown in it.
    fn reopen_export(&mut self, error: Failure) {
        if let Some(mut d) = self.export_dialog.take() {
            d.error = Some(error);
            self.overlay = Some(Overlay::Export(Box::new(d)));
        } else {
            self.overlay = None;
        }
    }

    fn on_job(&mut self, m: JobMsg) {
        self.dirty = true;
        match m {
            JobMsg::Progress(p) => {
                if let Some(Overlay::Exporting(run)) = &mut self.overlay {
                    run.progress = Some(p);
                }
            }
            JobMsg::ExportExists(job) => {
                let path = job.path.display().to_string();
                self.export_waiting = Some(*job);
                self.overlay = Some(Overlay::Confirm(ConfirmKind::OverwriteExport(path)));
            }
            JobMsg::Exported { path, rows } => {
                self.overlay = None;
                self.export_dialog = None;
                self.jobs = None;
                self.notice(Notice::Exported { rows, path });
            }
            JobMsg::ExportFailed(Failure::Cancelled) => {
                self.overlay = None;
                self.export_dialog = None;
                self.jobs = None;
                self.notice(Notice::Failed(Msg::ExportFailed, Failure::Cancelled));
            }
            JobMsg::ExportFailed(f) => {
                self.jobs = None;
                self.notice(Notice::Failed(Msg::ExportFailed, f.clone()));
                self.reopen_export(f);
            }
            JobMsg::Checked(report) => {
                self.jobs = None;
                let (kind, path) = match self.import_dialog.as_ref() {
                    Some(d) => (d.kind(), super::transfer::expand_home(d.path().trim())),
                    None => (report.kind, std::path::PathBuf::new()),
                };
                self.overlay = Some(Overlay::ImportReview(Box::new(ImportReview::new(
                    kind, path, report,
                ))));
            }
            JobMsg::Imported(report) => {
                self.jobs = None;
                self.overlay = None;
                self.import_dialog = None;
                let noun = match report.kind {
                    crate::csvio::ImportKind::Partners => crate::i18n::catalogue::Noun::Partner,
                    crate::csvio::ImportKind::Activities => crate::i18n::catalogue::Noun::Activity,
                };
                self.notice(Notice::Imported {
                    written: report.written,
                    noun,
                    skipped: report.rows.saturating_sub(report.written),
                });
                self.refresh_names();
                self.refresh_all();
            }
            JobMsg::ImportFailed(f) => {
                self.jobs = None;
                self.notice(Notice::Failed(Msg::ImportFailed, f.clone()));
                if let Some(mut d) = self.import_dialog.take() {
                    d.error = Some(f);
                    self.overlay = Some(Overlay::Import(Box::new(d)));
                } else {
                    self.overlay = None;
                }
            }
        }
    }

    fn import_choice(&mut self, choice: ImportChoice) {
        let Some(Overlay::ImportReview(r)) = self.overlay.take() else {
            return;
        };
        let valid_only = match choice {
            ImportChoice::Cancel => {
                self.import_dialog = None;
                self.notice(Notice::Msg(Msg::ImportCancelled));
                return;
            }
            ImportChoice::All => false,
            ImportChoice::ValidOnly => true,
        };
        let Some(client) = self.client.clone() else {
            return;
        };
        let mut opts = crate::csvio::ImportOptions::new(self.lang);
        opts.today = self.today;
        opts.valid_only = valid_only;
        let tx = self.job_channel();
        match super::transfer::spawn_import(client, r.kind, r.path.clone(), opts, tx) {
            Ok(()) => self.overlay = Some(Overlay::Importing(ImportRun { dry_run: false })),
            Err(e) => self.notice(Notice::Failed(
                Msg::ImportFailed,
                Failure::Other(e.to_string()),
            )),
        }
    }

    fn conflict_action(&mut self, action: Action) {
        let Some(Overlay::Conflict(view)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::ShowDiff => view.show_was = !view.show_was,
            Action::Reload => {
                let current = view.info.current.clone();
                self.overlay = None;
                let (names, user, today) = (&self.partner_names, &self.user, self.today);
                let form = match &current {
                    AnyRecord::Partner(r) => Some(partner_form(Some(r), today)),
                    AnyRecord::Activity(r) => Some(activity_form(Some(r), names, &[], user, today)),
                    AnyRecord::Note(r) => Some(note_form(Some(r), names, &[], user, today)),
                    AnyRecord::Agreement(r) => Some(agreement_form(Some(r), r.data.partner, today)),
                    AnyRecord::Contact(r) => Some(contact_form(Some(r), r.data.partner)),
                    AnyRecord::Assessment(_) => None,
                };
                if let Some(mut f) = form {
                    let focus = self.form.as_ref().map(|f| f.focus).unwrap_or(0);
                    f.focus = focus.min(f.fields.len().saturating_sub(1));
                    self.form = Some(f);
                }
                self.notice(Notice::Msg(Msg::ConflictReloaded));
            }
            Action::Overwrite => {
                let v = view.info.current.meta().version;
                self.overlay = None;
                if let Some(form) = &mut self.form {
                    set_form_version(form, v);
                }
                self.save_form();
            }
            Action::ConfirmNo | Action::Back | Action::Cancel => self.overlay = None,
            Action::ToggleLanguage => self.set_lang(self.lang.toggle()),
            _ => {}
        }
    }

    /// The key the live keymap binds to `action` in `ctx` (for hints drawn in dialogs).
    pub fn key_for(&self, ctx: Context, action: Action) -> String {
        self.keymap
            .keys_for(ctx, action)
            .into_iter()
            .next()
            .unwrap_or_else(|| action.name().to_string())
    }
}

fn set_form_version(form: &mut Form, v: u64) {
    if let FormKind::Partner(Some((_, ver)))
    | FormKind::Activity(Some((_, ver)))
    | FormKind::Note(Some((_, ver)))
    | FormKind::Agreement {
        id: Some((_, ver)), ..
    }
    | FormKind::Contact {
        id: Some((_, ver)), ..
    } = &mut form.kind
    {
        *ver = v;
    }
}

/// A form field's value as one plain line (choices by their label, without the arrows).
fn plain_value(f: &Field, lang: Lang) -> String {
    match &f.input {
        Input::Choice { set, selected } => set.label(lang, *selected),
        Input::Multi { set, selected, .. } => selected
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| set.label(lang, i))
            .collect::<Vec<_>>()
            .join(", "),
        _ => f.value().replace('\n', " ⏎ "),
    }
}

/// The changed fields of a conflict, each with the user's own value from the form.
fn conflict_rows(form: &Form, info: &crate::service::ConflictInfo, lang: Lang) -> Vec<ConflictRow> {
    info.fields
        .iter()
        .map(|c| ConflictRow {
            field: c.field.clone(),
            was: c.old.clone(),
            theirs: c.new.clone(),
            yours: form
                .field(&c.field)
                .map(|f| plain_value(f, lang))
                .unwrap_or_default(),
        })
        .collect()
}
