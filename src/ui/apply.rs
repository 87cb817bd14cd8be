//! The app's effect loop: carrying out what components ask ([`Effect`]), routing service answers
//! back to the component that asked ([`Route`]), applying change events in place, the connection
//! state, and saves. CSV jobs are in [`super::jobs`].

use super::app::{App, parse_cx};
use super::drafts::Draft;
use super::effect::{Effect, Effects, Notice, Route};
use super::forms::{self, Form};
use super::overlays::{Confirm, ConflictView, Overlay, PromptKind};
use super::panes::{Pane, PaneView};
use super::worker::FromWorker;
use crate::domain::{ActivityStatus, Id};
use crate::i18n::catalogue::{self as cat, Msg};
use crate::service::{AnyData, AnyRecord, ChangeEvent, Renewal, Request, Response};
use std::collections::VecDeque;
use std::sync::atomic::Ordering;

/// More change events than this at once (an import) reload the panes instead.
const BULK: usize = 20;

impl App {
    /// Carry out effects, and the effects they lead to.
    pub(crate) fn apply_effects(&mut self, fx: Effects) {
        let mut queue: VecDeque<Effect> = fx.0.into();
        while let Some(e) = queue.pop_front() {
            let mut more = Effects::default();
            self.effect(e, &mut more);
            queue.extend(more.0);
        }
    }

    fn effect(&mut self, e: Effect, more: &mut Effects) {
        match e {
            Effect::Request { req, to } => self.request(req, to),
            Effect::OpenForm(f) => {
                if self.form.is_none() {
                    let ro = !self.sh.ctx().can_write();
                    self.form = Some(f.read_only(ro));
                    self.keys.clear();
                }
            }
            Effect::CloseForm => self.close_form(),
            Effect::Open(o) => self.open(*o),
            Effect::CloseOverlay => self.overlay = None,
            Effect::Notice(n) => self.notice(n),
            Effect::RefreshAll => self.refresh_all(),
            Effect::Refresh(p) if p == self.pane => self.refresh_pane(p),
            Effect::Refresh(p) => self.stale[p.index()] = true,
            Effect::SetPane(p) => self.run_anywhere(pane_action(p)),
            Effect::OpenPartner(id) => {
                let from = self.pane;
                self.run_anywhere(pane_action(Pane::Partners));
                if self.pane == Pane::Partners {
                    self.partners.open_detail(id, from, more);
                }
            }
            Effect::SetLang(l) => self.set_lang(l),
            Effect::Run(a) => self.run_anywhere(a),
            Effect::Confirmed(c) => self.confirmed(c, more),
            Effect::Declined(Confirm::OverwriteExport(_)) => {
                self.transfers.export_waiting = None;
                if let Some(d) = self.transfers.export_dialog.take() {
                    self.overlay = Some(Overlay::Export(Box::new(d)));
                }
            }
            Effect::Declined(_) => {}
            Effect::Quit => self.quit = true,
            Effect::Redraw => self.redraw = true,
            Effect::Transfer(o) => self.start_transfer(*o),
            Effect::ImportChoice(c) => self.import_choice(c),
            Effect::Draft(d, yes) => self.restore_draft(*d, yes),
            Effect::Prompt(kind, text) => self.prompt_answer(kind, &text, more),
            Effect::ConflictReload(rec) => {
                let cx = self.sh.ctx();
                if let Some(mut f) = forms::for_record(&rec, &parse_cx(&cx)) {
                    f.set_focus(self.form.as_ref().map(Form::focus).unwrap_or(0));
                    self.form = Some(f);
                }
                self.notice(Notice::Msg(Msg::ConflictReloaded));
            }
            Effect::ConflictOverwrite(v) => {
                if let Some(f) = &mut self.form {
                    f.set_version(v);
                }
                self.save_form();
            }
            Effect::CancelExport => {
                if let Some(c) = &self.transfers.cancel {
                    c.store(true, Ordering::Relaxed);
                }
            }
            Effect::Report { partner, format } => self.write_report(partner, format, None),
        }
    }

    /// Send a request. Offline, a query waits for the reconnection (its pane reloads then) and
    /// anything else is refused.
    fn request(&mut self, req: Request, to: Route) {
        if !self.sh.online {
            if to.slot().is_none() {
                self.notice(Notice::Offline);
                if to == Route::Save
                    && let Some(f) = &mut self.form
                {
                    f.save_done();
                }
            }
            return;
        }
        let id = self.worker.send(req, to.slot());
        self.pending.insert(id, to);
    }

    fn confirmed(&mut self, c: Confirm, more: &mut Effects) {
        match c {
            Confirm::Quit => self.quit = true,
            Confirm::CancelForm => self.close_form(),
            Confirm::Archive {
                kind, id, version, ..
            } => {
                let req = Request::Archive {
                    kind,
                    id,
                    expected_version: version,
                };
                more.send(req, Route::Mutation);
                if kind == crate::domain::EntityKind::Partner {
                    self.partners.close_detail();
                }
                more.notice(Msg::Archived);
            }
            Confirm::Restore {
                kind, id, version, ..
            } => {
                let req = Request::Restore {
                    kind,
                    id,
                    expected_version: version,
                };
                more.send(req, Route::Mutation);
                more.notice(Msg::Restored);
            }
            Confirm::CancelActivity(rec) => {
                let mut data = rec.data;
                data.status = ActivityStatus::Cancelled;
                let req = Request::Update {
                    id: rec.meta.id,
                    expected_version: rec.meta.version,
                    data: AnyData::Activity(data),
                };
                more.send(req, Route::Mutation);
                more.notice(Msg::Cancelled);
            }
            Confirm::OverwriteExport(_) => {
                if let Some(mut job) = self.transfers.export_waiting.take() {
                    job.overwrite = true;
                    self.start_export(job);
                }
            }
            Confirm::ReplaceReport {
                partner,
                format,
                path,
            } => self.write_report(partner, format, Some(std::path::PathBuf::from(path))),
        }
    }

    fn prompt_answer(&mut self, kind: PromptKind, v: &str, more: &mut Effects) {
        let cx = self.sh.ctx();
        match kind {
            PromptKind::Country => self.partners.set_country(v, &cx, more),
            PromptKind::Partner => {
                let id = if v.is_empty() {
                    None
                } else {
                    forms::field::resolve_partner(cx.names, v)
                };
                if !v.is_empty() && id.is_none() {
                    more.push(Effect::Notice(Notice::WithDetail(
                        Msg::UnknownPartnerName,
                        v.to_string(),
                    )));
                    return;
                }
                match self.pane {
                    Pane::Notes => self.notes.set_partner(id, &cx, more),
                    _ => self.timeline.set_partner(id, &cx, more),
                }
            }
            PromptKind::DateRange => {
                if !self.timeline.set_range(v, &cx, more) {
                    more.push(Effect::Notice(Notice::WithDetail(
                        Msg::BadDate,
                        v.to_string(),
                    )));
                }
            }
        }
    }

    /// The draft dialog was answered: restore the form, or drop the draft.
    pub(crate) fn restore_draft(&mut self, d: Draft, yes: bool) {
        if !yes {
            if let Some(dr) = &self.drafts {
                dr.drop_draft();
            }
            return;
        }
        let cx = self.sh.ctx();
        let f = Form::from_draft(d.kind, &d.values, &parse_cx(&cx));
        let ro = !cx.can_write();
        self.form = Some(f.read_only(ro));
    }

    // ------------------------------------------------------------------ the worker

    pub(crate) fn on_worker(&mut self, m: FromWorker) {
        self.worker.received(&m);
        match m {
            FromWorker::Answer(id, resp) => self.answer(id, resp),
            FromWorker::Superseded(id) => {
                self.pending.remove(&id);
            }
            FromWorker::Ready {
                user,
                role,
                location,
                client,
                today,
            } => {
                if let Some(d) = today {
                    self.sh.today = d;
                }
                self.sh.user = user;
                self.sh.role = role;
                self.sh.location = location;
                self.sh.online = client.connected();
                self.client = Some(client);
                self.start_drafts();
            }
            FromWorker::OpenFailed(e) => {
                self.fatal = Some(e);
                self.quit = true;
            }
        }
    }

    /// Apply one service answer where it was asked for.
    fn answer(&mut self, id: super::worker::ReqId, resp: Response) {
        let Some(route) = self.pending.remove(&id) else {
            return;
        };
        let mut fx = Effects::default();
        let cx = self.sh.ctx();
        // A pane's first answer may have met records that cannot be read: count again once.
        let pane_bit = match &route {
            Route::Timeline(_) => 1,
            Route::Matrix(_) => 2,
            Route::Notes(_) => 4,
            _ => 0,
        };
        if pane_bit != 0 && self.damage.1 & pane_bit == 0 {
            self.damage.1 |= pane_bit;
            fx.send(Request::Stats, Route::Damage);
        }
        let left = match &route {
            Route::Partners { .. } | Route::Detail(_) | Route::DetailLife(_) => {
                self.partners.answer(&route, resp, &cx, &mut fx)
            }
            Route::Timeline(_) => self.timeline.answer(&route, resp, &cx, &mut fx),
            Route::Matrix(_) => self.matrix.answer(&route, resp, &cx, &mut fx),
            Route::Notes(_) | Route::Actions(_) => self.notes.answer(&route, resp, &cx, &mut fx),
            Route::Overview(_) => self.overview.answer(&route, resp, &cx, &mut fx),
            _ => Some(resp),
        };
        self.apply_effects(fx);
        if let Some(resp) = left {
            self.routed(route, resp);
        }
    }

    fn routed(&mut self, route: Route, resp: Response) {
        match (route, resp) {
            (Route::PartnerNames, Response::PartnerNames(names)) => self.sh.set_names(names),
            (Route::Damage, Response::Stats(s)) if s.damaged > self.damage.0 => {
                self.damage.0 = s.damaged;
                self.notice(Notice::Damaged(s.damaged));
            }
            (Route::OverviewNotice, Response::Overview(o)) => {
                if let Some(n) = start_notice(&o) {
                    self.notice_beneath(n);
                }
            }
            (Route::Save, resp) => self.save_answer(resp),
            (
                Route::History {
                    partner,
                    partner_name,
                    value,
                },
                Response::Assessments(history),
            ) => {
                let cx = self.sh.ctx();
                let f =
                    forms::assessment::form(partner, partner_name, value, history, &parse_cx(&cx));
                self.effects(vec![Effect::OpenForm(Box::new(f))]);
            }
            (Route::ToggleAction { index }, Response::Record(AnyRecord::Note(mut rec))) => {
                if let Some(a) = rec.data.actions.get_mut(index) {
                    a.done = !a.done;
                    let req = Request::Update {
                        id: rec.meta.id,
                        expected_version: rec.meta.version,
                        data: AnyData::Note(rec.data),
                    };
                    self.request(req, Route::Mutation);
                }
            }
            (Route::LinkGoals, Response::GoalLinkChoices(c)) => {
                if c.goals.is_empty() && c.links.is_none() {
                    self.notice(Notice::Msg(Msg::NoGoalsToLink));
                } else {
                    let f = forms::links::form(&c);
                    self.effects(vec![Effect::OpenForm(Box::new(f))]);
                }
            }
            (Route::PhaseDialog, Response::PhaseCriteria(c)) => {
                let f = forms::phase::form(&c, self.sh.today);
                self.effects(vec![Effect::OpenForm(Box::new(f))]);
            }
            (Route::EditLoaded, Response::Record(rec)) => {
                let cx = self.sh.ctx();
                if let Some(f) = forms::for_record(&rec, &parse_cx(&cx)) {
                    self.effects(vec![Effect::OpenForm(Box::new(f))]);
                }
            }
            (Route::Mutation, Response::Saved { kind, id, version }) => {
                // Archive, restore, a toggled item: the record is read once and applied in
                // place (its change event is then skipped).
                self.notice(Notice::Msg(Msg::Saved));
                self.applied.insert((kind, id), version);
                self.request(Request::Get { kind, id }, Route::Changed);
            }
            (Route::Demo, Response::DemoLoaded(st)) => {
                let lang = self.sh.lang;
                let detail = format!(
                    "{}, {}, {}",
                    cat::count(lang, st.partners, cat::Noun::Partner),
                    cat::count(lang, st.activities, cat::Noun::Activity),
                    cat::count(lang, st.notes, cat::Noun::Note)
                );
                self.notice(Notice::WithDetail(Msg::DemoLoaded, detail));
                self.refresh_all();
            }
            (Route::Changed, Response::Record(rec)) => self.apply_record(&rec),
            (Route::Changed, Response::NotFound { .. }) => {}
            (_, resp) => self.general_answer(resp),
        }
    }

    fn general_answer(&mut self, resp: Response) {
        match resp {
            Response::Forbidden { .. } => self.notice(Notice::ReadOnly),
            Response::Conflict(_) => {
                self.notice(Notice::Msg(Msg::Conflict));
                self.refresh_all();
            }
            Response::NotFound { .. } => self.notice(Notice::Msg(Msg::NotFound)),
            Response::Failed(e) => {
                let text = crate::i18n::reasons::failure(self.sh.lang, &e);
                self.notice(Notice::WithDetail(Msg::StoreFailed, text))
            }
            Response::Invalid(errs) => {
                let lang = self.sh.lang;
                let text = errs
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            cat::field_label(lang, &e.field),
                            cat::rule(lang, &e.rule)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                self.notice(Notice::WithDetail(Msg::FixErrors, text));
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------------ saving

    pub(crate) fn save_form(&mut self) {
        let cx = self.sh.ctx();
        let pcx = parse_cx(&cx);
        let Some(form) = &mut self.form else {
            return;
        };
        if form.is_read_only() {
            return self.notice(Notice::ReadOnly);
        }
        if form.is_saving() {
            return;
        }
        match form.save_request(&pcx) {
            Some(req) => self.request(req, Route::Save),
            None => self.notice(Notice::Msg(Msg::FixErrors)),
        }
    }

    fn save_answer(&mut self, resp: Response) {
        let Some(form) = &mut self.form else {
            return;
        };
        if !form.is_saving() {
            return;
        }
        form.save_done();
        self.saved(resp);
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.on_changes(held);
        }
    }

    fn saved(&mut self, resp: Response) {
        let Some(form) = &mut self.form else {
            return;
        };
        match resp {
            Response::Saved { kind, id, version } => {
                // The saver applies what it saved; its own change event is then skipped.
                let rec = form.saved_record(id, version, &self.sh.user);
                self.applied.insert((kind, id), version);
                self.close_form();
                self.notice(Notice::Msg(Msg::Saved));
                match rec {
                    Some(rec) => self.apply_record(&rec),
                    // Saved as something else than the form's data (a phase change): read it.
                    None => self.request(Request::Get { kind, id }, Route::Changed),
                }
            }
            Response::Invalid(errs) => {
                form.apply_errors(&errs);
                self.notice(Notice::Msg(Msg::FixErrors));
            }
            Response::Conflict(info) => {
                // The form keeps the user's input; the dialog over it says who changed what.
                let v = ConflictView::new(form, info, self.sh.lang);
                self.open(Overlay::Conflict(Box::new(v)));
            }
            other => self.general_answer(other),
        }
    }

    // ------------------------------------------------------------------ changes

    /// Change events: each changed record is read once and applied where it is shown; a burst
    /// (an import, demo data) reloads instead.
    pub(crate) fn on_changes(&mut self, mut changes: Vec<ChangeEvent>) {
        // The daemon changed this user's role: show it (and what the role allows) at once.
        if changes
            .iter()
            .any(|c| c.action == crate::store::AuditAction::Access)
        {
            changes.retain(|c| c.action != crate::store::AuditAction::Access);
            if let Some(c) = &self.client {
                self.sh.role = c.identity().role;
                self.notice(Notice::RoleChanged(self.sh.role));
            }
            if changes.is_empty() {
                return;
            }
        }
        if self.form.as_ref().is_some_and(Form::is_saving) {
            self.held.extend(changes);
            return;
        }
        let bulk = changes.len() > BULK
            || changes
                .iter()
                .any(|c| c.id == Id(0) || c.action == crate::store::AuditAction::Import);
        if bulk {
            return self.refresh_all();
        }
        let mut seen = Vec::new();
        for c in changes {
            let key = (c.kind, c.id);
            if self.applied.get(&key).is_some_and(|v| *v >= c.version) || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            self.request(
                Request::Get {
                    kind: c.kind,
                    id: c.id,
                },
                Route::Changed,
            );
        }
    }

    /// A changed record into every pane that shows it, and into the partner names.
    pub(crate) fn apply_record(&mut self, rec: &AnyRecord) {
        let mut fx = Effects::default();
        let cx = self.sh.ctx();
        self.partners.apply(rec, &cx, &mut fx);
        self.timeline.apply(rec, &cx, &mut fx);
        self.matrix.apply(rec, &cx, &mut fx);
        self.notes.apply(rec, &cx, &mut fx);
        self.overview.apply(rec, &cx, &mut fx);
        if let AnyRecord::Partner(p) = rec {
            let at = self.sh.name_at.get(&p.meta.id).copied();
            match at {
                Some(i) if p.meta.archived => {
                    let mut names = std::mem::take(&mut self.sh.names);
                    names.remove(i);
                    self.sh.set_names(names);
                }
                Some(i) if self.sh.names.get(i).is_some_and(|(_, n)| *n == p.data.name) => {}
                // A new or renamed partner: the names come sorted from the service.
                _ if !p.meta.archived => {
                    let lang = self.sh.lang;
                    fx.send(Request::PartnerNames { lang }, Route::PartnerNames);
                }
                _ => {}
            }
        }
        self.apply_effects(fx);
    }

    pub(crate) fn on_connection(&mut self, up: bool) {
        if up == self.sh.online {
            return;
        }
        self.sh.online = up;
        if up {
            self.notice(Notice::Msg(Msg::Reconnected));
            self.refresh_all();
        }
    }
}

/// The notice at start: the renewals (as before the overview) and the overview's counts; None
/// when nothing is due.
fn start_notice(o: &crate::service::Overview) -> Option<Notice> {
    use crate::service::OverviewItem;
    let counts = o.counts();
    if counts.iter().all(|n| *n == 0) {
        return None;
    }
    let renewals = o.lines.iter().filter_map(|l| match &l.item {
        OverviewItem::Renewal { renewal, .. } => Some((renewal, l)),
        _ => None,
    });
    let mut first = None;
    let (mut due, mut expired) = (0, 0);
    for (r, l) in renewals {
        match r {
            Renewal::Expired { .. } => expired += 1,
            _ => due += 1,
        }
        if first.is_none() {
            first = Some(l.partners.clone());
        }
    }
    Some(Notice::Overview {
        renewals: first.map(|first| (due, expired, first)),
        counts,
    })
}

/// The action that shows a pane.
fn pane_action(p: Pane) -> crate::keymap::Action {
    use crate::keymap::Action;
    match p {
        Pane::Partners => Action::PanePartners,
        Pane::Timeline => Action::PaneTimeline,
        Pane::Matrix => Action::PaneMatrix,
        Pane::Notes => Action::PaneNotes,
        Pane::Overview => Action::PaneOverview,
    }
}
