//! The governance rhythm of a strategic partner: how often each governing meeting is expected
//! (the guide: a steering group about quarterly, top management about twice a year), and the
//! month arithmetic of when the next one is due.

use super::{Entity, EntityKind, FieldError, Id, MeetingKind, Rule};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The meeting kinds a rhythm governs, in the order the detail and the form show them.
pub const GOVERNED: [MeetingKind; 2] = [MeetingKind::SteeringGroup, MeetingKind::Management];

/// The default months between steering-group meetings.
pub const STEERING_GROUP_MONTHS: u8 = 3;
/// The default months between top-management meetings.
pub const MANAGEMENT_MONTHS: u8 = 6;
/// The longest rhythm a partner may have, in months.
pub const MAX_MONTHS: u8 = 36;

/// A partner's own rhythm (a partner without one follows the defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rhythm {
    pub partner: Id,
    /// Months between steering-group meetings (1..=36).
    pub steering_group_months: u8,
    /// Months between top-management meetings (1..=36).
    pub management_months: u8,
}

impl Rhythm {
    /// The defaults of the guide for `partner`.
    pub fn default_for(partner: Id) -> Rhythm {
        Rhythm {
            partner,
            steering_group_months: STEERING_GROUP_MONTHS,
            management_months: MANAGEMENT_MONTHS,
        }
    }

    /// The months between meetings of `kind` (None: the rhythm does not govern it).
    pub fn months(&self, kind: MeetingKind) -> Option<u8> {
        match kind {
            MeetingKind::SteeringGroup => Some(self.steering_group_months),
            MeetingKind::Management => Some(self.management_months),
            _ => None,
        }
    }
}

/// The day a meeting is due `months` after `last`: the same day of the month, or the month's
/// last day where it has no such day (2024-11-30 + 3 → 2025-02-28; 2023-11-29 + 3 → 2024-02-29).
pub fn due_after(last: NaiveDate, months: u8) -> Option<NaiveDate> {
    last.checked_add_months(Months::new(u32::from(months)))
}

impl Entity for Rhythm {
    const KIND: EntityKind = EntityKind::Rhythm;
    fn normalise(&mut self) {}
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        for (field, v) in [
            ("steering_group_months", self.steering_group_months),
            ("management_months", self.management_months),
        ] {
            if v == 0 || v > MAX_MONTHS {
                e.push(FieldError::new(
                    field,
                    v.to_string(),
                    Rule::RhythmOutOfRange { max: MAX_MONTHS },
                ));
            }
        }
        e
    }
    fn partner_ids(&self) -> Vec<Id> {
        vec![self.partner]
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("partner", self.partner.to_string()),
            (
                "steering_group_months",
                self.steering_group_months.to_string(),
            ),
            ("management_months", self.management_months.to_string()),
        ]
    }
    fn label(&self) -> String {
        format!("{}/{}", self.steering_group_months, self.management_months)
    }
}
