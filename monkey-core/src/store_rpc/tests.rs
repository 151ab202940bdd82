use super::*;
use crate::model::{
    Category, Channel, Hash, Interval, Issue, RevisionId, Role, RunRecord, Timestamp, UNIVERSAL_REGION, WatcherConfig,
};
use crate::notifier::Message;
use crate::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, RevisionQuery};
use serde_json::json;
use std::collections::BTreeSet;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_700_000_000 + seconds) * 1_000_000_000)
}

fn number() -> AccountNumber {
    AccountNumber::parse("123456789012").unwrap()
}

fn tech() -> Technology {
    Technology::parse("s3").unwrap()
}

fn key() -> ItemKey {
    ItemKey::new(tech(), number(), UNIVERSAL_REGION, "bucket")
}

fn issue_key() -> IssueKey {
    IssueKey { item: key(), check: "s3-bucket-public-read".into(), notes: "AllUsers".into() }
}

fn justification() -> Justification {
    Justification { by: "ops@example.com".into(), at: at(3), reason: "a public website".into() }
}

/// One call of every method, with arguments of every shape.
fn outbox_entry() -> OutboxEntry {
    let message = Message {
        id: "change/1".into(),
        recipients: vec!["team@example.com".into()],
        subject: "[prod] Changes in s3".into(),
        text: "text".into(),
        html: Some("<p>html</p>".into()),
    };
    OutboxEntry::new(message, Channel::Mail, at(6))
}

fn every_call() -> Vec<StoreCall> {
    let account = Account::new(AccountName::parse("prod").unwrap(), number());
    let change = ItemChange {
        key: key(),
        arn: Some("arn:aws:s3:::bucket".into()),
        kind: ChangeKind::Created,
        config: json!({"Name": "bucket", "Versioning": {"Status": "Enabled"}, "Size": 1.5, "Tags": [1, null, "x"]}),
        durable_hash: Hash([1; 32]),
        complete_hash: Hash([2; 32]),
    };
    let issue = Issue {
        key: issue_key(),
        score: 10,
        category: Category::InternetAccessible,
        message: "anyone can read it".into(),
        links: vec![key()],
        fixed: false,
        justification: Some(justification()),
        first_seen: at(1),
        last_seen: at(2),
    };
    let mut config = WatcherConfig::new(tech(), Interval::HOURLY);
    config.account_intervals.insert(number(), Interval::MIN);
    let override_ = ScoreOverride {
        technology: tech(),
        check: "s3-bucket-public-read".into(),
        score: Some(3),
        disabled: false,
        account_patterns: vec!["name.prod*=9".parse().unwrap()],
    };
    let mut user = User::new("ops@example.com", Role::Admin).unwrap();
    user.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into());
    let query = ItemQuery {
        accounts: vec![number()],
        technologies: vec![tech()],
        regions: vec!["eu-west-1".into()],
        name_contains: Some("buck".into()),
        arns: vec!["arn:aws:s3:::bucket".into()],
        min_score: Some(1),
        min_unjustified_score: Some(1),
        config_contains: Some("AllUsers".into()),
        active: Some(true),
        offset: 10,
        limit: 20,
    };
    vec![
        StoreCall::PutAccount { account },
        StoreCall::AccountByName { name: AccountName::parse("prod").unwrap() },
        StoreCall::AccountByNumber { number: number() },
        StoreCall::Accounts,
        StoreCall::DeleteAccount { number: number() },
        StoreCall::ItemsOf { account: number(), technology: tech() },
        StoreCall::CommitChangeset { changeset: Changeset { at: at(1), changes: vec![change.clone()] } },
        StoreCall::ConfigsOf { account: number(), technology: tech() },
        StoreCall::IssuesOf { account: number(), technology: tech() },
        StoreCall::CommitAudited {
            changeset: Changeset { at: at(1), changes: vec![change] },
            audit: AuditCommit { at: at(1), items: vec![ItemAudit { item: key(), issues: vec![issue.clone()] }] },
        },
        StoreCall::Item { key: key() },
        StoreCall::ItemByArn { arn: "arn:aws:s3:::bucket".into() },
        StoreCall::Revision { id: RevisionId(u64::MAX) },
        StoreCall::Revisions { key: key() },
        StoreCall::Search { query },
        StoreCall::Distinct { field: DistinctField::Region, prefix: "eu-".into(), limit: usize::MAX },
        StoreCall::Issues { item: key() },
        StoreCall::SearchRevisions {
            query: RevisionQuery {
                accounts: vec![number()],
                technologies: vec![tech()],
                regions: vec!["eu-west-1".into()],
                name_contains: Some("buck".into()),
                active: Some(false),
                offset: 30,
                limit: 10,
            },
        },
        StoreCall::Comment { id: CommentId(3) },
        StoreCall::CommitAudit {
            audit: AuditCommit { at: at(2), items: vec![ItemAudit { item: key(), issues: vec![issue] }] },
        },
        StoreCall::Justify { key: issue_key(), justification: Some(justification()) },
        StoreCall::Justify { key: issue_key(), justification: None },
        StoreCall::AddComment {
            comment: Comment::new(CommentTarget::Revision(RevisionId(7)), "ops@example.com", at(4), "looked").unwrap(),
        },
        StoreCall::Comments { target: CommentTarget::Item(key()) },
        StoreCall::DeleteComment { id: CommentId(3) },
        StoreCall::PutScoreOverride { score_override: override_ },
        StoreCall::ScoreOverrides,
        StoreCall::DeleteScoreOverride { technology: tech(), check: "s3-bucket-public-read".into() },
        StoreCall::PutIgnoreEntry { entry: IgnoreEntry::new(tech(), "logs-", "noise").unwrap() },
        StoreCall::IgnoreEntries,
        StoreCall::DeleteIgnoreEntry { technology: tech(), prefix: "logs-".into() },
        StoreCall::PutWhitelistEntry { entry: NetworkWhitelistEntry::new("office", "2001:db8::/32", "").unwrap() },
        StoreCall::Whitelist,
        StoreCall::DeleteWhitelistEntry { name: "office".into() },
        StoreCall::PutWatcherConfig { config },
        StoreCall::WatcherConfigs,
        StoreCall::PutUser { user },
        StoreCall::User { email: "OPS@example.com".into() },
        StoreCall::Users,
        StoreCall::DeleteUser { email: "ops@example.com".into() },
        StoreCall::PutRun { run: RunRecord::start(number(), tech(), at(5)) },
        StoreCall::Runs { limit: 0 },
        StoreCall::LastRuns,
        StoreCall::Enqueue { entries: vec![outbox_entry()] },
        StoreCall::OutboxDue { now: at(7), limit: 10 },
        StoreCall::UpdateOutbox { entry: outbox_entry().delivered(at(8)) },
        StoreCall::Outbox { limit: 3 },
    ]
}

/// The variant's position; exhaustive, so that a new variant cannot be left out of
/// [`every_call`].
fn variant(call: &StoreCall) -> usize {
    match call {
        StoreCall::PutAccount { .. } => 0,
        StoreCall::AccountByName { .. } => 1,
        StoreCall::AccountByNumber { .. } => 2,
        StoreCall::Accounts => 3,
        StoreCall::DeleteAccount { .. } => 4,
        StoreCall::ItemsOf { .. } => 5,
        StoreCall::CommitChangeset { .. } => 6,
        StoreCall::Item { .. } => 7,
        StoreCall::ItemByArn { .. } => 8,
        StoreCall::Revision { .. } => 9,
        StoreCall::Revisions { .. } => 10,
        StoreCall::Search { .. } => 11,
        StoreCall::Distinct { .. } => 12,
        StoreCall::Issues { .. } => 13,
        StoreCall::CommitAudit { .. } => 14,
        StoreCall::Justify { .. } => 15,
        StoreCall::AddComment { .. } => 16,
        StoreCall::Comments { .. } => 17,
        StoreCall::DeleteComment { .. } => 18,
        StoreCall::PutScoreOverride { .. } => 19,
        StoreCall::ScoreOverrides => 20,
        StoreCall::DeleteScoreOverride { .. } => 21,
        StoreCall::PutIgnoreEntry { .. } => 22,
        StoreCall::IgnoreEntries => 23,
        StoreCall::DeleteIgnoreEntry { .. } => 24,
        StoreCall::PutWhitelistEntry { .. } => 25,
        StoreCall::Whitelist => 26,
        StoreCall::DeleteWhitelistEntry { .. } => 27,
        StoreCall::PutWatcherConfig { .. } => 28,
        StoreCall::WatcherConfigs => 29,
        StoreCall::PutUser { .. } => 30,
        StoreCall::User { .. } => 31,
        StoreCall::Users => 32,
        StoreCall::DeleteUser { .. } => 33,
        StoreCall::PutRun { .. } => 34,
        StoreCall::Runs { .. } => 35,
        StoreCall::LastRuns => 36,
        StoreCall::Enqueue { .. } => 37,
        StoreCall::OutboxDue { .. } => 38,
        StoreCall::UpdateOutbox { .. } => 39,
        StoreCall::Outbox { .. } => 40,
        StoreCall::SearchRevisions { .. } => 41,
        StoreCall::Comment { .. } => 42,
        StoreCall::ConfigsOf { .. } => 43,
        StoreCall::IssuesOf { .. } => 44,
        StoreCall::CommitAudited { .. } => 45,
    }
}

#[test]
fn every_call_round_trips_through_json() {
    let calls = every_call();
    let covered: BTreeSet<usize> = calls.iter().map(variant).collect();
    assert_eq!(covered, (0..46).collect(), "every variant is exercised");
    for call in calls {
        let json = serde_json::to_value(&call).unwrap();
        assert_eq!(json["method"], call.method(), "{json}");
        let text = serde_json::to_string(&call).unwrap();
        let back: StoreCall = serde_json::from_str(&text).unwrap();
        assert_eq!(back, call, "{text}");
    }
}

#[test]
fn calls_have_a_stable_shape() {
    let call = StoreCall::DeleteScoreOverride { technology: tech(), check: "c".into() };
    assert_eq!(
        serde_json::to_value(&call).unwrap(),
        json!({"method": "delete_score_override", "params": {"technology": "s3", "check": "c"}})
    );
    assert_eq!(serde_json::to_value(StoreCall::LastRuns).unwrap(), json!({"method": "last_runs"}));
    let parsed: StoreCall = serde_json::from_value(json!({"method": "users", "params": null})).unwrap();
    assert_eq!(parsed, StoreCall::Users);
    let justify = json!({"method": "justify", "params": {"key": issue_key(), "justification": null}});
    assert_eq!(
        serde_json::from_value::<StoreCall>(justify).unwrap(),
        StoreCall::Justify { key: issue_key(), justification: None }
    );
}

#[test]
fn unreadable_calls_are_refused() {
    for bad in [
        json!({"method": "drop_everything"}),
        json!({"method": "runs"}),
        json!({"method": "runs", "params": {"limit": "ten"}}),
        json!({"method": "put_account", "params": {"account": {"name": "prod", "number": "12"}}}),
        json!({"params": {}}),
        json!([1, 2]),
    ] {
        assert!(serde_json::from_value::<StoreCall>(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn writes_are_told_from_reads() {
    let writes: Vec<&str> = every_call().iter().filter(|c| c.is_write()).map(StoreCall::method).collect();
    for write in writes.iter() {
        assert!(
            ["put_", "delete_", "commit_", "add_", "justify", "enqueue", "update_"]
                .iter()
                .any(|p| write.starts_with(p)),
            "{write} is not a write"
        );
    }
    let reads = every_call().iter().filter(|c| !c.is_write()).count();
    assert_eq!((writes.len(), reads), (21, 26), "{writes:?}");
}

fn every_error() -> Vec<StoreError> {
    vec![
        StoreError::NameTaken { name: AccountName::parse("prod").unwrap(), number: number() },
        StoreError::NotFound { what: "item s3/123456789012/universal/bucket".into() },
        StoreError::Invalid(ModelError::Field {
            field: "role name",
            input: "not a role".into(),
            reason: "an IAM role name has 1 to 64 characters".into(),
        }),
        StoreError::Invalid(ModelError::AccountNumber { input: "12".into(), reason: "it must have exactly 12 digits" }),
        StoreError::SchemaTooNew { path: "/data/monkey.redb".into(), found: 9, supported: 2 },
        StoreError::Locked { path: "/data/monkey.redb".into(), detail: "redb: the database file is locked".into() },
        StoreError::Corrupt { what: "item 7".into() },
        StoreError::Backend { backend: "redb", message: "No space left on device".into(), retryable: false },
        StoreError::Backend { backend: "sled", message: "Interrupted".into(), retryable: true },
    ]
}

#[test]
fn store_errors_come_back_as_the_same_variant_with_the_same_message() {
    for error in every_error() {
        let wire = WireError::from(&error);
        assert_eq!(wire.message, error.to_string());
        assert_eq!(wire.is_retryable(), error.is_retryable(), "{error:?}");
        let text = serde_json::to_string(&wire).unwrap();
        let read: WireError = serde_json::from_str(&text).unwrap();
        assert_eq!(read, wire, "{text}");
        let back = StoreError::from(read);
        assert_eq!(back.is_retryable(), error.is_retryable(), "{error:?}");
        match (&error, &back) {
            (StoreError::NameTaken { name: a, number: b }, StoreError::NameTaken { name: c, number: d }) => {
                assert_eq!((a, b), (c, d));
            }
            (StoreError::NotFound { what: a }, StoreError::NotFound { what: b }) => assert_eq!(a, b),
            (StoreError::Invalid(original), StoreError::Invalid(ModelError::Remote { message })) => {
                assert_eq!(message, &original.to_string());
            }
            (StoreError::SchemaTooNew { .. }, StoreError::SchemaTooNew { .. })
            | (StoreError::Locked { .. }, StoreError::Locked { .. })
            | (StoreError::Corrupt { .. }, StoreError::Corrupt { .. }) => {}
            (StoreError::Backend { backend, .. }, StoreError::Backend { backend: remote, message, .. }) => {
                assert_eq!(*remote, REMOTE_BACKEND);
                assert_eq!(message, &error.to_string());
                assert!(back.to_string().contains(backend), "{back}");
                continue;
            }
            _ => panic!("{error:?} came back as {back:?}"),
        }
        assert_eq!(back.to_string(), error.to_string(), "the message is kept");
    }
}

#[test]
fn wire_errors_have_a_stable_shape() {
    let taken = StoreError::NameTaken { name: AccountName::parse("prod").unwrap(), number: number() };
    assert_eq!(
        serde_json::to_value(WireError::from(&taken)).unwrap(),
        json!({"kind": "name_taken", "name": "prod", "number": "123456789012", "message": taken.to_string()})
    );
    let backend = WireError::from(StoreError::Backend { backend: "redb", message: "x".into(), retryable: true });
    assert_eq!(
        serde_json::to_value(&backend).unwrap(),
        json!({"kind": "backend", "backend": "redb", "retryable": true, "message": "redb failed: x"})
    );
    let invalid: WireError = serde_json::from_value(json!({"kind": "invalid", "message": "bad"})).unwrap();
    assert_eq!(invalid, WireError::new(WireErrorKind::Invalid, "bad"));
}

#[test]
fn unknown_kinds_from_newer_servers_are_failures() {
    let wire: WireError =
        serde_json::from_value(json!({"kind": "quota_exceeded", "limit": 3, "message": "too many calls"})).unwrap();
    assert_eq!(wire.kind, WireErrorKind::Unknown);
    let error = StoreError::from(wire);
    assert!(matches!(&error, StoreError::Backend { retryable: false, .. }), "{error:?}");
    assert!(error.to_string().contains("too many calls"), "{error}");
    for kind in [WireErrorKind::BadCall, WireErrorKind::Unauthorized, WireErrorKind::Forbidden, WireErrorKind::Internal]
    {
        let error = StoreError::from(WireError::new(kind, "no"));
        assert!(matches!(error, StoreError::Backend { retryable: false, .. }), "{error:?}");
    }
}
