//! `--filter field=value,…`: the CLI's way to say what the UI's pane filters say.

use super::labels::Label;
use super::{Dataset, Scope};
use crate::client::Client;
use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, Id, OrgKind, Phase, Tier, country, text::fold,
};
use crate::i18n::Lang;
use crate::service::{ActionQuery, ActivityQuery, NoteQuery, PartnerQuery, Request, Response};
use chrono::NaiveDate;

/// A filter that could not be understood; the message names the term and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

fn msg(lang: Lang, en: String, sv: String) -> FilterError {
    FilterError(match lang {
        Lang::En => en,
        Lang::Sv => sv,
    })
}

/// The fields a dataset's filter takes.
pub fn fields(d: Dataset) -> &'static [&'static str] {
    match d {
        Dataset::Partners
        | Dataset::Agreements
        | Dataset::Contacts
        | Dataset::Matrix
        | Dataset::Assessments
        | Dataset::Goals
        | Dataset::Evaluations
        | Dataset::PhaseHistory => &["text", "phase", "kind", "country", "tier"],
        Dataset::Activities => &["from", "to", "partner", "kind", "status", "value", "text"],
        Dataset::Notes => &["partner", "from", "to", "text"],
        Dataset::Actions => &["owner", "partner", "open"],
        Dataset::Audit => &[],
    }
}

/// Split on commas that are not escaped as `\,`.
fn terms(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = expr.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(',') => cur.push(','),
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => cur.push('\\'),
            },
            ',' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().filter(|t| !t.trim().is_empty()).collect()
}

/// Parse `--filter` for `dataset`: comma-separated `field=value` terms (write `\,` for a comma in
/// a text value). Values of enumerated fields take the machine key or a label in either language;
/// dates are `YYYY-MM-DD`; `partner=` takes a partner's name or id (the client resolves names).
/// An empty expression selects everything.
pub fn parse_filter(
    client: &dyn Client,
    dataset: Dataset,
    expr: &str,
    lang: Lang,
) -> Result<Scope, FilterError> {
    let terms = terms(expr);
    if terms.is_empty() {
        return Ok(Scope::All);
    }
    let valid = fields(dataset);
    if valid.is_empty() {
        return Err(msg(
            lang,
            format!("the {dataset} export takes no filter"),
            format!("exporten {dataset} kan inte filtreras"),
        ));
    }
    // Partners sort by name in the user's language (Å, Ä, Ö after Z in Swedish).
    let mut pq = PartnerQuery {
        lang,
        ..Default::default()
    };
    let mut aq = ActivityQuery::default();
    let mut nq = NoteQuery::default();
    let mut xq = ActionQuery::default();
    for term in &terms {
        let Some((field, value)) = term.split_once('=') else {
            return Err(msg(
                lang,
                format!(
                    "filter term \"{term}\" is not field=value; the {dataset} filter takes {}",
                    valid.join(", ")
                ),
                format!(
                    "filtervillkoret \"{term}\" har inte formen fält=värde; filtret för {dataset} tar {}",
                    valid.join(", ")
                ),
            ));
        };
        let field = field.trim().to_ascii_lowercase();
        let value = value.trim();
        if !valid.contains(&field.as_str()) {
            return Err(msg(
                lang,
                format!(
                    "unknown filter field \"{field}\" in \"{term}\"; the {dataset} filter takes {}",
                    valid.join(", ")
                ),
                format!(
                    "okänt filterfält \"{field}\" i \"{term}\"; filtret för {dataset} tar {}",
                    valid.join(", ")
                ),
            ));
        }
        // "kind=meeting status=done": two terms run together (terms are separated by commas).
        // Only the text filter may hold "=" in its value.
        if field != "text"
            && let Some((_, second)) = value.split_once(char::is_whitespace)
            && second.contains('=')
        {
            let fixed = format!(
                "{field}={}",
                value.split_whitespace().collect::<Vec<_>>().join(",")
            );
            return Err(msg(
                lang,
                format!(
                    "filter term \"{term}\" holds more than one term; separate terms with commas: {fixed}"
                ),
                format!(
                    "filtervillkoret \"{term}\" innehåller mer än ett villkor; skilj villkoren åt med kommatecken: {fixed}"
                ),
            ));
        }
        let bad = |what_en: &str, what_sv: &str, valid_values: String| {
            msg(
                lang,
                format!(
                    "filter term \"{term}\": \"{value}\" is not {what_en}; valid: {valid_values}"
                ),
                format!(
                    "filtervillkoret \"{term}\": \"{value}\" är inte {what_sv}; giltiga: {valid_values}"
                ),
            )
        };
        fn en<E: Label>(value: &str) -> Option<E> {
            E::parse(value)
        }
        let date = |v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                bad(
                    "a date",
                    "ett datum",
                    "YYYY-MM-DD, e.g. 2026-01-31".to_string(),
                )
            })
        };
        match (dataset, field.as_str()) {
            (Dataset::Activities, "from") => aq.from = Some(date(value)?),
            (Dataset::Activities, "to") => aq.to = Some(date(value)?),
            (Dataset::Notes, "from") => nq.from = Some(date(value)?),
            (Dataset::Notes, "to") => nq.to = Some(date(value)?),
            (Dataset::Activities, "text") => aq.text = value.to_string(),
            (Dataset::Notes, "text") => nq.text = value.to_string(),
            (_, "text") => pq.text = value.to_string(),
            (Dataset::Activities, "kind") => {
                aq.kind = Some(en::<ActivityKind>(value).ok_or_else(|| {
                    bad(
                        "an activity kind",
                        "en aktivitetstyp",
                        ActivityKind::valid_list(lang),
                    )
                })?)
            }
            (_, "kind") => {
                pq.kind = Some(en::<OrgKind>(value).ok_or_else(|| {
                    bad(
                        "an organisation kind",
                        "en organisationstyp",
                        OrgKind::valid_list(lang),
                    )
                })?)
            }
            (_, "phase") => {
                pq.phase = Some(
                    en::<Phase>(value)
                        .ok_or_else(|| bad("a phase", "en fas", Phase::valid_list(lang)))?,
                )
            }
            (_, "tier") => {
                pq.tier = Some(
                    en::<Tier>(value)
                        .ok_or_else(|| bad("a tier", "en nivå", Tier::valid_list(lang)))?,
                )
            }
            (_, "country") => {
                let c = country::normalise(value);
                if !country::is_valid(&c) {
                    return Err(bad(
                        "an ISO 3166-1 alpha-2 country code",
                        "en landskod enligt ISO 3166-1",
                        "SE, DE, JP, …".to_string(),
                    ));
                }
                pq.country = Some(c);
            }
            (_, "status") => {
                aq.status = Some(en::<ActivityStatus>(value).ok_or_else(|| {
                    bad(
                        "an activity status",
                        "en aktivitetsstatus",
                        ActivityStatus::valid_list(lang),
                    )
                })?)
            }
            (_, "value") => {
                aq.value = Some(en::<AddedValue>(value).ok_or_else(|| {
                    bad(
                        "an added value",
                        "ett mervärde",
                        AddedValue::valid_list(lang),
                    )
                })?)
            }
            (_, "partner") => {
                let id = resolve_partner(client, value, lang).map_err(|e| {
                    msg(
                        lang,
                        format!("filter term \"{term}\": {}", e.0),
                        format!("filtervillkoret \"{term}\": {}", e.0),
                    )
                })?;
                aq.partner = Some(id);
                nq.partner = Some(id);
                xq.partner = Some(id);
            }
            (_, "owner") => xq.owner = Some(value.to_string()),
            (_, "open") => {
                xq.open_only = super::labels::parse_bool(value).ok_or_else(|| {
                    bad(
                        "yes or no",
                        "ja eller nej",
                        "true, false, yes, no, ja, nej".to_string(),
                    )
                })?
            }
            _ => {}
        }
    }
    Ok(match dataset {
        Dataset::Activities => Scope::Activities(aq),
        Dataset::Notes => Scope::Notes(nq),
        Dataset::Actions => Scope::Actions(xq),
        _ => Scope::Partners(pq),
    })
}

/// A partner by id (digits) or by exact name (case and accents ignored).
pub(crate) fn resolve_partner(
    client: &dyn Client,
    value: &str,
    lang: Lang,
) -> Result<Id, FilterError> {
    if let Ok(n) = value.parse::<u64>() {
        return Ok(Id(n));
    }
    let want = fold(value);
    let rows = match client.call(Request::Partners(PartnerQuery {
        text: value.to_string(),
        ..Default::default()
    })) {
        Response::Partners(p) => p.items,
        Response::Failed(f) => return Err(FilterError(crate::i18n::reasons::failure(lang, &f))),
        Response::Forbidden { denied, role } => {
            return Err(FilterError(crate::i18n::reasons::denied(
                lang, denied, role,
            )));
        }
        other => {
            tracing::error!(answer = ?other, "unexpected answer to a partner lookup");
            let f = crate::service::Failure::Internal;
            return Err(FilterError(crate::i18n::reasons::failure(lang, &f)));
        }
    };
    let hits: Vec<_> = rows.iter().filter(|r| fold(&r.name) == want).collect();
    match hits.as_slice() {
        [one] => Ok(one.id),
        [] => Err(msg(
            lang,
            format!("no partner is named \"{value}\""),
            format!("ingen partner heter \"{value}\""),
        )),
        many => {
            let ids = many
                .iter()
                .map(|r| format!("{} ({})", r.id, r.country))
                .collect::<Vec<_>>()
                .join(", ");
            Err(msg(
                lang,
                format!("several partners are named \"{value}\": ids {ids}; use the id"),
                format!("flera partner heter \"{value}\": id {ids}; ange id"),
            ))
        }
    }
}
