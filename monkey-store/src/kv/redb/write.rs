//! Write transactions: changes held in key order, put in the tables as sorted runs.

use super::read::get;
use super::{Entries, byte_of, bytes_of, table_name};
use crate::error;
use crate::kv::{KvRead, KvWrite, Visit};
use monkey_core::store::StoreResult;
use redb::{AccessGuard, CursorError, ReadableTable, TableDefinition, WriteTransaction};
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

/// A write transaction. Its changes wait in memory, by table and in key order, until it commits
/// or they pass [`PENDING_BYTES`]; then each table takes them as sorted runs.
///
/// redb inserts a key by copying its leaf page with the key added, and splits a full leaf in
/// half; a run of new keys given to a cursor is spliced in as pages packed one after another. A
/// changeset's entries are long runs of new keys in each table (revisions, the items of one
/// account and technology, their issue sets and index entries).
pub(super) struct Writer<'t> {
    txn: &'t WriteTransaction,
    /// Indexed by first byte.
    tables: Vec<OnceCell<Entries<'t>>>,
    /// The changes not yet in the tables, indexed by first byte: a value, or `None` to delete.
    pending: Vec<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
    /// About how many bytes `pending` holds.
    pending_bytes: usize,
    /// How many bytes `pending` may hold.
    pending_limit: usize,
}

/// How many bytes of changes a transaction holds in memory before it puts them in the tables:
/// the largest changesets (a hundred thousand items) are written in a few steps, each still
/// long runs.
pub(super) const PENDING_BYTES: usize = 64 << 20;

impl<'t> Writer<'t> {
    pub(super) fn new(txn: &'t WriteTransaction, pending_limit: usize) -> Self {
        Self {
            txn,
            tables: (0..=u8::MAX).map(|_| OnceCell::new()).collect(),
            pending: (0..=u8::MAX).map(|_| BTreeMap::new()).collect(),
            pending_bytes: 0,
            pending_limit,
        }
    }

    /// The table of the keys that start with `byte`, opened (and created) on first use.
    fn table(&self, byte: u8) -> StoreResult<&Entries<'t>> {
        let cell = self.tables.get(usize::from(byte)).ok_or_else(|| unknown_table(byte))?;
        if cell.get().is_none() {
            let name = table_name(byte);
            let table = self.txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)).map_err(error::redb)?;
            // The cell is empty: this thread alone holds the writer, and checked just above.
            let _ = cell.set(table);
        }
        cell.get().ok_or_else(|| unknown_table(byte))
    }

    /// The table of `byte`, for a change.
    fn table_mut(&mut self, byte: u8) -> StoreResult<&mut Entries<'t>> {
        self.table(byte)?;
        self.tables.get_mut(usize::from(byte)).and_then(OnceCell::get_mut).ok_or_else(|| unknown_table(byte))
    }

    /// The pending changes of `byte`'s table.
    fn pending(&self, byte: u8) -> StoreResult<&BTreeMap<Vec<u8>, Option<Vec<u8>>>> {
        self.pending.get(usize::from(byte)).ok_or_else(|| unknown_table(byte))
    }

    /// Records a change of `key`, applying every pending change once they are many.
    fn change(&mut self, key: &[u8], value: Option<&[u8]>) -> StoreResult<()> {
        let pending = self.pending.get_mut(usize::from(byte_of(key))).ok_or_else(|| unknown_table(byte_of(key)))?;
        self.pending_bytes += key.len() + value.map_or(0, <[u8]>::len);
        pending.insert(key.to_vec(), value.map(<[u8]>::to_vec));
        if self.pending_bytes > self.pending_limit { self.apply() } else { Ok(()) }
    }

    /// Puts every pending change in its table.
    pub(super) fn apply(&mut self) -> StoreResult<()> {
        for byte in 0..=u8::MAX {
            let Some(pending) = self.pending.get_mut(usize::from(byte)) else { continue };
            if pending.is_empty() {
                continue;
            }
            let pending = std::mem::take(pending);
            apply(self.table_mut(byte)?, pending)?;
        }
        self.pending_bytes = 0;
        Ok(())
    }
}

/// Puts `pending` in `table`: new keys through a cursor, in runs that stop where the table
/// already has a key; changed and deleted keys one by one.
fn apply(table: &mut Entries<'_>, pending: BTreeMap<Vec<u8>, Option<Vec<u8>>>) -> StoreResult<()> {
    let mut existing = Vec::new();
    let mut changes = pending.into_iter().peekable();
    while let Some((key, value)) = changes.next() {
        let Some(value) = value else {
            existing.push((key, None));
            continue;
        };
        let mut run = table.lower_bound_mut(Bound::Included(key.as_slice())).map_err(error::redb)?;
        match run.insert_before(key.as_slice(), value.as_slice()) {
            Ok(()) => {}
            // The gap is just before the first key not below this one: it is this key.
            Err(CursorError::UnorderedKey) => existing.push((key, Some(value))),
            Err(e) => return Err(error::redb(e)),
        }
        while let Some((key, value)) = changes.peek() {
            match value {
                // Deletions wait for the end; the run goes on past them.
                None => {}
                Some(value) => match run.insert_before(key.as_slice(), value.as_slice()) {
                    Ok(()) => {}
                    // A key of the table lies between the run and this key, or is this key.
                    Err(CursorError::UnorderedKey) => break,
                    Err(e) => return Err(error::redb(e)),
                },
            }
            if let Some((key, None)) = changes.next() {
                existing.push((key, None));
            }
        }
        run.close().map_err(error::redb)?;
    }
    for (key, value) in existing {
        match value {
            Some(value) => table.insert(key.as_slice(), value.as_slice()).map(drop),
            None => table.remove(key.as_slice()).map(drop),
        }
        .map_err(error::redb)?;
    }
    Ok(())
}

/// A table that should have been opened but was not (the writer's table list is complete, so
/// this would be a bug, reported rather than panicking).
fn unknown_table(byte: u8) -> monkey_core::store::StoreError {
    error::backend(error::REDB, format!("the table of keys starting with byte {byte:#04x} is not open"), false)
}

impl KvRead for Writer<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        let byte = byte_of(key);
        match self.pending(byte)?.get(key) {
            Some(change) => Ok(change.clone()),
            None => get(self.table(byte)?, key),
        }
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        let bytes = match prefix.first() {
            Some(&byte) => vec![byte],
            None => {
                // Tables this transaction opened or has changes for count whether or not redb
                // lists them yet.
                let mut bytes = bytes_of(self.txn.list_tables().map_err(error::redb)?);
                let used = self.tables.iter().zip(&self.pending).zip(0..=u8::MAX);
                bytes.extend(
                    used.filter(|((cell, pending), _)| cell.get().is_some() || !pending.is_empty())
                        .map(|(_, byte)| byte),
                );
                bytes.sort_unstable();
                bytes.dedup();
                bytes
            }
        };
        for byte in bytes {
            if !scan_merged(self.table(byte)?, self.pending(byte)?, prefix, visit)? {
                break;
            }
        }
        Ok(())
    }
}

/// Visits the entries under `prefix` of `table` with `pending` applied; returns `false` once
/// `visit` asked to stop.
fn scan_merged(
    table: &Entries<'_>,
    pending: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    prefix: &[u8],
    visit: Visit<'_>,
) -> StoreResult<bool> {
    let mut stored = table.range(prefix..).map_err(error::redb)?;
    let mut changes = pending.range::<[u8], _>((Bound::Included(prefix), Bound::Unbounded));
    let mut stored_next = next_stored(&mut stored, prefix)?;
    let mut pending_next = changes.next().filter(|(k, _)| k.starts_with(prefix));
    loop {
        let order = match (&stored_next, pending_next) {
            (None, None) => return Ok(true),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((key, _)), Some((changed, _))) => key.value().cmp(changed.as_slice()),
        };
        let go_on = match (order, &stored_next, pending_next) {
            (Ordering::Less, Some((key, value)), _) => visit(key.value(), value.value())?,
            (_, _, Some((key, Some(value)))) => visit(key, value)?,
            _ => true,
        };
        if !go_on {
            return Ok(false);
        }
        if order != Ordering::Greater {
            stored_next = next_stored(&mut stored, prefix)?;
        }
        if order != Ordering::Less {
            pending_next = changes.next().filter(|(k, _)| k.starts_with(prefix));
        }
    }
}

/// The next entry of `stored` if it is under `prefix`.
#[allow(clippy::type_complexity)]
fn next_stored<'r>(
    stored: &mut redb::Range<'r, &'static [u8], &'static [u8]>,
    prefix: &[u8],
) -> StoreResult<Option<(AccessGuard<'r, &'static [u8]>, AccessGuard<'r, &'static [u8]>)>> {
    let entry = stored.next().transpose().map_err(error::redb)?;
    Ok(entry.filter(|(key, _)| key.value().starts_with(prefix)))
}

impl KvWrite for Writer<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.change(key, Some(value))
    }

    fn delete(&mut self, key: &[u8]) -> StoreResult<()> {
        self.change(key, None)
    }
}
