//! The stored form of a revision: its head (every field but the configuration) in a binary
//! layout, then its configuration compressed.
//!
//! Configurations are most of what a store writes. Compressed (LZ4, by the caller's thread
//! before the write transaction) they take about two thirds of the bytes, and more of them
//! fit a page. From version 5 the record is
//! - [`BINARY`], which JSON text never starts with;
//! - a byte of [flags](ACTIVE);
//! - the id (8 bytes), the creation time and, when there is one, the time of the last
//!   ephemeral change (16 bytes each, Unix nanoseconds);
//! - the durable hash, then the complete hash when it differs (32 bytes each);
//! - the length of the item's key (4 bytes), then the key as the item's record is stored under;
//! - the configuration's JSON as an LZ4 block with its length in front (see `compressed`).
//!
//! Numbers are little-endian. Version 4 wrote the head as JSON, then a zero byte (which JSON
//! text never holds), then the configuration; until version 4 a revision was one JSON record
//! with its configuration inside. Both still read.

use super::binary::{self, OWN_COMPLETE_HASH, Reader};
use super::{compressed, keys, records};
use monkey_core::ModelError;
use monkey_core::model::{Hash, ItemKey, Revision, RevisionId, Timestamp};
use monkey_core::store::{StoreError, StoreResult};
use serde::Deserialize;

/// The first byte of a binary revision record.
const BINARY: u8 = 1;
/// The revision is active (its item not deleted).
const ACTIVE: u8 = 1;
/// The revision has had an ephemeral change, whose time follows its creation time.
const EPHEMERAL_CHANGE: u8 = 2;
/// What a damaged record is called in errors.
const WHAT: &str = "the revision record";

/// Every field of a stored revision but its configuration, as written.
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
        let item = keys::item(self.item);
        let item = item.as_ref();
        let length = u32::try_from(item.len()).map_err(|_| {
            StoreError::Invalid(ModelError::Field {
                field: "item",
                input: self.item.to_string(),
                reason: "its key is 4 GiB or more".into(),
            })
        })?;
        let flags = binary::flags(&[
            (self.active, ACTIVE),
            (self.last_ephemeral_change_at.is_some(), EPHEMERAL_CHANGE),
            (self.complete_hash != self.durable_hash, OWN_COMPLETE_HASH),
        ]);
        let mut record = Vec::with_capacity(2 + 8 + 32 + 64 + 4 + item.len() + config.len());
        record.extend_from_slice(&[BINARY, flags]);
        record.extend_from_slice(&self.id.0.to_le_bytes());
        record.extend_from_slice(&self.created_at.unix_nanos().to_le_bytes());
        if let Some(at) = self.last_ephemeral_change_at {
            record.extend_from_slice(&at.unix_nanos().to_le_bytes());
        }
        binary::put_hashes(&mut record, &self.durable_hash, &self.complete_hash);
        record.extend_from_slice(&length.to_le_bytes());
        record.extend_from_slice(item);
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

/// What a list of revisions shows of one.
#[derive(Deserialize)]
pub(crate) struct Outline {
    pub(crate) item: ItemKey,
    pub(crate) active: bool,
    pub(crate) created_at: Timestamp,
}

/// A configuration's JSON, compressed for [`RevisionHead::record`].
pub(crate) fn compress(config: &[u8]) -> StoreResult<Vec<u8>> {
    compressed::compress_after(&[], config)
}

/// The stored forms of a revision.
enum Form<'b> {
    /// Version 5 on: the head read, and the compressed configuration.
    Binary(StoredHead, &'b [u8]),
    /// Version 4: the head's JSON, and the compressed configuration.
    JsonHead(&'b [u8], &'b [u8]),
    /// Before version 4: one JSON record.
    Json,
}

/// Tells the form of `bytes` and reads a binary head.
fn form<'b>(key: &[u8], bytes: &'b [u8]) -> StoreResult<Form<'b>> {
    if bytes.first() == Some(&BINARY) {
        let (head, config) = binary_head(key, &bytes[1..])?;
        return Ok(Form::Binary(head, config));
    }
    Ok(match bytes.iter().position(|&b| b == 0) {
        Some(end) => Form::JsonHead(&bytes[..end], &bytes[end + 1..]),
        None => Form::Json,
    })
}

/// A binary head (after its first byte), and the rest of the record.
fn binary_head<'b>(key: &[u8], bytes: &'b [u8]) -> StoreResult<(StoredHead, &'b [u8])> {
    let mut reader = Reader::new(key, WHAT, bytes);
    let [flags] = reader.take()?;
    let id = RevisionId(u64::from_le_bytes(reader.take()?));
    let created_at = reader.time()?;
    let last_ephemeral_change_at = if flags & EPHEMERAL_CHANGE != 0 { Some(reader.time()?) } else { None };
    let (durable_hash, complete_hash) = reader.hashes(flags)?;
    let length = u32::from_le_bytes(reader.take()?) as usize;
    let item = reader.slice(length)?;
    let item = match item.first() {
        Some(&keys::table::ITEM) => keys::item_key_at(item, 0)?,
        _ => return Err(reader.damaged("it does not hold its item's key")),
    };
    let head = StoredHead {
        id,
        item,
        active: flags & ACTIVE != 0,
        created_at,
        last_ephemeral_change_at,
        durable_hash,
        complete_hash,
    };
    Ok((head, reader.rest))
}

/// The revision stored under `key`.
pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Revision> {
    let (head, config) = match form(key, bytes)? {
        Form::Binary(head, config) => (head, config),
        Form::JsonHead(head, config) => (records::decode(key, head)?, config),
        Form::Json => return records::decode(key, bytes),
    };
    let config = compressed::decompress(key, "the configuration", config)?;
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

/// The item, activity and time of the revision stored under `key`, without its configuration
/// (serde skips a JSON record's configuration without building it).
pub(crate) fn outline(key: &[u8], bytes: &[u8]) -> StoreResult<Outline> {
    match form(key, bytes)? {
        Form::Binary(head, _) => Ok(Outline { item: head.item, active: head.active, created_at: head.created_at }),
        Form::JsonHead(head, _) => records::decode(key, head),
        Form::Json => records::decode(key, bytes),
    }
}

/// Whether the revision stored under `key` is active, read without decoding when possible.
pub(crate) fn activity(key: &[u8], bytes: &[u8]) -> StoreResult<bool> {
    if let Some(&[BINARY, flags]) = bytes.first_chunk::<2>() {
        return Ok(flags & ACTIVE != 0);
    }
    let json = bytes.iter().position(|&b| b == 0).map_or(bytes, |end| &bytes[..end]);
    match json_activity(json) {
        Some(active) => Ok(active),
        None => Ok(outline(key, bytes)?.active),
    }
}

/// The activity in a revision's JSON, read without parsing it: a JSON head or record is
/// `{"id":..,"item":{..},"active":..,..}` (fields in the order of [`Revision`]), and no
/// `"active":` can occur inside a JSON string, where every quote is escaped; so the first one
/// is the record's own key, before the configuration's. `None` if the record does not look
/// so: the caller then parses it.
fn json_activity(bytes: &[u8]) -> Option<bool> {
    const KEY: &[u8] = b"\"active\":";
    let at = memchr::memmem::find(bytes, KEY)?;
    let rest = &bytes[at + KEY.len()..];
    if rest.starts_with(b"true") {
        Some(true)
    } else if rest.starts_with(b"false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, Technology};
    use serde_json::json;

    fn item(name: &str) -> ItemKey {
        ItemKey::new(Technology::parse("s3").unwrap(), AccountNumber::parse("111111111111").unwrap(), "us-east-1", name)
    }

    fn revision(config: serde_json::Value, active: bool, last: Option<Timestamp>, complete: Hash) -> Revision {
        Revision {
            id: RevisionId(7),
            item: item("bucket \"quoted\" \u{0}"),
            active,
            config,
            created_at: Timestamp::parse_rfc3339("2026-11-27T10:00:00.000000001Z").unwrap(),
            last_ephemeral_change_at: last,
            durable_hash: Hash([3; 32]),
            complete_hash: complete,
        }
    }

    fn head(revision: &Revision) -> RevisionHead<'_> {
        RevisionHead {
            id: revision.id,
            item: &revision.item,
            active: revision.active,
            created_at: revision.created_at,
            last_ephemeral_change_at: revision.last_ephemeral_change_at,
            durable_hash: revision.durable_hash,
            complete_hash: revision.complete_hash,
        }
    }

    fn config(revision: &Revision) -> Vec<u8> {
        compress(&records::encode(&revision.config).unwrap()).unwrap()
    }

    /// The record as version 4 wrote it: the head's JSON, a zero byte, the configuration.
    fn version_4(revision: &Revision) -> Vec<u8> {
        let mut head = records::encode(&json!({
            "id": revision.id, "item": revision.item, "active": revision.active, "created_at": revision.created_at,
            "last_ephemeral_change_at": revision.last_ephemeral_change_at,
            "durable_hash": revision.durable_hash, "complete_hash": revision.complete_hash,
        }))
        .unwrap();
        head.push(0);
        [head, config(revision)].concat()
    }

    fn revisions() -> Vec<Revision> {
        let at = Timestamp::parse_rfc3339("2026-11-27T11:00:00Z").unwrap();
        let big = json!({"Rules": (0..200).map(|i| json!({"CidrIp": format!("10.0.{i}.0/24"), "Note": "\u{0}"})).collect::<Vec<_>>()});
        vec![
            revision(json!({"Name": "b", "Tags": [1, "x", null], "active": false}), true, None, Hash([4; 32])),
            revision(json!({}), false, Some(at), Hash([3; 32])),
            revision(big, true, Some(at), Hash([3; 32])),
        ]
    }

    #[test]
    fn a_revision_record_decodes_as_the_revision_in_every_form() {
        let key = keys::revision(RevisionId(7));
        for expected in revisions() {
            let binary = head(&expected).record(&config(&expected)).unwrap();
            assert_eq!(binary[0], BINARY);
            for stored in [binary, version_4(&expected), records::encode(&expected).unwrap()] {
                assert_eq!(decode(&key, &stored).unwrap(), expected);
                let outline = outline(&key, &stored).unwrap();
                assert_eq!(
                    (&outline.item, outline.active, outline.created_at),
                    (&expected.item, expected.active, expected.created_at)
                );
                assert_eq!(activity(&key, &stored).unwrap(), expected.active);
            }
        }
    }

    #[test]
    fn activity_is_read_from_the_record_not_from_names_or_configurations() {
        let key = keys::revision(RevisionId(7));
        for active in [true, false] {
            let mut hostile =
                revision(json!({"active": !active, "nested": {"\"active\":": !active}}), active, None, Hash([3; 32]));
            hostile.item = item(r#"x","active":false,"y":""#);
            for stored in [version_4(&hostile), records::encode(&hostile).unwrap()] {
                assert_eq!(json_activity(&stored), Some(active), "{}", String::from_utf8_lossy(&stored));
                assert_eq!(activity(&key, &stored).unwrap(), active);
            }
        }
        assert_eq!(json_activity(b"{}"), None);
    }

    #[test]
    fn a_damaged_revision_is_an_error_naming_it() {
        let key = keys::revision(RevisionId(7));
        let expected = &revisions()[0];
        let stored = head(expected).record(&config(expected)).unwrap();
        let config_at = stored.len() - config(expected).len();
        let mut no_key = stored.clone();
        no_key[config_at - keys::item(&expected.item).as_ref().len()] = 0x30;
        for damaged in [
            stored[..20].to_vec(),
            stored[..config_at - 3].to_vec(),
            stored[..config_at + 3].to_vec(),
            [&stored[..config_at], &u32::MAX.to_le_bytes()[..], &stored[config_at + 4..]].concat(),
            [&stored[..config_at], &[9, 0, 0, 0, 0xF0][..]].concat(),
            no_key,
        ] {
            let error = decode(&key, &damaged).unwrap_err();
            assert!(matches!(&error, StoreError::Corrupt { what } if what.contains("revision")), "{error}");
        }
        let v4 = version_4(expected);
        let end = v4.iter().position(|&b| b == 0).unwrap();
        assert!(decode(&key, &v4[..end]).is_err(), "a head without its configuration is not a revision");
    }
}
