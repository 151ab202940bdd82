//! The text a parsed policy holds: copied out of its JSON document, or borrowed from it.

use std::borrow::Cow;
use std::fmt;

use compact_str::CompactString;
use smallvec::SmallVec;

/// The text of a policy that owns it ([`Policy::parse`](super::Policy::parse)): strings of up to
/// 24 bytes (actions, condition keys, account ids, short ARNs) are kept inline, the
/// rest on the heap, so a policy costs an allocation for few of its strings rather than each.
pub type OwnedText = CompactString;

/// A list of a policy's strings (actions, resources, principals, condition values): most hold
/// one, kept inline rather than in an allocation of its own.
pub type TextList<S> = SmallVec<[S; 1]>;

/// The text type of a parsed policy.
///
/// [`OwnedText`] (the default, [`Policy::parse`](super::Policy::parse)) copies every string out
/// of the document, so the policy outlives it. `Cow<'a, str>`
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

impl PolicyText for CompactString {
    fn from_static(text: &'static str) -> Self {
        CompactString::const_new(text)
    }
}

/// Owned text as a `Cow`, for a policy decoded from a string that must own its text.
pub(crate) fn owned_cow<'a>(text: OwnedText) -> Cow<'a, str> {
    Cow::Owned(text.into_string())
}
