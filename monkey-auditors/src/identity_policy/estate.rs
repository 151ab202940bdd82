//! The recorded estate's IAM items (`testdata/estate/recording/111122223333`), audited together
//! as one snapshot, so that support items (managed policies) are there as in a real audit.

use monkey_core::audit::{AuditEngine, AuditSettings, Environment, SnapshotItem, audit_snapshot};
use monkey_core::model::{AccountNumber, Issue, ItemKey, Technology, Timestamp};
use serde_json::Value;
use std::sync::OnceLock;

/// The recordings, by technology.
const RECORDINGS: [(&str, &str); 6] = [
    ("iamuser", include_str!("../../../testdata/estate/recording/111122223333/iamuser.json")),
    ("iamrole", include_str!("../../../testdata/estate/recording/111122223333/iamrole.json")),
    ("iamgroup", include_str!("../../../testdata/estate/recording/111122223333/iamgroup.json")),
    ("policy", include_str!("../../../testdata/estate/recording/111122223333/policy.json")),
    ("iamaccount", include_str!("../../../testdata/estate/recording/111122223333/iamaccount.json")),
    ("iamssl", include_str!("../../../testdata/estate/recording/111122223333/iamssl.json")),
];

/// When the estate is audited: the day after it was recorded (its clock said 2026-11-27), so
/// ages are those of a fresh estate and the short-lived certificate is about to expire.
pub(crate) const AUDITED_AT: &str = "2026-11-28T00:00:00Z";

/// Every recorded item of `technology`: (name, config).
pub(crate) fn items(technology: &str) -> Vec<(String, Value)> {
    let (_, text) = RECORDINGS.iter().find(|(t, _)| *t == technology).expect("a recorded technology");
    let recording: Value = serde_json::from_str(text).expect("a JSON recording");
    let items = recording["items"].as_array().expect("recorded items");
    items.iter().map(|item| (item["name"].as_str().expect("a name").to_owned(), item["config"].clone())).collect()
}

/// The open issues of every recorded IAM item, audited together at [`AUDITED_AT`].
fn audited() -> &'static Vec<(ItemKey, Vec<Issue>)> {
    static AUDITED: OnceLock<Vec<(ItemKey, Vec<Issue>)>> = OnceLock::new();
    AUDITED.get_or_init(|| {
        let account = AccountNumber::parse("111122223333").expect("a valid account");
        let mut snapshot = Vec::new();
        for (technology, _) in RECORDINGS {
            for (name, config) in items(technology) {
                let key = ItemKey {
                    technology: Technology::parse(technology).expect("a valid technology"),
                    account: account.clone(),
                    region: "universal".into(),
                    name: name.into(),
                };
                snapshot.push(SnapshotItem { key, arn: None, config });
            }
        }
        let now = Timestamp::parse_rfc3339(AUDITED_AT).expect("a valid timestamp");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let engine = AuditEngine::registered();
        let audit =
            runtime.block_on(audit_snapshot(&engine, Environment::default(), AuditSettings::default(), snapshot, now));
        assert!(audit.errors.is_empty(), "auditors failed: {:?}", audit.errors);
        audit.items.into_iter().map(|item| (item.key, item.issues.into_iter().filter(|i| !i.fixed).collect())).collect()
    })
}

/// The open issues of `checks` (one auditor's, not another auditor's of the same technology) on
/// one recorded item, as sorted `(check id, notes)`.
pub(crate) fn issues(technology: &str, name: &str, checks: &[&monkey_core::auditor::Check]) -> Vec<(String, String)> {
    let (_, issues) = audited()
        .iter()
        .find(|(key, _)| key.technology.as_str() == technology && key.name == name)
        .unwrap_or_else(|| panic!("no recorded {technology} {name}"));
    let mut found: Vec<(String, String)> = issues
        .iter()
        .filter(|issue| checks.iter().any(|c| c.id == issue.key.check))
        .map(|issue| (issue.key.check.clone(), issue.key.notes.clone()))
        .collect();
    found.sort();
    found
}

/// The recorded items of `technology` that `checks` raise no issue on.
pub(crate) fn clean(technology: &str, checks: &[&monkey_core::auditor::Check]) -> Vec<String> {
    items(technology)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| issues(technology, name, checks).is_empty())
        .collect()
}
