//! The replay watcher reads recordings from disk, plays them in order, and reports what it
//! cannot read as an account-wide failure.

use monkey_core::model::{Account, AccountName, AccountNumber, IgnoreEntry, Technology};
use monkey_core::watcher::{FailureScope, WatchContext, Watcher};
use monkey_watchers::ReplayWatcher;
use serde_json::json;
use std::path::Path;

fn account() -> Account {
    Account::new(AccountName::parse("demo").expect("name"), AccountNumber::parse("123456789012").expect("number"))
}

fn record(dir: &Path, body: &serde_json::Value) {
    let account_dir = dir.join("123456789012");
    std::fs::create_dir_all(&account_dir).expect("recording dir");
    std::fs::write(account_dir.join("securitygroup.json"), body.to_string()).expect("recording");
}

fn tech() -> Technology {
    Technology::parse("securitygroup").expect("technology")
}

#[tokio::test]
async fn plays_steps_in_order_then_keeps_the_last() {
    let root = tempfile::tempdir().unwrap();
    let (one, two) = (root.path().join("1"), root.path().join("2"));
    record(&one, &json!({"items": [{"region": "us-east-1", "name": "web", "config": {"v": 1}}]}));
    record(&two, &json!({"items": [{"region": "us-east-1", "name": "web", "config": {"v": 2}}], "failures": []}));
    let watcher = ReplayWatcher::sequence(tech(), vec![one, two]).unwrap();
    let ctx = WatchContext::new(account());
    let versions: Vec<i64> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            let slurp = watcher.slurp(&ctx).await;
            assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
            v.push(slurp.items[0].config["v"].as_i64().unwrap());
        }
        v
    };
    assert_eq!(versions, vec![1, 2, 2]);
    assert_eq!(watcher.position(), 1);
    assert!(ReplayWatcher::sequence(tech(), vec![]).is_err());
}

#[tokio::test]
async fn missing_or_invalid_recordings_are_account_failures() {
    let root = tempfile::tempdir().unwrap();
    let watcher = ReplayWatcher::new(tech(), root.path());
    let slurp = watcher.slurp(&WatchContext::new(account())).await;
    assert!(slurp.items.is_empty());
    assert_eq!(slurp.failures[0].scope, FailureScope::Account);
    assert!(slurp.failures[0].message.contains("securitygroup.json"), "{}", slurp.failures[0].message);

    std::fs::create_dir_all(root.path().join("123456789012")).unwrap();
    std::fs::write(root.path().join("123456789012/securitygroup.json"), b"{\"items\": [").unwrap();
    let slurp = watcher.slurp(&WatchContext::new(account())).await;
    assert!(slurp.failures[0].message.starts_with("invalid recording"), "{}", slurp.failures[0].message);
}

#[tokio::test]
async fn ignored_names_are_skipped() {
    let root = tempfile::tempdir().unwrap();
    record(
        root.path(),
        &json!({"items": [
            {"region": "us-east-1", "name": "Test-web", "config": {}},
            {"region": "us-east-1", "name": "prod-web", "config": {}}
        ]}),
    );
    let watcher = ReplayWatcher::new(tech(), root.path()).with_ephemeral_paths(vec!["assigned_to"]);
    assert_eq!(watcher.ephemeral_paths(), &["assigned_to"]);
    let ignore = vec![IgnoreEntry::new(tech(), "test-", "scratch groups").unwrap()];
    let slurp = watcher.slurp(&WatchContext::new(account()).with_ignore(ignore)).await;
    let names: Vec<&str> = slurp.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, vec!["prod-web"]);
}

#[tokio::test]
async fn a_written_recording_replays_the_same_slurp() {
    use monkey_core::watcher::{Failure, Slurp, SlurpedItem};
    let root = tempfile::tempdir().expect("temp dir");
    let slurp = Slurp {
        items: vec![SlurpedItem {
            region: "us-east-1".into(),
            name: "web".into(),
            arn: Some("arn:x".into()),
            config: json!({"a": [1]}),
        }],
        failures: vec![Failure {
            scope: FailureScope::Region { region: "eu-west-1".into() },
            message: "Throttling".into(),
        }],
    };
    let path = monkey_watchers::write_recording(root.path(), &account().number, &tech(), &slurp).expect("write");
    assert!(path.ends_with("123456789012/securitygroup.json"));
    let replayed = ReplayWatcher::new(tech(), root.path()).slurp(&WatchContext::new(account())).await;
    assert_eq!(replayed, slurp);
}
