//! Meeting notes: newest first with a preview, the note itself, "my open action items", and the
//! archive of notes (`A`; `u` restores).

use super::{PaneView, Search, moved};
use crate::domain::{EntityKind, Id, Note, Record};
use crate::i18n::catalogue::Msg;
use crate::keymap::Action;
use crate::service::{ActionQuery, ActionRow, AnyRecord, Archived, NoteQuery, Request, Response};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Confirm, Overlay, PromptKind};
use crate::ui::view::Ctx;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Notes one window holds (the pane asks for no more at a time).
pub const WINDOW: usize = 200;
/// A new window is asked for when the selection comes this close to an edge of the one held.
const MARGIN: usize = 60;

/// The notes pane. It holds a window of the list (at most [`WINDOW`] notes, `offset ..` of the
/// whole list) and the list's length; the selection is a position in the whole list.
#[derive(Debug, Default)]
pub struct NotesPane {
    query: NoteQuery,
    notes: Vec<Record<Note>>,
    offset: usize,
    total: usize,
    /// A window asked for and not answered yet (its offset).
    asked: Option<usize>,
    /// The note to keep selected when the next answer comes.
    keep: Option<Id>,
    selected: usize,
    loaded: bool,
    seq: u64,
    /// The "my open action items" view.
    my_actions: bool,
    actions: Vec<ActionRow>,
    action_sel: usize,
    actions_seq: u64,
    /// The note opened for reading.
    open: Option<usize>,
    search: Search,
}

impl NotesPane {
    /// The notes of the window held.
    pub fn notes(&self) -> &[Record<Note>] {
        &self.notes
    }
    /// How many notes the whole list has.
    pub fn total(&self) -> usize {
        self.total
    }
    /// The window held: its first note's position in the whole list, and its length.
    pub fn window(&self) -> (usize, usize) {
        (self.offset, self.notes.len())
    }
    /// Note `i` of the whole list, when the window holds it.
    fn note(&self, i: usize) -> Option<&Record<Note>> {
        self.notes.get(i.checked_sub(self.offset)?)
    }

    /// Ask for the window of notes starting at `offset`.
    fn ask(&mut self, offset: usize, fx: &mut Effects) {
        self.asked = Some(offset);
        let q = NoteQuery {
            offset,
            limit: WINDOW,
            ..self.query.clone()
        };
        fx.send(Request::Notes(q), Route::Notes(self.seq));
    }

    /// Ask for the window around the selection when it comes near an edge of the one held.
    fn follow(&mut self, fx: &mut Effects) {
        let end = self.offset + self.notes.len();
        let low = self.offset > 0 && self.selected < self.offset + MARGIN;
        let high = end < self.total && self.selected + MARGIN >= end;
        if self.loaded && (low || high) {
            let at = self.selected.saturating_sub(WINDOW / 2);
            if self.asked != Some(at) {
                self.ask(at, fx);
            }
        }
    }
    pub fn actions(&self) -> &[ActionRow] {
        &self.actions
    }
    pub fn my_actions(&self) -> bool {
        self.my_actions
    }

    /// Filter by partner (the prompt's answer).
    pub fn set_partner(&mut self, id: Option<Id>, cx: &Ctx, fx: &mut Effects) {
        self.query.partner = id;
        self.refresh(cx, fx);
    }

    fn actions_action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if let Some(s) = moved(action, self.action_sel, self.actions.len(), count, 10) {
            self.action_sel = s;
            return;
        }
        let Some(a) = self.actions.get(self.action_sel) else {
            if matches!(action, Action::MyActionItems | Action::Back) {
                self.my_actions = false;
            }
            return;
        };
        let get = Request::Get {
            kind: EntityKind::Note,
            id: a.note,
        };
        match action {
            Action::MyActionItems | Action::Back => self.my_actions = false,
            Action::ToggleActionDone => fx.send(get, Route::ToggleAction { index: a.index }),
            Action::Open | Action::Edit => fx.send(get, Route::EditLoaded),
            _ => fx.notice(Msg::NotHere),
        }
        let _ = cx;
    }

    fn edit(&self, action: Action, cx: &Ctx, fx: &mut Effects) {
        let Some(note) = self.note(self.selected) else {
            return;
        };
        let pcx = crate::ui::app::parse_cx(cx);
        let mut f = crate::ui::forms::note::form(Some(note), &[], &pcx);
        if action == Action::AddActionItem {
            f.add_action(cx.user);
        }
        fx.form(f);
    }

    fn archive_or_restore(&self, restore: bool, fx: &mut Effects) {
        let Some(n) = self.note(self.selected) else {
            return fx.notice(Msg::NotHere);
        };
        let (kind, id, version, name) = (
            EntityKind::Note,
            n.meta.id,
            n.meta.version,
            n.data.title.clone(),
        );
        let c = match (restore, n.meta.archived) {
            (false, false) => Confirm::Archive {
                kind,
                id,
                version,
                name,
            },
            (true, true) => Confirm::Restore {
                kind,
                id,
                version,
                name,
            },
            _ => return fx.notice(Msg::NotHere),
        };
        fx.open(Overlay::Confirm(c));
    }

    fn clear(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.partner = None;
        self.query.text.clear();
        self.search.editor.clear();
        self.refresh(cx, fx);
    }

    /// A changed note into my open action items.
    fn apply_actions(&mut self, r: &Record<Note>, cx: &Ctx) {
        self.actions.retain(|a| a.note != r.meta.id);
        if r.meta.archived {
            return;
        }
        for (index, item) in r.data.actions.iter().enumerate() {
            if item.done || item.owner != cx.user {
                continue;
            }
            self.actions.push(ActionRow {
                note: r.meta.id,
                note_version: r.meta.version,
                note_title: r.data.title.clone(),
                note_date: r.data.date,
                partners: r.data.partners.clone(),
                index,
                item: item.clone(),
                overdue: item.due.is_some_and(|d| d < cx.today),
            });
        }
        self.actions.sort_by(|a, b| {
            (a.item.due.is_none(), a.item.due, a.note_date).cmp(&(
                b.item.due.is_none(),
                b.item.due,
                b.note_date,
            ))
        });
        self.action_sel = self.action_sel.min(self.actions.len().saturating_sub(1));
    }

    fn admits(&self, r: &Record<Note>) -> bool {
        let q = &self.query;
        let needle = crate::domain::text::fold(q.text.trim());
        q.archived.admits(r.meta.archived)
            && q.partner.is_none_or(|p| r.data.partners.contains(&p))
            && q.from.is_none_or(|f| r.data.date >= f)
            && q.to.is_none_or(|t| r.data.date <= t)
            && (needle.is_empty()
                || crate::domain::text::fold(&format!("{} {}", r.data.title, r.data.body))
                    .contains(&needle))
    }
}

impl PaneView for NotesPane {
    fn refresh(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.seq += 1;
        self.actions_seq += 1;
        self.keep = self.note(self.selected).map(|n| n.meta.id);
        self.ask(self.selected.saturating_sub(WINDOW / 2), fx);
        let q = ActionQuery {
            owner: Some(cx.user.to_string()),
            partner: None,
            open_only: true,
        };
        fx.send(Request::ActionItems(q), Route::Actions(self.actions_seq));
    }

    fn action(&mut self, action: Action, count: usize, cx: &Ctx, fx: &mut Effects) {
        if self.my_actions {
            return self.actions_action(action, count, cx, fx);
        }
        if let Some(s) = moved(action, self.selected, self.total, count, 10) {
            self.selected = s;
            return self.follow(fx);
        }
        match action {
            Action::Open => {
                self.open = if self.open == Some(self.selected) {
                    None
                } else {
                    Some(self.selected)
                }
            }
            Action::Back if self.open.is_some() => self.open = None,
            Action::Back | Action::ClearFilter => self.clear(cx, fx),
            Action::MyActionItems => self.my_actions = true,
            Action::Add => {
                let pre: Vec<Id> = self.query.partner.into_iter().collect();
                let pcx = crate::ui::app::parse_cx(cx);
                fx.form(crate::ui::forms::note::form(None, &pre, &pcx));
            }
            Action::Edit | Action::AddActionItem => self.edit(action, cx, fx),
            Action::LinkGoals => match self.note(self.selected) {
                Some(n) => fx.send(
                    Request::GoalLinksFor {
                        source: crate::domain::LinkSource::Note,
                        id: n.meta.id,
                    },
                    Route::LinkGoals,
                ),
                None => fx.notice(Msg::NotHere),
            },
            Action::Archive => self.archive_or_restore(false, fx),
            Action::Restore => self.archive_or_restore(true, fx),
            Action::ShowArchive => {
                self.query.archived = match self.query.archived {
                    Archived::Only => Archived::Hide,
                    _ => Archived::Only,
                };
                self.selected = 0;
                self.open = None;
                self.refresh(cx, fx);
            }
            Action::FilterPartner => fx.open(Overlay::prompt(PromptKind::Partner, "")),
            Action::Search => self.search.active = true,
            _ => fx.notice(Msg::NotHere),
        }
    }

    fn answer(
        &mut self,
        route: &Route,
        resp: Response,
        _cx: &Ctx,
        _fx: &mut Effects,
    ) -> Option<Response> {
        match (route, resp) {
            (Route::Notes(seq), Response::Notes(page)) => {
                if *seq == self.seq {
                    let keep = self.keep.take();
                    self.offset = page.offset;
                    self.total = page.total;
                    self.notes = page.items;
                    self.asked = None;
                    self.loaded = true;
                    let found = keep.and_then(|k| self.notes.iter().position(|n| n.meta.id == k));
                    if let Some(p) = found {
                        self.selected = self.offset + p;
                    }
                    self.selected = self.selected.min(self.total.saturating_sub(1));
                    if self.open.is_some_and(|o| o >= self.total) {
                        self.open = None;
                    }
                }
                None
            }
            (Route::Actions(seq), Response::ActionItems(items)) => {
                if *seq == self.actions_seq {
                    self.actions = items;
                    self.action_sel = self.action_sel.min(self.actions.len().saturating_sub(1));
                }
                None
            }
            (_, resp) => Some(resp),
        }
    }

    fn apply(&mut self, rec: &AnyRecord, cx: &Ctx, fx: &mut Effects) {
        let AnyRecord::Note(r) = rec else {
            return;
        };
        self.apply_actions(r, cx);
        let shown = self.admits(r);
        match self.notes.iter().position(|n| n.meta.id == r.meta.id) {
            // Still shown on the same day: in place.
            Some(i)
                if shown
                    && self
                        .notes
                        .get(i)
                        .is_some_and(|n| n.data.date == r.data.date) =>
            {
                if let Some(n) = self.notes.get_mut(i) {
                    *n = r.clone();
                }
            }
            // Gone from the list, moved in it, or new to it: the window and its count again.
            Some(_) => {
                if !shown {
                    self.open = None;
                }
                self.seq += 1;
                self.keep = self.note(self.selected).map(|n| n.meta.id);
                self.ask(self.selected.saturating_sub(WINDOW / 2), fx);
            }
            None if shown && self.loaded => {
                self.seq += 1;
                self.keep = self.note(self.selected).map(|n| n.meta.id);
                self.ask(self.selected.saturating_sub(WINDOW / 2), fx);
            }
            None => {}
        }
    }

    fn search(&self) -> &Search {
        &self.search
    }
    fn search_mut(&mut self) -> &mut Search {
        &mut self.search
    }
    fn search_changed(&mut self, cx: &Ctx, fx: &mut Effects) {
        self.query.text = self.search.text();
        self.selected = 0;
        self.refresh(cx, fx);
    }

    fn export(&self, cx: &Ctx) -> (crate::csvio::Dataset, crate::csvio::Scope) {
        use crate::csvio::{Dataset, Scope};
        if self.my_actions {
            let q = ActionQuery {
                owner: Some(cx.user.to_string()),
                partner: None,
                open_only: true,
            };
            (Dataset::Actions, Scope::Actions(q))
        } else {
            (Dataset::Notes, Scope::Notes(self.query.clone()))
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        draw(frame, area, self, cx);
    }
}

mod draw;
use draw::draw;
