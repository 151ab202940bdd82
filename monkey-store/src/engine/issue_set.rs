//! The stored form of an item's issue set: each issue without the item it belongs to.
//!
//! The set's key names the item, so repeating it in every issue (until version 4) made issue
//! sets the largest table of a store, about a third of every write. Empty links, no
//! justification and not fixed are left out for the same reason.

use super::keys;
use super::records;
use monkey_core::model::{Category, Issue, IssueKey, ItemKey, Justification, Timestamp};
use monkey_core::store::StoreResult;
use serde::{Deserialize, Serialize};

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
    let written: Vec<Written<'_>> = issues.iter().map(Written::of).collect();
    records::encode(&written)
}

/// The issues of the set stored under `key`, whose item the key names.
pub(crate) fn decode(key: &[u8], bytes: &[u8]) -> StoreResult<Vec<Issue>> {
    let item = keys::item_key_at(key, 0)?;
    let read: Vec<Read> = records::decode(key, bytes)?;
    Ok(read.into_iter().map(|issue| issue.into_issue(item.clone())).collect())
}
