//! The stored form of an item: its fields in a fixed binary layout, its key in the record's key.
//!
//! An item's record is rewritten whenever it changes or its score does. As JSON it repeated the
//! key and spelled both hashes in hex: about 470 bytes, for 70 of fields. From version 5 it is
//! - [`BINARY`], which JSON text never starts with;
//! - a byte of [flags](ACTIVE);
//! - the latest revision's id (8 bytes) and time (16 bytes, Unix nanoseconds);
//! - the durable hash, then the complete hash when it differs (32 bytes each);
//! - the score and the unjustified score (4 bytes each);
//! - the ARN's UTF-8, when it has one, to the end.
//!
//! Numbers are little-endian. Items written as JSON before still read.

use super::binary::{self, OWN_COMPLETE_HASH, Reader};
use super::{keys, records};
use crate::kv::KvRead;
use monkey_core::model::{Item, ItemKey, RevisionId};
use monkey_core::store::StoreResult;

/// The first byte of a binary item record.
const BINARY: u8 = 1;
/// The item is active.
const ACTIVE: u8 = 1;
/// The item has an ARN.
const HAS_ARN: u8 = 2;

/// The record of `item`.
pub(crate) fn encode(item: &Item) -> Vec<u8> {
    let arn = item.arn.as_deref().unwrap_or_default();
    let flags = binary::flags(&[
        (item.active, ACTIVE),
        (item.arn.is_some(), HAS_ARN),
        (item.complete_hash != item.durable_hash, OWN_COMPLETE_HASH),
    ]);
    let mut out = Vec::with_capacity(2 + 8 + 16 + 64 + 8 + arn.len());
    out.extend_from_slice(&[BINARY, flags]);
    out.extend_from_slice(&item.latest_revision.0.to_le_bytes());
    out.extend_from_slice(&item.latest_revision_at.unix_nanos().to_le_bytes());
    binary::put_hashes(&mut out, &item.durable_hash, &item.complete_hash);
    out.extend_from_slice(&item.score.to_le_bytes());
    out.extend_from_slice(&item.unjustified_score.to_le_bytes());
    out.extend_from_slice(arn.as_bytes());
    out
}

/// The item stored under `key`.
pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Item> {
    match bytes.first() {
        Some(&BINARY) => fields(key, bytes, keys::item_key_at(key, 0)?),
        _ => records::decode(key, bytes),
    }
}

/// Every item stored under `prefix` of the item table, in key order.
pub(crate) fn list(r: &dyn KvRead, prefix: &[u8]) -> StoreResult<Vec<Item>> {
    let mut items = Vec::new();
    r.scan(prefix, &mut |key, value| {
        items.push(decode(key, value)?);
        Ok(true)
    })?;
    Ok(items)
}

/// The item `item`, stored under `key`.
pub(crate) fn decode_of(item: &ItemKey, key: &[u8], bytes: &[u8]) -> StoreResult<Item> {
    match bytes.first() {
        Some(&BINARY) => fields(key, bytes, item.clone()),
        _ => records::decode(key, bytes),
    }
}

/// Reads a binary record.
fn fields(key: &[u8], bytes: &[u8], item: ItemKey) -> StoreResult<Item> {
    let mut reader = Reader::new(key, "the item record", bytes.get(1..).unwrap_or_default());
    let [flags] = reader.take()?;
    let latest_revision = RevisionId(u64::from_le_bytes(reader.take()?));
    let latest_revision_at = reader.time()?;
    let (durable_hash, complete_hash) = reader.hashes(flags)?;
    let score = u32::from_le_bytes(reader.take()?);
    let unjustified_score = u32::from_le_bytes(reader.take()?);
    let arn = if flags & HAS_ARN != 0 {
        let text = std::str::from_utf8(reader.rest).map_err(|_| reader.damaged("its ARN is not UTF-8"))?;
        Some(text.to_owned())
    } else if !reader.rest.is_empty() {
        return Err(reader.damaged("it has bytes after its last field"));
    } else {
        None
    };
    Ok(Item {
        key: item,
        arn,
        latest_revision,
        latest_revision_at,
        active: flags & ACTIVE != 0,
        durable_hash,
        complete_hash,
        score,
        unjustified_score,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, Hash, Technology, Timestamp};
    use monkey_core::store::StoreError;

    fn item(arn: Option<&str>, complete: Hash) -> Item {
        Item {
            key: ItemKey::new(
                Technology::parse("s3").unwrap(),
                AccountNumber::parse("111111111111").unwrap(),
                "us-east-1",
                "bucket \u{0}\"x\"",
            ),
            arn: arn.map(str::to_owned),
            latest_revision: RevisionId(u64::MAX - 1),
            latest_revision_at: Timestamp::parse_rfc3339("2026-11-27T10:00:00.123456789Z").unwrap(),
            active: arn.is_some(),
            durable_hash: Hash([3; 32]),
            complete_hash: complete,
            score: 17,
            unjustified_score: u32::MAX,
        }
    }

    #[test]
    fn an_item_record_decodes_as_the_item() {
        for expected in [
            item(None, Hash([3; 32])),
            item(Some("arn:aws:s3:::bucket"), Hash([3; 32])),
            item(Some(""), Hash([4; 32])),
            item(None, Hash([4; 32])),
        ] {
            let key = keys::item(&expected.key);
            let stored = encode(&expected);
            assert_eq!(decode(&key, &stored).unwrap(), expected);
            assert_eq!(decode_of(&expected.key, &key, &stored).unwrap(), expected);
            assert!(stored.len() < 150, "{} bytes", stored.len());
        }
    }

    #[test]
    fn an_item_written_as_json_still_reads() {
        let expected = item(Some("arn:aws:s3:::bucket"), Hash([4; 32]));
        let key = keys::item(&expected.key);
        assert_eq!(decode(&key, &records::encode(&expected).unwrap()).unwrap(), expected);
    }

    #[test]
    fn a_damaged_item_record_is_an_error_naming_the_item() {
        let expected = item(Some("arn:aws:s3:::bucket"), Hash([4; 32]));
        let key = keys::item(&expected.key);
        let stored = encode(&expected);
        let mut bad_arn = stored.clone();
        let last = bad_arn.len() - 1;
        bad_arn[last] = 0xFF;
        let mut trailing = encode(&item(None, Hash([3; 32])));
        trailing.push(b'x');
        let mut bad_time = stored.clone();
        bad_time[10..26].copy_from_slice(&i128::MAX.to_le_bytes());
        for damaged in [stored[..40].to_vec(), vec![BINARY], bad_arn, trailing, bad_time] {
            let error = decode(&key, &damaged).unwrap_err();
            assert!(
                matches!(&error, StoreError::Corrupt { what } if what.contains("item record") && what.contains("bucket")),
                "{error}"
            );
        }
    }
}
