//! Checks of IAM groups (`iamgroup`): the shared identity-policy checks over the group's
//! `InlinePolicies`, and administrator managed policies attached to it.

mod admin_policy_attached;

pub use admin_policy_attached::IAMGROUP_ADMIN_POLICY_ATTACHED;

use crate::identity_policy;
use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use std::sync::LazyLock;

identity_policy::declare_identity_policy_checks! {
    /// The identity-policy checks of IAM groups' inline policies (`iamgroup-policy-*`).
    pub mod policy {
        technology: "iamgroup",
        id: "iamgroup-policy",
        title: "IamGroupPolicy",
        what: "an inline policy of an IAM group",
        scope: "",
    }
}

/// The checks of [`IamGroupAuditor`].
static CHECKS: LazyLock<Vec<&'static Check>> =
    LazyLock::new(|| [&policy::CHECKS[..], &[&IAMGROUP_ADMIN_POLICY_ATTACHED]].concat());

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every IAM group check.
#[derive(Debug, Default)]
pub struct IamGroupAuditor;

#[async_trait]
impl Auditor for IamGroupAuditor {
    fn technology(&self) -> &'static str {
        "iamgroup"
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
        if ctx.is_enabled(&IAMGROUP_ADMIN_POLICY_ATTACHED) {
            identity_policy::check_attached_admin_policies(&IAMGROUP_ADMIN_POLICY_ATTACHED, config, ctx, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamGroupAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity_policy::estate;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn administrator_access_attachments_are_flagged() {
        testing::table(
            &IAMGROUP_ADMIN_POLICY_ATTACHED,
            &[
                json!({"AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}),
            ],
            &[json!({}), json!({"AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/IAMFullAccess"}]})],
        );
    }

    #[test]
    fn recorded_estate_groups() {
        let checks = IamGroupAuditor.checks();
        let pairs = |found: &[(&str, &str)]| -> Vec<(String, String)> {
            found.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect()
        };
        assert_eq!(
            estate::issues("iamgroup", "iam-admins", checks),
            pairs(&[
                ("iamgroup-policy-allows-iam-wildcard", r#"Policy: [iam-star] Actions: ["iam:*"] Resources: ["*"]"#),
                (
                    "iamgroup-policy-allows-pass-role",
                    r#"Policy: [iam-star] Actions: ["iam:passrole"] Resources: ["*"]"#
                ),
                (
                    "iamgroup-policy-allows-permissions-management",
                    r#"Policy: [iam-star] Service [iam] Category: [Permissions management] Resources: ["*"]"#,
                ),
                (
                    "iamgroup-policy-allows-privilege-escalation",
                    r#"Policy: [iam-star] Actions: ["iam:addusertogroup", "iam:attachgrouppolicy", "iam:attachrolepolicy", "iam:attachuserpolicy", "iam:createaccesskey", "iam:createloginprofile", "iam:createpolicyversion", "iam:putgrouppolicy", "iam:putrolepolicy", "iam:putuserpolicy", "iam:setdefaultpolicyversion", "iam:updateassumerolepolicy", "iam:updateloginprofile"]"#,
                ),
                (
                    "iamgroup-policy-allows-write-access",
                    r#"Policy: [iam-star] Service [iam] Category: [Write] Resources: ["*"]"#
                ),
            ])
        );
        for (_, config) in estate::items("iamgroup") {
            assert!(!testing::issues(&policy::ALLOWS_IAM_WILDCARD, config).is_empty());
        }
    }
}
