//! Audit settings: the score overrides and disabled checks in force during one audit.

use crate::auditor::Check;
use crate::model::{Account, ScoreOverride};
use std::collections::HashMap;

/// The score overrides of an audit, indexed by check id (then technology), so a lookup by a
/// check's `&'static str` id allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct AuditSettings {
    overrides: HashMap<String, Vec<ScoreOverride>>,
}

impl AuditSettings {
    /// Settings with these overrides (a later override of the same check replaces an earlier one).
    pub fn new(overrides: Vec<ScoreOverride>) -> Self {
        let mut by_check: HashMap<String, Vec<ScoreOverride>> = HashMap::new();
        for o in overrides {
            let same = by_check.entry(o.check.clone()).or_default();
            same.retain(|kept| kept.technology != o.technology);
            same.push(o);
        }
        Self { overrides: by_check }
    }

    /// Whether no override is in force: every check runs with its default score.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    #[inline]
    fn find(&self, check: &Check) -> Option<&ScoreOverride> {
        if self.overrides.is_empty() {
            return None;
        }
        self.overrides.get(check.id)?.iter().find(|o| o.technology.as_str() == check.technology)
    }

    /// Whether an override disables `check`.
    #[inline]
    pub fn is_disabled(&self, check: &Check) -> bool {
        self.find(check).is_some_and(|o| o.disabled)
    }

    /// The score of `check`'s issues on an item of `account`: the first matching account
    /// pattern, else the override's score, else the check's default.
    pub fn score(&self, check: &Check, account: Option<&Account>) -> u32 {
        match self.find(check) {
            Some(o) => match account {
                Some(account) => o.score_for(account),
                None => o.score,
            }
            .unwrap_or(check.default_score),
            None => check.default_score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auditor::CheckStatus;
    use crate::model::{AccountName, AccountNumber, Category, Technology};

    static CHECK: Check = Check {
        id: "s3-bucket-demo",
        technology: "s3",
        title: "S3BucketDemo",
        category: Category::Informational,
        default_score: 4,
        status: CheckStatus::Stable,
        docs: "",
    };

    #[test]
    fn overrides_replace_the_default_and_patterns_win() {
        let prod = Account::new(AccountName::parse("prod").unwrap(), AccountNumber::parse("111111111111").unwrap());
        let dev = Account::new(AccountName::parse("dev").unwrap(), AccountNumber::parse("222222222222").unwrap());
        assert_eq!(AuditSettings::default().score(&CHECK, Some(&prod)), 4);
        let settings = AuditSettings::new(vec![ScoreOverride {
            technology: Technology::parse("s3").unwrap(),
            check: CHECK.id.into(),
            score: Some(7),
            disabled: false,
            account_patterns: vec!["name.prod=9".parse().unwrap()],
        }]);
        assert_eq!(settings.score(&CHECK, Some(&prod)), 9);
        assert_eq!(settings.score(&CHECK, Some(&dev)), 7);
        assert_eq!(settings.score(&CHECK, None), 7);
        assert!(!settings.is_disabled(&CHECK));
        let off = AuditSettings::new(vec![ScoreOverride {
            technology: Technology::parse("s3").unwrap(),
            check: CHECK.id.into(),
            score: None,
            disabled: true,
            account_patterns: vec![],
        }]);
        assert!(off.is_disabled(&CHECK));
        assert_eq!(off.score(&CHECK, Some(&dev)), 4);
    }
}
