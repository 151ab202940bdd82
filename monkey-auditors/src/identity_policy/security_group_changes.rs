//! `<technology>-policy-allows-security-group-changes`: an Allow statement covering
//! `ec2:AuthorizeSecurityGroupIngress` or `ec2:AuthorizeSecurityGroupEgress`.

use super::{actions_note, push_unique};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::Statement;

/// The docs of the check, for one kind of policy document.
macro_rules! security_group_changes_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "An Allow statement in ",
            $what,
            " whose actions cover `ec2:AuthorizeSecurityGroupIngress` or `ec2:AuthorizeSecurityGroupEgress` ",
            "(written out, through a wildcard, or not excluded by a `NotAction`). One issue per policy and list ",
            "of resources, naming the actions covered. Statements that allow every action are left to the admin ",
            "check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Adding a security-group rule opens a network path: one call can expose every instance of a group to ",
            "the internet on any port, or let data leave to any address. Few principals need that.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": \"ec2:AuthorizeSecurityGroupIngress\", \"Resource\": \"*\"}` in the ",
            "policy `deploy` gives ",
            "`Policy: [deploy] Actions: [\"ec2:authorizesecuritygroupingress\"] Resources: [\"*\"]`.\n\n",
            "## How to fix\n",
            "Manage security groups through infrastructure as code run by a dedicated role; if a principal must ",
            "change rules, scope the `Resource` to the groups' ARNs or to a tag with `aws:ResourceTag`.\n\n",
            "## References\n",
            "- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-policies-ec2-console.html#ex-security-groups\n",
            "- https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html\n",
            "- Security Monkey `IAMPolicyAuditor.check_security_group_permissions`.\n",
        )
    };
}
pub(crate) use security_group_changes_docs;

/// The actions flagged, as the catalogue names them and as notes print them.
const ACTIONS: [(&str, &str); 2] = [
    ("ec2:AuthorizeSecurityGroupEgress", "ec2:authorizesecuritygroupegress"),
    ("ec2:AuthorizeSecurityGroupIngress", "ec2:authorizesecuritygroupingress"),
];

/// Flags an Allow statement that can add security-group rules.
pub(super) fn check(check: &'static Check, policy: &str, statement: &Statement, findings: &mut Vec<Finding>) {
    let egress = statement.action_matches(ACTIONS[0].0);
    let ingress = statement.action_matches(ACTIONS[1].0);
    if !egress && !ingress {
        return;
    }
    let covered = [(egress, ACTIONS[0].1), (ingress, ACTIONS[1].1)];
    let notes = actions_note(policy, covered.iter().filter(|(on, _)| *on).map(|(_, name)| *name), statement);
    let message = format!("Policy {policy} allows adding security-group rules");
    push_unique(findings, Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, notes, table};
    use serde_json::json;

    #[test]
    fn security_group_changes_are_flagged() {
        table(
            |f| f.security_group_changes,
            &[
                document(json!({"Effect": "Allow", "Action": "ec2:AuthorizeSecurityGroupIngress", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "ec2:authorizesecuritygroupegress", "Resource": "arn:x"})),
                document(json!({"Effect": "Allow", "Action": "ec2:Authorize*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "ec2:RevokeSecurityGroupIngress", "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "ec2:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "ec2:*", "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn notes_name_the_actions_covered() {
        let found = notes(
            |f| f.security_group_changes,
            document(json!([
                {"Effect": "Allow", "Action": "ec2:AuthorizeSecurityGroupIngress", "Resource": "*"},
                {"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:us-east-1:1:security-group/sg-1"}
            ])),
        );
        assert_eq!(
            found,
            [
                r#"Policy: [p] Actions: ["ec2:authorizesecuritygroupegress", "ec2:authorizesecuritygroupingress"] Resources: ["arn:aws:ec2:us-east-1:1:security-group/sg-1"]"#,
                r#"Policy: [p] Actions: ["ec2:authorizesecuritygroupingress"] Resources: ["*"]"#,
            ]
        );
    }
}
