use serde_json::{Value, json};

use super::statement;
use crate::policy::Condition;

/// The one condition of `{operator: {key: values}}`.
fn condition(operator: &str, key: &str, values: Value) -> Condition {
    let mut statement = statement(json!({"Effect": "Allow", "Action": "*", "Condition": {operator: {key: values}}}));
    statement.conditions.remove(0)
}

/// Whether `{operator: {key: values}}` narrows.
fn narrows(operator: &str, key: &str, values: Value) -> bool {
    condition(operator, key, values).is_narrowing()
}

#[test]
fn every_narrowing_key_narrows_with_a_positive_operator() {
    let cases = [
        ("aws:SourceIp", json!("203.0.113.0/24")),
        ("aws:SourceVpc", json!("vpc-111")),
        ("aws:SourceVpce", json!("vpce-111")),
        ("aws:PrincipalOrgID", json!("o-abc")),
        ("aws:SourceOrgID", json!("o-abc")),
        ("aws:PrincipalOrgPaths", json!("o-abc/r-1/ou-2/*")),
        ("aws:SourceOrgPaths", json!("o-abc/r-1/*")),
        ("aws:PrincipalAccount", json!("123456789012")),
        ("aws:SourceAccount", json!("123456789012")),
        ("aws:SourceOwner", json!("123456789012")),
        ("kms:CallerAccount", json!("123456789012")),
        ("s3:DataAccessPointAccount", json!("123456789012")),
        ("aws:SourceArn", json!("arn:aws:s3:::my-bucket")),
        ("aws:PrincipalArn", json!("arn:aws:iam::123456789012:role/*")),
        ("aws:userid", json!("AROAEXAMPLE:*")),
        ("aws:PrincipalServiceName", json!("cloudtrail.amazonaws.com")),
    ];
    for (key, value) in cases {
        let operator = if key == "aws:SourceIp" { "IpAddress" } else { "StringLike" };
        assert!(narrows(operator, key, value.clone()), "{operator} {key}");
        assert!(narrows(&format!("ForAnyValue:{operator}"), key, value.clone()), "ForAnyValue {key}");
        assert!(!narrows(&format!("{operator}IfExists"), key, value.clone()), "IfExists {key}");
        assert!(!narrows(&format!("ForAllValues:{operator}"), key, value.clone()), "ForAllValues {key}");
    }
    for operator in ["StringEquals", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike"] {
        assert!(narrows(operator, "aws:SourceArn", json!("arn:aws:sns:us-east-1:123456789012:t")), "{operator}");
    }
    // Keys are case-insensitive.
    assert!(narrows("StringEquals", "AWS:SOURCEVPCE", json!("vpce-1")));
}

#[test]
fn other_operators_and_keys_do_not_narrow() {
    assert!(!narrows("NotIpAddress", "aws:SourceIp", json!("10.0.0.0/8")));
    assert!(!narrows("StringEquals", "aws:SourceIp", json!("10.0.0.0/8")));
    assert!(!narrows("IpAddress", "aws:SourceVpce", json!("vpce-1")));
    assert!(!narrows("StringNotEquals", "aws:SourceVpce", json!("vpce-1")));
    assert!(!narrows("Null", "aws:SourceVpce", json!("false")));
    assert!(!narrows("Bool", "aws:SecureTransport", json!(true)));
    assert!(!narrows("StringEquals", "aws:ResourceOrgID", json!("o-abc")));
    assert!(!narrows("StringEquals", "kms:ViaService", json!("s3.us-east-1.amazonaws.com")));
    assert!(!narrows("StringEquals", "sns:Endpoint", json!("a@example.com")));
    assert!(!narrows("ArnEquals", "lambda:FunctionArn", json!("arn:aws:lambda:us-east-1:123456789012:function:f")));
    assert!(!narrows("StringEquals", "aws:SourceVpce", json!([])));
}

#[test]
fn open_values_do_not_narrow() {
    let open = [
        ("aws:SourceVpce", json!("*")),
        ("aws:SourceVpce", json!("vpce-*")),
        ("aws:SourceVpc", json!("vpc-???")),
        ("aws:PrincipalOrgID", json!("o-*")),
        ("aws:PrincipalOrgPaths", json!("*/*")),
        ("aws:SourceAccount", json!("*")),
        ("aws:SourceAccount", json!(["123456789012", "*"])),
        ("aws:SourceArn", json!("arn:aws:*")),
        ("aws:SourceArn", json!("*:*")),
        ("aws:SourceArn", json!("arn:aws:s3:::*")),
        ("aws:PrincipalArn", json!("arn:aws:iam::*:role/admin")),
        ("aws:PrincipalArn", json!("arn:aws:iam::*:root")),
        ("aws:userid", json!("")),
    ];
    for (key, values) in open {
        assert!(!narrows("StringLike", key, values.clone()), "{key} {values}");
    }
    assert!(narrows("StringLike", "aws:SourceArn", json!("arn:aws:sns:*:123456789012:*")));
    assert!(narrows("StringLike", "aws:SourceVpce", json!(["vpce-1", "vpce-2"])));
}

#[test]
fn source_ip_ranges_that_cover_an_address_family_do_not_narrow() {
    for values in [
        json!("0.0.0.0/0"),
        json!("::/0"),
        json!(["10.0.0.0/8", "0.0.0.0/0"]),
        json!(["0.0.0.0/1", "128.0.0.0/1"]),
        json!(["10.0.0.0/8", "::/0"]),
        json!(" 0.0.0.0/0 "),
    ] {
        assert!(!narrows("IpAddress", "aws:SourceIp", values.clone()), "{values}");
    }
    for values in [json!("203.0.113.7"), json!(["10.0.0.0/8", "2001:db8::/32"]), json!(["0.0.0.0/1"]), json!("x")] {
        assert!(narrows("IpAddress", "aws:SourceIp", values.clone()), "{values}");
    }
}

#[test]
fn negated_narrowing_is_for_deny_statements() {
    assert!(condition("StringNotEquals", "aws:SourceVpce", json!("vpce-1")).is_negated_narrowing());
    assert!(condition("StringNotEqualsIfExists", "aws:SourceVpce", json!("vpce-1")).is_negated_narrowing());
    assert!(condition("ArnNotLike", "aws:PrincipalArn", json!("arn:aws:iam::123456789012:*")).is_negated_narrowing());
    assert!(condition("NotIpAddress", "aws:SourceIp", json!("10.0.0.0/8")).is_negated_narrowing());
    assert!(!condition("NotIpAddress", "aws:SourceIp", json!("0.0.0.0/0")).is_negated_narrowing());
    assert!(!condition("StringNotEquals", "aws:SourceVpce", json!("*")).is_negated_narrowing());
    assert!(!condition("ForAnyValue:StringNotEquals", "aws:SourceVpce", json!("vpce-1")).is_negated_narrowing());
    assert!(!condition("StringEquals", "aws:SourceVpce", json!("vpce-1")).is_negated_narrowing());
    assert!(!condition("StringNotEquals", "aws:RequestedRegion", json!("eu-west-1")).is_negated_narrowing());
}

#[test]
fn keys_are_lower_cased_in_borrowed_policies_too() {
    let document = json!({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {
        "Bool": {"aws:SecureTransport": "true"},
        "StringEquals": {"AWS:SourceArn": "arn:aws:s3:::b", "My:Own:Key": "x", "plain:key": 3}}}});
    let policy = crate::policy::Policy::parse_borrowed(&document).expect("a policy");
    let keys: Vec<&str> = policy.statements[0].conditions.iter().map(|c| c.key.as_ref()).collect();
    assert_eq!(keys, ["aws:securetransport", "aws:sourcearn", "my:own:key", "plain:key"]);
    let values: Vec<&str> = policy.statements[0].conditions.iter().map(|c| c.values[0].as_ref()).collect();
    assert_eq!(values, ["true", "arn:aws:s3:::b", "x", "3"]);
}

proptest::proptest! {
    /// The byte-wise reading of a prefix length agrees with trimming, splitting at the last `/`
    /// and parsing, on values built from the characters that matter (digits, dots, slashes,
    /// ASCII and Unicode white space, letters).
    #[test]
    fn narrow_networks_are_read_as_a_split_and_parse_reads_them(
        value in "[0-9./: \t\u{a0}\u{3000}xa]{0,14}",
    ) {
        let split = match value.trim().rsplit_once('/') {
            None => true,
            Some((_, length)) => {
                (1..=3).contains(&length.len())
                    && length.bytes().all(|byte| byte.is_ascii_digit())
                    && length.parse::<u8>().is_ok_and(|length| length >= 8)
            }
        };
        proptest::prop_assert_eq!(crate::policy::condition::is_narrow_network(&value), split, "{:?}", value);
    }
}

#[test]
fn prefix_lengths_from_8_to_255_are_narrow() {
    use crate::policy::condition::is_narrow_network;
    for (value, narrow) in [
        ("10.0.0.0/8", true),
        ("10.0.0.0/7", false),
        ("10.0.0.0/008", true),
        ("10.0.0.0/255", true),
        ("10.0.0.0/256", false),
        ("2001:db8::/32 ", true),
        ("10.0.0.0/", false),
        ("10.0.0.0/1a", false),
        ("10.0.0.1", true),
        (" 0.0.0.0/0", false),
    ] {
        assert_eq!(is_narrow_network(value), narrow, "{value}");
    }
}
