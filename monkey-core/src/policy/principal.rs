//! The `Principal` / `NotPrincipal` element of a statement.

use std::borrow::Cow;
use std::fmt;
use std::ops::Index;

use smallvec::SmallVec;

use super::text::{OwnedText, TextList, owned_cow};

/// Who a resource policy statement applies to; `S` is the text type, as for
/// [`Policy`](super::Policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals<S = OwnedText> {
    /// `"Principal": "*"`: everyone, signed in or anonymous.
    Any,
    /// `"Principal": {"AWS": [...], "Service": ...}`, values as written.
    Kinds(PrincipalMap<S>),
}

/// The values of a principal object by kind, in kind order (`AWS`, `Service`, `Federated`,
/// `CanonicalUser`).
///
/// A map of at most four keys, nearly always one: kept inline, sorted, rather than in a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalMap<S = OwnedText> {
    entries: SmallVec<[(PrincipalKind, TextList<S>); 1]>,
}

impl<S> PrincipalMap<S> {
    /// An empty map.
    pub fn new() -> Self {
        PrincipalMap { entries: SmallVec::new() }
    }

    /// The values of `kind`, if the object names it.
    pub fn get(&self, kind: &PrincipalKind) -> Option<&TextList<S>> {
        self.entries.iter().find(|(entry, _)| entry == kind).map(|(_, values)| values)
    }

    /// Sets the values of `kind`, replacing any it had (as a repeated JSON key does).
    pub fn insert(&mut self, kind: PrincipalKind, values: TextList<S>) {
        match self.entries.binary_search_by_key(&kind, |(entry, _)| *entry) {
            Ok(at) => self.entries[at].1 = values,
            Err(at) => self.entries.insert(at, (kind, values)),
        }
    }

    /// The kinds and their values, in kind order.
    pub fn iter(&self) -> impl Iterator<Item = (&PrincipalKind, &TextList<S>)> {
        self.entries.iter().map(|(kind, values)| (kind, values))
    }

    /// How many kinds the object names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the object names no kind.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<S> Default for PrincipalMap<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Index<&PrincipalKind> for PrincipalMap<S> {
    type Output = [S];

    /// The values of `kind`; an empty list when the object does not name it.
    fn index(&self, kind: &PrincipalKind) -> &[S] {
        self.get(kind).map_or(&[], |values| values.as_slice())
    }
}

impl<S, V: Into<TextList<S>>> FromIterator<(PrincipalKind, V)> for PrincipalMap<S> {
    fn from_iter<I: IntoIterator<Item = (PrincipalKind, V)>>(entries: I) -> Self {
        let mut map = PrincipalMap::new();
        for (kind, values) in entries {
            map.insert(kind, values.into());
        }
        map
    }
}

impl<S: AsRef<str>> Principals<S> {
    /// Whether this names everyone: `"*"`, or `"*"` among the `AWS` values.
    pub fn is_any(&self) -> bool {
        match self {
            Self::Any => true,
            Self::Kinds(kinds) => {
                kinds.get(&PrincipalKind::Aws).is_some_and(|values| values.iter().any(|v| v.as_ref() == "*"))
            }
        }
    }
}

impl Principals {
    /// The same principals, their text owned by `Cow`s.
    pub(crate) fn into_cow<'a>(self) -> Principals<Cow<'a, str>> {
        match self {
            Self::Any => Principals::Any,
            Self::Kinds(kinds) => Principals::Kinds(PrincipalMap {
                entries: kinds
                    .entries
                    .into_iter()
                    .map(|(kind, values)| (kind, values.into_iter().map(owned_cow).collect()))
                    .collect(),
            }),
        }
    }
}

/// The key of a principal object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    /// `AWS`: accounts, IAM users and roles, sessions.
    Aws,
    /// `Service`: AWS service principals (`ec2.amazonaws.com`).
    Service,
    /// `Federated`: SAML and web-identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The key as written in a policy: `AWS`, `Service`, `Federated`, `CanonicalUser`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Service => "Service",
            Self::Federated => "Federated",
            Self::CanonicalUser => "CanonicalUser",
        }
    }

    /// The kind a principal key names.
    pub(crate) fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "AWS" => Self::Aws,
            "Service" => Self::Service,
            "Federated" => Self::Federated,
            "CanonicalUser" => Self::CanonicalUser,
            _ => return None,
        })
    }
}

impl fmt::Display for PrincipalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
