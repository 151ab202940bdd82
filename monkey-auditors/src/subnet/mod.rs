//! Checks of VPC subnets (`subnet`), over the DescribeSubnets shape.

mod public_ip_on_launch;

pub use public_ip_on_launch::SUBNET_PUBLIC_IP_ON_LAUNCH;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&SUBNET_PUBLIC_IP_ON_LAUNCH];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every subnet check.
#[derive(Debug, Default)]
pub struct SubnetAuditor;

#[async_trait]
impl Auditor for SubnetAuditor {
    fn technology(&self) -> &'static str {
        "subnet"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&SUBNET_PUBLIC_IP_ON_LAUNCH) {
            findings.extend(public_ip_on_launch::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(SubnetAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use serde_json::Value;

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let subnets = recording(include_str!("../../../testdata/estate/recording/111122223333/subnet.json"));
        for (name, config) in &subnets {
            let found = all_issues(&CHECKS, config, Default::default);
            let cidr = config.get("CidrBlock").and_then(Value::as_str).unwrap_or_default();
            // The estate's private subnet; the public one and the default VPC's subnets map public IPs.
            let expected: Vec<&str> = if cidr == "10.10.2.0/24" {
                vec![]
            } else {
                vec!["subnet-public-ip-on-launch MapPublicIpOnLaunch: [true] 3"]
            };
            assert_eq!(found, expected, "{name}");
        }
    }
}
