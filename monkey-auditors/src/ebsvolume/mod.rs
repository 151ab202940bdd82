//! Checks of EBS volumes (`ebsvolume`), over the DescribeVolumes shape.

mod unencrypted;

pub use unencrypted::EBSVOLUME_UNENCRYPTED;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&EBSVOLUME_UNENCRYPTED];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every volume check.
#[derive(Debug, Default)]
pub struct EbsVolumeAuditor;

#[async_trait]
impl Auditor for EbsVolumeAuditor {
    fn technology(&self) -> &'static str {
        "ebsvolume"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&EBSVOLUME_UNENCRYPTED) {
            findings.extend(unencrypted::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(EbsVolumeAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use serde_json::Value;

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let volumes = recording(include_str!("../../../testdata/estate/recording/111122223333/ebsvolume.json"));
        for (name, config) in &volumes {
            let found = all_issues(&CHECKS, config, Default::default);
            let expected: Vec<&str> = match config.get("Encrypted").and_then(Value::as_bool) {
                Some(false) => vec!["ebsvolume-unencrypted Encrypted: [false] 3"],
                _ => vec![],
            };
            assert_eq!(found, expected, "{name}");
        }
        // Two attached volumes, one unattached, all unencrypted; one encrypted.
        let flagged = volumes.iter().filter(|(_, c)| !all_issues(&CHECKS, c, Default::default).is_empty()).count();
        assert_eq!((flagged, volumes.len()), (3, 4));
    }
}
