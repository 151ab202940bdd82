//! Read transactions, and reading one table.

use super::{ReadEntries, byte_of, bytes_of, table_name};
use crate::error;
use crate::kv::{KvRead, Visit};
use monkey_core::store::{StoreError, StoreResult};
use redb::{ReadTransaction, ReadableTable, TableDefinition, TableError};
use std::cell::RefCell;
use std::rc::Rc;

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
    /// By first byte; `None` is a table that does not exist. A read opens one or two, so a
    /// short list searched in order costs less than a slot for each of the 256 bytes.
    tables: RefCell<Vec<(u8, Option<Rc<ReadEntries>>)>>,
}

impl Reader {
    pub(super) fn new(txn: ReadTransaction) -> Self {
        Self { txn, tables: RefCell::new(Vec::new()) }
    }

    /// The table of the keys that start with `byte`, unless no key ever did.
    fn table(&self, byte: u8) -> StoreResult<Option<Rc<ReadEntries>>> {
        let opened = self.tables.try_borrow().map_err(|_| busy())?;
        if let Some((_, table)) = opened.iter().find(|(b, _)| *b == byte) {
            return Ok(table.clone());
        }
        drop(opened);
        let name = table_name(byte);
        let table = match self.txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)) {
            Ok(table) => Some(Rc::new(table)),
            Err(TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(error::redb(e)),
        };
        self.tables.try_borrow_mut().map_err(|_| busy())?.push((byte, table.clone()));
        Ok(table)
    }
}

/// The list of open tables in use while it is changed (every borrow of it ends within
/// [`Reader::table`], so this would be a bug, reported rather than panicking).
fn busy() -> StoreError {
    error::backend(error::REDB, "the read transaction's list of tables is in use", false)
}

impl KvRead for Reader {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        match self.table(byte_of(key))? {
            Some(table) => get(table.as_ref(), key),
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
                && !scan(table.as_ref(), prefix, visit)?
            {
                break;
            }
        }
        Ok(())
    }
}
