//! Pairing large lists: equal elements wherever they moved, changed ones with their old selves.

use serde_json::{Value, json};

use super::apply_patch;
use crate::diff::diff;

/// A security group rule, distinct for every `i`.
fn rule(i: usize) -> Value {
    json!({
        "IpProtocol": if i % 9 == 8 { "udp" } else { "tcp" },
        "FromPort": 1000 + i,
        "ToPort": 1000 + i,
        "IpRanges": [{"CidrIp": format!("10.{}.{}.0/24", i / 256, i % 256), "Description": format!("rule {i}")}],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
        "UserIdGroupPairs": []
    })
}

#[test]
fn reordered_large_list_with_a_few_changes() {
    let old_rules: Vec<Value> = (0..500).map(rule).collect();
    // Every rule moves (7 and 500 share no factor, so this is a permutation), and five change.
    let mut new_rules: Vec<Value> = (0..500).map(|k| old_rules[(k * 7 + 3) % 500].clone()).collect();
    let changed = [0, 120, 250, 377, 499];
    for &k in &changed {
        new_rules[k]["ToPort"] = json!(65535);
    }
    let old = json!({"GroupId": "sg-1", "IpPermissions": old_rules});
    let new = json!({"GroupId": "sg-1", "IpPermissions": new_rules});

    assert_eq!(apply_patch(&old, &new), new);
    let patch = diff(&old, &new).to_json_patch();
    let mut replaced = Vec::new();
    for op in patch.as_array().into_iter().flatten() {
        match op["op"].as_str() {
            // Reordering moves rules; it never removes and re-adds them.
            Some("move") => {}
            // A changed rule is paired with its old self: only its changed port is replaced.
            Some("replace") => replaced.push(op["path"].as_str().unwrap_or_default().to_owned()),
            other => panic!("unexpected {other:?} in {op}"),
        }
    }
    let expected: Vec<String> = changed.iter().map(|k| format!("/IpPermissions/{k}/ToPort")).collect();
    assert_eq!(replaced, expected);
}

#[test]
fn unchanged_large_list_in_a_new_order_is_no_change() {
    let old = Value::Array((0..500).map(rule).collect());
    let new = Value::Array((0..500).rev().map(rule).collect());
    let d = diff(&old, &new);
    assert!(d.is_empty());
    let patch = d.to_json_patch();
    assert!(patch.as_array().into_iter().flatten().all(|op| op["op"] == "move"));
    assert_eq!(apply_patch(&old, &new), new);
}
