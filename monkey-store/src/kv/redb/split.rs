//! The move of stores written with one shared table to one table per first byte.

use super::write::{PENDING_BYTES, Writer};
use crate::error;
use crate::kv::KvWrite;
use monkey_core::store::StoreResult;
use redb::{ReadableTable, TableDefinition, TableHandle, WriteTransaction};

/// The one table of stores written before the tables were split by first byte.
const SHARED_TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("monkey");

/// Moves every entry of the shared table of older stores into its first byte's table and
/// deletes the shared table, in the caller's transaction: a crash leaves the store as it was.
/// Returns whether there was a shared table.
pub(super) fn split_shared_table(txn: &WriteTransaction, shown: &str) -> StoreResult<bool> {
    if !txn.list_tables().map_err(error::redb)?.any(|handle| handle.name() == SHARED_TABLE.name()) {
        return Ok(false);
    }
    // About a minute for a million items: said before, so that a daemon that seems stuck at
    // its first start after an upgrade is not killed.
    tracing::info!(store = %shown, "moving the store to one table per kind of record (once, after an upgrade)");
    {
        let shared = txn.open_table(SHARED_TABLE).map_err(error::redb)?;
        let mut writer = Writer::new(txn, PENDING_BYTES);
        for entry in shared.iter().map_err(error::redb)? {
            let (key, value) = entry.map_err(error::redb)?;
            writer.put(key.value(), value.value())?;
        }
        writer.apply()?;
    }
    txn.delete_table(SHARED_TABLE).map_err(error::redb)?;
    Ok(true)
}
