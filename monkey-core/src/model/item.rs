//! Items and their revisions: one resource's identity and its configuration over time.

use super::{AccountNumber, Technology, Timestamp};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The region of items of global services (IAM).
pub const UNIVERSAL_REGION: &str = "universal";

/// An item's identity: which technology, in which account and region, under which name.
///
/// The account is identified by its number, which never changes, so renaming an account
/// keeps its items.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemKey {
    /// The watcher's index.
    pub technology: Technology,
    /// The account's number.
    pub account: AccountNumber,
    /// The region, or [`UNIVERSAL_REGION`].
    pub region: CompactString,
    /// The resource's name (or id where it has no name).
    pub name: CompactString,
}

impl ItemKey {
    /// Builds a key.
    pub fn new(
        technology: Technology,
        account: AccountNumber,
        region: impl Into<CompactString>,
        name: impl Into<CompactString>,
    ) -> Self {
        Self { technology, account, region: region.into(), name: name.into() }
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}/{}", self.technology, self.account, self.region, self.name)
    }
}

/// A 256-bit BLAKE3 digest of a canonical configuration.
///
/// BLAKE3 rather than a faster non-cryptographic hash: whoever controls a resource's
/// configuration must not be able to craft a change that hashes like the old one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        self.hex_digits().iter().map(|&digit| char::from(digit)).collect()
    }

    /// The 64 lower-case hex digits, without allocating: every stored item and revision
    /// carries two hashes.
    fn hex_digits(&self) -> [u8; 64] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        out
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        fn digit(c: u8) -> Option<u8> {
            match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                b'A'..=b'F' => Some(c - b'A' + 10),
                _ => None,
            }
        }
        let text = text.as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
            *byte = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(Self(out))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", &self.to_hex()[..16])
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let digits = self.hex_digits();
        s.serialize_str(std::str::from_utf8(&digits).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct HexVisitor;
        impl serde::de::Visitor<'_> for HexVisitor {
            type Value = Hash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("64 hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Hash, E> {
                Hash::from_hex(text).ok_or_else(|| E::custom("expected 64 hex digits"))
            }
        }
        d.deserialize_str(HexVisitor)
    }
}

/// A revision's id, unique in a store and increasing with time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevisionId(pub u64);

impl fmt::Display for RevisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An item's whole configuration at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// This revision's id.
    pub id: RevisionId,
    /// The item it belongs to.
    pub item: ItemKey,
    /// `false` when this revision records the item's deletion.
    pub active: bool,
    /// The configuration as the watcher saw it (an empty object for a deletion).
    pub config: serde_json::Value,
    /// When the change was detected.
    pub created_at: Timestamp,
    /// When ephemeral fields last changed in place, if ever.
    pub last_ephemeral_change_at: Option<Timestamp>,
    /// Hash of the configuration without its ephemeral fields.
    pub durable_hash: Hash,
    /// Hash of the whole configuration.
    pub complete_hash: Hash,
}

/// A resource monkey has seen, with its latest state and scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Its identity.
    pub key: ItemKey,
    /// Its ARN, when it has one; unique in a store.
    pub arn: Option<String>,
    /// Its newest revision.
    pub latest_revision: RevisionId,
    /// When its newest revision was made.
    pub latest_revision_at: Timestamp,
    /// `false` once it has been deleted (and until it reappears).
    pub active: bool,
    /// Hash of the latest configuration without its ephemeral fields.
    pub durable_hash: Hash,
    /// Hash of the whole latest configuration.
    pub complete_hash: Hash,
    /// Sum of the scores of its open issues.
    pub score: u32,
    /// Sum of the scores of its open, unjustified issues.
    pub unjustified_score: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_hex_round_trips() {
        let hash = Hash(*blake3::hash(b"x").as_bytes());
        assert_eq!(Hash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(Hash::from_hex("zz"), None);
        assert_eq!(Hash::from_hex(&"g".repeat(64)), None);
    }
}
