//! `securitygroup-high-risk-port-open-to-world`: SSH, RDP, databases and other high-risk TCP
//! ports open to the internet.

use super::Group;
use super::rules::Direction;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group opens a high-risk TCP port to the internet.
    pub static SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD = Check {
        id: "securitygroup-high-risk-port-open-to-world",
        technology: "securitygroup",
        title: "SecurityGroupHighRiskPortOpenToWorld",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Ingress from `0.0.0.0/0` or `::/0` that reaches one of Security Hub's high-risk TCP ports: 20, 21 (FTP), 22 (SSH), \
23 (Telnet), 25 (SMTP), 110 (POP3), 135 (MS RPC), 143 (IMAP), 445 (SMB), 1433, 1434 (SQL Server), 3000, 3306 \
(MySQL), 3389 (RDP), 4333, 5000, 5432 (PostgreSQL), 5500 (VNC), 5601 (Kibana), 8080, 8088, 8888, 9200, 9300 \
(Elasticsearch). One issue per port and source, whether the rule names the port, a range around it or every \
protocol. Groups nothing uses keep their issues with weight 0.\n\n\
## Why it matters\n\
These are remote administration, file sharing, mail and database ports: the services most scanned and brute-forced \
on the internet, and the ones whose exposure most often ends in a breach (open Elasticsearch and MongoDB dumps, \
RDP ransomware).\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 3000, \"ToPort\": 3400, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}` gives \
`Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3000]`, `... [ingress:tcp:3306]` and `... [ingress:tcp:3389]`.\n\n\
## How to fix\n\
Restrict the source to known networks, reach administration ports through Session Manager or a VPN, and keep \
databases in private subnets reachable only from their clients' security groups.\n\n\
## References\n\
- Security Hub EC2.19 (high-risk ports), EC2.13 (port 22) and EC2.14 (port 3389); Prowler \
`ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports` and the per-port checks; ScoutSuite \
`ec2-security-group-opens-known-port-to-all`.\n\
- Security Monkey flagged these through `check_internet_accessible_ingress`.\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

/// Security Hub EC2.19's high-risk TCP ports, with what usually listens there.
pub(crate) const HIGH_RISK_PORTS: [(i64, &str); 24] = [
    (20, "FTP data"),
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (25, "SMTP"),
    (110, "POP3"),
    (135, "MS RPC"),
    (143, "IMAP"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1434, "SQL Server Browser"),
    (3000, "development web servers"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (4333, "mSQL"),
    (5000, "development web servers"),
    (5432, "PostgreSQL"),
    (5500, "VNC"),
    (5601, "Kibana"),
    (8080, "HTTP proxies"),
    (8088, "HTTP alternate"),
    (8888, "HTTP alternate"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
];

/// Finds every high-risk port a group opens to the internet.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    for grant in group.world(Direction::Ingress) {
        for (port, service) in HIGH_RISK_PORTS {
            if !grant.covers_tcp_port(port) {
                continue;
            }
            let cidr = grant.cidr().unwrap_or_default();
            let notes = format!("Entity: [cidr:{cidr}] Access: [ingress:tcp:{port}]");
            let message = format!("Security group opens TCP port {port} ({service}) to the whole internet");
            let finding = Finding::new(&SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD, message, notes);
            findings.push(finding.with_weight(group.weight()));
        }
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
            &SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD,
            &[
                world("tcp", json!(22), json!(22)),
                world("6", json!(3389), json!(3389)),
                world("tcp", json!(9000), json!(9999)),
                world("-1", Value::Null, Value::Null),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
            ],
            &[
                json!({}),
                world("tcp", json!(443), json!(443)),
                world("tcp", json!(24), json!(24)),
                world("udp", json!(22), json!(22)),
                world("icmp", json!(-1), json!(-1)),
                world("tcp", json!(26), json!(109)),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
                json!({"IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
            ],
        );
    }

    #[test]
    fn one_issue_per_port_inside_a_range() {
        let notes = testing::notes(&SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD, world("tcp", json!(3000), json!(3400)));
        assert_eq!(
            notes,
            vec![
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3000]".to_owned(),
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3306]".to_owned(),
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:3389]".to_owned(),
            ]
        );
        let all = testing::issues(&SECURITYGROUP_HIGH_RISK_PORT_OPEN_TO_WORLD, world("-1", Value::Null, Value::Null));
        assert_eq!(all.len(), HIGH_RISK_PORTS.len());
        assert!(all.iter().all(|i| i.score == 10));
    }
}
