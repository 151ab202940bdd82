//! Checks of VPCs (`vpc`); the flow-log check also reads the account's flow logs (`flowlog`
//! support items).

mod flow_logs_disabled;

pub use flow_logs_disabled::VPC_FLOW_LOGS_DISABLED;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&VPC_FLOW_LOGS_DISABLED];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every VPC check.
#[derive(Debug, Default)]
pub struct VpcAuditor;

#[async_trait]
impl Auditor for VpcAuditor {
    fn technology(&self) -> &'static str {
        "vpc"
    }

    fn support(&self) -> &'static [&'static str] {
        &["flowlog"]
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&VPC_FLOW_LOGS_DISABLED) {
            findings.extend(flow_logs_disabled::check(item, ctx));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(VpcAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};
    use crate::testing::Fixture;
    use serde_json::Value;

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let vpcs = recording(include_str!("../../../testdata/estate/recording/111122223333/vpc.json"));
        let flow_logs = recording(include_str!("../../../testdata/estate/recording/111122223333/flowlog.json"));
        let support: Vec<(&'static str, &'static str, Value)> =
            flow_logs.into_iter().map(|(name, config)| ("flowlog", &*String::leak(name), config)).collect();
        for with_support in [false, true] {
            let fixture =
                || Fixture { support: if with_support { support.clone() } else { vec![] }, ..Default::default() };
            for (name, config) in &vpcs {
                let found = all_issues(&CHECKS, config, fixture);
                let cidr = config.get("CidrBlock").and_then(Value::as_str).unwrap_or_default();
                // The estate logs one VPC (10.20.0.0/16) to S3; the others have no flow log.
                let expected: Vec<&str> =
                    if cidr == "10.20.0.0/16" { vec![] } else { vec!["vpc-flow-logs-disabled Flow logs: [none] 5"] };
                assert_eq!(found, expected, "{name}");
            }
        }
    }
}
