//! The redb backend of the key-value layer: one table of byte keys to byte values in one file.

use super::{Kv, KvRead, KvWrite, Visit};
use crate::error;
use monkey_core::store::StoreResult;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use std::path::Path;

/// The one table every record and index lives in, told apart by their keys' first byte.
const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("monkey");

/// The page cache of a database, in bytes. redb's default (1 GiB) would be most of the
/// daemon's memory; pages beyond this are read through the operating system's file cache,
/// which other processes can reclaim.
pub(crate) const CACHE_BYTES: usize = 256 << 20;

/// A redb database holding the store.
pub(crate) struct RedbKv {
    db: Database,
}

impl RedbKv {
    /// Opens (creating if needed) the database file at `path`.
    pub(crate) fn open(path: &Path) -> StoreResult<Self> {
        let shown = path.display().to_string();
        let db =
            Database::builder().set_cache_size(CACHE_BYTES).create(path).map_err(|e| error::redb_open(&shown, e))?;
        // Created up front so that read transactions can always open it.
        let txn = db.begin_write().map_err(error::redb)?;
        txn.open_table(TABLE).map_err(error::redb)?;
        txn.commit().map_err(error::redb)?;
        Ok(Self { db })
    }
}

/// Visits the entries of `table` under `prefix`.
fn scan<T: ReadableTable<&'static [u8], &'static [u8]>>(table: &T, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
    for entry in table.range(prefix..).map_err(error::redb)? {
        let (key, value) = entry.map_err(error::redb)?;
        let key = key.value();
        if !key.starts_with(prefix) || !visit(key, value.value())? {
            break;
        }
    }
    Ok(())
}

/// Reads one key of `table`.
fn get<T: ReadableTable<&'static [u8], &'static [u8]>>(table: &T, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
    Ok(table.get(key).map_err(error::redb)?.map(|v| v.value().to_vec()))
}

struct Reader {
    table: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
}

impl KvRead for Reader {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        get(&self.table, key)
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        scan(&self.table, prefix, visit)
    }
}

struct Writer<'t> {
    table: redb::Table<'t, &'static [u8], &'static [u8]>,
}

impl KvRead for Writer<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        get(&self.table, key)
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        scan(&self.table, prefix, visit)
    }
}

impl KvWrite for Writer<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.table.insert(key, value).map_err(error::redb)?;
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> StoreResult<()> {
        self.table.remove(key).map_err(error::redb)?;
        Ok(())
    }
}

impl Kv for RedbKv {
    fn read(&self, f: &mut dyn FnMut(&dyn KvRead) -> StoreResult<()>) -> StoreResult<()> {
        let txn = self.db.begin_read().map_err(error::redb)?;
        let table = txn.open_table(TABLE).map_err(error::redb)?;
        f(&Reader { table })
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn KvWrite) -> StoreResult<()>) -> StoreResult<()> {
        let mut txn = self.db.begin_write().map_err(error::redb)?;
        // Immediate is redb's default; it is what "durable when the future resolves" needs.
        txn.set_durability(Durability::Immediate).map_err(error::redb)?;
        {
            let table = txn.open_table(TABLE).map_err(error::redb)?;
            // On error the transaction is dropped, which aborts it.
            f(&mut Writer { table })?;
        }
        txn.commit().map_err(error::redb)
    }
}
