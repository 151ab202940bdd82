//! The redb backend of the key-value layer: one redb table per first byte of the keys, in one
//! file.
//!
//! The store's keys start with the byte of the record or index they belong to. Each of those
//! gets its own redb table, that is its own B-tree: revisions, numbered in ascending order,
//! are then appended at the end of their tree, where redb leaves each leaf nearly full (88% of
//! a page, measured). In one shared tree the revisions were a run of keys in its middle, where
//! every split leaves a half-empty page behind (57% full over a store of a million items),
//! and every commit wrote those emptier pages.

use super::{Kv, KvRead, KvWrite, Visit};
use crate::error;
use monkey_core::store::StoreResult;
use redb::{
    Database, Durability, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, TableError, TableHandle,
    WriteTransaction,
};
use std::cell::OnceCell;
use std::path::Path;

/// The page cache of a database, in bytes. redb's default (1 GiB) would be most of the
/// daemon's memory; pages beyond this are read through the operating system's file cache,
/// which other processes can reclaim.
pub(crate) const CACHE_BYTES: usize = 256 << 20;

/// The one table of stores written before the tables were split by first byte.
const SHARED_TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("monkey");

/// The prefix of the name of each first byte's table (the byte follows in two hex digits).
const TABLE_PREFIX: &str = "monkey-";

/// A table open for writing.
type Entries<'t> = redb::Table<'t, &'static [u8], &'static [u8]>;
/// A table open for reading.
type ReadEntries = redb::ReadOnlyTable<&'static [u8], &'static [u8]>;

/// The name of the table of the keys that start with `byte`.
fn table_name(byte: u8) -> String {
    format!("{TABLE_PREFIX}{byte:02x}")
}

/// The first byte whose table `name` is, if it is one of them.
fn table_byte(name: &str) -> Option<u8> {
    let hex = name.strip_prefix(TABLE_PREFIX)?;
    if hex.len() != 2 { None } else { u8::from_str_radix(hex, 16).ok() }
}

/// The first byte of `key`: the table it lives in (the empty key lives in table 0).
fn byte_of(key: &[u8]) -> u8 {
    key.first().copied().unwrap_or(0)
}

/// The first bytes with a table among `names`, in ascending order.
fn bytes_of(names: impl Iterator<Item = impl TableHandle>) -> Vec<u8> {
    let mut bytes: Vec<u8> = names.filter_map(|handle| table_byte(handle.name())).collect();
    bytes.sort_unstable();
    bytes
}

/// A redb database holding the store.
pub(crate) struct RedbKv {
    db: Database,
}

impl RedbKv {
    /// Opens (creating if needed) the database file at `path`, moving the entries of a store
    /// written with one shared table into one table per first byte.
    pub(crate) fn open(path: &Path) -> StoreResult<Self> {
        let shown = path.display().to_string();
        let mut db =
            Database::builder().set_cache_size(CACHE_BYTES).create(path).map_err(|e| error::redb_open(&shown, e))?;
        let txn = db.begin_write().map_err(error::redb)?;
        let started = std::time::Instant::now();
        let split = split_shared_table(&txn, &shown)?;
        txn.commit().map_err(error::redb)?;
        if split {
            // The shared table's pages are free but still in the file, which would stay twice
            // the size of the store until new writes reused them.
            db.compact().map_err(error::redb)?;
            tracing::info!(store = %shown, elapsed = ?started.elapsed(), "the store has one table per kind of record now");
        }
        Ok(Self { db })
    }
}

/// Moves every entry of the shared table of older stores into its first byte's table and
/// deletes the shared table, in the caller's transaction: a crash leaves the store as it was.
/// Returns whether there was a shared table.
fn split_shared_table(txn: &WriteTransaction, shown: &str) -> StoreResult<bool> {
    if !txn.list_tables().map_err(error::redb)?.any(|handle| handle.name() == SHARED_TABLE.name()) {
        return Ok(false);
    }
    // About a minute for a million items: said before, so that a daemon that seems stuck at
    // its first start after an upgrade is not killed.
    tracing::info!(store = %shown, "moving the store to one table per kind of record (once, after an upgrade)");
    {
        let shared = txn.open_table(SHARED_TABLE).map_err(error::redb)?;
        let mut writer = Writer::new(txn);
        // In key order, so each table's entries are appended and its leaves packed.
        for entry in shared.iter().map_err(error::redb)? {
            let (key, value) = entry.map_err(error::redb)?;
            writer.put(key.value(), value.value())?;
        }
    }
    txn.delete_table(SHARED_TABLE).map_err(error::redb)?;
    Ok(true)
}

/// Visits the entries of `table` under `prefix`; returns `false` once `visit` asked to stop.
fn scan<T: ReadableTable<&'static [u8], &'static [u8]>>(
    table: &T,
    prefix: &[u8],
    visit: Visit<'_>,
) -> StoreResult<bool> {
    for entry in table.range(prefix..).map_err(error::redb)? {
        let (key, value) = entry.map_err(error::redb)?;
        let key = key.value();
        if !key.starts_with(prefix) {
            break;
        }
        if !visit(key, value.value())? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Reads one key of `table`.
fn get<T: ReadableTable<&'static [u8], &'static [u8]>>(table: &T, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
    Ok(table.get(key).map_err(error::redb)?.map(|v| v.value().to_vec()))
}

/// A read transaction, with the tables it has opened so far.
struct Reader {
    txn: ReadTransaction,
    /// Indexed by first byte; `Some(None)` is a table that does not exist.
    tables: Vec<OnceCell<Option<ReadEntries>>>,
}

impl Reader {
    fn new(txn: ReadTransaction) -> Self {
        Self { txn, tables: (0..=u8::MAX).map(|_| OnceCell::new()).collect() }
    }

    /// The table of the keys that start with `byte`, unless no key ever did.
    fn table(&self, byte: u8) -> StoreResult<Option<&ReadEntries>> {
        let Some(cell) = self.tables.get(usize::from(byte)) else { return Ok(None) };
        if let Some(table) = cell.get() {
            return Ok(table.as_ref());
        }
        let name = table_name(byte);
        let table = match self.txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)) {
            Ok(table) => Some(table),
            Err(TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(error::redb(e)),
        };
        Ok(cell.get_or_init(|| table).as_ref())
    }
}

impl KvRead for Reader {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        match self.table(byte_of(key))? {
            Some(table) => get(table, key),
            None => Ok(None),
        }
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        let bytes = match prefix.first() {
            Some(&byte) => vec![byte],
            None => bytes_of(self.txn.list_tables().map_err(error::redb)?),
        };
        for byte in bytes {
            if let Some(table) = self.table(byte)?
                && !scan(table, prefix, visit)?
            {
                break;
            }
        }
        Ok(())
    }
}

/// A write transaction, with the tables it has opened so far (opening one creates it).
struct Writer<'t> {
    txn: &'t WriteTransaction,
    /// Indexed by first byte.
    tables: Vec<OnceCell<Entries<'t>>>,
}

impl<'t> Writer<'t> {
    fn new(txn: &'t WriteTransaction) -> Self {
        Self { txn, tables: (0..=u8::MAX).map(|_| OnceCell::new()).collect() }
    }

    /// The table of the keys that start with `byte`, opened (and created) on first use.
    fn table(&self, byte: u8) -> StoreResult<&OnceCell<Entries<'t>>> {
        let cell = self.tables.get(usize::from(byte)).ok_or_else(|| unknown_table(byte))?;
        if cell.get().is_none() {
            let name = table_name(byte);
            let table = self.txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)).map_err(error::redb)?;
            // The cell is empty: this thread alone holds the writer, and checked just above.
            let _ = cell.set(table);
        }
        Ok(cell)
    }

    /// The table of `byte`, for a change.
    fn table_mut(&mut self, byte: u8) -> StoreResult<&mut Entries<'t>> {
        self.table(byte)?;
        self.tables.get_mut(usize::from(byte)).and_then(OnceCell::get_mut).ok_or_else(|| unknown_table(byte))
    }
}

/// A table that should have been opened but was not (the writer's table list is complete, so
/// this would be a bug, reported rather than panicking).
fn unknown_table(byte: u8) -> monkey_core::store::StoreError {
    error::backend(error::REDB, format!("the table of keys starting with byte {byte:#04x} is not open"), false)
}

impl KvRead for Writer<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        match self.table(byte_of(key))?.get() {
            Some(table) => get(table, key),
            None => Err(unknown_table(byte_of(key))),
        }
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        let bytes = match prefix.first() {
            Some(&byte) => vec![byte],
            None => {
                // The tables this transaction opened count whether or not redb lists them yet.
                let opened = self.tables.iter().zip(0..=u8::MAX).filter(|(cell, _)| cell.get().is_some());
                let mut bytes = bytes_of(self.txn.list_tables().map_err(error::redb)?);
                bytes.extend(opened.map(|(_, byte)| byte));
                bytes.sort_unstable();
                bytes.dedup();
                bytes
            }
        };
        for byte in bytes {
            let table = self.table(byte)?.get().ok_or_else(|| unknown_table(byte))?;
            if !scan(table, prefix, visit)? {
                break;
            }
        }
        Ok(())
    }
}

impl KvWrite for Writer<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.table_mut(byte_of(key))?.insert(key, value).map_err(error::redb)?;
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> StoreResult<()> {
        self.table_mut(byte_of(key))?.remove(key).map_err(error::redb)?;
        Ok(())
    }
}

impl Kv for RedbKv {
    fn read(&self, f: &mut dyn FnMut(&dyn KvRead) -> StoreResult<()>) -> StoreResult<()> {
        let txn = self.db.begin_read().map_err(error::redb)?;
        f(&Reader::new(txn))
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn KvWrite) -> StoreResult<()>) -> StoreResult<()> {
        let mut txn = self.db.begin_write().map_err(error::redb)?;
        // Immediate is redb's default; it is what "durable when the future resolves" needs.
        txn.set_durability(Durability::Immediate).map_err(error::redb)?;
        // On error the transaction is dropped, which aborts it; the writer's tables borrow the
        // transaction, so they are closed before it commits.
        f(&mut Writer::new(&txn))?;
        txn.commit().map_err(error::redb)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::kv::KvRead;

    #[test]
    fn tables_are_named_by_first_byte() {
        assert_eq!(table_name(0x30), "monkey-30");
        assert_eq!(table_byte("monkey-30"), Some(0x30));
        assert_eq!(table_byte("monkey-ff"), Some(0xff));
        for other in ["monkey", "monkey-", "monkey-3", "monkey-300", "monkey-zz", "other-30"] {
            assert_eq!(table_byte(other), None, "{other}");
        }
    }

    #[test]
    fn a_scan_of_every_key_crosses_tables_in_key_order() {
        let dir = tempfile::tempdir().unwrap();
        let kv: &dyn Kv = &RedbKv::open(&dir.path().join("kv.redb")).unwrap();
        let keys = |r: &dyn KvRead| r.keys(b"").unwrap();
        let inside = kv
            .write_with(|w| {
                for key in [&b"\x30b"[..], b"\x10a", b"", b"\x30a", b"\xff"] {
                    w.put(key, b"v")?;
                }
                // Tables created by this transaction, before it commits.
                Ok(keys(w))
            })
            .unwrap();
        let expected: Vec<Vec<u8>> = [&b""[..], b"\x10a", b"\x30a", b"\x30b", b"\xff"].map(<[u8]>::to_vec).into();
        assert_eq!(inside, expected);
        assert_eq!(kv.read_with(|r| Ok(keys(r))).unwrap(), expected);
        // Once committed, a later transaction finds them without having opened them.
        assert_eq!(kv.write_with(|w| Ok(keys(w))).unwrap(), expected);
        assert_eq!(kv.read_with(|r| r.get(b"\x10a")).unwrap().as_deref(), Some(&b"v"[..]));
        assert_eq!(kv.read_with(|r| r.get(b"\x11a")).unwrap(), None, "a table never written reads as empty");
    }
}
