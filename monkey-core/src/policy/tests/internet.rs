use serde_json::{Value, json};

use super::{policy, statement};

/// A bucket policy with one public-read statement carrying `condition`, plus `extra` statements.
fn bucket_policy(condition: Value, extra: Value) -> crate::policy::Policy {
    let mut statements = vec![json!({
        "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "S3:ListBucket"],
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": condition
    })];
    statements.extend(extra.as_array().cloned().unwrap_or_default());
    policy(json!({"Version": "2012-10-17", "Statement": statements}))
}

#[test]
fn public_statements() {
    let open = bucket_policy(json!({}), json!([]));
    assert!(open.is_internet_accessible());
    assert!(open.statements[0].is_internet_accessible());
    assert_eq!(open.internet_accessible_actions(), ["s3:getobject", "s3:listbucket"]);
    for principal in [json!({"AWS": "*"}), json!({"AWS": ["*"]})] {
        assert!(
            statement(json!({"Effect": "Allow", "Principal": principal, "Action": "sqs:SendMessage"}))
                .is_internet_accessible()
        );
    }
    let not_principal =
        policy(json!({"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "123456789012"}, "Action": "s3:*"}}));
    assert!(not_principal.is_internet_accessible());
}

#[test]
fn named_principals_deny_and_identity_policies_are_not_public() {
    assert!(
        !policy(json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "s3:*"}}))
            .is_internet_accessible()
    );
    assert!(
        !policy(json!({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*"}})).is_internet_accessible()
    );
    assert!(
        !policy(json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})).is_internet_accessible()
    );
    assert!(policy(json!({"Statement": []})).internet_accessible_actions().is_empty());
}

#[test]
fn narrowing_conditions_close_a_public_statement() {
    let closed = [
        json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
        json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceAccount": "123456789012"}}),
    ];
    for condition in closed {
        let policy = bucket_policy(condition.clone(), json!([]));
        assert!(!policy.is_internet_accessible(), "{condition}");
        assert!(policy.internet_accessible_actions().is_empty(), "{condition}");
        assert_eq!(policy.statements[0].narrowing_conditions().len(), 1, "{condition}");
    }
    let still_open = [
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}),
        json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}),
        json!({"StringLike": {"aws:SourceVpce": "*"}}),
        json!({"Null": {"aws:SourceVpce": "false"}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"StringEquals": {"aws:ResourceOrgID": "o-abc"}}),
        json!({"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-abc/*"}}),
    ];
    for condition in still_open {
        let policy = bucket_policy(condition.clone(), json!([]));
        assert!(policy.is_internet_accessible(), "{condition}");
        assert!(policy.statements[0].narrowing_conditions().is_empty(), "{condition}");
    }
}

#[test]
fn trust_policy_open_to_everyone_or_to_one_organisation() {
    let open = json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}});
    assert!(policy(open).is_internet_accessible());
    let org = json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3"}}}});
    assert!(!policy(org).is_internet_accessible());
}

/// A Deny for everyone unless through vpce-1, with `action` and `resource`.
fn deny_unless_vpce(action: Value, resource: Value) -> Value {
    json!([{"Effect": "Deny", "Principal": "*", "Action": action, "Resource": resource,
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}])
}

#[test]
fn deny_unless_named_callers_neutralises() {
    let neutralising = [
        deny_unless_vpce(json!("*"), json!("*")),
        deny_unless_vpce(json!("s3:*"), json!("arn:aws:s3:::b*")),
        deny_unless_vpce(json!(["s3:GetObject", "s3:listbucket"]), json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"])),
        deny_unless_vpce(json!("*:*"), json!("*")),
        json!([{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                              "StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}}]),
    ];
    for deny in neutralising {
        let policy = bucket_policy(json!({}), deny.clone());
        assert!(!policy.is_internet_accessible(), "{deny}");
        assert!(policy.internet_accessible_actions().is_empty(), "{deny}");
        // Statement by statement, the Allow alone is still open.
        assert!(policy.statements[0].is_internet_accessible());
    }
}

#[test]
fn partial_or_conditional_denies_do_not_neutralise() {
    let not_neutralising = [
        // Covers only some of the actions or resources.
        deny_unless_vpce(json!("s3:GetObject"), json!("*")),
        deny_unless_vpce(json!("s3:Get*"), json!("*")),
        deny_unless_vpce(json!("*"), json!("arn:aws:s3:::b/*")),
        deny_unless_vpce(json!("*"), json!("arn:aws:s3:::B*")),
        // Not for everyone.
        json!([{"Effect": "Deny", "Principal": {"AWS": "123456789012"}, "Action": "*", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]),
        // Unconditional, or with a condition that may not hold, or with open values.
        json!([{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}, "Bool": {"aws:SecureTransport": "false"}}}]),
        json!([{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}]),
        json!([{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]),
        // NotAction / NotResource Denies are left alone.
        json!([{"Effect": "Deny", "Principal": "*", "NotAction": "iam:*", "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]),
        json!([{"Effect": "Deny", "Principal": "*", "Action": "*", "NotResource": "arn:aws:s3:::other",
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]),
    ];
    for deny in not_neutralising {
        assert!(bucket_policy(json!({}), deny.clone()).is_internet_accessible(), "{deny}");
    }
    // An unconditional Deny for everyone closes the bucket in AWS, but it is no "unless" Deny:
    // the Allow is reported, erring on the side of a finding.
    let unconditional = json!([{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]);
    assert!(bucket_policy(json!({}), unconditional).is_internet_accessible());
}

#[test]
fn not_action_allow_needs_a_deny_of_everything() {
    let allow = json!({"Effect": "Allow", "Principal": "*", "NotAction": "s3:Delete*", "Resource": "*"});
    let open = policy(json!({"Statement": [allow.clone()]}));
    assert_eq!(open.internet_accessible_actions(), ["*"]);
    let deny_s3 = deny_unless_vpce(json!("s3:*"), json!("*"));
    assert!(policy(json!({"Statement": [allow.clone(), deny_s3[0].clone()]})).is_internet_accessible());
    let deny_all = deny_unless_vpce(json!("*"), json!("*"));
    assert!(!policy(json!({"Statement": [allow, deny_all[0].clone()]})).is_internet_accessible());
}

#[test]
fn accessible_actions_are_lower_cased_sorted_and_unique() {
    let policy = policy(json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": ["SQS:SendMessage", "sqs:ReceiveMessage"]},
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:sendmessage"},
        {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sqs:DeleteQueue"},
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:PurgeQueue",
         "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}
    ]}));
    assert_eq!(policy.internet_accessible_actions(), ["sqs:receivemessage", "sqs:sendmessage"]);
}
