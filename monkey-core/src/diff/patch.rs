//! RFC 6902 JSON Patch from a diff tree: operations that turn the old value into the new one.
//!
//! The diff pairs list elements regardless of order, but the patch must rebuild the new order
//! exactly. For each list: unpaired old elements are removed (last first, so indices stay
//! valid); paired elements on a longest increasing run of new positions stay where they are,
//! the others are `move`d into place and new elements `add`ed, in new order; last, paired
//! elements that changed are patched in place at their new index. Only changed parts are
//! copied into the patch; an element that moved is moved, never removed and re-added.

use serde_json::{Map, Value};

use crate::diff::tree::{ArrayDiff, Entry, Item, Node};

/// No index.
const NONE: usize = usize::MAX;

/// The patch turning the old side of `root` into its new side, as a JSON array.
pub(crate) fn operations(root: &Node<'_>) -> Value {
    let mut ops = Vec::new();
    node(root, &mut String::new(), &mut ops);
    Value::Array(ops)
}

fn node(node: &Node<'_>, path: &mut String, ops: &mut Vec<Value>) {
    match node {
        Node::Same(_) => {}
        Node::Replaced { new, .. } => ops.push(operation("replace", path, Some(new))),
        Node::Object(object) => {
            let base = path.len();
            for (key, entry) in &object.entries {
                if let Entry::Both(Node::Same(_)) = entry {
                    continue;
                }
                push_token(path, key);
                match entry {
                    Entry::Both(child) => self::node(child, path, ops),
                    Entry::Added(value) => ops.push(operation("add", path, Some(value))),
                    Entry::Removed(_) => ops.push(operation("remove", path, None)),
                }
                path.truncate(base);
            }
        }
        Node::Array(array) => self::array(array, path, ops),
    }
}

fn array(array: &ArrayDiff<'_>, path: &mut String, ops: &mut Vec<Value>) {
    let base = path.len();
    for &index in array.removed.iter().rev() {
        push_index(path, index);
        ops.push(operation("remove", path, None));
        path.truncate(base);
    }
    reorder(array, path, ops);
    for (index, item) in array.items.iter().enumerate() {
        if let Item::Paired { node, .. } = item
            && !matches!(node, Node::Same(_))
        {
            push_index(path, index);
            self::node(node, path, ops);
            path.truncate(base);
        }
    }
}

/// Moves paired elements and adds new ones until the list has the new order.
fn reorder(array: &ArrayDiff<'_>, path: &mut String, ops: &mut Vec<Value>) {
    // The list after removals, as the new index each remaining old element goes to.
    let mut target_of_old = vec![NONE; array.old.len()];
    let mut added = false;
    for (index, item) in array.items.iter().enumerate() {
        match item {
            Item::Paired { old, .. } => {
                if let Some(target) = target_of_old.get_mut(*old) {
                    *target = index;
                }
            }
            Item::Added(_) => added = true,
        }
    }
    let mut working: Vec<usize> = target_of_old.into_iter().filter(|&t| t != NONE).collect();
    if !added && working.is_sorted() {
        return;
    }
    let kept = longest_increasing(&working, array.items.len());
    let base = path.len();
    for (index, item) in array.items.iter().enumerate() {
        match item {
            Item::Added(value) => {
                let to = after_previous(&working, index);
                working.insert(to, index);
                push_index(path, to);
                ops.push(operation("add", path, Some(value)));
                path.truncate(base);
            }
            Item::Paired { .. } if kept[index] => {}
            Item::Paired { .. } => {
                let from = position(&working, index);
                working.remove(from);
                let to = after_previous(&working, index);
                working.insert(to, index);
                if from != to {
                    let mut from_path = path.clone();
                    push_index(&mut from_path, from);
                    push_index(path, to);
                    ops.push(move_operation(&from_path, path));
                    path.truncate(base);
                }
            }
        }
    }
}

/// Where the element bound for new index `index` goes: right after the one bound for `index - 1`.
///
/// Elements placed so far keep the new relative order, and the ones not yet placed will be
/// moved away, so this is the element's final position relative to everything that stays.
fn after_previous(working: &[usize], index: usize) -> usize {
    match index.checked_sub(1) {
        Some(previous) => position(working, previous) + 1,
        None => 0,
    }
}

/// The current position of the element bound for new index `target`.
fn position(working: &[usize], target: usize) -> usize {
    // Mostly the list is in order up to here, so look at the same index first.
    if working.get(target) == Some(&target) {
        return target;
    }
    working.iter().position(|&t| t == target).unwrap_or(working.len().saturating_sub(1))
}

/// Marks (by new index) the elements of one longest increasing subsequence of `sequence`.
fn longest_increasing(sequence: &[usize], len: usize) -> Vec<bool> {
    // Patience sorting: `tails[k]` ends the best run of length k + 1 seen so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![NONE; sequence.len()];
    for (at, &value) in sequence.iter().enumerate() {
        let length = tails.partition_point(|&t| sequence[t] < value);
        if length > 0 {
            previous[at] = tails[length - 1];
        }
        if length == tails.len() {
            tails.push(at);
        } else {
            tails[length] = at;
        }
    }
    let mut kept = vec![false; len];
    let mut at = tails.last().copied().unwrap_or(NONE);
    while at != NONE {
        if let Some(slot) = kept.get_mut(sequence[at]) {
            *slot = true;
        }
        at = previous[at];
    }
    kept
}

fn operation(op: &str, path: &str, value: Option<&Value>) -> Value {
    let mut map = Map::new();
    map.insert("op".to_owned(), Value::from(op));
    map.insert("path".to_owned(), Value::from(path));
    if let Some(value) = value {
        map.insert("value".to_owned(), value.clone());
    }
    Value::Object(map)
}

fn move_operation(from: &str, path: &str) -> Value {
    let mut map = Map::new();
    map.insert("op".to_owned(), Value::from("move"));
    map.insert("from".to_owned(), Value::from(from));
    map.insert("path".to_owned(), Value::from(path));
    Value::Object(map)
}

/// Appends `/token` to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
pub(crate) fn push_token(path: &mut String, token: &str) {
    path.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        path.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

fn push_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(path, "/{index}");
}
