//! `<technology>-policy-allows-permissions-management`: actions of the Permissions management
//! access level, one issue per service.

use super::levels::{ServiceLevels, service_note};
use super::push_unique;
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::{AccessLevel, Statement};

/// The docs of the check, for one kind of policy document.
macro_rules! permissions_management_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose `Action` patterns match actions that AWS classifies at the *Permissions management* access ",
            "level (`iam:PutRolePolicy`, `s3:PutBucketPolicy`, `kms:CreateGrant`, ...), per the action catalogue ",
            "compiled into monkey. One issue per policy, service and list of resources. Statements that allow ",
            "every action are left to the admin check, and `NotAction` statements to the NotAction check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Permissions-management actions change who may do what: the holder can grant itself or an outsider ",
            "access the policy does not give it, so its real permissions are whatever it decides. These are the ",
            "actions behind most privilege escalations and most accidental public exposures.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": [\"iam:PutRolePolicy\"], \"Resource\": \"*\"}` in the policy ",
            "`escalate` gives `Policy: [escalate] Service [iam] Category: [Permissions management] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Keep permissions management with the few roles that administer access, scope the actions to the ",
            "resources concerned, and bound delegated administrators with permissions boundaries.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html#actions_table\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html\n",
            "- Security Monkey `IAMPolicyAuditor.check_permissions` (policyuniverse's Permissions category).\n",
        )
    };
}
pub(crate) use permissions_management_docs;

/// Flags each service the statement reaches at the Permissions management level.
pub(super) fn check(
    check: &'static Check,
    policy: &str,
    statement: &Statement,
    services: &[ServiceLevels],
    findings: &mut Vec<Finding>,
) {
    for reached in services.iter().filter(|s| s.permissions_management) {
        let notes = service_note(policy, reached.service, AccessLevel::PermissionsManagement, statement);
        let message = format!("Policy {policy} allows changing {} permissions", reached.service);
        push_unique(findings, Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn permissions_management_is_flagged() {
        table(
            |f| f.permissions_management,
            &[
                document(json!({"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "s3:Put*", "Resource": "arn:aws:s3:::b"})),
                document(json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "nosuchservice:*", "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn one_issue_per_service_and_resources() {
        let found = notes(
            |f| f.permissions_management,
            document(json!([
                {"Effect": "Allow", "Action": ["iam:PutRolePolicy", "iam:AttachUserPolicy", "kms:PutKeyPolicy"], "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*"}
            ])),
        );
        assert_eq!(
            found,
            [
                r#"Policy: [p] Service [iam] Category: [Permissions management] Resources: ["*"]"#,
                r#"Policy: [p] Service [kms] Category: [Permissions management] Resources: ["*"]"#,
            ]
        );
    }
}
