//! The reports' data, through a client: the partner report composes the answers the partner
//! detail and the life cycle already give with the partner's year ([`Request::PartnerYear`]) and
//! its meeting notes of the year; the portfolio is one request ([`Request::Portfolio`]).

use super::ReportError;
use crate::client::Client;
use crate::csvio::ExportError;
use crate::domain::{Id, Note, Record, text::fold};
use crate::i18n::Lang;
use crate::service::{
    Archived, NoteQuery, PartnerDetail, PartnerLifecycle, PartnerYear, Portfolio, Request, Response,
};
use chrono::NaiveDate;

/// Everything the partner report shows.
#[derive(Debug, Clone)]
pub struct PartnerData {
    pub today: NaiveDate,
    pub year: i32,
    pub detail: PartnerDetail,
    pub life: PartnerLifecycle,
    pub counts: PartnerYear,
    /// The partner's meeting notes dated in the year (not archived), newest first.
    pub notes: Vec<Record<Note>>,
}

/// One request: refusals and failures become errors.
fn call(client: &dyn Client, req: Request) -> Result<Response, ReportError> {
    match client.call(req) {
        Response::Forbidden { denied, role } => Err(ExportError::Forbidden { denied, role }.into()),
        Response::Failed(f) => Err(ExportError::Service(f).into()),
        r => Ok(r),
    }
}

fn unexpected(r: &Response) -> ReportError {
    let s = format!("{r:?}");
    tracing::error!(answer = %s.chars().take(120).collect::<String>(), "unexpected answer");
    ExportError::Service(crate::service::Failure::Internal).into()
}

fn not_found(id: Id) -> ReportError {
    ReportError::NoSuchPartner {
        query: id.to_string(),
        similar: Vec::new(),
    }
}

/// Up to ten names that share a word (of three letters or more) with `query`.
fn similar(names: &[(Id, String)], query: &str) -> Vec<String> {
    let words: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect();
    names
        .iter()
        .filter(|(_, n)| {
            let f = fold(n);
            words.iter().any(|w| f.contains(w.as_str()))
        })
        .take(10)
        .map(|(id, n)| format!("{n} ({id})"))
        .collect()
}

/// The service's date.
pub fn today(client: &dyn Client) -> Result<NaiveDate, ReportError> {
    match call(client, Request::Today)? {
        Response::Today(d) => Ok(d),
        r => Err(unexpected(&r)),
    }
}

/// The partner `query` names: its id, or its name (ignoring case and accents; a unique part of
/// a name will do). Returns the id and the name.
pub fn find_partner(
    client: &dyn Client,
    query: &str,
    lang: Lang,
) -> Result<(Id, String), ReportError> {
    let names = match call(client, Request::PartnerNames { lang })? {
        Response::PartnerNames(n) => n,
        r => return Err(unexpected(&r)),
    };
    let q = query.trim();
    if let Ok(n) = q.parse::<u64>()
        && let Some((id, name)) = names.iter().find(|(id, _)| id.0 == n)
    {
        return Ok((*id, name.clone()));
    }
    let f = fold(q);
    let pick = |list: Vec<&(Id, String)>| -> Result<(Id, String), ReportError> {
        match list.as_slice() {
            [] => Err(ReportError::NoSuchPartner {
                query: q.into(),
                similar: similar(&names, q),
            }),
            [(id, name)] => Ok((*id, name.clone())),
            many => {
                let mut candidates: Vec<String> = many
                    .iter()
                    .take(20)
                    .map(|(id, name)| format!("{name} ({id})"))
                    .collect();
                if many.len() > 20 {
                    candidates.push(format!("… (+{})", many.len() - 20));
                }
                Err(ReportError::Ambiguous {
                    query: q.into(),
                    candidates,
                })
            }
        }
    };
    if f.is_empty() {
        return pick(Vec::new());
    }
    let exact: Vec<&(Id, String)> = names.iter().filter(|(_, n)| fold(n) == f).collect();
    if !exact.is_empty() {
        return pick(exact);
    }
    pick(names.iter().filter(|(_, n)| fold(n).contains(&f)).collect())
}

/// The partner report's data for `year`.
pub fn partner_data(client: &dyn Client, id: Id, year: i32) -> Result<PartnerData, ReportError> {
    let today = today(client)?;
    let detail = match call(client, Request::PartnerDetail(id))? {
        Response::PartnerDetail(d) => *d,
        Response::NotFound { .. } => return Err(not_found(id)),
        r => return Err(unexpected(&r)),
    };
    let life = match call(client, Request::Lifecycle(id))? {
        Response::Lifecycle(l) => *l,
        Response::NotFound { .. } => return Err(not_found(id)),
        r => return Err(unexpected(&r)),
    };
    let counts = match call(client, Request::PartnerYear { partner: id, year })? {
        Response::PartnerYear(y) => *y,
        Response::NotFound { .. } => return Err(not_found(id)),
        r => return Err(unexpected(&r)),
    };
    let notes = match crate::service::report::year_range(year) {
        Some((from, to)) => {
            let q = NoteQuery {
                partner: Some(id),
                from: Some(from),
                to: Some(to),
                text: String::new(),
                archived: Archived::Hide,
                offset: 0,
                limit: 0,
            };
            match call(client, Request::Notes(q))? {
                Response::Notes(p) => p.items,
                r => return Err(unexpected(&r)),
            }
        }
        None => Vec::new(),
    };
    Ok(PartnerData {
        today,
        year,
        detail,
        life,
        counts,
        notes,
    })
}

/// The portfolio for `year`, in name order for `lang`.
pub fn portfolio(client: &dyn Client, year: i32, lang: Lang) -> Result<Portfolio, ReportError> {
    match call(client, Request::Portfolio { year, lang })? {
        Response::Portfolio(p) => Ok(*p),
        r => Err(unexpected(&r)),
    }
}
