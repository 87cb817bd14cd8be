//! Key routing, in the fixed order of [`super::input`]: Ctrl-C, the too-small screen, the vim
//! preset's form modes, a focused text editor's editing keys, then the keymap of the focus
//! (overlay, form, search line, pane). Actions a viewer may not run, and actions that need the
//! server while it is unreachable, are refused here at once.

use super::app::App;
use super::effect::{Effects, Notice, Route};
use super::forms::Form;
use super::input::vim::{self, Command, Mode};
use super::input::{Edit, LineEditor};
use super::overlays::{Confirm, Overlay};
use super::panes::Pane;
use crate::i18n::catalogue::Msg;
use crate::keymap::{Action, Context, EditStyle, KeyChord, KeyResult, KeyState};
use crate::service::Request;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

impl App {
    /// One key press from the terminal.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        self.dirty = true;
        let chord = KeyChord::from(ev);
        if chord.is_ctrl_c() {
            return self.interrupt();
        }
        if self.too_small() {
            // Only quitting works until the terminal is large enough again.
            let mut state = KeyState::new();
            if let KeyResult::Matched {
                action: Action::Quit,
                ..
            } = self.sh.keymap.feed(&mut state, self.pane.context(), chord)
            {
                self.interrupt();
            }
            self.keys.clear();
            return;
        }
        if self.overlay.is_none() && self.sh.keymap.style() == EditStyle::Vim && self.vim_key(ev) {
            return;
        }
        if self.editor_first(&ev) {
            return self.typed(ev);
        }
        let ctx = self.context();
        match self.sh.keymap.feed(&mut self.keys, ctx, chord) {
            KeyResult::Matched { action, count } => self.dispatch(action, count),
            KeyResult::Pending { .. } | KeyResult::Cancelled => {}
            KeyResult::Unbound => self.typed(ev),
        }
        self.offer_draft();
    }

    /// Ctrl-C: quit, asking first when a form holds unsaved input (a second Ctrl-C quits).
    fn interrupt(&mut self) {
        let dirty = self.form.as_ref().is_some_and(Form::is_dirty);
        if dirty && !matches!(self.overlay, Some(Overlay::Confirm(Confirm::Quit))) {
            self.overlay = Some(Overlay::Confirm(Confirm::Quit));
            self.keys.clear();
        } else {
            self.quit = true;
        }
    }

    /// Precedence: a focused text editor takes its editing keys before any binding.
    fn editor_first(&self, ev: &KeyEvent) -> bool {
        if let Some(o) = &self.overlay {
            return o.editor_first(ev);
        }
        if let Some(f) = &self.form {
            return f.editor_first(ev, self.sh.keymap.style());
        }
        self.searching() && super::input::line::is_editing_chord(ev.code, ev.modifiers)
    }

    /// A key for the focused text: the overlay's field, the form's field or the search line.
    fn typed(&mut self, ev: KeyEvent) {
        if let Some(mut o) = self.overlay.take() {
            let mut fx = Effects::default();
            o.key(ev, &self.sh.ctx(), &mut fx);
            self.overlay = Some(o);
            return self.apply_effects(fx);
        }
        if let Some(form) = &mut self.form {
            if form.in_editor() && matches!(ev.code, KeyCode::Tab | KeyCode::BackTab) {
                form.move_focus(ev.code == KeyCode::Tab);
                return;
            }
            if form.edit(ev, self.sh.keymap.style()) == Edit::Changed {
                self.keep_draft();
            }
            return;
        }
        if self.searching() {
            if ev.code == KeyCode::Enter {
                self.pane_mut().search_mut().active = false;
                return;
            }
            if self.pane_mut().search_mut().key(ev) {
                self.with_pane(|p, cx, fx| p.search_changed(cx, fx));
            }
        }
    }

    /// Keep the open form's input as a draft (when it has unsaved input).
    pub(crate) fn keep_draft(&self) {
        if let (Some(d), Some(f)) = (&self.drafts, &self.form)
            && f.is_dirty()
            && !f.is_read_only()
        {
            d.keep(f);
        }
    }

    /// The vim preset's form modes. True when the key was used.
    fn vim_key(&mut self, ev: KeyEvent) -> bool {
        let style = self.sh.keymap.style();
        let Some(form) = &mut self.form else {
            return false;
        };
        let plain = !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match &mut form.mode {
            Mode::Insert if ev.code == KeyCode::Esc && plain => {
                form.mode = Mode::Normal { pending: None };
                true
            }
            Mode::Insert => false,
            Mode::Command(line) => {
                match ev.code {
                    KeyCode::Enter => {
                        let cmd = Command::parse(&line.text());
                        form.mode = Mode::Normal { pending: None };
                        self.vim_command(cmd);
                    }
                    KeyCode::Esc => form.mode = Mode::Normal { pending: None },
                    _ => {
                        line.key(ev);
                    }
                }
                true
            }
            Mode::Normal { .. } if !plain => false,
            Mode::Normal { .. } => match ev.code {
                KeyCode::Esc => {
                    self.form_action(Action::Cancel);
                    true
                }
                KeyCode::Char(':') => {
                    form.mode = Mode::Command(LineEditor::new(""));
                    true
                }
                KeyCode::Char(c) => {
                    let _ = style;
                    self.vim_normal(c);
                    true
                }
                _ => false,
            },
        }
    }

    fn vim_normal(&mut self, c: char) {
        use super::forms::field::Input;
        use super::input::area::Normal;
        let Some(form) = &mut self.form else {
            return;
        };
        let Mode::Normal { pending } = &mut form.mode else {
            return;
        };
        let mut pending_now = pending.take();
        let result = match form.focused_mut().map(|r| &mut r.input) {
            Some(Input::Area(a)) => a.normal(c, &mut pending_now),
            Some(Input::Text(e)) => vim::normal_line(e, c, &mut pending_now),
            _ => Normal::Pass,
        };
        form.mode = Mode::Normal {
            pending: pending_now,
        };
        match result {
            Normal::Edit(Edit::Changed) if !form.is_read_only() => {
                form.touch();
                self.keep_draft();
            }
            Normal::Edit(_) => {}
            Normal::Insert => form.mode = Mode::Insert,
            Normal::Pass => match c {
                'j' => form.move_focus(true),
                'k' => form.move_focus(false),
                'i' | 'a' => form.mode = Mode::Insert,
                _ => {}
            },
        }
    }

    fn vim_command(&mut self, cmd: Command) {
        match cmd {
            Command::Write | Command::WriteQuit => self.form_action(Action::Save),
            Command::Quit => self.form_action(Action::Cancel),
            Command::ForceQuit => self.close_form(),
            Command::Unknown => self.notice(Notice::Msg(Msg::VimUnknownCommand)),
        }
    }

    /// Actions a viewer may not run.
    fn writes(action: Action) -> bool {
        matches!(
            action,
            Action::Add
                | Action::Edit
                | Action::Archive
                | Action::Restore
                | Action::LoadDemo
                | Action::ImportCsv
                | Action::ToggleActionDone
                | Action::AddActionItem
                | Action::AddRow
                | Action::DeleteRow
        )
    }

    /// Actions that need the server (refused at once while it is unreachable).
    fn needs_server(&self, action: Action, ctx: Context) -> bool {
        let pane = ctx.is_pane();
        Self::writes(action)
            || matches!(
                action,
                Action::Save
                    | Action::ExportCsv
                    | Action::Report
                    | Action::Search
                    | Action::ShowArchive
                    | Action::ClearFilter
                    | Action::FilterPhase
                    | Action::FilterKind
                    | Action::FilterCountry
                    | Action::FilterTier
                    | Action::FilterGovernance
                    | Action::FilterPartner
                    | Action::FilterStatus
                    | Action::FilterValue
                    | Action::FilterDateRange
                    | Action::SortNextColumn
                    | Action::SortReverse
                    | Action::ToggleMatrixView
                    | Action::JumpToday
                    | Action::Reload
                    | Action::Overwrite
            )
            || (pane && action == Action::Open && self.pane != Pane::Notes)
            || (pane
                && self.pane == Pane::Timeline
                && matches!(action, Action::MoveLeft | Action::MoveRight))
    }

    /// Refuse at once what the role or the connection does not allow. True when refused.
    fn refused(&mut self, action: Action, ctx: Context) -> bool {
        let in_form_or_pane = self.overlay.is_none() || matches!(ctx, Context::Menus);
        if in_form_or_pane && !self.sh.ctx().can_write() && Self::writes(action) {
            self.notice(Notice::ReadOnly);
            return true;
        }
        if !self.sh.online && self.needs_server(action, ctx) {
            self.notice(Notice::Offline);
            return true;
        }
        false
    }

    /// Run an action in the current context.
    pub fn dispatch(&mut self, action: Action, count: usize) {
        let ctx = self.context();
        if self.refused(action, ctx) {
            return;
        }
        if let Some(mut o) = self.overlay.take() {
            let mut fx = Effects::default();
            o.action(action, count, &self.sh.ctx(), &mut fx);
            self.overlay = Some(o);
            return self.apply_effects(fx);
        }
        if self.form.is_some() {
            return self.form_action(action);
        }
        if self.searching() {
            return match action {
                Action::Cancel | Action::Back => {
                    let s = self.pane_mut().search_mut();
                    s.active = false;
                    s.editor.clear();
                    self.with_pane(|p, cx, fx| p.search_changed(cx, fx));
                }
                Action::Save | Action::NextField => self.pane_mut().search_mut().active = false,
                other => self.global_action(other, count),
            };
        }
        self.global_action(action, count)
    }

    /// An action chosen in the menu or the palette: in the form when one is open.
    pub(crate) fn run_anywhere(&mut self, action: Action) {
        if self.refused(action, self.base_context()) {
            return;
        }
        if self.form.is_some()
            && matches!(
                action,
                Action::Save
                    | Action::Cancel
                    | Action::NextField
                    | Action::PrevField
                    | Action::AddActionItem
                    | Action::DeleteRow
                    | Action::AddRow
            )
        {
            return self.form_action(action);
        }
        self.global_action(action, 1);
    }

    pub(crate) fn form_action(&mut self, action: Action) {
        let user = self.sh.user.clone();
        let Some(form) = &mut self.form else {
            return;
        };
        match action {
            Action::Save => self.save_form(),
            Action::Cancel | Action::Back if form.is_dirty() => {
                self.overlay = Some(Overlay::Confirm(Confirm::CancelForm));
                self.keys.clear();
            }
            Action::Cancel | Action::Back => self.close_form(),
            Action::NextField => form.move_focus(true),
            Action::PrevField => form.move_focus(false),
            Action::AddActionItem | Action::AddRow => {
                if form.add_action(&user) {
                    self.keep_draft();
                }
            }
            Action::DeleteRow => {
                if form.delete_row() {
                    self.keep_draft();
                }
            }
            other => self.global_action(other, 1),
        }
    }

    /// Close the form and drop its draft.
    pub(crate) fn close_form(&mut self) {
        self.form = None;
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.on_changes(held);
        }
        if let Some(d) = &self.drafts {
            d.drop_draft();
        }
    }

    fn global_action(&mut self, action: Action, count: usize) {
        match action {
            Action::Quit => {
                if self.form.as_ref().is_some_and(Form::is_dirty) {
                    self.overlay = Some(Overlay::Confirm(Confirm::Quit));
                } else {
                    self.quit = true;
                }
            }
            Action::PanePartners => self.set_pane(Pane::Partners),
            Action::PaneTimeline => self.set_pane(Pane::Timeline),
            Action::PaneMatrix => self.set_pane(Pane::Matrix),
            Action::PaneNotes => self.set_pane(Pane::Notes),
            Action::PaneOverview => self.set_pane(Pane::Overview),
            Action::NextPane => {
                self.set_pane(Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()]);
            }
            Action::PrevPane => self
                .set_pane(Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]),
            Action::Help => self.open(Overlay::Help {
                filter: LineEditor::new(""),
                scroll: 0,
                context: self.base_context(),
            }),
            Action::CommandPalette => self.open(Overlay::Palette {
                query: LineEditor::new(""),
                selected: 0,
                context: self.base_context(),
            }),
            Action::Menu => self.open(Overlay::Menu { selected: 0 }),
            Action::ToggleLanguage => self.set_lang(self.sh.lang.toggle()),
            Action::ExportCsv => self.open_export(),
            Action::Report => self.open_report(),
            Action::ImportCsv => self.open_import(),
            Action::LoadDemo => {
                self.notice(Notice::Msg(Msg::DemoLoading));
                self.run(|_, fx| fx.send(Request::LoadDemo, Route::Demo));
            }
            Action::Redraw => self.redraw = true,
            _ if self.form.is_some() => {}
            _ => self.with_pane(|p, cx, fx| p.action(action, count, cx, fx)),
        }
    }
}
