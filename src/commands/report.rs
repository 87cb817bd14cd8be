//! `spets report partner NAME|ID` and `spets report portfolio`: management reports through a
//! client (embedded or a daemon), as HTML or Markdown, to a file (atomically, mode 0600) or to
//! standard output, in the user's language.

use crate::i18n::Lang;
use crate::report::{self, Format, ReportError, Which};
use chrono::Datelike;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The report subcommands (the clap definitions; `src/main.rs` holds only the variant).
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ReportCommand {
    /// One partner's report: phase and history, agreements and renewal, governance, goals and
    /// their follow-up, the year's activities, the value matrix of both sides, decisions and open
    /// action items.
    Partner {
        /// The partner's name (or a unique part of it) or its id.
        #[arg(value_name = "PARTNER")]
        partner: String,
        #[command(flatten)]
        opts: ReportArgs,
    },
    /// The portfolio: one line per strategic partner (phase, renewal, governance, matrix means,
    /// goals) and the totals.
    Portfolio {
        #[command(flatten)]
        opts: ReportArgs,
    },
}

/// What both reports take.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// The calendar year whose activities and decisions are counted (default: this year).
    #[arg(long, value_name = "Y", value_parser = year(Lang::En))]
    pub year: Option<i32>,
    /// html or md (default: from the file name's extension, else html).
    #[arg(long, value_name = "FORMAT", value_parser = format(Lang::En))]
    pub format: Option<Format>,
    /// The file to write (atomically, mode 0600); `-` or nothing for stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ReportCommand {
    fn opts(&self) -> &ReportArgs {
        match self {
            ReportCommand::Partner { opts, .. } | ReportCommand::Portfolio { opts } => opts,
        }
    }
}

/// `--year`'s value parser in `lang`.
pub fn year(lang: Lang) -> impl Fn(&str) -> Result<i32, String> + Clone + Send + Sync + 'static {
    move |s| {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| match lang {
                Lang::En => format!("\"{s}\" is not a year between 1900 and 2200"),
                Lang::Sv => format!("\"{s}\" är inget år mellan 1900 och 2200"),
            })
    }
}

/// `--format`'s value parser in `lang`.
pub fn format(
    lang: Lang,
) -> impl Fn(&str) -> Result<Format, String> + Clone + Send + Sync + 'static {
    move |s| {
        Format::parse(s).ok_or_else(|| match lang {
            Lang::En => format!("unknown format \"{s}\": use html or md"),
            Lang::Sv => format!("okänt format \"{s}\": använd html eller md"),
        })
    }
}

/// The format: `--format`, else the output file's extension, else HTML.
fn chosen_format(opts: &ReportArgs) -> Format {
    opts.format.unwrap_or_else(|| {
        let ext = opts
            .output
            .as_deref()
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().into_owned());
        ext.as_deref()
            .and_then(Format::parse)
            .unwrap_or(Format::Html)
    })
}

/// A report error as the command line says it (user text made safe for the terminal).
fn error(lang: Lang, e: ReportError) -> anyhow::Error {
    match e {
        ReportError::Export(e) => e.into(),
        e => anyhow::anyhow!(crate::term::inline(&e.text(lang)).into_owned()),
    }
}

/// Run `spets report ...` and let the client go as `spets export` does: a report only reads, so
/// the model checkpoint is left and the process's exit frees the workspace's memory at once.
pub fn run_and_close(
    client: Box<dyn crate::client::Client>,
    lang: Lang,
    cmd: &ReportCommand,
) -> anyhow::Result<ExitCode> {
    let result = run(&*client, lang, cmd);
    crate::commands::integrity::damaged_notice(lang, &*client);
    client.close();
    std::mem::forget(client);
    result
}

/// Run `spets report ...`.
pub fn run(
    client: &dyn crate::client::Client,
    lang: Lang,
    cmd: &ReportCommand,
) -> anyhow::Result<ExitCode> {
    let opts = cmd.opts();
    let format = chosen_format(opts);
    let year = match opts.year {
        Some(y) => y,
        None => report::fetch_today(client)
            .map_err(|e| error(lang, e))?
            .year(),
    };
    let which = match cmd {
        ReportCommand::Partner { partner, .. } => {
            let (id, _) =
                report::find_partner(client, partner, lang).map_err(|e| error(lang, e))?;
            Which::Partner(id)
        }
        ReportCommand::Portfolio { .. } => Which::Portfolio,
    };
    let text = report::make(client, which, year, lang, format).map_err(|e| error(lang, e))?;
    match opts.output.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            report::write_file(path, &text, None).map_err(|e| error(lang, e))?;
            let said = crate::i18n::catalogue::t(lang, crate::i18n::catalogue::Msg::ReportWritten);
            crate::term::warn(&format!("{said} {}", path.display()));
        }
        _ => {
            use std::io::{IsTerminal, Write};
            let mut out = std::io::stdout().lock();
            // On a terminal the text is made visible, as every message is; into a pipe or a file
            // it goes as it is (it is escaped HTML or Markdown already).
            let shown = if out.is_terminal() {
                crate::term::visible(&text)
            } else {
                std::borrow::Cow::Borrowed(text.as_str())
            };
            match out.write_all(shown.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(crate::csvio::ExportError::Write(e).into()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
