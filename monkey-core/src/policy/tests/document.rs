use serde_json::{Value, json};

use super::{policy, statement};
use crate::policy::{
    AccessLevel, ConditionSet, Effect, OwnedText, Policy, PolicyError, PrincipalKind, PrincipalMap, Principals,
};

/// The error a document gives.
fn error(document: Value) -> PolicyError {
    Policy::parse(&document).unwrap_err()
}

#[test]
fn statement_object_or_list_and_strings_or_lists() {
    let single = policy(json!({
        "Version": "2012-10-17",
        "Id": "p1",
        "Statement": {"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    }));
    let listed = policy(json!({
        "Version": "2012-10-17",
        "Id": "p1",
        "Statement": [{"Sid": "One", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]
    }));
    assert_eq!(single, listed);
    assert_eq!(single.version.as_deref(), Some("2012-10-17"));
    assert_eq!(single.id.as_deref(), Some("p1"));
    let statement = &single.statements[0];
    assert_eq!(statement.sid.as_deref(), Some("One"));
    assert_eq!(statement.effect, Effect::Allow);
    assert_eq!(statement.actions[..], ["s3:GetObject"]);
    assert_eq!(statement.resources[..], ["*"]);
    assert!(statement.not_actions.is_empty() && statement.principal.is_none());
}

#[test]
fn principals() {
    let any = statement(json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*"}));
    assert_eq!(any.principal, Some(Principals::Any));
    let kinds = statement(json!({
        "Effect": "Allow",
        "Principal": {"AWS": ["123456789012", "arn:aws:iam::210987654321:role/r"], "Service": "ec2.amazonaws.com"},
        "NotPrincipal": {"Federated": "cognito-identity.amazonaws.com", "CanonicalUser": ["abc"]},
        "Action": "sts:AssumeRole"
    }));
    let expected: PrincipalMap = [
        (
            PrincipalKind::Aws,
            vec![OwnedText::from("123456789012"), OwnedText::from("arn:aws:iam::210987654321:role/r")],
        ),
        (PrincipalKind::Service, vec![OwnedText::from("ec2.amazonaws.com")]),
    ]
    .into_iter()
    .collect();
    assert_eq!(kinds.principal, Some(Principals::Kinds(expected)));
    let Some(Principals::Kinds(not)) = &kinds.not_principal else { panic!("NotPrincipal kept") };
    assert_eq!(not[&PrincipalKind::Federated], ["cognito-identity.amazonaws.com"]);
    assert_eq!(not[&PrincipalKind::CanonicalUser], ["abc"]);
    assert_eq!(PrincipalKind::Aws.to_string(), "AWS");
}

#[test]
fn conditions_split_operator_and_lower_case_keys() {
    let statement = statement(json!({
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Condition": {
            "ForAnyValue:StringLikeIfExists": {"aws:PrincipalOrgPaths": ["o-1/*", "o-2/*"]},
            "Bool": {"aws:SecureTransport": true},
            "NumericLessThan": {"s3:max-keys": 10, "s3:other": [1.5, "2"]},
            "ForAllValues:StringEquals": {"aws:TagKeys": "a"}
        }
    }));
    let summary: Vec<_> = statement
        .conditions
        .iter()
        .map(|c| {
            (
                c.set,
                c.operator.as_str(),
                c.if_exists,
                c.key.as_str(),
                c.values.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (None, "Bool", false, "aws:securetransport", vec!["true".to_owned()]),
            (Some(ConditionSet::ForAllValues), "StringEquals", false, "aws:tagkeys", vec!["a".to_owned()]),
            (
                Some(ConditionSet::ForAnyValue),
                "StringLike",
                true,
                "aws:principalorgpaths",
                vec!["o-1/*".to_owned(), "o-2/*".to_owned()]
            ),
            (None, "NumericLessThan", false, "s3:max-keys", vec!["10".to_owned()]),
            (None, "NumericLessThan", false, "s3:other", vec!["1.5".to_owned(), "2".to_owned()]),
        ]
    );
}

#[test]
fn json_text_and_url_encoded_strings_are_decoded() {
    let object = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let text = object.to_string();
    let encoded: String = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC).collect();
    let expected = policy(object);
    assert_eq!(policy(Value::String(text.clone())), expected);
    assert_eq!(policy(Value::String(format!("  \n{text}"))), expected);
    assert_eq!(policy(Value::String(encoded.clone())), expected);
    assert_eq!(policy(Value::String(encoded.replace("%7B", "%7b"))), expected);
}

#[test]
fn json_text_read_without_a_tree_agrees_with_the_tree() {
    // Spellings the direct read of JSON text leaves to the tree (unsorted or repeated
    // conditions, escaped keys, a repeated key whose first value is wrong) and ones it reads
    // itself (escaped values, numbers, booleans), each against the same document as a tree.
    let texts = [
        r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}"#,
        r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SourceVpc": "vpc-1"}}}}"#,
        r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}, "StringEquals": {"aws:SourceVpc": "vpc-2"}}}}"#,
        r#"{"Statement": {"Eff\u0065ct": "Allow", "Principal": {"AWS": 7, "AWS": "123456789012"}, "Action": "s\u0033:*"}}"#,
        r#"{"Statement": [{"Effect": "Deny", "Action": "*", "Condition": {"NumericLessThan": {"s3:max-keys": [10, -3, 2.50, 1e3]},
            "Bool": {"aws:SecureTransport": false}}}], "Statement": {"Effect": "Allow", "Action": "*"}}"#,
        r#"{"Version": "2012-10-17", "Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Sid": "a\"b"}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Condition": {"StringEquals": {"aws:SourceVpce": []}}}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": "*"}]} trailing"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": null}}}]}"#,
        r#"{"Statement": [{"Effect": "Maybe", "Action": "*"}]}"#,
    ];
    for text in texts {
        let tree = serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_owned()));
        assert_eq!(Policy::parse(&Value::String(text.to_owned())), Policy::parse(&tree), "{text}");
        assert_eq!(
            format!("{:?}", Policy::parse_borrowed(&Value::String(text.to_owned()))),
            format!("{:?}", Policy::parse(&tree)),
            "{text}"
        );
    }
}

#[test]
fn unknown_keys_are_ignored() {
    let policy = policy(json!({
        "Version": "2012-10-17",
        "Comment": 5,
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Extra": {"x": []}}]
    }));
    assert_eq!(policy.statements[0].effect, Effect::Deny);
}

#[test]
fn effect_casing_is_forgiven() {
    assert!(statement(json!({"Effect": "allow", "Action": "*"})).is_allow());
    assert!(!statement(json!({"Effect": "DENY", "Action": "*"})).is_allow());
}

#[test]
fn empty_statement_list_is_a_policy_without_statements() {
    assert!(policy(json!({"Statement": []})).statements.is_empty());
}

#[test]
fn wrong_types_name_their_place() {
    let cases = [
        (json!({"Statement": "x"}), "Statement", "expected an object or a list of objects, found a string"),
        (json!({}), "Statement", "missing"),
        (json!({"Version": 2012, "Statement": []}), "Version", "expected a string, found a number"),
        (json!({"Id": [], "Statement": []}), "Id", "expected a string, found a list"),
        (json!({"Statement": [{"Effect": "Allow"}, 3]}), "Statement[1]", "expected an object, found a number"),
        (json!({"Statement": {"Action": "*"}}), "Statement.Effect", "missing"),
        (
            json!({"Statement": [{"Effect": "Maybe"}]}),
            "Statement[0].Effect",
            "expected \"Allow\" or \"Deny\", found \"Maybe\"",
        ),
        (
            json!({"Statement": [{"Effect": true}]}),
            "Statement[0].Effect",
            "expected \"Allow\" or \"Deny\", found a boolean",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": 5}]}),
            "Statement[0].Action",
            "expected a string or a list of strings, found a number",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Resource": ["a", null]}]}),
            "Statement[0].Resource[1]",
            "expected a string, found null",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Sid": 1}]}),
            "Statement[0].Sid",
            "expected a string, found a number",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::1:root"}]}),
            "Statement[0].Principal",
            "expected \"*\" or an object, found \"arn:aws:iam::1:root\"",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": ["*"]}]}),
            "Statement[0].Principal",
            "expected \"*\" or an object, found a list",
        ),
        (
            json!({"Statement": [{}, {"Effect": "Allow", "Principal": {"AWS": ["1", {}]}}]}),
            "Statement[0].Effect",
            "missing",
        ),
        (
            json!({"Statement": [{"Effect": "Allow"}, {"Effect": "Allow", "Principal": {"AWS": ["1", {}]}}]}),
            "Statement[1].Principal.AWS[1]",
            "expected a string, found an object",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"Everyone": "*"}}]}),
            "Statement[0].NotPrincipal.Everyone",
            "unknown principal type, expected AWS, Service, Federated or CanonicalUser",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Condition": []}]}),
            "Statement[0].Condition",
            "expected an object, found a list",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Condition": {"Bool": true}}]}),
            "Statement[0].Condition.Bool",
            "expected an object, found a boolean",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Condition": {"Bool": {"aws:SecureTransport": null}}}]}),
            "Statement[0].Condition.Bool.aws:SecureTransport",
            "expected a string, boolean or number or a list of them, found null",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Condition": {"StringEquals": {"k": ["a", ["b"]]}}}]}),
            "Statement[0].Condition.StringEquals.k[1]",
            "expected a string, boolean or number, found a list",
        ),
        (json!([]), "(document)", "expected an object, found a list"),
        (json!("not a policy"), "(document)", "a string that holds no JSON or URL-encoded policy document"),
        (json!("{\"Statement\": "), "(document)", "a string that holds no JSON or URL-encoded policy document"),
    ];
    for (document, path, reason) in cases {
        let error = error(document.clone());
        assert_eq!((error.path.as_str(), error.reason.as_str()), (path, reason), "{document}");
    }
    assert_eq!(
        error(json!({"Statement": [{"Effect": "Allow", "Action": 5}]})).to_string(),
        "Statement[0].Action: expected a string or a list of strings, found a number"
    );
}

#[test]
fn not_elements() {
    let statement = statement(json!({
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
        "NotAction": "iam:*",
        "NotResource": "arn:aws:s3:::secret/*"
    }));
    assert!(statement.uses_not_action() && statement.uses_not_resource() && statement.uses_not_principal());
    assert!(statement.allows_any_principal());
    assert!(statement.resource_is_any());
    assert!(statement.action_matches("s3:GetObject"));
    assert!(!statement.action_matches("IAM:PassRole"));
}

#[test]
fn any_principal_spellings() {
    for principal in [json!("*"), json!({"AWS": "*"}), json!({"AWS": ["123456789012", "*"]})] {
        assert!(statement(json!({"Effect": "Allow", "Principal": principal, "Action": "*"})).allows_any_principal());
    }
    for principal in [json!({"AWS": "123456789012"}), json!({"Service": "*"})] {
        assert!(!statement(json!({"Effect": "Allow", "Principal": principal, "Action": "*"})).allows_any_principal());
    }
    // NotPrincipal on a Deny denies all but some: it lets nobody in.
    let deny = statement(json!({"Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}, "Action": "*"}));
    assert!(!deny.allows_any_principal());
    assert!(!statement(json!({"Effect": "Allow", "Action": "*"})).allows_any_principal());
}

#[test]
fn action_matching_is_case_insensitive_with_wildcards() {
    let statement =
        statement(json!({"Effect": "Allow", "Action": ["S3:Get*", "iam:Pass?ole"], "Resource": "arn:aws:s3:::b"}));
    assert!(statement.action_matches("s3:GetObject"));
    assert!(statement.action_matches("s3:getobjectacl"));
    assert!(statement.action_matches("IAM:PASSROLE"));
    assert!(!statement.action_matches("s3:PutObject"));
    assert!(!statement.action_matches("iam:PassRoles"));
    assert!(!statement.resource_is_any());
    let neither = self::statement(json!({"Effect": "Allow"}));
    assert!(!neither.action_matches("s3:GetObject"));
    assert!(neither.expanded_actions().is_empty());
}

#[test]
fn expanded_actions_of_action_and_not_action() {
    let get =
        statement(json!({"Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject*", "nosuch:Thing", "s3:Nope"]}));
    let names: Vec<String> = get.expanded_actions().iter().map(ToString::to_string).collect();
    assert!(names.contains(&"s3:GetObject".to_owned()) && names.contains(&"s3:GetObjectAcl".to_owned()));
    assert!(names.iter().all(|name| name.starts_with("s3:GetObject")));
    let mut sorted = names.clone();
    sorted.sort_by_key(|name| name.to_ascii_lowercase());
    sorted.dedup();
    assert_eq!(names, sorted, "catalogue order, no duplicates");

    let not_iam = statement(json!({"Effect": "Allow", "NotAction": ["iam:*", "s3:*"]}));
    let expanded = not_iam.expanded_actions();
    let catalogue = crate::policy::actions();
    let excluded = catalogue.expand("iam:*").len() + catalogue.expand("s3:*").len();
    assert_eq!(expanded.len(), catalogue.len() - excluded);
    assert!(expanded.iter().all(|action| action.service != "iam" && action.service != "s3"));
    assert!(expanded.iter().any(|action| action.service == "ec2" && action.level == AccessLevel::Write));
    assert!(statement(json!({"Effect": "Allow", "NotAction": "*"})).expanded_actions().is_empty());
}

#[test]
fn parse_speed_smoke() {
    // No timing assertion (shared machines); prints the cost of a typical bucket policy.
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
             "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}},
            {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/admin"},
             "Action": "s3:*", "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"]},
            {"Sid": "Tls", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]
    });
    let rounds = 2_000;
    let start = std::time::Instant::now();
    let mut open = 0;
    for _ in 0..rounds {
        let policy = Policy::parse(std::hint::black_box(&document)).unwrap();
        open += usize::from(policy.is_internet_accessible()) + policy.whos_allowed().len();
    }
    let each = start.elapsed() / rounds;
    assert_eq!(open, rounds as usize * 3);
    println!("parse + is_internet_accessible + whos_allowed: {each:?} per policy (debug build)");
}
