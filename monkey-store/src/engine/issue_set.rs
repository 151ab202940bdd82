//! The stored form of an item's issue set: each issue without the item it belongs to, the
//! set's JSON array compressed.
//!
//! The set's key names the item, so repeating it in every issue (until version 4) made issue
//! sets the largest table of a store, about a third of every write. Empty links, no
//! justification and not fixed are left out for the same reason. From version 5 the record is
//! a zero byte (which JSON text never starts with) and the array's LZ4 block, a third of its
//! size: the issues of a set repeat their checks' categories, messages and times. Sets
//! written as plain JSON arrays before still read.

use super::{compressed, keys, records};
use monkey_core::model::{Category, Issue, IssueKey, ItemKey, Justification, Timestamp};
use monkey_core::store::StoreResult;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One issue of a set, as written.
#[derive(Serialize)]
struct Written<'a> {
    check: &'a str,
    notes: &'a str,
    score: u32,
    category: Category,
    message: &'a str,
    #[serde(skip_serializing_if = "<[ItemKey]>::is_empty")]
    links: &'a [ItemKey],
    #[serde(skip_serializing_if = "is_false")]
    fixed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a Justification>,
    first_seen: Timestamp,
    last_seen: Timestamp,
}

impl<'a> Written<'a> {
    fn of(issue: &'a Issue) -> Self {
        Written {
            check: &issue.key.check,
            notes: &issue.key.notes,
            score: issue.score,
            category: issue.category,
            message: &issue.message,
            links: &issue.links,
            fixed: issue.fixed,
            justification: issue.justification.as_ref(),
            first_seen: issue.first_seen,
            last_seen: issue.last_seen,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One issue of a set, as read.
#[derive(Deserialize)]
struct Read {
    check: String,
    notes: String,
    score: u32,
    category: Category,
    message: String,
    #[serde(default)]
    links: Vec<ItemKey>,
    #[serde(default)]
    fixed: bool,
    #[serde(default)]
    justification: Option<Justification>,
    first_seen: Timestamp,
    last_seen: Timestamp,
}

impl Read {
    fn into_issue(self, item: ItemKey) -> Issue {
        Issue {
            key: IssueKey { item, check: self.check, notes: self.notes },
            score: self.score,
            category: self.category,
            message: self.message,
            links: self.links,
            fixed: self.fixed,
            justification: self.justification,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
        }
    }
}

/// One issue as an element of its set's record.
pub(crate) fn encode_issue(issue: &Issue) -> StoreResult<Vec<u8>> {
    records::encode(&Written::of(issue))
}

/// The record of a set of one item's issues (sorted by (check, notes)).
pub(crate) fn encode(issues: &[Issue]) -> StoreResult<Vec<u8>> {
    let records = issues.iter().map(encode_issue).collect::<StoreResult<Vec<_>>>()?;
    join(records.iter().map(Vec::as_slice))
}

/// The record of a set from its issues' records (from [`encode_issue`], by (check, notes)).
pub(crate) fn join<'a>(issues: impl Iterator<Item = &'a [u8]> + Clone) -> StoreResult<Vec<u8>> {
    let mut array = Vec::with_capacity(issues.clone().map(|record| record.len() + 1).sum::<usize>() + 1);
    array.push(b'[');
    for record in issues {
        if array.len() > 1 {
            array.push(b',');
        }
        array.extend_from_slice(record);
    }
    array.push(b']');
    compressed::compress_after(&[COMPRESSED], &array)
}

/// The first byte of a compressed set's record.
const COMPRESSED: u8 = 0;

/// The JSON array of the set stored under `key`.
pub(crate) fn array<'b>(key: &[u8], bytes: &'b [u8]) -> StoreResult<std::borrow::Cow<'b, [u8]>> {
    match bytes.split_first() {
        Some((&COMPRESSED, block)) => Ok(compressed::decompress(key, "the issue set", block)?.into()),
        _ => Ok(bytes.into()),
    }
}

/// The issues of the set stored under `key`, whose item the key names.
pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Vec<Issue>> {
    let item = keys::item_key_at(key, 0)?;
    let read: Vec<Read> = records::decode(key, &array(key, bytes)?)?;
    Ok(read.into_iter().map(|issue| issue.into_issue(item.clone())).collect())
}

/// The justifications of the set stored under `key`, by (check, notes).
///
/// Most sets hold none: those are not decoded, only searched for the field's name.
pub(crate) fn justifications(key: &[u8], bytes: &[u8]) -> StoreResult<HashMap<(String, String), Justification>> {
    let array = array(key, bytes)?;
    if memchr::memmem::find(&array, b"\"justification\"").is_none() {
        return Ok(HashMap::new());
    }
    let read: Vec<Read> = records::decode(key, &array)?;
    Ok(read.into_iter().filter_map(|issue| Some(((issue.check, issue.notes), issue.justification?))).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::conformance::fixtures::{issue, justification, key};

    fn set() -> (Vec<u8>, Vec<Issue>) {
        let item = key("securitygroup", 900_000_001_701, "eu-west-1", "sg-1");
        let mut issues =
            vec![issue(&item, "open", "tcp/22", 10), issue(&item, "open", "tcp/3389 \"justification\"", 5)];
        issues[0].justification = Some(justification("ops@example.com", "bastion"));
        (keys::issue_set(&item).as_ref().to_vec(), issues)
    }

    #[test]
    fn a_set_decodes_as_its_issues_whether_joined_or_encoded() {
        let (key, issues) = set();
        let records: Vec<Vec<u8>> = issues.iter().map(|issue| encode_issue(issue).unwrap()).collect();
        let joined = join(records.iter().map(Vec::as_slice)).unwrap();
        assert_eq!(joined, encode(&issues).unwrap());
        assert_eq!(joined[0], COMPRESSED);
        assert_eq!(decode(&key, &joined).unwrap(), issues);
    }

    #[test]
    fn a_set_from_before_version_5_still_reads() {
        let (key, issues) = set();
        let plain = array(&key, &encode(&issues).unwrap()).unwrap().into_owned();
        assert_eq!(plain[0], b'[');
        assert_eq!(decode(&key, &plain).unwrap(), issues);
        assert_eq!(justifications(&key, &plain).unwrap().len(), 1);
    }

    #[test]
    fn justifications_are_found_only_where_there_are_some() {
        let (key, mut issues) = set();
        let found = justifications(&key, &encode(&issues).unwrap()).unwrap();
        let expected =
            ((issues[0].key.check.clone(), issues[0].key.notes.clone()), justification("ops@example.com", "bastion"));
        assert_eq!(found.into_iter().collect::<Vec<_>>(), vec![expected]);
        issues[0].justification = None;
        assert!(justifications(&key, &encode(&issues).unwrap()).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_set_is_an_error_naming_it() {
        let (key, issues) = set();
        let stored = encode(&issues).unwrap();
        for damaged in [&stored[..5], &[COMPRESSED][..], b"[{"] {
            let error = decode(&key, damaged).unwrap_err();
            assert!(
                matches!(&error, monkey_core::store::StoreError::Corrupt { what } if what.contains("sg-1")),
                "{error}"
            );
        }
    }
}
