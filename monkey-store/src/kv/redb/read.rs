//! Read transactions, and reading one table.

use super::{ReadEntries, byte_of, bytes_of, table_name};
use crate::error;
use crate::kv::{KvRead, Visit};
use monkey_core::store::StoreResult;
use redb::{ReadTransaction, ReadableTable, TableDefinition, TableError};
use std::cell::OnceCell;

/// Visits the entries of `table` under `prefix`; returns `false` once `visit` asked to stop.
pub(super) fn scan<T: ReadableTable<&'static [u8], &'static [u8]>>(
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
pub(super) fn get<T: ReadableTable<&'static [u8], &'static [u8]>>(
    table: &T,
    key: &[u8],
) -> StoreResult<Option<Vec<u8>>> {
    Ok(table.get(key).map_err(error::redb)?.map(|v| v.value().to_vec()))
}

/// A read transaction, with the tables it has opened so far.
pub(super) struct Reader {
    txn: ReadTransaction,
    /// Indexed by first byte; `Some(None)` is a table that does not exist.
    tables: Vec<OnceCell<Option<ReadEntries>>>,
}

impl Reader {
    pub(super) fn new(txn: ReadTransaction) -> Self {
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
