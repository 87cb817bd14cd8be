//! `spets backup` and `spets restore`: a consistent snapshot of every tree in one file with a
//! checksum, and a restore that refuses a damaged file before it writes anything.
//!
//! Format 2 (all integers big-endian): the magic `SPETS-BACKUP\n`, format version (u32), schema
//! version (u32), the number of trees (u32); per tree its name (u16 length + bytes), then each entry
//! as key and value (u32 length + bytes each), then `u32::MAX` where the next key's length would
//! be; last the CRC-32 of everything before it (u32). Written as it is read, from a [`Snapshot`]
//! of the store, so a backup takes no more memory than a buffer, holds no lock while it runs, and
//! is still one point in time.
//!
//! Format 1 (written by earlier spets, still read) counted each tree's entries (u64) after its name
//! instead of ending it with a marker.

use super::{SCHEMA_VERSION, Snapshot, Store, StoreError, TreeId};
use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::Path;

const MAGIC: &[u8] = b"SPETS-BACKUP\n";
const FORMAT: u32 = 2;
/// The default tree, holding the schema version.
const DEFAULT_TREE: &str = "__default";
/// Where a format-2 tree's next key length would be: the tree ends.
const END_OF_TREE: u32 = u32::MAX;

/// What a backup or restore handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub trees: usize,
    pub entries: u64,
    pub bytes: u64,
    pub checksum: u32,
}

/// A writer that counts and checksums what passes through it.
struct Summing<'a> {
    inner: &'a mut dyn Write,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl Summing<'_> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.crc.update(b);
        self.bytes += b.len() as u64;
        self.inner.write_all(b)
    }
    fn put_bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        let len = u32::try_from(b.len())
            .ok()
            .filter(|n| *n != END_OF_TREE)
            .ok_or_else(|| std::io::Error::other("an entry too large for a backup"))?;
        self.put(&len.to_be_bytes())?;
        self.put(b)
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("the backup could not be written: {e}"))
}

/// Write a backup of the whole workspace to `w`, as of the moment it begins, while saves go on.
pub fn write_to(store: &Store, w: &mut dyn Write) -> Result<Summary, StoreError> {
    let snap = store.snapshot();
    write_snapshot(&snap, w)
}

/// [`write_to`] from an open snapshot.
pub fn write_snapshot(snap: &Snapshot<'_>, w: &mut dyn Write) -> Result<Summary, StoreError> {
    let mut out = Summing {
        inner: w,
        crc: crc32fast::Hasher::new(),
        bytes: 0,
    };
    out.put(MAGIC).map_err(io)?;
    out.put(&FORMAT.to_be_bytes()).map_err(io)?;
    out.put(&SCHEMA_VERSION.to_be_bytes()).map_err(io)?;
    let ntrees = 1 + TreeId::ALL.len() as u32;
    out.put(&ntrees.to_be_bytes()).map_err(io)?;
    let mut entries = 0u64;
    // The default tree holds only the schema version, written when the workspace is opened.
    let name = |out: &mut Summing<'_>, n: &str| -> Result<(), StoreError> {
        out.put(&(n.len() as u16).to_be_bytes()).map_err(io)?;
        out.put(n.as_bytes()).map_err(io)
    };
    name(&mut out, DEFAULT_TREE)?;
    for kv in snap.store().default_tree()?.iter() {
        let (k, v) = kv?;
        out.put_bytes(&k).map_err(io)?;
        out.put_bytes(&v).map_err(io)?;
        entries += 1;
    }
    out.put(&END_OF_TREE.to_be_bytes()).map_err(io)?;
    for t in TreeId::ALL {
        name(&mut out, t.name())?;
        snap.for_each(t, |k, v| {
            out.put_bytes(k).map_err(io)?;
            out.put_bytes(v).map_err(io)?;
            entries += 1;
            Ok(ControlFlow::Continue(()))
        })?;
        out.put(&END_OF_TREE.to_be_bytes()).map_err(io)?;
    }
    let checksum = out.crc.clone().finalize();
    out.inner.write_all(&checksum.to_be_bytes()).map_err(io)?;
    out.inner.flush().map_err(io)?;
    Ok(Summary {
        trees: ntrees as usize,
        entries,
        bytes: out.bytes + 4,
        checksum,
    })
}

/// The whole backup in memory (tests, small workspaces).
pub fn snapshot(store: &Store) -> Result<(Vec<u8>, Summary), StoreError> {
    let mut out = Vec::new();
    let summary = write_to(store, &mut out)?;
    Ok((out, summary))
}

/// Write a backup of `store` to `path` atomically (a private temporary file, fsync, rename).
pub fn write_file(store: &Store, path: &Path) -> Result<Summary, StoreError> {
    let mut summary = None;
    write_atomic_with(path, &mut |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        let s = write_to(store, &mut w).map_err(std::io::Error::other)?;
        w.flush()?;
        summary = Some(s);
        Ok(())
    })
    .map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    summary.ok_or_else(|| StoreError::Invalid("the backup was not written".into()))
}

/// Where a file written "atomically" goes (see [`write_atomic_with`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteTarget {
    /// A regular file, or one that does not exist yet: replace it by renaming a temporary file
    /// over it (the path has any symbolic link followed).
    Replace(std::path::PathBuf),
    /// Something that is not a regular file (a device, a named pipe): write to it as it is.
    Direct(std::path::PathBuf),
}

/// Where writing `path` should go: symbolic links followed, and whether it is a regular file.
pub fn write_target(path: &std::path::Path) -> std::io::Result<WriteTarget> {
    let real = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(p) => p,
            // A dangling link: the file it names is created where the link points.
            Err(_) => {
                let to = std::fs::read_link(path)?;
                match path.parent() {
                    Some(d) if to.is_relative() => d.join(to),
                    _ => to,
                }
            }
        },
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&real) {
        Ok(m) if m.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        )),
        Ok(m) if !m.is_file() => Ok(WriteTarget::Direct(real)),
        _ => Ok(WriteTarget::Replace(real)),
    }
}

/// Write `bytes` to `path` atomically: a private temporary file in the same directory, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &mut |f| f.write_all(bytes))
}

/// Write to `path` atomically what `fill` writes to the private temporary file; nothing is left
/// behind when it fails. A symbolic link is followed (the file it points to is replaced, not the
/// link), and a target that is not a regular file (a device, a named pipe) is written to directly.
pub fn write_atomic_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    // A symbolic link is followed; a device or a named pipe is written to as it is (renaming over
    // it would replace the device node with a file).
    let path = match write_target(path)? {
        WriteTarget::Replace(p) => p,
        WriteTarget::Direct(p) => {
            let mut f = std::fs::OpenOptions::new().write(true).open(&p)?;
            return fill(&mut f);
        }
    };
    let path = path.as_path();
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
        fill(&mut f)?;
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
        let mut entries = Vec::new();
        if format == 1 {
            let n = r
                .u64()
                .ok_or_else(|| damaged("an entry count is cut off"))?;
            for _ in 0..n {
                let k = r.bytes().ok_or_else(|| damaged("an entry is cut off"))?;
                let v = r.bytes().ok_or_else(|| damaged("an entry is cut off"))?;
                entries.push((k, v));
            }
        } else {
            loop {
                let len = r.u32().ok_or_else(|| damaged("a tree is cut off"))?;
                if len == END_OF_TREE {
                    break;
                }
                let k = r
                    .take(len as usize)
                    .ok_or_else(|| damaged("an entry is cut off"))?;
                let v = r.bytes().ok_or_else(|| damaged("an entry is cut off"))?;
                entries.push((k, v));
            }
        }
        out.push((name, entries));
    }
    if r.at != body.len() {
        return Err(damaged("it has bytes after the last tree"));
    }
    Ok(out)
}

/// Read a backup stream, check its structure, and hand each tree's name and entries to `each`;
/// the checksum is compared at the end (so a caller that must not write before it is known good
/// reads the stream twice: see [`restore_file`]).
/// What [`visit`] hands each entry to: the tree's name, the key, the value.
type EachEntry<'a> = dyn FnMut(&str, &[u8], &[u8]) -> Result<(), StoreError> + 'a;

fn visit(file: &str, r: &mut dyn Read, each: &mut EachEntry<'_>) -> Result<u64, RestoreError> {
    struct Crc<'a> {
        r: &'a mut dyn Read,
        crc: crc32fast::Hasher,
    }
    impl Crc<'_> {
        fn exact(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
            self.r.read_exact(buf)?;
            self.crc.update(buf);
            Ok(())
        }
        fn u32(&mut self) -> std::io::Result<u32> {
            let mut b = [0u8; 4];
            self.exact(&mut b)?;
            Ok(u32::from_be_bytes(b))
        }
    }
    let damaged = |why: &str| RestoreError::Damaged {
        file: file.to_string(),
        why: why.to_string(),
    };
    let cut = |_| damaged("it is truncated");
    let mut c = Crc {
        r,
        crc: crc32fast::Hasher::new(),
    };
    let mut magic = vec![0u8; MAGIC.len()];
    if c.exact(&mut magic).is_err() || magic != MAGIC {
        return Err(RestoreError::NotABackup(file.to_string()));
    }
    let format = c.u32().map_err(cut)?;
    let schema = c.u32().map_err(cut)?;
    if format > FORMAT || schema > SCHEMA_VERSION {
        return Err(RestoreError::Newer {
            file: file.to_string(),
            format,
            schema,
        });
    }
    let ntrees = c.u32().map_err(cut)?;
    let mut entries = 0u64;
    // One key and one value at a time: at most two entries' bytes in memory.
    let mut key = Vec::new();
    let mut value = Vec::new();
    for _ in 0..ntrees {
        let mut len = [0u8; 2];
        c.exact(&mut len).map_err(cut)?;
        let mut name = vec![0u8; u16::from_be_bytes(len) as usize];
        c.exact(&mut name).map_err(cut)?;
        let name = String::from_utf8(name).map_err(|_| damaged("a tree name is not text"))?;
        if name != DEFAULT_TREE && TreeId::named(&name).is_none() {
            return Err(damaged(&format!("it holds an unknown tree {name:?}")));
        }
        let mut count = if format == 1 {
            let mut n = [0u8; 8];
            c.exact(&mut n).map_err(cut)?;
            Some(u64::from_be_bytes(n))
        } else {
            None
        };
        loop {
            match &mut count {
                Some(0) => break,
                Some(n) => *n -= 1,
                None => {}
            }
            let klen = c.u32().map_err(cut)?;
            if count.is_none() && klen == END_OF_TREE {
                break;
            }
            key.resize(klen.min(super::codec::BYTE_LIMIT as u32) as usize, 0);
            if klen as usize != key.len() {
                return Err(damaged("a key is longer than any the store writes"));
            }
            c.exact(&mut key).map_err(cut)?;
            let vlen = c.u32().map_err(cut)? as usize;
            if vlen > super::codec::BYTE_LIMIT {
                return Err(damaged("a value is longer than any the store writes"));
            }
            value.resize(vlen, 0);
            c.exact(&mut value).map_err(cut)?;
            each(&name, &key, &value)?;
            entries += 1;
        }
    }
    let computed = c.crc.clone().finalize();
    let mut stored = [0u8; 4];
    c.r.read_exact(&mut stored).map_err(cut)?;
    if u32::from_be_bytes(stored) != computed {
        return Err(damaged(
            "its checksum does not match (truncated or altered)",
        ));
    }
    let mut extra = [0u8; 1];
    if c.r.read(&mut extra).map_err(cut)? != 0 {
        return Err(damaged("it has bytes after the checksum"));
    }
    Ok(entries)
}

/// Check a backup file whole (structure and checksum) without holding it in memory; returns how
/// many entries it holds.
pub fn verify_file(path: &Path) -> Result<u64, RestoreError> {
    let file = path.display().to_string();
    let mut r = std::fs::File::open(path)
        .map(|f| std::io::BufReader::with_capacity(1 << 20, f))
        .map_err(|e| RestoreError::Damaged {
            file: file.clone(),
            why: format!("it cannot be read: {e}"),
        })?;
    visit(&file, &mut r, &mut |_, _, _| Ok(()))
}

/// Restore the backup file `path` into `dir` (which must not hold a workspace yet) without holding
/// it in memory: the file is read once to check it whole, then again to write it, in batches. Then
/// the workspace is mended as in [`restore`].
pub fn restore_file(
    path: &Path,
    dir: &Path,
    user: &str,
) -> Result<(Summary, Vec<super::check::RepairStep>), RestoreError> {
    let file = path.display().to_string();
    let open = || -> Result<std::io::BufReader<std::fs::File>, RestoreError> {
        std::fs::File::open(path)
            .map(|f| std::io::BufReader::with_capacity(1 << 20, f))
            .map_err(|e| RestoreError::Damaged {
                file: file.clone(),
                why: format!("it cannot be read: {e}"),
            })
    };
    visit(&file, &mut open()?, &mut |_, _, _| Ok(()))?;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(RestoreError::NotEmpty(dir.display().to_string()));
    }
    let store = Store::open(dir)?;
    let mut batch: Option<(String, sled::Batch, usize)> = None;
    let apply =
        |store: &Store, b: Option<(String, sled::Batch, usize)>| -> Result<(), StoreError> {
            let Some((name, batch, _)) = b else {
                return Ok(());
            };
            let tree = if name == DEFAULT_TREE {
                store.default_tree()?
            } else {
                match TreeId::named(&name) {
                    Some(t) => store.tree(t)?,
                    None => return Ok(()),
                }
            };
            tree.apply_batch(batch)?;
            Ok(())
        };
    let entries = visit(&file, &mut open()?, &mut |name, k, v| {
        if batch
            .as_ref()
            .is_some_and(|(n, _, count)| n != name || *count >= 1024)
        {
            apply(&store, batch.take())?;
        }
        let b = batch.get_or_insert_with(|| (name.to_string(), sled::Batch::default(), 0));
        b.1.insert(k, v);
        b.2 += 1;
        Ok(())
    })?;
    apply(&store, batch.take())?;
    store.flush()?;
    let steps = super::check::repair(&store, user)?;
    store.flush()?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut checksum = [0u8; 4];
    if let Ok(mut f) = std::fs::File::open(path) {
        use std::io::{Seek, SeekFrom};
        let _ = f
            .seek(SeekFrom::End(-4))
            .and_then(|_| f.read_exact(&mut checksum));
    }
    Ok((
        Summary {
            trees: 1 + TreeId::ALL.len(),
            entries,
            bytes,
            checksum: u32::from_be_bytes(checksum),
        },
        steps,
    ))
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
