//! Record values: JSON encoding, reading records back, and the id counters in the meta table.

use super::keys::{self, describe};
use crate::kv::{KvRead, KvWrite};
use monkey_core::ModelError;
use monkey_core::model::Item;
use monkey_core::store::{StoreError, StoreResult};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes a record.
pub(crate) fn encode<T: Serialize>(value: &T) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| {
        StoreError::Invalid(ModelError::Field {
            field: "record",
            input: String::new(),
            reason: format!("it cannot be encoded as JSON: {e}"),
        })
    })
}

/// Decodes the record stored under `key`.
pub(crate) fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> StoreResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| StoreError::Corrupt { what: format!("the value of {}: {e}", describe(key)) })
}

/// The record under `key`.
pub(crate) fn get<T: DeserializeOwned>(r: &dyn KvRead, key: &[u8]) -> StoreResult<Option<T>> {
    r.get(key)?.map(|bytes| decode(key, &bytes)).transpose()
}

/// Stores `value` under `key`.
pub(crate) fn put<T: Serialize>(w: &mut dyn KvWrite, key: &[u8], value: &T) -> StoreResult<()> {
    w.put(key, &encode(value)?)
}

/// Every record under `prefix`, in key order.
pub(crate) fn list<T: DeserializeOwned>(r: &dyn KvRead, prefix: &[u8]) -> StoreResult<Vec<T>> {
    let mut out = Vec::new();
    r.scan(prefix, &mut |key, value| {
        out.push(decode(key, value)?);
        Ok(true)
    })?;
    Ok(out)
}

/// Deletes `key`; whether it was there.
pub(crate) fn remove(w: &mut dyn KvWrite, key: &[u8]) -> StoreResult<bool> {
    let existed = w.get(key)?.is_some();
    if existed {
        w.delete(key)?;
    }
    Ok(existed)
}

/// A big-endian u64 stored under `key`.
pub(crate) fn get_u64(r: &dyn KvRead, key: &[u8]) -> StoreResult<Option<u64>> {
    r.get(key)?
        .map(|bytes| {
            <[u8; 8]>::try_from(bytes.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt { what: format!("{} is not 8 bytes", describe(key)) })
        })
        .transpose()
}

/// Takes the next id of the counter under `key` (ids start at 1).
pub(crate) fn next_id(w: &mut dyn KvWrite, key: &[u8]) -> StoreResult<u64> {
    let id = get_u64(w, key)?.unwrap_or(1);
    let next = id
        .checked_add(1)
        .ok_or_else(|| StoreError::Corrupt { what: format!("{} has run out of ids", describe(key)) })?;
    w.put(key, &next.to_be_bytes())?;
    Ok(id)
}

/// Raises the counter under `key` so that it is above `used`.
pub(crate) fn bump_past(w: &mut dyn KvWrite, key: &[u8], used: u64) -> StoreResult<()> {
    let next = get_u64(w, key)?.unwrap_or(1);
    if next <= used {
        w.put(key, &used.saturating_add(1).to_be_bytes())?;
    }
    Ok(())
}

/// The summary the date index keeps of an item, so that a search filters without reading items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Whether the item is active.
    pub(crate) active: bool,
    /// Its score.
    pub(crate) score: u32,
    /// Its score without justified issues.
    pub(crate) unjustified_score: u32,
}

impl Summary {
    /// An item's summary.
    pub(crate) fn of(item: &Item) -> Self {
        Self { active: item.active, score: item.score, unjustified_score: item.unjustified_score }
    }

    /// The stored form: one byte of activity, four of score, four of unjustified score.
    pub(crate) fn encode(self) -> [u8; 9] {
        let mut out = [0u8; 9];
        out[0] = u8::from(self.active);
        out[1..5].copy_from_slice(&self.score.to_be_bytes());
        out[5..].copy_from_slice(&self.unjustified_score.to_be_bytes());
        out
    }

    /// Reads the stored form under `key`.
    pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Self> {
        match bytes {
            &[active @ (0 | 1), s0, s1, s2, s3, u0, u1, u2, u3] => Ok(Self {
                active: active == 1,
                score: u32::from_be_bytes([s0, s1, s2, s3]),
                unjustified_score: u32::from_be_bytes([u0, u1, u2, u3]),
            }),
            _ => Err(StoreError::Corrupt {
                what: format!("the value of {} is not an item summary", keys::describe(key)),
            }),
        }
    }
}
