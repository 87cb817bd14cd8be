//! The export file: written to a private temporary file in the target's directory, synced, then
//! renamed over the target. Dropped without [`AtomicFile::commit`], the temporary file is removed,
//! so a cancelled or failed export leaves nothing behind.
//!
//! Only a regular file (or a new one) is replaced that way. A target that is a symbolic link is
//! followed, and the file it points to is replaced, not the link. A target that is not a regular
//! file (a device such as `/dev/null`, a named pipe, a terminal) is written to directly: renaming
//! over it would replace the device node with a file.

use crate::store::backup::WriteTarget;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct AtomicFile {
    path: PathBuf,
    /// The temporary file renamed over `path` on commit; None when `path` is written directly.
    tmp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Create the temporary file (mode 0600) next to `path` (see [`crate::store::backup::write_target`]), or open `path`
    /// itself when it is not a regular file.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = match crate::store::backup::write_target(path)? {
            WriteTarget::Replace(p) => p,
            WriteTarget::Direct(p) => {
                let f = std::fs::OpenOptions::new().write(true).open(&p)?;
                return Ok(AtomicFile {
                    path: p,
                    tmp: None,
                    file: Some(BufWriter::with_capacity(256 * 1024, f)),
                });
            }
        };
        let path = path.as_path();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut n = 0u32;
        loop {
            let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)
            {
                Ok(f) => {
                    return Ok(AtomicFile {
                        path: path.to_path_buf(),
                        tmp: Some(tmp),
                        file: Some(BufWriter::with_capacity(256 * 1024, f)),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Flush, fsync, rename over the target, fsync the directory.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(w) = self.file.take() else {
            return Err(io::Error::other("the export file was already closed"));
        };
        let f = w.into_inner().map_err(|e| e.into_error())?;
        let Some(tmp) = self.tmp.take() else {
            // Written directly (a device, a pipe): nothing to sync or rename.
            return Ok(());
        };
        f.sync_all()?;
        drop(f);
        if let Err(e) = std::fs::rename(&tmp, &self.path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        if let Some(d) = self.path.parent() {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            if let Ok(d) = File::open(d) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("the export file was already closed")),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(buf),
            None => Err(io::Error::other("the export file was already closed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        self.file.take();
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
