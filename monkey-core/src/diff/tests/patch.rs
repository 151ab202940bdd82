//! JSON Patch operations: paths, order and application.

use serde_json::json;

use super::apply_patch;
use crate::diff::diff;

#[test]
fn pointer_tokens_are_escaped() {
    let old = json!({"a/b": {"~c": 1}});
    let new = json!({"a/b": {"~c": 2}});
    assert_eq!(diff(&old, &new).to_json_patch(), json!([{"op": "replace", "path": "/a~1b/~0c", "value": 2}]));
    assert_eq!(apply_patch(&old, &new), new);
}

#[test]
fn added_and_removed_keys() {
    let old = json!({"keep": 1, "drop": 2});
    let new = json!({"keep": 1, "add": [3]});
    assert_eq!(
        diff(&old, &new).to_json_patch(),
        json!([{"op": "add", "path": "/add", "value": [3]}, {"op": "remove", "path": "/drop"}])
    );
}

#[test]
fn list_edits_mixed_with_moves() {
    let old = json!([{"n": 1}, "gone", {"n": 2, "m": 1}, 7, {"n": 3}]);
    let new = json!([{"n": 3}, "new", {"n": 1}, {"n": 2, "m": 2}, 8, null]);
    assert_eq!(apply_patch(&old, &new), new);
}

#[test]
fn nested_changes_inside_moved_elements() {
    let old = json!({"l": [{"id": 1, "v": [1, 2]}, {"id": 2, "v": [3]}, {"id": 3, "v": []}]});
    let new = json!({"l": [{"id": 3, "v": [0]}, {"id": 1, "v": [2, 1, 9]}, {"id": 2, "v": [3]}]});
    assert_eq!(apply_patch(&old, &new), new);
}

#[test]
fn whole_array_emptied_and_filled() {
    assert_eq!(apply_patch(&json!([1, 2, 3]), &json!([])), json!([]));
    assert_eq!(apply_patch(&json!([]), &json!([1, [2], {"3": 3}])), json!([1, [2], {"3": 3}]));
}
