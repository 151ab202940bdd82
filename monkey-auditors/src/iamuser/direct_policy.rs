//! `iamuser-direct-policy`: a policy attached to the user itself rather than through a group.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// A user holds a policy directly.
    pub static IAMUSER_DIRECT_POLICY = Check {
        id: "iamuser-direct-policy",
        technology: "iamuser",
        title: "IamUserDirectPolicy",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A policy held by the user itself: an inline policy (`InlinePolicies`) or an attached managed policy \
(`AttachedManagedPolicies`), one issue per policy.\n\n\
## Why it matters\n\
Permissions given user by user drift apart: nobody can say what a role in the team may do, leavers keep \
one-off grants, and reviews have to read every user. Groups (or roles) make permissions a property of the job, \
reviewed once.\n\n\
## Example\n\
An inline policy `admin` and the managed policy `arn:aws:iam::111122223333:policy/escalate` attached to the user give \
`Inline policy: [admin]` and `Managed policy: [arn:aws:iam::111122223333:policy/escalate]`.\n\n\
## How to fix\n\
Put the user in a group that holds the policy and remove the policy from the user; for workloads, use a role.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2 (Security Hub IAM.2)\n\
- Prowler `iam_policy_attached_only_to_group_or_roles`; ScoutSuite `iam-user-with-policies`.\n",
    };
}

/// One finding per inline or attached managed policy of the user.
pub(super) fn check(config: &Value, findings: &mut Vec<Finding>) {
    for (name, _) in crate::identity_policy::inline_policies(config) {
        let message = format!("User holds the inline policy {name} directly");
        findings.push(Finding::new(&IAMUSER_DIRECT_POLICY, message, format!("Inline policy: [{name}]")));
    }
    let attached = config.get("AttachedManagedPolicies").and_then(Value::as_array).into_iter().flatten();
    for policy in attached {
        let arn = policy.get("PolicyArn").and_then(Value::as_str);
        let Some(id) = arn.or_else(|| policy.get("PolicyName").and_then(Value::as_str)) else { continue };
        let message = format!("User has the managed policy {id} attached directly");
        crate::identity_policy::push_unique(
            findings,
            Finding::new(&IAMUSER_DIRECT_POLICY, message, format!("Managed policy: [{id}]")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn policies_on_the_user_are_flagged() {
        testing::table(
            &IAMUSER_DIRECT_POLICY,
            &[
                json!({"InlinePolicies": {"p": {"Statement": []}}}),
                json!({"AttachedManagedPolicies": [{"PolicyName": "x", "PolicyArn": "arn:aws:iam::aws:policy/x"}]}),
                json!({"InlinePolicies": {"broken": "not a policy"}}),
            ],
            &[
                json!({}),
                json!({"InlinePolicies": {}, "AttachedManagedPolicies": [], "Groups": [{"GroupName": "admins"}]}),
                json!({"InlinePolicies": null, "AttachedManagedPolicies": null}),
                json!({"InlinePolicies": ["p"], "AttachedManagedPolicies": [{}]}),
            ],
        );
    }

    #[test]
    fn one_issue_per_policy() {
        let config = json!({
            "InlinePolicies": {"deploy": {}, "admin": {}},
            "AttachedManagedPolicies": [{"PolicyName": "escalate", "PolicyArn": "arn:aws:iam::1:policy/escalate"}, {"PolicyName": "n"}]
        });
        assert_eq!(
            testing::notes(&IAMUSER_DIRECT_POLICY, config),
            [
                "Inline policy: [admin]",
                "Inline policy: [deploy]",
                "Managed policy: [arn:aws:iam::1:policy/escalate]",
                "Managed policy: [n]",
            ]
        );
    }
}
