//! Typed reasons in words, on the client, in its user's language: why a request failed
//! ([`failure`]), why it was not allowed ([`denied`]), why the daemon refused a connection
//! ([`refusal`]), and operating-system errors ([`io`]), each said once.

use super::Lang;
use super::vocab::{entity_label, role_label};
use crate::service::{Denied, Failure, IoKind, Refusal, Role};

/// An operating-system error in words. The kinds people meet are worded; others are named by
/// their number, which is the same in every language.
pub fn io(lang: Lang, kind: IoKind) -> String {
    match (lang, kind) {
        (Lang::En, IoKind::NotFound) => "it does not exist".into(),
        (Lang::Sv, IoKind::NotFound) => "den finns inte".into(),
        (Lang::En, IoKind::PermissionDenied) => "permission denied".into(),
        (Lang::Sv, IoKind::PermissionDenied) => "behörighet saknas".into(),
        (Lang::En, IoKind::StorageFull) => "the disk is full".into(),
        (Lang::Sv, IoKind::StorageFull) => "disken är full".into(),
        (Lang::En, IoKind::ReadOnly) => "the disk is read-only".into(),
        (Lang::Sv, IoKind::ReadOnly) => "disken är skrivskyddad".into(),
        (Lang::En, IoKind::IsADirectory) => "it is a directory".into(),
        (Lang::Sv, IoKind::IsADirectory) => "det är en katalog".into(),
        (Lang::En, IoKind::AlreadyExists) => "it already exists".into(),
        (Lang::Sv, IoKind::AlreadyExists) => "den finns redan".into(),
        (Lang::En, IoKind::Other(Some(n))) => format!("system error {n}"),
        (Lang::Sv, IoKind::Other(Some(n))) => format!("systemfel {n}"),
        (Lang::En, IoKind::Other(None)) => "an input/output error".into(),
        (Lang::Sv, IoKind::Other(None)) => "ett in- eller utmatningsfel".into(),
    }
}

/// An [`std::io::Error`] in words (see [`io`]).
pub fn io_error(lang: Lang, e: &std::io::Error) -> String {
    io(lang, IoKind::of(e))
}

/// Why a request failed.
pub fn failure(lang: Lang, f: &Failure) -> String {
    let sv = lang == Lang::Sv;
    match f {
        Failure::InUse { path } => {
            if sv {
                format!(
                    "arbetsytan {path} är redan öppen i en annan spets-process. En arbetsyta hör till en process i taget; för att dela den, kör en demon för den (spets serve --db {path} --socket SOCKET) och starta allas spets med --connect SOCKET (eller server = \"SOCKET\" i inställningarna); se README"
                )
            } else {
                format!(
                    "the workspace {path} is already open in another spets process. A workspace belongs to one process at a time; to share it, run one daemon for it (spets serve --db {path} --socket SOCKET) and start everyone's spets with --connect SOCKET (or server = \"SOCKET\" in the config); see \"Shared server\" in the README"
                )
            }
        }
        Failure::Io { path, kind } => {
            let why = io(lang, *kind);
            if sv {
                format!("arbetsytans katalog {path} kan inte användas: {why}")
            } else {
                format!("cannot use the workspace directory {path}: {why}")
            }
        }
        Failure::Database => if sv {
            "databasen fungerar inte (detaljer i loggen); kör `spets check`"
        } else {
            "the database failed (details in the log); run `spets check`"
        }
        .into(),
        Failure::Corrupt { tree, key } => {
            if sv {
                format!(
                    "{tree}-posten {key} kan inte läsas; kör `spets check` och återställ från en säkerhetskopia"
                )
            } else {
                format!(
                    "{tree} record {key} cannot be read; run `spets check` and restore from a backup"
                )
            }
        }
        Failure::NewerSchema {
            path,
            found,
            supported,
        } => {
            if sv {
                format!(
                    "arbetsytan {path} skrevs av en nyare spets (schema {found}; den här känner till {supported}); uppgradera spets"
                )
            } else {
                format!(
                    "the workspace {path} was written by a newer spets (schema {found}; this one knows {supported}); upgrade spets"
                )
            }
        }
        Failure::IdInUse { kind, id } => {
            let what = entity_label(lang, *kind);
            if sv {
                format!(
                    "{what} {id} finns redan, så en ny post kan inte ta dess id; inget skrevs. Arbetsytans id-räknare ligger efter: kör `spets check --repair`"
                )
            } else {
                format!(
                    "{what} {id} already exists, so a new record cannot take its id; nothing was written. The workspace's id counter is behind: run `spets check --repair`"
                )
            }
        }
        Failure::Unavailable { path } => {
            if sv {
                format!(
                    "arbetsytan {path} kan inte användas förrän den öppnas igen; frigör diskutrymme, så öppnar spets den igen vid nästa begäran"
                )
            } else {
                format!(
                    "the workspace {path} cannot be used until it is opened again; free disk space, and spets opens it again with the next request"
                )
            }
        }
        Failure::NotWritten => if sv {
            "ändringen kunde inte skrivas till disken; inget sparades. Frigör diskutrymme och spara igen"
        } else {
            "the change could not be written to disk; nothing was saved. Free disk space and save again"
        }
        .into(),
        Failure::TooLarge { size, max } => {
            if sv {
                format!("posten blir {size} byte, mer än de {max} en post får ta")
            } else {
                format!("the record encodes to {size} bytes, more than the {max} a record may take")
            }
        }
        Failure::NotEmpty { path, partners } => {
            let p = super::counts::count(lang, *partners, super::counts::Noun::Partner);
            if sv {
                format!(
                    "{path} har redan {p}; demodata läggs bara i en tom arbetsyta (ange --db med en ny katalog)"
                )
            } else {
                format!(
                    "{path} already holds {p}; demo data goes into an empty workspace (use --db with a new directory)"
                )
            }
        }
        Failure::Internal => if sv {
            "ett internt fel i spets (detaljer i loggen); inget sparades"
        } else {
            "an internal error in spets (details in the log); nothing was saved"
        }
        .into(),
        Failure::NotAnswering { socket } => {
            if sv {
                format!(
                    "spets-demonen på {socket} svarar inte; spets försöker ansluta igen hela tiden"
                )
            } else {
                format!(
                    "the spets daemon on {socket} is not answering; spets keeps trying to reconnect"
                )
            }
        }
        Failure::ConnectionLost => if sv {
            "anslutningen till spets-demonen bröts innan den svarade; din senaste ändring kanske inte sparades, så kontrollera den och spara igen"
        } else {
            "the connection to the spets daemon was lost before it answered; your last change may not have been saved, so check it and save again"
        }
        .into(),
        Failure::NoAnswerInTime => if sv {
            "spets-demonen svarade inte i tid"
        } else {
            "the spets daemon did not answer in time"
        }
        .into(),
        Failure::ShuttingDown => if sv {
            "spets-demonen håller på att stängas av; begäran utfördes inte. Försök igen när den är igång"
        } else {
            "the spets daemon is shutting down; the request was not carried out. Try again when it is back"
        }
        .into(),
    }
}

/// Why a request was not allowed for the caller's role.
pub fn denied(lang: Lang, why: Denied, role: Role) -> String {
    let r = role_label(lang, role);
    match (lang, why) {
        (Lang::En, Denied::ReadOnly) => {
            format!("you can read but not change this workspace (your role: {r})")
        }
        (Lang::Sv, Denied::ReadOnly) => {
            format!("du kan läsa men inte ändra den här arbetsytan (din roll: {r})")
        }
        (Lang::En, Denied::PurgeNeedsAdmin) => {
            format!("only an administrator may delete records for good (your role: {r})")
        }
        (Lang::Sv, Denied::PurgeNeedsAdmin) => {
            format!("bara en administratör får radera poster för gott (din roll: {r})")
        }
        (Lang::En, Denied::AuditNeedsAdmin) => {
            format!("only an administrator may read the audit log (your role: {r})")
        }
        (Lang::Sv, Denied::AuditNeedsAdmin) => {
            format!("bara en administratör får läsa ändringsloggen (din roll: {r})")
        }
        (Lang::En, Denied::AdminOnly) => {
            format!("only an administrator may do this (your role: {r})")
        }
        (Lang::Sv, Denied::AdminOnly) => {
            format!("bara en administratör får göra detta (din roll: {r})")
        }
    }
}

/// Why the daemon on `socket` refused this client.
pub fn refusal(lang: Lang, socket: &str, r: &Refusal) -> String {
    let why = refusal_why(lang, r);
    if lang == Lang::Sv {
        format!("spets-demonen på {socket} nekade anslutningen: {why}")
    } else {
        format!("the spets daemon on {socket} refused the connection: {why}")
    }
}

/// The reason of a refusal, without the socket.
pub fn refusal_why(lang: Lang, r: &Refusal) -> String {
    let ours = env!("CARGO_PKG_VERSION");
    let sv = lang == Lang::Sv;
    match r {
        Refusal::NotSpets => if sv {
            "den betjänar bara spets-klienter"
        } else {
            "it serves spets clients only"
        }
        .to_string(),
        Refusal::ClientOlder { server_version } => {
            if sv {
                format!(
                    "din spets ({ours}) är äldre än servern (spets {server_version}): uppgradera din spets till {server_version}"
                )
            } else {
                format!(
                    "your spets ({ours}) is older than the server (spets {server_version}): upgrade your spets to {server_version}"
                )
            }
        }
        Refusal::ServerOlder { server_version } => {
            if sv {
                format!(
                    "servern (spets {server_version}) är äldre än din spets ({ours}): be administratören uppgradera demonen"
                )
            } else {
                format!(
                    "the server (spets {server_version}) is older than your spets ({ours}): ask the administrator to upgrade the daemon"
                )
            }
        }
        Refusal::NotInGroup { user, owner, group } => match (group.as_deref(), sv) {
            (Some(group), true) => format!(
                "{user} får inte använda den här spets-servern: bara {owner} och medlemmar i gruppen {group} får det; be en administratör lägga till dig (sudo usermod -aG {group} {user}) och logga sedan in igen"
            ),
            (Some(group), false) => format!(
                "{user} may not use this spets server: only {owner} and members of the group {group} may; ask an administrator to add you (sudo usermod -aG {group} {user}), then log in again"
            ),
            (None, true) => format!(
                "{user} får inte använda den här spets-servern: bara {owner} får det; be en administratör om tillgång"
            ),
            (None, false) => format!(
                "{user} may not use this spets server: only {owner} may; ask an administrator for access"
            ),
        },
        Refusal::NoAccessEntry { user, file } => {
            if sv {
                format!(
                    "{user} får inte använda den här spets-servern: behörighetsfilen {file} saknar rad för användaren och hens grupper; be en administratör lägga till dig"
                )
            } else {
                format!(
                    "{user} may not use this spets server: the access file {file} has no entry for the user or their groups; ask an administrator to add you"
                )
            }
        }
        Refusal::AccessFileUnreadable { file, kind } => {
            let e = io(lang, *kind);
            if sv {
                format!(
                    "behörighetsfilen {file} kan inte läsas ({e}); be en administratör rätta den"
                )
            } else {
                format!(
                    "the access file {file} cannot be read ({e}); ask an administrator to fix it"
                )
            }
        }
        Refusal::AccessFileInvalid { file } => {
            if sv {
                format!("behörighetsfilen {file} är inte giltig; be en administratör rätta den")
            } else {
                format!("the access file {file} is not valid; ask an administrator to fix it")
            }
        }
        Refusal::TooManyClients { max } => {
            if sv {
                format!(
                    "servern betjänar redan sitt högsta antal anslutningar, {max}; försök igen om en stund, eller be en administratör höja --max-clients"
                )
            } else {
                format!(
                    "the server already serves its limit of {max} connections; try again in a moment, or ask an administrator to raise --max-clients"
                )
            }
        }
        Refusal::TooManyForUser { user, max } => {
            if sv {
                format!(
                    "{user} har redan {max} anslutningar öppna, det högsta en användare får ha; stäng några spets-sessioner och försök igen"
                )
            } else {
                format!(
                    "{user} already has {max} connections open, the most one user may hold; close some spets sessions and try again"
                )
            }
        }
        Refusal::Busy => if sv {
            "servern har ont om resurser just nu (trådar eller öppna filer); försök igen om en stund"
        } else {
            "the server is short of resources right now (threads or open files); try again in a moment"
        }
        .to_string(),
        Refusal::Unknown(text) => {
            let text = crate::term::inline(text).into_owned();
            if sv {
                format!("okänt skäl från en annan spets-version: \"{text}\"")
            } else {
                format!("a reason from another spets version: \"{text}\"")
            }
        }
    }
}

/// Why the daemon could not be reached or would not serve us.
pub fn connect(lang: Lang, e: &crate::client::ConnectError) -> String {
    use crate::client::ConnectError as C;
    let sv = lang == Lang::Sv;
    match e {
        C::NoDaemon { path, source } => {
            let why = io_error(lang, source);
            if sv {
                format!(
                    "ingen spets-demon lyssnar på {path} ({why}). Starta en med `spets serve --db KATALOG --socket {path}`, eller kontrollera sökvägen (--connect eller server = \"...\" i inställningarna)"
                )
            } else {
                format!(
                    "no spets daemon is listening on {path} ({why}). Start one with `spets serve --db DIR --socket {path}`, or check the path (--connect or server = \"...\" in the config)"
                )
            }
        }
        C::Refused { path, reason } => refusal(lang, path, reason),
        C::NotInGroup { path, user, group } => {
            if sv {
                format!(
                    "du ({user}) får inte öppna {path}: den är för medlemmarna i gruppen {group}. Be en administratör lägga till dig (sudo usermod -aG {group} {user}) och logga sedan in igen"
                )
            } else {
                format!(
                    "you ({user}) may not open {path}: it is for the members of the group {group}. Ask an administrator to add you (sudo usermod -aG {group} {user}), then log in again"
                )
            }
        }
        C::Protocol { path, .. } => {
            if sv {
                format!("{path} svarade inte som en spets-demon")
            } else {
                format!("{path} did not answer like a spets daemon")
            }
        }
    }
}

/// Why an export failed.
pub fn export_error(lang: Lang, e: &crate::csvio::ExportError) -> String {
    use crate::csvio::ExportError as E;
    let sv = lang == Lang::Sv;
    match e {
        E::Cancelled => if sv {
            "exporten avbröts; ingen fil skrevs"
        } else {
            "the export was cancelled; no file was written"
        }
        .into(),
        E::Forbidden { denied: d, role } => denied(lang, *d, *role),
        E::ScopeMismatch { .. } => failure(lang, &Failure::Internal),
        E::Service(f) => failure(lang, f),
        E::File { path, source } => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
                _ => ".".to_string(),
            };
            let file = path.display().to_string();
            let why = match (lang, IoKind::of(source)) {
                (Lang::En, IoKind::NotFound) => format!("the directory {dir} does not exist"),
                (Lang::Sv, IoKind::NotFound) => format!("katalogen {dir} finns inte"),
                (Lang::En, IoKind::PermissionDenied) => {
                    format!("no permission to write in {dir}")
                }
                (Lang::Sv, IoKind::PermissionDenied) => {
                    format!("behörighet saknas att skriva i {dir}")
                }
                (_, kind) => io(lang, kind),
            };
            if sv {
                format!("kan inte skriva {file}: {why}")
            } else {
                format!("cannot write {file}: {why}")
            }
        }
        E::Write(source) => {
            let why = io_error(lang, source);
            if sv {
                format!("kan inte skriva CSV-filen: {why}")
            } else {
                format!("cannot write the CSV: {why}")
            }
        }
    }
}

/// Why an import could not run at all.
pub fn import_error(lang: Lang, e: &crate::csvio::ImportError) -> String {
    use crate::csvio::ImportError as E;
    match e {
        E::Read { path, source } => {
            let why = io_error(lang, source);
            match lang {
                Lang::En => format!("cannot read {}: {why}", path.display()),
                Lang::Sv => format!("kan inte läsa {}: {why}", path.display()),
            }
        }
        E::Empty => super::catalogue::t(lang, super::catalogue::Msg::ImportEmpty).to_string(),
        E::Service(text) => text.clone(),
        E::Failed(f) => failure(lang, f),
    }
}

/// Why a backup could not be restored.
pub fn restore_error(lang: Lang, e: &crate::store::backup::RestoreError) -> String {
    use crate::store::backup::RestoreError as E;
    let sv = lang == Lang::Sv;
    match e {
        E::NotABackup(file) => {
            if sv {
                format!(
                    "{file} är ingen säkerhetskopia från spets (den börjar inte med säkerhetskopians huvud)"
                )
            } else {
                format!("{file} is not a spets backup (it does not start with the backup header)")
            }
        }
        E::Damaged { file, .. } => {
            if sv {
                format!(
                    "{file} är skadad. Inget återställdes; använd en annan kopia av säkerhetskopian"
                )
            } else {
                // The reader's own words (English) say where it is damaged.
                e.to_string()
            }
        }
        E::Newer {
            file,
            format,
            schema,
        } => {
            if sv {
                format!(
                    "{file} skrevs av en nyare spets (format {format}, schema {schema}); uppgradera spets"
                )
            } else {
                format!(
                    "{file} was written by a newer spets (backup format {format}, schema {schema}); upgrade spets"
                )
            }
        }
        E::NotEmpty(dir) => {
            if sv {
                format!("{dir} innehåller redan en arbetsyta; återställ till en ny, tom katalog")
            } else {
                format!("{dir} already holds a workspace; restore into a new, empty directory")
            }
        }
        E::Store(e) => failure(lang, &Failure::from(e)),
    }
}

/// Why a config file could not be used.
pub fn config_error(lang: Lang, e: &crate::config::ConfigError) -> String {
    use crate::config::ConfigError as E;
    match (lang, e) {
        (Lang::En, E::Invalid { .. }) => e.to_string(),
        (Lang::Sv, E::Invalid { path, line, .. }) => format!(
            "{} är ingen giltig inställningsfil för spets (fel på rad {line}); nycklarna som finns är server, keymap, lang och start_pane",
            path.display()
        ),
        (_, E::Unreadable { path, source }) => {
            let why = io_error(lang, source);
            match lang {
                Lang::En => format!("cannot read {}: {why}", path.display()),
                Lang::Sv => format!("kan inte läsa {}: {why}", path.display()),
            }
        }
    }
}

/// `start_pane` names no pane: the value, the choices, and what is shown instead.
pub fn bad_start_pane(lang: Lang, value: &str) -> String {
    let value = crate::term::visible(value);
    match lang {
        Lang::En => format!(
            "start_pane = \"{value}\" in the config is not a pane; the choices are partners, timeline, matrix, notes and overview (or a pane's name in English or Swedish). Showing Partners."
        ),
        Lang::Sv => format!(
            "start_pane = \"{value}\" i inställningsfilen är ingen panel; välj partners, timeline, matrix, notes eller overview (eller panelens namn på svenska eller engelska). Visar Partner."
        ),
    }
}
