//! Property tests: no input makes parsing or any query panic, and the borrowed parse reads
//! what the owned one reads.

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::policy::{Arn, Policy, actions};

/// Strings that policies hold, so generated documents reach deep into the parser.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Statement",
            "Effect",
            "Allow",
            "Deny",
            "Principal",
            "NotPrincipal",
            "AWS",
            "Service",
            "Federated",
            "CanonicalUser",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition",
            "Version",
            "Sid",
            "*",
            "*:*",
            "s3:Get*",
            "iam:Pass?ole",
            "?",
            "",
            ":",
            "StringEquals",
            "StringNotEquals",
            "IpAddress",
            "NotIpAddress",
            "ForAnyValue:StringLike",
            "StringLikeIfExists",
            "aws:SourceIp",
            "aws:SourceVpce",
            "aws:PrincipalArn",
            "0.0.0.0/0",
            "10.0.0.0/8",
            "vpce-1",
            "arn:aws:iam::123456789012:root",
            "arn:aws:s3:::b/*",
            "arn:aws:*",
            "123456789012",
            "%7B",
        ])
        .prop_map(String::from),
        "\\PC{0,8}",
    ]
}

/// Arbitrary JSON biased towards policy shapes, nested at most five levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        word().prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(word(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Runs every query on a parsed policy.
fn query_everything(policy: &Policy) {
    let _ = policy.is_internet_accessible();
    let _ = policy.internet_accessible_actions();
    for entity in policy.whos_allowed() {
        let _ = (entity.account(), entity.is_root(), entity.is_aws_service(), entity.to_string());
    }
    for statement in &policy.statements {
        let _ = (statement.uses_not_action(), statement.uses_not_resource(), statement.uses_not_principal());
        let _ =
            (statement.allows_any_principal(), statement.narrowing_conditions(), statement.is_internet_accessible());
        let _ = (statement.whos_allowed(), statement.resource_is_any());
        let _ = (statement.action_matches("s3:GetObject"), statement.action_matches(""));
        let _ = statement.expanded_actions();
        for pattern in statement.actions.iter().chain(&statement.not_actions) {
            let _ = (actions().levels(pattern), actions().get(pattern));
        }
    }
}

/// Parses `document` both ways and asserts that the borrowed policy is the owned one, and
/// answers every query the same.
fn assert_borrowed_agrees(document: &Value) -> Result<(), TestCaseError> {
    let (owned, borrowed) = (Policy::parse(document), Policy::parse_borrowed(document));
    prop_assert_eq!(format!("{owned:?}"), format!("{borrowed:?}"));
    if let (Ok(owned), Ok(borrowed)) = (owned, borrowed) {
        prop_assert_eq!(owned.is_internet_accessible(), borrowed.is_internet_accessible());
        prop_assert_eq!(owned.internet_accessible_actions(), borrowed.internet_accessible_actions());
        prop_assert_eq!(format!("{:?}", owned.whos_allowed()), format!("{:?}", borrowed.whos_allowed()));
        for (owned, borrowed) in owned.statements.iter().zip(&borrowed.statements) {
            prop_assert_eq!(owned.is_internet_accessible(), borrowed.is_internet_accessible());
            prop_assert_eq!(owned.action_matches("s3:GetObject"), borrowed.action_matches("s3:GetObject"));
            prop_assert_eq!(owned.expanded_actions(), borrowed.expanded_actions());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn borrowed_parse_agrees_with_owned_parse(value in json_value()) {
        assert_borrowed_agrees(&value)?;
        assert_borrowed_agrees(&Value::String(value.to_string()))?;
        assert_borrowed_agrees(&serde_json::json!({"Statement": value}))?;
    }

    #[test]
    fn parse_and_queries_never_panic(value in json_value()) {
        if let Ok(policy) = Policy::parse(&value) {
            query_everything(&policy);
        }
        let text = Value::String(value.to_string());
        if let Ok(policy) = Policy::parse(&text) {
            query_everything(&policy);
        }
    }

    #[test]
    fn policy_shaped_documents_never_panic(
        statements in prop::collection::vec(
            prop::collection::btree_map(word(), json_value(), 0..8),
            0..4,
        ),
        effects in prop::collection::vec(prop::sample::select(vec!["Allow", "Deny"]), 4),
    ) {
        let statements: Vec<Value> = statements
            .into_iter()
            .zip(effects)
            .map(|(map, effect)| {
                let mut map: Map<String, Value> = map.into_iter().collect();
                map.insert("Effect".to_owned(), Value::from(effect));
                Value::Object(map)
            })
            .collect();
        let document = serde_json::json!({"Statement": statements});
        if let Ok(policy) = Policy::parse(&document) {
            query_everything(&policy);
        }
    }

    #[test]
    fn borrowed_parse_agrees_on_policy_shaped_documents(
        statements in prop::collection::vec(
            prop::collection::btree_map(word(), json_value(), 0..8),
            0..4,
        ),
        effects in prop::collection::vec(prop::sample::select(vec!["Allow", "Deny"]), 4),
    ) {
        let statements: Vec<Value> = statements
            .into_iter()
            .zip(effects)
            .map(|(map, effect)| {
                let mut map: Map<String, Value> = map.into_iter().collect();
                map.insert("Effect".to_owned(), Value::from(effect));
                Value::Object(map)
            })
            .collect();
        let document = serde_json::json!({"Statement": statements});
        assert_borrowed_agrees(&document)?;
        // JSON text is read without a tree: the same policy, or the same error.
        prop_assert_eq!(Policy::parse(&Value::String(document.to_string())), Policy::parse(&document));
    }

    #[test]
    fn patterns_and_arns_never_panic(pattern in "[a-zA-Z0-9:*?é日-]{0,12}", text in "\\PC{0,24}") {
        let _ = actions().expand(&pattern);
        let _ = actions().levels(&pattern);
        let _ = actions().get(&pattern);
        let _ = Arn::parse(&text);
        let _ = crate::policy::glob::matches(&pattern, &text, true);
        let _ = crate::policy::glob::covers(&pattern, &text, true);
    }

    #[test]
    fn literal_patterns_match_as_the_walk_does(
        literal in "[a-zA-Z:é]{0,6}",
        star in proptest::bool::ANY,
        text in "[a-zA-Z:é]{0,8}",
        fold_case in proptest::bool::ANY,
    ) {
        let pattern = if star { format!("{literal}*") } else { literal };
        let text = if text.len() % 3 == 0 { format!("{pattern}{text}").replace('*', "") } else { text };
        prop_assert_eq!(
            crate::policy::glob::matches(&pattern, &text, fold_case),
            crate::policy::glob::walk_matches(&pattern, &text, fold_case)
        );
    }
}
