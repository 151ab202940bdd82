//! `monkey audit --input`: the recorded moto estate audited offline in every format.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn estate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/estate/recording")
}

fn monkey(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_monkey"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MONKEY_STORE")
        .env_remove("MONKEY_CONFIG")
        .output()
        .expect("run monkey")
}

fn audit(data_dir: &Path, format: &str) -> String {
    let input = estate();
    let out = monkey(data_dir, &["audit", "--input", input.to_str().expect("utf-8"), "--format", format]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 report")
}

fn issues_of<'a>(report: &'a Value, name: &str) -> Vec<&'a Value> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["name"].as_str().is_some_and(|n| n == name || n.starts_with(&format!("{name} ("))))
        .flat_map(|i| i["issues"].as_array().expect("issues").iter())
        .collect()
}

#[test]
fn the_estate_recording_is_audited_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report: Value = serde_json::from_str(&audit(dir.path(), "json")).expect("a JSON report");
    assert!(!dir.path().join("monkey.redb").exists(), "an offline audit creates no store");

    let ssh = issues_of(&report, "ssh-world");
    let notes: Vec<&str> = ssh.iter().filter_map(|i| i["key"]["notes"].as_str()).collect();
    assert!(notes.contains(&"Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"), "{notes:?}");
    let internet = |name: &str| {
        issues_of(&report, name).iter().any(|i| i["category"] == "Internet Accessible" && i["score"].as_u64() > Some(0))
    };
    assert!(internet("estate-public-acl"), "a public ACL is internet accessible");
    assert!(internet("estate-public-policy"), "a public policy is internet accessible");
    assert!(!internet("estate-blocked-policy"), "RestrictPublicBuckets blocks the public policy");
    assert!(!internet("estate-hardened"));
    assert!(issues_of(&report, "open-trust").iter().any(|i| i["category"] == "Internet Accessible"));
    assert!(issues_of(&report, "alice-console").iter().any(|i| i["category"] == "Administrator Access"));

    let sarif: Value = serde_json::from_str(&audit(dir.path(), "sarif")).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let total: usize =
        report["items"].as_array().expect("items").iter().map(|i| i["issues"].as_array().map_or(0, Vec::len)).sum();
    assert_eq!(results.len(), total, "one SARIF result per open issue");

    let csv = audit(dir.path(), "csv");
    assert_eq!(
        csv.lines().count(),
        1 + total
            + report["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter(|i| i["issues"].as_array().is_some_and(Vec::is_empty))
                .count()
    );
    let text = audit(dir.path(), "text");
    assert!(text.contains("securitygroup-ingress-open-to-world"), "{text}");

    let high =
        monkey(dir.path(), &["audit", "-i", estate().to_str().expect("utf-8"), "-f", "json", "--min-score", "10"]);
    let high: Value = serde_json::from_slice(&high.stdout).expect("JSON");
    assert!(
        high["items"]
            .as_array()
            .expect("items")
            .iter()
            .flat_map(|i| i["issues"].as_array().expect("issues"))
            .all(|i| i["score"].as_u64() >= Some(10))
    );
}

#[test]
fn stored_accounts_classify_cross_account_access() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unknown = |report: &Value| {
        issues_of(report, "estate-cross-account").iter().filter(|i| i["category"] == "Unknown Access").count()
    };
    let before: Value = serde_json::from_str(&audit(dir.path(), "json")).expect("JSON");
    assert!(unknown(&before) > 0, "999988887777 is unknown");
    let added =
        monkey(dir.path(), &["add-account-aws", "--number", "999988887777", "--name", "vendor", "--third-party"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let after: Value = serde_json::from_str(&audit(dir.path(), "json")).expect("JSON");
    assert!(unknown(&after) < unknown(&before), "a stored third party is no longer unknown");
    assert!(issues_of(&after, "estate-cross-account").iter().any(|i| i["category"] == "Thirdparty Cross Account"));
}

#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = monkey(dir.path(), &["audit", "--input", "/no/such/recording"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/recording"));
    let empty = monkey(dir.path(), &["audit", "--input", dir.path().to_str().expect("utf-8")]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no <account number>/<technology>.json files"));
    let format = monkey(dir.path(), &["audit", "--input", "x", "--format", "xml"]);
    assert_eq!(format.status.code(), Some(2));

    // A broken file is a warning about that file; the rest is audited.
    let recording = dir.path().join("rec");
    std::fs::create_dir_all(recording.join("111122223333")).expect("dir");
    std::fs::write(recording.join("111122223333/s3.json"), "{not json").expect("write");
    std::fs::copy(estate().join("111122223333/securitygroup.json"), recording.join("111122223333/securitygroup.json"))
        .expect("copy");
    let partial = monkey(dir.path(), &["audit", "--input", recording.to_str().expect("utf-8"), "--format", "json"]);
    assert!(partial.status.success());
    assert!(
        String::from_utf8_lossy(&partial.stderr).contains("invalid recording"),
        "{}",
        String::from_utf8_lossy(&partial.stderr)
    );
    let report: Value = serde_json::from_slice(&partial.stdout).expect("JSON");
    assert!(!issues_of(&report, "ssh-world").is_empty());
}
