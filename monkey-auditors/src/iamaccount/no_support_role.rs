//! `iamaccount-no-support-role`: nothing holds the AWSSupportAccess managed policy.

use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// No user, group or role can manage AWS Support cases.
    pub static IAMACCOUNT_NO_SUPPORT_ROLE = Check {
        id: "iamaccount-no-support-role",
        technology: "iamaccount",
        title: "IamAccountNoSupportRole",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account where the AWS-managed policy `AWSSupportAccess` is attached to nothing: among the account's recorded \
managed policies (`policy` items, which include every attached AWS-managed policy), none has an ARN ending in \
`:iam::aws:policy/AWSSupportAccess` with `AttachmentCount` > 0 or an entity in `PolicyUsers` / `PolicyGroups` / \
`PolicyRoles`. Accounts with no recorded managed policy at all are skipped, since the `policy` watcher may not run \
there.\n\n\
## Why it matters\n\
During an incident someone must be able to open and follow AWS Support cases without using the root user or an \
administrator. A role created in advance, holding just `AWSSupportAccess`, makes that possible and auditable.\n\n\
## Example\n\
An account whose `policy` items do not include `arn:aws:iam::aws:policy/AWSSupportAccess` gives \
`Policy: [AWSSupportAccess] Attached: [no]`.\n\n\
## How to fix\n\
Create a role for the incident responders and attach `AWSSupportAccess` to it: \
`aws iam attach-role-policy --role-name support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`.\n\n\
## References\n\
- https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html\n\
- https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSupportAccess.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-18 (Security Hub IAM.18)\n\
- Prowler `iam_support_role_created`; ScoutSuite `iam-no-support-role`; CIS AWS Foundations 1.17.\n",
    };
}

/// Whether a recorded managed policy is AWS's `AWSSupportAccess`.
fn is_support_access(config: &Value) -> bool {
    let arn = config.get("Arn").and_then(Value::as_str).unwrap_or_default();
    arn.ends_with(":policy/AWSSupportAccess") && arn.split(':').nth(4) == Some("aws")
}

/// Whether a recorded managed policy is attached to anything.
fn is_attached(config: &Value) -> bool {
    config.get("AttachmentCount").and_then(Value::as_u64).is_some_and(|count| count > 0)
        || ["PolicyUsers", "PolicyGroups", "PolicyRoles"]
            .iter()
            .any(|key| config.get(*key).and_then(Value::as_array).is_some_and(|entities| !entities.is_empty()))
}

/// Flags an account whose recorded managed policies show no attached `AWSSupportAccess`.
pub(super) fn check(ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let mut policies = ctx.support_of("policy").peekable();
    if policies.peek().is_none() {
        return;
    }
    if policies.any(|policy| is_support_access(&policy.config) && is_attached(&policy.config)) {
        return;
    }
    let message = "No user, group or role holds the AWSSupportAccess policy";
    findings.push(Finding::new(&IAMACCOUNT_NO_SUPPORT_ROLE, message, "Policy: [AWSSupportAccess] Attached: [no]"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, Fixture};
    use serde_json::json;

    fn with_policies(policies: Vec<(&'static str, Value)>) -> Vec<String> {
        let support = policies.into_iter().map(|(name, config)| ("policy", name, config)).collect();
        testing::issues_with(&IAMACCOUNT_NO_SUPPORT_ROLE, json!({}), Fixture { support, ..Fixture::default() })
            .into_iter()
            .map(|issue| issue.key.notes)
            .collect()
    }

    fn support_access(count: Value) -> (&'static str, Value) {
        ("AWSSupportAccess", json!({"Arn": "arn:aws:iam::aws:policy/AWSSupportAccess", "AttachmentCount": count}))
    }

    #[test]
    fn an_attached_support_policy_is_required() {
        let other = ("ReadOnlyAccess", json!({"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "AttachmentCount": 1}));
        let flagged = ["Policy: [AWSSupportAccess] Attached: [no]"];
        assert_eq!(with_policies(vec![other.clone()]), flagged);
        assert_eq!(with_policies(vec![other.clone(), support_access(json!(0))]), flagged);
        assert_eq!(with_policies(vec![support_access(json!(null))]), flagged);
        let copy = ("mine", json!({"Arn": "arn:aws:iam::111111111111:policy/AWSSupportAccess", "AttachmentCount": 1}));
        assert_eq!(with_policies(vec![copy]), flagged);

        assert!(with_policies(vec![other, support_access(json!(1))]).is_empty());
        let by_role = (
            "AWSSupportAccess",
            json!({"Arn": "arn:aws-cn:iam::aws:policy/AWSSupportAccess",
                                                  "PolicyRoles": [{"RoleName": "support"}]}),
        );
        assert!(with_policies(vec![by_role]).is_empty());
        assert!(with_policies(vec![]).is_empty(), "no policy recorded: nothing to judge");
    }

    #[test]
    fn without_policy_items_nothing_is_judged() {
        // The plain harness has no policy items: the account cannot be judged.
        for config in [json!({}), json!({"AccountSummary": {"AccountMFAEnabled": 1}})] {
            assert!(testing::issues(&IAMACCOUNT_NO_SUPPORT_ROLE, config).is_empty());
        }
    }
}
