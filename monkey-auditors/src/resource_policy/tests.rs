//! Tests of the evaluator itself, with checks of a made-up technology called directly.

use super::*;
use crate::testing;
use monkey_core::audit::AuditSettings;
use monkey_core::auditor::CheckStatus;
use monkey_core::model::{Category, ScoreOverride, Technology};
use serde_json::json;
use std::sync::Arc;

macro_rules! test_check {
    ($name:ident, $id:literal, $category:ident, $score:literal) => {
        static $name: Check = Check {
            id: $id,
            technology: "s3",
            title: "Test",
            category: Category::$category,
            default_score: $score,
            status: CheckStatus::Preview,
            docs: "",
        };
    };
}

test_check!(INTERNET, "test-internet", InternetAccessible, 10);
test_check!(FRIENDLY, "test-friendly", FriendlyCrossAccount, 0);
test_check!(THIRDPARTY, "test-thirdparty", ThirdpartyCrossAccount, 0);
test_check!(UNKNOWN, "test-unknown", UnknownAccess, 10);
test_check!(ROOT, "test-root", CrossAccountRootIam, 6);
test_check!(PARSE, "test-parse", ParseError, 3);
test_check!(BLOCKED, "test-blocked", Informational, 0);

static CHECKS: PolicyChecks = PolicyChecks {
    subject: "Test policy",
    internet_accessible: &INTERNET,
    friendly_cross_account: &FRIENDLY,
    thirdparty_cross_account: &THIRDPARTY,
    unknown_access: &UNKNOWN,
    cross_account_root: &ROOT,
    parse_error: &PARSE,
};

fn run(document: Value, block: Option<PublicBlock>, settings: AuditSettings) -> (bool, Vec<(&'static str, String)>) {
    let key = testing::key("s3", "item");
    let config = json!({});
    let item = AuditedItem { key: &key, arn: None, config: &config };
    let ctx = AuditContext::new(Arc::new(suite::environment()), testing::now()).with_settings(Arc::new(settings));
    let mut findings = Vec::new();
    let public_actions = audit(&Document::read(Some(&document)), &item, &ctx, &CHECKS, block, &mut findings);
    (public_actions.is_some(), findings.into_iter().map(|f| (f.check.id, f.notes)).collect())
}

#[test]
fn a_blocked_public_policy_goes_to_the_blocking_check() {
    let block = PublicBlock { check: &BLOCKED, setting: "PublicAccessBlock.RestrictPublicBuckets" };
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "s3:GetObject"}
    ]});
    let (internet, found) = run(policy.clone(), Some(block), AuditSettings::default());
    assert!(internet);
    assert_eq!(
        found,
        [
            (
                "test-blocked",
                "Entity: [principal:*] Actions: [\"s3:getobject\"] Blocked by: [PublicAccessBlock.RestrictPublicBuckets]"
                    .to_owned()
            ),
            ("test-root", "Account: [999988887777] Entity: [principal:arn:aws:iam::999988887777:root] Actions: [\"s3:getobject\"]".to_owned()),
        ]
    );
    let (_, open) = run(policy, None, AuditSettings::default());
    assert_eq!(open[0], ("test-internet", "Entity: [principal:*] Actions: [\"s3:getobject\"]".to_owned()));
}

#[test]
fn disabled_checks_find_nothing() {
    let disabled = |check: &Check| ScoreOverride {
        technology: Technology::parse("s3").unwrap(),
        check: check.id.to_owned(),
        score: None,
        disabled: true,
        account_patterns: Vec::new(),
    };
    let settings = AuditSettings::new(vec![disabled(&INTERNET), disabled(&UNKNOWN), disabled(&ROOT), disabled(&PARSE)]);
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::999988887777:root", "222222222222", "arn:bad"]}, "Action": "s3:*"}
    ]});
    let (internet, found) = run(policy, None, settings.clone());
    assert!(internet, "the policy is still internet accessible for the technology's other checks");
    assert_eq!(
        found,
        [(
            "test-friendly",
            "Account: [222222222222/friend] Entity: [account:222222222222] Actions: [\"s3:*\"]".to_owned()
        )]
    );
    assert_eq!(run(json!("garbage"), None, settings).1, []);
}

#[test]
fn documents_are_absent_valid_or_invalid() {
    assert!(matches!(Document::read(None), Document::Absent));
    assert!(matches!(Document::read(Some(&Value::Null)), Document::Absent));
    assert!(Document::read(Some(&json!({"Statement": []}))).policy().is_some());
    let encoded = Value::from("%7B%22Statement%22%3A%5B%5D%7D");
    assert!(Document::read(Some(&encoded)).policy().is_some());
    assert!(matches!(Document::read(Some(&json!([]))), Document::Invalid(_)));
    let (internet, found) = run(json!({"Statement": "x"}), None, AuditSettings::default());
    assert!(!internet);
    assert_eq!(found[0].0, "test-parse");
    assert!(found[0].1.starts_with("Path: [Statement] Reason: ["), "{}", found[0].1);
}

#[test]
fn json_lists_are_written_as_security_monkey_did() {
    assert_eq!(json_list::<&str>(&[]), "[]");
    assert_eq!(json_list(&["s3:getobject", "a\"b"]), r#"["s3:getobject", "a\"b"]"#);
}

#[test]
fn json_lists_escape_as_serde_json_does() {
    let values = ["plain", "quote\"", "back\\slash", "tab\tnew\nline", "\u{1}\u{1f}\u{7f}", "日本 é", ""];
    let expected = format!("[{}]", values.map(|v| Value::from(v).to_string()).join(", "));
    assert_eq!(json_list(&values), expected);
    let mut out = String::from("Actions: ");
    push_json_list(&mut out, &values[..1]);
    assert_eq!(out, r#"Actions: ["plain"]"#);
}

#[test]
fn wrong_types_never_panic() {
    for document in [
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": 3}}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {"Nope": "x"}}]}),
        json!({"Statement": [{"Effect": "Allow", "Condition": {"StringEquals": {"aws:SourceIp": [null]}}}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": []}, "Action": []}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {"CanonicalUser": ""}, "Action": 1}]}),
        json!(true),
        json!(""),
    ] {
        let _ = run(document, None, AuditSettings::default());
    }
}
