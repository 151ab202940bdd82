//! `monkey record` against a real moto server (scripts/test starts one): the recording it
//! writes replays as the same items.

use monkey_core::model::{Account, AccountName, AccountNumber, Technology};
use monkey_core::watcher::{WatchContext, Watcher};
use monkey_watchers::ReplayWatcher;
use std::process::Command;

#[tokio::test]
async fn records_a_live_account_for_replay() {
    let endpoint = std::env::var("MONKEY_TEST_AWS_ENDPOINT")
        .expect("MONKEY_TEST_AWS_ENDPOINT is not set: run the AWS tests through scripts/test, which starts moto");
    let dir = tempfile::tempdir().expect("temp dir");
    // The endpoint comes from monkey.toml, the regions from the environment, which wins.
    let config = dir.path().join("monkey.toml");
    std::fs::write(&config, format!("[aws]\nendpoint_url = \"{endpoint}\"\nregions = [\"eu-west-3\"]\n"))
        .expect("config");
    let monkey = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_monkey"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .env_remove("MONKEY_AWS_ENDPOINT_URL")
            .env("MONKEY_AWS_REGIONS", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("MONKEY_STORE")
            .output()
            .expect("run monkey")
    };
    // A number of its own, so this run sees only its account's default security group.
    let number = format!("30{:010}", std::process::id());
    assert!(monkey(&["add-account-aws", "--number", &number, "--name", "live"]).status.success());
    let out = dir.path().join("recording");
    let recorded = monkey(&["record", "-a", "live", "-o", out.to_str().expect("utf-8 path"), "-m", "securitygroup"]);
    let stdout = String::from_utf8_lossy(&recorded.stdout);
    assert!(recorded.status.success(), "{stdout}{}", String::from_utf8_lossy(&recorded.stderr));
    assert!(stdout.starts_with("securitygroup: "), "{stdout}");

    let account =
        Account::new(AccountName::parse("live").expect("name"), AccountNumber::parse(&number).expect("number"));
    let replay = ReplayWatcher::new(Technology::parse("securitygroup").expect("technology"), &out);
    let slurp = replay.slurp(&WatchContext::new(account)).await;
    assert!(slurp.failures.is_empty(), "{:?}", slurp.failures);
    assert!(
        slurp.items.iter().any(|i| i.name.starts_with("default (sg-") && i.config["OwnerId"] == number.as_str()),
        "{:?}",
        slurp.items
    );

    assert!(slurp.items.iter().all(|i| i.region == "us-east-1"), "MONKEY_AWS_REGIONS overrides the file");

    let unknown = monkey(&["record", "-a", "live", "-o", "x", "-m", "nosuchtech"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown technology \"nosuchtech\""));

    std::fs::write(&config, "[aws]\nendpoint = \"http://x\"\n").expect("config");
    let typo = monkey(&["record", "-a", "live", "-o", "x"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&typo.stderr).contains("unknown key aws.endpoint"),
        "{}",
        String::from_utf8_lossy(&typo.stderr)
    );
}
