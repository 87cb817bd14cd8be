//! Management reports: one partner's year on one page, and the portfolio of strategic partners.
//!
//! The data comes through a [`Client`] (embedded or a daemon) with the service's requests, like
//! the CSV export's; the report is first assembled as a small document ([`Doc`]: sections of
//! facts, tables and charts, every word already in the report's language) and then written as
//! HTML (one self-contained file, inline CSS and SVG) or Markdown (for pasting into minutes).
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the document, the formats, finding a partner by name or id, writing the file |
//! | `fetch.rs` | the requests: a partner's report data, the portfolio |
//! | `partner.rs` | the partner report's document |
//! | `portfolio.rs` | the portfolio's document |
//! | `html.rs` | the document as HTML (escaped user text, `@page` A4) |
//! | `markdown.rs` | the document as Markdown (escaped so user text cannot break a table) |
//! | `svg.rs` | the inline charts: activities per month, the heat matrix |

mod fetch;
mod html;
mod markdown;
mod partner;
mod portfolio;
mod svg;

pub use fetch::{PartnerData, find_partner, partner_data, portfolio, today as fetch_today};

use crate::client::Client;
use crate::csvio::ExportError;
use crate::domain::Id;
use crate::i18n::Lang;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

/// A trend between the previous score and the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Same,
}

impl Trend {
    pub fn of(latest: u8, previous: Option<u8>) -> Option<Trend> {
        let p = previous?;
        Some(match latest.cmp(&p) {
            std::cmp::Ordering::Greater => Trend::Up,
            std::cmp::Ordering::Less => Trend::Down,
            std::cmp::Ordering::Equal => Trend::Same,
        })
    }
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Down => "↓",
            Trend::Same => "→",
        }
    }
}

/// One cell of a heat matrix: a score 0-4 (or a mean), its text and trend.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatCell {
    pub score: Option<f32>,
    pub text: String,
    pub trend: Option<Trend>,
}

/// A block of a report section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of text.
    Para(String),
    /// Label: value lines.
    Facts(Vec<(String, String)>),
    /// A table; `numeric` marks the columns aligned right.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// Activities per month of a year: a bar chart (HTML) or a table (Markdown).
    Months {
        caption: String,
        /// The months' names, January first.
        labels: Vec<String>,
        counts: [u32; 12],
    },
    /// A heat matrix: row labels, column labels and cells (scores 0-4).
    Heat {
        caption: String,
        columns: Vec<String>,
        rows: Vec<(String, Vec<HeatCell>)>,
    },
}

/// A section: a heading and its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable id for anchors and tests (`phases`, `agreements`, ...).
    pub id: &'static str,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A whole report, every word in `lang`.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub lang: Lang,
    pub title: String,
    /// The line under the title (the year, the date it was made).
    pub subtitle: String,
    pub sections: Vec<Section>,
}

impl Doc {
    /// The document in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Html => html::render(self),
            Format::Markdown => markdown::render(self),
        }
    }
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the data or writing the file failed (worded as the CSV export's errors are).
    #[error(transparent)]
    Export(#[from] ExportError),
    /// No partner matches the name or id; names that share a word with it.
    #[error("no partner matches {query:?}")]
    NoSuchPartner { query: String, similar: Vec<String> },
    /// Several partners match; their names.
    #[error("{query:?} matches several partners")]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

impl ReportError {
    /// The error in `lang` (user text is left as it is: the caller sanitises for a terminal).
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        match self {
            ReportError::Export(e) => crate::i18n::reasons::export_error(lang, e),
            ReportError::NoSuchPartner { query, similar } => {
                let mut s = if sv {
                    format!("ingen partner heter eller har id {query:?}")
                } else {
                    format!("no partner is named or has the id {query:?}")
                };
                if !similar.is_empty() {
                    s.push_str(if sv {
                        "; menade du: "
                    } else {
                        "; did you mean: "
                    });
                    s.push_str(&similar.join("; "));
                }
                s
            }
            ReportError::Ambiguous { query, candidates } => {
                let list = candidates.join("; ");
                if sv {
                    format!(
                        "{query:?} passar in på flera partner; ange hela namnet eller id: {list}"
                    )
                } else {
                    format!("{query:?} matches several partners; give the full name or id: {list}")
                }
            }
        }
    }
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Partner(Id),
    Portfolio,
}

/// Make a report as text.
pub fn make(
    client: &dyn Client,
    which: Which,
    year: i32,
    lang: Lang,
    format: Format,
) -> Result<String, ReportError> {
    let doc = match which {
        Which::Partner(id) => partner::doc(&partner_data(client, id, year)?, lang),
        Which::Portfolio => portfolio::doc(&portfolio(client, year, lang)?, lang),
    };
    Ok(doc.render(format))
}

/// What writing a report under its default name came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Written to this path.
    Done(PathBuf),
    /// A file of that name exists and replacing it was not agreed: nothing was written.
    Exists(PathBuf),
}

/// Write the report of partner `id` for `year` into `dir` under its default name (the CSV
/// exports' folder is created, private, when it is missing). An existing file is replaced only
/// when it is the one `replace` names (the one the user agreed to replace), as the CSV exports
/// ask first.
pub fn write_partner_report(
    client: &dyn Client,
    id: Id,
    year: i32,
    lang: Lang,
    format: Format,
    dir: &Path,
    replace: Option<&Path>,
) -> Result<Written, ReportError> {
    let data = partner_data(client, id, year)?;
    let name = file_name(
        lang,
        Some((&data.detail.partner.data.name, id)),
        year,
        format,
    );
    let path = dir.join(name);
    if replace != Some(path.as_path()) && path.exists() {
        return Ok(Written::Exists(path));
    }
    let text = partner::doc(&data, lang).render(format);
    write_file(&path, &text, Some(dir))?;
    Ok(Written::Done(path))
}

/// Write the portfolio for `year` into `dir` under its default name, replacing an existing file
/// only when it is the one `replace` names.
pub fn write_portfolio_report(
    client: &dyn Client,
    year: i32,
    lang: Lang,
    format: Format,
    dir: &Path,
    replace: Option<&Path>,
) -> Result<Written, ReportError> {
    let path = dir.join(file_name(lang, None, year, format));
    if replace != Some(path.as_path()) && path.exists() {
        return Ok(Written::Exists(path));
    }
    let text = portfolio::doc(&portfolio(client, year, lang)?, lang).render(format);
    write_file(&path, &text, Some(dir))?;
    Ok(Written::Done(path))
}

/// A name safe in a file name: lower case letters and digits joined by `-` (letters such as å,
/// ä, ö are kept), at most 40 characters.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "partner".into()
    } else {
        out
    }
}

/// The default file name: `report-<partner>-<id>-<year>.html`, `portfolio-<year>.md` (Swedish:
/// `rapport-…`, `portfolj-…`). The id keeps two partners of the same name (in two countries)
/// apart.
pub fn file_name(lang: Lang, partner: Option<(&str, Id)>, year: i32, format: Format) -> String {
    let ext = format.extension();
    match (partner, lang) {
        (Some((n, id)), Lang::En) => format!("report-{}-{id}-{year}.{ext}", slug(n)),
        (Some((n, id)), Lang::Sv) => format!("rapport-{}-{id}-{year}.{ext}", slug(n)),
        (None, Lang::En) => format!("portfolio-{year}.{ext}"),
        (None, Lang::Sv) => format!("portfolj-{year}.{ext}"),
    }
}

/// The default folder, the CSV exports' (`~/spets-export`).
pub fn default_dir(today: NaiveDate) -> PathBuf {
    crate::csvio::Dataset::Partners
        .default_path(Lang::En, today)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Write `text` to `path` as the CSV exports are written: atomically, mode 0600; the default
/// folder is created (private) when it is missing.
pub fn write_file(path: &Path, text: &str, default_dir: Option<&Path>) -> Result<(), ReportError> {
    let file_err = |source: std::io::Error| ExportError::File {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent()
        && Some(parent) == default_dir
        && !parent.is_dir()
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(file_err)?;
    }
    let mut f = crate::csvio::sink::AtomicFile::create(path).map_err(file_err)?;
    f.write_all(text.as_bytes()).map_err(file_err)?;
    f.commit().map_err(file_err)?;
    Ok(())
}
