//! The sled backend of the key-value layer: one tree, writes buffered into a batch.
//!
//! sled's own transactions cannot scan a range, and the store's writes must (a changeset reads
//! an item's revisions, a deletion finds an account's items). So a write transaction here is a
//! buffer of pending puts and deletes that its reads overlay on the tree, applied with one
//! atomic `apply_batch` and made durable with `flush`. Writers take turns on a mutex; a
//! read-write lock around `apply_batch` gives readers a view that is never half a batch.

use super::{Kv, KvRead, KvWrite, Visit};
use crate::error;
use monkey_core::store::{StoreError, StoreResult};
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// A sled database holding the store.
pub(crate) struct SledKv {
    db: sled::Db,
    writer: Mutex<()>,
    applying: RwLock<()>,
}

impl SledKv {
    /// Opens (creating if needed) the database directory at `path`.
    pub(crate) fn open(path: &Path) -> StoreResult<Self> {
        let shown = path.display().to_string();
        // Every write is flushed before it returns, so sled's background flusher has nothing
        // to do; it also held the file lock for up to a flush interval after the last handle
        // was dropped, so that reopening a store at once could find it locked.
        let config = sled::Config::new().path(path).flush_every_ms(None);
        // sled's own threads can still hold the lock for a moment after the last handle of a
        // store is dropped, so a store reopened at once may find it held: a held lock is
        // waited for briefly before it is reported (another process keeps it for longer).
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match config.open() {
                Ok(db) => return Ok(Self { db, writer: Mutex::new(()), applying: RwLock::new(()) }),
                Err(e) => match error::sled_open(&shown, e) {
                    StoreError::Locked { .. } if Instant::now() < deadline => std::thread::sleep(LOCK_POLL),
                    error => return Err(error),
                },
            }
        }
    }
}

/// How long [`SledKv::open`] waits for a held lock.
const LOCK_WAIT: Duration = Duration::from_secs(1);
/// How often it tries again meanwhile.
const LOCK_POLL: Duration = Duration::from_millis(10);

/// Visits the tree's entries under `prefix`.
fn scan_tree(tree: &sled::Tree, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
    for entry in tree.scan_prefix(prefix) {
        let (key, value) = entry.map_err(error::sled)?;
        if !visit(&key, &value)? {
            break;
        }
    }
    Ok(())
}

struct Reader<'a> {
    tree: &'a sled::Tree,
}

impl KvRead for Reader<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.tree.get(key).map_err(error::sled)?.map(|v| v.to_vec()))
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        scan_tree(self.tree, prefix, visit)
    }
}

/// A write transaction: the tree plus pending changes (`None` = deleted).
struct Writer<'a> {
    tree: &'a sled::Tree,
    pending: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl KvRead for Writer<'_> {
    fn get(&self, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        match self.pending.get(key) {
            Some(pending) => Ok(pending.clone()),
            None => Ok(self.tree.get(key).map_err(error::sled)?.map(|v| v.to_vec())),
        }
    }

    fn scan(&self, prefix: &[u8], visit: Visit<'_>) -> StoreResult<()> {
        let mut stored = self.tree.scan_prefix(prefix).peekable();
        let mut pending = self
            .pending
            .range::<[u8], _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .peekable();
        loop {
            let Some(next) = merge_next(&mut stored, &mut pending)? else { return Ok(()) };
            if let (key, Some(value)) = next
                && !visit(&key, &value)?
            {
                return Ok(());
            }
        }
    }
}

type Entry = (Vec<u8>, Option<Vec<u8>>);

/// The next entry of the merge of the stored and pending entries; a pending one shadows a
/// stored one with the same key.
fn merge_next<'p>(
    stored: &mut Peekable<sled::Iter>,
    pending: &mut Peekable<impl Iterator<Item = (&'p Vec<u8>, &'p Option<Vec<u8>>)>>,
) -> StoreResult<Option<Entry>> {
    let stored_key = match stored.peek() {
        Some(Ok((key, _))) => Some(key.to_vec()),
        Some(Err(_)) => {
            return match stored.next() {
                Some(Err(e)) => Err(error::sled(e)),
                _ => Ok(None),
            };
        }
        None => None,
    };
    let take_pending = match (&stored_key, pending.peek()) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(s), Some((p, _))) => p.as_slice() <= s.as_slice(),
    };
    if take_pending {
        let Some((key, value)) = pending.next() else { return Ok(None) };
        if stored_key.as_deref() == Some(key.as_slice()) {
            stored.next();
        }
        return Ok(Some((key.clone(), value.clone())));
    }
    match stored.next() {
        Some(Ok((key, value))) => Ok(Some((key.to_vec(), Some(value.to_vec())))),
        Some(Err(e)) => Err(error::sled(e)),
        None => Ok(None),
    }
}

impl KvWrite for Writer<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.pending.insert(key.to_vec(), Some(value.to_vec()));
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> StoreResult<()> {
        self.pending.insert(key.to_vec(), None);
        Ok(())
    }
}

impl Kv for SledKv {
    fn read(&self, f: &mut dyn FnMut(&dyn KvRead) -> StoreResult<()>) -> StoreResult<()> {
        // The lock only guards consistency, so a poisoned one is still usable.
        let _view = self.applying.read().unwrap_or_else(PoisonError::into_inner);
        f(&Reader { tree: &self.db })
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn KvWrite) -> StoreResult<()>) -> StoreResult<()> {
        let _turn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let mut writer = Writer { tree: &self.db, pending: BTreeMap::new() };
        f(&mut writer)?;
        if writer.pending.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for (key, value) in writer.pending {
            match value {
                Some(value) => batch.insert(key, value),
                None => batch.remove(key),
            }
        }
        {
            let _applying = self.applying.write().unwrap_or_else(PoisonError::into_inner);
            self.db.apply_batch(batch).map_err(error::sled)?;
        }
        self.db.flush().map_err(error::sled)?;
        Ok(())
    }
}
