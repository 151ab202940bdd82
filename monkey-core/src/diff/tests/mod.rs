//! Tests of the diff module, one file per part, plus property tests.

mod canonical;
mod equal;
mod pairing;
mod patch;
mod props;
mod render;
mod tree;

use serde_json::Value;

/// Applies `diff(old, new).to_json_patch()` to a copy of `old` with the json-patch crate.
fn apply_patch(old: &Value, new: &Value) -> Value {
    let ops = super::diff(old, new).to_json_patch();
    let patch: json_patch::Patch = serde_json::from_value(ops).unwrap();
    let mut doc = old.clone();
    json_patch::patch(&mut doc, &patch).unwrap();
    doc
}

/// Both values canonicalised, then compared.
fn canonical_diff_is_empty(a: &Value, b: &Value) -> bool {
    let (a, b) = super::diff_canonical(a, b);
    super::diff(&a, &b).is_empty()
}
