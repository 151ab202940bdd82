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
//! The walk only reads an already canonical value: no allocation, no mutation.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// Statement keys whose value is a string or a set of strings.
const STRING_SETS: [&str; 4] = ["Action", "NotAction", "Resource", "NotResource"];
/// Statement keys whose value is an object of string sets (`{"AWS": [...]}`), or `"*"`.
const PRINCIPALS: [&str; 2] = ["Principal", "NotPrincipal"];

/// Puts `value` in canonical form in place (IAM policy spellings unified, encoded policies decoded).
///
/// Cheap on a value that is already canonical: it walks the tree and changes nothing.
pub fn canonicalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                canonicalize(child);
            }
            if map.contains_key("Statement") {
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
    for key in STRING_SETS {
        if let Some(value) = statement.get_mut(key) {
            string_set(value);
        }
    }
    for key in PRINCIPALS {
        if let Some(Value::Object(principal)) = statement.get_mut(key) {
            principal.values_mut().for_each(string_set);
        }
    }
    // Condition values are sets too: {"StringEquals": {"aws:SourceVpc": ["vpc-1"]}} ≡ "vpc-1".
    if let Some(Value::Object(condition)) = statement.get_mut("Condition") {
        for operator in condition.values_mut() {
            if let Value::Object(keys) = operator {
                keys.values_mut().for_each(string_set);
            }
        }
    }
}

/// Sorts and de-duplicates a list of strings (IAM reads it as a set), then collapses one element.
fn string_set(value: &mut Value) {
    if let Value::Array(items) = value
        && items.iter().all(Value::is_string)
    {
        // Checked first so a canonical list is only read.
        if !items.is_sorted_by(|a, b| a.as_str() <= b.as_str()) {
            items.sort_unstable_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
        items.dedup();
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
    // Both encodings keep the word "Statement" readable; testing it first keeps ordinary
    // strings (and JSON text that is no policy) from being parsed on every call.
    if !text.contains("Statement") {
        return None;
    }
    let trimmed = text.trim_start();
    let parsed: Value = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).ok()?
    } else if trimmed.as_bytes().get(..3).is_some_and(|start| start.eq_ignore_ascii_case(b"%7B")) {
        let decoded = percent_decode_str(trimmed).decode_utf8().ok()?;
        serde_json::from_str(&decoded).ok()?
    } else {
        return None;
    };
    let mut parsed = match parsed {
        Value::Object(map) if map.contains_key("Statement") => Value::Object(map),
        _ => return None,
    };
    canonicalize(&mut parsed);
    Some(parsed)
}
