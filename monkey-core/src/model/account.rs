//! Accounts: the AWS accounts monkey watches or knows about.

use crate::ModelError;
use serde::{Deserialize, Serialize};

/// The role monkey assumes in a watched account unless the account names another.
pub const DEFAULT_ROLE_NAME: &str = "SecurityMonkey";

const MAX_NAME_CHARS: usize = 50;
const MAX_NOTES_CHARS: usize = 256;

/// A 12-digit AWS account number, stored without hyphens.
///
/// Shared, not copied: every item key and issue key holds one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountNumber(std::sync::Arc<str>);

validated_text!(AccountNumber);

impl AccountNumber {
    /// Parses `1234-5678-9012` or `123456789012`: exactly 12 digits once hyphens are stripped.
    pub fn parse(input: &str) -> Result<Self, ModelError> {
        let digits: String = input.trim().chars().filter(|c| *c != '-').collect();
        let error = |reason| ModelError::AccountNumber { input: input.to_owned(), reason };
        if digits.is_empty() {
            return Err(error("it is empty"));
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(error("it must contain only digits (and optional hyphens)"));
        }
        if digits.len() != 12 {
            return Err(error("it must have exactly 12 digits"));
        }
        Ok(Self(digits.into()))
    }
}

/// An account's unique, human-chosen name: non-empty, at most 50 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountName(String);

validated_text!(AccountName);

impl AccountName {
    /// Validates a name: surrounding whitespace is dropped, the rest must be 1 to 50 characters.
    pub fn parse(input: &str) -> Result<Self, ModelError> {
        let name = input.trim();
        let error = |reason: &str| ModelError::Name {
            field: "account name",
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        if name.is_empty() {
            return Err(error("it is empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(error("it is longer than 50 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(error("it contains control characters"));
        }
        if name.contains(',') {
            return Err(error("it contains a comma, which separates names in account lists"));
        }
        Ok(Self(name.to_owned()))
    }
}

/// The cloud an account belongs to; only AWS for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum AccountKind {
    /// An Amazon Web Services account.
    #[default]
    Aws,
}

/// An account monkey watches (friendly) or knows about (third party).
///
/// Friendly = known and not third party; third party = known and marked so; any other
/// account number seen in a policy is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Unique name.
    pub name: AccountName,
    /// Unique 12-digit number.
    pub number: AccountNumber,
    /// The cloud.
    #[serde(default)]
    pub kind: AccountKind,
    /// The display name S3 grants show for this account (legacy ACL e-mail/name).
    #[serde(default)]
    pub s3_name: Option<String>,
    /// The S3 canonical user id of the account.
    #[serde(default)]
    pub canonical_id: Option<String>,
    /// The IAM role monkey assumes in this account.
    #[serde(default = "default_role_name")]
    pub role_name: String,
    /// The external id passed to `sts:AssumeRole`.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Free text, at most 256 characters.
    #[serde(default)]
    pub notes: String,
    /// Whether monkey watches this account.
    #[serde(default = "yes")]
    pub active: bool,
    /// A known account that is not ours (a vendor, a partner).
    #[serde(default)]
    pub third_party: bool,
}

fn default_role_name() -> String {
    DEFAULT_ROLE_NAME.to_owned()
}

fn yes() -> bool {
    true
}

impl Account {
    /// A friendly, active AWS account with the default role and no optional fields.
    pub fn new(name: AccountName, number: AccountNumber) -> Self {
        Self {
            name,
            number,
            kind: AccountKind::Aws,
            s3_name: None,
            canonical_id: None,
            role_name: default_role_name(),
            external_id: None,
            notes: String::new(),
            active: true,
            third_party: false,
        }
    }

    /// Checks the fields a struct literal could have set freely (notes, role name).
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.notes.chars().count() > MAX_NOTES_CHARS {
            return Err(ModelError::Field {
                field: "notes",
                input: self.notes.clone(),
                reason: "it is longer than 256 characters".into(),
            });
        }
        let role_ok = !self.role_name.is_empty()
            && self.role_name.len() <= 64
            && self.role_name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !role_ok {
            return Err(ModelError::Field {
                field: "role name",
                input: self.role_name.clone(),
                reason: "an IAM role name has 1 to 64 characters from A-Z a-z 0-9 and +=,.@_-".into(),
            });
        }
        Ok(())
    }

    /// The ARN of the role monkey assumes in this account.
    pub fn role_arn(&self) -> String {
        format!("arn:aws:iam::{}:role/{}", self.number, self.role_name)
    }

    /// Known and not third party.
    pub fn is_friendly(&self) -> bool {
        !self.third_party
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_are_twelve_digits_without_hyphens() {
        assert_eq!(AccountNumber::parse("1234-5678-9012").unwrap().as_str(), "123456789012");
        assert_eq!(AccountNumber::parse(" 123456789012 ").unwrap().as_str(), "123456789012");
        for bad in ["", "12345678901", "1234567890123", "12345678901a", "abc", "----"] {
            let err = AccountNumber::parse(bad).unwrap_err();
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn account_names_are_trimmed_and_bounded() {
        assert_eq!(AccountName::parse(" prod ").unwrap().as_str(), "prod");
        assert!(AccountName::parse("").is_err());
        assert!(AccountName::parse("   ").is_err());
        assert!(AccountName::parse(&"x".repeat(50)).is_ok());
        assert!(AccountName::parse(&"x".repeat(51)).is_err());
        assert!(AccountName::parse("a,b").is_err());
        assert!(AccountName::parse("a\nb").is_err());
    }

    #[test]
    fn deserialising_validates() {
        let bad = r#"{"name":"prod","number":"12"}"#;
        assert!(serde_json::from_str::<Account>(bad).is_err());
        let good = r#"{"name":"prod","number":"123456789012"}"#;
        let account: Account = serde_json::from_str(good).unwrap();
        assert_eq!(account.role_name, DEFAULT_ROLE_NAME);
        assert!(account.active);
        assert_eq!(account.role_arn(), "arn:aws:iam::123456789012:role/SecurityMonkey");
    }

    #[test]
    fn validate_checks_notes_and_role() {
        let mut account =
            Account::new(AccountName::parse("prod").unwrap(), AccountNumber::parse("123456789012").unwrap());
        assert!(account.validate().is_ok());
        account.role_name = "bad role".into();
        assert!(account.validate().is_err());
        account.role_name = "Monkey".into();
        account.notes = "n".repeat(257);
        assert!(account.validate().is_err());
    }
}
