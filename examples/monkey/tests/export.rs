//! `monkey export` and Security Monkey's `audit_changes`, over a store seeded directly.

use monkey_core::change::{EphemeralPaths, hashes};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, Issue, IssueKey, ItemKey, Justification, Technology, Timestamp,
};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, Store};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const PROD: &str = "111111111111";
const DEV: &str = "222222222222";

fn monkey(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_monkey"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MONKEY_STORE")
        .env_remove("MONKEY_DATA_DIR")
        .env_remove("MONKEY_CONFIG")
        .output()
        .expect("run monkey")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(data_dir: &Path, args: &[&str]) -> String {
    let output = monkey(data_dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

fn export_json(data_dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["export", "--format", "json"];
    all.extend(args);
    serde_json::from_str(&ok(data_dir, &all)).expect("JSON")
}

fn names(report: &Value) -> Vec<String> {
    let mut names: Vec<String> = report["items"]
        .as_array()
        .expect("valid test data")
        .iter()
        .map(|i| i["name"].as_str().expect("valid test data").to_owned())
        .collect();
    names.sort();
    names
}

fn at(seconds: i128) -> Timestamp {
    Timestamp::from_unix_nanos(1_700_000_000_000_000_000 + seconds * 1_000_000_000)
}

fn key(technology: &str, account: &str, region: &str, name: &str) -> ItemKey {
    ItemKey::new(
        Technology::parse(technology).expect("valid test data"),
        AccountNumber::parse(account).expect("valid test data"),
        region,
        name,
    )
}

fn change(key: &ItemKey, kind: ChangeKind, config: Value) -> ItemChange {
    let (durable_hash, complete_hash) = hashes(&config, &EphemeralPaths::none());
    let arn = Some(format!("arn:aws:test:{}:{}:{}/{}", key.region, key.account, key.technology, key.name));
    ItemChange { key: key.clone(), arn, kind, config, durable_hash, complete_hash }
}

fn issue(item: &ItemKey, check: &str, notes: &str, score: u32, fixed: bool) -> Issue {
    Issue {
        key: IssueKey { item: item.clone(), check: check.into(), notes: notes.into() },
        score,
        category: Category::InternetAccessible,
        message: format!("{check} found {notes}"),
        links: Vec::new(),
        fixed,
        justification: None,
        first_seen: at(1),
        last_seen: at(1),
    }
}

/// Opens the data directory's store, runs `seed` on it, and closes it for the binary.
fn seed(data_dir: &Path, seed: impl AsyncFnOnce(&dyn Store)) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("valid test data");
    runtime.block_on(async {
        let store =
            monkey_store::open(&format!("redb:{}", data_dir.join("monkey.redb").display())).expect("valid test data");
        for (number, name) in [(PROD, "prod"), (DEV, "dev")] {
            let account = Account::new(
                AccountName::parse(name).expect("valid test data"),
                AccountNumber::parse(number).expect("valid test data"),
            );
            store.put_account(&account).await.expect("valid test data");
        }
        seed(&*store).await;
    });
}

/// prod: a security group with a justified and an unjustified open issue (and a fixed one), a
/// clean bucket and a deleted role; dev: a bucket with one issue whose notes need CSV quoting.
fn estate(data_dir: &Path) {
    seed(data_dir, async |store: &dyn Store| {
        let sg = key("securitygroup", PROD, "us-east-1", "web (sg-1)");
        let bucket = key("s3", PROD, "eu-west-1", "clean-bucket");
        let role = key("iamrole", PROD, "universal", "gone");
        let dev_bucket = key("s3", DEV, "us-east-1", "=formula");
        let created = Changeset {
            at: at(0),
            changes: [&sg, &bucket, &role, &dev_bucket]
                .into_iter()
                .map(|k| change(k, ChangeKind::Created, json!({"Name": k.name})))
                .collect(),
        };
        store.commit_changeset(&created).await.expect("valid test data");
        let audit = AuditCommit {
            at: at(1),
            items: vec![
                ItemAudit {
                    item: sg.clone(),
                    issues: vec![
                        issue(&sg, "securitygroup-ingress-open-to-world", "tcp/22 from 0.0.0.0/0", 10, false),
                        issue(&sg, "securitygroup-ingress-open-to-world", "tcp/443 from 0.0.0.0/0", 5, false),
                        issue(&sg, "securitygroup-ingress-open-to-world", "tcp/3389 from 0.0.0.0/0", 10, true),
                    ],
                },
                ItemAudit {
                    item: role.clone(),
                    issues: vec![issue(&role, "iamrole-policy-allows-admin", "*:*", 10, false)],
                },
                ItemAudit {
                    item: dev_bucket.clone(),
                    issues: vec![issue(
                        &dev_bucket,
                        "s3-bucket-acl-internet-accessible",
                        "AllUsers, \"READ\"",
                        10,
                        false,
                    )],
                },
            ],
        };
        store.commit_audit(&audit).await.expect("valid test data");
        let justified = IssueKey {
            item: sg.clone(),
            check: "securitygroup-ingress-open-to-world".into(),
            notes: "tcp/443 from 0.0.0.0/0".into(),
        };
        let why = Justification { by: "alice@example.com".into(), at: at(2), reason: "public web server".into() };
        store.justify(&justified, Some(why)).await.expect("valid test data");
        let deleted = Changeset { at: at(3), changes: vec![change(&role, ChangeKind::Deleted, json!({}))] };
        store.commit_changeset(&deleted).await.expect("valid test data");
        let retired = AuditCommit {
            at: at(3),
            items: vec![ItemAudit {
                item: role.clone(),
                issues: vec![issue(&role, "iamrole-policy-allows-admin", "*:*", 10, true)],
            }],
        };
        store.commit_audit(&retired).await.expect("valid test data");
    });
}

#[test]
fn export_json_holds_every_active_item_with_its_scores_and_open_issues() {
    let dir = tempfile::tempdir().unwrap();
    estate(dir.path());
    let report = export_json(dir.path(), &[]);
    assert_eq!(names(&report), ["=formula", "clean-bucket", "web (sg-1)"]);
    let sg = &report["items"][0];
    assert_eq!(sg["name"], "web (sg-1)", "highest score first");
    assert_eq!(sg["technology"], "securitygroup");
    assert_eq!(sg["account"], PROD);
    assert_eq!(sg["region"], "us-east-1");
    assert_eq!(sg["arn"], "arn:aws:test:us-east-1:111111111111:securitygroup/web (sg-1)");
    assert_eq!(sg["score"], 15);
    assert_eq!(sg["unjustified_score"], 10);
    let issues = sg["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2, "the fixed issue is left out: {issues:?}");
    assert_eq!(issues[0]["key"]["notes"], "tcp/22 from 0.0.0.0/0");
    assert_eq!(issues[0]["category"], "Internet Accessible");
    assert_eq!(issues[0]["justification"], Value::Null);
    assert_eq!(issues[1]["key"]["check"], "securitygroup-ingress-open-to-world");
    assert_eq!(issues[1]["justification"]["reason"], "public web server");
    assert_eq!(issues[1]["justification"]["by"], "alice@example.com");
    let clean = report["items"].as_array().unwrap().iter().find(|i| i["name"] == "clean-bucket").unwrap();
    assert_eq!(clean["score"], 0);
    assert_eq!(clean["issues"], json!([]));

    let deleted = export_json(dir.path(), &["--include-deleted"]);
    assert_eq!(names(&deleted), ["=formula", "clean-bucket", "gone", "web (sg-1)"]);
    let gone = deleted["items"].as_array().unwrap().iter().find(|i| i["name"] == "gone").unwrap();
    assert_eq!(gone["issues"], json!([]), "a deleted item's issues are fixed");
}

#[test]
fn export_selects_accounts_and_technologies_as_security_monkey_did() {
    let dir = tempfile::tempdir().unwrap();
    estate(dir.path());
    assert_eq!(names(&export_json(dir.path(), &["-a", "prod"])), ["clean-bucket", "web (sg-1)"]);
    assert_eq!(names(&export_json(dir.path(), &["-a", DEV])), ["=formula"]);
    assert_eq!(names(&export_json(dir.path(), &["-m", "s3"])), ["=formula", "clean-bucket"]);
    assert_eq!(
        names(&export_json(dir.path(), &["--accounts", "prod,dev", "--technologies", "s3,iamrole"])),
        ["=formula", "clean-bucket"]
    );
    assert_eq!(names(&export_json(dir.path(), &["-a", "all", "--monitors", "all"])).len(), 3);
    for (args, message) in [
        (&["export", "-a", "prod,nobody"][..], "no account named or numbered \"nobody\""),
        (&["export", "-m", "S3"][..], "invalid technology \"S3\""),
        (&["export", "--format", "xml"][..], "invalid value 'xml'"),
    ] {
        let output = monkey(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn export_csv_has_one_row_per_open_issue_and_quotes_what_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    estate(dir.path());
    let out = dir.path().join("export.csv");
    let output = monkey(dir.path(), &["export", "--format", "csv", "--output", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "the export went to the file");
    assert!(stderr(&output).contains("Exported 3 items with 3 open issues"), "{}", stderr(&output));
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "technology,account,region,name,arn,item_score,item_unjustified_score,check,category,score,message,notes,justified,justification"
    );
    assert_eq!(lines.len(), 1 + 2 + 1 + 1, "two sg issues, one dev bucket issue, one clean bucket row: {csv}");
    assert!(
        lines.iter().any(|l| l.starts_with("securitygroup,111111111111,us-east-1,web (sg-1),")
            && l.contains(",tcp/443 from 0.0.0.0/0,true,\"public web server (alice@example.com, ")),
        "{csv}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("s3,111111111111,eu-west-1,clean-bucket,") && l.ends_with(",0,0,,,,,,,")),
        "{csv}"
    );
    assert!(csv.contains("\"'=formula\""), "a leading = is defused: {csv}");
    assert!(csv.contains("\"AllUsers, \"\"READ\"\"\""), "quotes and commas are quoted: {csv}");
    assert_eq!(ok(dir.path(), &["export", "--format", "csv"]), csv, "stdout holds the same");
}

#[test]
fn export_pages_through_more_items_than_one_search_returns() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), async |store: &dyn Store| {
        let changes = (0..2345)
            .map(|i| {
                change(&key("s3", PROD, "us-east-1", &format!("bucket-{i:04}")), ChangeKind::Created, json!({"i": i}))
            })
            .collect();
        store.commit_changeset(&Changeset { at: at(0), changes }).await.expect("committed");
    });
    let report = export_json(dir.path(), &[]);
    let names = names(&report);
    assert_eq!(names.len(), 2345);
    assert_eq!(names.first().map(String::as_str), Some("bucket-0000"));
    assert_eq!(names.last().map(String::as_str), Some("bucket-2344"));
}

#[test]
fn audit_changes_applies_a_score_override_as_the_user_guide_says() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), async |store: &dyn Store| {
        let config = json!({
            "GroupId": "sg-1", "GroupName": "ssh-world", "Description": "ssh-world", "VpcId": "vpc-1",
            "OwnerId": PROD,
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
            "IpPermissionsEgress": [], "Tags": [],
        });
        let sg = key("securitygroup", PROD, "us-east-1", "ssh-world (sg-1 in vpc-1)");
        store
            .commit_changeset(&Changeset { at: at(0), changes: vec![change(&sg, ChangeKind::Created, config)] })
            .await
            .unwrap();
    });
    let audited = ok(dir.path(), &["audit_changes", "-m", "securitygroup"]);
    assert!(audited.starts_with("Audited 1 items: "), "{audited}");
    let report = export_json(dir.path(), &[]);
    let issues = report["items"][0]["issues"].as_array().unwrap().clone();
    let open_to_world: Vec<&Value> =
        issues.iter().filter(|i| i["key"]["check"] == "securitygroup-ingress-open-to-world").collect();
    assert!(!open_to_world.is_empty(), "{issues:?}");

    ok(
        dir.path(),
        &["add_override_score", "-t", "securitygroup", "-m", "securitygroup-ingress-open-to-world", "-s", "1"],
    );
    ok(dir.path(), &["audit_changes", "-a", "prod", "-m", "securitygroup"]);
    let rescored = export_json(dir.path(), &[]);
    let rescored: Vec<&Value> = rescored["items"][0]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["key"]["check"] == "securitygroup-ingress-open-to-world")
        .collect();
    assert_eq!(rescored.len(), open_to_world.len());
    assert!(rescored.iter().all(|i| i["score"] == 1), "{rescored:?}");

    ok(dir.path(), &["override-score", "add", "securitygroup", "securitygroup-ingress-open-to-world", "--disabled"]);
    let fixed = ok(dir.path(), &["audit_changes", "-m", "all", "-r", "false"]);
    assert!(fixed.contains(&format!("{} fixed", open_to_world.len())), "{fixed}");
    let report = export_json(dir.path(), &[]);
    assert!(
        report["items"][0]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["key"]["check"] != "securitygroup-ingress-open-to-world")
    );

    for (args, message) in [
        (&["audit_changes", "-m", "keypair"][..], "no check audits technology keypair"),
        (&["audit_changes", "-a", "nobody"][..], "no account named"),
    ] {
        let output = monkey(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn add_account_aws_takes_security_monkeys_bare_active_flag() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["add_account_aws", "--id", "333333333333", "--name", "flagged", "--active", "--thirdparty"]);
    ok(dir.path(), &["add_account_aws", "-n", "other", "--id", "444444444444", "--active", "false"]);
    let accounts: Value = serde_json::from_str(&ok(dir.path(), &["accounts", "list", "--format", "json"])).unwrap();
    assert_eq!(accounts[0]["name"], "flagged");
    assert_eq!(accounts[0]["active"], true);
    assert_eq!(accounts[0]["third_party"], true);
    assert_eq!(accounts[1]["active"], false);
}
