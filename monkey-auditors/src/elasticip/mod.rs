//! Checks of Elastic IP addresses (`elasticip`), over the DescribeAddresses shape.

mod unassociated;

pub use unassociated::ELASTICIP_UNASSOCIATED;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&ELASTICIP_UNASSOCIATED];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every Elastic IP check.
#[derive(Debug, Default)]
pub struct ElasticIpAuditor;

#[async_trait]
impl Auditor for ElasticIpAuditor {
    fn technology(&self) -> &'static str {
        "elasticip"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&ELASTICIP_UNASSOCIATED) {
            findings.extend(unassociated::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(ElasticIpAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let addresses = recording(include_str!("../../../testdata/estate/recording/111122223333/elasticip.json"));
        for (_, config) in &addresses {
            // The estate allocates one address and never associates it.
            assert_eq!(
                all_issues(&CHECKS, config, Default::default),
                vec!["elasticip-unassociated Association: [none] 1"]
            );
        }
    }
}
