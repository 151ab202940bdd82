//! `securitygroup-all-ports-open-to-world`: every port or protocol open to the internet.

use super::Group;
use super::rules::Direction;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group opens every port (or every protocol) to the internet.
    pub static SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD = Check {
        id: "securitygroup-all-ports-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupAllPortsOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Ingress from `0.0.0.0/0` or `::/0` for every protocol (`IpProtocol` `-1`) or for every TCP or UDP port \
(`0-65535`, also `1-65535`), one issue per rule and source. Groups nothing uses keep their issues with weight 0.\n\n\
## Why it matters\n\
The group stops filtering anything: every service its members run, including those nobody meant to expose \
(debug ports, agents, databases bound to all interfaces), is on the internet.\n\n\
## Example\n\
`{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` gives \
`Entity: [cidr:0.0.0.0/0] Access: [ingress:all_protocols:all_ports]`.\n\n\
## How to fix\n\
Replace the rule with the ports the service offers, from the networks that need them.\n\n\
## References\n\
- Prowler `ec2_securitygroup_allow_ingress_from_internet_to_all_ports`; ScoutSuite \
`ec2-security-group-opens-all-ports-to-all`; covered by Security Hub EC2.18 / EC2.19.\n\
- Security Monkey flagged these through `check_internet_accessible_ingress`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

/// Finds every rule that opens all ports to the internet.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    for grant in group.world(Direction::Ingress).filter(|g| g.opens_all_ports()) {
        let notes = grant.notes("");
        let message = "Security group opens every port to the whole internet";
        findings.push(Finding::new(&SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD, message, notes).with_weight(group.weight()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn world(protocol: &str, from: Value, to: Value) -> Value {
        json!({"IpPermissions": [{"IpProtocol": protocol, "FromPort": from, "ToPort": to, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})
    }

    #[test]
    fn table() {
        testing::table(
            &SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD,
            &[
                world("-1", Value::Null, Value::Null),
                world("tcp", json!(0), json!(65535)),
                world("udp", json!(1), json!(65535)),
                world("tcp", Value::Null, Value::Null),
                json!({"IpPermissions": [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
            ],
            &[
                json!({}),
                world("tcp", json!(2), json!(65535)),
                world("tcp", json!(0), json!(65534)),
                world("icmp", json!(-1), json!(-1)),
                world("50", Value::Null, Value::Null),
                json!({"IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
            ],
        );
    }

    #[test]
    fn notes_name_the_rule() {
        assert_eq!(
            testing::notes(&SECURITYGROUP_ALL_PORTS_OPEN_TO_WORLD, world("udp", json!(1), json!(65535))),
            vec!["Entity: [cidr:0.0.0.0/0] Access: [ingress:udp:1-65535]".to_owned()]
        );
    }
}
