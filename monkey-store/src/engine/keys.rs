//! Key encoding: a table byte, then the fields in an order-preserving encoding.
//!
//! Byte order of encoded keys equals the order of their fields, so a prefix scan returns
//! records sorted as the trait promises:
//! - a string is its UTF-8 bytes with `00` escaped as `00 FF`, ended by `00 00`: no encoded
//!   string is a prefix of another, "a" < "a\0" < "ab", and the end cannot be mistaken for an
//!   escape whatever byte the next field starts with;
//! - an integer is big-endian; a newest-first integer is its bitwise complement;
//! - a timestamp (i128 nanoseconds) is big-endian with the sign bit flipped, complemented for
//!   newest-first order.

use monkey_core::model::{AccountNumber, CommentId, CommentTarget, ItemKey, RevisionId, Technology, Timestamp};
use monkey_core::store::{StoreError, StoreResult};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The first byte of every key: which table it belongs to.
pub(crate) mod table {
    /// Schema version and id counters.
    pub(crate) const META: u8 = 0x01;
    /// number → account.
    pub(crate) const ACCOUNT: u8 = 0x10;
    /// name → number.
    pub(crate) const ACCOUNT_BY_NAME: u8 = 0x11;
    /// (technology, account, region, name) → item.
    pub(crate) const ITEM: u8 = 0x20;
    /// (account, technology, region, name) → nothing: an account's items, until version 4
    /// (it cost a write per item for the rare deletion of an account).
    pub(crate) const ITEM_BY_ACCOUNT: u8 = 0x21;
    /// ARN → item key.
    pub(crate) const ITEM_BY_ARN: u8 = 0x22;
    /// (newest-first latest revision time, item key) → (active, score, unjustified score).
    pub(crate) const ITEM_BY_DATE: u8 = 0x23;
    /// revision id → revision.
    pub(crate) const REVISION: u8 = 0x30;
    /// (item key, newest-first revision id) → nothing: an item's history.
    pub(crate) const REVISION_BY_ITEM: u8 = 0x31;
    /// item key → the item's issues, by (check, notes) (until version 3: (item key, check,
    /// notes) → issue).
    pub(crate) const ISSUE: u8 = 0x40;
    /// comment id → comment.
    pub(crate) const COMMENT: u8 = 0x50;
    /// (target, time, id) → nothing: a target's comments, oldest first.
    pub(crate) const COMMENT_BY_TARGET: u8 = 0x51;
    /// (technology, check) → score override.
    pub(crate) const SCORE_OVERRIDE: u8 = 0x60;
    /// (technology, prefix) → ignore entry.
    pub(crate) const IGNORE: u8 = 0x61;
    /// name → network whitelist entry.
    pub(crate) const WHITELIST: u8 = 0x62;
    /// technology → watcher configuration.
    pub(crate) const WATCHER_CONFIG: u8 = 0x63;
    /// lower-cased e-mail → user.
    pub(crate) const USER: u8 = 0x70;
    /// (account, technology, start time) → run.
    pub(crate) const RUN: u8 = 0x80;
    /// (newest-first start time, account, technology) → nothing: every run, newest first.
    pub(crate) const RUN_BY_TIME: u8 = 0x81;
    /// (account, technology) → its newest run.
    pub(crate) const LAST_RUN: u8 = 0x82;
    /// Message id → outbox entry.
    pub(crate) const OUTBOX: u8 = 0x90;
    /// (next attempt time, message id) → nothing: the waiting entries, earliest due first.
    pub(crate) const OUTBOX_DUE: u8 = 0x91;
    /// (newest-first queue time, message id) → nothing: every entry, newest first.
    pub(crate) const OUTBOX_BY_TIME: u8 = 0x92;
    /// (time delivered or abandoned, message id) → nothing: finished entries, oldest first.
    pub(crate) const OUTBOX_DONE: u8 = 0x93;

    /// The indexes: derived from the records, rebuilt by the migration from version 0.
    pub(crate) const INDEXES: [u8; 5] =
        [ACCOUNT_BY_NAME, ITEM_BY_ARN, ITEM_BY_DATE, REVISION_BY_ITEM, COMMENT_BY_TARGET];

    /// The table's name, for error messages.
    pub(crate) fn name(byte: u8) -> &'static str {
        match byte {
            META => "meta",
            ACCOUNT => "accounts",
            ACCOUNT_BY_NAME => "accounts by name",
            ITEM => "items",
            ITEM_BY_ACCOUNT => "items by account",
            ITEM_BY_ARN => "items by ARN",
            ITEM_BY_DATE => "items by date",
            REVISION => "revisions",
            REVISION_BY_ITEM => "revisions by item",
            ISSUE => "issues",
            COMMENT => "comments",
            COMMENT_BY_TARGET => "comments by target",
            SCORE_OVERRIDE => "score overrides",
            IGNORE => "ignore list",
            WHITELIST => "network whitelist",
            WATCHER_CONFIG => "watcher configurations",
            USER => "users",
            RUN => "runs",
            RUN_BY_TIME => "runs by time",
            LAST_RUN => "latest runs",
            OUTBOX => "outbox",
            OUTBOX_DUE => "outbox by due time",
            OUTBOX_BY_TIME => "outbox by queue time",
            OUTBOX_DONE => "outbox by finish time",
            _ => "unknown table",
        }
    }
}

/// Meta keys.
pub(crate) mod meta {
    /// The schema version, a big-endian u32.
    pub(crate) const SCHEMA_VERSION: &[u8] = b"\x01schema_version";
    /// The next revision id, a big-endian u64.
    pub(crate) const NEXT_REVISION: &[u8] = b"\x01next_revision";
    /// The next comment id, a big-endian u64.
    pub(crate) const NEXT_COMMENT: &[u8] = b"\x01next_comment";
}

/// Builds a key field by field.
#[derive(Debug, Clone)]
pub(crate) struct Key(Vec<u8>);

impl Key {
    /// A key of `table`.
    pub(crate) fn new(table: u8) -> Self {
        // Room for an item key, most keys' bulk, without growing.
        let mut bytes = Vec::with_capacity(112);
        bytes.push(table);
        Self(bytes)
    }

    /// Appends a string.
    pub(crate) fn str(mut self, text: &str) -> Self {
        let bytes = text.as_bytes();
        if bytes.contains(&0) {
            for &byte in bytes {
                self.0.push(byte);
                if byte == 0 {
                    self.0.push(0xFF);
                }
            }
        } else {
            self.0.extend_from_slice(bytes);
        }
        self.0.extend_from_slice(&[0, 0]);
        self
    }

    /// Appends an integer, ascending.
    pub(crate) fn u64(mut self, n: u64) -> Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }

    /// Appends an integer, descending.
    pub(crate) fn u64_desc(self, n: u64) -> Self {
        self.u64(!n)
    }

    /// Appends a timestamp, ascending.
    pub(crate) fn time(mut self, at: Timestamp) -> Self {
        self.0.extend_from_slice(&time_bits(at).to_be_bytes());
        self
    }

    /// Appends a timestamp, descending (newest first).
    pub(crate) fn time_desc(mut self, at: Timestamp) -> Self {
        self.0.extend_from_slice(&(!time_bits(at)).to_be_bytes());
        self
    }

    /// Appends an item key: (technology, account, region, name).
    pub(crate) fn item(self, key: &ItemKey) -> Self {
        self.str(key.technology.as_str()).str(key.account.as_str()).str(&key.region).str(&key.name)
    }

    /// Appends raw, already encoded bytes.
    pub(crate) fn raw(mut self, bytes: &[u8]) -> Self {
        self.0.extend_from_slice(bytes);
        self
    }

    /// The bytes.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Key {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::ops::Deref for Key {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

fn time_bits(at: Timestamp) -> u128 {
    // Flipping the sign bit maps i128 order onto u128 order.
    (at.unix_nanos() as u128) ^ (1u128 << 127)
}

fn time_from_bits(bits: u128) -> Timestamp {
    Timestamp::from_unix_nanos((bits ^ (1u128 << 127)) as i128)
}

/// The encoded item key alone (no table byte), as stored in the ARN index's values.
pub(crate) fn item_fields(key: &ItemKey) -> Vec<u8> {
    let mut bytes = Key::new(0).item(key).into_bytes();
    bytes.remove(0);
    bytes
}

/// The key of an item record.
pub(crate) fn item(key: &ItemKey) -> Key {
    Key::new(table::ITEM).item(key)
}

/// The prefix of the items of one technology in one account.
pub(crate) fn items_of(technology: &Technology, account: &AccountNumber) -> Key {
    Key::new(table::ITEM).str(technology.as_str()).str(account.as_str())
}

/// The key of an ARN in the ARN index.
pub(crate) fn item_by_arn(arn: &str) -> Key {
    Key::new(table::ITEM_BY_ARN).str(arn)
}

/// The key of an item in the date index.
pub(crate) fn item_by_date(at: Timestamp, key: &ItemKey) -> Key {
    Key::new(table::ITEM_BY_DATE).time_desc(at).item(key)
}

/// The key of a revision record.
pub(crate) fn revision(id: RevisionId) -> Key {
    Key::new(table::REVISION).u64(id.0)
}

/// The key of a revision in its item's history.
pub(crate) fn revision_by_item(key: &ItemKey, id: RevisionId) -> Key {
    revisions_of(key).u64_desc(id.0)
}

/// The prefix of an item's history, newest first.
pub(crate) fn revisions_of(key: &ItemKey) -> Key {
    Key::new(table::REVISION_BY_ITEM).item(key)
}

/// The key of an item's issue set.
pub(crate) fn issue_set(item: &ItemKey) -> Key {
    Key::new(table::ISSUE).item(item)
}

/// The prefix of the issue sets of every item of one technology in one account.
pub(crate) fn issue_sets_of_unit(technology: &Technology, account: &AccountNumber) -> Key {
    Key::new(table::ISSUE).str(technology.as_str()).str(account.as_str())
}

/// The key of a comment record.
pub(crate) fn comment(id: CommentId) -> Key {
    Key::new(table::COMMENT).u64(id.0)
}

/// The prefix of a target's comments.
pub(crate) fn comments_on(target: &CommentTarget) -> Key {
    let key = Key::new(table::COMMENT_BY_TARGET);
    match target {
        CommentTarget::Item(item) => key.raw(&[0]).item(item),
        CommentTarget::Revision(id) => key.raw(&[1]).u64(id.0),
    }
}

/// The key of a comment in its target's index.
pub(crate) fn comment_by_target(target: &CommentTarget, at: Timestamp, id: CommentId) -> Key {
    comments_on(target).time(at).u64(id.0)
}

/// Shows a key for people: its table and its bytes, printable ones as text.
pub(crate) fn describe(key: &[u8]) -> String {
    let Some((&first, rest)) = key.split_first() else { return "the empty key".into() };
    let mut out = format!("{} key \"", table::name(first));
    for &byte in rest {
        match byte {
            0 => out.push('|'),
            b' '..=b'~' => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push('"');
    out
}

/// Reads a key's fields back, naming the key in any error.
pub(crate) struct Reader<'a> {
    key: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads the fields of `key` after its table byte.
    pub(crate) fn new(key: &'a [u8]) -> Self {
        Self { key, pos: 1 }
    }

    fn corrupt(&self, what: &str) -> StoreError {
        StoreError::Corrupt { what: format!("{}: {what}", describe(self.key)) }
    }

    /// The next string field.
    pub(crate) fn str(&mut self) -> StoreResult<Cow<'a, str>> {
        let rest = &self.key[self.pos..];
        let mut end = None;
        let mut escaped = false;
        let mut i = 0;
        while i < rest.len() {
            if rest[i] == 0 {
                match rest.get(i + 1) {
                    Some(0) => {
                        end = Some(i);
                        break;
                    }
                    Some(0xFF) => {
                        escaped = true;
                        i += 2;
                        continue;
                    }
                    _ => return Err(self.corrupt("a text field has a stray zero byte")),
                }
            }
            i += 1;
        }
        let end = end.ok_or_else(|| self.corrupt("a text field has no end"))?;
        let raw = &rest[..end];
        self.pos += end + 2;
        let text = if escaped {
            let mut out = Vec::with_capacity(raw.len());
            let mut j = 0;
            while j < raw.len() {
                out.push(raw[j]);
                j += if raw[j] == 0 { 2 } else { 1 };
            }
            String::from_utf8(out).map(Cow::Owned).ok()
        } else {
            std::str::from_utf8(raw).map(Cow::Borrowed).ok()
        };
        text.ok_or_else(|| self.corrupt("a text field is not UTF-8"))
    }

    fn bytes<const N: usize>(&mut self) -> StoreResult<[u8; N]> {
        let bytes = self
            .key
            .get(self.pos..self.pos + N)
            .and_then(|b| <[u8; N]>::try_from(b).ok())
            .ok_or_else(|| self.corrupt("it is too short"))?;
        self.pos += N;
        Ok(bytes)
    }

    /// The next ascending integer.
    pub(crate) fn u64(&mut self) -> StoreResult<u64> {
        Ok(u64::from_be_bytes(self.bytes()?))
    }

    /// The next descending integer.
    pub(crate) fn u64_desc(&mut self) -> StoreResult<u64> {
        Ok(!self.u64()?)
    }

    /// The next ascending timestamp.
    pub(crate) fn time(&mut self) -> StoreResult<Timestamp> {
        Ok(time_from_bits(u128::from_be_bytes(self.bytes()?)))
    }

    /// The next descending timestamp.
    pub(crate) fn time_desc(&mut self) -> StoreResult<Timestamp> {
        Ok(time_from_bits(!u128::from_be_bytes(self.bytes()?)))
    }

    /// The next item key, validated.
    pub(crate) fn item(&mut self) -> StoreResult<ItemKey> {
        let technology = Technology::parse(&self.str()?).map_err(|e| self.corrupt(&e.to_string()))?;
        let account = AccountNumber::parse(&self.str()?).map_err(|e| self.corrupt(&e.to_string()))?;
        let region = self.str()?;
        let name = self.str()?;
        Ok(ItemKey::new(technology, account, region.as_ref(), name.as_ref()))
    }

    /// The next item key's four fields, unvalidated and mostly borrowed: for scans that filter.
    pub(crate) fn item_fields(&mut self) -> StoreResult<RawItemKey<'a>> {
        Ok(RawItemKey { technology: self.str()?, account: self.str()?, region: self.str()?, name: self.str()? })
    }

    /// Fails unless the whole key was read.
    pub(crate) fn end(&self) -> StoreResult<()> {
        if self.pos == self.key.len() { Ok(()) } else { Err(self.corrupt("it is too long")) }
    }
}

/// An item key's fields as stored.
pub(crate) struct RawItemKey<'a> {
    /// The technology.
    pub(crate) technology: Cow<'a, str>,
    /// The account number.
    pub(crate) account: Cow<'a, str>,
    /// The region.
    pub(crate) region: Cow<'a, str>,
    /// The name.
    pub(crate) name: Cow<'a, str>,
}

/// The item record key of a date-index entry (`table byte, time, item key`).
pub(crate) fn record_of_date_entry(entry: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(entry.len().saturating_sub(16));
    key.push(table::ITEM);
    key.extend_from_slice(entry.get(17..).unwrap_or_default());
    key
}

/// Reads the item key that an index entry (`table byte, [skip bytes], item key`) ends with.
pub(crate) fn item_key_at(key: &[u8], skip: usize) -> StoreResult<ItemKey> {
    let mut reader = Reader::new(key);
    reader.pos += skip;
    let item = reader.item()?;
    reader.end()?;
    Ok(item)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    fn item(name: &str) -> ItemKey {
        ItemKey::new(Technology::parse("s3").unwrap(), AccountNumber::parse("123456789012").unwrap(), "us-east-1", name)
    }

    #[test]
    fn strings_keep_their_order_and_round_trip() {
        let mut names = vec!["", "a", "a\0", "a\0b", "a\u{1}", "ab", "b", "\0", "é", "z\0\0"];
        let mut keys: Vec<Vec<u8>> = names.iter().map(|n| Key::new(9).str(n).into_bytes()).collect();
        names.sort();
        keys.sort();
        for (name, key) in names.iter().zip(&keys) {
            let mut reader = Reader::new(key);
            assert_eq!(reader.str().unwrap(), *name);
            reader.end().unwrap();
        }
    }

    #[test]
    fn timestamps_sort_both_ways() {
        let times = [-5_000_000_000_i128, -1, 0, 1, 1_700_000_000_000_000_000];
        let asc: Vec<_> = times.iter().map(|&t| Key::new(0).time(Timestamp::from_unix_nanos(t)).into_bytes()).collect();
        let desc: Vec<_> =
            times.iter().map(|&t| Key::new(0).time_desc(Timestamp::from_unix_nanos(t)).into_bytes()).collect();
        assert!(asc.windows(2).all(|w| w[0] < w[1]));
        assert!(desc.windows(2).all(|w| w[0] > w[1]));
        for (&t, (a, d)) in times.iter().zip(asc.iter().zip(&desc)) {
            assert_eq!(Reader::new(a).time().unwrap().unix_nanos(), t);
            assert_eq!(Reader::new(d).time_desc().unwrap().unix_nanos(), t);
        }
    }

    #[test]
    fn item_keys_round_trip_and_sort_like_item_keys() {
        let mut items = [item("b"), item("a\0x"), item("a")];
        let mut keys: Vec<_> = items.iter().map(|i| super::item(i).into_bytes()).collect();
        items.sort();
        keys.sort();
        for (i, k) in items.iter().zip(&keys) {
            assert_eq!(&item_key_at(k, 0).unwrap(), i);
        }
        let newest = item_by_date(Timestamp::from_unix_nanos(2), &item("z"));
        let oldest = item_by_date(Timestamp::from_unix_nanos(1), &item("a"));
        assert!(newest.as_ref() < oldest.as_ref());
        assert_eq!(item_key_at(&newest, 16).unwrap(), item("z"));
    }

    #[test]
    fn malformed_keys_are_corrupt_not_panics() {
        for bad in
            [&b"\x20s3"[..], b"\x20s3\0", b"\x20s3\0\x01", b"\x20S3\0\0\x31\x323456789012\0\0r\0\0n\0\0", b"\x30\0\0"]
        {
            let error = item_key_at(bad, 0).unwrap_err();
            assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
        }
        assert!(Reader::new(b"\x30\0\0").u64().is_err());
        assert!(describe(b"\x20s3\0\xff").contains("items key"));
        // A field after a string may start with 0xFF (a newest-first number).
        let key = revision_by_item(&item("n"), RevisionId(3));
        let mut reader = Reader::new(&key);
        assert_eq!(reader.item().unwrap(), item("n"));
        assert_eq!(reader.u64_desc().unwrap(), 3);
        reader.end().unwrap();
    }
}
