//! The `Principal` / `NotPrincipal` element of a statement.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Who a resource policy statement applies to; `S` is the text type, as for
/// [`Policy`](super::Policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals<S = String> {
    /// `"Principal": "*"`: everyone, signed in or anonymous.
    Any,
    /// `"Principal": {"AWS": [...], "Service": ...}`, values as written.
    Kinds(BTreeMap<PrincipalKind, Vec<S>>),
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
            Self::Kinds(kinds) => Principals::Kinds(
                kinds.into_iter().map(|(kind, values)| (kind, values.into_iter().map(Cow::Owned).collect())).collect(),
            ),
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
