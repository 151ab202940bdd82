//! The canonical form of a configuration: what counts as "the same" before comparing or hashing.
//!
//! Object keys need no work: `serde_json::Map` is a `BTreeMap`, so keys are always sorted
//! (a unit test fails if serde_json's `preserve_order` feature is ever switched on).
//!
//! IAM policy documents (any object with a `Statement` key, anywhere in the tree) allow several
//! spellings of one meaning. The canonical direction is "collapse": a one-element list becomes
//! its single element, for `Statement` and for the string-set positions (`Action`, `NotAction`,
//! `Resource`, `NotResource`, each value of a `Principal` / `NotPrincipal` object and each
//! value of a `Condition` operator). Collapsing takes the element out of the list, so it never
//! allocates, and it keeps the form people write (`"Action": "s3:GetObject"`). Longer string
//! lists in those positions are sorted and de-duplicated in place: IAM reads them as sets.
//! Statement order is kept as written, so renderings follow the author's order; the diff
//! ignores list order anyway.
//!
//! A string holding a policy document, URL-encoded as IAM returns it (`%7B...`) or as plain
//! JSON text as S3 `GetBucketPolicy` returns it, is replaced by the parsed, canonical document.
//!
//! The walk only reads an already canonical value: no allocation, no mutation (the one
//! exception: a string that starts like JSON, mentions `Statement` and is no policy is parsed
//! each time to find that out).

use serde_json::{Map, Value};

/// Puts `value` in canonical form in place (IAM policy spellings unified, encoded policies decoded).
///
/// Cheap on a value that is already canonical: it walks the tree and changes nothing.
pub fn canonicalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let mut is_policy = false;
            for (key, child) in map.iter_mut() {
                is_policy |= key == "Statement";
                canonicalize(child);
            }
            if is_policy {
                policy(map);
            }
        }
        Value::Array(items) => {
            for item in items {
                canonicalize(item);
            }
        }
        Value::String(text) => {
            if let Some(document) = embedded_policy(text) {
                *value = document;
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Normalises the statements of one policy document.
fn policy(document: &mut Map<String, Value>) {
    let Some(statement) = document.get_mut("Statement") else {
        return;
    };
    collapse_single(statement);
    match statement {
        Value::Object(statement) => self::statement(statement),
        Value::Array(statements) => {
            for statement in statements {
                if let Value::Object(statement) = statement {
                    self::statement(statement);
                }
            }
        }
        _ => {}
    }
}

/// Normalises the string-set positions of one statement.
fn statement(statement: &mut Map<String, Value>) {
    // One pass over the statement's few keys rather than a lookup per known key.
    for (key, value) in statement.iter_mut() {
        match key.as_str() {
            "Action" | "NotAction" | "Resource" | "NotResource" => string_set(value),
            // {"AWS": ["arn"]} ≡ {"AWS": "arn"}; a `"*"` principal is left as it is.
            "Principal" | "NotPrincipal" => {
                if let Value::Object(principal) = value {
                    principal.values_mut().for_each(string_set);
                }
            }
            // Condition values are sets too: {"StringEquals": {"aws:SourceVpc": ["vpc-1"]}} ≡ "vpc-1".
            "Condition" => {
                if let Value::Object(condition) = value {
                    for operator in condition.values_mut() {
                        if let Value::Object(keys) = operator {
                            keys.values_mut().for_each(string_set);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Sorts and de-duplicates a list of strings (IAM reads it as a set), then collapses one element.
fn string_set(value: &mut Value) {
    if let Value::Array(items) = value
        && items.iter().all(Value::is_string)
    {
        // Strictly increasing means sorted without duplicates: a canonical list is read once.
        if !items.is_sorted_by(|a, b| a.as_str() < b.as_str()) {
            items.sort_unstable_by(|a, b| a.as_str().cmp(&b.as_str()));
            items.dedup();
        }
    }
    collapse_single(value);
}

/// Replaces a one-element list by its element, moving it out rather than cloning.
fn collapse_single(value: &mut Value) {
    if let Value::Array(items) = value
        && items.len() == 1
        && let Some(only) = items.pop()
    {
        *value = only;
    }
}

/// The canonical policy document a string holds, if it holds one.
fn embedded_policy(text: &str) -> Option<Value> {
    let mut parsed = Value::Object(crate::policy::decode_policy_text(text)?);
    canonicalize(&mut parsed);
    Some(parsed)
}
