// ENGINEER: BEFORE WRITING CODE READ /work/main/AUDITOR_BRIEF.md (rules, test harness, and the ONLY build commands allowed: never --workspace). Delete this line when done.
//! Checks of security groups (`securitygroup`), over the DescribeSecurityGroups shape.

mod ingress_open_to_world;
mod rules;

pub use ingress_open_to_world::SECURITYGROUP_INGRESS_OPEN_TO_WORLD;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 1] = [&SECURITYGROUP_INGRESS_OPEN_TO_WORLD];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every security-group check.
#[derive(Debug, Default)]
pub struct SecurityGroupAuditor;

#[async_trait]
impl Auditor for SecurityGroupAuditor {
    fn technology(&self) -> &'static str {
        "securitygroup"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, _ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        Ok(ingress_open_to_world::check(item.config))
    }
}

monkey_core::register_auditor!(SecurityGroupAuditor);
