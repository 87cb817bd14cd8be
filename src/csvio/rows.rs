//! Row encoding for exports: cells written straight into a byte buffer, exactly as the csv crate
//! writes them with `QuoteStyle::Necessary` and CRLF (what import reads), plus the formula guard,
//! list cells and partner names.
//!
//! A cell is quoted when it holds the delimiter, a double quote, CR or LF; a double quote inside
//! is doubled; a row with no bytes at all is written as `""`. Numbers, ISO dates and id lists
//! never need quotes or the guard, so they are written without looking at them again.

use super::cell::{join_list, needs_guard, push_item};
use super::columns::Column;
use super::export::call;
use super::labels::{Label, bool_cell};
use super::{ExportError, ExportOptions, LIST_SEPARATOR};
use crate::client::Client;
use crate::domain::{EntityKind, Id};
use crate::i18n::Lang;
use crate::service::{AnyRecord, Request, Response};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;

/// Encodes the rows of one dataset into [`Rows::bytes`].
pub(super) struct Rows<'a> {
    /// Encoded rows (and the BOM and header) not yet handed on.
    pub bytes: Vec<u8>,
    cells: Cells,
    pub lang: Option<Lang>,
    /// Scratch space for list cells.
    buf: String,
    /// Rows finished so far.
    pub count: usize,
    pub names: Names,
    client: &'a dyn Client,
}

/// How cells are written, and where the writing stands.
#[derive(Clone, Copy)]
struct Cells {
    /// Where the current row starts in the bytes.
    row_start: usize,
    delimiter: u8,
    cols: &'static [Column],
    /// The index of the next cell in the row.
    col: usize,
    guard: bool,
}

impl Cells {
    /// Append one cell: the delimiter before it, an apostrophe first when `guarded`, quotes when
    /// needed.
    fn cell(&mut self, out: &mut Vec<u8>, guarded: bool, s: &str) {
        if self.col > 0 {
            out.push(self.delimiter);
        }
        self.col += 1;
        let s = s.as_bytes();
        if needs_quotes(s, self.delimiter) {
            out.push(b'"');
            if guarded {
                out.push(b'\'');
            }
            let mut parts = s.split(|&b| b == b'"');
            if let Some(first) = parts.next() {
                out.extend_from_slice(first);
            }
            for part in parts {
                out.extend_from_slice(b"\"\"");
                out.extend_from_slice(part);
            }
            out.push(b'"');
        } else {
            if guarded {
                out.push(b'\'');
            }
            out.extend_from_slice(s);
        }
    }

    /// A text cell (guarded unless the column is numeric).
    fn text(&mut self, out: &mut Vec<u8>, s: &str) {
        let numeric = self.cols.get(self.col).is_some_and(|c| c.numeric);
        let guarded = self.guard && !numeric && needs_guard(s);
        self.cell(out, guarded, s);
    }

    /// Start a cell known to need neither quotes nor the guard (digits, ISO dates, id lists).
    fn plain(&mut self, out: &mut Vec<u8>) {
        if self.col > 0 {
            out.push(self.delimiter);
        }
        self.col += 1;
    }

    /// End the row.
    fn terminate(&mut self, out: &mut Vec<u8>) {
        if out.len() == self.row_start {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(b"\r\n");
        self.row_start = out.len();
        self.col = 0;
    }
}

impl<'a> Rows<'a> {
    pub fn new(client: &'a dyn Client, cols: &'static [Column], opts: &ExportOptions) -> Rows<'a> {
        Rows {
            bytes: Vec::with_capacity(64 * 1024),
            cells: Cells {
                row_start: 0,
                delimiter: opts.dialect.delimiter(),
                cols,
                col: 0,
                guard: opts.guard_formulas,
            },
            lang: opts.naming.lang(),
            buf: String::with_capacity(256),
            count: 0,
            names: Names::default(),
            client,
        }
    }

    /// An encoder with the same settings and known partner names, and nothing written yet (for
    /// another thread).
    pub fn fork(&self) -> Rows<'a> {
        Rows {
            bytes: Vec::with_capacity(64 * 1024),
            cells: Cells {
                row_start: 0,
                col: 0,
                ..self.cells
            },
            lang: self.lang,
            buf: String::with_capacity(256),
            count: 0,
            names: self.names.clone(),
            client: self.client,
        }
    }

    /// Raw bytes before the header (the BOM).
    pub fn preamble(&mut self, b: &[u8]) {
        self.bytes.extend_from_slice(b);
        self.cells.row_start = self.bytes.len();
    }

    /// The header row: the column names, quoted when needed but never guarded.
    pub fn header(&mut self) {
        for c in self.cells.cols {
            self.cells.cell(&mut self.bytes, false, c.header(self.lang));
        }
        self.cells.terminate(&mut self.bytes);
    }

    /// Forget the encoded bytes (they were handed on), keeping the buffer.
    pub fn clear_bytes(&mut self) {
        self.bytes.clear();
        self.cells.row_start = 0;
    }

    /// Take the encoded bytes, leaving `replacement` (emptied) in their place.
    pub fn take_bytes(&mut self, mut replacement: Vec<u8>) -> Vec<u8> {
        replacement.clear();
        self.cells.row_start = 0;
        std::mem::replace(&mut self.bytes, replacement)
    }

    /// End the row and count it.
    pub fn finish_row(&mut self) {
        self.cells.terminate(&mut self.bytes);
        self.count += 1;
    }

    /// A text cell (guarded unless the column is numeric).
    pub fn text(&mut self, s: &str) -> Result<(), ExportError> {
        self.cells.text(&mut self.bytes, s);
        Ok(())
    }
    /// The cell in `self.buf`, then clear it.
    fn flush_buf(&mut self) -> Result<(), ExportError> {
        self.cells.text(&mut self.bytes, &self.buf);
        self.buf.clear();
        Ok(())
    }
    pub fn num(&mut self, n: u64) -> Result<(), ExportError> {
        self.cells.plain(&mut self.bytes);
        push_u64(&mut self.bytes, n);
        Ok(())
    }
    pub fn opt_num(&mut self, n: Option<u8>) -> Result<(), ExportError> {
        match n {
            Some(n) => self.num(u64::from(n)),
            None => self.text(""),
        }
    }
    pub fn date(&mut self, d: NaiveDate) -> Result<(), ExportError> {
        match u16::try_from(d.year()) {
            Ok(y) if y <= 9999 => {
                self.cells.plain(&mut self.bytes);
                let out = &mut self.bytes;
                push_digits(out, u32::from(y), 4);
                out.push(b'-');
                push_digits(out, d.month(), 2);
                out.push(b'-');
                push_digits(out, d.day(), 2);
                Ok(())
            }
            // Other years (possible, never typed) take the general path, guard included.
            _ => {
                let _ = write!(self.buf, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
                self.flush_buf()
            }
        }
    }
    pub fn opt_date(&mut self, d: Option<NaiveDate>) -> Result<(), ExportError> {
        match d {
            Some(d) => self.date(d),
            None => self.text(""),
        }
    }
    pub fn en<E: Label>(&mut self, e: E) -> Result<(), ExportError> {
        self.text(e.cell(self.lang))
    }
    pub fn list<S: AsRef<str>>(&mut self, items: &[S]) -> Result<(), ExportError> {
        join_list(&mut self.buf, items);
        self.flush_buf()
    }
    pub fn en_list<E: Label>(&mut self, items: &[E]) -> Result<(), ExportError> {
        for (i, e) in items.iter().enumerate() {
            push_item(&mut self.buf, i == 0, e.cell(self.lang));
        }
        self.flush_buf()
    }
    pub fn yes_no(&mut self, b: bool) -> Result<(), ExportError> {
        self.text(bool_cell(b, self.lang))
    }
    pub fn ids(&mut self, ids: &[Id]) -> Result<(), ExportError> {
        self.cells.plain(&mut self.bytes);
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.bytes.extend_from_slice(LIST_SEPARATOR.as_bytes());
            }
            push_u64(&mut self.bytes, id.0);
        }
        Ok(())
    }
    pub fn partner_names(&mut self, ids: &[Id]) -> Result<(), ExportError> {
        if let [id] = ids {
            // One partner: the cell is the name itself unless it has characters to escape.
            let (name, plain) = self.names.get(self.client, *id)?;
            if plain {
                self.cells.text(&mut self.bytes, name);
                return Ok(());
            }
        }
        for (i, id) in ids.iter().enumerate() {
            let (name, plain) = self.names.get(self.client, *id)?;
            if plain {
                if i > 0 {
                    self.buf.push_str(LIST_SEPARATOR);
                }
                self.buf.push_str(name);
            } else {
                push_item(&mut self.buf, i == 0, name);
            }
        }
        self.flush_buf()
    }
    pub fn partner_name(&mut self, id: Id) -> Result<(), ExportError> {
        let (name, _) = self.names.get(self.client, id)?;
        self.cells.text(&mut self.bytes, name);
        Ok(())
    }
}

/// Partner names by id, fetched once each, packed together so that looking one up touches
/// little memory (an export looks one up per row).
#[derive(Default, Clone)]
pub(super) struct Names {
    /// Every name, one after another.
    text: String,
    /// For ids `base..base + dense.len()`: where the name lies in `text`.
    base: u64,
    dense: Vec<Slot>,
    /// The other ids.
    sparse: HashMap<Id, Slot, BuildHasherDefault<IdHasher>>,
    /// Names too far into `text` for a slot (beyond 4 GiB of names: never in practice).
    big: HashMap<Id, String, BuildHasherDefault<IdHasher>>,
}

/// Where a name lies in [`Names::text`]: its start, and its length shifted left by two with
/// "plain" (nothing to escape in a list cell) in bit 1 and "known" in bit 0.
#[derive(Default, Clone, Copy)]
struct Slot {
    start: u32,
    meta: u32,
}

impl Names {
    /// Remember many names at once; when their ids are close together they get a direct table.
    pub fn insert_all(&mut self, names: Vec<(Id, String)>) {
        if let (Some(lo), Some(hi)) = (
            names.iter().map(|(id, _)| id.0).min(),
            names.iter().map(|(id, _)| id.0).max(),
        ) && self.dense.is_empty()
            && (hi - lo) / 4 <= names.len() as u64 + 1024
            && let Ok(len) = usize::try_from(hi - lo + 1)
        {
            self.base = lo;
            self.dense = vec![Slot::default(); len];
        }
        for (id, name) in names {
            self.insert(id, name);
        }
    }

    pub fn insert(&mut self, id: Id, name: String) {
        let plain = !name.bytes().any(|b| b == b'|' || b == b'\\');
        let slot = match (
            u32::try_from(self.text.len()),
            u32::try_from(name.len()).ok().filter(|n| *n < 1 << 30),
        ) {
            (Ok(start), Some(len)) => Slot {
                start,
                meta: len << 2 | u32::from(plain) << 1 | 1,
            },
            _ => {
                self.big.insert(id, name);
                return;
            }
        };
        self.text.push_str(&name);
        match self.dense_index(id) {
            Some(i) => self.dense[i] = slot,
            None => {
                self.sparse.insert(id, slot);
            }
        }
    }

    fn dense_index(&self, id: Id) -> Option<usize> {
        let i = usize::try_from(id.0.checked_sub(self.base)?).ok()?;
        (i < self.dense.len()).then_some(i)
    }

    fn slot(&self, id: Id) -> Slot {
        match self.dense_index(id) {
            Some(i) => self.dense[i],
            None => self.sparse.get(&id).copied().unwrap_or_default(),
        }
    }

    /// The name (empty for a partner that does not exist) and whether it is plain.
    fn get(&mut self, client: &dyn Client, id: Id) -> Result<(&str, bool), ExportError> {
        let mut slot = self.slot(id);
        if slot.meta & 1 == 0 && !self.big.contains_key(&id) {
            let name = match call(
                client,
                Request::Get {
                    kind: EntityKind::Partner,
                    id,
                },
            )? {
                Response::Record(AnyRecord::Partner(r)) => r.data.name,
                _ => String::new(),
            };
            self.insert(id, name);
            slot = self.slot(id);
        }
        if slot.meta & 1 == 0 {
            let name = self.big.get(&id).map_or("", String::as_str);
            return Ok((name, !name.bytes().any(|b| b == b'|' || b == b'\\')));
        }
        let (start, len) = (slot.start as usize, (slot.meta >> 2) as usize);
        let name = self.text.get(start..start + len).unwrap_or("");
        Ok((name, slot.meta & 2 != 0))
    }
}

/// A cheap hasher for record ids (our own keys: nothing to defend against).
#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Whether the csv crate would quote this cell: it holds the delimiter, a double quote, CR or LF.
fn needs_quotes(s: &[u8], delimiter: u8) -> bool {
    let special = |b: u8| (b == delimiter) | (b == b'"') | (b == b'\r') | (b == b'\n');
    // Whole chunks without an early exit, so the compiler can compare many bytes at once.
    let mut chunks = s.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |acc, &b| acc | special(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| special(b))
}

/// Append `n` in decimal.
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Append `n` as exactly `width` decimal digits (`n` must fit).
fn push_digits(out: &mut Vec<u8>, n: u32, width: u32) {
    let mut p = 10u32.pow(width.saturating_sub(1));
    while p > 0 {
        out.push(b'0' + ((n / p) % 10) as u8);
        p /= 10;
    }
}

#[cfg(test)]
mod tests;
