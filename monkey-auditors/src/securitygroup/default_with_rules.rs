//! `securitygroup-default-with-rules`: a VPC's default security group that allows any traffic.

use super::Group;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A default security group has inbound or outbound rules.
    pub static SECURITYGROUP_DEFAULT_WITH_RULES = Check {
        id: "securitygroup-default-with-rules",
        technology: "securitygroup",
        title: "SecurityGroupDefaultWithRules",
        category: Category::InsecureConfiguration,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A security group named `default` (the group AWS creates with every VPC) with any ingress or egress rule, one issue per \
rule source, direction, protocol and port range. AWS creates it allowing all traffic from its own members and all \
egress, so every untouched default group is reported. Unlike the exposure checks, the issue keeps its score when \
nothing uses the group: it is about what the group will do to whatever lands in it.\n\n\
## Why it matters\n\
Resources launched without an explicit group (a hurried console launch, a template that forgot one) land in the \
default group and silently get its rules; members can also reach each other on every port. CIS recommends that \
the default group restricts all traffic, so nobody relies on it.\n\n\
## Example\n\
The default egress rule `{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` gives \
`Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]`.\n\n\
## How to fix\n\
Remove every rule of the default group (it cannot be deleted), and give each resource a purpose-made group.\n\n\
## References\n\
- Security Hub EC2.2 (CIS 5.4); Prowler `ec2_securitygroup_default_restrict_traffic`; ScoutSuite \
`ec2-default-security-group-with-rules`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html\n",
    };
}

/// Finds every rule of a default group.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    if !group.is_default() {
        return;
    }
    for grant in &group.grants {
        let notes = grant.notes("");
        let message = "The default security group allows traffic";
        findings.push(Finding::new(&SECURITYGROUP_DEFAULT_WITH_RULES, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let egress = json!([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]);
        let from_itself =
            json!([{"IpProtocol": "-1", "UserIdGroupPairs": [{"UserId": testing::OURS, "GroupId": "sg-1"}]}]);
        testing::table(
            &SECURITYGROUP_DEFAULT_WITH_RULES,
            &[
                json!({"GroupName": "default", "IpPermissionsEgress": egress}),
                json!({"GroupName": "default", "IpPermissions": from_itself, "assigned_to": []}),
                json!({"GroupName": "default", "IpPermissions": [{"IpProtocol": "tcp", "PrefixListIds": [{"PrefixListId": "pl-1"}]}]}),
            ],
            &[
                json!({"GroupName": "default", "IpPermissions": [], "IpPermissionsEgress": []}),
                json!({"GroupName": "default"}),
                json!({"GroupName": "web", "IpPermissionsEgress": egress}),
                json!({"GroupName": 7, "IpPermissionsEgress": egress}),
                json!({"IpPermissionsEgress": egress}),
            ],
        );
    }

    #[test]
    fn one_issue_per_rule_scored_even_unattached() {
        let config = json!({"GroupName": "default", "assigned_to": [],
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"UserId": testing::OURS, "GroupId": "sg-1"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]});
        let found: Vec<(String, u32)> = testing::issues(&SECURITYGROUP_DEFAULT_WITH_RULES, config)
            .into_iter()
            .map(|i| (i.key.notes, i.score))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]".to_owned(), 5),
                ("Entity: [security_group:111111111111/sg-1] Access: [ingress:all_protocols:all_ports]".to_owned(), 5),
            ]
        );
    }
}
