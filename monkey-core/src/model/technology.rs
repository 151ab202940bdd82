//! Technologies: the index of a watcher (`securitygroup`, `s3`, `iamrole`, ...).

use crate::ModelError;

/// A watcher's index: 1 to 32 characters from `a-z 0-9 _ -`.
///
/// Shared, not copied: every item key and issue key holds one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Technology(std::sync::Arc<str>);

validated_text!(Technology);

impl Technology {
    /// Validates a technology index.
    pub fn parse(input: &str) -> Result<Self, ModelError> {
        let error = |reason| ModelError::Technology { input: input.to_owned(), reason };
        if input.is_empty() {
            return Err(error("it is empty"));
        }
        if input.len() > 32 {
            return Err(error("it is longer than 32 characters"));
        }
        if !input.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
            return Err(error("it may contain only a-z, 0-9, '_' and '-'"));
        }
        Ok(Self(input.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technologies_are_lowercase_indexes() {
        assert!(Technology::parse("securitygroup").is_ok());
        assert!(Technology::parse("iam_role-2").is_ok());
        for bad in ["", "S3", "sec group", &"a".repeat(33)] {
            assert!(Technology::parse(bad).is_err(), "{bad}");
        }
    }
}
