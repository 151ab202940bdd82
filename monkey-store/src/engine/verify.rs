//! Verification: checks every index and derived field against the records (an fsck).
//!
//! The expected content of each index is computed from the records and compared, entry by
//! entry and value by value, with the stored index, so a stale entry and a missing one are both
//! found. Everything is read in one consistent view; what is held in memory is the expected
//! index entries and a few fields per item (2.3 GiB at a million items, where holding every
//! record took 15 GiB). This is a tool for tests and for an operator's `verify` command, not for the hot
//! path.

use super::keys::{self, Key, meta, table};
use super::records::{self, Summary};
use super::schema::{self, CURRENT_SCHEMA_VERSION, Found};
use super::{issue_set, item_record, revision_record};
use crate::kv::KvRead;
use monkey_core::model::{Account, Comment, CommentTarget, Hash, ItemKey, Revision, RevisionId, Timestamp};
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

/// What verification keeps of a revision: what its item must agree with.
struct Head {
    id: RevisionId,
    created_at: Timestamp,
    active: bool,
    durable_hash: Hash,
    complete_hash: Hash,
}

impl Head {
    fn of(revision: &Revision) -> Self {
        Self {
            id: revision.id,
            created_at: revision.created_at,
            active: revision.active,
            durable_hash: revision.durable_hash,
            complete_hash: revision.complete_hash,
        }
    }
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

    // Revisions, issue sets and items are read one at a time and only what the checks need is
    // kept: a million configurations held at once took 15 GiB.
    let next_revision = records::get_u64(r, meta::NEXT_REVISION)?.unwrap_or(1);
    let mut newest: BTreeMap<ItemKey, Head> = BTreeMap::new();
    let mut revision_ids = BTreeSet::new();
    r.scan(&[table::REVISION], &mut |key, value| {
        // Decoded whole, configuration included, so that a damaged one is found.
        let revision = revision_record::decode(key, value)?;
        counts.revisions += 1;
        if key[..] != keys::revision(revision.id)[..] {
            problems.push(format!("{} holds revision {}", keys::describe(key), revision.id));
        }
        if revision.id.0 >= next_revision {
            problems.push(format!("revision {} is not below the counter {next_revision}", revision.id));
        }
        revision_ids.insert(revision.id);
        expected.insert(keys::revision_by_item(&revision.item, revision.id).into_bytes(), Vec::new());
        let head = Head::of(&revision);
        match newest.get_mut(&revision.item) {
            Some(slot) if head.id > slot.id => *slot = head,
            Some(_) => {}
            None => {
                newest.insert(revision.item, head);
            }
        }
        Ok(true)
    })?;

    let mut scores_by_item: BTreeMap<ItemKey, (u32, u32)> = BTreeMap::new();
    r.scan(&[table::ISSUE], &mut |key, value| {
        let set = issue_set::decode(key, value)?;
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
            let (score, unjustified) = scores(std::slice::from_ref(&issue));
            let total = scores_by_item.entry(issue.key.item).or_default();
            *total = (total.0.saturating_add(score), total.1.saturating_add(unjustified));
        }
        Ok(true)
    })?;

    let mut item_keys: BTreeSet<ItemKey> = BTreeSet::new();
    let mut arns = BTreeSet::new();
    r.scan(&[table::ITEM], &mut |key, value| {
        let item = item_record::decode(key, value)?;
        counts.items += 1;
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
        let (score, unjustified) = scores_by_item.get(name).copied().unwrap_or_default();
        if (score, unjustified) != (item.score, item.unjustified_score) {
            problems.push(format!(
                "item {name} has scores ({}, {}) but its issues make ({score}, {unjustified})",
                item.score, item.unjustified_score
            ));
        }
        let summary = Summary::of(&item);
        expected.insert(keys::item_by_date(item.latest_revision_at, name).into_bytes(), summary.encode().to_vec());
        if let Some(arn) = &item.arn {
            if !arns.insert(arn.clone()) {
                problems.push(format!("two items hold the ARN {arn}"));
            }
            expected.insert(keys::item_by_arn(arn).into_bytes(), keys::item_fields(name));
        }
        item_keys.insert(item.key);
        Ok(true)
    })?;
    for revision in newest.keys() {
        if !item_keys.contains(revision) {
            problems.push(format!("revisions of {revision} outlive their item"));
        }
    }
    for item in scores_by_item.keys() {
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

    // The retired index too: it should be empty, as every entry of it points at nothing.
    for index in table::INDEXES.into_iter().chain([table::ITEM_BY_ACCOUNT]) {
        r.scan(&[index], &mut |key, value| {
            counts.index_entries += 1;
            match expected.remove(key) {
                None => problems.push(format!("{} points at nothing", keys::describe(key))),
                Some(wanted) if wanted != value => {
                    problems.push(format!("{} has a stale value", keys::describe(key)));
                }
                Some(_) => {}
            }
            Ok(true)
        })?;
    }
    for key in expected.keys() {
        problems.push(format!("{} is missing", keys::describe(key)));
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::engine::{Engine, items};
    use crate::kv::{Kv, KvWrite, redb::RedbKv};
    use monkey_core::model::{AccountNumber, Technology};
    use std::sync::Arc;

    fn group() -> ItemKey {
        let number = AccountNumber::parse("900000001701").unwrap();
        ItemKey::new(Technology::parse("securitygroup").unwrap(), number, "eu-west-1", "sg-1")
    }

    /// One damage to the sample store, and what verification must say of it.
    type Damage = (&'static str, fn(&mut dyn KvWrite) -> StoreResult<()>);

    #[tokio::test]
    async fn every_kind_of_damage_is_named() {
        let damages: [Damage; 6] = [
            ("points at nothing", |w| w.put(&keys::revision_by_item(&group(), RevisionId(99)), &[])),
            ("is missing", |w| w.delete(&keys::revision_by_item(&group(), RevisionId(2)))),
            ("has a stale value", |w| {
                let item = items::get(w, &group())?.unwrap();
                w.put(&keys::item_by_date(item.latest_revision_at, &group()), b"stale")
            }),
            ("but its issues make (11, 1)", |w| {
                let mut item = items::get(w, &group())?.unwrap();
                item.score = 3;
                items::put(w, &item)
            }),
            ("outlive their item", |w| {
                let item = items::get(w, &group())?.unwrap();
                w.delete(&keys::item_by_date(item.latest_revision_at, &group()))?;
                w.delete(&keys::item(&group()))
            }),
            ("points at revision 3 but its newest is 2", |w| w.delete(&keys::revision(RevisionId(3)))),
        ];
        for (said, damage) in damages {
            let dir = tempfile::tempdir().unwrap();
            let kv: Arc<dyn Kv> = Arc::new(RedbKv::open(&dir.path().join("s.redb")).unwrap());
            let store = Engine::new(Arc::clone(&kv), "redb", "s.redb".into()).unwrap();
            crate::conformance::write_sample(&store).await;
            let counts = store.verify().await.unwrap();
            assert_eq!((counts.items, counts.revisions, counts.issues), (2, 3, 2));
            kv.write_with(|w| damage(w)).unwrap();
            let error = store.verify().await.unwrap_err();
            let StoreError::Corrupt { what } = &error else { panic!("{error:?}") };
            assert!(what.contains(said), "{said}: {what}");
        }
    }
}
