//! Every `StoreCall` variant, written as JSON, read back and dispatched against a real redb
//! store, answers what the store's method returns.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use common::{account, redb_store};
use monkey_core::model::{
    Category, Comment, CommentId, CommentTarget, Hash, IgnoreEntry, Interval, Issue, IssueKey, ItemKey, Justification,
    NetworkWhitelistEntry, Role, RunRecord, ScoreOverride, Technology, Timestamp, User, WatcherConfig,
};
use monkey_core::store::{
    AuditCommit, ChangeKind, Changeset, CommitReceipt, DistinctField, ItemAudit, ItemChange, ItemQuery, Page,
    RevisionQuery, RevisionSummary, Store,
};
use monkey_core::store_rpc::{StoreCall, WireErrorKind, dispatch};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Debug;

/// The methods of `Store`, all of which the scenario below calls.
const METHODS: [&str; 39] = [
    "put_account",
    "account_by_name",
    "account_by_number",
    "accounts",
    "delete_account",
    "items_of",
    "commit_changeset",
    "item",
    "item_by_arn",
    "revision",
    "revisions",
    "search",
    "distinct",
    "search_revisions",
    "issues",
    "commit_audit",
    "justify",
    "add_comment",
    "comments",
    "comment",
    "delete_comment",
    "put_score_override",
    "score_overrides",
    "delete_score_override",
    "put_ignore_entry",
    "ignore_entries",
    "delete_ignore_entry",
    "put_whitelist_entry",
    "whitelist",
    "delete_whitelist_entry",
    "put_watcher_config",
    "watcher_configs",
    "put_user",
    "user",
    "users",
    "delete_user",
    "put_run",
    "runs",
    "last_runs",
];

struct Calls<'a> {
    store: &'a dyn Store,
    called: BTreeSet<&'static str>,
}

impl Calls<'_> {
    /// Sends `call` through JSON and dispatches it; returns its result read as `T`.
    async fn run<T: DeserializeOwned>(&mut self, call: StoreCall) -> T {
        let text = serde_json::to_string(&call).unwrap();
        let read: StoreCall = serde_json::from_str(&text).unwrap();
        assert_eq!(read, call, "{text}");
        self.called.insert(call.method());
        let result = dispatch(self.store, read).await.unwrap_or_else(|e| panic!("{text}: {e:?}"));
        serde_json::from_value(result).unwrap()
    }

    /// Runs `call` and checks that its result is `expected`.
    async fn check<T: DeserializeOwned + PartialEq + Debug>(&mut self, call: StoreCall, expected: T) {
        let text = serde_json::to_string(&call).unwrap();
        assert_eq!(self.run::<T>(call).await, expected, "{text}");
    }
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_700_000_000 + seconds) * 1_000_000_000)
}

#[tokio::test]
async fn every_call_dispatches_against_a_real_store() {
    let (store, _dir) = redb_store();
    let mut calls = Calls { store: store.as_ref(), called: BTreeSet::new() };
    let prod = account("prod", "111111111111");
    let s3 = Technology::parse("s3").unwrap();
    let key = ItemKey::new(s3.clone(), prod.number.clone(), "universal", "bucket");

    // Accounts.
    let () = calls.run(StoreCall::PutAccount { account: prod.clone() }).await;
    calls.check(StoreCall::AccountByName { name: prod.name.clone() }, Some(prod.clone())).await;
    calls.check(StoreCall::AccountByNumber { number: prod.number.clone() }, Some(prod.clone())).await;
    calls.check(StoreCall::Accounts, vec![prod.clone()]).await;

    // Items and revisions.
    let config = json!({"Name": "bucket", "Policy": {"Statement": [{"Effect": "Allow"}]}, "Ratio": 0.25});
    let changeset = Changeset {
        at: at(1),
        changes: vec![ItemChange {
            key: key.clone(),
            arn: Some("arn:aws:s3:::bucket".into()),
            kind: ChangeKind::Created,
            config: config.clone(),
            durable_hash: Hash([7; 32]),
            complete_hash: Hash([8; 32]),
        }],
    };
    let receipt: CommitReceipt = calls.run(StoreCall::CommitChangeset { changeset }).await;
    assert_eq!(receipt.revisions.len(), 1);
    let revision_id = receipt.revisions[0].1;
    let item = store.item(&key).await.unwrap().unwrap();
    calls.check(StoreCall::ItemsOf { account: prod.number.clone(), technology: s3.clone() }, vec![item.clone()]).await;
    calls.check(StoreCall::Item { key: key.clone() }, Some(item.clone())).await;
    calls.check(StoreCall::ItemByArn { arn: "arn:aws:s3:::bucket".into() }, Some(item.clone())).await;
    let revision = store.revision(revision_id).await.unwrap().unwrap();
    assert_eq!(revision.config, config);
    calls.check(StoreCall::Revision { id: revision_id }, Some(revision.clone())).await;
    calls.check(StoreCall::Revisions { key: key.clone() }, vec![revision]).await;
    let query = ItemQuery { name_contains: Some("BUCK".into()), ..ItemQuery::default() };
    let page: Page<_> = calls.run(StoreCall::Search { query }).await;
    assert_eq!((page.total, page.items), (1, vec![item]));
    let names: Vec<String> =
        calls.run(StoreCall::Distinct { field: DistinctField::Name, prefix: "b".into(), limit: usize::MAX }).await;
    assert_eq!(names, vec!["bucket"]);
    let query = RevisionQuery { regions: vec!["universal".into()], ..RevisionQuery::default() };
    let page: Page<RevisionSummary> = calls.run(StoreCall::SearchRevisions { query }).await;
    assert_eq!(page.total, 1);
    assert_eq!((page.items[0].id, &page.items[0].item, page.items[0].active), (revision_id, &key, true));

    // Issues.
    let issue = Issue {
        key: IssueKey { item: key.clone(), check: "s3-bucket-public-read".into(), notes: "AllUsers".into() },
        score: 10,
        category: Category::InternetAccessible,
        message: "anyone can read it".into(),
        links: vec![],
        fixed: false,
        justification: None,
        first_seen: at(2),
        last_seen: at(2),
    };
    let audit = AuditCommit { at: at(2), items: vec![ItemAudit { item: key.clone(), issues: vec![issue.clone()] }] };
    let () = calls.run(StoreCall::CommitAudit { audit }).await;
    calls.check(StoreCall::Issues { item: key.clone() }, vec![issue.clone()]).await;
    let why = Justification { by: "ops@example.com".into(), at: at(3), reason: "a website".into() };
    let justified: Issue =
        calls.run(StoreCall::Justify { key: issue.key.clone(), justification: Some(why.clone()) }).await;
    assert_eq!(justified.justification, Some(why));

    // Comments.
    let target = CommentTarget::Revision(revision_id);
    let comment = Comment::new(target.clone(), "ops@example.com", at(4), "looked at it").unwrap();
    let id: CommentId = calls.run(StoreCall::AddComment { comment: comment.clone() }).await;
    calls.check(StoreCall::Comments { target }, vec![Comment { id, ..comment.clone() }]).await;
    calls.check(StoreCall::Comment { id }, Some(Comment { id, ..comment })).await;
    assert!(calls.run::<bool>(StoreCall::DeleteComment { id }).await);

    // Settings.
    let score_override = ScoreOverride {
        technology: s3.clone(),
        check: "s3-bucket-public-read".into(),
        score: Some(2),
        disabled: false,
        account_patterns: vec!["name.prod=9".parse().unwrap()],
    };
    let () = calls.run(StoreCall::PutScoreOverride { score_override: score_override.clone() }).await;
    calls.check(StoreCall::ScoreOverrides, vec![score_override]).await;
    let check = "s3-bucket-public-read".to_owned();
    assert!(calls.run::<bool>(StoreCall::DeleteScoreOverride { technology: s3.clone(), check }).await);
    let entry = IgnoreEntry::new(s3.clone(), "logs-", "noise").unwrap();
    let () = calls.run(StoreCall::PutIgnoreEntry { entry: entry.clone() }).await;
    calls.check(StoreCall::IgnoreEntries, vec![entry]).await;
    assert!(calls.run::<bool>(StoreCall::DeleteIgnoreEntry { technology: s3.clone(), prefix: "logs-".into() }).await);
    let network = NetworkWhitelistEntry::new("office", "10.0.0.0/8", "").unwrap();
    let () = calls.run(StoreCall::PutWhitelistEntry { entry: network.clone() }).await;
    calls.check(StoreCall::Whitelist, vec![network]).await;
    assert!(calls.run::<bool>(StoreCall::DeleteWhitelistEntry { name: "office".into() }).await);
    let mut config = WatcherConfig::new(s3.clone(), Interval::HOURLY);
    config.account_intervals.insert(prod.number.clone(), Interval::MIN);
    let () = calls.run(StoreCall::PutWatcherConfig { config: config.clone() }).await;
    calls.check(StoreCall::WatcherConfigs, vec![config]).await;

    // Users: the password hash crosses too.
    let mut user = User::new("ops@example.com", Role::Admin).unwrap();
    user.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    let () = calls.run(StoreCall::PutUser { user: user.clone() }).await;
    calls.check(StoreCall::User { email: "OPS@example.com".into() }, Some(user.clone())).await;
    calls.check(StoreCall::Users, vec![user]).await;
    assert!(calls.run::<bool>(StoreCall::DeleteUser { email: "ops@example.com".into() }).await);

    // Runs.
    let run = RunRecord::start(prod.number.clone(), s3.clone(), at(5));
    let () = calls.run(StoreCall::PutRun { run: run.clone() }).await;
    calls.check(StoreCall::Runs { limit: 10 }, vec![run.clone()]).await;
    calls.check(StoreCall::LastRuns, vec![run]).await;

    // And gone with the account.
    assert!(calls.run::<bool>(StoreCall::DeleteAccount { number: prod.number.clone() }).await);
    assert_eq!(calls.run::<Option<Value>>(StoreCall::Item { key }).await, None);

    assert_eq!(calls.called, METHODS.into_iter().collect(), "every method is called");
}

#[tokio::test]
async fn failures_dispatch_as_wire_errors() {
    let (store, _dir) = redb_store();
    let prod = account("prod", "111111111111");
    store.put_account(&prod).await.unwrap();
    let taken =
        dispatch(store.as_ref(), StoreCall::PutAccount { account: account("prod", "222222222222") }).await.unwrap_err();
    assert_eq!(taken.kind, WireErrorKind::NameTaken { name: prod.name.clone(), number: prod.number.clone() });
    let comment = Comment {
        text: String::new(),
        ..Comment::new(CommentTarget::Revision(monkey_core::model::RevisionId(1)), "a@example.com", at(1), "x").unwrap()
    };
    let invalid = dispatch(store.as_ref(), StoreCall::AddComment { comment }).await.unwrap_err();
    assert_eq!(invalid.kind, WireErrorKind::Invalid);
    assert!(invalid.message.contains("comment"), "{invalid}");
}
