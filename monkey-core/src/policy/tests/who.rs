use serde_json::json;

use super::{policy, statement};
use crate::policy::{Entity, EntityKind};

/// The display forms of who a document lets in.
fn who(document: serde_json::Value) -> Vec<String> {
    policy(document).whos_allowed().iter().map(ToString::to_string).collect()
}

#[test]
fn principals_and_condition_values_sorted_over_allow_statements() {
    let who = who(json!({"Statement": [
        {"Effect": "Allow", "Principal": {
            "AWS": ["arn:aws:iam::123456789012:role/r", "210987654321", "*", "AIDAEXAMPLE"],
            "Service": "ec2.amazonaws.com", "Federated": "accounts.google.com", "CanonicalUser": "79a59df9"},
         "Action": "s3:GetObject",
         "Condition": {
            "IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]},
            "StringEquals": {"aws:SourceVpc": "vpc-1", "aws:SourceVpce": "vpce-1", "aws:PrincipalOrgID": "o-1",
                             "aws:PrincipalAccount": "111111111111", "kms:CallerAccount": "222222222222",
                             "aws:userid": "AROAX:me", "aws:PrincipalServiceName": "logs.amazonaws.com"},
            "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/r-1/*"},
            "ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket"},
            "StringEqualsIfExists": {"aws:SourceOwner": "333333333333"}}},
        {"Effect": "Deny", "Principal": {"AWS": "999999999999"}, "Action": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "s3:ListBucket"}
    ]}));
    assert_eq!(
        who,
        [
            "*",
            "principal:arn:aws:iam::123456789012:role/r",
            "principal:arn:aws:s3:::bucket",
            "account:111111111111",
            "account:210987654321",
            "account:222222222222",
            "service:ec2.amazonaws.com",
            "service:logs.amazonaws.com",
            "federated:accounts.google.com",
            "canonical:79a59df9",
            "userid:AIDAEXAMPLE",
            "userid:AROAX:me",
            "cidr:10.0.0.0/8",
            "vpc:vpc-1",
            "vpce:vpce-1",
            "orgid:o-1",
            "orgpath:o-1/r-1/*",
        ]
    );
}

#[test]
fn not_principal_allows_everyone_and_deny_allows_no_one() {
    let allow = statement(json!({"Effect": "Allow", "NotPrincipal": {"AWS": "123456789012"}, "Action": "*"}));
    assert_eq!(allow.whos_allowed(), [Entity::new(EntityKind::Any, "*")]);
    let deny = statement(json!({"Effect": "Deny", "Principal": "*", "Action": "*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}));
    assert!(deny.whos_allowed().is_empty());
    let identity = statement(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
    assert!(identity.whos_allowed().is_empty());
}

#[test]
fn accounts_of_entities() {
    let arn = |value: &str| Entity::new(EntityKind::Arn, value);
    assert_eq!(arn("arn:aws:iam::123456789012:role/x").account(), Some("123456789012"));
    assert_eq!(arn("arn:aws:sts::123456789012:assumed-role/x/session").account(), Some("123456789012"));
    assert_eq!(arn("arn:aws:iam::123456789012:root").account(), Some("123456789012"));
    assert_eq!(arn("arn:aws:s3:::bucket").account(), None);
    assert_eq!(arn("arn:aws:iam::*:root").account(), None);
    assert_eq!(arn("not an arn").account(), None);
    assert_eq!(Entity::new(EntityKind::Account, "123456789012").account(), Some("123456789012"));
    assert_eq!(Entity::new(EntityKind::Account, "12345678901*").account(), None);
    assert_eq!(Entity::new(EntityKind::Any, "*").account(), None);
    assert_eq!(Entity::new(EntityKind::Cidr, "123456789012").account(), None);
}

#[test]
fn roots_and_services() {
    assert!(Entity::new(EntityKind::Arn, "arn:aws:iam::123456789012:root").is_root());
    assert!(Entity::new(EntityKind::Arn, "arn:aws-cn:iam::123456789012:root").is_root());
    assert!(Entity::new(EntityKind::Account, "123456789012").is_root());
    assert!(!Entity::new(EntityKind::Arn, "arn:aws:iam::123456789012:role/root").is_root());
    assert!(!Entity::new(EntityKind::Arn, "arn:aws:s3:::root").is_root());
    assert!(Entity::new(EntityKind::Service, "lambda.amazonaws.com").is_aws_service());
    assert!(!Entity::new(EntityKind::Federated, "cognito-identity.amazonaws.com").is_aws_service());
}

#[test]
fn display_and_serialisation() {
    assert_eq!(Entity::new(EntityKind::Cidr, "0.0.0.0/0").to_string(), "cidr:0.0.0.0/0");
    assert_eq!(Entity::new(EntityKind::Any, "*").to_string(), "*");
    assert_eq!(Entity::new(EntityKind::CanonicalUser, "abc").to_string(), "canonical:abc");
    assert_eq!(
        serde_json::to_value(Entity::new(EntityKind::OrgPath, "o-1/*")).unwrap(),
        json!({"kind": "org_path", "value": "o-1/*"})
    );
}
