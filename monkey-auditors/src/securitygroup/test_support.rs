//! Test support for the EC2 and VPC modules: the recorded estate (`testdata/estate/recording/`)
//! and tables that need a fixture.

use crate::testing;
use monkey_core::audit::Environment;
use monkey_core::auditor::Check;
use monkey_core::model::AccountNumber;
use serde_json::Value;

/// The (name, config) of every item of a recording, as if the estate were the test account's.
pub(crate) fn recording(text: &str) -> Vec<(String, Value)> {
    let text = text.replace("111122223333", testing::OURS);
    let recording: Value = serde_json::from_str(&text).expect("a recording");
    let items = recording.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    assert!(!items.is_empty(), "an empty recording");
    items
        .into_iter()
        .map(|item| {
            let name = item.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
            (name, item.get("config").cloned().unwrap_or(Value::Null))
        })
        .collect()
}

/// An environment that knows the estate's VPC networks as the test account's.
pub(crate) fn environment() -> Environment {
    let mut environment = Environment::default();
    let account = AccountNumber::parse(testing::OURS).expect("an account");
    for (_, vpc) in recording(include_str!("../../../testdata/estate/recording/111122223333/vpc.json")) {
        environment.learn_from_item("vpc", &account, &vpc);
    }
    environment
}

/// Every open issue `checks` raise on `config`, as sorted `<check> <notes> <score>` lines.
pub(crate) fn all_issues(checks: &[&Check], config: &Value, fixture: impl Fn() -> testing::Fixture) -> Vec<String> {
    let mut found: Vec<String> = checks
        .iter()
        .flat_map(|check| testing::issues_with(check, config.clone(), fixture()))
        .map(|issue| format!("{} {} {}", issue.key.check, issue.key.notes, issue.score))
        .collect();
    found.sort();
    found
}

/// [`testing::table`] with a fixture: every configuration in `fail` raises `check` and none in
/// `pass` does.
pub(crate) fn table_with(check: &Check, fixture: impl Fn() -> testing::Fixture, fail: &[Value], pass: &[Value]) {
    assert!(!fail.is_empty() && !pass.is_empty(), "{}: a table needs both failing and passing rows", check.id);
    for config in fail {
        assert!(
            !testing::issues_with(check, config.clone(), fixture()).is_empty(),
            "{} should flag {config}",
            check.id
        );
    }
    for config in pass {
        let found = testing::issues_with(check, config.clone(), fixture());
        assert!(found.is_empty(), "{} should not flag {config}: {found:?}", check.id);
    }
}
