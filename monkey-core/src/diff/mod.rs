//! Structural JSON diff of configurations, its canonical form and its renderers.
//!
//! Two configurations are compared as trees: objects key by key (key order never matters),
//! lists by pairing elements (list order never matters), scalars by value. Renderers turn the
//! tree into HTML (change e-mails, web UI), ANSI text (terminal), and an RFC 6902 JSON Patch;
//! [`unified`] gives a line diff of the pretty-printed documents.
//!
//! [`diff`] compares values as given: call [`canonicalize`] on both first (or use
//! [`diff_canonical`]) so that an IAM policy re-ordered or re-encoded by AWS is no change.
//!
//! ```
//! use monkey_core::diff::{canonicalize, diff};
//! use serde_json::json;
//!
//! let mut old = json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"]}]});
//! let mut new = json!({"Statement": {"Action": "s3:GetObject", "Effect": "Allow"}});
//! canonicalize(&mut old);
//! canonicalize(&mut new);
//! assert!(diff(&old, &new).is_empty());
//!
//! let changed = json!({"Statement": {"Action": "s3:*", "Effect": "Allow"}});
//! let d = diff(&new, &changed);
//! assert!(!d.is_empty());
//! assert_eq!(
//!     d.to_json_patch(),
//!     json!([{"op": "replace", "path": "/Statement/Action", "value": "s3:*"}])
//! );
//! ```

mod ansi;
mod canonical;
mod equal;
mod hash;
mod html;
mod lines;
mod pairing;
mod patch;
mod similarity;
mod tree;
mod unified;

#[cfg(test)]
mod tests;

use serde_json::Value;

pub use canonical::canonicalize;
pub use unified::unified;

/// The differences between two JSON values; borrows both, clones nothing.
#[derive(Debug)]
pub struct Diff<'a> {
    root: tree::Node<'a>,
}

impl Diff<'_> {
    /// True when the values are equal up to list order.
    ///
    /// A pure re-ordering of a list is no change here, yet [`Diff::to_json_patch`] still
    /// reproduces the new order, so the patch of an empty diff may hold `move` operations.
    pub fn is_empty(&self) -> bool {
        !self.root.changed()
    }

    /// Renders the whole new document as HTML lines: added green, removed red, unchanged plain.
    pub fn to_html(&self) -> String {
        html::render(&self.root)
    }

    /// Renders the whole new document for a terminal: `+` green, `-` red, unchanged plain.
    pub fn to_ansi(&self) -> String {
        ansi::render(&self.root)
    }

    /// An RFC 6902 JSON Patch (an array of operations) turning the old value into the new one.
    pub fn to_json_patch(&self) -> Value {
        patch::operations(&self.root)
    }
}

/// Compares two JSON values structurally, ignoring key order and list order.
///
/// Lists pair equal elements first, then each leftover new element with the most similar
/// leftover old element of the same type. Does not canonicalise: see [`diff_canonical`].
pub fn diff<'a>(old: &'a Value, new: &'a Value) -> Diff<'a> {
    Diff { root: tree::build(old, new) }
}

/// Canonical copies of two values, ready for [`diff`]: `let (o, n) = diff_canonical(a, b); diff(&o, &n)`.
pub fn diff_canonical(old: &Value, new: &Value) -> (Value, Value) {
    let mut old = old.clone();
    let mut new = new.clone();
    canonicalize(&mut old);
    canonicalize(&mut new);
    (old, new)
}
