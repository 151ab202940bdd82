//! `<technology>-policy-allows-iam-wildcard`: an Allow statement with `Action: "iam:*"`.

use super::{actions_note, push_unique, whole_service};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! iam_wildcard_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose `Action` holds `\"iam:*\"` (any case): every IAM action. ",
            "One issue per policy and list of resources. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "With every IAM action a principal can attach `AdministratorAccess` to itself, create access keys for ",
            "other users or rewrite role trust policies: it is an administrator one API call away, whatever else ",
            "the policy says.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"iam:*\", \"Resource\": \"*\"}` in the policy `iam-star` gives ",
            "`Policy: [iam-star] Actions: [\"iam:*\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "List the IAM actions needed (often only `iam:Get*` / `iam:List*` for auditing tools) and scope ",
            "them to the users, roles or policies concerned; bound delegated IAM administration with a permissions ",
            "boundary.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html\n",
            "- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21 (Security Hub IAM.21)\n",
            "- Security Monkey `IAMPolicyAuditor.check_iam_star_privileges`.\n",
        )
    };
}
pub(crate) use iam_wildcard_docs;

/// Flags `iam:*` in the `Action` of an Allow statement.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    let all_iam = statement
        .actions
        .iter()
        .any(|pattern| whole_service(pattern).is_some_and(|service| service.eq_ignore_ascii_case("iam")));
    if all_iam {
        let notes = actions_note(policy, ["iam:*"], statement);
        let message = format!("Policy {policy} allows every IAM action (\"iam:*\")");
        push_unique(findings, Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn iam_star_is_flagged() {
        table(
            |f| f.iam_wildcard,
            &[
                document(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
                document(
                    json!({"Effect": "Allow", "Action": ["s3:GetObject", "IAM:*"], "Resource": "arn:aws:iam::1:role/x"}),
                ),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "i*:*", "Resource": "*"})),
                json!({"Statement": "iam:*"}),
            ],
        );
    }

    #[test]
    fn notes_name_the_action() {
        let found = notes(|f| f.iam_wildcard, document(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})));
        assert_eq!(found, [r#"Policy: [p] Actions: ["iam:*"] Resources: ["*"]"#]);
    }
}
