//! The structural diff tree: which parts of two JSON values are the same, added, removed or changed.
//!
//! Nodes borrow from both values; an unchanged subtree is one `Same` reference, so equal parts
//! cost one comparison and no allocation.

use serde_json::{Map, Value};

use crate::diff::equal::{equal, same_text};
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
///
/// Containers are descended rather than compared with `==` first, so each part of the values
/// is compared once, however deep the difference; an equal container allocates nothing.
pub(crate) fn build<'a>(old: &'a Value, new: &'a Value) -> Node<'a> {
    match (old, new) {
        (Value::Object(before), Value::Object(after)) => object(before, after, new),
        (Value::Array(before), Value::Array(after)) => array(before, after, new),
        _ if equal(old, new) => Node::Same(new),
        _ => Node::Replaced { old, new },
    }
}

fn object<'a>(old: &'a Map<String, Value>, new: &'a Map<String, Value>, whole: &'a Value) -> Node<'a> {
    // Both maps iterate in key order: walk them in step while nothing differs.
    let mut aligned = 0;
    let mut first_change = None;
    for ((old_key, before), (new_key, after)) in old.iter().zip(new) {
        if !same_text(old_key, new_key) {
            break;
        }
        let node = build(before, after);
        if !matches!(node, Node::Same(_)) {
            first_change = Some(node);
            break;
        }
        aligned += 1;
    }
    if first_change.is_none() && aligned == old.len() && aligned == new.len() {
        return Node::Same(whole);
    }
    // Something differs: list every key, the first `aligned` ones known to be the same. Both
    // maps iterate in key order, so one merging walk pairs their keys without a lookup and lists
    // the entries in key order.
    let mut entries = Vec::with_capacity(new.len().max(old.len()));
    let mut changed = false;
    let mut before = old.iter().skip(aligned).peekable();
    for (index, (key, after)) in new.iter().enumerate() {
        if index < aligned {
            entries.push((key.as_str(), Entry::Both(Node::Same(after))));
            continue;
        }
        if let Some(node) = first_change.take() {
            before.next();
            changed |= node.changed();
            entries.push((key.as_str(), Entry::Both(node)));
            continue;
        }
        while let Some((old_key, removed)) = before.next_if(|(old_key, _)| old_key.as_str() < key.as_str()) {
            changed = true;
            entries.push((old_key.as_str(), Entry::Removed(removed)));
        }
        let entry = match before.next_if(|(old_key, _)| same_text(old_key, key)) {
            Some((_, value)) => {
                let node = build(value, after);
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
    for (old_key, removed) in before {
        changed = true;
        entries.push((old_key.as_str(), Entry::Removed(removed)));
    }
    Node::Object(ObjectDiff { entries, changed })
}

fn array<'a>(old: &'a [Value], new: &'a [Value], whole: &'a Value) -> Node<'a> {
    let same_prefix = old.iter().zip(new).take_while(|(a, b)| equal(a, b)).count();
    if same_prefix == old.len() && same_prefix == new.len() {
        return Node::Same(whole);
    }
    let pairing = pairing::pair(old, new, same_prefix);
    let mut changed = !pairing.removed.is_empty();
    let items = pairing
        .partners
        .iter()
        .zip(new)
        .map(|(partner, after)| match *partner {
            Partner::Equal(i) => Item::Paired { old: i, node: Node::Same(after) },
            Partner::Similar(i) => {
                let node = build(&old[i], after);
                changed |= node.changed();
                Item::Paired { old: i, node }
            }
            Partner::Unpaired => {
                changed = true;
                Item::Added(after)
            }
        })
        .collect();
    Node::Array(ArrayDiff { items, removed: pairing.removed, old, changed })
}
