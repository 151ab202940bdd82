//! The stored form of a revision: its head as JSON, then its configuration compressed.
//!
//! Configurations are most of what a store writes. Compressed (LZ4, by the caller's thread
//! before the write transaction) they take about two thirds of the bytes, and more of them
//! fit a page. The record is the head's JSON, a zero byte (which JSON text never holds), and
//! the LZ4 block of the configuration's JSON with its length in front. Until version 4 a
//! revision was one JSON record with its configuration inside; those still read.

use super::keys::describe;
use super::records;
use monkey_core::model::{Hash, ItemKey, Revision, RevisionId, Timestamp};
use monkey_core::store::{StoreError, StoreResult};
use serde::{Deserialize, Serialize};

/// LZ4 expands at most 255 times; a larger stated length is a damaged record.
const MAX_EXPANSION: usize = 255;

/// Every field of a stored revision but its configuration, as written.
#[derive(Serialize)]
pub(crate) struct RevisionHead<'a> {
    pub(crate) id: RevisionId,
    pub(crate) item: &'a ItemKey,
    pub(crate) active: bool,
    pub(crate) created_at: Timestamp,
    pub(crate) last_ephemeral_change_at: Option<Timestamp>,
    pub(crate) durable_hash: Hash,
    pub(crate) complete_hash: Hash,
}

impl RevisionHead<'_> {
    /// The stored revision with this head and `config`, a configuration from [`compress`].
    pub(crate) fn record(&self, config: &[u8]) -> StoreResult<Vec<u8>> {
        let mut record = records::encode(self)?;
        record.reserve(config.len() + 1);
        record.push(0);
        record.extend_from_slice(config);
        Ok(record)
    }
}

/// Every field of a stored revision but its configuration, as read.
#[derive(Deserialize)]
struct StoredHead {
    id: RevisionId,
    item: ItemKey,
    active: bool,
    created_at: Timestamp,
    last_ephemeral_change_at: Option<Timestamp>,
    durable_hash: Hash,
    complete_hash: Hash,
}

/// A configuration's JSON, compressed for [`RevisionHead::record`].
pub(crate) fn compress(config: &[u8]) -> Vec<u8> {
    lz4_flex::compress_prepend_size(config)
}

/// The head's JSON of the revision record `bytes`: all of it for a record from before version 4.
pub(crate) fn head(bytes: &[u8]) -> &[u8] {
    bytes.iter().position(|&b| b == 0).map_or(bytes, |end| &bytes[..end])
}

/// The revision stored under `key`.
pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Revision> {
    let Some(end) = bytes.iter().position(|&b| b == 0) else {
        return records::decode(key, bytes);
    };
    let head: StoredHead = records::decode(key, &bytes[..end])?;
    let config = decompress(key, &bytes[end + 1..])?;
    Ok(Revision {
        id: head.id,
        item: head.item,
        active: head.active,
        config: records::decode(key, &config)?,
        created_at: head.created_at,
        last_ephemeral_change_at: head.last_ephemeral_change_at,
        durable_hash: head.durable_hash,
        complete_hash: head.complete_hash,
    })
}

/// The configuration's JSON from its compressed form.
fn decompress(key: &[u8], compressed: &[u8]) -> StoreResult<Vec<u8>> {
    let damaged = |why: String| StoreError::Corrupt { what: format!("the configuration in {}: {why}", describe(key)) };
    let (length, block) = compressed.split_first_chunk::<4>().ok_or_else(|| damaged("it is cut short".into()))?;
    let length = u32::from_le_bytes(*length) as usize;
    if length > block.len().saturating_mul(MAX_EXPANSION) {
        return Err(damaged(format!("it claims {length} bytes from {}", block.len())));
    }
    lz4_flex::decompress(block, length).map_err(|e| damaged(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::engine::keys;
    use monkey_core::model::{AccountNumber, Technology};
    use serde_json::json;

    fn item() -> ItemKey {
        ItemKey::new(
            Technology::parse("s3").unwrap(),
            AccountNumber::parse("111111111111").unwrap(),
            "us-east-1",
            "bucket \"quoted\"",
        )
    }

    fn revision(config: serde_json::Value, last: Option<Timestamp>) -> Revision {
        Revision {
            id: RevisionId(7),
            item: item(),
            active: true,
            config,
            created_at: Timestamp::parse_rfc3339("2026-11-27T10:00:00Z").unwrap(),
            last_ephemeral_change_at: last,
            durable_hash: Hash([3; 32]),
            complete_hash: Hash([4; 32]),
        }
    }

    fn record(revision: &Revision) -> Vec<u8> {
        let head = RevisionHead {
            id: revision.id,
            item: &revision.item,
            active: revision.active,
            created_at: revision.created_at,
            last_ephemeral_change_at: revision.last_ephemeral_change_at,
            durable_hash: revision.durable_hash,
            complete_hash: revision.complete_hash,
        };
        head.record(&compress(&records::encode(&revision.config).unwrap())).unwrap()
    }

    #[test]
    fn a_revision_record_decodes_as_the_revision() {
        let at = Timestamp::parse_rfc3339("2026-11-27T11:00:00Z").unwrap();
        let key = keys::revision(RevisionId(7));
        let big = json!({"Rules": (0..200).map(|i| json!({"CidrIp": format!("10.0.{i}.0/24"), "Note": "\u{0}"})).collect::<Vec<_>>()});
        for (config, last) in [(json!({"Name": "b", "Tags": [1, "x", null]}), None), (json!({}), Some(at)), (big, None)]
        {
            let expected = revision(config, last);
            let stored = record(&expected);
            assert_eq!(decode(&key, &stored).unwrap(), expected);
            assert!(head(&stored).ends_with(b"}"), "the head is the JSON before the configuration");
        }
    }

    #[test]
    fn a_revision_from_before_version_4_still_reads() {
        let expected = revision(json!({"Name": "b"}), None);
        let stored = records::encode(&expected).unwrap();
        let key = keys::revision(RevisionId(7));
        assert_eq!(decode(&key, &stored).unwrap(), expected);
        assert_eq!(head(&stored), &stored[..]);
    }

    #[test]
    fn a_damaged_configuration_is_an_error_naming_the_revision() {
        let key = keys::revision(RevisionId(7));
        let mut stored = record(&revision(json!({"Name": "b"}), None));
        let end = head(&stored).len();
        for damaged in [
            stored[..end + 3].to_vec(),
            [&stored[..=end], &u32::MAX.to_le_bytes()[..], &stored[end + 5..]].concat(),
            [&stored[..=end], &[9, 0, 0, 0, 0xF0][..]].concat(),
        ] {
            let error = decode(&key, &damaged).unwrap_err();
            assert!(matches!(&error, StoreError::Corrupt { what } if what.contains("revision")), "{error}");
        }
        stored.truncate(end);
        assert!(decode(&key, &stored).is_err(), "a head without its configuration is not a revision");
    }
}
