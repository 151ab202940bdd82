//! Settings commands run as a user would: watcher schedules, the ignore list, the network
//! whitelist, score overrides and `config check`, with their Security Monkey spellings.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

/// The binary with a clean environment, run in `dir` with its store in `dir/data`.
fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_monkey"));
    command.current_dir(dir).arg("--data-dir").arg(dir.join("data"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("MONKEY_") || name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
}

fn monkey(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().expect("run monkey")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must succeed and returns its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = monkey(dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

fn json_of(dir: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&ok(dir, &args)).expect("JSON")
}

/// Each case must exit 2 with its message on stderr, and leave `listing` as it was.
fn refused(dir: &Path, listing: &[&str], cases: &[(&[&str], &str)]) {
    let before = json_of(dir, listing);
    for (args, message) in cases {
        let output = monkey(dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    }
    assert_eq!(json_of(dir, listing), before, "a refused command changed nothing");
}

fn cat<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    parts.concat()
}

fn add_prod(dir: &Path) {
    ok(dir, &["add-account-aws", "--number", "111111111111", "--name", "prod"]);
}

fn find<'a>(list: &'a Value, field: &str, value: &str) -> &'a Value {
    let found = list.as_array().expect("a list").iter().find(|e| e[field] == value);
    assert!(found.is_some(), "no {value} in {list}");
    found.expect("found")
}

#[test]
fn watcher_configs_default_to_the_watchers_and_are_set_per_technology_and_account() {
    let dir = tempfile::tempdir().unwrap();
    add_prod(dir.path());
    let list = json_of(dir.path(), &["watcher-config", "list"]);
    assert!(list.as_array().unwrap().len() >= 20, "{list}");
    assert_eq!(
        find(&list, "technology", "s3"),
        &json!({"technology": "s3", "interval": 60, "enabled": true, "stored": false})
    );

    assert_eq!(ok(dir.path(), &["watcher-config", "set", "s3", "--interval", "15m"]).trim(), "s3: every 15m, enabled");
    let set = ok(dir.path(), &["watcher-config", "set", "s3", "--account", "prod", "--interval", "1d"]);
    assert_eq!(set.trim(), "s3: every 15m, enabled; prod=1d");
    ok(dir.path(), &["watcher-config", "set", "securitygroup", "--enabled", "false"]);
    let list = json_of(dir.path(), &["watcher-config", "list"]);
    assert_eq!(
        find(&list, "technology", "s3"),
        &json!({"technology": "s3", "interval": 15, "enabled": true, "account_intervals": {"111111111111": 1440}, "stored": true})
    );
    assert_eq!(find(&list, "technology", "securitygroup")["enabled"], false);
    let table = ok(dir.path(), &["watcher-config", "list"]);
    assert!(table.starts_with("TECHNOLOGY"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("s3 ") && l.contains("15m") && l.contains("prod=1d")), "{table}");

    ok(dir.path(), &["watcher-config", "set", "s3", "--account", "111111111111", "--interval", "default"]);
    assert!(
        find(&json_of(dir.path(), &["watcher-config", "list"]), "technology", "s3").get("account_intervals").is_none()
    );

    // Security Monkey's spelling: minutes, and -d to disable.
    assert_eq!(
        ok(dir.path(), &["add_watcher_config", "-t", "iamrole", "-i", "720", "-d"]).trim(),
        "iamrole: every 12h, disabled"
    );
    ok(dir.path(), &["add_watcher_config", "--tech_name", "iamuser", "--interval", "10080"]);
    let list = json_of(dir.path(), &["watcher-config", "list"]);
    assert_eq!(find(&list, "technology", "iamrole")["interval"], 720);
    assert_eq!(find(&list, "technology", "iamrole")["enabled"], false);
    assert_eq!(find(&list, "technology", "iamuser")["interval"], 10080);
    assert_eq!(find(&list, "technology", "iamuser")["enabled"], true);
}

#[test]
fn invalid_watcher_configs_exit_2_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    add_prod(dir.path());
    ok(dir.path(), &["watcher-config", "set", "s3", "--interval", "12h"]);
    refused(
        dir.path(),
        &["watcher-config", "list"],
        &[
            (&["watcher-config", "set", "s4", "--interval", "1h"], "unknown technology \"s4\"; known: "),
            (&["watcher-config", "set", "s3", "--interval", "5m"], "invalid interval \"5m\""),
            (&["watcher-config", "set", "s3", "--interval", "2w"], "invalid interval"),
            (&["watcher-config", "set", "s3"], "nothing to set"),
            (&["watcher-config", "set", "s3", "--enabled", "maybe"], "true or false"),
            (&["watcher-config", "set", "s3", "--account", "nobody", "--interval", "1h"], "no account named"),
            (&["watcher-config", "set", "s3", "--account", "prod", "--enabled", "false"], "whole technology"),
            (&["watcher-config", "set", "s3", "--account", "prod"], "--account needs --interval"),
            (&["watcher-config", "set", "s3", "--interval", "default"], "invalid interval"),
            (&["add_watcher_config", "-t", "s3", "-i", "30"], "possible values: 15, 60, 720, 1440, 10080"),
            (&["add_watcher_config", "-t", "nope"], "unknown technology"),
        ],
    );
}

#[test]
fn ignore_entries_are_added_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let added = ok(dir.path(), &["ignore", "add", "s3", "Logs-", "--notes", "access logs"]);
    assert_eq!(added.trim(), "Ignoring s3 items whose name starts with \"Logs-\"");
    ok(dir.path(), &["ignore", "add", "iamrole", "aws-service-role"]);
    let list = json_of(dir.path(), &["ignore", "list"]);
    assert_eq!(
        list,
        json!([
            {"technology": "iamrole", "prefix": "aws-service-role", "notes": ""},
            {"technology": "s3", "prefix": "Logs-", "notes": "access logs"},
        ])
    );
    assert!(ok(dir.path(), &["ignore", "list"]).contains("access logs"));
    refused(
        dir.path(),
        &["ignore", "list"],
        &[
            (&["ignore", "add", "s4", "x"], "unknown technology \"s4\""),
            (&["ignore", "add", "s3", ""], "empty"),
            (&["ignore", "add", "s3"], "<PREFIX>"),
            (&["ignore", "remove", "s3", "logs-"], "no ignore entry"),
            (&["ignore", "remove", "S3", "Logs-"], "invalid technology"),
        ],
    );
    ok(dir.path(), &["ignore", "remove", "s3", "Logs-"]);
    assert_eq!(json_of(dir.path(), &["ignore", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn whitelist_entries_are_added_updated_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        ok(dir.path(), &["whitelist", "add", "office", "10.0.0.0/8", "--notes", "HQ"]).trim(),
        "Added office (10.0.0.0/8) on the whitelist"
    );
    ok(dir.path(), &["whitelist", "add", "vpn", "192.0.2.7"]);
    assert!(ok(dir.path(), &["whitelist", "add", "office", "10.1.0.0/16"]).starts_with("Updated"));
    let list = json_of(dir.path(), &["whitelist", "list"]);
    assert_eq!(
        list,
        json!([
            {"name": "office", "cidr": "10.1.0.0/16", "notes": "HQ"},
            {"name": "vpn", "cidr": "192.0.2.7/32", "notes": ""},
        ]),
        "an update keeps the notes it is not given"
    );
    refused(
        dir.path(),
        &["whitelist", "list"],
        &[
            (&["whitelist", "add", "lab", "10.0.0.0/33"], "invalid CIDR \"10.0.0.0/33\""),
            (&["whitelist", "add", "lab", "office"], "invalid CIDR"),
            (&["whitelist", "add", "", "10.0.0.0/8"], "whitelist name"),
            (&["whitelist", "add", &"n".repeat(51), "10.0.0.0/8"], "1 to 50 characters"),
            (&["whitelist", "remove", "lab"], "no whitelist entry named \"lab\""),
        ],
    );
    ok(dir.path(), &["whitelist", "remove", "vpn"]);
    assert_eq!(json_of(dir.path(), &["whitelist", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn networks_sync_from_a_file_and_an_invalid_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["whitelist", "add", "office", "10.0.0.0/8", "--notes", "HQ"]);
    ok(dir.path(), &["whitelist", "add", "old", "198.51.100.0/24"]);
    std::fs::write(dir.path().join("networks.json"), r#"{"office": "10.2.0.0/16", "lab": "172.16.0.0/12"}"#).unwrap();

    let synced = ok(dir.path(), &["whitelist", "sync", "networks.json"]);
    assert!(synced.contains("1 added, 1 updated, 0 unchanged, 0 deleted"), "{synced}");
    assert_eq!(json_of(dir.path(), &["whitelist", "list"]).as_array().unwrap().len(), 3, "not authoritative");
    assert_eq!(find(&json_of(dir.path(), &["whitelist", "list"]), "name", "office")["notes"], "HQ");

    // Security Monkey's spelling; -i defaults to networks.json, as it did.
    let synced = ok(dir.path(), &["sync_networks", "-a"]);
    assert!(synced.contains("0 added, 0 updated, 2 unchanged, 1 deleted"), "{synced}");
    let list = json_of(dir.path(), &["whitelist", "list"]);
    assert_eq!(
        list,
        json!([
            {"name": "lab", "cidr": "172.16.0.0/12", "notes": ""},
            {"name": "office", "cidr": "10.2.0.0/16", "notes": "HQ"},
        ])
    );

    std::fs::write(dir.path().join("bad.json"), r#"{"aaa": "10.9.0.0/16", "broken": "1.2.3.4/40", "zzz": 7}"#).unwrap();
    std::fs::write(dir.path().join("list.json"), r#"["10.0.0.0/8"]"#).unwrap();
    refused(
        dir.path(),
        &["whitelist", "list"],
        &[
            (&["sync_networks", "-i", "bad.json", "-a"], "\"broken\": invalid CIDR \"1.2.3.4/40\""),
            (&["whitelist", "sync", "bad.json", "--authoritative"], "\"zzz\": the CIDR must be a string"),
            (&["whitelist", "sync", "list.json"], "must hold a JSON object"),
            (&["whitelist", "sync", "missing.json"], "cannot read missing.json"),
            (&["sync_networks", "-b", "my-bucket"], "not supported"),
        ],
    );
}

#[test]
fn score_overrides_are_added_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let check = "securitygroup-ingress-open-to-world";
    let added = ok(
        dir.path(),
        &[
            "override-score",
            "add",
            "securitygroup",
            check,
            "--score",
            "5",
            "--pattern",
            "name.prod=10",
            "--pattern",
            "aws.third_party.true=1",
        ],
    );
    assert!(added.contains("score 5, 2 account patterns"), "{added}");
    ok(dir.path(), &["override-score", "add", "s3", "s3-bucket-versioning-disabled", "--disabled"]);
    let list = json_of(dir.path(), &["override-score", "list"]);
    assert_eq!(
        list,
        json!([
            {"technology": "s3", "check": "s3-bucket-versioning-disabled", "score": null, "disabled": true, "account_patterns": []},
            {"technology": "securitygroup", "check": check, "score": 5, "disabled": false, "account_patterns": [
                {"field": "name", "value": "prod", "score": 10},
                {"field": "third_party", "value": "true", "score": 1},
            ]},
        ])
    );
    let table = ok(dir.path(), &["override-score", "list"]);
    assert!(table.contains("name.prod=10, third_party.true=1"), "{table}");

    // `add` replaces the override of the same check.
    ok(dir.path(), &["override-score", "add", "securitygroup", check, "--score", "2"]);
    assert_eq!(find(&json_of(dir.path(), &["override-score", "list"]), "check", check)["account_patterns"], json!([]));

    refused(
        dir.path(),
        &["override-score", "list"],
        &[
            (
                &["override-score", "add", "s3", "s3-nope", "--score", "1"],
                "unknown check \"s3-nope\" for s3; its checks: ",
            ),
            (&["override-score", "add", "s3", check, "--score", "1"], "unknown check"),
            (&["override-score", "add", "keypair", "x", "--score", "1"], "no check audits technology \"keypair\""),
            (&["override-score", "add", "s3", "s3-bucket-versioning-disabled"], "nothing to override"),
            (
                &["override-score", "add", "s3", "s3-bucket-versioning-disabled", "--pattern", "colour.red=2"],
                "account field",
            ),
            (
                &["override-score", "add", "s3", "s3-bucket-versioning-disabled", "--pattern", "name.prod=high"],
                "whole number",
            ),
            (
                &["override-score", "add", "s3", "s3-bucket-versioning-disabled", "--score", "high"],
                "invalid value 'high' for '--score",
            ),
            (&["override-score", "remove", "s3", "s3-bucket-public-write"], "no override of s3-bucket-public-write"),
        ],
    );
    ok(dir.path(), &["override-score", "remove", "s3", "s3-bucket-versioning-disabled"]);
    assert_eq!(json_of(dir.path(), &["override-score", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn security_monkeys_add_override_score_adds_patterns_to_the_stored_ones() {
    let dir = tempfile::tempdir().unwrap();
    let check = "securitygroup-ingress-open-to-world";
    let args = ["-t", "securitygroup", "-m", check, "-a", "SecurityGroupAuditor"];
    ok(dir.path(), &cat(&[&["add_override_score"], &args, &["-s", "3", "-p", "aws.name.prod=9,aws.notes.pci=2"]]));
    ok(dir.path(), &cat(&[&["add_override_score"], &args, &["-b", "-p", "aws.name.prod=7"]]));
    let list = json_of(dir.path(), &["override-score", "list"]);
    assert_eq!(
        list,
        json!([{"technology": "securitygroup", "check": check, "score": null, "disabled": true, "account_patterns": [
            {"field": "name", "value": "prod", "score": 7},
            {"field": "notes", "value": "pci", "score": 2},
        ]}])
    );
    refused(
        dir.path(),
        &["override-score", "list"],
        &[
            (&cat(&[&["add_override_score"], &args]), "either a score (-s) or disabled (-b) is required"),
            (
                &["add_override_score", "-t", "securitygroup", "-m", "check_securitygroup_rule_count", "-s", "1"],
                "unknown check",
            ),
            (&cat(&[&["add_override_score"], &args, &["-s", "1", "-p", "aws.name.prod"]]), "field.value=score"),
        ],
    );
}

#[test]
fn security_monkeys_add_override_scores_replaces_every_override_from_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["override-score", "add", "s3", "s3-bucket-versioning-disabled", "--disabled"]);
    std::fs::write(
        dir.path().join("scores.csv"),
        "Technology,Check,Auditor,Score,Disabled,Prod score\r\n\
         s3,s3-bucket-acl-internet-accessible,S3Auditor,4,,8\r\n\
         securitygroup,securitygroup-ingress-open-to-world,SecurityGroupAuditor,,TRUE,\r\n\
         iamrole,,IAMRoleAuditor,3,,\r\n\
         iamrole,iamrole-policy-allows-admin,IAMRoleAuditor,,,\r\n",
    )
    .unwrap();
    let mappings =
        "tech=Technology,method=Check,auditor=Auditor,score=Score,disabled=Disabled,aws.name.prod=Prod score";
    let replaced = ok(dir.path(), &["add_override_scores", "-f", "scores.csv", "-m", mappings]);
    assert!(replaced.contains("Replaced 1 score overrides with the 2 of scores.csv"), "{replaced}");
    assert_eq!(
        json_of(dir.path(), &["override-score", "list"]),
        json!([
            {"technology": "s3", "check": "s3-bucket-acl-internet-accessible", "score": 4, "disabled": false,
             "account_patterns": [{"field": "name", "value": "prod", "score": 8}]},
            {"technology": "securitygroup", "check": "securitygroup-ingress-open-to-world", "score": null, "disabled": true,
             "account_patterns": []},
        ])
    );

    // Without -m the columns are tech, check (or method), score and disabled.
    std::fs::write(dir.path().join("plain.csv"), "tech,method,score\ns3,s3-bucket-public-write,\"6\"\n").unwrap();
    ok(dir.path(), &["add_override_scores", "--file_name", "plain.csv"]);
    assert_eq!(json_of(dir.path(), &["override-score", "list"])[0]["check"], "s3-bucket-public-write");

    std::fs::write(
        dir.path().join("bad.csv"),
        "tech,check,score,disabled\n\
         s3,s3-bucket-versioning-disabled,2,\n\
         s3,s3-nope,4,\n\
         s3,s3-bucket-public-write,x,maybe\n\
         s3,s3-bucket-versioning-disabled,3,\n",
    )
    .unwrap();
    let output = monkey(dir.path(), &["add_override_scores", "-f", "bad.csv"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    for message in [
        "line 3: unknown check \"s3-nope\"",
        "line 4: score \"x\" is not a whole number",
        "line 4: disabled \"maybe\" is not true or false",
        "line 5: repeats the override of line 2",
    ] {
        assert!(stderr(&output).contains(message), "{message}: {}", stderr(&output));
    }
    refused(
        dir.path(),
        &["override-score", "list"],
        &[
            (&["add_override_scores", "-f", "bad.csv"], "nothing written"),
            (&["add_override_scores", "-f", "scores.csv"], "no column \"tech\""),
            (
                &["add_override_scores", "-f", "scores.csv", "-m", "tech=Technology,check=Check,aws.name.prod=Nope"],
                "no column \"Nope\"",
            ),
            (
                &["add_override_scores", "-f", "scores.csv", "-m", "tech=Technology,check=Check,colour=Score"],
                "mapping \"colour=Score\"",
            ),
            (&["add_override_scores", "-f", "missing.csv"], "cannot read missing.csv"),
        ],
    );
}

#[test]
fn config_check_shows_each_settings_source_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let defaults = ok(dir.path(), &["config", "check"]);
    assert!(defaults.starts_with("SETTING"), "{defaults}");
    assert!(defaults.lines().any(|l| l.starts_with("aws.max_attempts") && l.contains("5") && l.contains("default")));
    assert!(!dir.path().join("data").exists(), "config check opens no store");

    std::fs::write(
        dir.path().join("monkey.toml"),
        "[aws]\nregions = [\"eu-west-1\", \"us-east-1\"]\nmax_attempts = 3\n",
    )
    .unwrap();
    let output = command(dir.path())
        .args(["config", "check", "--format", "json"])
        .env("MONKEY_AWS_MAX_ATTEMPTS", "7")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-secret")
        .env("AWS_PROFILE", "audit")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("AKIAEXAMPLEKEY") && !text.contains("wJalrXUtnFEMI-secret"), "{text}");
    let settings: Value = serde_json::from_str(&text).unwrap();
    let setting = |name: &str| find(&settings, "setting", name).clone();
    assert_eq!(setting("aws.regions")["value"], "eu-west-1,us-east-1");
    assert_eq!(setting("aws.regions")["source"], "file");
    assert_eq!(setting("aws.max_attempts")["value"], "7");
    assert_eq!(setting("aws.max_attempts")["source"], "environment");
    assert_eq!(setting("aws.concurrency")["source"], "default");
    assert_eq!(setting("config")["value"], "monkey.toml");
    assert_eq!(setting("data_dir")["source"], "command line");
    assert_eq!(setting("AWS_ACCESS_KEY_ID")["value"], "***");
    assert_eq!(setting("AWS_SECRET_ACCESS_KEY")["value"], "***");
    assert_eq!(setting("AWS_PROFILE")["value"], "audit");
}

#[test]
fn config_check_names_the_invalid_key() {
    let dir = tempfile::tempdir().unwrap();
    for (file, message) in [
        ("[aws]\nregion = \"eu-west-1\"\n", "unknown key aws.region"),
        ("[aws]\nmax_attempts = \"many\"\n", "aws.max_attempts"),
        ("[aws]\nendpoint_url = \"localhost:5000\"\n", "aws.endpoint_url"),
        ("[database]\nurl = \"x\"\n", "unknown section [database]"),
        ("[mail]\nport = 99999\n", "mail.port"),
        ("[mail]\npassword = \"hunter2\"\n", "MONKEY_MAIL_PASSWORD"),
        ("[mail]\nuse_smtp = \"sometimes\"\n", "mail.use_smtp"),
        ("[aws\n", "invalid configuration"),
    ] {
        std::fs::write(dir.path().join("monkey.toml"), file).unwrap();
        let output = monkey(dir.path(), &["config", "check"]);
        assert_eq!(output.status.code(), Some(2), "{file}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{file}: {}", stderr(&output));
    }
    let output = monkey(dir.path(), &["--config", "elsewhere.toml", "config", "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read the configuration elsewhere.toml"), "{}", stderr(&output));
}
