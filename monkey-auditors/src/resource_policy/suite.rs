//! The conformance tables every technology's resource-policy checks run (through the real
//! engine), the environment they run in, and an audit of recorded estate items.
//!
//! The engine audits configurations in canonical form (`monkey_core::diff::canonicalize`): a
//! one-element list in a policy collapses to its element, so a lone statement's errors are at
//! `Statement.Effect`, not `Statement[0].Effect`; issues come sorted by (check, notes).

use crate::testing::{self, Fixture};
use monkey_core::audit::{AuditEngine, AuditSettings, Environment, SnapshotItem, audit_snapshot};
use monkey_core::auditor::Check;
use monkey_core::model::{Account, AccountName, AccountNumber, Issue, ItemKey, NetworkWhitelistEntry, Technology};
use serde_json::{Value, json};

/// A friendly account (ours, not the item's).
pub(crate) const FRIEND: &str = "222222222222";
/// A known third-party account.
pub(crate) const VENDOR: &str = "333333333333";
/// An account nobody registered.
pub(crate) const STRANGER: &str = "999988887777";
/// The S3 canonical id of [`FRIEND`].
pub(crate) const FRIEND_CANONICAL: &str = "f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a69788f1e2d3c4b5a69788";
/// The S3 canonical id of [`VENDOR`].
pub(crate) const VENDOR_CANONICAL: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
/// The S3 display name of [`VENDOR`].
pub(crate) const VENDOR_S3_NAME: &str = "vendor-logs";
/// The S3 canonical id of the item's own account.
pub(crate) const OUR_CANONICAL: &str = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

fn number(n: &str) -> AccountNumber {
    AccountNumber::parse(n).expect("a valid account")
}

/// Our account (with its canonical id), a friend, a vendor; the office network whitelisted;
/// a VPC endpoint of ours and one of the friend's; our organisation.
pub(crate) fn environment() -> Environment {
    let mut ours = Account::new(AccountName::parse("ours").expect("a name"), number(testing::OURS));
    ours.canonical_id = Some(OUR_CANONICAL.into());
    let mut friend = Account::new(AccountName::parse("friend").expect("a name"), number(FRIEND));
    friend.canonical_id = Some(FRIEND_CANONICAL.into());
    let mut vendor = Account::new(AccountName::parse("vendor").expect("a name"), number(VENDOR));
    vendor.third_party = true;
    vendor.canonical_id = Some(VENDOR_CANONICAL.into());
    vendor.s3_name = Some(VENDOR_S3_NAME.into());
    let office = NetworkWhitelistEntry::new("office", "198.51.100.0/24", "").expect("a network");
    let mut env = Environment::new(vec![ours, friend, vendor], vec![office]);
    env.learn_vpc("vpce-ours", number(testing::OURS));
    env.learn_vpc("vpce-friend", number(FRIEND));
    env.learn_organization("o-ours");
    env
}

/// The open issues `check` raises on `config` in [`environment`].
pub(crate) fn issues(check: &Check, config: Value) -> Vec<Issue> {
    testing::issues_with(check, config, Fixture { environment: environment(), ..Fixture::default() })
}

/// The notes of the open issues `check` raises on `config` in [`environment`].
pub(crate) fn notes(check: &Check, config: Value) -> Vec<String> {
    issues(check, config).into_iter().map(|i| i.key.notes).collect()
}

/// [`testing::table`] in [`environment`].
pub(crate) fn table(check: &Check, fail: &[Value], pass: &[Value]) {
    assert!(!fail.is_empty() && !pass.is_empty(), "{}: a table needs both failing and passing rows", check.id);
    for config in fail {
        assert!(!issues(check, config.clone()).is_empty(), "{} should flag {config}", check.id);
    }
    for config in pass {
        let found = issues(check, config.clone());
        assert!(found.is_empty(), "{} should not flag {config}: {found:?}", check.id);
    }
}

/// Where a technology keeps its policy, and the action its statements grant.
#[derive(Clone, Copy)]
pub(crate) struct Subject {
    /// Puts a policy document (or null) into an item configuration.
    pub(crate) wrap: fn(Value) -> Value,
    /// The action of the statements (`s3:GetObject`, `sts:AssumeRole`).
    pub(crate) action: &'static str,
}

impl Subject {
    /// A configuration whose policy holds these statements.
    pub(crate) fn config(self, statements: Value) -> Value {
        (self.wrap)(json!({"Version": "2012-10-17", "Statement": statements}))
    }

    /// One Allow statement of the subject's action for `principal`.
    pub(crate) fn allow(self, principal: Value) -> Value {
        self.config(json!([{"Effect": "Allow", "Principal": principal, "Action": self.action, "Resource": "*"}]))
    }

    /// One Allow statement of the subject's action for `principal` under `condition`.
    pub(crate) fn allow_if(self, principal: Value, condition: Value) -> Value {
        self.config(json!([{"Effect": "Allow", "Principal": principal, "Action": self.action, "Resource": "*",
            "Condition": condition}]))
    }

    fn actions(self) -> String {
        format!("[\"{}\"]", self.action.to_ascii_lowercase())
    }
}

fn root(account: &str) -> Value {
    json!({"AWS": format!("arn:aws:iam::{account}:root")})
}

/// Principal `*` without a narrowing condition.
pub(crate) fn internet_accessible(check: &Check, s: Subject) {
    let vpce = json!({"StringEquals": {"aws:SourceVpce": "vpce-ours"}});
    let neutralised = s.config(json!([
        {"Effect": "Allow", "Principal": "*", "Action": s.action, "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-ours"}}}
    ]));
    let text = (s.wrap)(Value::String(
        json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": s.action}}).to_string(),
    ));
    table(
        check,
        &[
            s.allow(json!("*")),
            s.allow(json!({"AWS": "*"})),
            s.allow(json!({"AWS": ["*", "arn:aws:iam::111111111111:root"]})),
            s.config(json!([{"Effect": "Allow", "NotPrincipal": {"AWS": FRIEND}, "Action": s.action}])),
            s.allow_if(json!("*"), json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-ours"}})),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:SourceVpce": "*"}})),
            s.allow_if(json!("*"), json!({"Bool": {"aws:SecureTransport": "true"}})),
            text,
        ],
        &[
            (s.wrap)(Value::Null),
            s.allow_if(json!("*"), vpce),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:PrincipalOrgID": "o-ours"}})),
            s.allow(root(FRIEND)),
            s.config(json!([{"Effect": "Deny", "Principal": "*", "Action": s.action}])),
            neutralised,
            (s.wrap)(json!("not a policy")),
        ],
    );
    let found = issues(check, s.allow(json!("*")));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key.notes, format!("Entity: [principal:*] Actions: {}", s.actions()));
    assert_eq!(found[0].score, 10);
    let two = s.config(json!([
        {"Effect": "Allow", "Principal": "*", "Action": [s.action, "Zz:Last"]},
        {"Effect": "Allow", "Principal": "*", "NotAction": "iam:*"}
    ]));
    assert_eq!(
        notes(check, two),
        [format!("Entity: [principal:*] Actions: [\"*\", \"{}\", \"zz:last\"]", s.action.to_ascii_lowercase())]
    );
}

/// Another account of ours.
pub(crate) fn friendly_cross_account(check: &Check, s: Subject) {
    table(
        check,
        &[
            s.allow(root(FRIEND)),
            s.allow(json!({"AWS": FRIEND})),
            s.allow(json!({"AWS": format!("arn:aws:iam::{FRIEND}:role/deployer")})),
            s.allow(json!({"CanonicalUser": FRIEND_CANONICAL})),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:SourceVpce": "vpce-friend"}})),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:PrincipalOrgID": "o-ours"}})),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:PrincipalAccount": FRIEND}})),
            s.allow(json!({"Federated": format!("arn:aws:iam::{FRIEND}:saml-provider/okta")})),
        ],
        &[
            (s.wrap)(Value::Null),
            s.allow(root(testing::OURS)),
            s.allow(root(VENDOR)),
            s.allow(root(STRANGER)),
            s.allow(json!({"Service": "ec2.amazonaws.com"})),
            s.config(json!([{"Effect": "Deny", "Principal": root(FRIEND), "Action": s.action}])),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:SourceVpce": "vpce-ours"}})),
        ],
    );
    let found = issues(check, s.allow(root(FRIEND)));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].key.notes,
        format!("Account: [{FRIEND}/friend] Entity: [principal:arn:aws:iam::{FRIEND}:root] Actions: {}", s.actions())
    );
    assert_eq!(found[0].score, 0);
    // One issue per entity, with the actions of every statement that names it.
    let two = s.config(json!([
        {"Effect": "Allow", "Principal": {"AWS": FRIEND}, "Action": "b:Two"},
        {"Effect": "Allow", "Principal": {"AWS": [FRIEND, "arn:aws:iam::111111111111:root"]}, "Action": ["A:One", "b:two"]}
    ]));
    assert_eq!(
        notes(check, two),
        [format!("Account: [{FRIEND}/friend] Entity: [account:{FRIEND}] Actions: [\"a:one\", \"b:two\"]")]
    );
    assert_eq!(
        notes(check, s.allow(json!({"CanonicalUser": FRIEND_CANONICAL}))),
        [format!("Account: [{FRIEND}/friend] Entity: [canonical:{FRIEND_CANONICAL}] Actions: {}", s.actions())]
    );
}

/// A known third-party account.
pub(crate) fn thirdparty_cross_account(check: &Check, s: Subject) {
    table(
        check,
        &[
            s.allow(root(VENDOR)),
            s.allow(json!({"AWS": VENDOR})),
            s.allow(json!({"AWS": [format!("arn:aws:iam::{VENDOR}:role/reader"), testing::OURS]})),
            s.allow(json!({"CanonicalUser": VENDOR_CANONICAL})),
            s.allow_if(
                json!({"Service": "logging.s3.amazonaws.com"}),
                json!({"StringEquals": {"aws:SourceAccount": VENDOR}}),
            ),
        ],
        &[
            (s.wrap)(Value::Null),
            s.allow(root(FRIEND)),
            s.allow(root(STRANGER)),
            s.allow(json!({"AWS": testing::OURS})),
            s.config(json!([{"Effect": "Deny", "Principal": root(VENDOR), "Action": s.action}])),
        ],
    );
    let found = issues(check, s.allow(json!({"AWS": format!("arn:aws:iam::{VENDOR}:role/reader")})));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].key.notes,
        format!(
            "Account: [{VENDOR}/vendor] Entity: [principal:arn:aws:iam::{VENDOR}:role/reader] Actions: {}",
            s.actions()
        )
    );
    assert_eq!(found[0].score, 0);
}

/// Anything nobody registered.
pub(crate) fn unknown_access(check: &Check, s: Subject) {
    let sourced = |condition: Value| s.allow_if(json!("*"), condition);
    table(
        check,
        &[
            s.allow(root(STRANGER)),
            s.allow(json!({"AWS": format!("arn:aws:iam::{STRANGER}:role/x")})),
            s.allow(json!({"AWS": "AROAEXAMPLEDELETEDROLE"})),
            s.allow(json!({"CanonicalUser": "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"})),
            sourced(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
            sourced(json!({"StringEquals": {"aws:SourceVpce": "vpce-unknown"}})),
            sourced(json!({"StringEquals": {"aws:SourceVpc": "vpc-unknown"}})),
            sourced(json!({"StringEquals": {"aws:PrincipalOrgID": "o-theirs"}})),
            sourced(json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-theirs/r-1/*"}})),
            sourced(json!({"StringEquals": {"aws:userid": "AIDAEXAMPLE"}})),
            s.allow_if(json!({"Service": "logging.s3.amazonaws.com"}), json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::their-bucket"}})),
            s.allow_if(json!({"Service": "logging.s3.amazonaws.com"}), json!({"StringEquals": {"aws:SourceAccount": STRANGER}})),
        ],
        &[
            (s.wrap)(Value::Null),
            s.allow(root(testing::OURS)),
            s.allow(json!({"AWS": testing::OURS})),
            s.allow(root(FRIEND)),
            s.allow(root(VENDOR)),
            s.allow(json!({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]})),
            s.allow(json!({"Federated": "accounts.google.com"})),
            s.allow(json!({"CanonicalUser": OUR_CANONICAL})),
            sourced(json!({"IpAddress": {"aws:SourceIp": "198.51.100.7/32"}})),
            sourced(json!({"StringEquals": {"aws:SourceVpce": "vpce-ours"}})),
            sourced(json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-ours/r-1/*"}})),
            s.allow_if(
                json!({"Service": "logging.s3.amazonaws.com"}),
                json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::our-bucket"}, "StringEquals": {"aws:SourceAccount": testing::OURS}}),
            ),
            // As in Security Monkey, the internet issue says more than an unknown one.
            s.config(json!([
                {"Effect": "Allow", "Principal": "*", "Action": s.action},
                {"Effect": "Allow", "Principal": root(STRANGER), "Action": s.action}
            ])),
            s.config(json!([{"Effect": "Deny", "Principal": root(STRANGER), "Action": s.action}])),
        ],
    );
    let found = issues(check, s.allow(root(STRANGER)));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].key.notes,
        format!("Account: [{STRANGER}] Entity: [principal:arn:aws:iam::{STRANGER}:root] Actions: {}", s.actions())
    );
    assert_eq!(found[0].score, 10);
    assert_eq!(
        notes(check, sourced(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}))),
        [format!("Entity: [cidr:203.0.113.0/24] Actions: {}", s.actions())]
    );
}

/// The root of another account.
pub(crate) fn cross_account_root(check: &Check, s: Subject) {
    table(
        check,
        &[
            s.allow(root(STRANGER)),
            s.allow(root(FRIEND)),
            s.allow(root(VENDOR)),
            s.allow(json!({"AWS": STRANGER})),
            s.allow_if(json!("*"), json!({"ArnEquals": {"aws:PrincipalArn": format!("arn:aws:iam::{STRANGER}:root")}})),
        ],
        &[
            (s.wrap)(Value::Null),
            s.allow(root(testing::OURS)),
            s.allow(json!({"AWS": testing::OURS})),
            s.allow(json!({"AWS": format!("arn:aws:iam::{STRANGER}:role/x")})),
            s.allow_if(json!("*"), json!({"StringEquals": {"aws:PrincipalAccount": STRANGER}})),
            s.config(json!([{"Effect": "Deny", "Principal": root(STRANGER), "Action": s.action}])),
        ],
    );
    let found = issues(check, s.allow(json!({"AWS": [FRIEND, format!("arn:aws:iam::{STRANGER}:root")]})));
    let notes: Vec<&str> = found.iter().map(|i| i.key.notes.as_str()).collect();
    assert_eq!(
        notes,
        [
            format!("Account: [{FRIEND}/friend] Entity: [account:{FRIEND}] Actions: {}", s.actions()),
            format!("Account: [{STRANGER}] Entity: [principal:arn:aws:iam::{STRANGER}:root] Actions: {}", s.actions()),
        ]
    );
    assert!(found.iter().all(|i| i.score == 6));
}

/// A document or ARN that cannot be read.
pub(crate) fn parse_error(check: &Check, s: Subject) {
    table(
        check,
        &[
            (s.wrap)(json!("not a policy")),
            (s.wrap)(json!(42)),
            (s.wrap)(json!({"Version": "2012-10-17"})),
            (s.wrap)(json!({"Statement": [{"Principal": "*", "Action": s.action}]})),
            s.allow(json!({"AWS": "arn:aws:iam"})),
            s.allow(json!({"Federated": "arn:aws"})),
        ],
        &[(s.wrap)(Value::Null), s.allow(root(STRANGER)), s.allow(json!("*"))],
    );
    let missing_effect = s.config(json!([
        {"Effect": "Allow", "Principal": root(FRIEND), "Action": s.action},
        {"Principal": "*", "Action": s.action}
    ]));
    let found = issues(check, missing_effect);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key.notes, "Path: [Statement[1].Effect] Reason: [missing]");
    assert_eq!(found[0].score, 3);
    let bad_arn = s.config(json!([
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam"}, "Action": s.action},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam", "arn:aws:iam"]}, "Action": s.action}
    ]));
    assert_eq!(
        notes(check, bad_arn),
        [
            "Path: [Statement[1].Principal.AWS] Reason: [expected arn:partition:service:region:account:resource, got \"arn:aws:iam\"]"
        ]
    );
}

/// Audits the items of a recording (`{"items": [{"region", "name", "arn", "config"}]}`) with
/// every registered auditor, as items of their recorded account 111122223333, and returns each
/// item's name with its open issues.
pub(crate) fn estate(technology: &str, recording: &str) -> Vec<(String, Vec<Issue>)> {
    let recording: Value = serde_json::from_str(recording).expect("a recording");
    let items: Vec<SnapshotItem> = recording["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| SnapshotItem {
            key: ItemKey {
                technology: Technology::parse(technology).expect("a technology"),
                account: number("111122223333"),
                region: item["region"].as_str().expect("a region").into(),
                name: item["name"].as_str().expect("a name").into(),
            },
            arn: item["arn"].as_str().map(str::to_owned),
            config: item["config"].clone(),
        })
        .collect();
    let engine = AuditEngine::registered();
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    let audit = runtime.block_on(audit_snapshot(
        &engine,
        Environment::default(),
        AuditSettings::default(),
        items,
        testing::now(),
    ));
    assert!(audit.errors.is_empty(), "auditors failed: {:?}", audit.errors);
    audit
        .items
        .into_iter()
        .map(|item| (item.key.name.to_string(), item.issues.into_iter().filter(|i| !i.fixed).collect()))
        .collect()
}

/// The ids of the checks among `issues`, sorted and de-duplicated.
pub(crate) fn check_ids(issues: &[Issue]) -> Vec<&str> {
    let mut ids: Vec<&str> = issues.iter().map(|i| i.key.check.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
