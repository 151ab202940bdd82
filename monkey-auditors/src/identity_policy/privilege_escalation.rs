//! `<technology>-policy-allows-privilege-escalation`: a policy allows every action of a known
//! privilege-escalation method.

use super::{allows_every_action, policy_note, push_json_list};
use monkey_core::auditor::{Check, Finding};
use monkey_core::policy::{Policy, Statement};

/// The docs of the check, for one kind of policy document.
macro_rules! privilege_escalation_docs {
    ($what:literal, $scope:literal) => {
        concat!(
            "## What it finds\n",
            "In ",
            $what,
            ", Allow statements that together cover every action of a known privilege-escalation method: ",
            "changing a policy (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, ",
            "`iam:Put{User,Group,Role}Policy`, `iam:Attach{User,Group,Role}Policy`), getting another user's ",
            "credentials (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`), joining a ",
            "group (`iam:AddUserToGroup`), rewriting a trust policy (`iam:UpdateAssumeRolePolicy`), replacing code ",
            "that runs as a role (`lambda:UpdateFunctionCode`, `lambda:UpdateFunctionConfiguration`, ",
            "`glue:UpdateDevEndpoint`), or `iam:PassRole` with a service that runs code as the passed role ",
            "(`ec2:RunInstances`; `lambda:CreateFunction` with `lambda:InvokeFunction` or ",
            "`lambda:CreateEventSourceMapping`; `glue:CreateDevEndpoint` with `glue:GetDevEndpoint(s)`; ",
            "`cloudformation:CreateStack` with `cloudformation:DescribeStacks`; Data Pipeline; ",
            "`codestar:CreateProject`; Auto Scaling groups with launch configurations; `ecs:RunTask`; ",
            "`ecs:StartTask` with container-instance registration). One issue per policy, listing every action ",
            "of the methods found. Resources and conditions are not read (as Prowler); statements that allow ",
            "every action are left to the admin check. ",
            $scope,
            "\n\n",
            "## Why it matters\n",
            "Each method lets the principal obtain permissions its policy does not give it, up to administrator: ",
            "the policy's apparent limits are not its real ones.\n\n",
            "## Example\n",
            "`{\"Effect\": \"Allow\", \"Action\": [\"iam:PutRolePolicy\", \"iam:AttachUserPolicy\"], \"Resource\": \"*\"}` ",
            "in the policy `escalate` gives ",
            "`Policy: [escalate] Actions: [\"iam:attachuserpolicy\", \"iam:putrolepolicy\"]`.\n\n",
            "## How to fix\n",
            "Remove the actions, or scope them to resources that cannot lead back to more privilege (for ",
            "`iam:PassRole`, name the roles and use `iam:PassedToService`); delegate IAM administration with a ",
            "permissions boundary that the delegate must attach. Justify the issue for the administrators who ",
            "need these actions.\n\n",
            "## References\n",
            "- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/ (the methods listed)\n",
            "- https://bishopfox.com/blog/privilege-escalation-in-aws\n",
            "- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html\n",
            "- Prowler `iam_policy_allows_privilege_escalation`, `iam_inline_policy_allows_privilege_escalation` ",
            "(`privilege_escalation_policies_combination` in `prowler/providers/aws/services/iam/lib/privilege_escalation.py`).\n",
        )
    };
}
pub(crate) use privilege_escalation_docs;

/// The methods, each the set of actions that together escalate (Rhino Security Labs' list, as
/// Prowler keeps it). `iam:PassRole` comes first so that a policy without it skips the rest of
/// each combination at once. Combinations that merely add actions to a method already listed
/// (`sts:AssumeRole` + `iam:PutRolePolicy`) are left out: the smaller method is found anyway.
const METHODS: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy"],
    &["glue:UpdateDevEndpoint"],
    &["lambda:UpdateFunctionCode"],
    &["lambda:UpdateFunctionConfiguration"],
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    &["iam:PassRole", "glue:CreateDevEndpoint", "glue:GetDevEndpoint"],
    &["iam:PassRole", "glue:CreateDevEndpoint", "glue:GetDevEndpoints"],
    &["iam:PassRole", "cloudformation:CreateStack", "cloudformation:DescribeStacks"],
    &[
        "iam:PassRole",
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
        "datapipeline:ActivatePipeline",
    ],
    &["iam:PassRole", "codestar:CreateProject"],
    &["iam:PassRole", "autoscaling:CreateAutoScalingGroup", "autoscaling:CreateLaunchConfiguration"],
    &["iam:PassRole", "autoscaling:UpdateAutoScalingGroup", "autoscaling:CreateLaunchConfiguration"],
    &["iam:PassRole", "ecs:RunTask"],
    &["iam:PassRole", "ecs:StartTask", "ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance"],
];

/// The services of the methods' actions.
const SERVICES: [&str; 9] =
    ["iam", "ec2", "lambda", "glue", "cloudformation", "datapipeline", "codestar", "autoscaling", "ecs"];

/// Whether a statement can match an action of the methods at all: it uses `NotAction`, or one
/// of its patterns has a wildcard service or one of [`SERVICES`]. Most statements name other
/// services, and this spares them a glob match per method action.
fn may_escalate(statement: &Statement) -> bool {
    statement.uses_not_action()
        || statement.actions.iter().any(|pattern| match pattern.split_once(':') {
            Some((service, _)) => {
                service.bytes().any(|b| matches!(b, b'*' | b'?'))
                    || SERVICES.iter().any(|known| known.eq_ignore_ascii_case(service))
            }
            None => true,
        })
}

/// The statements that can add to an escalation: Allow statements that may match a method's
/// action, except those allowing every action (the admin check reports them).
fn candidates(policy: &Policy) -> impl Iterator<Item = &Statement> {
    policy.statements.iter().filter(|s| s.is_allow() && !allows_every_action(s) && may_escalate(s))
}

/// Flags a policy whose Allow statements cover a whole escalation method.
pub(super) fn check(check: &'static Check, name: &str, policy: &Policy, findings: &mut Vec<Finding>) {
    if candidates(policy).next().is_none() {
        return;
    }
    let allowed = |action: &str| candidates(policy).any(|statement| statement.action_matches(action));
    let mut found: Option<Vec<&'static [&'static str]>> = None;
    for method in METHODS {
        if method.iter().all(|action| allowed(action)) {
            found.get_or_insert_with(Vec::new).push(method);
        }
    }
    let Some(methods) = found else { return };
    let mut actions: Vec<String> =
        methods.iter().flat_map(|method| method.iter()).map(|action| action.to_ascii_lowercase()).collect();
    actions.sort_unstable();
    actions.dedup();
    let mut notes = policy_note(name);
    notes.push_str("Actions: ");
    push_json_list(&mut notes, actions.iter().map(String::as_str));
    let described: Vec<String> = methods.iter().map(|method| method.join(" + ")).collect();
    let message = format!("Policy {name} allows privilege escalation: {}", described.join("; "));
    findings.push(Finding::new(check, message, notes));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{document, issues, notes, table};
    use super::{METHODS, SERVICES};
    use monkey_core::policy::actions;
    use serde_json::json;

    #[test]
    fn every_method_action_is_in_the_catalogue() {
        for action in METHODS.iter().flat_map(|m| m.iter()) {
            assert!(actions().get(action).is_some(), "{action} is not a known action");
        }
    }

    #[test]
    fn every_method_service_is_prefiltered() {
        for action in METHODS.iter().flat_map(|m| m.iter()) {
            let service = action.split_once(':').map(|(service, _)| service);
            assert!(service.is_some_and(|s| SERVICES.contains(&s)), "{action}");
        }
    }

    #[test]
    fn escalation_methods_are_flagged() {
        table(
            |f| f.privilege_escalation,
            &[
                document(json!({"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*"})),
                document(
                    json!({"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "arn:aws:iam::1:policy/p"}),
                ),
                document(json!([
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/r"},
                    {"Effect": "Allow", "Action": "ec2:Run*", "Resource": "*"}
                ])),
                document(json!({"Effect": "Allow", "Action": ["lambda:Update*"], "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "*am:AttachUserPolicy", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "IAM:AttachUserPolicy", "Resource": "*"})),
            ],
            &[
                document(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                document(json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})),
                document(
                    json!({"Effect": "Allow", "Action": ["ec2:RunInstances", "lambda:CreateFunction"], "Resource": "*"}),
                ),
                document(json!({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"})),
                document(json!({"Effect": "Deny", "Action": "iam:AttachUserPolicy", "Resource": "*"})),
                document(json!({"Effect": "Allow", "NotAction": ["iam:*", "lambda:*", "glue:*"], "Resource": "*"})),
            ],
        );
    }

    #[test]
    fn one_issue_lists_the_actions_of_every_method_found() {
        let doc = document(json!({"Effect": "Allow",
            "Action": ["iam:PutRolePolicy", "iam:AttachUserPolicy", "sts:AssumeRole", "kms:*"], "Resource": "*"}));
        assert_eq!(
            notes(|f| f.privilege_escalation, doc.clone()),
            [r#"Policy: [p] Actions: ["iam:attachuserpolicy", "iam:putrolepolicy"]"#]
        );
        let found = issues(|f| f.privilege_escalation, doc);
        assert_eq!(found[0].message, "Policy p allows privilege escalation: iam:AttachUserPolicy; iam:PutRolePolicy");
        assert_eq!(found[0].score, 8);
    }

    #[test]
    fn combinations_need_every_action() {
        let doc = document(json!([
            {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"},
            {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:1:function:f"}
        ]));
        assert_eq!(
            notes(|f| f.privilege_escalation, doc),
            [r#"Policy: [p] Actions: ["iam:passrole", "lambda:createfunction", "lambda:invokefunction"]"#]
        );
    }
}
