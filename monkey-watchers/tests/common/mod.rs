//! Shared by the moto tests: the endpoint scripts/test started, settings for it, fresh
//! accounts, and one watcher run through change detection into a store.
#![allow(dead_code)] // each test binary uses its own subset

use monkey_core::change::{EphemeralPaths, detect};
use monkey_core::model::{Account, AccountName, AccountNumber, Timestamp};
use monkey_core::store::{ChangeKind, Store};
use monkey_core::watcher::{Slurp, WatchContext, Watcher};
use monkey_watchers::aws::AwsSettings;

/// The moto server of this test run.
pub(crate) fn endpoint() -> String {
    std::env::var("MONKEY_TEST_AWS_ENDPOINT")
        .expect("MONKEY_TEST_AWS_ENDPOINT is not set: run the AWS tests through scripts/test, which starts moto")
}

/// Settings that reach moto with static credentials, in us-east-1 and eu-west-1 only.
pub(crate) fn settings() -> AwsSettings {
    AwsSettings {
        endpoint_url: Some(endpoint()),
        static_credentials: Some(("testing".into(), "testing".into())),
        regions: Some(vec!["us-east-1".into(), "eu-west-1".into()]),
        max_attempts: 1,
        ..AwsSettings::default()
    }
}

/// An account of its own, new on every call: moto keeps what each assumed role creates
/// apart, so tests neither see each other's resources nor last run's (moto keeps state).
pub(crate) fn fresh_account() -> Account {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let micros = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64);
    let unique = (micros + NEXT.fetch_add(1, Ordering::SeqCst) * 7919) % 10_000_000_000;
    let number = format!("20{unique:010}");
    Account::new(
        AccountName::parse(&format!("acct-{number}")).expect("name"),
        AccountNumber::parse(&number).expect("number"),
    )
}

/// Slurps, detects against the store, commits; returns the slurp and (name, kind) of every change.
pub(crate) async fn run(
    store: &dyn Store,
    watcher: &dyn Watcher,
    account: &Account,
    at: i128,
) -> (Slurp, Vec<(String, ChangeKind)>) {
    let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
    let previous = store.items_of(&account.number, watcher.technology()).await.expect("items");
    let paths = EphemeralPaths::parse(watcher.ephemeral_paths()).expect("paths");
    let detection =
        detect(watcher.technology(), &account.number, &previous, slurp.clone(), &paths, Timestamp::from_unix_nanos(at));
    store.commit_changeset(&detection.changeset).await.expect("commit");
    let changes = detection.changeset.changes.iter().map(|c| (c.key.name.to_string(), c.kind)).collect();
    (slurp, changes)
}

/// A fresh redb store in a temp dir (keep the dir alive while the store is used).
pub(crate) fn store() -> (tempfile::TempDir, std::sync::Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("m.redb").display())).expect("store");
    (dir, store)
}

/// The process's CPU time (user + system) so far, from /proc/self/stat (Linux).
pub(crate) fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis,
    // where field 3 (state) comes first, so utime (14) and stime (15) are at 11 and 12.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Clock ticks per second: getconf asks sysconf without unsafe code; Linux uses 100.
    let per_second = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .unwrap_or(100);
    Some(std::time::Duration::from_micros(ticks * 1_000_000 / per_second.max(1)))
}
