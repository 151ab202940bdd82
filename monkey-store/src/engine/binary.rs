//! Reading the binary records (items, revision heads): fixed-size fields, then what is left.

use super::keys::describe;
use monkey_core::model::Timestamp;
use monkey_core::store::{StoreError, StoreResult};

/// The unread part of a binary record; errors name `what` it is and the key it is under.
pub(crate) struct Reader<'k, 'a> {
    key: &'k [u8],
    what: &'static str,
    /// What is not read yet.
    pub(crate) rest: &'a [u8],
}

impl<'k, 'a> Reader<'k, 'a> {
    /// Reads `bytes`, the record of `what` under `key`.
    pub(crate) fn new(key: &'k [u8], what: &'static str, bytes: &'a [u8]) -> Self {
        Self { key, what, rest: bytes }
    }

    /// The next `N` bytes.
    pub(crate) fn take<const N: usize>(&mut self) -> StoreResult<[u8; N]> {
        let (taken, rest) = self.rest.split_first_chunk::<N>().ok_or_else(|| self.damaged("it is cut short"))?;
        self.rest = rest;
        Ok(*taken)
    }

    /// The next 16 bytes as a time (Unix nanoseconds).
    pub(crate) fn time(&mut self) -> StoreResult<Timestamp> {
        let nanos = i128::from_le_bytes(self.take()?);
        Timestamp::checked_from_unix_nanos(nanos).ok_or_else(|| self.damaged("a time is out of range"))
    }

    /// The next `length` bytes.
    pub(crate) fn slice(&mut self, length: usize) -> StoreResult<&'a [u8]> {
        if length > self.rest.len() {
            return Err(self.damaged("it is cut short"));
        }
        let (taken, rest) = self.rest.split_at(length);
        self.rest = rest;
        Ok(taken)
    }

    /// The error for a damaged record: `why`.
    pub(crate) fn damaged(&self, why: &str) -> StoreError {
        StoreError::Corrupt { what: format!("{} in {}: {why}", self.what, describe(self.key)) }
    }
}
