//! The move of stores written with one shared table to one table per first byte, and the
//! version left in that table for older monkeys.

use super::write::{PENDING_BYTES, Writer};
use crate::engine::keys::meta;
use crate::engine::schema::TABLES_PER_KIND_VERSION;
use crate::error;
use crate::kv::KvWrite;
use monkey_core::store::StoreResult;
use redb::{ReadableTable, ReadableTableMetadata, TableDefinition, TableHandle, WriteTransaction};

/// The one table of stores written before the tables were split by first byte, and the only
/// one older monkeys read.
const SHARED_TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("monkey");

/// What [`split_shared_table`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Split {
    /// The store was split already: nothing to commit.
    Done,
    /// A new store: the version for older monkeys was written.
    Marked,
    /// The entries of an older store were moved, and the version written.
    Moved,
}

/// Moves every entry of the shared table of older stores into its first byte's table, in the
/// caller's transaction: a crash leaves the store as it was. Then leaves in the shared table
/// only the schema version of split stores, which older monkeys refuse as newer than theirs;
/// without it they would find the shared table empty and start a new store in it.
pub(super) fn split_shared_table(txn: &WriteTransaction, shown: &str) -> StoreResult<Split> {
    let exists = txn.list_tables().map_err(error::redb)?.any(|handle| handle.name() == SHARED_TABLE.name());
    let marker = TABLES_PER_KIND_VERSION.to_be_bytes();
    if exists {
        let shared = txn.open_table(SHARED_TABLE).map_err(error::redb)?;
        let version = shared.get(meta::SCHEMA_VERSION).map_err(error::redb)?.map(|v| v.value().to_vec());
        if shared.len().map_err(error::redb)? == 1 && version.as_deref() == Some(&marker[..]) {
            return Ok(Split::Done);
        }
    }
    let moved = exists && move_entries(txn, shown)?;
    let mut shared = txn.open_table(SHARED_TABLE).map_err(error::redb)?;
    shared.insert(meta::SCHEMA_VERSION, &marker[..]).map_err(error::redb)?;
    Ok(if moved { Split::Moved } else { Split::Marked })
}

/// Moves the entries of the shared table into their tables and empties it; returns whether it
/// held any.
fn move_entries(txn: &WriteTransaction, shown: &str) -> StoreResult<bool> {
    // About a minute for a million items: said before, so that a daemon that seems stuck at
    // its first start after an upgrade is not killed.
    tracing::info!(store = %shown, "moving the store to one table per kind of record (once, after an upgrade)");
    let mut moved = false;
    {
        let shared = txn.open_table(SHARED_TABLE).map_err(error::redb)?;
        let mut writer = Writer::new(txn, PENDING_BYTES);
        for entry in shared.iter().map_err(error::redb)? {
            let (key, value) = entry.map_err(error::redb)?;
            writer.put(key.value(), value.value())?;
            moved = true;
        }
        writer.apply()?;
    }
    txn.delete_table(SHARED_TABLE).map_err(error::redb)?;
    Ok(moved)
}
