//! End to end on embedded defaults: recorded snapshots → change detection → a redb store,
//! over three runs: everything new, then a change, a deletion, an ephemeral change and a
//! failed region, then a deleted item reappearing.

use monkey_core::change::{EphemeralPaths, detect};
use monkey_core::model::{Account, AccountName, AccountNumber, ItemKey, Technology, Timestamp};
use monkey_core::store::{ChangeKind, ItemQuery, Store};
use monkey_core::watcher::{WatchContext, Watcher};
use monkey_watchers::ReplayWatcher;
use serde_json::{Value, json};
use std::path::Path;

fn record(dir: &Path, body: &Value) {
    let account_dir = dir.join("123456789012");
    std::fs::create_dir_all(&account_dir).expect("recording dir");
    std::fs::write(account_dir.join("securitygroup.json"), body.to_string()).expect("recording");
}

fn group(region: &str, name: &str, port: u16, assigned: &[&str]) -> Value {
    json!({"region": region, "name": name, "arn": format!("arn:aws:ec2:{region}:123456789012:security-group/{name}"),
           "config": {"GroupName": name, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                      "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}], "assigned_to": assigned}})
}

async fn run_once(
    store: &dyn Store,
    watcher: &ReplayWatcher,
    account: &Account,
    at: i128,
) -> Vec<(String, ChangeKind)> {
    let technology = watcher.technology().clone();
    let previous = store.items_of(&account.number, &technology).await.expect("items");
    let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
    let paths = EphemeralPaths::parse(watcher.ephemeral_paths()).expect("paths");
    let detection = detect(&technology, &account.number, &previous, slurp, &paths, Timestamp::from_unix_nanos(at));
    store.commit_changeset(&detection.changeset).await.expect("commit");
    detection.changeset.changes.iter().map(|c| (c.key.name.to_string(), c.kind)).collect()
}

#[tokio::test]
async fn three_runs_of_a_recorded_story() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).expect("store");
    let account =
        Account::new(AccountName::parse("demo").expect("name"), AccountNumber::parse("123456789012").expect("number"));
    store.put_account(&account).await.expect("account");

    let steps: Vec<_> = (1..=3).map(|i| dir.path().join(format!("step{i}"))).collect();
    record(
        &steps[0],
        &json!({"items": [
            group("us-east-1", "web", 443, &["i-1"]), group("us-east-1", "db", 5432, &[]), group("eu-west-1", "eu", 22, &[])
        ]}),
    );
    record(
        &steps[1],
        &json!({
            "items": [group("us-east-1", "web", 22, &["i-1"]), group("us-east-1", "db", 5432, &["i-9"])],
            "failures": [{"scope": "region", "region": "eu-west-1", "message": "Throttling"}]
        }),
    );
    record(
        &steps[2],
        &json!({"items": [
            group("us-east-1", "web", 22, &["i-1"]), group("eu-west-1", "eu", 22, &[])
        ]}),
    );
    let technology = Technology::parse("securitygroup").expect("technology");
    let watcher =
        ReplayWatcher::sequence(technology.clone(), steps).expect("steps").with_ephemeral_paths(vec!["assigned_to"]);

    let first = run_once(&*store, &watcher, &account, 1).await;
    assert_eq!(first.iter().filter(|(_, k)| *k == ChangeKind::Created).count(), 3, "{first:?}");

    // web changed durably, db only in an ephemeral field, eu hidden by its region's failure.
    let second = run_once(&*store, &watcher, &account, 2).await;
    assert_eq!(second, vec![("db".into(), ChangeKind::Ephemeral), ("web".into(), ChangeKind::Changed)]);

    // db gone (and nothing hides it), eu seen again unchanged.
    let third = run_once(&*store, &watcher, &account, 3).await;
    assert_eq!(third, vec![("db".into(), ChangeKind::Deleted)]);

    let key = |region: &str, name: &str| ItemKey::new(technology.clone(), account.number.clone(), region, name);
    let web = store.revisions(&key("us-east-1", "web")).await.expect("revisions");
    assert_eq!(web.len(), 2, "a durable change is a new revision");
    assert_eq!(web[0].config["IpPermissions"][0]["FromPort"], 22);
    let db = store.revisions(&key("us-east-1", "db")).await.expect("revisions");
    assert_eq!(db.len(), 2, "the ephemeral change updated a revision in place; the deletion added one");
    assert!(!db[0].active);
    assert_eq!(db[1].config["assigned_to"], json!(["i-9"]));
    assert!(db[1].last_ephemeral_change_at.is_some());
    let active = store.search(&ItemQuery { active: Some(true), ..ItemQuery::default() }).await.expect("search");
    let names: Vec<&str> = active.items.iter().map(|i| i.key.name.as_str()).collect();
    assert_eq!(active.total, 2, "{names:?}");

    // Playing the last step again changes nothing.
    assert!(run_once(&*store, &watcher, &account, 4).await.is_empty());
}
