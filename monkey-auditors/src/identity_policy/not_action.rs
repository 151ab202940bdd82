//! `<technology>-policy-uses-not-action`: an Allow statement with `NotAction`.

use super::{policy_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! not_action_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " that uses `NotAction`: it allows every action except those listed. One issue per policy. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "An Allow with `NotAction` grants every action AWS has, and every action it will add, bar a few: ",
            "`\"NotAction\": \"iam:*\"` on `*` is administrator access to everything but IAM. Authors usually meant ",
            "the opposite, a Deny with `NotAction`, and reviewers misread it.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}` in the policy `not-action` gives ",
            "`Policy: [not-action] Construct: [\"NotAction\"]`.\n\n",
            "## How to fix\n",
            "List the allowed actions in `Action`. To carve out exceptions, keep the Allow narrow and add a ",
            "`Deny` statement (where `NotAction` is safe: it denies everything except the listed actions).\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html\n",
            "- Security Monkey `IAMPolicyAuditor.check_notaction`; ScoutSuite `iam-inline-policy-allows-NotActions`, ",
            "`iam-managed-policy-allows-NotActions`.\n",
        )
    };
}
pub(crate) use not_action_docs;

/// Flags an Allow statement that uses `NotAction`.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    if !statement.uses_not_action() {
        return;
    }
    let mut notes = policy_note(policy);
    notes.push_str("Construct: [\"NotAction\"]");
    let message = format!(
        "Policy {policy} allows every action except {} (NotAction in an Allow statement)",
        statement.not_actions.join(", ")
    );
    push_unique(findings, Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn not_action_in_allow_is_flagged() {
        table(
            |f| f.not_action,
            &[
                document(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
                document(json!([{"Effect": "Allow", "NotAction": ["s3:*", "ec2:*"], "Resource": "arn:x"}])),
            ],
            &[
                document(json!({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": [], "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn one_issue_per_policy() {
        let found = notes(
            |f| f.not_action,
            document(json!([
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
            ])),
        );
        assert_eq!(found, [r#"Policy: [p] Construct: ["NotAction"]"#]);
    }
}
