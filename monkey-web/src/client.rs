//! [`RemoteStore`]: a [`Store`] whose calls the running monkey carries out, through its admin
//! API, for commands started while it holds the store.

use crate::admin::{AdminFile, AdminToken, STORE_PATH};
use crate::runs::{FIND_CHANGES_PATH, FindChanges, UnitResult};
use async_trait::async_trait;
use axum::body::Bytes;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use monkey_core::model::{
    Account, AccountName, AccountNumber, Comment, CommentId, CommentTarget, IgnoreEntry, Issue, IssueKey, Item,
    ItemKey, Justification, NetworkWhitelistEntry, OutboxEntry, Revision, RevisionId, RunRecord, ScoreOverride,
    Technology, Timestamp, User, WatcherConfig,
};
use monkey_core::store::{
    AuditCommit, Changeset, CommitReceipt, DistinctField, ItemQuery, Page, RevisionQuery, RevisionSummary, Store,
    StoreError, StoreResult,
};
use monkey_core::store_rpc::{REMOTE_BACKEND, StoreCall, WireError, WireErrorKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use tokio::net::TcpStream;

/// How long a connection may take: on loopback, anything longer means the process is stuck.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Idle connections kept for the next calls.
const IDLE_CONNECTIONS: usize = 4;

/// A [`Store`] over the admin API of the running monkey at an address: every call is one
/// `POST /api/1/admin/store` over plain HTTP/1.1 (meant for loopback), on a kept-alive
/// connection.
///
/// Errors are the store's own, as the running monkey's store returned them (an invalid input
/// is still [`StoreError::Invalid`], a taken name still [`StoreError::NameTaken`]); a running
/// monkey that cannot be reached is a retryable [`StoreError::Backend`] failure ("the running
/// monkey at ADDR does not answer"). Its methods must be called within a tokio runtime.
///
/// ```no_run
/// use monkey_core::store::Store;
/// use monkey_web::client::RemoteStore;
/// use std::sync::Arc;
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let store: Arc<dyn Store> = match RemoteStore::discover("monkey-data".as_ref())? {
///     Some(remote) => Arc::new(remote),
///     None => monkey_store::open("monkey-data/monkey.redb")?,
/// };
/// println!("{} accounts", store.accounts().await?.len());
/// # Ok(())
/// # }
/// ```
pub struct RemoteStore {
    address: SocketAddr,
    host: HeaderValue,
    authorization: HeaderValue,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

impl RemoteStore {
    /// A store whose calls go to the admin API at `address`, with `token`.
    pub fn new(address: SocketAddr, token: &AdminToken) -> Self {
        // Cannot fail: an address and an admin token are visible ASCII.
        let host = HeaderValue::try_from(address.to_string()).unwrap_or(HeaderValue::from_static("localhost"));
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {}", token.expose())).unwrap_or(HeaderValue::from_static(""));
        authorization.set_sensitive(true);
        Self { address, host, authorization, idle: Mutex::new(Vec::new()) }
    }

    /// The store of the monkey running on `data_dir`, as its [`AdminFile`] says; `None` when
    /// there is no admin file, i.e. no monkey runs there. The file outlives a process that was
    /// killed: calls then fail with "does not answer".
    pub fn discover(data_dir: &Path) -> io::Result<Option<Self>> {
        Ok(AdminFile::read(data_dir)?.map(|file| Self::new(file.address, &file.token)))
    }

    /// Where the running monkey's admin API listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `Ok` when the running monkey answers and takes the token: one cheap read.
    pub async fn ping(&self) -> StoreResult<()> {
        self.watcher_configs().await.map(|_| ())
    }

    /// Asks the running monkey to run these units now and waits for their runs.
    pub async fn find_changes(&self, request: &FindChanges) -> StoreResult<Vec<UnitResult>> {
        let method = "find-changes";
        let body = serde_json::to_vec(request).map_err(|e| self.failure(format!("{method}: {e}"), false))?;
        let (response, sender) = self.send(FIND_CHANGES_PATH, Bytes::from(body), method, true).await?;
        let status = response.status();
        let body = response.into_body().collect().await.map_err(|e| self.broken(method, true, &e))?.to_bytes();
        self.keep(sender);
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| self.failure(format!("the answer to {method} could not be read ({e})"), false));
        }
        Err(self.refused(method, status, &body))
    }

    /// Sends `call` and reads its result.
    async fn call<T: DeserializeOwned>(&self, call: StoreCall) -> StoreResult<T> {
        let (method, write) = (call.method(), call.is_write());
        let body = serde_json::to_vec(&call)
            .map_err(|e| self.failure(format!("{method} could not be written as JSON: {e}"), false))?;
        let (response, sender) = self.send(STORE_PATH, Bytes::from(body), method, write).await?;
        let status = response.status();
        let body = response.into_body().collect().await.map_err(|e| self.broken(method, write, &e))?.to_bytes();
        self.keep(sender);
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|e| {
                self.failure(
                    format!(
                        "the answer of the running monkey at {} to {method} could not be read ({e}); \
                         are this monkey and the running one the same version?",
                        self.address
                    ),
                    false,
                )
            });
        }
        Err(self.refused(method, status, &body))
    }

    /// Sends one request: on an idle connection if there is one that still works, else on a
    /// new one.
    async fn send(
        &self,
        path: &'static str,
        body: Bytes,
        method: &str,
        write: bool,
    ) -> StoreResult<(Response<Incoming>, SendRequest<Full<Bytes>>)> {
        if let Some(mut sender) = self.idle() {
            match sender.try_send_request(self.request(path, body.clone())).await {
                Ok(response) => return Ok((response, sender)),
                Err(mut e) => {
                    // The running monkey closed the idle connection. A request it never got, or
                    // a read, goes again on a new connection; a write it may have carried out
                    // does not.
                    let unsent = e.take_message().is_some();
                    if write && !unsent {
                        return Err(self.broken(method, write, &e.into_error()));
                    }
                }
            }
        }
        let mut sender = self.connect().await?;
        match sender.send_request(self.request(path, body)).await {
            Ok(response) => Ok((response, sender)),
            Err(e) => Err(self.broken(method, write, &e)),
        }
    }

    fn request(&self, path: &'static str, body: Bytes) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = Uri::from_static(path);
        let headers = request.headers_mut();
        headers.insert(HOST, self.host.clone());
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request
    }

    async fn connect(&self) -> StoreResult<SendRequest<Full<Bytes>>> {
        let stream = match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(self.address)).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return Err(self.silent(&e)),
            Err(_) => return Err(self.silent(&format!("no connection within {} s", CONNECT_TIMEOUT.as_secs()))),
        };
        // Calls are small request/answer pairs: waiting to batch them only adds latency.
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.map_err(|e| self.silent(&e))?;
        // The connection runs until its sender is dropped or the running monkey closes it.
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("admin API connection ended: {e}");
            }
        });
        Ok(sender)
    }

    fn idle(&self) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while let Some(sender) = idle.pop() {
            if sender.is_ready() {
                return Some(sender);
            }
        }
        None
    }

    fn keep(&self, sender: SendRequest<Full<Bytes>>) {
        let mut idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < IDLE_CONNECTIONS && !sender.is_closed() {
            idle.push(sender);
        }
    }

    fn failure(&self, message: String, retryable: bool) -> StoreError {
        StoreError::Backend { backend: REMOTE_BACKEND, message, retryable }
    }

    /// The running monkey cannot be reached.
    fn silent(&self, error: &dyn fmt::Display) -> StoreError {
        self.failure(format!("the running monkey at {} does not answer ({error})", self.address), true)
    }

    /// The connection failed during a call.
    fn broken(&self, method: &str, write: bool, error: &dyn fmt::Display) -> StoreError {
        let outcome = if write { "; it may or may not have been carried out" } else { "" };
        let message = format!(
            "the connection to the running monkey at {} broke during {method} ({error}){outcome}",
            self.address
        );
        self.failure(message, !write)
    }

    /// The running monkey answered with a failure.
    fn refused(&self, method: &str, status: StatusCode, body: &[u8]) -> StoreError {
        #[derive(Deserialize)]
        struct Failure {
            error: WireError,
        }
        let Ok(Failure { error }) = serde_json::from_slice(body) else {
            let text = String::from_utf8_lossy(body);
            let excerpt: String = text.chars().take(200).collect();
            return self.failure(
                format!("the running monkey at {} answered {method} with HTTP {status}: {excerpt}", self.address),
                status.is_server_error(),
            );
        };
        match error.kind {
            // The store's own errors come back as they were.
            WireErrorKind::NameTaken { .. }
            | WireErrorKind::NotFound { .. }
            | WireErrorKind::Invalid
            | WireErrorKind::SchemaTooNew { .. }
            | WireErrorKind::Locked { .. }
            | WireErrorKind::Corrupt { .. }
            | WireErrorKind::Backend { .. } => StoreError::from(error),
            // The transport's say where they come from.
            _ => StoreError::from(WireError {
                message: format!("the running monkey at {} refused {method}: {}", self.address, error.message),
                kind: error.kind,
            }),
        }
    }
}

impl fmt::Debug for RemoteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteStore").field("address", &self.address).finish_non_exhaustive()
    }
}

#[async_trait]
impl Store for RemoteStore {
    async fn put_account(&self, account: &Account) -> StoreResult<()> {
        self.call(StoreCall::PutAccount { account: account.clone() }).await
    }

    async fn account_by_name(&self, name: &AccountName) -> StoreResult<Option<Account>> {
        self.call(StoreCall::AccountByName { name: name.clone() }).await
    }

    async fn account_by_number(&self, number: &AccountNumber) -> StoreResult<Option<Account>> {
        self.call(StoreCall::AccountByNumber { number: number.clone() }).await
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.call(StoreCall::Accounts).await
    }

    async fn delete_account(&self, number: &AccountNumber) -> StoreResult<bool> {
        self.call(StoreCall::DeleteAccount { number: number.clone() }).await
    }

    async fn items_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Item>> {
        self.call(StoreCall::ItemsOf { account: account.clone(), technology: technology.clone() }).await
    }

    async fn commit_changeset(&self, changeset: &Changeset) -> StoreResult<CommitReceipt> {
        self.call(StoreCall::CommitChangeset { changeset: changeset.clone() }).await
    }

    async fn configs_of(
        &self,
        account: &AccountNumber,
        technology: &Technology,
    ) -> StoreResult<Vec<(Item, serde_json::Value)>> {
        self.call(StoreCall::ConfigsOf { account: account.clone(), technology: technology.clone() }).await
    }

    async fn commit_audited(&self, changeset: &Changeset, audit: &AuditCommit) -> StoreResult<CommitReceipt> {
        self.call(StoreCall::CommitAudited { changeset: changeset.clone(), audit: audit.clone() }).await
    }

    async fn item(&self, key: &ItemKey) -> StoreResult<Option<Item>> {
        self.call(StoreCall::Item { key: key.clone() }).await
    }

    async fn item_by_arn(&self, arn: &str) -> StoreResult<Option<Item>> {
        self.call(StoreCall::ItemByArn { arn: arn.to_owned() }).await
    }

    async fn revision(&self, id: RevisionId) -> StoreResult<Option<Revision>> {
        self.call(StoreCall::Revision { id }).await
    }

    async fn revisions(&self, key: &ItemKey) -> StoreResult<Vec<Revision>> {
        self.call(StoreCall::Revisions { key: key.clone() }).await
    }

    async fn search(&self, query: &ItemQuery) -> StoreResult<Page<Item>> {
        self.call(StoreCall::Search { query: query.clone() }).await
    }

    async fn distinct(&self, field: DistinctField, prefix: &str, limit: usize) -> StoreResult<Vec<String>> {
        self.call(StoreCall::Distinct { field, prefix: prefix.to_owned(), limit }).await
    }

    async fn search_revisions(&self, query: &RevisionQuery) -> StoreResult<Page<RevisionSummary>> {
        self.call(StoreCall::SearchRevisions { query: query.clone() }).await
    }

    async fn issues(&self, item: &ItemKey) -> StoreResult<Vec<Issue>> {
        self.call(StoreCall::Issues { item: item.clone() }).await
    }

    async fn issues_of(&self, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Issue>> {
        self.call(StoreCall::IssuesOf { account: account.clone(), technology: technology.clone() }).await
    }

    async fn commit_audit(&self, audit: &AuditCommit) -> StoreResult<()> {
        self.call(StoreCall::CommitAudit { audit: audit.clone() }).await
    }

    async fn justify(&self, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue> {
        self.call(StoreCall::Justify { key: key.clone(), justification }).await
    }

    async fn add_comment(&self, comment: &Comment) -> StoreResult<CommentId> {
        self.call(StoreCall::AddComment { comment: comment.clone() }).await
    }

    async fn comments(&self, target: &CommentTarget) -> StoreResult<Vec<Comment>> {
        self.call(StoreCall::Comments { target: target.clone() }).await
    }

    async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>> {
        self.call(StoreCall::Comment { id }).await
    }

    async fn delete_comment(&self, id: CommentId) -> StoreResult<bool> {
        self.call(StoreCall::DeleteComment { id }).await
    }

    async fn put_score_override(&self, score_override: &ScoreOverride) -> StoreResult<()> {
        self.call(StoreCall::PutScoreOverride { score_override: score_override.clone() }).await
    }

    async fn score_overrides(&self) -> StoreResult<Vec<ScoreOverride>> {
        self.call(StoreCall::ScoreOverrides).await
    }

    async fn delete_score_override(&self, technology: &Technology, check: &str) -> StoreResult<bool> {
        self.call(StoreCall::DeleteScoreOverride { technology: technology.clone(), check: check.to_owned() }).await
    }

    async fn put_ignore_entry(&self, entry: &IgnoreEntry) -> StoreResult<()> {
        self.call(StoreCall::PutIgnoreEntry { entry: entry.clone() }).await
    }

    async fn ignore_entries(&self) -> StoreResult<Vec<IgnoreEntry>> {
        self.call(StoreCall::IgnoreEntries).await
    }

    async fn delete_ignore_entry(&self, technology: &Technology, prefix: &str) -> StoreResult<bool> {
        self.call(StoreCall::DeleteIgnoreEntry { technology: technology.clone(), prefix: prefix.to_owned() }).await
    }

    async fn put_whitelist_entry(&self, entry: &NetworkWhitelistEntry) -> StoreResult<()> {
        self.call(StoreCall::PutWhitelistEntry { entry: entry.clone() }).await
    }

    async fn whitelist(&self) -> StoreResult<Vec<NetworkWhitelistEntry>> {
        self.call(StoreCall::Whitelist).await
    }

    async fn delete_whitelist_entry(&self, name: &str) -> StoreResult<bool> {
        self.call(StoreCall::DeleteWhitelistEntry { name: name.to_owned() }).await
    }

    async fn put_watcher_config(&self, config: &WatcherConfig) -> StoreResult<()> {
        self.call(StoreCall::PutWatcherConfig { config: config.clone() }).await
    }

    async fn watcher_configs(&self) -> StoreResult<Vec<WatcherConfig>> {
        self.call(StoreCall::WatcherConfigs).await
    }

    async fn put_user(&self, user: &User) -> StoreResult<()> {
        self.call(StoreCall::PutUser { user: user.clone() }).await
    }

    async fn user(&self, email: &str) -> StoreResult<Option<User>> {
        self.call(StoreCall::User { email: email.to_owned() }).await
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        self.call(StoreCall::Users).await
    }

    async fn delete_user(&self, email: &str) -> StoreResult<bool> {
        self.call(StoreCall::DeleteUser { email: email.to_owned() }).await
    }

    async fn put_run(&self, run: &RunRecord) -> StoreResult<()> {
        self.call(StoreCall::PutRun { run: run.clone() }).await
    }

    async fn runs(&self, limit: usize) -> StoreResult<Vec<RunRecord>> {
        self.call(StoreCall::Runs { limit }).await
    }

    async fn last_runs(&self) -> StoreResult<Vec<RunRecord>> {
        self.call(StoreCall::LastRuns).await
    }

    async fn enqueue(&self, entries: &[OutboxEntry]) -> StoreResult<usize> {
        self.call(StoreCall::Enqueue { entries: entries.to_vec() }).await
    }

    async fn outbox_due(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.call(StoreCall::OutboxDue { now, limit }).await
    }

    async fn update_outbox(&self, entry: &OutboxEntry) -> StoreResult<()> {
        self.call(StoreCall::UpdateOutbox { entry: entry.clone() }).await
    }

    async fn outbox(&self, limit: usize) -> StoreResult<Vec<OutboxEntry>> {
        self.call(StoreCall::Outbox { limit }).await
    }
}
