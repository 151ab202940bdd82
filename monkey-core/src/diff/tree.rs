//! The structural diff tree: which parts of two JSON values are the same, added, removed or changed.
//!
//! Nodes borrow from both values; an unchanged subtree is one `Same` reference, found by `==`
//! before descending, so equal parts cost one comparison and no allocation.

use serde_json::{Map, Value};

use crate::diff::pairing::{self, Partner};

/// How an old value became a new one.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    /// Equal values; holds the new one.
    Same(&'a Value),
    /// Different scalars or different types: the old value removed, the new one added.
    Replaced {
        /// The value before.
        old: &'a Value,
        /// The value after.
        new: &'a Value,
    },
    /// Two objects that differ.
    Object(ObjectDiff<'a>),
    /// Two arrays that differ, at least in order.
    Array(ArrayDiff<'a>),
}

/// Two objects compared key by key.
#[derive(Debug)]
pub(crate) struct ObjectDiff<'a> {
    /// Every key of either object, in key order.
    pub(crate) entries: Vec<(&'a str, Entry<'a>)>,
    /// False when the only differences are list orders further down.
    pub(crate) changed: bool,
}

/// One key of an object diff.
#[derive(Debug)]
pub(crate) enum Entry<'a> {
    /// In both objects.
    Both(Node<'a>),
    /// Only in the new object.
    Added(&'a Value),
    /// Only in the old object.
    Removed(&'a Value),
}

/// Two arrays compared element by element, after pairing.
#[derive(Debug)]
pub(crate) struct ArrayDiff<'a> {
    /// One item per new element, in new order.
    pub(crate) items: Vec<Item<'a>>,
    /// Old elements with no new partner, ascending by old index.
    pub(crate) removed: Vec<usize>,
    /// The old array, which `removed` and `Item::Paired::old` index.
    pub(crate) old: &'a [Value],
    /// False when the arrays hold the same elements in another order.
    pub(crate) changed: bool,
}

/// One new element of an array diff.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    /// Paired with the old element at index `old`.
    Paired {
        /// The old partner's index.
        old: usize,
        /// How the old partner became this element.
        node: Node<'a>,
    },
    /// Not paired with any old element.
    Added(&'a Value),
}

impl Node<'_> {
    /// True when something differs beyond list order.
    pub(crate) fn changed(&self) -> bool {
        match self {
            Node::Same(_) => false,
            Node::Replaced { .. } => true,
            Node::Object(object) => object.changed,
            Node::Array(array) => array.changed,
        }
    }
}

/// Compares `old` with `new`.
pub(crate) fn build<'a>(old: &'a Value, new: &'a Value) -> Node<'a> {
    if old == new { Node::Same(new) } else { unequal(old, new) }
}

/// Compares two values already known to differ.
fn unequal<'a>(old: &'a Value, new: &'a Value) -> Node<'a> {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => Node::Object(object(old, new)),
        (Value::Array(old), Value::Array(new)) => Node::Array(array(old, new)),
        _ => Node::Replaced { old, new },
    }
}

fn object<'a>(old: &'a Map<String, Value>, new: &'a Map<String, Value>) -> ObjectDiff<'a> {
    let mut entries = Vec::with_capacity(new.len());
    let mut changed = false;
    for (key, after) in new {
        let entry = match old.get(key) {
            Some(before) => {
                let node = build(before, after);
                changed |= node.changed();
                Entry::Both(node)
            }
            None => {
                changed = true;
                Entry::Added(after)
            }
        };
        entries.push((key.as_str(), entry));
    }
    let kept = entries.len();
    for (key, before) in old {
        if !new.contains_key(key) {
            changed = true;
            entries.push((key.as_str(), Entry::Removed(before)));
        }
    }
    if entries.len() > kept {
        // Removed keys shown in place rather than at the end; keys are unique, so the sort is total.
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
    ObjectDiff { entries, changed }
}

fn array<'a>(old: &'a [Value], new: &'a [Value]) -> ArrayDiff<'a> {
    let pairing = pairing::pair(old, new);
    let mut changed = !pairing.removed.is_empty();
    let items = pairing
        .partners
        .iter()
        .zip(new)
        .map(|(partner, after)| match *partner {
            Partner::Equal(i) => Item::Paired { old: i, node: Node::Same(after) },
            Partner::Similar(i) => {
                let node = unequal(&old[i], after);
                changed |= node.changed();
                Item::Paired { old: i, node }
            }
            Partner::Unpaired => {
                changed = true;
                Item::Added(after)
            }
        })
        .collect();
    ArrayDiff { items, removed: pairing.removed, old, changed }
}
