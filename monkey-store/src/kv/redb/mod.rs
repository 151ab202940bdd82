//! The redb backend of the key-value layer: one redb table per first byte of the keys, in one
//! file.
//!
//! The store's keys start with the byte of the record or index they belong to, and each of
//! those has its own redb table, that is its own B-tree; a write transaction puts its changes
//! in each table as sorted runs (see [`mod@write`]). Revisions, numbered in ascending order, are
//! appended at the end of their tree, and an account's new items, index entries and issue sets
//! are runs of new keys, which redb packs into full pages. A store of a million items keeps its
//! leaves 83% to 92% full this way, against 57% when every record shared one tree and took its
//! keys one by one (a leaf split in half at each overflow), and commits write that much less.

mod read;
mod split;
mod write;

use super::{Kv, KvRead, KvWrite};
use crate::error;
use monkey_core::store::StoreResult;
use read::Reader;
use redb::{Database, Durability, ReadableDatabase, TableHandle};
use split::{Split, split_shared_table};
use std::path::Path;
use write::{PENDING_BYTES, Writer};

/// The page cache of a database, in bytes. redb's default (1 GiB) would be most of the
/// daemon's memory; pages beyond this are read through the operating system's file cache,
/// which other processes can reclaim.
pub(crate) const CACHE_BYTES: usize = 256 << 20;

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
    /// How many bytes of changes a write transaction holds before it applies them.
    pending_limit: usize,
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
        if split == Split::Done {
            // Nothing written: no commit, so no sync of the file at every start.
            txn.abort().map_err(error::redb)?;
            return Ok(Self { db, pending_limit: PENDING_BYTES });
        }
        txn.commit().map_err(error::redb)?;
        if split == Split::Moved {
            // The shared table's pages are free but still in the file, which would stay twice
            // the size of the store until new writes reused them.
            db.compact().map_err(error::redb)?;
            tracing::info!(store = %shown, elapsed = ?started.elapsed(), "the store has one table per kind of record now");
        }
        Ok(Self { db, pending_limit: PENDING_BYTES })
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
        let mut writer = Writer::new(&txn, self.pending_limit);
        f(&mut writer)?;
        writer.apply()?;
        drop(writer);
        txn.commit().map_err(error::redb)
    }
}

#[cfg(test)]
mod tests;
