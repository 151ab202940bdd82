//! `<technology>-policy-uses-not-resource`: an Allow statement with `NotResource`.

use super::{policy_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! not_resource_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " that uses `NotResource`: it applies to every resource except those listed. One issue per policy. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "An Allow with `NotResource` reaches every resource of every account that does not deny it, including ",
            "resources created later and resources of other accounts: `s3:GetObject` with ",
            "`\"NotResource\": \"arn:aws:s3:::secret/*\"` reads every other bucket in the world that trusts the ",
            "account.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::secret/*\"}` in the ",
            "policy `not-action` gives `Policy: [not-action] Construct: [\"NotResource\"]`.\n\n",
            "## How to fix\n",
            "List the resources the statement is for in `Resource`; keep exceptions in a `Deny` statement.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html\n",
            "- Security Monkey `IAMPolicyAuditor.check_notresource`.\n",
        )
    };
}
pub(crate) use not_resource_docs;

/// Flags an Allow statement that uses `NotResource`.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    if !statement.uses_not_resource() {
        return;
    }
    let mut notes = policy_note(policy);
    notes.push_str("Construct: [\"NotResource\"]");
    let message = format!(
        "Policy {policy} applies to every resource except {} (NotResource in an Allow statement)",
        statement.not_resources.join(", ")
    );
    push_unique(findings, Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn not_resource_in_allow_is_flagged() {
        table(
            |f| f.not_resource,
            &[
                document(json!({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})),
                document(json!({"Effect": "Allow", "Action": "*", "NotResource": ["arn:a", "arn:b"]})),
            ],
            &[
                document(json!({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::mine/*"})),
                document(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": []})),
            ],
        );
    }

    #[test]
    fn one_issue_per_policy() {
        let found = notes(
            |f| f.not_resource,
            document(json!([
                {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:a"},
                {"Effect": "Allow", "Action": "s3:PutObject", "NotResource": "arn:b"}
            ])),
        );
        assert_eq!(found, [r#"Policy: [p] Construct: ["NotResource"]"#]);
    }
}
