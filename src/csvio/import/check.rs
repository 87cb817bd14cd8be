//! Checking one row of a CSV import: the file's header mapped onto a dataset's columns, the
//! values parsed and validated, duplicates within the file and against the workspace found.

use super::super::cell::{split_list, unguard};
use super::super::columns::Column;
use super::super::labels::Label;
use super::{ImportError, ImportOptions, Problem};
use crate::client::Client;
use crate::domain::{
    Activity, ActivityKind, ActivityStatus, AddedValue, Entity, FieldError, Format, Id, OrgKind,
    Partner, Phase, Rule, Tier, text::fold,
};
use crate::i18n::Lang;
use crate::service::{ActivityQuery, AnyData, PartnerQuery, Request, Response};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// The delimiter the header line uses most: `;`, `,` or tab.
pub(super) fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|i| (counts[*i], usize::from(*i == 1)))
        .unwrap_or(1);
    [b';', b',', b'\t'][best]
}

pub(super) fn not_utf8(lang: Lang) -> String {
    t(
        lang,
        "the row is not UTF-8 text; save the file as \"CSV UTF-8\" and import it again",
        "raden är inte UTF-8-text; spara filen som \"CSV UTF-8\" och importera den igen",
    )
}

pub(super) fn t(lang: Lang, en: &str, sv: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Sv => sv.to_string(),
    }
}

/// A service rule as a phrase after the value, in `lang`.
pub(crate) fn rule_text(lang: Lang, rule: &Rule) -> String {
    crate::i18n::catalogue::rule(lang, rule)
}

/// The file's header mapped onto a dataset's columns.
pub(super) struct Header {
    /// Column key → index in the record.
    pub(super) index: HashMap<&'static str, usize>,
    /// Column key → the header text in the file (for messages).
    pub(super) names: HashMap<&'static str, String>,
    pub(super) excel: bool,
    pub(super) lang: Lang,
}

impl Header {
    pub(super) fn get<'r>(&self, rec: &'r csv::StringRecord, key: &str) -> Option<&'r str> {
        let i = *self.index.get(key)?;
        let v = rec.get(i)?;
        Some(if self.excel { unguard(v) } else { v })
    }
    pub(super) fn text(&self, rec: &csv::StringRecord, key: &str) -> String {
        self.get(rec, key).unwrap_or("").to_string()
    }
    /// The column's name as the user sees it: the file's header, or the label in the language.
    pub(super) fn name(&self, cols: &[Column], key: &str) -> String {
        if let Some(n) = self.names.get(key) {
            return n.clone();
        }
        cols.iter()
            .find(|c| c.key == key)
            .map(|c| c.header(Some(self.lang)).to_string())
            .unwrap_or_else(|| key.to_string())
    }
}

/// Problems of one row, collected while it is parsed.
pub(super) struct RowCheck<'a> {
    pub(super) row: usize,
    pub(super) header: &'a Header,
    pub(super) cols: &'static [Column],
    pub(super) problems: Vec<Problem>,
}

impl RowCheck<'_> {
    pub(super) fn add(&mut self, key: &str, value: &str, message: String) {
        self.problems.push(Problem {
            row: self.row,
            column: self.header.name(self.cols, key),
            value: super::quoted(value),
            message,
            lang: self.header.lang,
        });
    }
    pub(super) fn field_errors(&mut self, errs: Vec<FieldError>) {
        for e in errs {
            let key = match e.field.as_str() {
                // The service names the list field; the file's column is the partner names.
                "partner" | "partners" => "partners",
                // A goal's target is the `target` column.
                "goal_target" => "target",
                f => self
                    .cols
                    .iter()
                    .find(|c| c.key == f)
                    .map(|c| c.key)
                    .unwrap_or("partners"),
            };
            let key = if self.cols.iter().any(|c| c.key == e.field) {
                e.field.as_str()
            } else {
                key
            };
            let msg = rule_text(self.header.lang, &e.rule);
            self.add(key, &e.value, msg);
        }
    }
    pub(super) fn enumerated<E: Label>(
        &mut self,
        rec: &csv::StringRecord,
        key: &str,
        what: (&str, &str),
        default: Option<E>,
    ) -> Option<E> {
        let v = self.header.get(rec, key).unwrap_or("").trim().to_string();
        if v.is_empty() {
            if default.is_none() {
                let m = t(self.header.lang, "must not be empty", "får inte vara tomt");
                self.add(key, "", m);
            }
            return default;
        }
        match E::parse(&v) {
            Some(e) => Some(e),
            None => {
                let lang = self.header.lang;
                let m = match lang {
                    Lang::En => format!("is not {}; valid: {}", what.0, E::valid_list(lang)),
                    Lang::Sv => format!("är inte {}; giltiga: {}", what.1, E::valid_list(lang)),
                };
                self.add(key, &v, m);
                None
            }
        }
    }
    pub(super) fn enum_list<E: Label>(
        &mut self,
        rec: &csv::StringRecord,
        key: &str,
        what: (&str, &str),
    ) -> Vec<E> {
        let mut out = Vec::new();
        for item in split_list(self.header.get(rec, key).unwrap_or("")) {
            match E::parse(&item) {
                Some(e) => out.push(e),
                None => {
                    let lang = self.header.lang;
                    let m = match lang {
                        Lang::En => format!("is not {}; valid: {}", what.0, E::valid_list(lang)),
                        Lang::Sv => format!("är inte {}; giltiga: {}", what.1, E::valid_list(lang)),
                    };
                    self.add(key, &item, m);
                }
            }
        }
        out
    }
    pub(super) fn date(
        &mut self,
        rec: &csv::StringRecord,
        key: &str,
        required: bool,
    ) -> Option<NaiveDate> {
        let v = self.header.get(rec, key).unwrap_or("").trim().to_string();
        if v.is_empty() {
            if required {
                let m = t(self.header.lang, "must not be empty", "får inte vara tomt");
                self.add(key, "", m);
            }
            return None;
        }
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let m = t(
                    self.header.lang,
                    "is not a date (YYYY-MM-DD, e.g. 2026-03-31)",
                    "är inte ett datum (ÅÅÅÅ-MM-DD, t.ex. 2026-03-31)",
                );
                self.add(key, &v, m);
                None
            }
        }
    }
}

/// What the checks need to know about the workspace and the rows seen so far.
pub(super) struct Context {
    /// Folded name + country → partner id (partners in the workspace).
    existing: HashMap<String, Id>,
    /// Folded name → ids (for resolving activity partners).
    pub(super) by_name: HashMap<String, Vec<Id>>,
    pub(super) ids: HashSet<Id>,
    /// Duplicate keys seen in the file → the row.
    pub(super) seen: HashMap<String, usize>,
    /// Activities already in the workspace per date (keys), fetched on demand.
    day: HashMap<NaiveDate, HashSet<String>>,
    /// The folded texts of each partner's goals in the workspace, fetched on demand.
    pub(super) goal_texts: HashMap<Id, HashSet<String>>,
    /// The second pass of an import: the rows were checked already, so duplicates are not looked
    /// for again (which would also find each row a duplicate of itself).
    pub(super) resend: bool,
}

impl Context {
    pub(super) fn load(client: &dyn Client) -> Result<Context, ImportError> {
        let rows = match client.call(Request::Partners(PartnerQuery::default())) {
            Response::Partners(p) => p.items,
            Response::Failed(m) => return Err(ImportError::Failed(m)),
            _ => return Err(ImportError::Failed(crate::service::Failure::Internal)),
        };
        let mut c = Context {
            existing: HashMap::new(),
            by_name: HashMap::new(),
            ids: HashSet::new(),
            seen: HashMap::new(),
            day: HashMap::new(),
            goal_texts: HashMap::new(),
            resend: false,
        };
        for r in rows {
            c.existing
                .insert(format!("{}|{}", fold(&r.name), r.country), r.id);
            c.by_name.entry(fold(&r.name)).or_default().push(r.id);
            c.ids.insert(r.id);
        }
        Ok(c)
    }
}

fn activity_key(a: &Activity) -> String {
    let ids: Vec<String> = a.partners.iter().map(|p| p.to_string()).collect();
    format!("{}|{}|{}", a.date, fold(&a.title), ids.join(","))
}

pub(super) fn partner_row(
    check: &mut RowCheck<'_>,
    rec: &csv::StringRecord,
    ctx: &mut Context,
) -> Option<AnyData> {
    let h = check.header;
    let kind = check.enumerated::<OrgKind>(
        rec,
        "kind",
        ("an organisation kind", "en organisationstyp"),
        None,
    );
    let phase =
        check.enumerated::<Phase>(rec, "phase", ("a phase", "en fas"), Some(Phase::Prospect));
    let tier = check.enumerated::<Tier>(rec, "tier", ("a tier", "en nivå"), Some(Tier::Other));
    let formats = check.enum_list::<Format>(
        rec,
        "formats",
        ("a collaboration format", "en samverkansform"),
    );
    let short = h.text(rec, "short_name");
    let mut p = Partner {
        name: h.text(rec, "name"),
        short_name: (!short.trim().is_empty()).then_some(short),
        kind: kind.unwrap_or(OrgKind::Other),
        country: h.text(rec, "country"),
        city: h.text(rec, "city"),
        website: h.text(rec, "website"),
        phase: phase.unwrap_or(Phase::Prospect),
        tier: tier.unwrap_or(Tier::Other),
        formats,
        faculties: split_list(h.get(rec, "faculties").unwrap_or("")),
        // Goals are records of their own, imported with `spets import goals`: a goals column
        // of a file exported by an earlier spets is listed as ignored.
        goals: Vec::new(),
        tags: split_list(h.get(rec, "tags").unwrap_or("")),
        sponsors_ours: split_list(h.get(rec, "sponsors_ours").unwrap_or("")),
        sponsors_partner: split_list(h.get(rec, "sponsors_partner").unwrap_or("")),
        coordinator: h.text(rec, "coordinator"),
    };
    p.normalise();
    check.field_errors(p.validate());
    if !p.name.is_empty() && !ctx.resend {
        let key = format!("{}|{}", fold(&p.name), p.country);
        let lang = h.lang;
        if let Some(id) = ctx.existing.get(&key) {
            let m = match lang {
                Lang::En => format!(
                    "already exists in {} (partner id {id}); a duplicate",
                    p.country
                ),
                Lang::Sv => format!("finns redan i {} (partner-id {id}); en dubblett", p.country),
            };
            check.add("name", &p.name, m);
        } else if let Some(first) = ctx.seen.get(&key) {
            let m = match lang {
                Lang::En => format!("in {} is a duplicate of row {first}", p.country),
                Lang::Sv => format!("i {} är en dubblett av rad {first}", p.country),
            };
            check.add("name", &p.name, m);
        } else {
            ctx.seen.insert(key, check.row);
        }
    }
    Some(AnyData::Partner(p))
}

pub(super) fn activity_row(
    check: &mut RowCheck<'_>,
    rec: &csv::StringRecord,
    ctx: &mut Context,
    opts: &ImportOptions,
    client: &dyn Client,
) -> Result<Option<AnyData>, ImportError> {
    let h = check.header;
    let lang = h.lang;
    let date = check.date(rec, "date", true);
    let end_date = check.date(rec, "end_date", false);
    let kind = check.enumerated::<ActivityKind>(
        rec,
        "kind",
        ("an activity kind", "en aktivitetstyp"),
        None,
    );
    let default_status = match date {
        Some(d) if d > opts.today => ActivityStatus::Planned,
        _ => ActivityStatus::Done,
    };
    let status = check.enumerated::<ActivityStatus>(
        rec,
        "status",
        ("an activity status", "en aktivitetsstatus"),
        Some(default_status),
    );
    let values = check.enum_list::<AddedValue>(rec, "values", ("an added value", "ett mervärde"));
    // Partners: by name; the id column only breaks ties between partners of the same name, or
    // stands in when the names are empty.
    let before_partners = check.problems.len();
    let mut ids_col: Vec<Id> = Vec::new();
    for s in split_list(h.get(rec, "partner_ids").unwrap_or("")) {
        match s.parse::<u64>() {
            Ok(n) => ids_col.push(Id(n)),
            Err(_) => {
                let m = t(
                    lang,
                    "is not a partner id (a number)",
                    "är inte ett partner-id (ett tal)",
                );
                check.add("partner_ids", &s, m);
            }
        }
    }
    let names = split_list(h.get(rec, "partners").unwrap_or(""));
    let mut partners = Vec::new();
    if names.is_empty() {
        for id in ids_col {
            if ctx.ids.contains(&id) {
                partners.push(id);
            } else {
                let m = rule_text(lang, &Rule::UnknownPartner);
                check.add("partner_ids", &id.to_string(), m);
            }
        }
    } else {
        for name in &names {
            match ctx.by_name.get(&fold(name)).map(Vec::as_slice) {
                Some([one]) => partners.push(*one),
                Some(many) if !many.is_empty() => match many.iter().find(|id| ids_col.contains(id))
                {
                    Some(id) => partners.push(*id),
                    None => {
                        let list = many
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let m = match lang {
                            Lang::En => format!(
                                "names several partners (ids {list}); put the right id in the partner IDs column"
                            ),
                            Lang::Sv => format!(
                                "är namnet på flera partner (id {list}); ange rätt id i kolumnen Partner-ID"
                            ),
                        };
                        check.add("partners", name, m);
                    }
                },
                _ => {
                    let m = t(
                        lang,
                        "is not the name of a partner in this workspace; import the partners first",
                        "är inte namnet på en partner i arbetsytan; importera partnerna först",
                    );
                    check.add("partners", name, m);
                }
            }
        }
    }
    let Some(date) = date else { return Ok(None) };
    let mut a = Activity {
        date,
        end_date,
        partners,
        kind: kind.unwrap_or(ActivityKind::Other),
        title: h.text(rec, "title"),
        description: h.text(rec, "description"),
        values,
        status: status.unwrap_or(default_status),
        owner: h.text(rec, "owner"),
    };
    a.normalise();
    // "needs at least one partner" says nothing new when the partners given were not found.
    let partner_problem = check.problems.len() > before_partners;
    let errs: Vec<FieldError> = a
        .validate()
        .into_iter()
        .filter(|e| !(e.rule == Rule::NoPartner && partner_problem))
        .collect();
    check.field_errors(errs);
    if check.problems.is_empty() && !ctx.resend {
        let key = activity_key(&a);
        if let std::collections::hash_map::Entry::Vacant(slot) = ctx.day.entry(a.date) {
            let q = ActivityQuery {
                from: Some(a.date),
                to: Some(a.date),
                ..Default::default()
            };
            let keys = match client.call(Request::Activities(q)) {
                Response::Activities(p) => p.items.iter().map(|r| activity_key(&r.data)).collect(),
                Response::Failed(m) => return Err(ImportError::Failed(m)),
                _ => return Err(ImportError::Failed(crate::service::Failure::Internal)),
            };
            slot.insert(keys);
        }
        let title = a.title.clone();
        if ctx.day.get(&a.date).is_some_and(|s| s.contains(&key)) {
            let m = t(
                lang,
                "already exists on this date with the same partners; a duplicate",
                "finns redan samma datum med samma partner; en dubblett",
            );
            check.add("title", &title, m);
        } else if let Some(first) = ctx.seen.get(&key) {
            let m = match lang {
                Lang::En => {
                    format!("on the same date with the same partners is a duplicate of row {first}")
                }
                Lang::Sv => format!("samma datum med samma partner är en dubblett av rad {first}"),
            };
            check.add("title", &title, m);
        } else {
            ctx.seen.insert(key, check.row);
        }
    }
    Ok(Some(AnyData::Activity(a)))
}
