//! Why a request failed or a connection was refused, as data. The service and the daemon send
//! these typed reasons; the client words them in its user's language
//! (`crate::i18n::messages::failure`, `crate::i18n::messages::refusal`), so no English prose
//! written on the server ever reaches a Swedish screen.

use crate::domain::{EntityKind, Id};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};

/// The kind of an operating-system error, enough to say it in words (the OS's own English text
/// goes to the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IoKind {
    NotFound,
    PermissionDenied,
    StorageFull,
    ReadOnly,
    IsADirectory,
    AlreadyExists,
    /// Another error, with the OS's error number when there is one.
    Other(Option<i32>),
}

impl IoKind {
    pub fn of(e: &std::io::Error) -> IoKind {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::NotFound => IoKind::NotFound,
            K::PermissionDenied => IoKind::PermissionDenied,
            K::StorageFull | K::QuotaExceeded => IoKind::StorageFull,
            K::ReadOnlyFilesystem => IoKind::ReadOnly,
            K::IsADirectory => IoKind::IsADirectory,
            K::AlreadyExists => IoKind::AlreadyExists,
            _ => IoKind::Other(e.raw_os_error()),
        }
    }
}

/// Why a request failed ([`super::Response::Failed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// The workspace is open in another process.
    InUse { path: String },
    /// The workspace directory could not be used.
    Io { path: String, kind: IoKind },
    /// The database underneath failed (details in the log).
    Database,
    /// A stored record does not decode.
    Corrupt { tree: String, key: String },
    /// The workspace was written by a newer spets.
    NewerSchema {
        path: String,
        found: u32,
        supported: u32,
    },
    /// A create found its new id in use: the id counter is behind.
    IdInUse { kind: EntityKind, id: Id },
    /// The workspace must be opened again after a failed write (the disk is full, say).
    Unavailable { path: String },
    /// A change could not be made durable; nothing of it was kept.
    NotWritten,
    /// A record encodes larger than a record may be.
    TooLarge { size: usize, max: usize },
    /// Demo data goes only into an empty workspace.
    NotEmpty { path: String, partners: usize },
    /// A bug or an impossible state (details in the log).
    Internal,
    /// The daemon cannot be reached; calls wait while the client reconnects.
    NotAnswering { socket: String },
    /// The connection was lost before the answer came; the change may not have been saved.
    ConnectionLost,
    /// The daemon did not answer in time.
    NoAnswerInTime,
    /// The daemon is stopping; the request was not carried out.
    ShuttingDown,
}

impl From<&StoreError> for Failure {
    fn from(e: &StoreError) -> Failure {
        let path = |p: &std::path::Path| p.display().to_string();
        match e {
            StoreError::InUse { path: p } => Failure::InUse { path: path(p) },
            StoreError::Io { path: p, source } => Failure::Io {
                path: path(p),
                kind: IoKind::of(source),
            },
            StoreError::Sled(_) => Failure::Database,
            StoreError::Corrupt { tree, key, .. } => Failure::Corrupt {
                tree: (*tree).to_string(),
                key: key.clone(),
            },
            StoreError::NewerSchema {
                path: p,
                found,
                supported,
            } => Failure::NewerSchema {
                path: path(p),
                found: *found,
                supported: *supported,
            },
            StoreError::IdInUse { kind, id } => Failure::IdInUse {
                kind: *kind,
                id: *id,
            },
            StoreError::Unavailable { path: p, .. } => Failure::Unavailable { path: path(p) },
            StoreError::TooLarge { size, max } => Failure::TooLarge {
                size: *size,
                max: *max,
            },
            StoreError::NotWritten { .. } => Failure::NotWritten,
            StoreError::NotEmpty { path: p, partners } => Failure::NotEmpty {
                path: path(p),
                partners: *partners,
            },
            StoreError::Invalid(_) => Failure::Internal,
        }
    }
}

/// Why the daemon refused a connection, sent in its refusal handshake as a short machine-readable
/// line ([`Refusal::encode`]): a code and its arguments, separated by tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The peer did not say hello like a spets client.
    NotSpets,
    /// The client speaks an older protocol than the daemon.
    ClientOlder { server_version: String },
    /// The daemon speaks an older protocol than the client.
    ServerOlder { server_version: String },
    /// Without an access file: only the daemon's user and the socket's group may connect.
    NotInGroup {
        user: String,
        owner: String,
        group: Option<String>,
    },
    /// The access file has no entry for the user or their groups.
    NoAccessEntry { user: String, file: String },
    /// The access file cannot be read.
    AccessFileUnreadable { file: String, kind: IoKind },
    /// The access file is not valid.
    AccessFileInvalid { file: String },
    /// The daemon serves at most `max` connections at once.
    TooManyClients { max: u32 },
    /// One user may hold at most `max` connections at once.
    TooManyForUser { user: String, max: u32 },
    /// The daemon is short of resources (threads, file descriptors, memory) right now.
    Busy,
    /// A refusal this spets does not know (from another version), as it came.
    Unknown(String),
}

impl Refusal {
    /// The handshake text.
    pub fn encode(&self) -> String {
        let parts: Vec<&str> = match self {
            Refusal::NotSpets => vec!["not-spets"],
            Refusal::ClientOlder { server_version } => vec!["client-older", server_version],
            Refusal::ServerOlder { server_version } => vec!["server-older", server_version],
            Refusal::NotInGroup { user, owner, group } => {
                vec!["not-in-group", user, owner, group.as_deref().unwrap_or("")]
            }
            Refusal::NoAccessEntry { user, file } => vec!["no-access-entry", user, file],
            Refusal::AccessFileUnreadable { file, kind } => {
                return format!("access-file-unreadable\t{file}\t{}", io_code(*kind));
            }
            Refusal::AccessFileInvalid { file } => vec!["access-file-invalid", file],
            Refusal::TooManyClients { max } => return format!("too-many-clients\t{max}"),
            Refusal::TooManyForUser { user, max } => {
                return format!("too-many-for-user\t{user}\t{max}");
            }
            Refusal::Busy => vec!["busy"],
            Refusal::Unknown(s) => vec![s],
        };
        parts.join("\t")
    }

    /// Read a handshake text; anything unknown is kept as [`Refusal::Unknown`].
    pub fn decode(text: &str) -> Refusal {
        let p: Vec<&str> = text.split('\t').collect();
        let s = |i: usize| p.get(i).map(|x| (*x).to_string()).unwrap_or_default();
        match p.first().copied().unwrap_or("") {
            "not-spets" => Refusal::NotSpets,
            "client-older" => Refusal::ClientOlder {
                server_version: s(1),
            },
            "server-older" => Refusal::ServerOlder {
                server_version: s(1),
            },
            "not-in-group" => Refusal::NotInGroup {
                user: s(1),
                owner: s(2),
                group: Some(s(3)).filter(|g| !g.is_empty()),
            },
            "no-access-entry" => Refusal::NoAccessEntry {
                user: s(1),
                file: s(2),
            },
            "access-file-unreadable" => Refusal::AccessFileUnreadable {
                file: s(1),
                kind: io_from_code(&s(2)),
            },
            "access-file-invalid" => Refusal::AccessFileInvalid { file: s(1) },
            "too-many-clients" => Refusal::TooManyClients {
                max: s(1).parse().unwrap_or(0),
            },
            "too-many-for-user" => Refusal::TooManyForUser {
                user: s(1),
                max: s(2).parse().unwrap_or(0),
            },
            "busy" => Refusal::Busy,
            _ => Refusal::Unknown(text.to_string()),
        }
    }
}

fn io_code(k: IoKind) -> String {
    match k {
        IoKind::NotFound => "not-found".into(),
        IoKind::PermissionDenied => "permission-denied".into(),
        IoKind::StorageFull => "storage-full".into(),
        IoKind::ReadOnly => "read-only".into(),
        IoKind::IsADirectory => "is-a-directory".into(),
        IoKind::AlreadyExists => "already-exists".into(),
        IoKind::Other(Some(n)) => format!("os-{n}"),
        IoKind::Other(None) => "other".into(),
    }
}

fn io_from_code(s: &str) -> IoKind {
    match s {
        "not-found" => IoKind::NotFound,
        "permission-denied" => IoKind::PermissionDenied,
        "storage-full" => IoKind::StorageFull,
        "read-only" => IoKind::ReadOnly,
        "is-a-directory" => IoKind::IsADirectory,
        "already-exists" => IoKind::AlreadyExists,
        other => IoKind::Other(other.strip_prefix("os-").and_then(|n| n.parse().ok())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_round_trip() {
        for r in [
            Refusal::NotSpets,
            Refusal::ClientOlder {
                server_version: "0.2.0".into(),
            },
            Refusal::NotInGroup {
                user: "bo".into(),
                owner: "spetsd".into(),
                group: None,
            },
            Refusal::AccessFileUnreadable {
                file: "/etc/spets/access.toml".into(),
                kind: IoKind::Other(Some(5)),
            },
            Refusal::TooManyClients { max: 256 },
            Refusal::TooManyForUser {
                user: "bo".into(),
                max: 32,
            },
            Refusal::Busy,
        ] {
            assert_eq!(Refusal::decode(&r.encode()), r);
        }
        assert_eq!(
            Refusal::decode("some old prose"),
            Refusal::Unknown("some old prose".into())
        );
    }
}
