//! `securitygroup-egress-open-to-world`: egress to 0.0.0.0/0 or ::/0.

use super::Group;
use super::rules::Direction;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group lets its members send traffic anywhere on the internet.
    pub static SECURITYGROUP_EGRESS_OPEN_TO_WORLD = Check {
        id: "securitygroup-egress-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupEgressOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An egress rule whose destination is `0.0.0.0/0` or `::/0`, one issue per destination, protocol and port range. \
Groups nothing uses (recorded `assigned_to` empty) keep their issues with weight 0.\n\n\
## Why it matters\n\
Unrestricted egress lets a compromised instance reach any command-and-control server and exfiltrate data to any \
address. It is also AWS's default: every new group gets `egress:all_protocols:all_ports` to `0.0.0.0/0`, so nearly \
every group has it. Security Monkey scored it 10, which buried real findings under one issue per group; monkey \
scores it 1 by default so it stays visible without drowning the rest. Raise the score with an override where \
egress is meant to be filtered.\n\n\
## Example\n\
The default rule `{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` in `IpPermissionsEgress` gives \
`Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]`.\n\n\
## How to fix\n\
Replace the rule with the destinations the workload needs (a proxy, VPC endpoints through prefix lists, the ports \
of its dependencies), or justify the issue where open egress is accepted.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_internet_accessible_egress` (score 10 there).\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html\n",
    };
}

/// Finds every world-open egress grant of a security group.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    for grant in group.world(Direction::Egress) {
        let notes = grant.notes("");
        let message = "Security group allows egress to the whole internet";
        findings.push(Finding::new(&SECURITYGROUP_EGRESS_OPEN_TO_WORLD, message, notes).with_weight(group.weight()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let all = json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]});
        testing::table(
            &SECURITYGROUP_EGRESS_OPEN_TO_WORLD,
            &[
                json!({"IpPermissionsEgress": [all]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
            ],
            &[
                json!({}),
                json!({"IpPermissionsEgress": []}),
                json!({"IpPermissionsEgress": "oops"}),
                json!({"IpPermissions": [all]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "PrefixListIds": [{"PrefixListId": "pl-1"}]}]}),
            ],
        );
    }

    #[test]
    fn default_rule_scores_one_and_nothing_when_unattached() {
        let egress =
            json!([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]);
        let attached = testing::issues(
            &SECURITYGROUP_EGRESS_OPEN_TO_WORLD,
            json!({"IpPermissionsEgress": egress, "assigned_to": [{}]}),
        );
        let found: Vec<(&str, u32)> = attached.iter().map(|i| (i.key.notes.as_str(), i.score)).collect();
        assert_eq!(
            found,
            vec![
                ("Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]", 1),
                ("Entity: [cidr:::/0] Access: [egress:all_protocols:all_ports]", 1),
            ]
        );
        let unattached = testing::issues(
            &SECURITYGROUP_EGRESS_OPEN_TO_WORLD,
            json!({"IpPermissionsEgress": egress, "assigned_to": []}),
        );
        assert!(unattached.iter().all(|i| i.score == 0) && unattached.len() == 2);
    }
}
