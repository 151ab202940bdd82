//! Checks of the account's EBS encryption-by-default setting (`ebsencryption`, one item per
//! region).

mod by_default_disabled;

pub use by_default_disabled::EBSENCRYPTION_BY_DEFAULT_DISABLED;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&EBSENCRYPTION_BY_DEFAULT_DISABLED];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every EBS encryption-by-default check.
#[derive(Debug, Default)]
pub struct EbsEncryptionAuditor;

#[async_trait]
impl Auditor for EbsEncryptionAuditor {
    fn technology(&self) -> &'static str {
        "ebsencryption"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&EBSENCRYPTION_BY_DEFAULT_DISABLED) {
            findings.extend(by_default_disabled::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(EbsEncryptionAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let settings = recording(include_str!("../../../testdata/estate/recording/111122223333/ebsencryption.json"));
        assert_eq!(settings.len(), 1);
        for (_, config) in &settings {
            assert_eq!(
                all_issues(&CHECKS, config, Default::default),
                vec!["ebsencryption-by-default-disabled EbsEncryptionByDefault: [false] 3"]
            );
        }
    }
}
