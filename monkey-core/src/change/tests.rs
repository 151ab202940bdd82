use super::*;
use crate::model::RevisionId;
use serde_json::{Value, json};

fn tech() -> Technology {
    Technology::parse("securitygroup").unwrap()
}

fn account() -> AccountNumber {
    AccountNumber::parse("111122223333").unwrap()
}

fn seen(region: &str, name: &str, config: Value) -> SlurpedItem {
    SlurpedItem { region: region.into(), name: name.into(), arn: Some(format!("arn:{region}:{name}")), config }
}

fn stored(region: &str, name: &str, config: &Value, active: bool, paths: &EphemeralPaths) -> Item {
    let mut config = config.clone();
    canonicalize(&mut config);
    let (durable_hash, complete_hash) = hashes(&config, paths);
    Item {
        key: ItemKey::new(tech(), account(), region, name),
        arn: Some(format!("arn:{region}:{name}")),
        latest_revision: RevisionId(1),
        latest_revision_at: Timestamp::from_unix_nanos(0),
        active,
        durable_hash,
        complete_hash,
        score: 0,
        unjustified_score: 0,
    }
}

fn run(previous: &[Item], items: Vec<SlurpedItem>, failures: Vec<Failure>, paths: &EphemeralPaths) -> Detection {
    detect(&tech(), &account(), previous, Slurp { items, failures }, paths, Timestamp::from_unix_nanos(5))
}

fn kinds(d: &Detection) -> Vec<(String, ChangeKind)> {
    d.changeset.changes.iter().map(|c| (c.key.name.to_string(), c.kind)).collect()
}

#[test]
fn classifies_created_changed_ephemeral_deleted_and_unchanged() {
    let paths = EphemeralPaths::parse(&["assigned_to"]).unwrap();
    let previous = vec![
        stored("us-east-1", "changed", &json!({"port": 22}), true, &paths),
        stored("us-east-1", "deleted", &json!({"port": 80}), true, &paths),
        stored("us-east-1", "ephemeral", &json!({"port": 1, "assigned_to": ["i-1"]}), true, &paths),
        stored("us-east-1", "same", &json!({"port": 443}), true, &paths),
        stored("us-west-2", "gone-before", &json!({}), false, &paths),
    ];
    let items = vec![
        seen("us-east-1", "same", json!({"port": 443})),
        seen("us-east-1", "changed", json!({"port": 2222})),
        seen("us-east-1", "ephemeral", json!({"port": 1, "assigned_to": ["i-2"]})),
        seen("eu-west-1", "created", json!({"port": 8080})),
    ];
    let d = run(&previous, items, vec![], &paths);
    assert_eq!(
        kinds(&d),
        vec![
            ("created".into(), ChangeKind::Created),
            ("changed".into(), ChangeKind::Changed),
            ("deleted".into(), ChangeKind::Deleted),
            ("ephemeral".into(), ChangeKind::Ephemeral),
        ]
    );
    assert_eq!(d.unchanged, 1);
    assert_eq!(d.protected, 0);
    let deleted = &d.changeset.changes[2];
    assert_eq!(deleted.config, json!({}));
    assert_eq!(deleted.arn.as_deref(), Some("arn:us-east-1:deleted"));
    assert_eq!(d.count(ChangeKind::Created), 1);
    assert_eq!(d.changeset.at, Timestamp::from_unix_nanos(5));
}

#[test]
fn a_deleted_item_that_reappears_is_created_again() {
    let paths = EphemeralPaths::none();
    let previous = vec![stored("us-east-1", "back", &json!({"port": 22}), false, &paths)];
    let d = run(&previous, vec![seen("us-east-1", "back", json!({"port": 22}))], vec![], &paths);
    assert_eq!(kinds(&d), vec![("back".into(), ChangeKind::Created)]);
}

#[test]
fn failed_scopes_protect_their_items() {
    let paths = EphemeralPaths::none();
    let previous = vec![
        stored("us-east-1", "a", &json!({"v": 1}), true, &paths),
        stored("us-west-2", "b", &json!({"v": 1}), true, &paths),
        stored("us-west-2", "c", &json!({"v": 1}), true, &paths),
        stored("eu-west-1", "d", &json!({"v": 1}), true, &paths),
    ];
    // us-west-2 failed (b and c missing), item d seen with partial data and failed itself.
    let failures = vec![
        Failure { scope: FailureScope::Region { region: "us-west-2".into() }, message: "throttled".into() },
        Failure {
            scope: FailureScope::Item { region: "eu-west-1".into(), name: "d".into() },
            message: "denied".into(),
        },
    ];
    let items = vec![seen("us-east-1", "a", json!({"v": 1})), seen("eu-west-1", "d", json!({"v": 2}))];
    let d = run(&previous, items, failures.clone(), &paths);
    assert!(d.changeset.changes.is_empty(), "{:?}", kinds(&d));
    assert_eq!(d.protected, 3);
    assert_eq!(d.unchanged, 1);
    assert_eq!(d.failures, failures);

    let whole = vec![Failure { scope: FailureScope::Account, message: "AccessDenied".into() }];
    let d = run(&previous, vec![], whole, &paths);
    assert!(d.changeset.changes.is_empty());
    assert_eq!(d.protected, 4);
}

#[test]
fn key_order_and_policy_encoding_are_no_change() {
    let paths = EphemeralPaths::none();
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]});
    let previous = vec![stored("universal", "role", &json!({"Policy": policy}), true, &paths)];
    let reordered: Value = serde_json::from_str(
        r#"{"Policy": {"Statement": {"Resource": ["*"], "Action": "s3:GetObject", "Effect": "Allow"}, "Version": "2012-10-17"}}"#,
    )
    .unwrap();
    let d = run(&previous, vec![seen("universal", "role", reordered)], vec![], &paths);
    assert!(d.changeset.changes.is_empty(), "{:?}", d.changeset.changes);
    assert_eq!(d.unchanged, 1);
    let encoded = json!({"Policy": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"});
    let d = run(&previous, vec![seen("universal", "role", encoded)], vec![], &paths);
    assert_eq!(d.unchanged, 1, "{:?}", d.changeset.changes);
}

#[test]
fn statement_order_is_no_change_but_statement_content_is() {
    let paths = EphemeralPaths::none();
    let statements = |order: [usize; 3], action: &str| {
        let all = [
            json!({"Effect": "Allow", "Action": action, "Resource": "*"}),
            json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": ["sqs:SendMessage", "sns:Publish"], "Resource": "arn:aws:sqs:*"}),
        ];
        json!({"PolicyDocument": {"Version": "2012-10-17", "Statement": order.map(|i| all[i].clone())}})
    };
    let previous = vec![stored("universal", "role", &statements([0, 1, 2], "s3:GetObject"), true, &paths)];
    let d = run(&previous, vec![seen("universal", "role", statements([2, 0, 1], "s3:GetObject"))], vec![], &paths);
    assert_eq!(d.unchanged, 1, "{:?}", kinds(&d));
    let d = run(&previous, vec![seen("universal", "role", statements([2, 0, 1], "s3:PutObject"))], vec![], &paths);
    assert_eq!(kinds(&d), vec![("role".into(), ChangeKind::Changed)]);
    // A list that is not a policy's statements keeps its order.
    let previous = vec![stored("universal", "list", &json!({"Rules": [1, 2]}), true, &paths)];
    let d = run(&previous, vec![seen("universal", "list", json!({"Rules": [2, 1]}))], vec![], &paths);
    assert_eq!(kinds(&d), vec![("list".into(), ChangeKind::Changed)]);
}

#[test]
fn many_statements_and_ephemeral_statement_fields_hash_as_sets() {
    let statements: Vec<Value> =
        (0..40).map(|i| json!({"Sid": format!("s{i}"), "Action": "s3:GetObject", "LastUsed": i})).collect();
    let mut reversed = statements.clone();
    reversed.reverse();
    let paths = EphemeralPaths::parse(&["Policy.Statement.*.LastUsed"]).unwrap();
    let a = hashes(&json!({"Policy": {"Statement": statements}}), &paths);
    let b = hashes(&json!({"Policy": {"Statement": reversed.clone()}}), &paths);
    assert_eq!(a, b);
    for s in &mut reversed {
        s["LastUsed"] = json!(0);
    }
    let c = hashes(&json!({"Policy": {"Statement": reversed}}), &paths);
    assert_eq!(a.0, c.0, "durable hashes ignore the ephemeral field");
    assert_ne!(a.1, c.1);
}

#[test]
fn duplicate_items_are_reported_and_left_alone() {
    let paths = EphemeralPaths::none();
    let previous = vec![stored("us-east-1", "dup", &json!({"v": 1}), true, &paths)];
    let items = vec![seen("us-east-1", "dup", json!({"v": 2})), seen("us-east-1", "dup", json!({"v": 3}))];
    let d = run(&previous, items, vec![], &paths);
    assert!(d.changeset.changes.is_empty());
    assert_eq!(d.failures.len(), 1);
    assert!(d.failures[0].message.contains("more than one item"));
}

#[test]
fn unsorted_previous_items_are_handled() {
    let paths = EphemeralPaths::none();
    let previous = vec![
        stored("us-east-1", "z", &json!({"v": 1}), true, &paths),
        stored("us-east-1", "a", &json!({"v": 1}), true, &paths),
    ];
    let d = run(
        &previous,
        vec![seen("us-east-1", "a", json!({"v": 1})), seen("us-east-1", "z", json!({"v": 1}))],
        vec![],
        &paths,
    );
    assert!(d.changeset.changes.is_empty());
    assert_eq!(d.unchanged, 2);
}

#[test]
fn hash_is_stable_across_releases() {
    // A stored hash must keep meaning the same configuration after an upgrade; if this
    // changes, every stored item would look changed once, so it needs a store migration.
    let config = json!({"b": [1, "x", null, true, 2.5, -3, {"c": {}}], "a": []});
    let (durable, complete) = hashes(&config, &EphemeralPaths::none());
    assert_eq!(durable, complete);
    assert_eq!(durable.to_hex(), "917174f6f6e245113851aaefced53a3eeb95b0d7ccaf5739c436f216ea2bd186");
    let (durable, complete) = hashes(&config, &EphemeralPaths::parse(&["b.*.c"]).unwrap());
    assert_ne!(durable, complete);
    assert_eq!(durable.to_hex(), "9f575129339a9e716d748f52305a32859be2e8b970103b15612f2ffc29dd63b8");
}

#[test]
fn large_runs_split_across_threads_give_the_same_result() {
    // Enough items for several threads; deletions and creations sit at every chunk boundary.
    let paths = EphemeralPaths::none();
    let n = 4 * super::ITEMS_PER_THREAD + 7;
    let name = |i: usize| format!("sg-{i:06}");
    let previous: Vec<Item> =
        (0..n).filter(|i| i % 3 != 0).map(|i| stored("us-east-1", &name(i), &json!({"v": i}), true, &paths)).collect();
    let items: Vec<SlurpedItem> = (0..n)
        .filter(|i| i % 5 != 0)
        .map(|i| seen("us-east-1", &name(i), json!({"v": if i % 7 == 0 { i + 1 } else { i }})))
        .collect();
    let d = run(&previous, items, vec![], &paths);
    let expected = |kind: ChangeKind| {
        (0..n)
            .filter(|i| match kind {
                ChangeKind::Created => i % 3 == 0 && i % 5 != 0,
                ChangeKind::Deleted => i % 3 != 0 && i % 5 == 0,
                ChangeKind::Changed => i % 3 != 0 && i % 5 != 0 && i % 7 == 0,
                ChangeKind::Ephemeral => false,
            })
            .map(name)
            .collect::<Vec<_>>()
    };
    for kind in [ChangeKind::Created, ChangeKind::Deleted, ChangeKind::Changed] {
        let mut got: Vec<String> =
            d.changeset.changes.iter().filter(|c| c.kind == kind).map(|c| c.key.name.to_string()).collect();
        got.sort();
        assert_eq!(got, expected(kind), "{kind:?}");
    }
    let unchanged = (0..n).filter(|i| i % 3 != 0 && i % 5 != 0 && i % 7 != 0).count();
    assert_eq!(d.unchanged, unchanged);
    // Changes come out in key order, whatever thread found them.
    let keys: Vec<&str> = d.changeset.changes.iter().map(|c| c.key.name.as_str()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}
