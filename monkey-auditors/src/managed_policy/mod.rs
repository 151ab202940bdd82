//! Checks of managed policies (`policy`): the shared identity-policy checks over the policy's
//! default version (`Document`). AWS-managed policies are audited only while attached to a
//! user, group or role, as Security Monkey's `ManagedPolicyAuditor` did: AWS publishes
//! hundreds of them, and an unattached one grants nothing.

use crate::identity_policy;
use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

identity_policy::declare_identity_policy_checks! {
    /// The identity-policy checks of managed policies (`policy-*`).
    pub mod policy {
        technology: "policy",
        id: "policy",
        title: "ManagedPolicy",
        what: "a managed policy",
        scope: "AWS-managed policies (ARN `arn:<partition>:iam::aws:policy/...` or `AwsManaged: true`) are audited \
only while attached (`AttachmentCount` > 0, or an entity in `PolicyUsers` / `PolicyGroups` / `PolicyRoles`), as \
Security Monkey's `ManagedPolicyAuditor` did; customer-managed policies always are.",
    }
}

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    policy::CHECKS.to_vec()
}

/// Whether the policy is owned by AWS rather than by the account.
fn is_aws_managed(config: &Value) -> bool {
    let flagged = config.get("AwsManaged").and_then(Value::as_bool) == Some(true);
    let arn = config.get("Arn").and_then(Value::as_str).unwrap_or_default();
    // arn:<partition>:iam::aws:policy/<path and name>
    let aws_arn =
        arn.split(':').nth(4) == Some("aws") && arn.split(':').nth(5).is_some_and(|r| r.starts_with("policy/"));
    flagged || aws_arn
}

/// Whether anything uses the policy's permissions.
fn is_attached(config: &Value) -> bool {
    let count = config.get("AttachmentCount").and_then(Value::as_u64).unwrap_or(0);
    let entities = ["PolicyUsers", "PolicyGroups", "PolicyRoles"]
        .iter()
        .any(|key| config.get(*key).and_then(Value::as_array).is_some_and(|list| !list.is_empty()));
    count > 0 || entities
}

/// Runs every managed-policy check.
#[derive(Debug, Default)]
pub struct ManagedPolicyAuditor;

#[async_trait]
impl Auditor for ManagedPolicyAuditor {
    fn technology(&self) -> &'static str {
        "policy"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &policy::CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let config = item.config;
        let mut findings = Vec::new();
        if is_aws_managed(config) && !is_attached(config) {
            return Ok(findings);
        }
        let Some(document) = config.get("Document") else { return Ok(findings) };
        let name = config.get("PolicyName").and_then(Value::as_str).unwrap_or(&item.key.name);
        identity_policy::audit(&policy::FAMILY, [(name, document)], ctx, &mut findings);
        Ok(findings)
    }
}

monkey_core::register_auditor!(ManagedPolicyAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity_policy::estate;
    use crate::testing;
    use serde_json::json;

    fn managed(arn: &str, aws: Value, count: Value) -> Value {
        json!({"PolicyName": "AdministratorAccess", "Arn": arn, "AwsManaged": aws, "AttachmentCount": count,
               "Document": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}})
    }

    #[test]
    fn aws_managed_policies_are_audited_only_when_attached() {
        let aws = "arn:aws:iam::aws:policy/AdministratorAccess";
        let own = "arn:aws:iam::111111111111:policy/AdministratorAccess";
        testing::table(
            &policy::ALLOWS_ADMIN,
            &[
                managed(aws, json!(true), json!(1)),
                managed(aws, json!(null), json!(3)),
                managed(own, json!(false), json!(0)),
                managed(own, json!(null), json!(null)),
                json!({"Arn": aws, "AwsManaged": true, "AttachmentCount": 0, "PolicyRoles": [{"RoleName": "r"}],
                       "Document": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}),
            ],
            &[
                managed(aws, json!(true), json!(0)),
                managed(aws, json!(false), json!(null)),
                managed("arn:aws-cn:iam::aws:policy/job-function/x", json!(null), json!(0)),
                managed(own, json!(true), json!(0)),
                json!({"PolicyName": "p", "AttachmentCount": 1}),
            ],
        );
    }

    #[test]
    fn notes_use_the_policy_name_else_the_item_name() {
        let document = json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}});
        assert_eq!(
            testing::notes(&policy::USES_NOT_ACTION, json!({"PolicyName": "named", "Document": document})),
            [r#"Policy: [named] Construct: ["NotAction"]"#]
        );
        assert_eq!(
            testing::notes(&policy::USES_NOT_ACTION, json!({"Document": document})),
            [r#"Policy: [item] Construct: ["NotAction"]"#]
        );
    }

    #[test]
    fn recorded_estate_policies() {
        let checks = policy::CHECKS;
        let pairs = |found: &[(&str, &str)]| -> Vec<(String, String)> {
            found.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect()
        };
        assert_eq!(
            estate::issues("policy", "administrator", &checks),
            pairs(&[("policy-allows-admin", r#"Policy: [administrator] Actions: ["*"] Resources: ["*"]"#)])
        );
        assert_eq!(
            estate::issues("policy", "escalate", &checks),
            pairs(&[
                ("policy-allows-assume-any-role", r#"Policy: [escalate] Actions: ["sts:assumerole"] Resources: ["*"]"#),
                (
                    "policy-allows-permissions-management",
                    r#"Policy: [escalate] Service [iam] Category: [Permissions management] Resources: ["*"]"#
                ),
                (
                    "policy-allows-permissions-management",
                    r#"Policy: [escalate] Service [kms] Category: [Permissions management] Resources: ["*"]"#
                ),
                (
                    "policy-allows-privilege-escalation",
                    r#"Policy: [escalate] Actions: ["iam:attachuserpolicy", "iam:putrolepolicy"]"#
                ),
                ("policy-allows-service-wildcard", r#"Policy: [escalate] Actions: ["kms:*"] Resources: ["*"]"#),
                (
                    "policy-allows-write-access",
                    r#"Policy: [escalate] Service [kms] Category: [Write] Resources: ["*"]"#
                ),
                (
                    "policy-allows-write-access",
                    r#"Policy: [escalate] Service [sts] Category: [Write] Resources: ["*"]"#
                ),
            ])
        );
        let not_action = estate::issues("policy", "not-action", &checks);
        for expected in [
            ("policy-uses-not-action", r#"Policy: [not-action] Construct: ["NotAction"]"#),
            ("policy-uses-not-resource", r#"Policy: [not-action] Construct: ["NotResource"]"#),
        ] {
            assert!(not_action.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{not_action:?}");
        }
        assert!(!not_action.iter().any(|(check, _)| check == "policy-allows-admin"), "{not_action:?}");
        assert_eq!(estate::clean("policy", &checks), ["read-only-logs"]);
        // One by one through the test harness, too.
        for (name, config) in estate::items("policy") {
            let admin = testing::issues(&policy::ALLOWS_ADMIN, config.clone());
            let escalation = testing::issues(&policy::ALLOWS_PRIVILEGE_ESCALATION, config);
            assert_eq!(!admin.is_empty(), name == "administrator", "{name}");
            assert_eq!(!escalation.is_empty(), name == "escalate" || name == "not-action", "{name}");
        }
    }
}
