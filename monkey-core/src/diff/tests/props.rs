//! Property tests: the patch rebuilds the new value; equal or re-spelled values are no change.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{apply_patch, canonical_diff_is_empty};
use crate::diff::diff;
use crate::diff::equal::equal;

/// Scalars from small pools, so generated values often share parts (and list elements repeat).
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..4).prop_map(Value::from),
        prop::sample::select(vec![0.5, -0.0, 1e300]).prop_map(Value::from),
        prop::sample::select(vec!["a", "b", "s3:GetObject", "x/y", "~0", "<b>", ""]).prop_map(Value::from),
        "\\PC{0,6}".prop_map(Value::from),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(vec!["a", "b", "c", "a/b", "~", "~1", ""]).prop_map(String::from), "[a-z]{1,3}",]
}

/// Arbitrary JSON, nested at most four levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A value and an edited copy: elements dropped, duplicated, replaced and shuffled.
fn edited_pair() -> impl Strategy<Value = (Value, Value)> {
    (json_value(), json_value(), any::<u64>()).prop_map(|(old, other, seed)| {
        let new = edit(&old, &other, seed);
        (old, new)
    })
}

fn edit(value: &Value, other: &Value, seed: u64) -> Value {
    let next = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    match value {
        Value::Array(items) => {
            let mut items: Vec<Value> =
                items.iter().enumerate().map(|(i, item)| edit(item, other, next.rotate_left(i as u32))).collect();
            match next % 5 {
                0 if !items.is_empty() => {
                    items.remove((next as usize / 5) % items.len());
                }
                1 => items.insert(0, other.clone()),
                2 => items.reverse(),
                3 if items.len() > 1 => items.rotate_left(1),
                _ => {}
            }
            Value::Array(items)
        }
        Value::Object(map) => {
            let mut map: Map<String, Value> = map
                .iter()
                .enumerate()
                .map(|(i, (k, v))| (k.clone(), edit(v, other, next.rotate_left(i as u32 + 7))))
                .collect();
            if next.is_multiple_of(7) {
                map.insert("added".into(), other.clone());
            }
            Value::Object(map)
        }
        _ if next.is_multiple_of(6) => other.clone(),
        scalar => scalar.clone(),
    }
}

/// One IAM statement with list or single-string spellings.
fn statement() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["Allow", "Deny"]),
        prop::collection::vec(
            prop::sample::select(vec!["s3:GetObject", "s3:PutObject", "iam:PassRole", "ec2:*"]),
            1..4,
        ),
        prop::collection::vec(prop::sample::select(vec!["*", "arn:aws:s3:::b/*", "arn:aws:iam::1:role/r"]), 1..3),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["arn:aws:iam::1:root", "arn:aws:iam::2:root"]),
            1..3,
        )),
    )
        .prop_map(|(effect, actions, resources, principals)| {
            let mut statement = json!({"Effect": effect, "Action": actions, "Resource": resources});
            if let Some(principals) = principals {
                statement["Principal"] = json!({"AWS": principals});
            }
            statement
        })
}

/// The same policy spelled differently: lists reversed, one-element lists collapsed or
/// not, statements rotated, and the document itself as JSON text or URL-encoded.
fn respell(policy: &Value, seed: u64) -> Value {
    fn lists(value: &Value, seed: u64) -> Value {
        match value {
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let mut items = items.clone();
                items.reverse();
                if items.len() == 1 && seed.is_multiple_of(2) { items.remove(0) } else { Value::Array(items) }
            }
            Value::Array(items) => {
                let mut items: Vec<Value> = items.iter().map(|v| lists(v, seed >> 1)).collect();
                if !items.is_empty() {
                    let by = seed as usize % items.len();
                    items.rotate_left(by);
                }
                Value::Array(items)
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), lists(v, seed.rotate_left(3)))).collect())
            }
            other => other.clone(),
        }
    }
    let respelled = lists(policy, seed);
    match seed % 3 {
        0 => respelled,
        1 => Value::from(respelled.to_string()),
        _ => Value::from(
            percent_encoding::utf8_percent_encode(&respelled.to_string(), percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn patch_rebuilds_new_from_unrelated_values(old in json_value(), new in json_value()) {
        prop_assert_eq!(apply_patch(&old, &new), new);
    }

    #[test]
    fn patch_rebuilds_new_from_edited_values((old, new) in edited_pair()) {
        prop_assert_eq!(apply_patch(&old, &new), new);
    }

    #[test]
    fn structural_equality_is_eq((old, new) in edited_pair(), other in json_value()) {
        prop_assert_eq!(equal(&old, &new), old == new);
        prop_assert_eq!(equal(&old, &other), old == other);
        prop_assert!(equal(&new, &new.clone()));
    }

    #[test]
    fn a_value_against_itself_is_no_change(value in json_value()) {
        let d = diff(&value, &value);
        prop_assert!(d.is_empty());
        prop_assert_eq!(d.to_json_patch(), json!([]));
    }

    #[test]
    fn respelled_policy_is_no_change(
        statements in prop::collection::vec(statement(), 1..5),
        seed in any::<u64>(),
    ) {
        let policy = json!({"Version": "2012-10-17", "Statement": statements});
        let role = json!({"RoleName": "r", "AssumeRolePolicyDocument": policy});
        let respelled = json!({"AssumeRolePolicyDocument": respell(&policy, seed), "RoleName": "r"});
        prop_assert!(canonical_diff_is_empty(&role, &respelled));
    }
}
