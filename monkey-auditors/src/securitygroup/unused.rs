//! `securitygroup-unused`: a security group no network interface uses.

use super::Group;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group nothing uses.
    pub static SECURITYGROUP_UNUSED = Check {
        id: "securitygroup-unused",
        technology: "securitygroup",
        title: "SecurityGroupUnused",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A security group whose recorded `assigned_to` (the network interfaces using it: instances, load balancers, \
databases, functions in a VPC, endpoints) is an empty list. Default groups are left out (they cannot be deleted), \
and so are groups whose use was not recorded. The same condition weights the group's exposure issues 0.\n\n\
## Why it matters\n\
Unused groups pile up, hide the groups that matter, and carry rules that someone will attach without reading. They \
are informational: nothing is exposed through them today.\n\n\
## Example\n\
`{\"GroupName\": \"old-bastion\", \"assigned_to\": []}` gives the notes `Unattached`.\n\n\
## How to fix\n\
Delete the group if nothing references it (launch templates, other groups' rules, infrastructure code); otherwise \
justify the issue.\n\n\
## References\n\
- Security Hub EC2.22; Prowler `ec2_securitygroup_not_used`; ScoutSuite `ec2-unused-security-group`.\n\
- Security Monkey's \"empty group\" score multiplier (`_check_empty_security_group`).\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/working-with-security-groups.html\n",
    };
}

/// Flags a group nothing uses.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    if group.attached != Some(false) || group.is_default() {
        return;
    }
    findings.push(Finding::new(&SECURITYGROUP_UNUSED, "No network interface uses the security group", "Unattached"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &SECURITYGROUP_UNUSED,
            &[json!({"GroupName": "old", "assigned_to": []}), json!({"assigned_to": []})],
            &[
                json!({"GroupName": "web", "assigned_to": [{"InstanceId": "i-1"}]}),
                json!({"GroupName": "default", "assigned_to": []}),
                json!({"GroupName": "web"}),
                json!({"GroupName": "web", "assigned_to": null}),
                json!({"GroupName": "web", "assigned_to": {}}),
            ],
        );
        assert_eq!(testing::notes(&SECURITYGROUP_UNUSED, json!({"assigned_to": []})), vec!["Unattached".to_owned()]);
    }
}
