//! The ignore list: name prefixes a watcher skips for a technology.

use super::Technology;
use crate::ModelError;
use serde::{Deserialize, Serialize};

/// Items of `technology` whose name starts with `prefix` (case-insensitive) are not watched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoreEntry {
    /// The technology it applies to.
    pub technology: Technology,
    /// The name prefix, compared case-insensitively.
    pub prefix: String,
    /// Why it is ignored.
    #[serde(default)]
    pub notes: String,
}

impl IgnoreEntry {
    /// A new entry; the prefix must not be empty (that would ignore everything).
    pub fn new(
        technology: Technology,
        prefix: impl Into<String>,
        notes: impl Into<String>,
    ) -> Result<Self, ModelError> {
        let prefix = prefix.into();
        if prefix.is_empty() {
            return Err(ModelError::Field {
                field: "ignore prefix",
                input: prefix,
                reason: "it is empty, which would ignore every item".into(),
            });
        }
        Ok(Self { technology, prefix, notes: notes.into() })
    }

    /// Whether this entry ignores an item of its technology named `name`.
    pub fn matches(&self, name: &str) -> bool {
        let mut name = name.chars().flat_map(char::to_lowercase);
        self.prefix.chars().flat_map(char::to_lowercase).all(|p| name.next() == Some(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_case_insensitively() {
        let entry = IgnoreEntry::new(Technology::parse("s3").unwrap(), "Logs-", "").unwrap();
        assert!(entry.matches("logs-2024"));
        assert!(entry.matches("LOGS-x"));
        assert!(!entry.matches("mylogs-"));
        assert!(!entry.matches("log"));
        let unicode = IgnoreEntry::new(Technology::parse("s3").unwrap(), "ÉTÉ", "").unwrap();
        assert!(unicode.matches("été-bucket"));
        assert!(IgnoreEntry::new(Technology::parse("s3").unwrap(), "", "").is_err());
    }
}
