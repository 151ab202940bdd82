//! The outbox: entries by message id, with indexes of the waiting ones by due time, of all by
//! queue time (newest first) and of the finished ones by finish time (for pruning).

use super::keys::{Key, Reader, table};
use super::records;
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{OUTBOX_KEPT, OutboxEntry, OutboxState, Timestamp};
use monkey_core::store::{StoreError, StoreResult};

fn entry_key(id: &str) -> Key {
    Key::new(table::OUTBOX).str(id)
}

fn due_key(entry: &OutboxEntry) -> Key {
    Key::new(table::OUTBOX_DUE).time(entry.next_attempt_at).str(&entry.message.id)
}

fn by_time_key(entry: &OutboxEntry) -> Key {
    Key::new(table::OUTBOX_BY_TIME).time_desc(entry.queued_at).str(&entry.message.id)
}

fn done_key(entry: &OutboxEntry) -> Key {
    Key::new(table::OUTBOX_DONE).time(entry.next_attempt_at).str(&entry.message.id)
}

/// Writes `entry`'s record and the index entries of its state.
fn index(w: &mut dyn KvWrite, entry: &OutboxEntry) -> StoreResult<()> {
    records::put(w, entry_key(&entry.message.id).as_ref(), entry)?;
    w.put(by_time_key(entry).as_ref(), &[])?;
    match entry.state {
        OutboxState::Waiting => w.put(due_key(entry).as_ref(), &[]),
        OutboxState::Delivered | OutboxState::Abandoned => w.put(done_key(entry).as_ref(), &[]),
    }
}

/// Removes `entry`'s state index entries (the record and queue-time entry stay).
fn unindex_state(w: &mut dyn KvWrite, entry: &OutboxEntry) -> StoreResult<()> {
    match entry.state {
        OutboxState::Waiting => w.delete(due_key(entry).as_ref()),
        OutboxState::Delivered | OutboxState::Abandoned => w.delete(done_key(entry).as_ref()),
    }
}

/// Queues the entries whose id is new; returns how many.
pub(crate) fn enqueue(w: &mut dyn KvWrite, entries: &[OutboxEntry]) -> StoreResult<usize> {
    let mut added = 0;
    for entry in entries {
        if entry.message.id.is_empty() {
            return Err(StoreError::Invalid(monkey_core::ModelError::Field {
                field: "message id",
                input: String::new(),
                reason: "an outbox message needs an id".into(),
            }));
        }
        let read: &dyn KvRead = w;
        if read.get(entry_key(&entry.message.id).as_ref())?.is_some() {
            continue;
        }
        index(w, entry)?;
        added += 1;
    }
    Ok(added)
}

/// At most `limit` waiting entries due at `now`, earliest first.
pub(crate) fn due(r: &dyn KvRead, now: Timestamp, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
    listed(r, table::OUTBOX_DUE, limit, |at| at > now)
}

/// The entries `index` lists, in its order, at most `limit`, until `past` says an index time
/// lies beyond the wanted ones.
fn listed(r: &dyn KvRead, index: u8, limit: usize, past: impl Fn(Timestamp) -> bool) -> StoreResult<Vec<OutboxEntry>> {
    let mut ids = Vec::new();
    if limit == 0 {
        return Ok(Vec::new());
    }
    r.scan(&Key::new(index).into_bytes(), &mut |key, _| {
        let mut reader = Reader::new(key);
        let at = if index == table::OUTBOX_BY_TIME { reader.time_desc()? } else { reader.time()? };
        if past(at) {
            return Ok(false);
        }
        ids.push(reader.str()?.into_owned());
        Ok(ids.len() < limit)
    })?;
    ids.iter()
        .map(|id| {
            records::get(r, entry_key(id).as_ref())?.ok_or_else(|| StoreError::Corrupt {
                what: format!("the outbox index names message {id}, which is missing"),
            })
        })
        .collect()
}

/// Replaces the stored entry of `entry`'s id and prunes finished entries older than
/// [`OUTBOX_KEPT`] (as of `entry`'s attempt).
pub(crate) fn update(w: &mut dyn KvWrite, entry: &OutboxEntry) -> StoreResult<()> {
    let key = entry_key(&entry.message.id);
    let Some(previous) = records::get::<OutboxEntry>(w, key.as_ref())? else {
        return Err(StoreError::NotFound { what: format!("outbox message {}", entry.message.id) });
    };
    unindex_state(w, &previous)?;
    w.delete(by_time_key(&previous).as_ref())?;
    index(w, entry)?;
    prune(w, entry.next_attempt_at)
}

/// Drops finished entries that finished before `now - OUTBOX_KEPT`.
fn prune(w: &mut dyn KvWrite, now: Timestamp) -> StoreResult<()> {
    let cutoff = Timestamp::from_unix_nanos(now.unix_nanos().saturating_sub(OUTBOX_KEPT.as_nanos() as i128));
    let read: &dyn KvRead = w;
    for entry in listed(read, table::OUTBOX_DONE, usize::MAX, |at| at >= cutoff)? {
        unindex_state(w, &entry)?;
        w.delete(by_time_key(&entry).as_ref())?;
        w.delete(entry_key(&entry.message.id).as_ref())?;
    }
    Ok(())
}

/// At most `limit` entries, newest queued first.
pub(crate) fn newest(r: &dyn KvRead, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
    listed(r, table::OUTBOX_BY_TIME, limit, |_| false)
}
