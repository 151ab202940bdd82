//! Test tables for checks: configurations run through the real audit engine with every
//! registered auditor, as an item of account 111111111111 in us-east-1.

use monkey_core::audit::{AuditEngine, AuditSettings, Environment, SnapshotItem, audit_snapshot};
use monkey_core::auditor::Check;
use monkey_core::model::{AccountNumber, Issue, ItemKey, Technology, Timestamp};
use serde_json::Value;
use std::sync::OnceLock;

/// The account of audited test items.
pub(crate) const OURS: &str = "111111111111";

/// The time test audits run at: 2026-01-01T00:00:00Z, so ages in tables are stable.
pub(crate) fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00Z").expect("a valid timestamp")
}

/// The key of a test item.
pub(crate) fn key(technology: &str, name: &str) -> ItemKey {
    ItemKey {
        technology: Technology::parse(technology).expect("a valid technology"),
        account: AccountNumber::parse(OURS).expect("a valid account"),
        region: "us-east-1".into(),
        name: name.into(),
    }
}

fn engine() -> &'static AuditEngine {
    static ENGINE: OnceLock<AuditEngine> = OnceLock::new();
    ENGINE.get_or_init(AuditEngine::registered)
}

/// What a test audit knows besides the item.
#[derive(Default)]
pub(crate) struct Fixture {
    /// Known accounts, whitelist, organisations.
    pub(crate) environment: Environment,
    /// Other items of the same account: (technology, name, config).
    pub(crate) support: Vec<(&'static str, &'static str, Value)>,
    /// Score overrides.
    pub(crate) settings: AuditSettings,
}

/// The open issues `check` raises on an item of its technology with `config`.
pub(crate) fn issues(check: &Check, config: Value) -> Vec<Issue> {
    issues_with(check, config, Fixture::default())
}

/// The open issues `check` raises on an item of its technology with `config`, given `fixture`.
pub(crate) fn issues_with(check: &Check, config: Value, fixture: Fixture) -> Vec<Issue> {
    let mut items = vec![SnapshotItem { key: key(check.technology, "item"), arn: None, config }];
    for (technology, name, config) in fixture.support {
        items.push(SnapshotItem { key: key(technology, name), arn: None, config });
    }
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    let audit = runtime.block_on(audit_snapshot(engine(), fixture.environment, fixture.settings, items, now()));
    assert!(audit.errors.is_empty(), "auditors failed: {:?}", audit.errors);
    let item = audit.items.into_iter().next().expect("the audited item");
    item.issues.into_iter().filter(|i| i.key.check == check.id && !i.fixed).collect()
}

/// The notes of the open issues `check` raises on `config`.
pub(crate) fn notes(check: &Check, config: Value) -> Vec<String> {
    issues(check, config).into_iter().map(|i| i.key.notes).collect()
}

/// Asserts that every configuration in `fail` raises `check` and none in `pass` does.
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
