//! The text a parsed policy holds: copied out of its JSON document, or borrowed from it.

use std::borrow::Cow;
use std::fmt;

/// The text type of a parsed policy.
///
/// `String` (the default, [`Policy::parse`](super::Policy::parse)) copies every string out of
/// the document, so the policy outlives it. `Cow<'a, str>`
/// ([`Policy::parse_borrowed`](super::Policy::parse_borrowed)) borrows them from the document
/// and owns only what it spells differently (lower-cased condition keys, numbers as text): an
/// auditor that reads a policy on every audit allocates almost nothing for it.
pub trait PolicyText: AsRef<str> + Clone + Ord + fmt::Debug {
    /// Text that lives as long as the program (`"*"`, `"true"`).
    fn from_static(text: &'static str) -> Self;
}

impl PolicyText for String {
    fn from_static(text: &'static str) -> Self {
        text.to_owned()
    }
}

impl PolicyText for Cow<'_, str> {
    fn from_static(text: &'static str) -> Self {
        Cow::Borrowed(text)
    }
}
