//! The partner detail view: the strategic profile, scores, agreements, contacts, goals and
//! recent work of one partner. From here agreements, contacts, activities and notes are added,
//! edited, archived and restored (`A` shows the archived agreements and contacts).

use crate::domain::{EntityKind, Enumerated, Id, Side};
use crate::i18n::Lang;
use crate::i18n::catalogue::{Label, Msg, profile_check, t};
use crate::keymap::Action;
use crate::service::{AnyRecord, PartnerDetail, PartnerLifecycle, Renewal, Request, Response};
use crate::ui::effect::{Effects, Route};
use crate::ui::overlays::{Choice, ChoiceLabel, Confirm, Overlay};
use crate::ui::view::Ctx;
use crate::ui::widgets::{clean, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The detail view of one partner.
#[derive(Debug)]
pub struct Detail {
    id: Id,
    data: Option<Box<PartnerDetail>>,
    /// Goals and their follow-up (asked for beside the detail).
    life: Option<Box<PartnerLifecycle>>,
    scroll: u16,
    seq: u64,
    /// Show the archived agreements and contacts (to restore them).
    archived: bool,
    /// The pane it was opened from (the Overview): Esc goes back there.
    back_to: Option<super::Pane>,
}

/// Whether the view stays open after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailDone {
    Stay,
    Close,
}

impl Detail {
    pub fn new(id: Id) -> Detail {
        Detail {
            id,
            data: None,
            life: None,
            scroll: 0,
            seq: 0,
            archived: false,
            back_to: None,
        }
    }

    /// The detail opened from another pane, which Esc returns to.
    pub fn from_pane(id: Id, pane: super::Pane) -> Detail {
        Detail {
            back_to: Some(pane),
            ..Detail::new(id)
        }
    }

    /// The pane Esc returns to, if the detail was opened from another one.
    pub fn back_to(&self) -> Option<super::Pane> {
        self.back_to
    }

    /// The partner shown.
    pub fn id(&self) -> Id {
        self.id
    }

    /// The loaded detail.
    pub fn data(&self) -> Option<&PartnerDetail> {
        self.data.as_deref()
    }

    /// The loaded life cycle.
    pub fn life(&self) -> Option<&PartnerLifecycle> {
        self.life.as_deref()
    }

    /// Ask for the detail and its life cycle.
    pub fn refresh(&mut self, fx: &mut Effects) {
        self.seq += 1;
        fx.send(Request::PartnerDetail(self.id), Route::Detail(self.seq));
        fx.send(Request::Lifecycle(self.id), Route::DetailLife(self.seq));
    }

    pub fn answer_life(&mut self, seq: u64, resp: Response) -> Option<Response> {
        match resp {
            Response::Lifecycle(l) => {
                if seq == self.seq {
                    self.life = Some(l);
                }
                None
            }
            other => Some(other),
        }
    }

    pub fn answer(&mut self, seq: u64, resp: Response) -> Option<Response> {
        match resp {
            Response::PartnerDetail(d) => {
                if seq == self.seq {
                    self.data = Some(d);
                }
                None
            }
            other => Some(other),
        }
    }

    /// A changed record that belongs to this partner: the view (a single partner's page) is
    /// asked for again.
    pub fn apply(&mut self, rec: &AnyRecord, fx: &mut Effects) {
        let mine = match rec {
            AnyRecord::Partner(r) => r.meta.id == self.id,
            AnyRecord::Agreement(r) => r.data.partner == self.id,
            AnyRecord::Contact(r) => r.data.partner == self.id,
            AnyRecord::Assessment(r) => r.data.partner == self.id,
            AnyRecord::Activity(r) => r.data.partners.contains(&self.id),
            AnyRecord::Note(r) => r.data.partners.contains(&self.id),
            AnyRecord::Goal(r) => r.data.partner == self.id,
            AnyRecord::PhaseChange(r) => r.data.partner == self.id,
            AnyRecord::Suitability(r) => r.data.partner == self.id,
            AnyRecord::Rhythm(r) => r.data.partner == self.id,
            AnyRecord::Evaluation(r) => r.data.partner == self.id,
            // A link changes the follow-up of some partner's goals: cheap to ask again.
            AnyRecord::GoalLinks(_) => true,
        };
        if mine {
            self.refresh(fx);
        }
    }

    pub fn action(
        &mut self,
        action: Action,
        count: usize,
        cx: &Ctx,
        fx: &mut Effects,
    ) -> DetailDone {
        let n = u16::try_from(count).unwrap_or(u16::MAX);
        match action {
            Action::MoveDown => self.scroll = self.scroll.saturating_add(n),
            Action::MoveUp => self.scroll = self.scroll.saturating_sub(n),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::First => self.scroll = 0,
            Action::Back => return DetailDone::Close,
            Action::ShowArchive => self.archived = !self.archived,
            Action::Edit => fx.open(self.with_life(
                self.chooser(Msg::ChooseEdit, Self::edit_items),
                super::detail_life::edit_items,
            )),
            Action::Add => fx.open(self.add_chooser()),
            Action::Archive => fx.open(self.with_life(
                self.chooser(Msg::ChooseArchive, Self::archive_items),
                super::detail_life::archive_items,
            )),
            Action::Restore => {
                let o = self.with_life(
                    self.chooser(Msg::ChooseRestore, Self::restore_items),
                    super::detail_life::restore_items,
                );
                match o {
                    Overlay::Choose { ref items, .. } if items.is_empty() => {
                        fx.notice(Msg::NothingArchived)
                    }
                    o => fx.open(o),
                }
            }
            _ => fx.notice(Msg::NotHere),
        }
        let _ = cx;
        DetailDone::Stay
    }

    fn chooser(
        &self,
        title: Msg,
        items: fn(&PartnerDetail) -> Vec<(ChoiceLabel, Choice)>,
    ) -> Overlay {
        let items = self.data.as_deref().map(items).unwrap_or_default();
        Overlay::Choose {
            title,
            items,
            selected: 0,
        }
    }

    /// A chooser with the life cycle's entries added.
    fn with_life(
        &self,
        mut o: Overlay,
        more: fn(&PartnerLifecycle) -> Vec<(ChoiceLabel, Choice)>,
    ) -> Overlay {
        if let (Overlay::Choose { items, .. }, Some(l)) = (&mut o, self.life.as_deref()) {
            items.extend(more(l));
        }
        o
    }

    fn add_chooser(&self) -> Overlay {
        let id = self.id;
        Overlay::Choose {
            title: Msg::ChooseAdd,
            items: vec![
                (
                    ChoiceLabel::Msg(Msg::AddAgreement),
                    Choice::NewAgreement(id),
                ),
                (ChoiceLabel::Msg(Msg::AddContact), Choice::NewContact(id)),
                (ChoiceLabel::Msg(Msg::AddActivity), Choice::NewActivity(id)),
                (ChoiceLabel::Msg(Msg::AddNote), Choice::NewNote(id)),
                (ChoiceLabel::Msg(Msg::AddGoal), Choice::NewGoal(id)),
                (
                    ChoiceLabel::Msg(Msg::AddSuitability),
                    Choice::NewSuitability(id),
                ),
                (
                    ChoiceLabel::Msg(Msg::AddEvaluation),
                    Choice::NewEvaluation(
                        id,
                        self.life
                            .as_deref()
                            .map(super::detail_life::goal_texts)
                            .unwrap_or_default(),
                        match (self.data(), self.life.as_deref()) {
                            (Some(d), Some(l)) => {
                                Some(Box::new(crate::ui::forms::evaluation::Evidence::of(d, l)))
                            }
                            _ => None,
                        },
                    ),
                ),
            ],
            selected: 0,
        }
    }

    fn edit_items(d: &PartnerDetail) -> Vec<(ChoiceLabel, Choice)> {
        let mut items = vec![(
            ChoiceLabel::Msg(Msg::EditPartnerItem),
            Choice::EditPartner(d.partner.meta.id),
        )];
        for a in &d.agreements {
            items.push((
                ChoiceLabel::Named(
                    Msg::Agreements,
                    format!("{} ({})", a.data.title, a.data.start),
                ),
                Choice::EditAgreement(Box::new(a.clone())),
            ));
        }
        for c in &d.contacts {
            items.push((
                ChoiceLabel::Named(Msg::FName, c.data.name.clone()),
                Choice::EditContact(Box::new(c.clone())),
            ));
        }
        items
    }

    fn archive_items(d: &PartnerDetail) -> Vec<(ChoiceLabel, Choice)> {
        let p = &d.partner;
        let mut items = vec![(
            ChoiceLabel::Msg(Msg::ArchivePartnerItem),
            Choice::Confirm(Confirm::Archive {
                kind: EntityKind::Partner,
                id: p.meta.id,
                version: p.meta.version,
                name: p.data.name.clone(),
            }),
        )];
        for a in &d.agreements {
            items.push(archive_choice(
                EntityKind::Agreement,
                &a.meta,
                &a.data.title,
                true,
            ));
        }
        for c in &d.contacts {
            items.push(archive_choice(
                EntityKind::Contact,
                &c.meta,
                &c.data.name,
                true,
            ));
        }
        items
    }

    fn restore_items(d: &PartnerDetail) -> Vec<(ChoiceLabel, Choice)> {
        let mut items = Vec::new();
        for a in &d.archived_agreements {
            items.push(archive_choice(
                EntityKind::Agreement,
                &a.meta,
                &a.data.title,
                false,
            ));
        }
        for c in &d.archived_contacts {
            items.push(archive_choice(
                EntityKind::Contact,
                &c.meta,
                &c.data.name,
                false,
            ));
        }
        items
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let Some(d) = &self.data else {
            frame.render_widget(Paragraph::new(t(cx.lang, Msg::Loading)), area);
            return;
        };
        let mut lines = head_lines(d, cx, area.width as usize);
        record_lines(d, cx, &mut lines);
        if self.archived {
            archived_lines(d, cx, &mut lines);
        }
        super::detail_life::lines(self.life.as_deref(), self.archived, cx, &mut lines);
        profile_lists(d, cx, &mut lines);
        work_lines(d, cx, &mut lines);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            area,
        );
    }
}

pub(super) fn archive_choice(
    kind: EntityKind,
    meta: &crate::domain::Meta,
    name: &str,
    archive: bool,
) -> (ChoiceLabel, Choice) {
    let label = match kind {
        EntityKind::Agreement => Msg::Agreements,
        EntityKind::Goal => Msg::FGoal,
        EntityKind::Suitability => Msg::SuitabilityHeading,
        _ => Msg::FName,
    };
    let (id, version, name) = (meta.id, meta.version, name.to_string());
    let c = if archive {
        Confirm::Archive {
            kind,
            id,
            version,
            name: name.clone(),
        }
    } else {
        Confirm::Restore {
            kind,
            id,
            version,
            name: name.clone(),
        }
    };
    (ChoiceLabel::Named(label, name), Choice::Confirm(c))
}

fn list_or_none(lang: Lang, v: &[String]) -> String {
    if v.is_empty() {
        t(lang, Msg::None).to_string()
    } else {
        clean(&v.join("; "))
    }
}

pub(super) fn heading(m: Msg, cx: &Ctx) -> Line<'static> {
    Line::from(Span::styled(t(cx.lang, m), cx.theme.header()))
}

/// Name and kind, renewal state, the strategic profile and the scores.
fn head_lines(d: &PartnerDetail, cx: &Ctx, w: usize) -> Vec<Line<'static>> {
    let (th, lang) = (cx.theme, cx.lang);
    let p = &d.partner.data;
    let mut lines = vec![Line::from(vec![
        Span::styled(truncate(&p.name, w.saturating_sub(30)), th.title()),
        Span::raw(format!(
            "  {} · {} · {} · {}",
            p.kind.label(lang),
            clean(&p.country),
            p.phase.label(lang),
            p.tier.label(lang)
        )),
    ])];
    match d.renewal {
        Renewal::Due { end } => lines.push(Line::from(Span::styled(
            format!("! {} {end}", t(lang, Msg::ColAgreementEnd)),
            th.warn(),
        ))),
        Renewal::Expired { end } => lines.push(Line::from(Span::styled(
            format!("‼ {} {end}", t(lang, Msg::ColAgreementEnd)),
            th.error(),
        ))),
        Renewal::None => {}
    }
    // Strategic profile first: it is the point of the view.
    lines.push(heading(Msg::StrategicProfile, cx));
    for c in d.profile {
        let (mark, word, style) = if c.met() {
            ("✓", t(lang, Msg::Met), th.ok())
        } else {
            ("✗", t(lang, Msg::NotMet), th.warn())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} {word}: "), style),
            Span::raw(profile_check(lang, c)),
        ]));
    }
    lines.push(heading(Msg::Scores, cx));
    // Ours, and beside it the partner's own view once an evaluation gives one.
    let both = d.theirs.iter().any(Option::is_some);
    let mut s = String::from(" ");
    for (i, (v, c)) in crate::domain::AddedValue::ALL
        .iter()
        .zip(d.scores.iter())
        .enumerate()
    {
        let cell = if both {
            super::matrix::both_text(*c, d.theirs.get(i).copied().flatten())
        } else {
            c.map(|c| c.score.to_string()).unwrap_or_else(|| "-".into())
        };
        s.push_str(&format!("{} {cell}  ", v.label(lang)));
    }
    lines.push(Line::from(s));
    if both {
        lines.push(Line::from(Span::styled(
            format!(" {}", t(lang, Msg::BothSidesView)),
            cx.theme.dim(),
        )));
    }
    lines
}

/// Agreements and contacts.
fn record_lines(d: &PartnerDetail, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let lang = cx.lang;
    lines.push(heading(Msg::Agreements, cx));
    if d.agreements.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
    }
    for a in &d.agreements {
        lines.push(Line::from(agreement_text(a, lang)));
        if let Some(c) = d.checklist.filter(|c| c.agreement == a.meta.id) {
            let style = if c.done() == 4 {
                cx.theme.ok()
            } else {
                cx.theme.warn()
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "   {}: {}",
                    t(lang, Msg::RenewalChecklist),
                    crate::i18n::phrases::renewal_checklist(&c, lang)
                ),
                style,
            )));
        }
    }
    for (side, m) in [
        (Side::Partner, Msg::ContactsPartner),
        (Side::Ours, Msg::ContactsOurs),
    ] {
        lines.push(heading(m, cx));
        let cs: Vec<_> = d.contacts.iter().filter(|c| c.data.side == side).collect();
        if cs.is_empty() {
            lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
        }
        for c in cs {
            lines.push(Line::from(contact_text(c, lang)));
        }
    }
}

fn agreement_text(a: &crate::domain::Record<crate::domain::Agreement>, lang: Lang) -> String {
    format!(
        " {} · {} · {} – {} · {}",
        clean(&a.data.title),
        a.data.kind.label(lang),
        a.data.start,
        a.data
            .end
            .map(|e| e.to_string())
            .unwrap_or_else(|| t(lang, Msg::OpenEnded).to_string()),
        a.data.status.label(lang)
    )
}

fn contact_text(c: &crate::domain::Record<crate::domain::Contact>, lang: Lang) -> String {
    format!(
        " {} · {} · {}",
        clean(&c.data.name),
        c.data.role.label(lang),
        clean(&c.data.email)
    )
}

/// The archived agreements and contacts (the archive view of the detail).
fn archived_lines(d: &PartnerDetail, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    lines.push(Line::from(Span::styled(
        t(lang, Msg::ArchivedRecords),
        th.warn(),
    )));
    if d.archived_agreements.is_empty() && d.archived_contacts.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
    }
    for a in &d.archived_agreements {
        lines.push(Line::from(Span::styled(agreement_text(a, lang), th.past())));
    }
    for c in &d.archived_contacts {
        lines.push(Line::from(Span::styled(contact_text(c, lang), th.past())));
    }
}

/// Goals, formats, faculties and sponsors.
fn profile_lists(d: &PartnerDetail, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let lang = cx.lang;
    let p = &d.partner.data;
    let formats: Vec<String> = p
        .formats
        .iter()
        .map(|f| f.label(lang).to_string())
        .collect();
    for (m, v) in [
        (Msg::Formats, &formats),
        (Msg::Faculties, &p.faculties),
        (Msg::SponsorsOurs, &p.sponsors_ours),
        (Msg::SponsorsPartner, &p.sponsors_partner),
    ] {
        lines.push(heading(m, cx));
        lines.push(Line::from(format!(" {}", list_or_none(lang, v))));
    }
    let _ = Enumerated::key(p.kind);
}

/// Open action items and recent activities.
fn work_lines(d: &PartnerDetail, cx: &Ctx, lines: &mut Vec<Line<'static>>) {
    let (th, lang) = (cx.theme, cx.lang);
    lines.push(heading(Msg::OpenActions, cx));
    if d.open_actions.is_empty() {
        lines.push(Line::from(format!(" {}", t(lang, Msg::None))));
    }
    for a in &d.open_actions {
        let due = a.item.due.map(|d| d.to_string()).unwrap_or_default();
        let over = if a.overdue {
            format!(" ({})", t(lang, Msg::Overdue))
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                " □ {} · {} · {due}{over}",
                clean(&a.item.text),
                clean(&a.item.owner)
            ),
            if a.overdue {
                th.warn()
            } else {
                Style::default()
            },
        )));
    }
    lines.push(heading(Msg::RecentActivities, cx));
    for a in d.recent_activities.iter().take(15) {
        lines.push(Line::from(format!(
            " {} {} · {} · {}",
            a.data.date,
            truncate(&a.data.title, 40),
            a.data.kind.label(lang),
            a.data.status.label(lang)
        )));
    }
}
