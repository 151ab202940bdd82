//! The account commands, run as a user would: the real binary on a store in a temp dir.

use std::path::Path;
use std::process::{Command, Output};

fn monkey(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_monkey"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MONKEY_STORE")
        .env_remove("MONKEY_DATA_DIR")
        .output()
        .expect("run monkey")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn accounts_json(data_dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = extra.to_vec();
    args.extend(["accounts", "list", "--format", "json"]);
    let output = monkey(data_dir, &args);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn add_list_show_as_in_the_user_guide() {
    let dir = tempfile::tempdir().unwrap();
    let added = monkey(dir.path(), &["add_account_aws", "--id", "1234-5678-9012", "--name", "account_foo"]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout(&added).trim(), "Successfully added account account_foo");
    assert!(dir.path().join("monkey.redb").exists(), "the default store lives in the data dir");

    let again = monkey(dir.path(), &["add_account_aws", "--number", "123456789012", "--name", "account_foo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("An account with number 123456789012 already exists"), "{}", stderr(&again));

    let forced = monkey(
        dir.path(),
        &["add-account-aws", "--number", "123456789012", "--name", "account_foo", "--active", "false", "--force"],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    let accounts = accounts_json(dir.path(), &[]);
    assert_eq!(accounts.as_array().unwrap().len(), 1);
    assert_eq!(accounts[0]["active"], false);
    assert_eq!(accounts[0]["number"], "123456789012");

    let show = monkey(dir.path(), &["accounts", "show", "account_foo"]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(stdout(&show).contains("arn:aws:iam::123456789012:role/SecurityMonkey"));
}

#[test]
fn every_option_is_stored_and_the_external_id_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let added = monkey(
        dir.path(),
        &[
            "add-account-aws",
            "--number",
            "111122223333",
            "--name",
            "vendor",
            "--s3-name",
            "vendor-s3",
            "--canonical-id",
            "abc123",
            "--role-name",
            "Auditor",
            "--external-id",
            "s3cr3t-ext",
            "--notes",
            "our CDN",
            "--third-party",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let account = &accounts_json(dir.path(), &[])[0];
    assert_eq!(account["s3_name"], "vendor-s3");
    assert_eq!(account["canonical_id"], "abc123");
    assert_eq!(account["role_name"], "Auditor");
    assert_eq!(account["notes"], "our CDN");
    assert_eq!(account["third_party"], true);
    let show = monkey(dir.path(), &["accounts", "show", "111122223333"]);
    assert!(!stdout(&show).contains("s3cr3t-ext"), "{}", stdout(&show));
    assert!(stdout(&show).contains("(set)"));
    // --force keeps what it is not told to change.
    let forced = monkey(dir.path(), &["add-account-aws", "--number", "111122223333", "--name", "vendor-2", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let account = &accounts_json(dir.path(), &[])[0];
    assert_eq!(account["name"], "vendor-2");
    assert_eq!(account["external_id"], "s3cr3t-ext");
}

#[test]
fn invalid_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(monkey(dir.path(), &["add-account-aws", "--number", "111111111111", "--name", "prod"]).status.success());
    let cases: &[(&[&str], &str)] = &[
        (&["add-account-aws", "--number", "12345678910", "--name", "x"], "exactly 12 digits"),
        (&["add-account-aws", "--number", "12345678901a", "--name", "x"], "only digits"),
        (&["add-account-aws", "--number", "222222222222", "--name", ""], "account name"),
        (&["add-account-aws", "--number", "222222222222", "--name", "   "], "account name"),
        (&["add-account-aws", "--number", "222222222222", "--name", &"n".repeat(51)], "50 characters"),
        (&["add-account-aws", "--number", "222222222222", "--name", "prod"], "already belongs to account 111111111111"),
        (&["add-account-aws", "--number", "222222222222", "--name", "x", "--role-name", "bad role"], "role name"),
        (&["add-account-aws", "--number", "222222222222", "--name", "x", "--active", "maybe"], "true or false"),
        (&["add-account-aws", "--name", "x"], "--number"),
        (&["accounts", "show", "nobody"], "no account named"),
        (&["accounts", "disable", "prod,nobody"], "no account named"),
    ];
    for (args, message) in cases {
        let output = monkey(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    }
    let accounts = accounts_json(dir.path(), &[]);
    assert_eq!(accounts.as_array().unwrap().len(), 1, "{accounts}");
    assert_eq!(accounts[0]["active"], true, "a failed bulk disable changed nothing");
}

#[test]
fn enable_disable_delete_and_security_monkey_aliases() {
    let dir = tempfile::tempdir().unwrap();
    for (number, name) in [("111111111111", "a"), ("222222222222", "b")] {
        assert!(monkey(dir.path(), &["add-account-aws", "--number", number, "--name", name]).status.success());
    }
    assert!(monkey(dir.path(), &["accounts", "disable", "all"]).status.success());
    assert!(accounts_json(dir.path(), &[]).as_array().unwrap().iter().all(|a| a["active"] == false));
    assert!(monkey(dir.path(), &["enable_accounts", "-a", "a,222222222222"]).status.success());
    assert!(accounts_json(dir.path(), &[]).as_array().unwrap().iter().all(|a| a["active"] == true));
    assert!(monkey(dir.path(), &["disable_accounts", "-a", "b"]).status.success());
    assert_eq!(accounts_json(dir.path(), &[])[1]["active"], false);
    let deleted = monkey(dir.path(), &["delete_account", "-n", "b"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(monkey(dir.path(), &["accounts", "delete", "a"]).status.success());
    assert_eq!(accounts_json(dir.path(), &[]), serde_json::json!([]));
}

#[test]
fn the_sled_store_is_selectable() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("sled:{}", dir.path().join("store.sled").display());
    let added = monkey(dir.path(), &["--store", &spec, "add-account-aws", "--number", "333333333333", "--name", "s"]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(accounts_json(dir.path(), &["--store", &spec])[0]["name"], "s");
    assert_eq!(accounts_json(dir.path(), &[]), serde_json::json!([]), "the default redb store is another store");
}

#[test]
fn a_store_held_by_another_process_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("monkey.redb");
    let _held = monkey_store::open(&format!("redb:{}", path.display())).unwrap();
    let output = monkey(dir.path(), &["accounts", "list"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("in use by another process"), "{}", stderr(&output));
}

#[test]
fn the_plain_binary_lists_builtin_checks_only() {
    let dir = tempfile::tempdir().unwrap();
    let output = monkey(dir.path(), &["checks", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let checks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = checks.as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(ids.contains(&"securitygroup-ingress-open-to-world"), "{ids:?}");
    assert!(!ids.contains(&"s3-bucket-without-owner-tag"), "the example plugin is not linked into monkey");
    let table = monkey(dir.path(), &["checks"]);
    assert!(stdout(&table).starts_with("CHECK"), "{}", stdout(&table));
}
