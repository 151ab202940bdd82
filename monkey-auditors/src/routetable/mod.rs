//! Checks of VPC route tables (`routetable`), over the DescribeRouteTables shape.

mod peering_route_to_world;

pub use peering_route_to_world::ROUTETABLE_PEERING_ROUTE_TO_WORLD;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&ROUTETABLE_PEERING_ROUTE_TO_WORLD];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every route-table check.
#[derive(Debug, Default)]
pub struct RouteTableAuditor;

#[async_trait]
impl Auditor for RouteTableAuditor {
    fn technology(&self) -> &'static str {
        "routetable"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let mut findings = Vec::new();
        if ctx.is_enabled(&ROUTETABLE_PEERING_ROUTE_TO_WORLD) {
            findings.extend(peering_route_to_world::check(item.config));
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(RouteTableAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::{all_issues, recording};

    #[test]
    fn the_recorded_estate_is_audited_as_expected() {
        let tables = recording(include_str!("../../../testdata/estate/recording/111122223333/routetable.json"));
        let mut flagged = 0;
        for (name, config) in &tables {
            let found = all_issues(&CHECKS, config, Default::default);
            if name == "rtb-86eef862d0dff81d2" {
                // The estate's peering route to 0.0.0.0/0, in a table no subnet uses yet.
                assert_eq!(
                    found,
                    vec!["routetable-peering-route-to-world Route: [0.0.0.0/0] Target: [pcx-aa7786525304b72fb] 0"]
                );
                flagged += 1;
            } else {
                assert!(found.is_empty(), "{name}: {found:?}");
            }
        }
        assert_eq!(flagged, 1);
    }
}
