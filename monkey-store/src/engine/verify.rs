//! Verification: checks every index and derived field against the records (an fsck).
//!
//! The expected content of each index is computed from the records and compared, entry by
//! entry and value by value, with the stored index, so a stale entry and a missing one are both
//! found. Everything is read in one consistent view and held in memory: this is a tool for
//! tests and for an operator's `verify` command, not for the hot path.

use super::keys::{self, Key, meta, table};
use super::records::{self, Summary};
use super::schema::{self, CURRENT_SCHEMA_VERSION, Found};
use super::{issue_set, item_record, revision_record};
use crate::kv::KvRead;
use monkey_core::model::{Account, Comment, CommentTarget, Issue, Item, ItemKey, Revision};
use monkey_core::store::{StoreError, StoreResult, scores};
use std::collections::{BTreeMap, BTreeSet};

/// What a successful verification counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verification {
    /// Accounts.
    pub accounts: usize,
    /// Items.
    pub items: usize,
    /// Revisions.
    pub revisions: usize,
    /// Issues.
    pub issues: usize,
    /// Comments.
    pub comments: usize,
    /// Index entries checked.
    pub index_entries: usize,
}

/// How many problems an error lists before it summarises the rest.
const SHOWN_PROBLEMS: usize = 20;

/// Every record under a table, with its key, read by `decode` (such as [`records::decode`]).
fn records_of<T>(
    r: &dyn KvRead,
    table: u8,
    decode: impl Fn(&[u8], &[u8]) -> StoreResult<T>,
) -> StoreResult<Vec<(Vec<u8>, T)>> {
    r.entries(&[table])?
        .into_iter()
        .map(|(key, value)| {
            let record = decode(&key, &value)?;
            Ok((key, record))
        })
        .collect()
}

/// Checks the whole store; lists what is wrong in a [`StoreError::Corrupt`].
pub(crate) fn verify(r: &dyn KvRead) -> StoreResult<Verification> {
    let mut problems = Vec::new();
    let mut counts = Verification::default();
    match schema::found(r)? {
        Found::Version(CURRENT_SCHEMA_VERSION) => {}
        other => problems.push(format!("schema version {other:?}, expected {CURRENT_SCHEMA_VERSION}")),
    }
    let mut expected: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();

    let accounts: Vec<(Vec<u8>, Account)> = records_of(r, table::ACCOUNT, records::decode)?;
    counts.accounts = accounts.len();
    for (key, account) in &accounts {
        if key[..] != Key::new(table::ACCOUNT).str(account.number.as_str())[..] {
            problems.push(format!("{} holds account {}", keys::describe(key), account.number));
        }
        let name = Key::new(table::ACCOUNT_BY_NAME).str(account.name.as_str()).into_bytes();
        if expected.insert(name, account.number.as_str().as_bytes().to_vec()).is_some() {
            problems.push(format!("two accounts are named {}", account.name));
        }
    }

    let revisions: Vec<(Vec<u8>, Revision)> = records_of(r, table::REVISION, revision_record::decode)?;
    counts.revisions = revisions.len();
    let next_revision = records::get_u64(r, meta::NEXT_REVISION)?.unwrap_or(1);
    let mut newest: BTreeMap<&ItemKey, &Revision> = BTreeMap::new();
    let mut revision_ids = BTreeSet::new();
    for (key, revision) in &revisions {
        if key[..] != keys::revision(revision.id)[..] {
            problems.push(format!("{} holds revision {}", keys::describe(key), revision.id));
        }
        if revision.id.0 >= next_revision {
            problems.push(format!("revision {} is not below the counter {next_revision}", revision.id));
        }
        revision_ids.insert(revision.id);
        expected.insert(keys::revision_by_item(&revision.item, revision.id).into_bytes(), Vec::new());
        let slot = newest.entry(&revision.item).or_insert(revision);
        if revision.id > slot.id {
            *slot = revision;
        }
    }

    let sets: Vec<(Vec<u8>, Vec<Issue>)> = records_of(r, table::ISSUE, issue_set::decode)?;
    let mut issues_by_item: BTreeMap<&ItemKey, Vec<Issue>> = BTreeMap::new();
    for (key, set) in &sets {
        counts.issues += set.len();
        if set.is_empty() {
            problems.push(format!("{} is an empty issue set", keys::describe(key)));
        }
        if set
            .windows(2)
            .any(|pair| (&pair[0].key.check, &pair[0].key.notes) >= (&pair[1].key.check, &pair[1].key.notes))
        {
            problems.push(format!("{} is not sorted by (check, notes) without repeats", keys::describe(key)));
        }
        for issue in set {
            issues_by_item.entry(&issue.key.item).or_default().push(issue.clone());
        }
    }

    let items: Vec<(Vec<u8>, Item)> = records_of(r, table::ITEM, item_record::decode)?;
    counts.items = items.len();
    let item_keys: BTreeSet<&ItemKey> = items.iter().map(|(_, item)| &item.key).collect();
    let mut arns = BTreeSet::new();
    for (key, item) in &items {
        let name = &item.key;
        if key[..] != keys::item(name)[..] {
            problems.push(format!("{} holds item {name}", keys::describe(key)));
        }
        match newest.get(name) {
            None => problems.push(format!("item {name} has no revision")),
            Some(latest) if latest.id != item.latest_revision => problems.push(format!(
                "item {name} points at revision {} but its newest is {}",
                item.latest_revision, latest.id
            )),
            Some(latest) => {
                if latest.created_at != item.latest_revision_at
                    || latest.active != item.active
                    || latest.durable_hash != item.durable_hash
                    || latest.complete_hash != item.complete_hash
                {
                    problems.push(format!("item {name} disagrees with its latest revision {}", latest.id));
                }
            }
        }
        let (score, unjustified) = scores(issues_by_item.get(name).map(Vec::as_slice).unwrap_or_default());
        if (score, unjustified) != (item.score, item.unjustified_score) {
            problems.push(format!(
                "item {name} has scores ({}, {}) but its issues make ({score}, {unjustified})",
                item.score, item.unjustified_score
            ));
        }
        let summary = Summary::of(item);
        expected.insert(keys::item_by_date(item.latest_revision_at, name).into_bytes(), summary.encode().to_vec());
        if let Some(arn) = &item.arn {
            if !arns.insert(arn) {
                problems.push(format!("two items hold the ARN {arn}"));
            }
            expected.insert(keys::item_by_arn(arn).into_bytes(), keys::item_fields(name));
        }
    }
    for revision in newest.keys() {
        if !item_keys.contains(revision) {
            problems.push(format!("revisions of {revision} outlive their item"));
        }
    }
    for item in issues_by_item.keys() {
        if !item_keys.contains(item) {
            problems.push(format!("issues of {item} outlive their item"));
        }
    }

    let comments: Vec<(Vec<u8>, Comment)> = records_of(r, table::COMMENT, records::decode)?;
    counts.comments = comments.len();
    let next_comment = records::get_u64(r, meta::NEXT_COMMENT)?.unwrap_or(1);
    for (key, comment) in &comments {
        if key[..] != keys::comment(comment.id)[..] {
            problems.push(format!("{} holds comment {}", keys::describe(key), comment.id.0));
        }
        if comment.id.0 >= next_comment {
            problems.push(format!("comment {} is not below the counter {next_comment}", comment.id.0));
        }
        let target_exists = match &comment.target {
            CommentTarget::Item(item) => item_keys.contains(item),
            CommentTarget::Revision(id) => revision_ids.contains(id),
        };
        if !target_exists {
            problems.push(format!("comment {} is on a target that does not exist", comment.id.0));
        }
        expected.insert(keys::comment_by_target(&comment.target, comment.at, comment.id).into_bytes(), Vec::new());
    }

    let mut actual: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    // The retired index too: it should be empty, as every entry of it points at nothing.
    for index in table::INDEXES.into_iter().chain([table::ITEM_BY_ACCOUNT]) {
        actual.extend(r.entries(&[index])?);
    }
    counts.index_entries = actual.len();
    for (key, value) in &expected {
        match actual.get(key) {
            None => problems.push(format!("{} is missing", keys::describe(key))),
            Some(stored) if stored != value => problems.push(format!("{} has a stale value", keys::describe(key))),
            Some(_) => {}
        }
    }
    for key in actual.keys() {
        if !expected.contains_key(key) {
            problems.push(format!("{} points at nothing", keys::describe(key)));
        }
    }

    if problems.is_empty() {
        return Ok(counts);
    }
    let more = problems.len().saturating_sub(SHOWN_PROBLEMS);
    let mut what = problems.into_iter().take(SHOWN_PROBLEMS).collect::<Vec<_>>().join("; ");
    if more > 0 {
        what.push_str(&format!("; and {more} more"));
    }
    Err(StoreError::Corrupt { what })
}
