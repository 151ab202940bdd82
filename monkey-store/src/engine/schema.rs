//! The schema version: recorded on creation, checked on open, and migrations from older ones.
//!
//! Version 0 is any store written before the version was recorded: it has records but no
//! schema version key. Its indexes are not trusted, so the migration to version 1 rebuilds
//! every index (and the id counters) from the records. Each later format change adds one
//! migration to [`MIGRATIONS`]; all pending ones run in a single write transaction, so an
//! interrupted migration leaves the store as it was.

use super::keys::{self, Key, meta, table};
use super::records::{self, Summary};
use super::{issue_set, item_record, revision_record};
use crate::kv::{Kv, KvRead, KvWrite};
use monkey_core::model::{Account, Comment, Issue, ItemKey, Revision};
use monkey_core::store::{StoreError, StoreResult};
use std::collections::{BTreeMap, BTreeSet};

/// The schema version this build writes, and the newest it reads.
pub const CURRENT_SCHEMA_VERSION: u32 = 6;

/// The first version whose redb file keeps each kind of record in its own table (see
/// [`tables_per_kind`]).
pub(crate) const TABLES_PER_KIND_VERSION: u32 = 6;

/// A step from one version to the next, run inside the migrating write transaction.
type Migration = fn(&mut dyn KvWrite) -> StoreResult<()>;

/// `MIGRATIONS[n]` turns version `n` into version `n + 1`.
const MIGRATIONS: [Migration; CURRENT_SCHEMA_VERSION as usize] = [
    rebuild_indexes,
    rebuild_date_index,
    group_issues,
    slim_issue_sets_and_drop_account_index,
    compact_records,
    tables_per_kind,
];

/// The version of the store as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Nothing stored yet.
    Empty,
    /// This version.
    Version(u32),
}

/// Reads the stored version.
pub(crate) fn found(r: &dyn KvRead) -> StoreResult<Found> {
    match r.get(meta::SCHEMA_VERSION)? {
        Some(bytes) => {
            let bytes = <[u8; 4]>::try_from(bytes.as_slice())
                .map_err(|_| StoreError::Corrupt { what: "the schema version is not 4 bytes".into() })?;
            Ok(Found::Version(u32::from_be_bytes(bytes)))
        }
        None if r.any(&[])? => Ok(Found::Version(0)),
        None => Ok(Found::Empty),
    }
}

/// Records `version` as the store's schema version.
pub(crate) fn set_version(w: &mut dyn KvWrite, version: u32) -> StoreResult<()> {
    w.put(meta::SCHEMA_VERSION, &version.to_be_bytes())
}

/// Makes the store at `path` current: records the version in a new store, migrates an older
/// one, refuses a newer one.
pub(crate) fn prepare(kv: &dyn Kv, path: &str) -> StoreResult<()> {
    match kv.read_with(found)? {
        Found::Empty => kv.write_with(|w| set_version(w, CURRENT_SCHEMA_VERSION)),
        Found::Version(CURRENT_SCHEMA_VERSION) => Ok(()),
        Found::Version(version) if version > CURRENT_SCHEMA_VERSION => {
            Err(StoreError::SchemaTooNew { path: path.to_owned(), found: version, supported: CURRENT_SCHEMA_VERSION })
        }
        Found::Version(version) => kv.write_with(|w| migrate(w, version)),
    }
}

/// Runs the migrations from `from` to the current version.
fn migrate(w: &mut dyn KvWrite, from: u32) -> StoreResult<()> {
    let pending = MIGRATIONS.get(from as usize..).unwrap_or_default();
    for migration in pending {
        migration(w)?;
    }
    set_version(w, CURRENT_SCHEMA_VERSION)
}

/// Version 0 → 1: rebuilds every index and id counter from the records.
pub(crate) fn rebuild_indexes(w: &mut dyn KvWrite) -> StoreResult<()> {
    for index in table::INDEXES {
        for key in (w as &dyn KvRead).keys(&[index])? {
            w.delete(&key)?;
        }
    }
    let accounts: Vec<Account> = records::list(w, &[table::ACCOUNT])?;
    for account in &accounts {
        w.put(&Key::new(table::ACCOUNT_BY_NAME).str(account.name.as_str()), account.number.as_str().as_bytes())?;
    }
    let items = item_record::list(w, &[table::ITEM])?;
    let mut arns = BTreeSet::new();
    for mut item in items {
        if let Some(arn) = &item.arn {
            // ARNs are unique: of two items claiming one, the first in key order keeps it.
            if arns.insert(arn.clone()) {
                w.put(&keys::item_by_arn(arn), &keys::item_fields(&item.key))?;
            } else {
                item.arn = None;
                w.put(&keys::item(&item.key), &item_record::encode(&item))?;
            }
        }
        w.put(&keys::item_by_date(item.latest_revision_at, &item.key), &Summary::of(&item).encode())?;
    }
    let mut revisions: Vec<Revision> = Vec::new();
    (w as &dyn KvRead).scan(&[table::REVISION], &mut |key, value| {
        revisions.push(revision_record::decode(key, value)?);
        Ok(true)
    })?;
    for revision in &revisions {
        w.put(&keys::revision_by_item(&revision.item, revision.id), &[])?;
        records::bump_past(w, meta::NEXT_REVISION, revision.id.0)?;
    }
    let comments: Vec<Comment> = records::list(w, &[table::COMMENT])?;
    for comment in &comments {
        w.put(&keys::comment_by_target(&comment.target, comment.at, comment.id), &[])?;
        records::bump_past(w, meta::NEXT_COMMENT, comment.id.0)?;
    }
    Ok(())
}

/// Version 1 → 2, and the repair of a damaged date index: rewrites it from the item records
/// (version 2 added the unjustified score to its summaries).
pub(crate) fn rebuild_date_index(w: &mut dyn KvWrite) -> StoreResult<()> {
    for key in (w as &dyn KvRead).keys(&[table::ITEM_BY_DATE])? {
        w.delete(&key)?;
    }
    let mut rebuilt = Vec::new();
    w.scan(&[table::ITEM], &mut |key, value| {
        let item = item_record::decode(key, value)?;
        rebuilt.push((keys::item_by_date(item.latest_revision_at, &item.key), Summary::of(&item)));
        Ok(true)
    })?;
    for (key, summary) in rebuilt {
        w.put(&key, &summary.encode())?;
    }
    Ok(())
}

/// An issue record as found while migrating: one issue (up to version 2) or an issue set.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum IssueRecord {
    One(Box<Issue>),
    Set(Vec<Issue>),
}

/// Version 2 → 3: an item's issues become one record, its issue set.
pub(crate) fn group_issues(w: &mut dyn KvWrite) -> StoreResult<()> {
    let mut sets: BTreeMap<ItemKey, BTreeMap<(String, String), Issue>> = BTreeMap::new();
    for (key, value) in (w as &dyn KvRead).entries(&[table::ISSUE])? {
        let issues = match records::decode::<IssueRecord>(&key, &value)? {
            IssueRecord::One(issue) => vec![*issue],
            IssueRecord::Set(issues) => issues,
        };
        for issue in issues {
            let set = sets.entry(issue.key.item.clone()).or_default();
            set.insert((issue.key.check.clone(), issue.key.notes.clone()), issue);
        }
        w.delete(&key)?;
    }
    for (item, set) in sets {
        let issues: Vec<Issue> = set.into_values().collect();
        records::put(w, &keys::issue_set(&item), &issues)?;
    }
    Ok(())
}

/// Version 3 → 4: the issues of a set no longer repeat their item (see `issue_set`), and the
/// index of accounts' items is gone. Revisions are written compressed from version 4 on
/// (`revision_record`); older ones read as they are.
pub(crate) fn slim_issue_sets_and_drop_account_index(w: &mut dyn KvWrite) -> StoreResult<()> {
    for key in (w as &dyn KvRead).keys(&[table::ITEM_BY_ACCOUNT])? {
        w.delete(&key)?;
    }
    for (key, value) in (w as &dyn KvRead).entries(&[table::ISSUE])? {
        let issues: Vec<Issue> = records::decode(&key, &value)?;
        if let Some(stray) = issues.iter().find(|issue| key[..] != keys::issue_set(&issue.key.item)[..]) {
            return Err(StoreError::Corrupt {
                what: format!("{} holds the issue of {}", keys::describe(&key), stray.key.item),
            });
        }
        w.put(&key, &issue_set::encode(&issues)?)?;
    }
    Ok(())
}

/// Version 4 → 5: items and revision heads are written in binary layouts (`item_record`,
/// `revision_record`) and issue sets compressed (`issue_set`) from version 5 on. Records
/// written before read as they are, and are rewritten in the new form when they next change,
/// so there is nothing to convert: the version only keeps older monkeys, which cannot read
/// the new forms, from opening the store.
pub(crate) fn compact_records(_: &mut dyn KvWrite) -> StoreResult<()> {
    Ok(())
}

/// Version 5 → 6: a redb file keeps each kind of record in its own table. The redb backend
/// moves the entries when it opens the file, before anything reads them, and leaves in the
/// one table older monkeys read only this version, which they refuse instead of taking the
/// store for an empty one (see `kv::redb`). Nothing changes in the records.
pub(crate) fn tables_per_kind(_: &mut dyn KvWrite) -> StoreResult<()> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::conformance;
    use crate::engine::Engine;
    use crate::kv::{redb::RedbKv, sled::SledKv};
    use monkey_core::store::Store;
    use std::path::Path;
    use std::sync::Arc;

    fn open_kv(kind: &str, path: &Path) -> Arc<dyn Kv> {
        match kind {
            "redb" => Arc::new(RedbKv::open(path).unwrap()),
            _ => Arc::new(SledKv::open(path).unwrap()),
        }
    }

    /// A new store in a temporary directory holding the conformance sample, and what it holds.
    async fn sampled(kind: &str) -> (tempfile::TempDir, std::path::PathBuf, conformance::Snapshot) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let before = sample(kind, &path).await;
        (dir, path, before)
    }

    /// Writes the conformance sample to a new store at `path`; what it holds.
    async fn sample(kind: &str, path: &Path) -> conformance::Snapshot {
        let store = Engine::new(open_kv(kind, path), "test", path.display().to_string()).unwrap();
        conformance::write_sample(&store).await;
        conformance::snapshot(&store).await
    }

    #[test]
    fn a_new_store_records_the_current_version() {
        for kind in ["redb", "sled"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("store");
            let kv = open_kv(kind, &path);
            assert_eq!(kv.read_with(found).unwrap(), Found::Empty);
            prepare(kv.as_ref(), "x").unwrap();
            assert_eq!(kv.read_with(found).unwrap(), Found::Version(CURRENT_SCHEMA_VERSION));
        }
    }

    #[test]
    fn a_store_from_a_newer_monkey_is_refused() {
        for kind in ["redb", "sled"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("store");
            open_kv(kind, &path).write_with(|w| set_version(w, CURRENT_SCHEMA_VERSION + 1)).unwrap();
            let Err(error) = crate::open(&format!("{kind}:{}", path.display())) else {
                panic!("{kind}: a newer store must be refused")
            };
            let shown = path.display().to_string();
            assert!(
                matches!(&error, StoreError::SchemaTooNew { path, found, supported } if *path == shown && *found == CURRENT_SCHEMA_VERSION + 1 && *supported == CURRENT_SCHEMA_VERSION),
                "{kind}: {error:?}"
            );
            assert!(error.to_string().contains("upgrade monkey"), "{error}");
        }
    }

    /// Rewrites the issue sets as versions 3 and older wrote them, every issue naming its item;
    /// returns how many.
    fn full_issue_sets(w: &mut dyn KvWrite) -> StoreResult<usize> {
        let sets = (w as &dyn KvRead).entries(&[table::ISSUE])?;
        for (key, value) in &sets {
            records::put(w, key, &issue_set::decode(key, value)?)?;
        }
        Ok(sets.len())
    }

    /// The conformance sample, rewritten by `downgrade` as an older version wrote it, then
    /// opened (so migrated) and checked: it must hold what it held. Returns the store, the
    /// sample as it was, and what `downgrade` returned.
    async fn migrated<T>(
        kind: &str,
        downgrade: impl FnOnce(&mut dyn KvWrite) -> StoreResult<T>,
    ) -> (tempfile::TempDir, Engine, conformance::Snapshot, T) {
        let (dir, path, before) = sampled(kind).await;
        let downgraded = open_kv(kind, &path).write_with(downgrade).unwrap();
        let store = Engine::new(open_kv(kind, &path), "test", path.display().to_string()).unwrap();
        assert_eq!(store.kv.read_with(found).unwrap(), Found::Version(CURRENT_SCHEMA_VERSION));
        store.verify().await.unwrap();
        assert_eq!(conformance::snapshot(&store).await, before, "{kind}");
        (dir, store, before, downgraded)
    }

    #[tokio::test]
    async fn a_version_0_store_is_migrated() {
        for kind in ["redb", "sled"] {
            // Version 0: the records alone, without the version, the counters or any index.
            let (_dir, store, before, ()) = migrated(kind, |w| {
                full_issue_sets(w)?;
                for key in [meta::SCHEMA_VERSION, meta::NEXT_REVISION, meta::NEXT_COMMENT] {
                    w.delete(key)?;
                }
                for index in table::INDEXES {
                    for key in (w as &dyn KvRead).keys(&[index])? {
                        w.delete(&key)?;
                    }
                }
                assert_eq!(found(w)?, Found::Version(0));
                Ok(())
            })
            .await;
            let newest = before.revisions.iter().flatten().map(|r| r.id).max().unwrap();
            let item = &before.items[0];
            let change = monkey_core::store::ItemChange {
                key: item.key.clone(),
                arn: item.arn.clone(),
                kind: monkey_core::store::ChangeKind::Changed,
                config: serde_json::json!({"after": "migration"}),
                durable_hash: item.durable_hash,
                complete_hash: item.complete_hash,
            };
            let changeset = monkey_core::store::Changeset { at: item.latest_revision_at, changes: vec![change] };
            let receipt = store.commit_changeset(&changeset).await.unwrap();
            assert!(receipt.revisions[0].1 > newest, "{kind}: the counter was rebuilt past every id");
            store.verify().await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_version_1_store_gets_unjustified_scores_in_its_date_index() {
        for kind in ["redb", "sled"] {
            // Version 1 summaries: one byte of activity and four of score.
            let (_dir, store, before, ()) = migrated(kind, |w| {
                for (key, value) in (w as &dyn KvRead).entries(&[table::ITEM_BY_DATE])? {
                    w.put(&key, &value[..5])?;
                }
                full_issue_sets(w)?;
                set_version(w, 1)
            })
            .await;
            let unjustified = monkey_core::store::ItemQuery { min_unjustified_score: Some(1), ..Default::default() };
            let expected = before.items.iter().filter(|i| i.unjustified_score >= 1).count();
            assert!(expected > 0 && expected < before.items.len(), "the sample has both kinds of items");
            assert_eq!(store.search(&unjustified).await.unwrap().total, expected, "{kind}");
        }
    }

    #[tokio::test]
    async fn a_version_2_store_gets_issue_sets() {
        for kind in ["redb", "sled"] {
            // Version 2: one record per issue, keyed by (item, check, notes).
            let (_dir, store, _, issues) = migrated(kind, |w| {
                let mut issues = 0;
                for (key, value) in (w as &dyn KvRead).entries(&[table::ISSUE])? {
                    w.delete(&key)?;
                    for issue in issue_set::decode(&key, &value)? {
                        let key =
                            Key::new(table::ISSUE).item(&issue.key.item).str(&issue.key.check).str(&issue.key.notes);
                        records::put(w, &key, &issue)?;
                        issues += 1;
                    }
                }
                set_version(w, 2)?;
                Ok(issues)
            })
            .await;
            assert!(issues > 1, "the sample has issues");
            assert_eq!(store.verify().await.unwrap().issues, issues, "{kind}");
        }
    }

    #[tokio::test]
    async fn a_version_3_store_gets_slim_issue_sets_and_loses_the_account_index() {
        for kind in ["redb", "sled"] {
            // Version 3: every issue of a set names its item, and accounts' items are indexed.
            let (_dir, store, _, sets) = migrated(kind, |w| {
                let sets = full_issue_sets(w)?;
                for (key, _) in (w as &dyn KvRead).entries(&[table::ITEM])? {
                    let item = keys::item_key_at(&key, 0)?;
                    let indexed = Key::new(table::ITEM_BY_ACCOUNT)
                        .str(item.account.as_str())
                        .str(item.technology.as_str())
                        .str(&item.region)
                        .str(&item.name);
                    w.put(&indexed, &[])?;
                }
                set_version(w, 3)?;
                Ok(sets)
            })
            .await;
            assert!(sets > 0, "the sample has issue sets");
            assert!(!store.kv.read_with(|r| r.any(&[table::ITEM_BY_ACCOUNT])).unwrap(), "{kind}: the index is gone");
            for (key, value) in store.kv.read_with(|r| r.entries(&[table::ISSUE])).unwrap() {
                let set: Vec<serde_json::Value> =
                    records::decode(&key, &issue_set::array(&key, &value).unwrap()).unwrap();
                assert!(set.iter().all(|issue| issue.get("key").is_none()), "{kind}: {}", keys::describe(&key));
            }
        }
    }

    #[tokio::test]
    async fn a_version_4_store_reads_as_it_was() {
        for kind in ["redb", "sled"] {
            // Version 4: items as JSON, issue sets as plain JSON arrays.
            let (_dir, store, before, ()) = migrated(kind, |w| {
                for (key, value) in (w as &dyn KvRead).entries(&[table::ITEM])? {
                    records::put(w, &key, &item_record::decode(&key, &value)?)?;
                }
                for (key, value) in (w as &dyn KvRead).entries(&[table::ISSUE])? {
                    w.put(&key, &issue_set::array(&key, &value)?)?;
                }
                set_version(w, 4)
            })
            .await;
            let first = store.kv.read_with(|r| r.entries(&[table::ITEM])).unwrap();
            assert!(first.iter().all(|(_, value)| value.starts_with(b"{")), "{kind}: nothing is rewritten");

            // A new audit of an item whose set is from version 4 keeps its justification.
            let (item, justified) = before
                .items
                .iter()
                .zip(&before.issues)
                .find(|(_, issues)| issues.iter().any(|issue| issue.justification.is_some()))
                .unwrap();
            let unjustified = justified.iter().map(|issue| Issue { justification: None, ..issue.clone() }).collect();
            let audit = monkey_core::store::AuditCommit {
                at: item.latest_revision_at,
                items: vec![monkey_core::store::ItemAudit { item: item.key.clone(), issues: unjustified }],
            };
            store.commit_audit(&audit).await.unwrap();
            assert_eq!(&store.issues(&item.key).await.unwrap(), justified, "{kind}");
            store.verify().await.unwrap();
        }
    }
}
