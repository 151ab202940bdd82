//! `<technology>-policy-allows-pass-role`: an Allow statement covering `iam:PassRole`.

use super::{actions_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! pass_role_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose actions cover `iam:PassRole` (written out, through a wildcard such as `iam:Pass*` or `iam:*`, ",
            "or not excluded by a `NotAction`). One issue per policy and list of resources; the resources say ",
            "which roles can be passed, `[\"*\"]` meaning every role of the account. Statements that allow every ",
            "action are left to the admin check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Passing a role hands its permissions to a service the principal controls: with `iam:PassRole` on ",
            "`*` and `ec2:RunInstances` (or `lambda:CreateFunction`, `cloudformation:CreateStack`...) a principal ",
            "can start code running as the most privileged role of the account, an escalation path that ",
            "bypasses every other restriction of its own policy.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"ec2:RunInstances\"], \"Resource\": \"*\"}` in ",
            "the policy `deploy` gives `Policy: [deploy] Actions: [\"iam:passrole\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Scope the `Resource` of `iam:PassRole` to the role ARNs the principal must pass, and add the ",
            "`iam:PassedToService` condition key to name the service that may receive them.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService\n",
            "- Security Monkey `IAMPolicyAuditor.check_iam_passrole`; ScoutSuite `iam-inline-policy-for-role`.\n",
        )
    };
}
pub(crate) use pass_role_docs;

/// Flags an Allow statement whose actions cover `iam:PassRole`.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    if !statement.action_matches("iam:PassRole") {
        return;
    }
    let notes = actions_note(policy, ["iam:passrole"], statement);
    let message = if statement.resource_is_any() {
        format!("Policy {policy} allows passing any role of the account (iam:PassRole on every resource)")
    } else {
        format!("Policy {policy} allows passing roles (iam:PassRole on {})", statement.resources.join(", "))
    };
    push_unique(findings, Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, issues, notes, table};
    use serde_json::json;

    #[test]
    fn pass_role_is_flagged() {
        table(
            |f| f.pass_role,
            &[
                document(json!({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:pass*", "Resource": "arn:aws:iam::1:role/app"})),
                document(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
                json!({"Statement": [{"Effect": "Allow", "Action": 3}]}),
            ],
        );
    }

    #[test]
    fn notes_and_messages_tell_any_role_from_scoped_roles() {
        let doc = document(json!([
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a"]}
        ]));
        assert_eq!(
            notes(|f| f.pass_role, doc.clone()),
            [
                r#"Policy: [p] Actions: ["iam:passrole"] Resources: ["*"]"#,
                r#"Policy: [p] Actions: ["iam:passrole"] Resources: ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]"#,
            ]
        );
        let messages: Vec<String> = issues(|f| f.pass_role, doc).into_iter().map(|i| i.message).collect();
        assert!(messages.iter().any(|m| m.contains("any role")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("iam:PassRole on arn:aws:iam::1:role/")), "{messages:?}");
    }
}
