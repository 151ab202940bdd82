//! `<technology>-policy-allows-admin`: an Allow statement whose `Action` is `"*"`.

use super::{actions_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! admin_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose `Action` is `\"*\"` (or `\"*:*\"`): every action of every service, whatever the resource. ",
            "One issue per policy and list of resources. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Whoever holds the policy is an administrator of the account: they can read every secret, delete every ",
            "resource, and grant themselves or anyone else any permission. A leaked credential of such a principal is ",
            "a compromise of the whole account.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}` in the policy `admin` gives ",
            "`Policy: [admin] Actions: [\"*\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Grant the actions the principal needs, on the resources it needs (IAM Access Analyzer can generate a ",
            "policy from CloudTrail activity). Keep administrator access for a few break-glass roles that require MFA; ",
            "justify the issue on those.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege\n",
            "- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1 (Security Hub IAM.1)\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html\n",
            "- Security Monkey `IAMPolicyAuditor.check_star_privileges`; Prowler ",
            "`iam_inline_policy_no_administrative_privileges`, `iam_customer_attached_policy_no_administrative_privileges`; ",
            "ScoutSuite `iam-managed-policy-allows-full-privileges`.\n",
        )
    };
}
pub(crate) use admin_docs;

/// Flags an Allow statement that grants every action (the caller checked it does).
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    let notes = actions_note(policy, ["*"], statement);
    let message = format!("Policy {policy} allows every action (\"*\")");
    push_unique(findings, Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn every_action_is_admin() {
        table(
            |f| f.admin,
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(
                    json!([{"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": "arn:aws:s3:::b/*"}]),
                ),
                document(json!({"Effect": "allow", "Action": ["**"], "Resource": "*"})),
                json!(
                    "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%7D"
                ),
            ],
            &[
                document(json!({"Effect": "Deny", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "*:Get*", "Resource": "*"})),
                document(json!([])),
                json!(null),
            ],
        );
    }

    #[test]
    fn notes_name_the_policy_and_sorted_resources() {
        let found = notes(
            |f| f.admin,
            document(json!([
                {"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::a"]},
                {"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::a", "arn:aws:s3:::b"]},
                {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::secret"}
            ])),
        );
        assert_eq!(
            found,
            [
                r#"Policy: [p] Actions: ["*"] NotResources: ["arn:aws:s3:::secret"]"#,
                r#"Policy: [p] Actions: ["*"] Resources: ["arn:aws:s3:::a", "arn:aws:s3:::b"]"#,
            ]
        );
    }
}
