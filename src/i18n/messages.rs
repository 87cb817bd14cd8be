//! What the command line says, in both languages: the output of demo, backup, restore, check,
//! import, export and keymap check, and its errors. Every message is built here from typed parts
//! (numbers, paths, reasons), never from English text that another part of spets wrote.

use super::Lang;
use super::counts::{Noun, count, decimal};

/// The prefix of every error line: "spets: error:" / "spets: fel:".
pub fn error_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "spets: error:",
        Lang::Sv => "spets: fel:",
    }
}

/// The prefix of a warning line.
pub fn warning_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "warning:",
        Lang::Sv => "varning:",
    }
}

/// `spets demo`: what was written, and how long it took. `counts` are partners, agreements,
/// contacts, activities, assessments and notes.
pub fn demo_written(lang: Lang, dir: &str, secs: f64, counts: &[usize; 6]) -> String {
    let nouns = [
        Noun::Partner,
        Noun::Agreement,
        Noun::Contact,
        Noun::Activity,
        Noun::Assessment,
        Noun::Note,
    ];
    let list = counts
        .iter()
        .zip(nouns)
        .map(|(n, what)| count(lang, *n, what))
        .collect::<Vec<_>>()
        .join(", ");
    let secs = decimal(lang, secs, 1);
    match lang {
        Lang::En => format!("Demo data written to {dir} in {secs} s: {list}."),
        Lang::Sv => format!("Demodata skrevs till {dir} på {secs} s: {list}."),
    }
}

/// `spets backup` on a workspace directory.
pub fn backup_written(
    lang: Lang,
    file: &str,
    entries: usize,
    trees: usize,
    bytes: usize,
    checksum: u32,
) -> String {
    let (e, t, b) = (
        count(lang, entries, Noun::Entry),
        count(lang, trees, Noun::Tree),
        count(lang, bytes, Noun::Byte),
    );
    match lang {
        Lang::En => {
            format!("Backup written to {file}: {e} in {t}, {b}, checksum {checksum:08x}.")
        }
        Lang::Sv => {
            format!(
                "Säkerhetskopian skrevs till {file}: {e} i {t}, {b}, kontrollsumma {checksum:08x}."
            )
        }
    }
}

/// `spets backup` through a daemon.
pub fn remote_backup_written(lang: Lang, server: &str, file: &str, bytes: usize) -> String {
    let b = count(lang, bytes, Noun::Byte);
    match lang {
        Lang::En => format!("Backup of {server} written to {file}: {b}."),
        Lang::Sv => format!("Säkerhetskopian av {server} skrevs till {file}: {b}."),
    }
}

/// `spets restore`: done.
pub fn restored(lang: Lang, entries: usize, file: &str, dir: &str) -> String {
    let e = count(lang, entries, Noun::Entry);
    match lang {
        Lang::En => format!("Restored {e} from {file} into {dir}; the workspace checks out."),
        Lang::Sv => format!("Återställde {e} från {file} till {dir}; arbetsytan är konsistent."),
    }
}

/// The head of a check's report: "2 problems found in PLACE."
pub fn problems_found(lang: Lang, n: usize, place: &str) -> String {
    let p = count(lang, n, Noun::Problem);
    match lang {
        Lang::En => format!("{p} found in {place}."),
        Lang::Sv => format!("{p} hittades i {place}."),
    }
}

/// `spets keymap check` with errors: "2 problems in FILE."
pub fn keymap_problems(lang: Lang, n: usize, file: &str) -> String {
    let p = count(lang, n, Noun::Problem);
    match lang {
        Lang::En => format!("{p} in {file}."),
        Lang::Sv => format!("{p} i {file}."),
    }
}

/// `spets keymap check` without errors.
pub fn keymap_ok(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!("{file}: OK"),
        Lang::Sv => format!("{file}: inga fel"),
    }
}

/// `spets export -o FILE`: done.
pub fn exported(lang: Lang, rows: usize, file: &str) -> String {
    let r = count(lang, rows, Noun::Row);
    match lang {
        Lang::En => format!("{r} exported to {file}."),
        Lang::Sv => format!("{r} exporterade till {file}."),
    }
}

/// The progress line of `spets import` while it checks.
pub fn import_checking(lang: Lang, rows: usize) -> String {
    let r = count(lang, rows, Noun::Row);
    match lang {
        Lang::En => format!("checking: {r}"),
        Lang::Sv => format!("kontrollerar: {r}"),
    }
}

/// The progress line of `spets import` while it sends the rows.
pub fn import_writing(lang: Lang, rows: usize, total: usize) -> String {
    let t = count(lang, total, Noun::Row);
    match lang {
        Lang::En => format!("writing: {rows} of {t} sent"),
        Lang::Sv => format!("skriver: {rows} av {t} skickade"),
    }
}

/// The columns of an import file that match no column of spets.
pub fn ignored_columns(lang: Lang, columns: &[String]) -> String {
    let n = count(lang, columns.len(), Noun::Column);
    let list = columns.join(", ");
    match lang {
        Lang::En => format!("{n} not used: {list}"),
        Lang::Sv => format!("{n} används inte: {list}"),
    }
}

/// After an import's listed problems: how many more there were.
pub fn more_import_problems(lang: Lang, more: usize, shown: usize) -> String {
    let m = count(lang, more, Noun::Problem);
    match lang {
        Lang::En => format!(
            "… and {m} not listed here (only the first {shown} are); fix these and check the file again"
        ),
        Lang::Sv => format!(
            "… och {m} till som inte listas här (bara de första {shown} gör det); rätta dessa och kontrollera filen igen"
        ),
    }
}

/// The last line of an overview group that lists only its first lines.
pub fn overview_more(lang: Lang, more: usize) -> String {
    match lang {
        Lang::En => format!("… and {more} more, not listed here"),
        Lang::Sv => format!("… och {more} till som inte listas här"),
    }
}

/// What `spets serve` could not do, naming the path or group.
#[derive(Debug, Clone, Copy)]
pub enum ServeProblem<'a> {
    NoGroup(&'a str),
    SocketDir(&'a str),
    GiveToGroup(&'a str, u32),
    NotASocket(&'a str),
    AlreadyListening(&'a str),
    CannotListen(&'a str),
    AccessUnreadable(&'a str),
    AccessOwner(&'a str, &'a str, u32),
    AccessWritable(&'a str, u32),
}

/// A problem of `spets serve` in words.
pub fn serve_problem(lang: Lang, p: ServeProblem<'_>) -> String {
    use ServeProblem as P;
    match (lang, p) {
        (Lang::En, P::NoGroup(g)) => format!("there is no Unix group \"{g}\" (check --group)"),
        (Lang::Sv, P::NoGroup(g)) => {
            format!("det finns ingen Unix-grupp \"{g}\" (kontrollera --group)")
        }
        (Lang::En, P::SocketDir(d)) => format!("cannot create the socket directory {d}"),
        (Lang::Sv, P::SocketDir(d)) => format!("kan inte skapa socketens katalog {d}"),
        (Lang::En, P::GiveToGroup(p, gid)) => format!("cannot give {p} to group id {gid}"),
        (Lang::Sv, P::GiveToGroup(p, gid)) => format!("kan inte ge {p} till grupp-id {gid}"),
        (Lang::En, P::NotASocket(p)) => {
            format!("{p} exists and is not a socket; choose another --socket path")
        }
        (Lang::Sv, P::NotASocket(p)) => {
            format!("{p} finns och är ingen socket; välj en annan sökväg för --socket")
        }
        (Lang::En, P::AlreadyListening(p)) => {
            format!("another spets daemon is already listening on {p}")
        }
        (Lang::Sv, P::AlreadyListening(p)) => format!("en annan spets-demon lyssnar redan på {p}"),
        (Lang::En, P::CannotListen(p)) => format!("cannot listen on {p}"),
        (Lang::Sv, P::CannotListen(p)) => format!("kan inte lyssna på {p}"),
        (Lang::En, P::AccessUnreadable(f)) => format!("the access file {f} cannot be read"),
        (Lang::Sv, P::AccessUnreadable(f)) => format!("behörighetsfilen {f} kan inte läsas"),
        (Lang::En, P::AccessOwner(f, user, uid)) => format!(
            "the access file {f} must be owned by the daemon's user ({user}), not uid {uid}: chown it"
        ),
        (Lang::Sv, P::AccessOwner(f, user, uid)) => format!(
            "behörighetsfilen {f} måste ägas av demonens användare ({user}), inte uid {uid}: byt ägare med chown"
        ),
        (Lang::En, P::AccessWritable(f, mode)) => {
            format!("the access file {f} is writable by others (mode {mode:o}): chmod go-w it")
        }
        (Lang::Sv, P::AccessWritable(f, mode)) => format!(
            "behörighetsfilen {f} kan skrivas av andra (läge {mode:o}): ta bort deras skrivrätt med chmod go-w"
        ),
    }
}

/// `spets serve` has started.
pub fn serving(lang: Lang, db: &str, socket: &str, group: &str) -> String {
    match lang {
        Lang::En => {
            format!("spets: serving {db} on {socket} (group {group}) — stop with SIGTERM or Ctrl-C")
        }
        Lang::Sv => format!(
            "spets: delar {db} på {socket} (gruppen {group}) — stoppa med SIGTERM eller Ctrl-C"
        ),
    }
}

/// `spets serve` has stopped.
pub fn daemon_stopped(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "spets: daemon stopped",
        Lang::Sv => "spets: demonen har stoppats",
    }
}
