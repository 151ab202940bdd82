//! Canonical form: key order, IAM policy spellings, encoded policy documents.

use serde_json::{Value, json};

use super::canonical_diff_is_empty;
use crate::diff::canonicalize;

fn canonical(mut value: Value) -> Value {
    canonicalize(&mut value);
    value
}

#[test]
fn object_keys_iterate_sorted() {
    // Fails if serde_json's `preserve_order` feature gets enabled anywhere in the build:
    // canonical key order, hashing and rendering rely on sorted maps.
    let value = json!({"b": 1, "a": 2});
    let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["a", "b"]);
}

#[test]
fn one_element_lists_collapse() {
    let listed = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": ["arn:aws:s3:::bucket/*"],
            "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
            "Condition": {"StringEquals": {"aws:SourceVpc": ["vpc-1"]}}
        }]
    });
    let plain = json!({
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}
        }
    });
    assert_eq!(canonical(listed), plain);
    assert_eq!(canonical(plain.clone()), plain);
}

#[test]
fn string_sets_sorted_and_deduplicated() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:PutObject"],
         "NotResource": ["b", "a"]},
        {"Effect": "Deny", "NotAction": ["iam:*", "iam:*"]}
    ]});
    assert_eq!(
        canonical(policy),
        json!({"Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "NotResource": ["a", "b"]},
            {"Effect": "Deny", "NotAction": "iam:*"}
        ]})
    );
}

#[test]
fn non_string_lists_keep_their_order() {
    let policy = json!({"Statement": {"Action": [2, 1]}});
    assert_eq!(canonical(policy.clone()), policy);
}

#[test]
fn statement_order_is_kept() {
    let policy = json!({"Statement": [{"Sid": "B"}, {"Sid": "A"}]});
    assert_eq!(canonical(policy.clone()), policy);
}

#[test]
fn principal_star_is_kept() {
    let policy = json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*"}});
    assert_eq!(canonical(policy.clone()), policy);
}

#[test]
fn url_encoded_policy_equals_parsed() {
    let parsed = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]},
                       "Action": "sts:AssumeRole"}]
    });
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%5B%22ec2.amazonaws.com%22%5D%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    let role = json!({"RoleName": "web", "AssumeRolePolicyDocument": encoded});
    let expected = json!({"RoleName": "web", "AssumeRolePolicyDocument": canonical(parsed.clone())});
    assert_eq!(canonical(role), expected);

    let lower = encoded.replace("%7B", "%7b");
    assert_eq!(canonical(Value::from(lower)), canonical(parsed));
}

#[test]
fn json_text_policy_equals_parsed() {
    let text = r#" {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:*"],"Resource":"*"}]}"#;
    let bucket = json!({"Policy": text});
    assert_eq!(
        canonical(bucket),
        json!({"Policy": {"Version": "2012-10-17",
                          "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}})
    );
}

#[test]
fn strings_that_are_no_policy_are_kept() {
    for text in [
        "plain",
        "{not json, but mentions Statement",
        "%7Bnot json Statement",
        "%7B%22Other%22%3A%22Statement%22%7D",
        r#"{"Other": "Statement"}"#,
        r#"["Statement"]"#,
        "%7",
        "",
    ] {
        assert_eq!(canonical(Value::from(text)), Value::from(text), "{text}");
    }
}

#[test]
fn canonicalize_is_idempotent() {
    let value = json!({"Items": [{"Policy": r#"{"Statement":[{"Action":["b","a","a"]}]}"#}]});
    let once = canonical(value);
    assert_eq!(canonical(once.clone()), once);
}

#[test]
fn policy_string_equals_one_element_list() {
    let a = json!({"Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]});
    let b = json!({"Statement": {"Resource": ["*"], "Action": ["ec2:DescribeInstances"], "Effect": "Allow"}});
    assert!(canonical_diff_is_empty(&a, &b));
}
