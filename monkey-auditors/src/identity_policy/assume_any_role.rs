//! `<technology>-policy-allows-assume-any-role`: `sts:AssumeRole` on every role.

use super::{actions_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! assume_any_role_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose actions cover `sts:AssumeRole` and whose resources are every role: `\"Resource\": \"*\"`, a ",
            "`NotResource`, or a role ARN with a wildcard account and role name (`arn:aws:iam::*:role/*`). ",
            "Conditions are not read. One issue per policy and list of resources. Statements that allow every ",
            "action are left to the admin check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "The principal can become any role whose trust policy trusts its account, now or later: a single ",
            "role that trusts the account root (a common default) turns this into that role's permissions. ",
            "Which roles can be assumed is then decided by the trust policies alone, with no say from this ",
            "policy.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}` in the policy `escalate` ",
            "gives `Policy: [escalate] Actions: [\"sts:assumerole\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "List the role ARNs the principal needs to assume in `Resource`.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html\n",
            "- Prowler `iam_no_custom_policy_permissive_role_assumption`; ScoutSuite `iam-inline-policy-for-role`, ",
            "`iam-managed-policy-for-role`.\n",
        )
    };
}
pub(crate) use assume_any_role_docs;

/// Whether a resource pattern names every role of every account: `arn:aws:iam::*:role/*`.
fn is_every_role(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some(service), Some(_region), Some(account), Some(name)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let all_stars = |text: &str| !text.is_empty() && text.bytes().all(|b| b == b'*');
    (service == "iam" || all_stars(service))
        && all_stars(account)
        && (all_stars(name) || name.strip_prefix("role/").is_some_and(all_stars))
}

/// Flags `sts:AssumeRole` on every role.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    let any_role = statement.resource_is_any() || statement.resources.iter().any(|r| is_every_role(r));
    if any_role && statement.action_matches("sts:AssumeRole") {
        let notes = actions_note(policy, ["sts:assumerole"], statement);
        let message = format!("Policy {policy} allows assuming any role (sts:AssumeRole on every resource)");
        push_unique(findings, Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use super::is_every_role;
    use serde_json::json;

    #[test]
    fn assume_role_on_every_role_is_flagged() {
        table(
            |f| f.assume_any_role,
            &[
                document(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "sts:*", "Resource": ["arn:aws:iam::1:role/a", "*"]})),
                document(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/*"})),
                document(json!({"Effect": "Allow", "Action": "sts:Assume*", "NotResource": "arn:aws:iam::1:role/a"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::1:role/a"})),
                document(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::1:role/*"})),
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "sts:AssumeRole"})),
            ],
        );
    }

    #[test]
    fn every_role_patterns() {
        assert!(is_every_role("arn:aws:iam::*:role/*"));
        assert!(is_every_role("arn:aws:iam::*:*"));
        assert!(is_every_role("arn:*:*::*:role/**"));
        assert!(!is_every_role("arn:aws:iam::*:role/app-*"));
        assert!(!is_every_role("arn:aws:iam::111111111111:role/*"));
        assert!(!is_every_role("arn:aws:s3:::*"));
        assert!(!is_every_role("role/*"));
    }

    #[test]
    fn notes_name_the_action() {
        let found = notes(
            |f| f.assume_any_role,
            document(json!({"Effect": "Allow", "Action": ["sts:AssumeRole", "kms:*"], "Resource": "*"})),
        );
        assert_eq!(found, [r#"Policy: [p] Actions: ["sts:assumerole"] Resources: ["*"]"#]);
    }
}
