//! How alike two JSON values of the same type are, to pair changed list elements.
//!
//! Security Monkey used the Levenshtein distance of the string forms, quadratic in their
//! length. Here objects and arrays are compared by their leaves: each leaf is the hash of its
//! path of keys (array positions left out, since order has no meaning) and its scalar value,
//! and similarity is the Jaccard ratio `shared / (all distinct of both)` of the two leaf
//! multisets, computed by merging sorted hash lists: linear in the values' sizes. Strings are
//! compared by their common prefix and suffix, other scalars are all equally alike.

use std::cmp::Ordering;

use serde_json::Value;

use crate::diff::hash;

/// What a value is compared by, computed once per list element.
pub(crate) enum Profile<'a> {
    /// Sorted leaf hashes of an object.
    Object(Vec<u64>),
    /// Sorted leaf hashes of an array.
    Array(Vec<u64>),
    /// A string.
    Text(&'a str),
    /// A number, boolean or null: any two of one kind are equally alike.
    Other(u8),
}

/// How alike two values are: `shared` out of `total`, compared as a ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Score {
    shared: u64,
    total: u64,
}

impl Score {
    /// True when pairing the two values says more than showing one removed and one added.
    pub(crate) fn worth_pairing(self) -> bool {
        self.shared > 0
    }

    /// Orders scores by their ratio, without floating point.
    pub(crate) fn ratio_cmp(self, other: Score) -> Ordering {
        let a = u128::from(self.shared) * u128::from(other.total.max(1));
        let b = u128::from(other.shared) * u128::from(self.total.max(1));
        a.cmp(&b)
    }
}

impl<'a> Profile<'a> {
    /// The profile of one value.
    pub(crate) fn of(value: &'a Value) -> Self {
        match value {
            Value::Object(_) => Profile::Object(leaves(value)),
            Value::Array(_) => Profile::Array(leaves(value)),
            Value::String(s) => Profile::Text(s),
            Value::Null => Profile::Other(0),
            Value::Bool(_) => Profile::Other(1),
            Value::Number(_) => Profile::Other(2),
        }
    }

    /// How alike two values of the same type are; `None` for different types.
    pub(crate) fn score(&self, other: &Profile<'_>) -> Option<Score> {
        match (self, other) {
            (Profile::Object(a), Profile::Object(b)) | (Profile::Array(a), Profile::Array(b)) => {
                let shared = shared_sorted(a, b);
                let total = (a.len() + b.len()) as u64 - shared;
                Some(Score { shared, total })
            }
            (Profile::Text(a), Profile::Text(b)) => Some(text_score(a, b)),
            // Scalars are shown removed-then-added whatever their pairing, so any partner does.
            (Profile::Other(a), Profile::Other(b)) if a == b => Some(Score { shared: 1, total: 1 }),
            _ => None,
        }
    }
}

/// The common prefix and suffix of two strings, out of their combined distinct length.
fn text_score(a: &str, b: &str) -> Score {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let limit = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(limit).take_while(|(x, y)| x == y).count();
    let shared = (prefix + suffix) as u64;
    // Strings are always worth pairing: shown removed-then-added either way.
    Score { shared: shared + 1, total: (a.len() + b.len()) as u64 - shared + 1 }
}

/// Sorted hashes of every (path of keys, scalar) leaf of a value.
fn leaves(value: &Value) -> Vec<u64> {
    let mut out = Vec::with_capacity(16);
    collect(value, 0, &mut out);
    out.sort_unstable();
    out
}

fn collect(value: &Value, path: u64, out: &mut Vec<u64>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                collect(child, hash::text(path, key), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let path = hash::mix(path, 0xa5a5);
            for item in items {
                collect(item, path, out);
            }
        }
        // Scalars and empty containers are leaves; only equality of leaf hashes counts, so
        // they need no finishing.
        leaf => out.push(hash::mix(path, hash::scalar(leaf))),
    }
}

/// The size of the multiset intersection of two sorted lists.
fn shared_sorted(a: &[u64], b: &[u64]) -> u64 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}
