//! The store logic, written once over the key-value layer and shared by every backend.

mod accounts;
mod binary;
mod catalog;
mod comments;
mod compressed;
mod issue_set;
mod issues;
mod item_record;
mod items;
pub(crate) mod keys;
mod outbox;
mod prepared;
mod records;
mod revision_record;
mod revision_search;
mod runs;
pub(crate) mod schema;
mod settings;
mod users;
mod verify;

pub use verify::Verification;

use crate::kv::{Kv, KvRead, KvWrite};
use async_trait::async_trait;
use catalog::{Catalog, Recorder};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Comment, CommentId, CommentTarget, IgnoreEntry, Issue, IssueKey, Item,
    ItemKey, Justification, NetworkWhitelistEntry, OutboxEntry, Revision, RevisionId, RunRecord, ScoreOverride,
    Technology, Timestamp, User, WatcherConfig,
};
use monkey_core::store::{
    AuditCommit, Changeset, CommitReceipt, DistinctField, ItemQuery, Page, Store, StoreError, StoreResult,
};
use prepared::{PreparedChangeset, prepare_audit};
use std::sync::Arc;

/// A store over one backend's key-value layer.
pub(crate) struct Engine {
    kv: Arc<dyn Kv>,
    catalog: Arc<Catalog>,
    backend: &'static str,
    path: String,
}

impl Engine {
    /// Wraps an opened backend, checking (and if needed migrating) its schema, and loads the
    /// item catalog.
    pub(crate) fn new(kv: Arc<dyn Kv>, backend: &'static str, path: String) -> StoreResult<Self> {
        schema::prepare(kv.as_ref(), &path)?;
        let started = std::time::Instant::now();
        let catalog = match kv.read_with(Catalog::load) {
            Ok(catalog) => catalog,
            Err(StoreError::Corrupt { what }) => {
                // The date index is derived from the item records: rebuilding it loses nothing.
                tracing::warn!(store = %path, problem = %what, "rebuilding the damaged date index from the item records");
                kv.write_with(schema::rebuild_date_index)?;
                kv.read_with(Catalog::load)?
            }
            Err(error) => return Err(error),
        };
        tracing::debug!(store = %path, items = catalog.len(), elapsed = ?started.elapsed(), "item catalog loaded");
        Ok(Self { kv, catalog: Arc::new(catalog), backend, path })
    }

    /// Where the store lives.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Runs `f` over a consistent view on the blocking pool.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn KvRead) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let kv = Arc::clone(&self.kv);
        let task = tokio::task::spawn_blocking(move || kv.read_with(f));
        task.await.map_err(|e| self.join_error(e))?
    }

    /// Runs `f` in a write transaction on the blocking pool, where its fsync cannot stall the
    /// runtime.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn KvWrite) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let (kv, catalog) = (Arc::clone(&self.kv), Arc::clone(&self.catalog));
        let task = tokio::task::spawn_blocking(move || {
            let (out, changes) = kv.write_with(|w| {
                let mut recorder = Recorder::new(w);
                Ok((f(&mut recorder)?, recorder.into_changes()))
            })?;
            catalog.apply(changes);
            Ok(out)
        });
        task.await.map_err(|e| self.join_error(e))?
    }

    /// Runs `f` over `prepared` in a write transaction, as [`Self::write`] does, and drops
    /// `prepared` here, after the transaction: freeing a large unit's encoded changes and
    /// issues took a tenth of the writer's time, with every other write waiting.
    async fn write_prepared<P: Send + 'static, T: Send + 'static>(
        &self,
        prepared: P,
        f: impl FnOnce(&mut dyn KvWrite, &P) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let (out, prepared) = self.write(move |w| Ok((f(w, &prepared)?, prepared))).await?;
        drop(prepared);
        Ok(out)
    }

    fn join_error(&self, error: tokio::task::JoinError) -> StoreError {
        StoreError::Backend {
            backend: self.backend,
            message: format!("the store task did not finish: {error}"),
            retryable: false,
        }
    }

    /// Checks every index and derived field against the records.
    pub(crate) async fn verify(&self) -> StoreResult<Verification> {
        self.read(verify::verify).await
    }
}

#[async_trait]
impl Store for Engine {
    async fn put_account(&self, account: &Account) -> StoreResult<()> {
        let account = account.clone();
        self.write(move |w| accounts::put(w, &account)).await
    }

    async fn account_by_name(&self, name: &AccountName) -> StoreResult<Option<Account>> {
        let name = name.clone();
        self.read(move |r| accounts::by_name(r, &name)).await
    }

    async fn account_by_number(&self, number: &AccountNumber) -> StoreResult<Option<Account>> {
        let number = number.clone();
        self.read(move |r| accounts::by_number(r, &number)).await
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.read(accounts::all).await
    }

    async fn delete_account(&self, number: &AccountNumber) -> StoreResult<bool> {
        let number = number.clone();
        self.write(move |w| accounts::delete(w, &number)).await
    }

    async fn items_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Item>> {
        let (account, technology) = (account.clone(), technology.clone());
        self.read(move |r| items::of(r, &account, &technology)).await
    }

    async fn commit_changeset(&self, changeset: &Changeset) -> StoreResult<CommitReceipt> {
        if changeset.changes.is_empty() {
            return Ok(CommitReceipt::default());
        }
        self.write_prepared(PreparedChangeset::of(changeset)?, items::commit).await
    }

    async fn configs_of(
        &self,
        account: &AccountNumber,
        technology: &Technology,
    ) -> StoreResult<Vec<(Item, serde_json::Value)>> {
        let (account, technology) = (account.clone(), technology.clone());
        self.read(move |r| items::configs_of(r, &account, &technology)).await
    }

    async fn commit_audited(&self, changeset: &Changeset, audit: &AuditCommit) -> StoreResult<CommitReceipt> {
        if changeset.changes.is_empty() && audit.items.is_empty() {
            return Ok(CommitReceipt::default());
        }
        let prepared = (PreparedChangeset::of(changeset)?, prepare_audit(audit)?);
        self.write_prepared(prepared, |w, (changeset, audit)| issues::commit_audited(w, changeset, audit)).await
    }

    async fn item(&self, key: &ItemKey) -> StoreResult<Option<Item>> {
        let key = key.clone();
        self.read(move |r| items::get(r, &key)).await
    }

    async fn item_by_arn(&self, arn: &str) -> StoreResult<Option<Item>> {
        let arn = arn.to_owned();
        self.read(move |r| items::by_arn(r, &arn)).await
    }

    async fn revision(&self, id: RevisionId) -> StoreResult<Option<Revision>> {
        self.read(move |r| items::revision(r, id)).await
    }

    async fn revisions(&self, key: &ItemKey) -> StoreResult<Vec<Revision>> {
        let key = key.clone();
        self.read(move |r| items::revisions(r, &key)).await
    }

    async fn search(&self, query: &ItemQuery) -> StoreResult<Page<Item>> {
        let (query, catalog) = (query.clone(), Arc::clone(&self.catalog));
        self.read(move |r| items::search(r, &catalog, &query)).await
    }

    async fn distinct(&self, field: DistinctField, prefix: &str, limit: usize) -> StoreResult<Vec<String>> {
        let (prefix, catalog) = (prefix.to_owned(), Arc::clone(&self.catalog));
        self.read(move |r| items::distinct(r, &catalog, field, &prefix, limit)).await
    }

    async fn issues(&self, item: &ItemKey) -> StoreResult<Vec<Issue>> {
        let item = item.clone();
        self.read(move |r| issues::of(r, &item)).await
    }

    async fn issues_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Issue>> {
        let (account, technology) = (account.clone(), technology.clone());
        self.read(move |r| issues::of_unit(r, &account, &technology)).await
    }

    async fn commit_audit(&self, audit: &AuditCommit) -> StoreResult<()> {
        if audit.items.is_empty() {
            return Ok(());
        }
        self.write_prepared(prepare_audit(audit)?, |w, audit| issues::commit(w, audit)).await
    }

    async fn justify(&self, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue> {
        let key = key.clone();
        self.write(move |w| issues::justify(w, &key, justification)).await
    }

    async fn add_comment(&self, comment: &Comment) -> StoreResult<CommentId> {
        let comment = comment.clone();
        self.write(move |w| comments::add(w, &comment)).await
    }

    async fn comments(&self, target: &CommentTarget) -> StoreResult<Vec<Comment>> {
        let target = target.clone();
        self.read(move |r| comments::on(r, &target)).await
    }

    async fn delete_comment(&self, id: CommentId) -> StoreResult<bool> {
        self.write(move |w| comments::delete(w, id)).await
    }

    async fn put_score_override(&self, score_override: &ScoreOverride) -> StoreResult<()> {
        let value = score_override.clone();
        self.write(move |w| settings::put_override(w, &value)).await
    }

    async fn score_overrides(&self) -> StoreResult<Vec<ScoreOverride>> {
        self.read(settings::overrides).await
    }

    async fn delete_score_override(&self, technology: &Technology, check: &str) -> StoreResult<bool> {
        let (technology, check) = (technology.clone(), check.to_owned());
        self.write(move |w| settings::delete_override(w, &technology, &check)).await
    }

    async fn put_ignore_entry(&self, entry: &IgnoreEntry) -> StoreResult<()> {
        let entry = entry.clone();
        self.write(move |w| settings::put_ignore(w, &entry)).await
    }

    async fn ignore_entries(&self) -> StoreResult<Vec<IgnoreEntry>> {
        self.read(settings::ignore_entries).await
    }

    async fn delete_ignore_entry(&self, technology: &Technology, prefix: &str) -> StoreResult<bool> {
        let (technology, prefix) = (technology.clone(), prefix.to_owned());
        self.write(move |w| settings::delete_ignore(w, &technology, &prefix)).await
    }

    async fn put_whitelist_entry(&self, entry: &NetworkWhitelistEntry) -> StoreResult<()> {
        let entry = entry.clone();
        self.write(move |w| settings::put_whitelist(w, &entry)).await
    }

    async fn whitelist(&self) -> StoreResult<Vec<NetworkWhitelistEntry>> {
        self.read(settings::whitelist).await
    }

    async fn delete_whitelist_entry(&self, name: &str) -> StoreResult<bool> {
        let name = name.to_owned();
        self.write(move |w| settings::delete_whitelist(w, &name)).await
    }

    async fn put_watcher_config(&self, config: &WatcherConfig) -> StoreResult<()> {
        let config = config.clone();
        self.write(move |w| settings::put_watcher_config(w, &config)).await
    }

    async fn watcher_configs(&self) -> StoreResult<Vec<WatcherConfig>> {
        self.read(settings::watcher_configs).await
    }

    async fn put_run(&self, run: &RunRecord) -> StoreResult<()> {
        let run = run.clone();
        self.write(move |w| runs::put(w, &run)).await
    }

    async fn runs(&self, limit: usize) -> StoreResult<Vec<RunRecord>> {
        self.read(move |r| runs::newest(r, limit)).await
    }

    async fn last_runs(&self) -> StoreResult<Vec<RunRecord>> {
        self.read(runs::last).await
    }

    async fn enqueue(&self, entries: &[OutboxEntry]) -> StoreResult<usize> {
        let entries = entries.to_vec();
        self.write(move |w| outbox::enqueue(w, &entries)).await
    }

    async fn outbox_due(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.read(move |r| outbox::due(r, now, limit)).await
    }

    async fn update_outbox(&self, entry: &OutboxEntry) -> StoreResult<()> {
        let entry = entry.clone();
        self.write(move |w| outbox::update(w, &entry)).await
    }

    async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.read(move |r| outbox::newest(r, limit)).await
    }

    async fn put_user(&self, user: &User) -> StoreResult<()> {
        let user = user.clone();
        self.write(move |w| users::put(w, &user)).await
    }

    async fn user(&self, email: &str) -> StoreResult<Option<User>> {
        let email = email.to_owned();
        self.read(move |r| users::get(r, &email)).await
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        self.read(users::all).await
    }

    async fn delete_user(&self, email: &str) -> StoreResult<bool> {
        let email = email.to_owned();
        self.write(move |w| users::delete(w, &email)).await
    }

    async fn search_revisions(
        &self,
        query: &monkey_core::store::RevisionQuery,
    ) -> StoreResult<Page<monkey_core::store::RevisionSummary>> {
        let query = query.clone();
        self.read(move |r| revision_search::search(r, &query)).await
    }

    async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>> {
        self.read(move |r| comments::get(r, id)).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::kv::redb::RedbKv;
    use monkey_core::model::{AccountNumber, Technology};

    /// A new redb store in a temporary directory, with its key-value layer.
    fn opened() -> (tempfile::TempDir, Arc<dyn Kv>, Engine) {
        let dir = tempfile::tempdir().unwrap();
        let kv: Arc<dyn Kv> = Arc::new(RedbKv::open(&dir.path().join("s.redb")).unwrap());
        let store = Engine::new(Arc::clone(&kv), "redb", "s.redb".into()).unwrap();
        (dir, kv, store)
    }

    #[tokio::test]
    async fn corrupt_records_are_errors_naming_the_key() {
        let (_dir, kv, store) = opened();
        let key = ItemKey::new(
            Technology::parse("s3").unwrap(),
            AccountNumber::parse("123456789012").unwrap(),
            "us-east-1",
            "bucket",
        );
        kv.write_with(|w| w.put(&keys::item(&key), b"{not json")).unwrap();
        let error = store.item(&key).await.unwrap_err();
        let StoreError::Corrupt { what } = &error else { panic!("{error:?}") };
        assert!(what.contains("items key") && what.contains("bucket"), "{what}");
        let error = store.verify().await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn a_damaged_date_index_is_rebuilt_from_the_records_on_open() {
        let (_dir, kv, store) = opened();
        crate::conformance::write_sample(&store).await;
        let before = store.search(&ItemQuery::default()).await.unwrap();
        kv.write_with(|w| w.put(&[keys::table::ITEM_BY_DATE, 1, 2], b"")).unwrap();
        drop(store);
        let reopened = Engine::new(Arc::clone(&kv), "redb", "s.redb".into()).unwrap();
        assert_eq!(reopened.search(&ItemQuery::default()).await.unwrap(), before);
        reopened.verify().await.unwrap();
    }

    /// Every write path keeps the catalog equal to one loaded afresh from the date index.
    #[tokio::test]
    async fn the_catalog_follows_every_commit() {
        let (_dir, kv, store) = opened();
        crate::conformance::run_all(&store).await;
        crate::conformance::write_sample(&store).await;
        let fresh = Engine::new(Arc::clone(&kv), "redb", "s.redb".into()).unwrap();
        assert!(store.catalog.len() > 0);
        assert_eq!(store.catalog.len(), fresh.catalog.len());
        let queries = [
            ItemQuery::default(),
            ItemQuery { active: Some(false), ..ItemQuery::default() },
            ItemQuery { min_score: Some(1), ..ItemQuery::default() },
            ItemQuery { min_unjustified_score: Some(1), ..ItemQuery::default() },
            ItemQuery { name_contains: Some("a".into()), offset: 1, limit: 2, ..ItemQuery::default() },
        ];
        for query in &queries {
            assert_eq!(store.search(query).await.unwrap(), fresh.search(query).await.unwrap(), "{query:?}");
        }
        for field in [DistinctField::Technology, DistinctField::Region, DistinctField::Name] {
            assert_eq!(store.distinct(field, "", 100).await.unwrap(), fresh.distinct(field, "", 100).await.unwrap());
        }
    }
}
