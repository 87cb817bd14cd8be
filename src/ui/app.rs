//! The app: the router. It holds the components (five panes, the open form, the open overlay),
//! routes keys to them in the fixed order of [`super::input`], carries out the effects they
//! return ([`super::apply`]), and answers the read-only questions tests and drawing ask. It does
//! not draw, and it never touches the disk.

use super::drafts::{Draft, Drafts};
use super::effect::{Effect, Effects, Notice, Route};
use super::forms::{Form, ParseCx};
use super::overlays::Overlay;
use super::panes::matrix::MatrixPane;
use super::panes::notes::NotesPane;
use super::panes::overview::OverviewPane;
use super::panes::partners::PartnersPane;
use super::panes::timeline::TimelinePane;
use super::panes::{Pane, PaneView};
use super::theme::Theme;
use super::view::Ctx;
use super::worker::{Event, Opener, ReqId, Worker};
use crate::client::Client;
use crate::domain::{EntityKind, Id};
use crate::i18n::Lang;
use crate::keymap::{Context, KeyState, Keymap};
use crate::service::{Request, Role};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Options for starting the app.
pub struct Options {
    pub lang: Lang,
    pub keymap: Keymap,
    pub today: NaiveDate,
    pub theme: Theme,
    /// Shown at start (e.g. keymap errors).
    pub notices: Vec<Notice>,
    /// Where drafts of unsaved forms are kept (None: not kept).
    pub drafts: Option<PathBuf>,
    /// The pane shown first (`start_pane` in the config; Partners by default).
    pub start_pane: Pane,
}

/// What every component may read (the source of [`Ctx`]).
pub(crate) struct Shared {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub today: NaiveDate,
    pub user: String,
    pub role: Role,
    pub online: bool,
    pub location: String,
    /// Every partner's id and name (for forms and filters).
    pub names: Vec<(Id, String)>,
    /// Where each partner is in `names` (the lists draw names by id every frame).
    pub name_at: std::collections::HashMap<Id, usize>,
}

impl Shared {
    /// Take a new list of partner names (sorted by the service) and index it by id.
    pub fn set_names(&mut self, names: Vec<(Id, String)>) {
        self.name_at = names
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        self.names = names;
    }
}

impl Shared {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            lang: self.lang,
            theme: self.theme,
            keymap: &self.keymap,
            today: self.today,
            user: &self.user,
            role: self.role,
            online: self.online,
            names: &self.names,
            name_at: &self.name_at,
        }
    }
}

/// What parsing a form needs, from the view.
pub fn parse_cx<'a>(cx: &Ctx<'a>) -> ParseCx<'a> {
    ParseCx {
        names: cx.names,
        user: cx.user,
        today: cx.today,
    }
}

/// The running export's cancel flag and the dialogs to go back to.
#[derive(Default)]
pub(crate) struct Transfers {
    pub export_dialog: Option<super::transfer::ExportDialog>,
    pub export_waiting: Option<super::transfer::ExportJob>,
    pub import_dialog: Option<super::transfer::ImportDialog>,
    pub cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
}

/// The whole application.
pub struct App {
    pub(crate) sh: Shared,
    pub(crate) keys: KeyState,
    pub(crate) pane: Pane,
    pub(crate) partners: PartnersPane,
    pub(crate) timeline: TimelinePane,
    pub(crate) matrix: MatrixPane,
    pub(crate) notes: NotesPane,
    pub(crate) overview: OverviewPane,
    pub(crate) form: Option<Form>,
    pub(crate) overlay: Option<Overlay>,
    pub(crate) notices: Vec<Notice>,
    /// How many of `notices` were given before the app started (see [`App::notice_beneath`]).
    pub(crate) opening_notices: usize,
    pub(crate) quit: bool,
    pub(crate) redraw: bool,
    pub(crate) dirty: bool,
    pub(crate) worker: Worker,
    pub(crate) events: mpsc::Receiver<Event>,
    pub(crate) events_tx: super::worker::EventTx,
    pub(crate) pending: HashMap<ReqId, Route>,
    pub(crate) client: Option<Arc<dyn Client>>,
    /// Panes whose data must be reloaded when they are next shown.
    pub(crate) stale: [bool; 5],
    pub(crate) fatal: Option<String>,
    pub(crate) export_dir: PathBuf,
    pub(crate) transfers: Transfers,
    pub(crate) drafts_dir: Option<PathBuf>,
    pub(crate) drafts: Option<Drafts>,
    /// A draft found at start, waiting to be offered.
    pub(crate) draft_offer: Option<Draft>,
    /// The terminal's size, when known (keys are ignored while it is too small).
    pub(crate) size: Option<(u16, u16)>,
    /// Versions this app already applied itself (its own saves): their events are skipped.
    pub(crate) applied: HashMap<(EntityKind, Id), u64>,
    /// Change events that arrived while the form's save was on its way (one of them may be the
    /// save's own): applied once the save is answered.
    pub(crate) held: Vec<crate::service::ChangeEvent>,
    /// How many unreadable records the last notice named, and which panes (bits: timeline,
    /// matrix, notes) have loaded once and been followed by a new count.
    pub(crate) damage: (usize, u8),
}

impl App {
    /// Start the app on an open client: spawns the worker and waits for it to be ready.
    pub fn new(client: Arc<dyn Client>, opts: Options) -> std::io::Result<App> {
        let user = client.identity().user.clone();
        let location = client.location();
        let (tx, rx) = super::worker::channel()?;
        let worker = Worker::spawn(client, tx.clone())?;
        let mut app = Self::build(worker, (tx, rx), user, location, opts);
        let deadline = Instant::now() + Duration::from_secs(10);
        while app.client.is_none() && app.fatal.is_none() && Instant::now() < deadline {
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
        let (tx, rx) = super::worker::channel()?;
        let worker = Worker::spawn_opening(open, tx.clone())?;
        Ok(Self::build(worker, (tx, rx), user, location, opts))
    }

    fn build(
        worker: Worker,
        (events_tx, events): (super::worker::EventTx, mpsc::Receiver<Event>),
        user: String,
        location: String,
        opts: Options,
    ) -> App {
        let today = opts.today;
        let mut app = App {
            partners: PartnersPane::new(opts.lang),
            timeline: TimelinePane::new(today),
            matrix: MatrixPane::new(opts.lang),
            notes: NotesPane::default(),
            overview: OverviewPane::default(),
            sh: Shared {
                lang: opts.lang,
                theme: opts.theme,
                keymap: opts.keymap,
                today,
                user,
                role: Role::Editor,
                online: true,
                location,
                names: Vec::new(),
                name_at: std::collections::HashMap::new(),
            },
            keys: KeyState::new(),
            pane: opts.start_pane,
            form: None,
            overlay: (!opts.notices.is_empty()).then(|| Overlay::Info(opts.notices.clone())),
            opening_notices: opts.notices.len(),
            notices: opts.notices,
            quit: false,
            redraw: false,
            dirty: true,
            worker,
            events,
            events_tx,
            pending: HashMap::new(),
            client: None,
            stale: [true; 5],
            fatal: None,
            export_dir: crate::csvio::Dataset::Partners
                .default_path(crate::i18n::Lang::En, today)
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default(),
            transfers: Transfers::default(),
            drafts_dir: opts.drafts,
            drafts: None,
            draft_offer: None,
            size: None,
            applied: HashMap::new(),
            held: Vec::new(),
            damage: (0, 0),
        };
        // The visible pane first; the others load when first shown.
        app.refresh_all();
        app.run(|_, fx| fx.send(Request::Overview, Route::OverviewNotice));
        app.run(|_, fx| fx.send(Request::Stats, Route::Damage));
        app
    }

    /// Show the partner table's first page as the last session on this workspace left it (see
    /// [`crate::service::first_screen`]) until the workspace answers.
    pub fn show_first_screen(&mut self, page: crate::service::Page<crate::service::PartnerRow>) {
        self.partners.preview(page);
        self.dirty = true;
    }

    /// Let a component act with the view and push effects; then carry them out.
    pub(crate) fn run(&mut self, f: impl FnOnce(&Ctx, &mut Effects)) {
        let mut fx = Effects::default();
        f(&self.sh.ctx(), &mut fx);
        self.apply_effects(fx);
    }

    /// The user is leaving: let the client tidy up (see [`Client::close`]).
    pub fn close(&self) {
        if let Some(c) = &self.client {
            c.close();
        }
    }

    // ------------------------------------------------------------------ read-only questions

    pub fn lang(&self) -> Lang {
        self.sh.lang
    }
    pub fn today(&self) -> NaiveDate {
        self.sh.today
    }
    pub fn pane(&self) -> Pane {
        self.pane
    }
    pub fn partners(&self) -> &PartnersPane {
        &self.partners
    }
    pub fn timeline(&self) -> &TimelinePane {
        &self.timeline
    }
    pub fn matrix(&self) -> &MatrixPane {
        &self.matrix
    }
    pub fn notes(&self) -> &NotesPane {
        &self.notes
    }
    pub fn overview(&self) -> &OverviewPane {
        &self.overview
    }
    pub fn form(&self) -> Option<&Form> {
        self.form.as_ref()
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn keys(&self) -> &KeyState {
        &self.keys
    }
    /// False while the daemon is unreachable.
    pub fn connected(&self) -> bool {
        self.sh.online
    }
    /// Where the data lives (a workspace path or a socket).
    pub fn location(&self) -> &str {
        &self.sh.location
    }
    /// The user's role on the server.
    pub fn role(&self) -> Role {
        self.sh.role
    }
    /// True once the user asked to quit (or the workspace could not be opened).
    pub fn quitting(&self) -> bool {
        self.quit
    }
    /// Why the workspace could not be opened.
    pub fn fatal(&mut self) -> Option<String> {
        self.fatal.take()
    }
    /// The view components draw from.
    pub fn ctx(&self) -> Ctx<'_> {
        self.sh.ctx()
    }
    /// The newest notice, for the status line.
    pub fn last_notice(&self) -> Option<&Notice> {
        self.notices.last()
    }
    /// The default export folder (`~/spets-export`).
    pub fn set_export_dir(&mut self, dir: PathBuf) {
        self.export_dir = dir;
    }
    /// The terminal's size changed (keys are ignored while it is below the minimum).
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = Some((w, h));
        self.dirty = true;
    }
    /// True while the terminal is too small to use.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < super::MIN_WIDTH || h < super::MIN_HEIGHT)
    }
    /// The visible pane as a component.
    pub(crate) fn pane_view(&self) -> &dyn PaneView {
        match self.pane {
            Pane::Partners => &self.partners,
            Pane::Timeline => &self.timeline,
            Pane::Matrix => &self.matrix,
            Pane::Notes => &self.notes,
            Pane::Overview => &self.overview,
        }
    }
    /// True while the visible pane's search line takes typing.
    pub fn searching(&self) -> bool {
        self.pane_view().search().active
    }

    /// The keymap context for the current focus.
    pub fn context(&self) -> Context {
        if let Some(o) = &self.overlay {
            return o.context();
        }
        self.base_context()
    }

    /// The context of what lies under any overlay (for help and the palette).
    pub fn base_context(&self) -> Context {
        match &self.form {
            Some(f) if f.in_editor() => Context::Editor,
            Some(_) => Context::Forms,
            None if self.searching() => Context::Forms,
            None => self.pane.context(),
        }
    }

    // ------------------------------------------------------------------ events

    /// One event from the channel.
    pub fn handle_event(&mut self, ev: Event) {
        self.dirty = true;
        match ev {
            Event::Key(k) => self.handle_key(k),
            Event::Resize(w, h) => self.resize(w, h),
            Event::Worker(m) => self.on_worker(m),
            Event::Change(c) => self.on_changes(vec![c]),
            Event::Job(j) => self.on_job(j),
            Event::Connection(up) => self.on_connection(up),
            Event::Draft(d) => self.draft_offer = Some(*d),
            Event::Stop => self.quit = true,
        }
        self.offer_draft();
    }

    /// Handle every event that has arrived, without waiting. Change events that arrive together
    /// are applied together. True when there was any.
    pub fn drain(&mut self) -> bool {
        let mut changes = Vec::new();
        let mut any = false;
        while let Ok(ev) = self.events.try_recv() {
            any = true;
            match ev {
                Event::Change(c) => changes.push(c),
                other => self.handle_event(other),
            }
        }
        if !changes.is_empty() {
            self.on_changes(changes);
        }
        any
    }

    /// Wait up to `timeout` for an event, then drain. For tests and the run loop.
    pub fn pump(&mut self, timeout: Duration) {
        if let Ok(ev) = self.events.recv_timeout(timeout) {
            self.handle_event(ev);
        }
        let _ = self.drain();
    }

    /// The fd that is readable while events wait on the channel (the run loop sleeps on it and
    /// on the terminal; see [`super::worker::EventTx`]).
    pub fn wake_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.events_tx.wake_fd()
    }

    /// A sender into the event channel (signals use it).
    pub fn events(&self) -> super::worker::EventTx {
        self.events_tx.clone()
    }

    /// How many requests this app has sent to the service (tests check what a change costs).
    pub fn requests_sent(&self) -> u64 {
        self.worker.sent()
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

    pub(crate) fn offer_draft(&mut self) {
        if self.overlay.is_none()
            && self.form.is_none()
            && let Some(d) = self.draft_offer.take()
        {
            self.overlay = Some(Overlay::Draft(Box::new(d)));
        }
    }

    pub(crate) fn open(&mut self, o: Overlay) {
        self.overlay = Some(o);
        self.keys.clear();
    }

    pub(crate) fn notice(&mut self, n: Notice) {
        self.notices.push(n);
        if self.notices.len() > 5 {
            self.notices.remove(0);
            self.opening_notices = self.opening_notices.saturating_sub(1);
        }
    }

    /// A notice beneath every notice given since the app started, so that it covers none of
    /// them: the overview's at start, which runs beside the other requests and may answer after
    /// them (after the count of records that cannot be read, say).
    pub(crate) fn notice_beneath(&mut self, n: Notice) {
        let at = self.opening_notices.min(self.notices.len());
        self.notices.insert(at, n);
        if self.notices.len() > 5 {
            self.notices.remove(0);
            self.opening_notices = self.opening_notices.saturating_sub(1);
        }
    }

    pub(crate) fn pane_mut(&mut self) -> &mut dyn PaneView {
        match self.pane {
            Pane::Partners => &mut self.partners,
            Pane::Timeline => &mut self.timeline,
            Pane::Matrix => &mut self.matrix,
            Pane::Notes => &mut self.notes,
            Pane::Overview => &mut self.overview,
        }
    }

    /// Let the visible pane act; then carry out its effects.
    pub(crate) fn with_pane(&mut self, f: impl FnOnce(&mut dyn PaneView, &Ctx, &mut Effects)) {
        let mut fx = Effects::default();
        let cx = self.sh.ctx();
        let p: &mut dyn PaneView = match self.pane {
            Pane::Partners => &mut self.partners,
            Pane::Timeline => &mut self.timeline,
            Pane::Matrix => &mut self.matrix,
            Pane::Notes => &mut self.notes,
            Pane::Overview => &mut self.overview,
        };
        f(p, &cx, &mut fx);
        self.apply_effects(fx);
    }

    pub(crate) fn set_pane(&mut self, pane: Pane) {
        if self.form.is_some() {
            return;
        }
        self.pane_mut().search_mut().active = false;
        self.pane = pane;
        self.keys.clear();
        if self.stale[pane.index()] {
            self.refresh_pane(pane);
        }
    }

    /// Switch the language; everything else stays as it is.
    pub fn set_lang(&mut self, lang: Lang) {
        self.sh.lang = lang;
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

    pub(crate) fn refresh_names(&mut self) {
        let lang = self.sh.lang;
        self.run(|_, fx| fx.send(Request::PartnerNames { lang }, Route::PartnerNames));
    }

    pub(crate) fn refresh_pane(&mut self, pane: Pane) {
        self.stale[pane.index()] = false;
        let mut fx = Effects::default();
        let cx = self.sh.ctx();
        match pane {
            Pane::Partners => self.partners.refresh(&cx, &mut fx),
            Pane::Timeline => self.timeline.refresh(&cx, &mut fx),
            Pane::Matrix => self.matrix.refresh(&cx, &mut fx),
            Pane::Notes => self.notes.refresh(&cx, &mut fx),
            Pane::Overview => self.overview.refresh(&cx, &mut fx),
        }
        self.apply_effects(fx);
    }

    /// Reload the visible pane now and the others when they are next shown.
    pub(crate) fn refresh_all(&mut self) {
        for p in Pane::ALL {
            if p == self.pane {
                self.refresh_pane(p);
            } else {
                self.stale[p.index()] = true;
            }
        }
        self.refresh_names();
    }

    /// Start keeping drafts for this workspace (when a drafts folder is set).
    pub(crate) fn start_drafts(&mut self) {
        if let Some(dir) = &self.drafts_dir {
            let file = super::drafts::draft_file(dir, &self.sh.location);
            match Drafts::new(file, self.events_tx.clone()) {
                Ok(d) => self.drafts = Some(d),
                Err(e) => tracing::warn!(error = %e, "drafts are not kept"),
            }
        }
    }

    /// The effects list type, for components outside this module.
    pub(crate) fn effects(&mut self, fx: Vec<Effect>) {
        self.apply_effects(Effects(fx));
    }
}
