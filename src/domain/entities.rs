//! What each record kind tells the rest of spets through [`Entity`]: its cleaning, its field
//! checks against the limits, the partners it belongs to, its fields for audit diffs and conflict
//! reports, and its label.

use super::*;

impl Entity for Partner {
    const KIND: EntityKind = EntityKind::Partner;
    fn normalise(&mut self) {
        use text::{clean_line, clean_list};
        self.name = clean_line(&self.name);
        self.short_name = self
            .short_name
            .as_deref()
            .map(clean_line)
            .filter(|s| !s.is_empty());
        self.country = country::normalise(&self.country);
        self.city = clean_line(&self.city);
        self.website = clean_line(&self.website);
        set(&mut self.formats);
        self.faculties = clean_list(&self.faculties);
        self.goals = clean_list(&self.goals);
        self.tags = clean_list(&self.tags);
        self.sponsors_ours = clean_list(&self.sponsors_ours);
        self.sponsors_partner = clean_list(&self.sponsors_partner);
        self.coordinator = clean_line(&self.coordinator);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::partner(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        Vec::new()
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("short_name", self.short_name.clone().unwrap_or_default()),
            ("kind", self.kind.key().into()),
            ("country", self.country.clone()),
            ("city", self.city.clone()),
            ("website", self.website.clone()),
            ("phase", self.phase.key().into()),
            ("tier", self.tier.key().into()),
            ("formats", join(&self.formats)),
            ("faculties", join(&self.faculties)),
            ("goals", join(&self.goals)),
            ("tags", join(&self.tags)),
            ("sponsors_ours", join(&self.sponsors_ours)),
            ("sponsors_partner", join(&self.sponsors_partner)),
            ("coordinator", self.coordinator.clone()),
        ]
    }
    fn label(&self) -> String {
        self.name.clone()
    }
}

impl Entity for Agreement {
    const KIND: EntityKind = EntityKind::Agreement;
    fn normalise(&mut self) {
        self.title = text::clean_line(&self.title);
        self.signatories = text::clean_list(&self.signatories);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::agreement(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("kind", self.kind.key().into()),
            ("title", self.title.clone()),
            ("signed", opt_date(self.signed)),
            ("start", self.start.to_string()),
            ("end", opt_date(self.end)),
            ("signatories", join(&self.signatories)),
            ("renewal_lead_months", self.renewal_lead_months.to_string()),
            ("status", self.status.key().into()),
        ]
    }
    fn label(&self) -> String {
        if self.title.is_empty() {
            format!("{} {}", self.kind.key(), self.start)
        } else {
            self.title.clone()
        }
    }
}

impl Agreement {
    /// The date from which renewal work should be under way: `end` minus the lead time.
    pub fn renewal_due(&self) -> Option<NaiveDate> {
        let end = self.end?;
        end.checked_sub_months(chrono::Months::new(u32::from(self.renewal_lead_months)))
    }
    /// Length in whole months from start to end (None when open-ended).
    pub fn months(&self) -> Option<u32> {
        use chrono::Datelike;
        // The end date is inclusive: 2022-01-01..2026-12-31 is 60 months.
        let end = self.end?.succ_opt()?;
        let m =
            (end.year() - self.start.year()) * 12 + end.month() as i32 - self.start.month() as i32;
        let m = if end.day() < self.start.day() {
            m - 1
        } else {
            m
        };
        u32::try_from(m).ok()
    }
}

impl Entity for Contact {
    const KIND: EntityKind = EntityKind::Contact;
    fn normalise(&mut self) {
        self.name = text::clean_line(&self.name);
        self.email = text::clean_line(&self.email);
        self.phone = text::clean_line(&self.phone);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::contact(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("side", self.side.key().into()),
            ("name", self.name.clone()),
            ("role", self.role.key().into()),
            ("email", self.email.clone()),
            ("phone", self.phone.clone()),
        ]
    }
    fn label(&self) -> String {
        self.name.clone()
    }
}

impl Entity for Activity {
    const KIND: EntityKind = EntityKind::Activity;
    fn normalise(&mut self) {
        self.title = text::clean_line(&self.title);
        self.description = text::clean_multiline(&self.description);
        self.owner = text::clean_line(&self.owner);
        set(&mut self.partners);
        set(&mut self.values);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::activity(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        self.partners.clone()
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("date", self.date.to_string()),
            ("end_date", opt_date(self.end_date)),
            ("partners", join(&self.partners)),
            ("kind", self.kind.key().into()),
            ("title", self.title.clone()),
            ("description", self.description.clone()),
            ("values", join(&self.values)),
            ("status", self.status.key().into()),
            ("owner", self.owner.clone()),
        ]
    }
    fn label(&self) -> String {
        self.title.clone()
    }
}

impl Entity for Assessment {
    const KIND: EntityKind = EntityKind::Assessment;
    fn normalise(&mut self) {
        self.evidence = text::clean_multiline(&self.evidence);
        self.assessor = text::clean_line(&self.assessor);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::assessment(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            ("value", self.value.key().into()),
            ("score", self.score.to_string()),
            (
                "target",
                self.target.map(|t| t.to_string()).unwrap_or_default(),
            ),
            ("evidence", self.evidence.clone()),
            ("date", self.date.to_string()),
            ("assessor", self.assessor.clone()),
        ]
    }
    fn label(&self) -> String {
        format!("{} {}", self.value.key(), self.score)
    }
}

impl Entity for Note {
    const KIND: EntityKind = EntityKind::Note;
    fn normalise(&mut self) {
        self.title = text::clean_line(&self.title);
        self.attendees = text::clean_list(&self.attendees);
        self.body = text::clean_multiline(&self.body);
        self.decisions = text::clean_list(&self.decisions);
        for a in &mut self.actions {
            a.text = text::clean_line(&a.text);
            a.owner = text::clean_line(&a.owner);
        }
        self.actions.retain(|a| !a.text.is_empty());
        set(&mut self.partners);
    }
    fn validate(&self) -> Vec<FieldError> {
        validate::note(self)
    }
    fn partner_ids(&self) -> Vec<Id> {
        self.partners.clone()
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let actions: Vec<String> = self
            .actions
            .iter()
            .map(|a| {
                format!(
                    "[{}] {} ({}{})",
                    if a.done { "x" } else { " " },
                    a.text,
                    a.owner,
                    a.due.map(|d| format!(", {d}")).unwrap_or_default()
                )
            })
            .collect();
        vec![
            ("partners", join(&self.partners)),
            ("date", self.date.to_string()),
            ("title", self.title.clone()),
            ("kind", self.kind.key().into()),
            ("attendees", join(&self.attendees)),
            ("body", self.body.clone()),
            ("decisions", join(&self.decisions)),
            ("actions", actions.join("; ")),
        ]
    }
    fn label(&self) -> String {
        self.title.clone()
    }
}
