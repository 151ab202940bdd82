//! `networkacl-admin-port-open-to-world`: SSH or RDP allowed in from the whole internet.

use super::{Entry, deciding};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A network ACL lets SSH or RDP in from the internet.
    pub static NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD = Check {
        id: "networkacl-admin-port-open-to-world",
        technology: "networkacl",
        title: "NetworkAclAdminPortOpenToWorld",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ACL whose inbound rules let TCP port 22 (SSH) or 3389 (RDP) in from `0.0.0.0/0` or `::/0`: the lowest-numbered \
inbound entry from that `/0` covering the port (all traffic, or TCP with a port range holding it) is an `allow`, not \
shadowed by a lower-numbered `deny`. One issue per port and address family. The default ACL of every VPC allows \
all traffic, so it is reported too, as Security Hub does. An ACL no subnet uses keeps its issues with weight 0.\n\n\
## Why it matters\n\
Network ACLs are the subnet-wide second line behind security groups: a single careless security-group rule on \
an instance in the subnet then exposes remote administration to the whole internet.\n\n\
## Example\n\
`{\"Entries\": [{\"RuleNumber\": 100, \"Egress\": false, \"RuleAction\": \"allow\", \"Protocol\": \"6\", \
\"PortRange\": {\"From\": 22, \"To\": 22}, \"CidrBlock\": \"0.0.0.0/0\"}]}` gives `Entity: [cidr:0.0.0.0/0] Access: \
[ingress:tcp:22]`.\n\n\
## How to fix\n\
Add `deny` entries for 22 and 3389 from `0.0.0.0/0` and `::/0` numbered below the allow entries (allowing \
administration networks first), and reach instances through Session Manager or a VPN.\n\n\
## References\n\
- Security Hub EC2.21; Prowler `ec2_networkacl_allow_ingress_tcp_port_22`, `ec2_networkacl_allow_ingress_tcp_port_3389`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html\n",
    };
}

/// The administration ports, with what listens there.
const ADMIN_PORTS: [(i64, &str); 2] = [(22, "SSH"), (3389, "RDP")];

/// Flags every administration port the internet may reach through the ACL.
pub(super) fn check(entries: &[Entry<'_>], weight: u32) -> Vec<Finding> {
    let mut findings = Vec::new();
    for ipv6 in [false, true] {
        for (port, service) in ADMIN_PORTS {
            let Some(entry) = deciding(entries, ipv6, |e| e.covers_tcp_port(port)).filter(|e| e.allow) else {
                continue;
            };
            let notes = format!("Entity: [cidr:{}] Access: [ingress:tcp:{port}]", entry.cidr);
            let message =
                format!("Network ACL allows {service} (tcp/{port}) in from the whole internet (rule {})", entry.number);
            findings.push(Finding::new(&NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD, message, notes).with_weight(weight));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn entry(number: i64, action: &str, protocol: &str, ports: Option<(i64, i64)>, cidr: &str) -> Value {
        let key = if cidr.contains(':') { "Ipv6CidrBlock" } else { "CidrBlock" };
        json!({"RuleNumber": number, "Egress": false, "RuleAction": action, "Protocol": protocol,
               "PortRange": ports.map(|(from, to)| json!({"From": from, "To": to})), key: cidr})
    }

    fn acl(entries: Vec<Value>) -> Value {
        json!({"Entries": entries, "Associations": [{"SubnetId": "subnet-1"}]})
    }

    #[test]
    fn table() {
        let deny_all = entry(32767, "deny", "-1", None, "0.0.0.0/0");
        testing::table(
            &NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD,
            &[
                acl(vec![entry(100, "allow", "-1", None, "0.0.0.0/0"), deny_all.clone()]),
                acl(vec![entry(100, "allow", "6", Some((22, 22)), "0.0.0.0/0")]),
                acl(vec![entry(100, "allow", "6", Some((3000, 4000)), "::/0")]),
                acl(vec![
                    entry(90, "deny", "6", Some((22, 22)), "203.0.113.0/24"),
                    entry(100, "allow", "6", None, "0.0.0.0/0"),
                ]),
                acl(vec![
                    entry(90, "deny", "6", Some((22, 22)), "::/0"),
                    entry(100, "allow", "6", Some((22, 22)), "0.0.0.0/0"),
                ]),
            ],
            &[
                json!({}),
                acl(vec![deny_all.clone()]),
                acl(vec![
                    entry(90, "deny", "6", Some((0, 65535)), "0.0.0.0/0"),
                    entry(100, "allow", "-1", None, "0.0.0.0/0"),
                ]),
                acl(vec![
                    entry(90, "deny", "-1", None, "0.0.0.0/0"),
                    entry(100, "allow", "6", Some((22, 22)), "0.0.0.0/0"),
                ]),
                acl(vec![entry(100, "allow", "6", Some((22, 22)), "10.0.0.0/8")]),
                acl(vec![entry(100, "allow", "17", Some((22, 22)), "0.0.0.0/0")]),
                acl(vec![entry(100, "allow", "6", Some((80, 443)), "0.0.0.0/0")]),
                json!({"Entries": [{"RuleNumber": 100, "Egress": true, "RuleAction": "allow", "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}]}),
            ],
        );
    }

    #[test]
    fn one_issue_per_port_and_family() {
        let config =
            acl(vec![entry(100, "allow", "-1", None, "0.0.0.0/0"), entry(101, "allow", "6", Some((22, 22)), "::/0")]);
        assert_eq!(
            testing::notes(&NETWORKACL_ADMIN_PORT_OPEN_TO_WORLD, config),
            vec![
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]".to_owned(),
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389]".to_owned(),
                "Entity: [cidr:::/0] Access: [ingress:tcp:22]".to_owned(),
            ]
        );
    }
}
