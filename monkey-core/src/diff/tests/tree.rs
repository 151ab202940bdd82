//! The structural diff: what counts as a change, and how list elements pair.

use serde_json::{Map, Value, json};

use super::apply_patch;
use crate::diff::diff;

#[test]
fn equal_values_are_no_change() {
    let value = json!({"a": [1, {"b": null}], "c": "d"});
    let d = diff(&value, &value);
    assert!(d.is_empty());
    assert_eq!(d.to_json_patch(), json!([]));
}

#[test]
fn key_order_is_no_change() {
    let mut first = Map::new();
    first.insert("b".into(), json!(1));
    first.insert("a".into(), json!(2));
    let mut second = Map::new();
    second.insert("a".into(), json!(2));
    second.insert("b".into(), json!(1));
    let (first, second) = (Value::Object(first), Value::Object(second));
    assert!(diff(&first, &second).is_empty());
}

#[test]
fn list_reordering_is_no_change_but_the_patch_keeps_order() {
    let old = json!({"Rules": [{"Port": 22}, {"Port": 80}, {"Port": 443}, "x", 1]});
    let new = json!({"Rules": [1, {"Port": 443}, "x", {"Port": 22}, {"Port": 80}]});
    let d = diff(&old, &new);
    assert!(d.is_empty());
    assert!(!d.to_ansi().contains('+'));
    assert_eq!(apply_patch(&old, &new), new);
}

#[test]
fn a_moved_element_is_one_move() {
    let old = json!(["a", "b", "c", "d", "e"]);
    let new = json!(["b", "c", "d", "e", "a"]);
    assert_eq!(diff(&old, &new).to_json_patch(), json!([{"op": "move", "from": "/0", "path": "/4"}]));
}

#[test]
fn duplicates_count() {
    let old = json!([1, 1, 2]);
    let new = json!([1, 2]);
    let d = diff(&old, &new);
    assert!(!d.is_empty());
    assert_eq!(d.to_json_patch(), json!([{"op": "remove", "path": "/1"}]));
}

#[test]
fn pairing_picks_the_most_similar_element() {
    let old = json!({"Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::logs/*"},
        {"Sid": "Admin", "Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        {"Sid": "Write", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::logs/*"}
    ]});
    // "Write" changed its resource and moved first; "Read" changed one action.
    let new = json!({"Statement": [
        {"Sid": "Write", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::audit/*"},
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::logs/*"},
        {"Sid": "Admin", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}
    ]});
    let d = diff(&old, &new);
    let patch = d.to_json_patch();
    let ops = patch.as_array().unwrap();
    // Only the changed leaves are replaced: no statement removed or added whole.
    assert!(ops.iter().all(|op| op["op"] != "remove" && op["op"] != "add"), "{patch:#}");
    assert!(ops.contains(&json!({"op": "replace", "path": "/Statement/0/Resource", "value": "arn:aws:s3:::audit/*"})));
    assert!(ops.contains(&json!({"op": "replace", "path": "/Statement/1/Action/1", "value": "s3:GetObjectVersion"})));
    assert_eq!(apply_patch(&old, &new), new);

    let text = d.to_ansi();
    assert!(text.contains("- \u{1b}") || text.contains("\u{1b}[31m-"));
    assert!(text.contains("\"Resource\": \"arn:aws:s3:::logs/*\""));
    assert!(text.contains("\"Resource\": \"arn:aws:s3:::audit/*\""));
}

#[test]
fn different_types_do_not_pair() {
    let old = json!([{"a": 1}]);
    let new = json!(["a"]);
    let d = diff(&old, &new);
    assert_eq!(d.to_json_patch(), json!([{"op": "remove", "path": "/0"}, {"op": "add", "path": "/0", "value": "a"}]));
}

#[test]
fn objects_with_nothing_in_common_do_not_pair() {
    let old = json!([{"a": 1}]);
    let new = json!([{"b": 2}]);
    let ops = diff(&old, &new).to_json_patch();
    assert_eq!(ops, json!([{"op": "remove", "path": "/0"}, {"op": "add", "path": "/0", "value": {"b": 2}}]));
}

#[test]
fn type_change_replaces_the_value() {
    let old = json!({"Policy": {"Statement": []}});
    let new = json!({"Policy": "none"});
    let d = diff(&old, &new);
    assert!(!d.is_empty());
    assert_eq!(d.to_json_patch(), json!([{"op": "replace", "path": "/Policy", "value": "none"}]));
    let text = d.to_ansi();
    assert!(text.contains("\u{1b}[31m-     \"Policy\": {"), "{text}");
    assert!(text.contains("\u{1b}[32m+     \"Policy\": \"none\""), "{text}");
}

#[test]
fn empty_objects() {
    assert!(diff(&json!({}), &json!({})).is_empty());
    let (empty, nested) = (json!({}), json!({"a": {}}));
    let d = diff(&empty, &nested);
    assert!(!d.is_empty());
    assert_eq!(d.to_json_patch(), json!([{"op": "add", "path": "/a", "value": {}}]));
    let list = json!({"a": []});
    let d = diff(&nested, &list);
    assert_eq!(d.to_json_patch(), json!([{"op": "replace", "path": "/a", "value": []}]));
    assert_eq!(apply_patch(&json!([{}, {"x": 1}]), &json!([{"x": 1}])), json!([{"x": 1}]));
}

#[test]
fn root_scalar_change() {
    let (old, new) = (json!(1), json!("one"));
    let d = diff(&old, &new);
    assert_eq!(d.to_json_patch(), json!([{"op": "replace", "path": "", "value": "one"}]));
}

#[test]
fn a_changed_scalar_in_a_list_is_replaced_where_it_is() {
    let old = json!(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    let new = json!(["s3:GetObject", "s3:ListAllMyBuckets", "s3:PutObject"]);
    let d = diff(&old, &new);
    assert_eq!(d.to_json_patch(), json!([{"op": "replace", "path": "/1", "value": "s3:ListAllMyBuckets"}]));
    let text = d.to_ansi();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "\u{1b}[31m-     \"s3:ListBucket\",\u{1b}[0m");
    assert_eq!(lines[3], "\u{1b}[32m+     \"s3:ListAllMyBuckets\",\u{1b}[0m");
}

#[test]
fn large_lists_pair_by_hash() {
    let old: Vec<Value> = (0..500).map(|i| json!({"id": i, "v": [i, i + 1]})).collect();
    let mut new = old.clone();
    new.reverse();
    new[10] = json!({"id": 10_000, "v": [1]});
    new.push(json!("tail"));
    let (old, new) = (Value::Array(old), Value::Array(new));
    assert!(!diff(&old, &new).is_empty());
    assert_eq!(apply_patch(&old, &new), new);
}

#[test]
fn many_leftovers_pair_without_scoring() {
    let old: Vec<Value> = (0..300).map(|i| json!({"id": i})).collect();
    let new: Vec<Value> = (0..300).map(|i| json!({"id": i, "x": true})).collect();
    let (old, new) = (Value::Array(old), Value::Array(new));
    assert_eq!(apply_patch(&old, &new), new);
}
