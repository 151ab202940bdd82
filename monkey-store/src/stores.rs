//! The public store types, one per backend, and opening a store from a `KIND:PATH` spec.

use crate::engine::{Engine, Verification};
use crate::error::{self, REDB, SLED};
use crate::kv::{redb::RedbKv, sled::SledKv};
use async_trait::async_trait;
use monkey_core::ModelError;
use monkey_core::model::{
    Account, AccountName, AccountNumber, Comment, CommentId, CommentTarget, IgnoreEntry, Issue, IssueKey, Item,
    ItemKey, Justification, NetworkWhitelistEntry, OutboxEntry, Revision, RevisionId, RunRecord, ScoreOverride,
    Technology, Timestamp, User, WatcherConfig,
};
use monkey_core::store::{
    AuditCommit, Changeset, CommitReceipt, DistinctField, ItemQuery, Page, RevisionQuery, RevisionSummary, Store,
    StoreError, StoreResult,
};
use std::path::Path;
use std::sync::Arc;

/// Opens the store a spec names: `redb:PATH`, `sled:PATH`, or a bare `PATH` (redb, the default),
/// creating missing parent directories.
///
/// Any other `kind:` prefix is refused rather than taken for a file name; write `./kind:x` for
/// a path that really starts that way.
///
/// ```
/// let dir = tempfile::tempdir().expect("a temporary directory");
/// let path = dir.path().join("data").join("monkey.redb");
/// let store = monkey_store::open(&path.display().to_string()).expect("a new store");
/// # drop(store);
/// assert!(path.exists());
/// ```
pub fn open(spec: &str) -> StoreResult<Arc<dyn Store>> {
    let invalid = |reason: &str| {
        StoreError::Invalid(ModelError::Field { field: "store", input: spec.to_owned(), reason: reason.to_owned() })
    };
    let (kind, path) = match spec.split_once(':') {
        Some(("redb", path)) => ("redb", path),
        Some(("sled", path)) => ("sled", path),
        // One letter is a Windows drive, not a kind.
        Some((kind, _)) if kind.len() > 1 && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '+') => {
            return Err(invalid("the kind must be redb or sled (redb:PATH, sled:PATH, or a bare PATH for redb)"));
        }
        _ => ("redb", spec),
    };
    if path.trim().is_empty() {
        return Err(invalid("the path is empty"));
    }
    Ok(match kind {
        "sled" => Arc::new(SledStore::open(path)?),
        _ => Arc::new(RedbStore::open(path)?),
    })
}

/// Creates the directory that will hold `path`.
fn create_parent(backend: &'static str, path: &Path) -> StoreResult<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent)
            .map_err(|e| error::backend(backend, format!("cannot create {}: {e}", parent.display()), false)),
        _ => Ok(()),
    }
}

/// The default store: a redb database in one file.
///
/// One process at a time: opening a file another process (or another `RedbStore` in this one)
/// holds fails with [`StoreError::Locked`].
pub struct RedbStore {
    engine: Engine,
}

impl RedbStore {
    /// Opens the database file at `path`, creating it (and its directory) if needed, migrating an
    /// older schema and refusing a newer one with [`StoreError::SchemaTooNew`].
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref();
        create_parent(REDB, path)?;
        let kv = RedbKv::open(path)?;
        Ok(Self { engine: Engine::new(Arc::new(kv), REDB, path.display().to_string())? })
    }

    /// Where the database file is.
    pub fn path(&self) -> &str {
        self.engine.path()
    }

    /// Checks every index against the data, and every derived field (an item's latest revision,
    /// hashes and scores) against the records it derives from; what is wrong comes back as
    /// [`StoreError::Corrupt`].
    pub async fn verify(&self) -> StoreResult<Verification> {
        self.engine.verify().await
    }
}

/// The original design's store: a sled database in one directory.
///
/// Supported but not the default: sled 0.34 is unmaintained (see the crate documentation).
/// One process at a time, as for [`RedbStore`].
pub struct SledStore {
    engine: Engine,
}

impl SledStore {
    /// Opens the database directory at `path`, creating it if needed, migrating an older schema
    /// and refusing a newer one with [`StoreError::SchemaTooNew`].
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref();
        create_parent(SLED, path)?;
        let kv = SledKv::open(path)?;
        Ok(Self { engine: Engine::new(Arc::new(kv), SLED, path.display().to_string())? })
    }

    /// Where the database directory is.
    pub fn path(&self) -> &str {
        self.engine.path()
    }

    /// Checks every index against the data, and every derived field (an item's latest revision,
    /// hashes and scores) against the records it derives from; what is wrong comes back as
    /// [`StoreError::Corrupt`].
    pub async fn verify(&self) -> StoreResult<Verification> {
        self.engine.verify().await
    }
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore").field("path", &self.path()).finish()
    }
}

impl std::fmt::Debug for SledStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SledStore").field("path", &self.path()).finish()
    }
}

/// Implements [`Store`] for a type by forwarding every method to its `engine`.
macro_rules! forward_store {
    ($ty:ty) => {
        #[async_trait]
        impl Store for $ty {
            async fn put_account(&self, account: &Account) -> StoreResult<()> {
                self.engine.put_account(account).await
            }
            async fn account_by_name(&self, name: &AccountName) -> StoreResult<Option<Account>> {
                self.engine.account_by_name(name).await
            }
            async fn account_by_number(&self, number: &AccountNumber) -> StoreResult<Option<Account>> {
                self.engine.account_by_number(number).await
            }
            async fn accounts(&self) -> StoreResult<Vec<Account>> {
                self.engine.accounts().await
            }
            async fn delete_account(&self, number: &AccountNumber) -> StoreResult<bool> {
                self.engine.delete_account(number).await
            }
            async fn items_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Item>> {
                self.engine.items_of(account, technology).await
            }
            async fn commit_changeset(&self, changeset: &Changeset) -> StoreResult<CommitReceipt> {
                self.engine.commit_changeset(changeset).await
            }
            async fn configs_of(
                &self,
                account: &AccountNumber,
                technology: &Technology,
            ) -> StoreResult<Vec<(Item, serde_json::Value)>> {
                self.engine.configs_of(account, technology).await
            }
            async fn commit_audited(&self, changeset: &Changeset, audit: &AuditCommit) -> StoreResult<CommitReceipt> {
                self.engine.commit_audited(changeset, audit).await
            }
            async fn item(&self, key: &ItemKey) -> StoreResult<Option<Item>> {
                self.engine.item(key).await
            }
            async fn item_by_arn(&self, arn: &str) -> StoreResult<Option<Item>> {
                self.engine.item_by_arn(arn).await
            }
            async fn revision(&self, id: RevisionId) -> StoreResult<Option<Revision>> {
                self.engine.revision(id).await
            }
            async fn revisions(&self, key: &ItemKey) -> StoreResult<Vec<Revision>> {
                self.engine.revisions(key).await
            }
            async fn search(&self, query: &ItemQuery) -> StoreResult<Page<Item>> {
                self.engine.search(query).await
            }
            async fn distinct(&self, field: DistinctField, prefix: &str, limit: usize) -> StoreResult<Vec<String>> {
                self.engine.distinct(field, prefix, limit).await
            }
            async fn search_revisions(&self, query: &RevisionQuery) -> StoreResult<Page<RevisionSummary>> {
                self.engine.search_revisions(query).await
            }
            async fn issues(&self, item: &ItemKey) -> StoreResult<Vec<Issue>> {
                self.engine.issues(item).await
            }
            async fn issues_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Issue>> {
                self.engine.issues_of(account, technology).await
            }
            async fn commit_audit(&self, audit: &AuditCommit) -> StoreResult<()> {
                self.engine.commit_audit(audit).await
            }
            async fn justify(&self, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue> {
                self.engine.justify(key, justification).await
            }
            async fn add_comment(&self, comment: &Comment) -> StoreResult<CommentId> {
                self.engine.add_comment(comment).await
            }
            async fn comments(&self, target: &CommentTarget) -> StoreResult<Vec<Comment>> {
                self.engine.comments(target).await
            }
            async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>> {
                self.engine.comment(id).await
            }
            async fn delete_comment(&self, id: CommentId) -> StoreResult<bool> {
                self.engine.delete_comment(id).await
            }
            async fn put_score_override(&self, score_override: &ScoreOverride) -> StoreResult<()> {
                self.engine.put_score_override(score_override).await
            }
            async fn score_overrides(&self) -> StoreResult<Vec<ScoreOverride>> {
                self.engine.score_overrides().await
            }
            async fn delete_score_override(&self, technology: &Technology, check: &str) -> StoreResult<bool> {
                self.engine.delete_score_override(technology, check).await
            }
            async fn put_ignore_entry(&self, entry: &IgnoreEntry) -> StoreResult<()> {
                self.engine.put_ignore_entry(entry).await
            }
            async fn ignore_entries(&self) -> StoreResult<Vec<IgnoreEntry>> {
                self.engine.ignore_entries().await
            }
            async fn delete_ignore_entry(&self, technology: &Technology, prefix: &str) -> StoreResult<bool> {
                self.engine.delete_ignore_entry(technology, prefix).await
            }
            async fn put_whitelist_entry(&self, entry: &NetworkWhitelistEntry) -> StoreResult<()> {
                self.engine.put_whitelist_entry(entry).await
            }
            async fn whitelist(&self) -> StoreResult<Vec<NetworkWhitelistEntry>> {
                self.engine.whitelist().await
            }
            async fn delete_whitelist_entry(&self, name: &str) -> StoreResult<bool> {
                self.engine.delete_whitelist_entry(name).await
            }
            async fn put_watcher_config(&self, config: &WatcherConfig) -> StoreResult<()> {
                self.engine.put_watcher_config(config).await
            }
            async fn watcher_configs(&self) -> StoreResult<Vec<WatcherConfig>> {
                self.engine.watcher_configs().await
            }
            async fn put_user(&self, user: &User) -> StoreResult<()> {
                self.engine.put_user(user).await
            }
            async fn user(&self, email: &str) -> StoreResult<Option<User>> {
                self.engine.user(email).await
            }
            async fn users(&self) -> StoreResult<Vec<User>> {
                self.engine.users().await
            }
            async fn delete_user(&self, email: &str) -> StoreResult<bool> {
                self.engine.delete_user(email).await
            }
            async fn put_run(&self, run: &RunRecord) -> StoreResult<()> {
                self.engine.put_run(run).await
            }
            async fn runs(&self, limit: usize) -> StoreResult<Vec<RunRecord>> {
                self.engine.runs(limit).await
            }
            async fn last_runs(&self) -> StoreResult<Vec<RunRecord>> {
                self.engine.last_runs().await
            }
            async fn enqueue(&self, entries: &[OutboxEntry]) -> StoreResult<usize> {
                self.engine.enqueue(entries).await
            }
            async fn outbox_due(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
                self.engine.outbox_due(now, limit).await
            }
            async fn update_outbox(&self, entry: &OutboxEntry) -> StoreResult<()> {
                self.engine.update_outbox(entry).await
            }
            async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
                self.engine.outbox(limit).await
            }
        }
    };
}

forward_store!(RedbStore);
forward_store!(SledStore);

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    fn refused(spec: &str) -> bool {
        matches!(open(spec), Err(StoreError::Invalid(_)))
    }

    #[test]
    fn specs_name_a_kind_and_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("a").join("bare.redb");
        drop(open(&bare.display().to_string()).unwrap());
        assert!(bare.is_file(), "a bare path is a redb file");
        let redb = dir.path().join("b").join("explicit.redb");
        drop(open(&format!("redb:{}", redb.display())).unwrap());
        assert!(redb.is_file());
        let sled = dir.path().join("c").join("store.sled");
        drop(open(&format!("sled:{}", sled.display())).unwrap());
        assert!(sled.is_dir(), "a sled store is a directory");
        assert!(refused(""));
        assert!(refused("redb:"));
        assert!(refused("sled:  "));
        assert!(refused("postgres://localhost/monkey"));
        assert!(refused("rocksdb:/tmp/x"));
    }
}
