//! The `Store` trait: where accounts, items, revisions, issues and settings live.
//!
//! Backends live in `monkey-store`; every backend passes its conformance suite.

use crate::ModelError;
use crate::model::{
    Account, AccountName, AccountNumber, Comment, CommentId, CommentTarget, Hash, IgnoreEntry, Issue, IssueKey, Item,
    ItemKey, Justification, NetworkWhitelistEntry, OutboxEntry, Revision, RevisionId, RunRecord, ScoreOverride,
    Technology, Timestamp, User, WatcherConfig,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What happened to an item in one watcher run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Seen for the first time, or again after a deletion: a new active revision.
    Created,
    /// Its durable configuration changed: a new revision.
    Changed,
    /// Only ephemeral fields changed: the latest revision is updated in place.
    Ephemeral,
    /// No longer seen: a new inactive revision with an empty configuration.
    Deleted,
}

/// One item's change within a [`Changeset`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChange {
    /// The item.
    pub key: ItemKey,
    /// Its ARN (for a deletion, the last known one).
    pub arn: Option<String>,
    /// What happened.
    pub kind: ChangeKind,
    /// The new configuration (an empty object for a deletion).
    pub config: serde_json::Value,
    /// Hash of `config` without ephemeral fields.
    pub durable_hash: Hash,
    /// Hash of the whole `config`.
    pub complete_hash: Hash,
}

/// The changes of one watcher run, committed atomically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changeset {
    /// When the changes were detected.
    pub at: Timestamp,
    /// The changes.
    pub changes: Vec<ItemChange>,
}

/// What a committed changeset produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitReceipt {
    /// The revision each created, changed or deleted item got, in changeset order
    /// (ephemeral changes keep their revision and are listed with it).
    pub revisions: Vec<(ItemKey, RevisionId)>,
}

/// The issues an audit found on one item: the item's whole issue set afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAudit {
    /// The item.
    pub item: ItemKey,
    /// Every issue of the item, open and fixed. Justifications in here are ignored: the
    /// store keeps the stored ones, so an audit can never drop a justification.
    pub issues: Vec<Issue>,
}

/// The results of one audit, committed atomically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCommit {
    /// When the audit ran.
    pub at: Timestamp,
    /// The audited items.
    pub items: Vec<ItemAudit>,
}

/// A search over items. Empty lists mean "any".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemQuery {
    /// Any of these accounts.
    pub accounts: Vec<AccountNumber>,
    /// Any of these technologies.
    pub technologies: Vec<Technology>,
    /// Any of these regions.
    pub regions: Vec<String>,
    /// Names containing this text, case-insensitively.
    pub name_contains: Option<String>,
    /// Any of these ARNs (exactly).
    pub arns: Vec<String>,
    /// Score at least this.
    pub min_score: Option<u32>,
    /// Unjustified score at least this.
    pub min_unjustified_score: Option<u32>,
    /// The latest configuration's JSON text contains this, case-insensitively (Security
    /// Monkey's `searchconfig`). The costliest filter: a backend reads the latest revision of
    /// every item that passed the others.
    pub config_contains: Option<String>,
    /// Only active (or only deleted) items.
    pub active: Option<bool>,
    /// Results to skip.
    pub offset: usize,
    /// Results to return at most (0 means 100).
    pub limit: usize,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Results matching the query, before pagination.
    pub total: usize,
    /// This page's results.
    pub items: Vec<T>,
}

/// A search over revisions across items (Security Monkey's revisions tab). Empty lists mean
/// "any".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RevisionQuery {
    /// Revisions of items of any of these accounts.
    pub accounts: Vec<AccountNumber>,
    /// Revisions of items of any of these technologies.
    pub technologies: Vec<Technology>,
    /// Revisions of items in any of these regions.
    pub regions: Vec<String>,
    /// Revisions of items whose name contains this text, case-insensitively.
    pub name_contains: Option<String>,
    /// Only active revisions, or only those that record a deletion.
    pub active: Option<bool>,
    /// Results to skip.
    pub offset: usize,
    /// Results to return at most (0 means 100).
    pub limit: usize,
}

/// A revision without its configuration, as revision lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionSummary {
    /// The revision's id.
    pub id: RevisionId,
    /// The item it belongs to.
    pub item: ItemKey,
    /// `false` when it records the item's deletion.
    pub active: bool,
    /// When the change was detected.
    pub created_at: Timestamp,
}

/// A field whose distinct values autocomplete offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistinctField {
    /// Technologies that have items.
    Technology,
    /// Names of stored accounts.
    Account,
    /// Regions that have items.
    Region,
    /// Item names.
    Name,
}

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// An account name already belongs to another account number.
    #[error("the account name \"{name}\" already belongs to account {number}")]
    NameTaken {
        /// The name.
        name: AccountName,
        /// The number that holds it.
        number: AccountNumber,
    },
    /// Something the operation needs does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What.
        what: String,
    },
    /// The operation's input is invalid.
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// The store was written by a newer monkey.
    #[error(
        "the store at {path} has schema version {found}, newer than the {supported} this monkey supports; upgrade monkey"
    )]
    SchemaTooNew {
        /// Where.
        path: String,
        /// The stored version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Another process holds the store.
    #[error(
        "the store at {path} is in use by another process ({detail}); run the command through that process's API or stop it"
    )]
    Locked {
        /// Where.
        path: String,
        /// The engine's message.
        detail: String,
    },
    /// Stored data that cannot be read back.
    #[error("corrupt data in the store: {what}")]
    Corrupt {
        /// What could not be read.
        what: String,
    },
    /// The storage engine failed.
    #[error("{backend} failed: {message}")]
    Backend {
        /// Which engine.
        backend: &'static str,
        /// Its message.
        message: String,
        /// Whether trying again may succeed.
        retryable: bool,
    },
}

impl StoreError {
    /// Whether the same call may succeed if tried again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Backend { retryable: true, .. } | Self::Locked { .. })
    }
}

/// Shorthand for a store operation's result.
pub type StoreResult<T> = Result<T, StoreError>;

/// Durable storage of everything monkey knows.
///
/// Contract for every backend:
/// - a write is durable when its future resolves `Ok`;
/// - [`Store::commit_changeset`], [`Store::commit_audit`] and [`Store::commit_audited`] are
///   atomic: all or nothing;
/// - invalid input is refused with an error and changes nothing;
/// - lists are returned in a stable order, stated per method.
///
/// Code written against `dyn Store` works with every backend:
///
/// ```
/// use monkey_core::model::Technology;
/// use monkey_core::store::{ItemQuery, Store, StoreResult};
///
/// /// Names of the active, scored security groups of every account.
/// async fn risky_groups(store: &dyn Store) -> StoreResult<Vec<String>> {
///     let query = ItemQuery {
///         technologies: vec![Technology::parse("securitygroup")?],
///         min_score: Some(1),
///         active: Some(true),
///         ..ItemQuery::default()
///     };
///     Ok(store.search(&query).await?.items.into_iter().map(|item| item.key.name.into_string()).collect())
/// }
/// ```
#[async_trait]
pub trait Store: Send + Sync {
    /// Inserts the account, or replaces the one with the same number (a rename keeps its
    /// items). Fails with [`StoreError::NameTaken`] if another number has that name.
    async fn put_account(&self, account: &Account) -> StoreResult<()>;
    /// The account with this name.
    async fn account_by_name(&self, name: &AccountName) -> StoreResult<Option<Account>>;
    /// The account with this number.
    async fn account_by_number(&self, number: &AccountNumber) -> StoreResult<Option<Account>>;
    /// Every account, by name.
    async fn accounts(&self) -> StoreResult<Vec<Account>>;
    /// Deletes the account with its items, revisions, issues and comments; `false` if absent.
    async fn delete_account(&self, number: &AccountNumber) -> StoreResult<bool>;

    /// Every item (active or not) of one technology in one account, by (region, name).
    async fn items_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Item>>;
    /// Applies a watcher run's changes atomically; unknown items are created.
    async fn commit_changeset(&self, changeset: &Changeset) -> StoreResult<CommitReceipt>;
    /// Every active item of one technology in one account with its latest configuration,
    /// by (region, name), read in one consistent view.
    async fn configs_of(
        &self,
        account: &AccountNumber,
        technology: &Technology,
    ) -> StoreResult<Vec<(Item, serde_json::Value)>>;
    /// Applies a watcher run's changes and the audit of its items in one atomic commit: the
    /// changeset as [`Store::commit_changeset`] would, then the audit as
    /// [`Store::commit_audit`] would (it may audit items the changeset creates).
    async fn commit_audited(&self, changeset: &Changeset, audit: &AuditCommit) -> StoreResult<CommitReceipt>;
    /// One item.
    async fn item(&self, key: &ItemKey) -> StoreResult<Option<Item>>;
    /// The item holding this ARN.
    async fn item_by_arn(&self, arn: &str) -> StoreResult<Option<Item>>;
    /// One revision.
    async fn revision(&self, id: RevisionId) -> StoreResult<Option<Revision>>;
    /// Every revision of an item, newest first.
    async fn revisions(&self, key: &ItemKey) -> StoreResult<Vec<Revision>>;
    /// Items matching `query`, newest latest revision first.
    async fn search(&self, query: &ItemQuery) -> StoreResult<Page<Item>>;
    /// Sorted distinct values of `field` starting with `prefix` (case-insensitive), at most `limit`.
    async fn distinct(&self, field: DistinctField, prefix: &str, limit: usize) -> StoreResult<Vec<String>>;
    /// Revisions of every item matching `query`, newest (highest id) first.
    async fn search_revisions(&self, query: &RevisionQuery) -> StoreResult<Page<RevisionSummary>>;

    /// Every issue of an item, open and fixed, by (check, notes).
    async fn issues(&self, item: &ItemKey) -> StoreResult<Vec<Issue>>;
    /// Every issue of every item of one technology in one account, by item, then (check, notes).
    async fn issues_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Issue>>;
    /// Replaces the issues of the audited items atomically, keeping stored justifications,
    /// and sets each item's scores with [`scores`].
    async fn commit_audit(&self, audit: &AuditCommit) -> StoreResult<()>;
    /// Sets (or with `None` removes) an issue's justification and updates its item's
    /// unjustified score; returns the issue.
    async fn justify(&self, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue>;

    /// Stores a new comment and returns its id.
    async fn add_comment(&self, comment: &Comment) -> StoreResult<CommentId>;
    /// Comments on a target, oldest first.
    async fn comments(&self, target: &CommentTarget) -> StoreResult<Vec<Comment>>;
    /// One comment, by id.
    async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>>;
    /// Deletes a comment; `false` if absent.
    async fn delete_comment(&self, id: CommentId) -> StoreResult<bool>;

    /// Inserts or replaces the override of (technology, check).
    async fn put_score_override(&self, score_override: &ScoreOverride) -> StoreResult<()>;
    /// Every score override, by (technology, check).
    async fn score_overrides(&self) -> StoreResult<Vec<ScoreOverride>>;
    /// Deletes the override of (technology, check); `false` if absent.
    async fn delete_score_override(&self, technology: &Technology, check: &str) -> StoreResult<bool>;

    /// Inserts or replaces the ignore entry of (technology, prefix).
    async fn put_ignore_entry(&self, entry: &IgnoreEntry) -> StoreResult<()>;
    /// Every ignore entry, by (technology, prefix).
    async fn ignore_entries(&self) -> StoreResult<Vec<IgnoreEntry>>;
    /// Deletes the ignore entry of (technology, prefix); `false` if absent.
    async fn delete_ignore_entry(&self, technology: &Technology, prefix: &str) -> StoreResult<bool>;

    /// Inserts or replaces the whitelist entry with this name.
    async fn put_whitelist_entry(&self, entry: &NetworkWhitelistEntry) -> StoreResult<()>;
    /// Every whitelist entry, by name.
    async fn whitelist(&self) -> StoreResult<Vec<NetworkWhitelistEntry>>;
    /// Deletes the whitelist entry with this name; `false` if absent.
    async fn delete_whitelist_entry(&self, name: &str) -> StoreResult<bool>;

    /// Inserts or replaces the configuration of a technology.
    async fn put_watcher_config(&self, config: &WatcherConfig) -> StoreResult<()>;
    /// Every stored watcher configuration, by technology.
    async fn watcher_configs(&self) -> StoreResult<Vec<WatcherConfig>>;

    /// Inserts or replaces the user with this e-mail.
    async fn put_user(&self, user: &User) -> StoreResult<()>;
    /// The user with this e-mail (compared lower-cased).
    async fn user(&self, email: &str) -> StoreResult<Option<User>>;
    /// Every user, by e-mail.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Deletes a user; `false` if absent.
    async fn delete_user(&self, email: &str) -> StoreResult<bool>;

    /// Inserts or replaces the run of (account, technology) that started at `started_at`,
    /// keeping the newest [`RUNS_KEPT`] runs of each (account, technology).
    async fn put_run(&self, run: &RunRecord) -> StoreResult<()>;
    /// At most `limit` runs, newest first.
    async fn runs(&self, limit: usize) -> StoreResult<Vec<RunRecord>>;
    /// The newest run of every (account, technology), by (account, technology).
    async fn last_runs(&self) -> StoreResult<Vec<RunRecord>>;

    /// Queues the entries whose message id the outbox does not hold yet (waiting, delivered or
    /// abandoned), in one atomic write; returns how many were new.
    async fn enqueue(&self, entries: &[OutboxEntry]) -> StoreResult<usize>;
    /// At most `limit` waiting entries due at `now`, the earliest due first.
    async fn outbox_due(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<OutboxEntry>>;
    /// Records the outcome of an attempt: replaces the entry with this message id, and drops
    /// delivered and abandoned entries older than [`OUTBOX_KEPT`](crate::model::OUTBOX_KEPT).
    /// `NotFound` if the outbox does not hold it.
    async fn update_outbox(&self, entry: &OutboxEntry) -> StoreResult<()>;
    /// At most `limit` entries in any state, the newest queued first.
    async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>>;
}

/// Runs kept per (account, technology): a week of 15-minute runs.
pub const RUNS_KEPT: usize = 7 * 24 * 4;

/// Score and unjustified score of an item with these issues: the sums over open issues, and
/// over open unjustified ones.
pub fn scores(issues: &[Issue]) -> (u32, u32) {
    scores_of(issues)
}

/// [`scores`] of issues held elsewhere than in one slice.
pub fn scores_of<'a>(issues: impl IntoIterator<Item = &'a Issue>) -> (u32, u32) {
    issues.into_iter().filter(|i| !i.fixed).fold((0u32, 0u32), |(score, unjustified), issue| {
        let add = if issue.justification.is_none() { issue.score } else { 0 };
        (score.saturating_add(issue.score), unjustified.saturating_add(add))
    })
}

/// Convenience methods for every [`Store`].
#[async_trait]
pub trait StoreExt: Store {
    /// The account named `name_or_number`, tried as a name first and then as a number.
    async fn find_account(&self, name_or_number: &str) -> StoreResult<Option<Account>> {
        if let Ok(name) = AccountName::parse(name_or_number)
            && let Some(account) = self.account_by_name(&name).await?
        {
            return Ok(Some(account));
        }
        match AccountNumber::parse(name_or_number) {
            Ok(number) => self.account_by_number(&number).await,
            Err(_) => Ok(None),
        }
    }

    /// Every item `query` finds (its offset and limit ignored), read page by page in its order.
    /// An item that moves between pages while they are read (a commit meanwhile) is listed
    /// once.
    async fn search_all(&self, query: &ItemQuery) -> StoreResult<Vec<Item>> {
        const PAGE: usize = 500;
        let mut items = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut offset = 0;
        loop {
            let page = self.search(&ItemQuery { offset, limit: PAGE, ..query.clone() }).await?;
            let read = page.items.len();
            items.extend(page.items.into_iter().filter(|item| seen.insert(item.key.clone())));
            offset += read;
            if read == 0 || offset >= page.total {
                return Ok(items);
            }
        }
    }
}

impl<S: Store + ?Sized> StoreExt for S {}
