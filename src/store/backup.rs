//! `spets backup` and `spets restore`: a consistent snapshot of every tree in one file with a
//! checksum, and a restore that refuses a damaged file before it writes anything.
//!
//! Format (all integers big-endian): the magic `SPETS-BACKUP\n`, format version (u32), schema
//! version (u32), the number of trees (u32); per tree its name (u16 length + bytes) and entry count
//! (u64), then each entry as key and value (u32 length + bytes each); last the CRC-32 of everything
//! before it (u32).

use super::{SCHEMA_VERSION, Store, StoreError, TreeId};
use std::io::Write;
use std::path::Path;

const MAGIC: &[u8] = b"SPETS-BACKUP\n";
const FORMAT: u32 = 1;
/// The default tree, holding the schema version.
const DEFAULT_TREE: &str = "__default";

/// What a backup or restore handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub trees: usize,
    pub entries: u64,
    pub bytes: u64,
    pub checksum: u32,
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

/// Serialise the whole workspace. The caller must make sure nobody writes meanwhile (the embedded
/// store holds the workspace lock; the service takes its write lock).
pub fn snapshot(store: &Store) -> Result<(Vec<u8>, Summary), StoreError> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_be_bytes());
    out.extend_from_slice(&SCHEMA_VERSION.to_be_bytes());
    let mut trees: Vec<(&str, sled::Tree)> = vec![(DEFAULT_TREE, store.default_tree()?)];
    for t in TreeId::ALL {
        trees.push((t.name(), store.tree(t)?));
    }
    out.extend_from_slice(&(trees.len() as u32).to_be_bytes());
    let mut entries = 0u64;
    for (name, tree) in &trees {
        out.extend_from_slice(&(name.len() as u16).to_be_bytes());
        out.extend_from_slice(name.as_bytes());
        let count_at = out.len();
        out.extend_from_slice(&0u64.to_be_bytes());
        let mut n = 0u64;
        for kv in tree.iter() {
            let (k, v) = kv?;
            put_bytes(&mut out, &k);
            put_bytes(&mut out, &v);
            n += 1;
        }
        out[count_at..count_at + 8].copy_from_slice(&n.to_be_bytes());
        entries += n;
    }
    let checksum = crc32fast::hash(&out);
    out.extend_from_slice(&checksum.to_be_bytes());
    let summary = Summary {
        trees: trees.len(),
        entries,
        bytes: out.len() as u64,
        checksum,
    };
    Ok((out, summary))
}

/// Write `bytes` to `path` atomically: a private temporary file in the same directory, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Why a backup file was refused.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{0} is not a spets backup (it does not start with the backup header)")]
    NotABackup(String),
    #[error("{file} is damaged: {why}. Nothing was restored; use another copy of the backup")]
    Damaged { file: String, why: String },
    #[error(
        "{file} was written by a newer spets (backup format {format}, schema {schema}); upgrade spets"
    )]
    Newer {
        file: String,
        format: u32,
        schema: u32,
    },
    #[error("{0} already holds a workspace; restore into a new, empty directory")]
    NotEmpty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|s| u16::from_be_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Option<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Some(u64::from_be_bytes(a))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

type Parsed<'a> = Vec<(String, Vec<(&'a [u8], &'a [u8])>)>;

/// Verify and parse a backup without writing anything.
pub fn parse<'a>(file: &str, bytes: &'a [u8]) -> Result<Parsed<'a>, RestoreError> {
    let damaged = |why: &str| RestoreError::Damaged {
        file: file.to_string(),
        why: why.to_string(),
    };
    if !bytes.starts_with(MAGIC) {
        return Err(RestoreError::NotABackup(file.to_string()));
    }
    if bytes.len() < MAGIC.len() + 16 {
        return Err(damaged("it is truncated"));
    }
    let (body, tail) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_be_bytes([tail[0], tail[1], tail[2], tail[3]]);
    if crc32fast::hash(body) != stored {
        return Err(damaged(
            "its checksum does not match (truncated or altered)",
        ));
    }
    let mut r = Reader {
        b: body,
        at: MAGIC.len(),
    };
    let format = r.u32().ok_or_else(|| damaged("no format version"))?;
    let schema = r.u32().ok_or_else(|| damaged("no schema version"))?;
    if format > FORMAT || schema > SCHEMA_VERSION {
        return Err(RestoreError::Newer {
            file: file.to_string(),
            format,
            schema,
        });
    }
    let ntrees = r.u32().ok_or_else(|| damaged("no tree count"))?;
    let mut out = Vec::new();
    for _ in 0..ntrees {
        let len = r.u16().ok_or_else(|| damaged("a tree name is cut off"))? as usize;
        let name = r
            .take(len)
            .ok_or_else(|| damaged("a tree name is cut off"))?;
        let name =
            String::from_utf8(name.to_vec()).map_err(|_| damaged("a tree name is not text"))?;
        let known = name == DEFAULT_TREE || TreeId::named(&name).is_some();
        if !known {
            return Err(damaged(&format!("it holds an unknown tree {name:?}")));
        }
        let n = r
            .u64()
            .ok_or_else(|| damaged("an entry count is cut off"))?;
        let mut entries = Vec::new();
        for _ in 0..n {
            let k = r.bytes().ok_or_else(|| damaged("an entry is cut off"))?;
            let v = r.bytes().ok_or_else(|| damaged("an entry is cut off"))?;
            entries.push((k, v));
        }
        out.push((name, entries));
    }
    if r.at != body.len() {
        return Err(damaged("it has bytes after the last tree"));
    }
    Ok(out)
}

/// Restore a verified backup into `dir`, which must not hold a workspace yet, then mend it as
/// `spets check --repair` would, as `user` (a backup taken of a damaged workspace, or with a
/// counter behind its ids, restores into a workspace that is consistent): records that do not
/// decode or break a limit move to quarantine, indexes are rebuilt, counters raised. Returns what
/// was restored and the repair steps.
pub fn restore(
    file: &str,
    bytes: &[u8],
    dir: &Path,
    user: &str,
) -> Result<(Summary, Vec<super::check::RepairStep>), RestoreError> {
    let parsed = parse(file, bytes)?;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(RestoreError::NotEmpty(dir.display().to_string()));
    }
    let store = Store::open(dir)?;
    let mut entries = 0u64;
    for (name, kvs) in &parsed {
        let tree: sled::Tree = if name == DEFAULT_TREE {
            store.default_tree()?
        } else {
            match TreeId::named(name) {
                Some(t) => store.tree(t)?,
                None => continue,
            }
        };
        let mut batch = sled::Batch::default();
        for (k, v) in kvs {
            batch.insert(*k, *v);
            entries += 1;
        }
        tree.apply_batch(batch).map_err(StoreError::from)?;
    }
    store.flush()?;
    let steps = super::check::repair(&store, user)?;
    store.flush()?;
    let summary = Summary {
        trees: parsed.len(),
        entries,
        bytes: bytes.len() as u64,
        checksum: crc32fast::hash(&bytes[..bytes.len() - 4]),
    };
    Ok((summary, steps))
}
