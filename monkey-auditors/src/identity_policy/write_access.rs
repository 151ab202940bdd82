//! `<technology>-policy-allows-write-access`: actions of the Write access level, one issue per
//! service (Security Monkey's "mutable sensitive services").

use super::levels::{ServiceLevels, service_note};
use super::push_unique;
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::{AccessLevel, Statement};

/// The docs of the check, for one kind of policy document.
macro_rules! write_access_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose `Action` patterns match actions that AWS classifies at the *Write* access level (create, ",
            "change or delete resources or data: `s3:PutObject`, `ec2:RunInstances`, `sts:AssumeRole`...), per ",
            "the action catalogue compiled into monkey. One issue per policy, service and list of resources, at a ",
            "low score: it is an inventory of what each principal can change. Statements that allow every action ",
            "are left to the admin check, and `NotAction` statements to the NotAction check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Write access is where damage happens: deleted data, tampered objects, resources started on the ",
            "account's bill. Knowing which principals can change which services tells where a leaked credential ",
            "hurts, and the list shrinks as policies are tightened.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": [\"ec2:RunInstances\"], \"Resource\": \"*\"}` in the policy ",
            "`deploy` gives `Policy: [deploy] Service [ec2] Category: [Write] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Nothing, if the access is needed: justify the issue. Otherwise remove the write actions or scope ",
            "them to the resources the principal works on. Disable the check (score override) where this ",
            "inventory is not wanted.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege\n",
            "- Security Monkey `IAMPolicyAuditor.check_mutable_sensitive_services` (policyuniverse's ",
            "DataPlaneMutating / Write category, `SENSITIVE_SERVICES = 'ALL'`).\n",
        )
    };
}
pub(crate) use write_access_docs;

/// Flags each service the statement reaches at the Write level.
pub(super) fn check(
    check: &'static Check,
    policy: &str,
    statement: &Statement,
    services: &[ServiceLevels],
    findings: &mut Vec<Finding>,
) {
    for reached in services.iter().filter(|s| s.write) {
        let notes = service_note(policy, reached.service, AccessLevel::Write, statement);
        let message = format!("Policy {policy} allows changing {} resources", reached.service);
        push_unique(findings, Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn write_access_is_flagged() {
        table(
            |f| f.write_access,
            &[
                document(json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"})),
                document(json!({"Effect": "Allow", "Action": ["ec2:Describe*", "ec2:RunInstances"], "Resource": "*"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*"], "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn one_issue_per_service() {
        let found = notes(
            |f| f.write_access,
            document(json!([
                {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"},
                {"Effect": "Allow", "Action": ["ec2:AuthorizeSecurityGroupIngress"], "Resource": "*"}
            ])),
        );
        assert_eq!(
            found,
            [
                r#"Policy: [p] Service [ec2] Category: [Write] Resources: ["*"]"#,
                r#"Policy: [p] Service [iam] Category: [Write] Resources: ["*"]"#,
            ]
        );
    }
}
