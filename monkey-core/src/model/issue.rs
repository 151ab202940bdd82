//! Issues: what one check of an auditor found on one item, and its justification.

use super::{ItemKey, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of risk an issue reports (Security Monkey's categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Category {
    /// Reachable from anywhere on the internet.
    #[serde(rename = "Internet Accessible")]
    InternetAccessible,
    /// Accessible from another account of ours.
    #[serde(rename = "Friendly Cross Account")]
    FriendlyCrossAccount,
    /// Accessible from a known third-party account.
    #[serde(rename = "Thirdparty Cross Account")]
    ThirdpartyCrossAccount,
    /// Accessible from an account nobody registered.
    #[serde(rename = "Unknown Access")]
    UnknownAccess,
    /// Trusts the root of another account.
    #[serde(rename = "Cross-Account Root IAM")]
    CrossAccountRootIam,
    /// Grants administrator access.
    #[serde(rename = "Administrator Access")]
    AdministratorAccess,
    /// Grants permissions that can escalate or exfiltrate.
    #[serde(rename = "Sensitive Permissions")]
    SensitivePermissions,
    /// A policy written in a risky or confusing way.
    #[serde(rename = "Awkward Statement Construction")]
    AwkwardStatementConstruction,
    /// A setting that weakens security.
    #[serde(rename = "Insecure Configuration")]
    InsecureConfiguration,
    /// A best practice not followed.
    #[serde(rename = "Recommendation")]
    Recommendation,
    /// A credential or key older than allowed.
    #[serde(rename = "Needs Rotation")]
    NeedsRotation,
    /// A credential or permission nobody uses.
    #[serde(rename = "Unused Access")]
    UnusedAccess,
    /// Worth knowing, not a risk by itself.
    #[serde(rename = "Informational")]
    Informational,
    /// A policy or configuration that could not be parsed.
    #[serde(rename = "Parse Error")]
    ParseError,
    /// TLS settings that allow weak protocols or ciphers.
    #[serde(rename = "Insecure TLS")]
    InsecureTls,
}

impl Category {
    /// Every category, in the order Security Monkey lists them.
    pub const ALL: [Category; 15] = [
        Self::InternetAccessible,
        Self::FriendlyCrossAccount,
        Self::ThirdpartyCrossAccount,
        Self::UnknownAccess,
        Self::CrossAccountRootIam,
        Self::AdministratorAccess,
        Self::SensitivePermissions,
        Self::AwkwardStatementConstruction,
        Self::InsecureConfiguration,
        Self::Recommendation,
        Self::NeedsRotation,
        Self::UnusedAccess,
        Self::Informational,
        Self::ParseError,
        Self::InsecureTls,
    ];

    /// The category's display name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InternetAccessible => "Internet Accessible",
            Self::FriendlyCrossAccount => "Friendly Cross Account",
            Self::ThirdpartyCrossAccount => "Thirdparty Cross Account",
            Self::UnknownAccess => "Unknown Access",
            Self::CrossAccountRootIam => "Cross-Account Root IAM",
            Self::AdministratorAccess => "Administrator Access",
            Self::SensitivePermissions => "Sensitive Permissions",
            Self::AwkwardStatementConstruction => "Awkward Statement Construction",
            Self::InsecureConfiguration => "Insecure Configuration",
            Self::Recommendation => "Recommendation",
            Self::NeedsRotation => "Needs Rotation",
            Self::UnusedAccess => "Unused Access",
            Self::Informational => "Informational",
            Self::ParseError => "Parse Error",
            Self::InsecureTls => "Insecure TLS",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who accepted an issue's risk, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Justification {
    /// The user's e-mail.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// Why the risk is accepted.
    pub reason: String,
}

/// An issue's identity: the item, the check that found it and the check's notes
/// (which say what exactly, e.g. `tcp/22 from 0.0.0.0/0`).
///
/// Keyed this way an issue keeps its justification across revisions and audits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IssueKey {
    /// The item.
    pub item: ItemKey,
    /// The check's stable id, e.g. `s3-bucket-public-read`.
    pub check: String,
    /// What exactly the check found.
    pub notes: String,
}

/// One finding of one check on one item, kept over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Its identity.
    pub key: IssueKey,
    /// Its score (after overrides).
    pub score: u32,
    /// The kind of risk.
    pub category: Category,
    /// A sentence for people.
    pub message: String,
    /// Other items involved (e.g. the security group that opens an instance).
    #[serde(default)]
    pub links: Vec<ItemKey>,
    /// `true` once its check stopped finding it.
    pub fixed: bool,
    /// Accepted risk, if someone justified it.
    pub justification: Option<Justification>,
    /// When it was first found.
    pub first_seen: Timestamp,
    /// When it was last found (or fixed).
    pub last_seen: Timestamp,
}

impl Issue {
    /// Open (not fixed) and not justified.
    pub fn is_unjustified(&self) -> bool {
        !self.fixed && self.justification.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_serialise_as_their_display_names() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.as_str()));
            assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), category);
        }
    }
}
