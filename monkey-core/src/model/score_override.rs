//! Score overrides: a check's score changed or disabled, for all accounts or some.

use super::{Account, Technology};
use crate::ModelError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An account field a score pattern can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountField {
    /// The account's name.
    Name,
    /// The account's number.
    Number,
    /// The account's notes.
    Notes,
    /// `true` or `false`.
    ThirdParty,
    /// `true` or `false`.
    Active,
    /// The account's `s3_name`.
    S3Name,
    /// The role monkey assumes.
    RoleName,
}

impl AccountField {
    /// The field's value in `account`, as text.
    pub fn value(self, account: &Account) -> String {
        match self {
            Self::Name => account.name.to_string(),
            Self::Number => account.number.to_string(),
            Self::Notes => account.notes.clone(),
            Self::ThirdParty => account.third_party.to_string(),
            Self::Active => account.active.to_string(),
            Self::S3Name => account.s3_name.clone().unwrap_or_default(),
            Self::RoleName => account.role_name.clone(),
        }
    }
}

impl FromStr for AccountField {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "name" => Self::Name,
            "number" | "identifier" | "id" => Self::Number,
            "notes" => Self::Notes,
            "third_party" | "thirdparty" => Self::ThirdParty,
            "active" => Self::Active,
            "s3_name" => Self::S3Name,
            "role_name" => Self::RoleName,
            _ => {
                return Err(ModelError::Field {
                    field: "account field",
                    input: s.to_owned(),
                    reason: "expected one of name, number, notes, third_party, active, s3_name, role_name".into(),
                });
            }
        })
    }
}

impl fmt::Display for AccountField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "name",
            Self::Number => "number",
            Self::Notes => "notes",
            Self::ThirdParty => "third_party",
            Self::Active => "active",
            Self::S3Name => "s3_name",
            Self::RoleName => "role_name",
        })
    }
}

/// "For accounts whose `field` equals `value`, the check scores `score`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPattern {
    /// The field tested.
    pub field: AccountField,
    /// The value it must equal; `*` at the end matches any suffix.
    pub value: String,
    /// The score for matching accounts.
    pub score: u32,
}

impl AccountPattern {
    /// Whether `account` matches.
    pub fn matches(&self, account: &Account) -> bool {
        let actual = self.field.value(account);
        match self.value.strip_suffix('*') {
            Some(prefix) => actual.starts_with(prefix),
            None => actual == self.value,
        }
    }
}

impl FromStr for AccountPattern {
    type Err = ModelError;

    /// Parses `field.value=score`, e.g. `name.prod=10` (Security Monkey's `-p` syntax
    /// `type.field.value=score` is accepted too, `type` being `aws`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| ModelError::Field {
            field: "account pattern",
            input: s.to_owned(),
            reason: reason.to_owned(),
        };
        let (lhs, score) = s.rsplit_once('=').ok_or_else(|| error("expected field.value=score"))?;
        let score = score.trim().parse::<u32>().map_err(|_| error("the score after '=' is not a whole number"))?;
        let lhs = lhs.strip_prefix("aws.").or_else(|| lhs.strip_prefix("AWS.")).unwrap_or(lhs);
        let (field, value) = lhs.split_once('.').ok_or_else(|| error("expected field.value=score"))?;
        if value.is_empty() {
            return Err(error("the value is empty"));
        }
        Ok(Self { field: field.parse()?, value: value.to_owned(), score })
    }
}

/// A change to one check's score for one technology: a new default, per-account patterns,
/// or disabled altogether.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreOverride {
    /// The technology.
    pub technology: Technology,
    /// The check's id.
    pub check: String,
    /// The score for accounts no pattern matches; `None` keeps the check's default.
    pub score: Option<u32>,
    /// A disabled check does not run, and its open issues become fixed.
    pub disabled: bool,
    /// Per-account scores; the first match wins.
    #[serde(default)]
    pub account_patterns: Vec<AccountPattern>,
}

impl ScoreOverride {
    /// The score this override gives `account`, or `None` to keep the check's default.
    pub fn score_for(&self, account: &Account) -> Option<u32> {
        self.account_patterns.iter().find(|p| p.matches(account)).map(|p| p.score).or(self.score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountName, AccountNumber};

    #[test]
    fn patterns_parse_and_match() {
        let mut account =
            Account::new(AccountName::parse("prod-eu").unwrap(), AccountNumber::parse("123456789012").unwrap());
        let pattern: AccountPattern = "name.prod*=10".parse().unwrap();
        assert!(pattern.matches(&account));
        let legacy: AccountPattern = "aws.third_party.true=1".parse().unwrap();
        assert!(!legacy.matches(&account));
        account.third_party = true;
        assert!(legacy.matches(&account));
        for bad in ["name.prod", "name=3", "colour.red=3", "name.x=high", "name.=2"] {
            assert!(bad.parse::<AccountPattern>().is_err(), "{bad}");
        }
        let over = ScoreOverride {
            technology: Technology::parse("s3").unwrap(),
            check: "s3-bucket-public-read".into(),
            score: Some(5),
            disabled: false,
            account_patterns: vec![legacy, pattern],
        };
        assert_eq!(over.score_for(&account), Some(1));
        account.third_party = false;
        assert_eq!(over.score_for(&account), Some(10));
        account.name = AccountName::parse("dev").unwrap();
        assert_eq!(over.score_for(&account), Some(5));
    }
}
