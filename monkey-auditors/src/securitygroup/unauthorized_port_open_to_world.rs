//! `securitygroup-unauthorized-port-open-to-world`: internet ingress to anything but the
//! authorized web ports.

use super::Group;
use super::rules::{Direction, Protocol};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group opens a port other than the authorized ones (80, 443) to the internet.
    pub static SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD = Check {
        id: "securitygroup-unauthorized-port-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupUnauthorizedPortOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Ingress from `0.0.0.0/0` or `::/0` to anything other than the authorized TCP ports 80 and 443 (Security Hub's \
default): other TCP ports, any UDP port, every protocol, or protocols without ports (ESP, GRE). ICMP is not \
reported. One issue per rule and source; a range counts when any port in it is not authorized (`tcp:80-443` does). \
Groups nothing uses keep their issues with weight 0.\n\n\
## Why it matters\n\
Web ports are what a public service normally offers; anything else open to the internet is usually an \
administration, database or internal port exposed by accident.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 8443, \"ToPort\": 8443, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` gives \
`Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:8443]`; `tcp:443` from anywhere raises nothing here.\n\n\
## How to fix\n\
Restrict the source of the rule, or move the service behind a load balancer on 443. Justify the issue for \
services that must be public on another port (SMTP relays, VPN endpoints).\n\n\
## References\n\
- Security Hub EC2.18 (`authorizedTcpPorts` 80, 443); Prowler \
`ec2_securitygroup_allow_ingress_from_internet_to_any_port`; ScoutSuite `ec2-security-group-opens-port-to-all`.\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

/// The TCP ports that may be open to the internet.
pub(crate) const AUTHORIZED_TCP_PORTS: [i64; 2] = [80, 443];

fn authorized(from: i64, to: i64) -> bool {
    // A wider range than there are authorized ports cannot hold only authorized ones.
    to - from < AUTHORIZED_TCP_PORTS.len() as i64 && (from..=to).all(|port| AUTHORIZED_TCP_PORTS.contains(&port))
}

/// Finds every rule that opens an unauthorized port to the internet.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    for grant in group.world(Direction::Ingress) {
        let allowed = match grant.protocol_kind() {
            Protocol::Icmp | Protocol::Icmpv6 => true,
            Protocol::Tcp => grant.port_range().is_some_and(|(from, to)| authorized(from, to)),
            Protocol::All | Protocol::Udp | Protocol::Other => false,
        };
        if allowed {
            continue;
        }
        let notes = grant.notes("");
        let message = "Security group opens a port other than 80 and 443 to the whole internet";
        let finding = Finding::new(&SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD, message, notes);
        findings.push(finding.with_weight(group.weight()));
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
            &SECURITYGROUP_UNAUTHORIZED_PORT_OPEN_TO_WORLD,
            &[
                world("tcp", json!(22), json!(22)),
                world("tcp", json!(80), json!(443)),
                world("tcp", json!(79), json!(80)),
                world("udp", json!(443), json!(443)),
                world("-1", Value::Null, Value::Null),
                world("47", Value::Null, Value::Null),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
            ],
            &[
                json!({}),
                world("tcp", json!(80), json!(80)),
                world("tcp", json!(443), json!(443)),
                world("6", json!(443), json!(443)),
                world("icmp", json!(8), json!(-1)),
                world("icmpv6", json!(-1), json!(-1)),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
            ],
        );
    }

    #[test]
    fn authorized_ranges() {
        assert!(authorized(80, 80) && authorized(443, 443));
        assert!(!authorized(80, 443) && !authorized(0, 65535) && !authorized(81, 81));
    }
}
