//! Checks of IAM roles (`iamrole`): the shared identity-policy checks over the role's
//! `InlinePolicies`, and administrator managed policies attached to it. The trust policy
//! (`AssumeRolePolicyDocument`) is audited by the `trust` module's own auditor.

mod admin_policy_attached;
pub mod trust;

pub use admin_policy_attached::IAMROLE_ADMIN_POLICY_ATTACHED;

use crate::identity_policy;
use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use std::sync::LazyLock;

identity_policy::declare_identity_policy_checks! {
    /// The identity-policy checks of IAM roles' inline policies (`iamrole-policy-*`).
    pub mod policy {
        technology: "iamrole",
        id: "iamrole-policy",
        title: "IamRolePolicy",
        what: "an inline policy of an IAM role",
        scope: "",
    }
}

/// The checks of [`IamRoleAuditor`].
static CHECKS: LazyLock<Vec<&'static Check>> =
    LazyLock::new(|| [&policy::CHECKS[..], &[&IAMROLE_ADMIN_POLICY_ATTACHED]].concat());

/// Every check of this module: those of [`IamRoleAuditor`] and of the trust-policy auditor.
pub(crate) fn builtin() -> Vec<&'static Check> {
    [CHECKS.to_vec(), trust::builtin()].concat()
}

/// Runs the permission checks of IAM roles (what the role may do, not who may assume it).
#[derive(Debug, Default)]
pub struct IamRoleAuditor;

#[async_trait]
impl Auditor for IamRoleAuditor {
    fn technology(&self) -> &'static str {
        "iamrole"
    }

    /// Managed policies: to tell which attached policies grant administrator access.
    fn support(&self) -> &'static [&'static str] {
        &["policy"]
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let config = item.config;
        let mut findings = Vec::new();
        identity_policy::audit(&policy::FAMILY, identity_policy::inline_policies(config), ctx, &mut findings);
        if ctx.is_enabled(&IAMROLE_ADMIN_POLICY_ATTACHED) {
            identity_policy::check_attached_admin_policies(&IAMROLE_ADMIN_POLICY_ATTACHED, config, ctx, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamRoleAuditor);

#[cfg(test)]
mod tests;
