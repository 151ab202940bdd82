//! Users of the web UI and their mail subscriptions.

use super::AccountName;
use crate::ModelError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user may do; each role includes those below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Role {
    /// Read everything.
    #[default]
    View,
    /// Also comment on items and revisions.
    Comment,
    /// Also justify issues.
    Justify,
    /// Also manage accounts, users and settings.
    Admin,
}

impl FromStr for Role {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "view" => Ok(Self::View),
            "comment" => Ok(Self::Comment),
            "justify" => Ok(Self::Justify),
            "admin" => Ok(Self::Admin),
            _ => Err(ModelError::Role { input: s.to_owned() }),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::View => "View",
            Self::Comment => "Comment",
            Self::Justify => "Justify",
            Self::Admin => "Admin",
        })
    }
}

/// Which change mails a user gets for the accounts they subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChangeMails {
    /// Every change.
    All,
    /// Changes that carry issues.
    Issues,
    /// None.
    #[default]
    None,
}

/// A user's mail subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Subscriptions {
    /// The accounts whose changes and reports they get.
    pub accounts: Vec<AccountName>,
    /// Which change mails.
    pub change_mails: ChangeMails,
    /// Whether they get the daily report.
    pub daily_report: bool,
}

/// An API token of a user, for scripts: only a hash of its secret is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Public id, the token's prefix (`mk_<id>_...`).
    pub id: String,
    /// What it is for.
    pub name: String,
    /// BLAKE3 of the secret, in hex.
    pub secret_hash: String,
    /// When it was made.
    pub created_at: super::Timestamp,
}

/// A person who logs in to the web UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Unique e-mail address, lower-cased.
    pub email: String,
    /// An argon2 PHC string, or `None` for a user who cannot log in with a password.
    pub password_hash: Option<String>,
    /// What they may do.
    pub role: Role,
    /// Whether they may log in.
    pub active: bool,
    /// Their mail.
    #[serde(default)]
    pub subscriptions: Subscriptions,
    /// Their API tokens.
    #[serde(default)]
    pub api_tokens: Vec<ApiToken>,
}

impl User {
    /// A new active user; the e-mail must look like `local@domain`.
    pub fn new(email: &str, role: Role) -> Result<Self, ModelError> {
        let email = email.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !email.contains(char::is_whitespace)
            });
        if !valid {
            return Err(ModelError::Field {
                field: "e-mail",
                input: email,
                reason: "expected an address such as name@example.com".into(),
            });
        }
        Ok(Self {
            email,
            password_hash: None,
            role,
            active: true,
            subscriptions: Subscriptions::default(),
            api_tokens: Vec::new(),
        })
    }

    /// Whether this user may do what `needed` allows.
    pub fn can(&self, needed: Role) -> bool {
        self.active && self.role >= needed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_parsed() {
        assert!(Role::View < Role::Comment && Role::Comment < Role::Justify && Role::Justify < Role::Admin);
        assert_eq!("justify".parse::<Role>().unwrap(), Role::Justify);
        assert_eq!(" Admin ".parse::<Role>().unwrap(), Role::Admin);
        assert!("root".parse::<Role>().is_err());
        let user = User::new("Alice@Example.com", Role::Justify).unwrap();
        assert_eq!(user.email, "alice@example.com");
        assert!(user.can(Role::Comment));
        assert!(!user.can(Role::Admin));
        for bad in ["", "alice", "@x", "a@", "a b@c", "a@b@c"] {
            assert!(User::new(bad, Role::View).is_err(), "{bad}");
        }
    }
}
