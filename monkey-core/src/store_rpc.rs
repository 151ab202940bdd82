//! The [`Store`] over a wire: every store method as data ([`StoreCall`]), [`dispatch`] to run
//! one against any store, and the [`WireError`] a failure travels back as.
//!
//! Embedded stores are single-process: while `monkey serve` (or `monkey run`) holds the store,
//! other processes send their calls to it. `monkey-web` carries them over HTTP (its admin API
//! and its `RemoteStore` client); this module owns the format so that both ends agree on it and
//! no transport needs to know the store's methods one by one.
//!
//! # Format
//!
//! - A call is `{"method": NAME, "params": {...}}`: the [`Store`] method's name and its
//!   parameters under their names in the trait (methods without parameters have no `params`).
//! - A result is the method's return value as JSON (`null` for `()` and for `None`).
//! - A failure is a [`WireError`]: its `kind` (with the structured fields of the
//!   [`StoreError`] variant it stands for) and the error's message. Converted back with
//!   `StoreError::from`, it is the same variant with the same message, so callers keep telling
//!   bad input ([`StoreError::Invalid`], [`StoreError::NameTaken`]) from failures. An
//!   [`StoreError::Invalid`] comes back as [`ModelError::Remote`] holding the original message.
//!
//! ```
//! use monkey_core::store_rpc::StoreCall;
//! use serde_json::json;
//!
//! assert_eq!(serde_json::to_value(StoreCall::Runs { limit: 5 })?, json!({"method": "runs", "params": {"limit": 5}}));
//! assert_eq!(serde_json::to_value(StoreCall::Accounts)?, json!({"method": "accounts"}));
//! let call: StoreCall = serde_json::from_value(json!({"method": "delete_user", "params": {"email": "a@example.com"}}))?;
//! assert!(call.is_write());
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! A server's handler is then a few lines:
//!
//! ```
//! use monkey_core::store::Store;
//! use monkey_core::store_rpc::{StoreCall, WireError, WireErrorKind, dispatch};
//!
//! /// Runs the call in a request body against the store.
//! async fn handle(store: &dyn Store, body: &[u8]) -> Result<serde_json::Value, WireError> {
//!     let call: StoreCall = serde_json::from_slice(body)
//!         .map_err(|e| WireError::new(WireErrorKind::BadCall, format!("the call could not be read: {e}")))?;
//!     dispatch(store, call).await
//! }
//! ```

use crate::ModelError;
use crate::model::{
    Account, AccountName, AccountNumber, Comment, CommentId, CommentTarget, IgnoreEntry, IssueKey, ItemKey,
    Justification, NetworkWhitelistEntry, OutboxEntry, RevisionId, RunRecord, ScoreOverride, Technology, Timestamp,
    User, WatcherConfig,
};
use crate::store::{AuditCommit, Changeset, DistinctField, ItemQuery, RevisionQuery, Store, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `backend` of a [`StoreError::Backend`] that happened on the other side of the wire, or
/// on the wire itself: the original backend's name is then part of the message.
pub const REMOTE_BACKEND: &str = "monkey API";

/// One call of a [`Store`] method, with its arguments: one variant per method, named after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", content = "params", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StoreCall {
    /// [`Store::put_account`].
    PutAccount {
        /// The account.
        account: Account,
    },
    /// [`Store::account_by_name`].
    AccountByName {
        /// The name.
        name: AccountName,
    },
    /// [`Store::account_by_number`].
    AccountByNumber {
        /// The number.
        number: AccountNumber,
    },
    /// [`Store::accounts`].
    Accounts,
    /// [`Store::delete_account`].
    DeleteAccount {
        /// The account's number.
        number: AccountNumber,
    },
    /// [`Store::items_of`].
    ItemsOf {
        /// The account.
        account: AccountNumber,
        /// The technology.
        technology: Technology,
    },
    /// [`Store::commit_changeset`].
    CommitChangeset {
        /// The changes.
        changeset: Changeset,
    },
    /// [`Store::configs_of`].
    ConfigsOf {
        /// The account.
        account: AccountNumber,
        /// The technology.
        technology: Technology,
    },
    /// [`Store::commit_audited`].
    CommitAudited {
        /// The changes.
        changeset: Changeset,
        /// The audit of the changed items.
        audit: AuditCommit,
    },
    /// [`Store::item`].
    Item {
        /// The item.
        key: ItemKey,
    },
    /// [`Store::item_by_arn`].
    ItemByArn {
        /// The ARN.
        arn: String,
    },
    /// [`Store::revision`].
    Revision {
        /// The revision.
        id: RevisionId,
    },
    /// [`Store::revisions`].
    Revisions {
        /// The item.
        key: ItemKey,
    },
    /// [`Store::search`].
    Search {
        /// The query.
        query: ItemQuery,
    },
    /// [`Store::distinct`].
    Distinct {
        /// The field.
        field: DistinctField,
        /// What values start with.
        prefix: String,
        /// Values to return at most.
        limit: usize,
    },
    /// [`Store::search_revisions`].
    SearchRevisions {
        /// The query.
        query: RevisionQuery,
    },
    /// [`Store::issues`].
    Issues {
        /// The item.
        item: ItemKey,
    },
    /// [`Store::issues_of`].
    IssuesOf {
        /// The account.
        account: AccountNumber,
        /// The technology.
        technology: Technology,
    },
    /// [`Store::commit_audit`].
    CommitAudit {
        /// The audit's results.
        audit: AuditCommit,
    },
    /// [`Store::justify`].
    Justify {
        /// The issue.
        key: IssueKey,
        /// The justification, or `None` to remove it.
        justification: Option<Justification>,
    },
    /// [`Store::add_comment`].
    AddComment {
        /// The comment.
        comment: Comment,
    },
    /// [`Store::comments`].
    Comments {
        /// What the comments are on.
        target: CommentTarget,
    },
    /// [`Store::comment`].
    Comment {
        /// The comment.
        id: CommentId,
    },
    /// [`Store::delete_comment`].
    DeleteComment {
        /// The comment.
        id: CommentId,
    },
    /// [`Store::put_score_override`].
    PutScoreOverride {
        /// The override.
        score_override: ScoreOverride,
    },
    /// [`Store::score_overrides`].
    ScoreOverrides,
    /// [`Store::delete_score_override`].
    DeleteScoreOverride {
        /// The technology.
        technology: Technology,
        /// The check's id.
        check: String,
    },
    /// [`Store::put_ignore_entry`].
    PutIgnoreEntry {
        /// The entry.
        entry: IgnoreEntry,
    },
    /// [`Store::ignore_entries`].
    IgnoreEntries,
    /// [`Store::delete_ignore_entry`].
    DeleteIgnoreEntry {
        /// The technology.
        technology: Technology,
        /// The name prefix.
        prefix: String,
    },
    /// [`Store::put_whitelist_entry`].
    PutWhitelistEntry {
        /// The entry.
        entry: NetworkWhitelistEntry,
    },
    /// [`Store::whitelist`].
    Whitelist,
    /// [`Store::delete_whitelist_entry`].
    DeleteWhitelistEntry {
        /// The entry's name.
        name: String,
    },
    /// [`Store::put_watcher_config`].
    PutWatcherConfig {
        /// The configuration.
        config: WatcherConfig,
    },
    /// [`Store::watcher_configs`].
    WatcherConfigs,
    /// [`Store::put_user`].
    PutUser {
        /// The user.
        user: User,
    },
    /// [`Store::user`].
    User {
        /// The e-mail.
        email: String,
    },
    /// [`Store::users`].
    Users,
    /// [`Store::delete_user`].
    DeleteUser {
        /// The e-mail.
        email: String,
    },
    /// [`Store::put_run`].
    PutRun {
        /// The run.
        run: RunRecord,
    },
    /// [`Store::runs`].
    Runs {
        /// Runs to return at most.
        limit: usize,
    },
    /// [`Store::last_runs`].
    LastRuns,
    /// [`Store::enqueue`].
    Enqueue {
        /// The entries.
        entries: Vec<OutboxEntry>,
    },
    /// [`Store::outbox_due`].
    OutboxDue {
        /// The instant.
        now: Timestamp,
        /// Entries to return at most.
        limit: usize,
    },
    /// [`Store::update_outbox`].
    UpdateOutbox {
        /// The entry.
        entry: OutboxEntry,
    },
    /// [`Store::outbox`].
    Outbox {
        /// Entries to return at most.
        limit: usize,
    },
}

impl StoreCall {
    /// The [`Store`] method's name, as on the wire (`put_account`).
    pub fn method(&self) -> &'static str {
        match self {
            Self::PutAccount { .. } => "put_account",
            Self::AccountByName { .. } => "account_by_name",
            Self::AccountByNumber { .. } => "account_by_number",
            Self::Accounts => "accounts",
            Self::DeleteAccount { .. } => "delete_account",
            Self::ItemsOf { .. } => "items_of",
            Self::CommitChangeset { .. } => "commit_changeset",
            Self::ConfigsOf { .. } => "configs_of",
            Self::CommitAudited { .. } => "commit_audited",
            Self::IssuesOf { .. } => "issues_of",
            Self::Item { .. } => "item",
            Self::ItemByArn { .. } => "item_by_arn",
            Self::Revision { .. } => "revision",
            Self::Revisions { .. } => "revisions",
            Self::Search { .. } => "search",
            Self::Distinct { .. } => "distinct",
            Self::SearchRevisions { .. } => "search_revisions",
            Self::Issues { .. } => "issues",
            Self::CommitAudit { .. } => "commit_audit",
            Self::Justify { .. } => "justify",
            Self::AddComment { .. } => "add_comment",
            Self::Comments { .. } => "comments",
            Self::Comment { .. } => "comment",
            Self::DeleteComment { .. } => "delete_comment",
            Self::PutScoreOverride { .. } => "put_score_override",
            Self::ScoreOverrides => "score_overrides",
            Self::DeleteScoreOverride { .. } => "delete_score_override",
            Self::PutIgnoreEntry { .. } => "put_ignore_entry",
            Self::IgnoreEntries => "ignore_entries",
            Self::DeleteIgnoreEntry { .. } => "delete_ignore_entry",
            Self::PutWhitelistEntry { .. } => "put_whitelist_entry",
            Self::Whitelist => "whitelist",
            Self::DeleteWhitelistEntry { .. } => "delete_whitelist_entry",
            Self::PutWatcherConfig { .. } => "put_watcher_config",
            Self::WatcherConfigs => "watcher_configs",
            Self::PutUser { .. } => "put_user",
            Self::User { .. } => "user",
            Self::Users => "users",
            Self::DeleteUser { .. } => "delete_user",
            Self::PutRun { .. } => "put_run",
            Self::Runs { .. } => "runs",
            Self::LastRuns => "last_runs",
            Self::Enqueue { .. } => "enqueue",
            Self::OutboxDue { .. } => "outbox_due",
            Self::UpdateOutbox { .. } => "update_outbox",
            Self::Outbox { .. } => "outbox",
        }
    }

    /// Whether the call may change the store: a server tells whoever plans work from the
    /// store (the scheduler) to look again after each one that succeeds, and a client retries
    /// only calls that do not, when it cannot know whether the call was carried out.
    pub fn is_write(&self) -> bool {
        match self {
            Self::PutAccount { .. }
            | Self::DeleteAccount { .. }
            | Self::CommitChangeset { .. }
            | Self::CommitAudit { .. }
            | Self::CommitAudited { .. }
            | Self::Justify { .. }
            | Self::AddComment { .. }
            | Self::DeleteComment { .. }
            | Self::PutScoreOverride { .. }
            | Self::DeleteScoreOverride { .. }
            | Self::PutIgnoreEntry { .. }
            | Self::DeleteIgnoreEntry { .. }
            | Self::PutWhitelistEntry { .. }
            | Self::DeleteWhitelistEntry { .. }
            | Self::PutWatcherConfig { .. }
            | Self::PutUser { .. }
            | Self::DeleteUser { .. }
            | Self::PutRun { .. }
            | Self::Enqueue { .. }
            | Self::UpdateOutbox { .. } => true,
            Self::AccountByName { .. }
            | Self::AccountByNumber { .. }
            | Self::Accounts
            | Self::ItemsOf { .. }
            | Self::ConfigsOf { .. }
            | Self::IssuesOf { .. }
            | Self::Item { .. }
            | Self::ItemByArn { .. }
            | Self::Revision { .. }
            | Self::Revisions { .. }
            | Self::Search { .. }
            | Self::Distinct { .. }
            | Self::SearchRevisions { .. }
            | Self::Issues { .. }
            | Self::Comments { .. }
            | Self::Comment { .. }
            | Self::ScoreOverrides
            | Self::IgnoreEntries
            | Self::Whitelist
            | Self::WatcherConfigs
            | Self::User { .. }
            | Self::Users
            | Self::LastRuns
            | Self::Runs { .. }
            | Self::OutboxDue { .. }
            | Self::Outbox { .. } => false,
        }
    }
}

/// Runs `call` against `store` and returns the method's result as JSON, or its error as a
/// [`WireError`].
pub async fn dispatch(store: &dyn Store, call: StoreCall) -> Result<Value, WireError> {
    use StoreCall as C;
    match call {
        C::PutAccount { account } => answer(store.put_account(&account).await),
        C::AccountByName { name } => answer(store.account_by_name(&name).await),
        C::AccountByNumber { number } => answer(store.account_by_number(&number).await),
        C::Accounts => answer(store.accounts().await),
        C::DeleteAccount { number } => answer(store.delete_account(&number).await),
        C::ItemsOf { account, technology } => answer(store.items_of(&account, &technology).await),
        C::CommitChangeset { changeset } => answer(store.commit_changeset(&changeset).await),
        C::ConfigsOf { account, technology } => answer(store.configs_of(&account, &technology).await),
        C::CommitAudited { changeset, audit } => answer(store.commit_audited(&changeset, &audit).await),
        C::IssuesOf { account, technology } => answer(store.issues_of(&account, &technology).await),
        C::Item { key } => answer(store.item(&key).await),
        C::ItemByArn { arn } => answer(store.item_by_arn(&arn).await),
        C::Revision { id } => answer(store.revision(id).await),
        C::Revisions { key } => answer(store.revisions(&key).await),
        C::Search { query } => answer(store.search(&query).await),
        C::Distinct { field, prefix, limit } => answer(store.distinct(field, &prefix, limit).await),
        C::SearchRevisions { query } => answer(store.search_revisions(&query).await),
        C::Issues { item } => answer(store.issues(&item).await),
        C::CommitAudit { audit } => answer(store.commit_audit(&audit).await),
        C::Justify { key, justification } => answer(store.justify(&key, justification).await),
        C::AddComment { comment } => answer(store.add_comment(&comment).await),
        C::Comments { target } => answer(store.comments(&target).await),
        C::Comment { id } => answer(store.comment(id).await),
        C::DeleteComment { id } => answer(store.delete_comment(id).await),
        C::PutScoreOverride { score_override } => answer(store.put_score_override(&score_override).await),
        C::ScoreOverrides => answer(store.score_overrides().await),
        C::DeleteScoreOverride { technology, check } => answer(store.delete_score_override(&technology, &check).await),
        C::PutIgnoreEntry { entry } => answer(store.put_ignore_entry(&entry).await),
        C::IgnoreEntries => answer(store.ignore_entries().await),
        C::DeleteIgnoreEntry { technology, prefix } => answer(store.delete_ignore_entry(&technology, &prefix).await),
        C::PutWhitelistEntry { entry } => answer(store.put_whitelist_entry(&entry).await),
        C::Whitelist => answer(store.whitelist().await),
        C::DeleteWhitelistEntry { name } => answer(store.delete_whitelist_entry(&name).await),
        C::PutWatcherConfig { config } => answer(store.put_watcher_config(&config).await),
        C::WatcherConfigs => answer(store.watcher_configs().await),
        C::PutUser { user } => answer(store.put_user(&user).await),
        C::User { email } => answer(store.user(&email).await),
        C::Users => answer(store.users().await),
        C::DeleteUser { email } => answer(store.delete_user(&email).await),
        C::PutRun { run } => answer(store.put_run(&run).await),
        C::Runs { limit } => answer(store.runs(limit).await),
        C::LastRuns => answer(store.last_runs().await),
        C::Enqueue { entries } => answer(store.enqueue(&entries).await),
        C::OutboxDue { now, limit } => answer(store.outbox_due(now, limit).await),
        C::UpdateOutbox { entry } => answer(store.update_outbox(&entry).await),
        C::Outbox { limit } => answer(store.outbox(limit).await),
    }
}

fn answer<T: Serialize>(result: StoreResult<T>) -> Result<Value, WireError> {
    let value = result.map_err(|e| WireError::from(&e))?;
    serde_json::to_value(value)
        .map_err(|e| WireError::new(WireErrorKind::Internal, format!("the result could not be written as JSON: {e}")))
}

/// A failed call as it crosses the wire: what kind of failure, with its structured fields, and
/// the error's message for people.
///
/// On the wire the kind's fields sit beside the message:
/// `{"kind": "name_taken", "name": "prod", "number": "123456789012", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct WireError {
    /// What failed.
    #[serde(flatten)]
    pub kind: WireErrorKind,
    /// The original error's message.
    pub message: String,
}

/// The kinds of [`WireError`]: one per [`StoreError`] variant, and the transport's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WireErrorKind {
    /// [`StoreError::NameTaken`].
    NameTaken {
        /// The name.
        name: AccountName,
        /// The number that holds it.
        number: AccountNumber,
    },
    /// [`StoreError::NotFound`].
    NotFound {
        /// What.
        what: String,
    },
    /// [`StoreError::Invalid`]; the message is the [`ModelError`]'s.
    Invalid,
    /// [`StoreError::SchemaTooNew`].
    SchemaTooNew {
        /// Where.
        path: String,
        /// The stored version.
        found: u32,
        /// The newest version the server reads.
        supported: u32,
    },
    /// [`StoreError::Locked`].
    Locked {
        /// Where.
        path: String,
        /// The engine's message.
        detail: String,
    },
    /// [`StoreError::Corrupt`].
    Corrupt {
        /// What could not be read.
        what: String,
    },
    /// [`StoreError::Backend`].
    Backend {
        /// Which engine.
        backend: String,
        /// Whether trying again may succeed.
        retryable: bool,
    },
    /// The call could not be read: not JSON, an unknown method, or an argument of the wrong
    /// shape (a client and server of different versions).
    BadCall,
    /// The call carried no credentials.
    Unauthorized,
    /// The call's credentials are wrong, or the server takes no calls.
    Forbidden,
    /// The server failed outside the store.
    Internal,
    /// A kind this side does not know (sent by a newer version).
    #[serde(other)]
    Unknown,
}

impl WireError {
    /// An error of this kind with this message.
    pub fn new(kind: WireErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    /// Whether the same call may succeed if tried again, as [`StoreError::is_retryable`] says.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, WireErrorKind::Backend { retryable: true, .. } | WireErrorKind::Locked { .. })
    }
}

impl From<&StoreError> for WireError {
    fn from(error: &StoreError) -> Self {
        let kind = match error {
            StoreError::NameTaken { name, number } => {
                WireErrorKind::NameTaken { name: name.clone(), number: number.clone() }
            }
            StoreError::NotFound { what } => WireErrorKind::NotFound { what: what.clone() },
            StoreError::Invalid(_) => WireErrorKind::Invalid,
            StoreError::SchemaTooNew { path, found, supported } => {
                WireErrorKind::SchemaTooNew { path: path.clone(), found: *found, supported: *supported }
            }
            StoreError::Locked { path, detail } => WireErrorKind::Locked { path: path.clone(), detail: detail.clone() },
            StoreError::Corrupt { what } => WireErrorKind::Corrupt { what: what.clone() },
            StoreError::Backend { backend, retryable, .. } => {
                WireErrorKind::Backend { backend: (*backend).to_owned(), retryable: *retryable }
            }
        };
        Self { kind, message: error.to_string() }
    }
}

impl From<StoreError> for WireError {
    fn from(error: StoreError) -> Self {
        Self::from(&error)
    }
}

/// The [`StoreError`] a [`WireError`] stands for: the same variant with the same message,
/// except that an invalid input comes back as [`ModelError::Remote`] and a backend failure
/// names [`REMOTE_BACKEND`] with the original backend in its message. The transport's own
/// kinds become non-retryable [`StoreError::Backend`] failures.
impl From<WireError> for StoreError {
    fn from(error: WireError) -> Self {
        let WireError { kind, message } = error;
        match kind {
            WireErrorKind::NameTaken { name, number } => Self::NameTaken { name, number },
            WireErrorKind::NotFound { what } => Self::NotFound { what },
            WireErrorKind::Invalid => Self::Invalid(ModelError::Remote { message }),
            WireErrorKind::SchemaTooNew { path, found, supported } => Self::SchemaTooNew { path, found, supported },
            WireErrorKind::Locked { path, detail } => Self::Locked { path, detail },
            WireErrorKind::Corrupt { what } => Self::Corrupt { what },
            WireErrorKind::Backend { retryable, .. } => Self::Backend { backend: REMOTE_BACKEND, message, retryable },
            WireErrorKind::BadCall
            | WireErrorKind::Unauthorized
            | WireErrorKind::Forbidden
            | WireErrorKind::Internal
            | WireErrorKind::Unknown => Self::Backend { backend: REMOTE_BACKEND, message, retryable: false },
        }
    }
}

#[cfg(test)]
mod tests;
