//! `securitygroup-ingress-open-to-world`: ingress from 0.0.0.0/0 or ::/0.

use super::Group;
use super::rules::Direction;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group lets anyone on the internet in.
    pub static SECURITYGROUP_INGRESS_OPEN_TO_WORLD = Check {
        id: "securitygroup-ingress-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupIngressOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ingress rule whose source is `0.0.0.0/0` or `::/0` (any `/0` network), one issue per source, protocol and \
port range. A group nothing uses (its recorded `assigned_to` list of network interfaces is empty) keeps its issues \
with weight 0, so they score 0 until something uses the group; when `assigned_to` was not recorded the weight is 1.\n\n\
## Why it matters\n\
Every instance, load balancer or database in the group is reachable from any address on the internet on those ports: \
SSH and RDP brute force, unpatched services and forgotten admin consoles are found by scanners within minutes.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` gives \
`Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]`.\n\n\
## How to fix\n\
Narrow the source to the networks that need access (a VPN, an office, a load balancer's group), or put the service \
behind a load balancer or Session Manager. If the exposure is intended (a public web port), justify the issue.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_internet_accessible_ingress` (score 10, unattached groups × 0).\n\
- Security Hub EC2.18 / EC2.19; Prowler `ec2_securitygroup_allow_ingress_from_internet_to_any_port`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

/// Finds every world-open ingress grant of a security group.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    for grant in group.world(Direction::Ingress) {
        let notes = grant.notes("");
        let message = "Security group allows ingress from the whole internet";
        findings.push(Finding::new(&SECURITYGROUP_INGRESS_OPEN_TO_WORLD, message, notes).with_weight(group.weight()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let ssh = json!({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]});
        testing::table(
            &SECURITYGROUP_INGRESS_OPEN_TO_WORLD,
            &[
                json!({"IpPermissions": [ssh]}),
                json!({"IpPermissions": [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
                json!({"IpPermissions": [ssh], "assigned_to": []}),
                json!({"IpPermissions": [ssh], "assigned_to": "not a list"}),
            ],
            &[
                json!({}),
                json!(null),
                json!({"IpPermissions": []}),
                json!({"IpPermissions": null}),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
            ],
        );
    }

    #[test]
    fn one_issue_per_source_and_port_range() {
        let config = json!({"IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ]});
        assert_eq!(
            testing::notes(&SECURITYGROUP_INGRESS_OPEN_TO_WORLD, config),
            vec![
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]".to_owned(),
                "Entity: [cidr:::/0] Access: [ingress:all_protocols:all_ports]".to_owned(),
            ]
        );
    }

    #[test]
    fn unattached_groups_weigh_nothing_and_unknown_use_counts() {
        let ssh = json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]);
        let score = |config| testing::issues(&SECURITYGROUP_INGRESS_OPEN_TO_WORLD, config)[0].score;
        assert_eq!(score(json!({"IpPermissions": ssh, "assigned_to": []})), 0);
        assert_eq!(score(json!({"IpPermissions": ssh, "assigned_to": [{"InstanceId": "i-1"}]})), 10);
        assert_eq!(score(json!({"IpPermissions": ssh})), 10, "use not recorded: unknown, so it counts");
        assert_eq!(score(json!({"IpPermissions": ssh, "assigned_to": null})), 10);
    }
}
