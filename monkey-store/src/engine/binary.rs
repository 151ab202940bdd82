//! Reading the binary records (items, revision heads): fixed-size fields, then what is left.

use super::keys::describe;
use monkey_core::model::{Hash, Timestamp};
use monkey_core::store::{StoreError, StoreResult};

/// The flag of a record whose complete hash differs from its durable hash, and follows it.
pub(crate) const OWN_COMPLETE_HASH: u8 = 4;

/// The flags byte: every `flag` whose condition is set.
pub(crate) fn flags(flags: &[(bool, u8)]) -> u8 {
    flags.iter().filter(|(set, _)| *set).fold(0, |byte, (_, flag)| byte | flag)
}

/// Appends the durable hash, then the complete hash when it differs (see [`OWN_COMPLETE_HASH`]).
pub(crate) fn put_hashes(out: &mut Vec<u8>, durable: &Hash, complete: &Hash) {
    out.extend_from_slice(&durable.0);
    if complete != durable {
        out.extend_from_slice(&complete.0);
    }
}

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

    /// The durable and complete hashes from [`put_hashes`], of a record with `flags`.
    pub(crate) fn hashes(&mut self, flags: u8) -> StoreResult<(Hash, Hash)> {
        let durable = Hash(self.take()?);
        let complete = if flags & OWN_COMPLETE_HASH != 0 { Hash(self.take()?) } else { durable };
        Ok((durable, complete))
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
