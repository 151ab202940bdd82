//! `securitygroup-ingress-open-to-world`: ingress from 0.0.0.0/0 or ::/0.

use super::rules::cidr_grants;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

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
An ingress rule whose source is `0.0.0.0/0` or `::/0`, one issue per protocol and port range.\n\n\
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
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

fn is_world(cidr: &str) -> bool {
    cidr.ends_with("/0")
}

/// Finds every world-open ingress grant of a security group configuration.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for grant in cidr_grants(config, "IpPermissions") {
        if !is_world(grant.cidr) {
            continue;
        }
        let access = grant.access("ingress");
        let notes = format!("Entity: [cidr:{}] Access: [{access}]", grant.cidr);
        if findings.iter().any(|f| f.notes == notes) {
            continue;
        }
        let message = format!("Security group allows ingress from {} ({access})", grant.cidr);
        findings.push(Finding::new(&SECURITYGROUP_INGRESS_OPEN_TO_WORLD, message, notes));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notes(config: Value) -> Vec<String> {
        check(&config).into_iter().map(|f| f.notes).collect()
    }

    #[test]
    fn passes() {
        for pass in [
            json!({}),
            json!({"IpPermissions": []}),
            json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
            json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
        ] {
            assert!(notes(pass.clone()).is_empty(), "{pass}");
        }
    }

    #[test]
    fn fails() {
        let config = json!({"IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ]});
        assert_eq!(
            notes(config),
            vec![
                "Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]".to_owned(),
                "Entity: [cidr:::/0] Access: [ingress:all_protocols:all_ports]".to_owned(),
            ]
        );
    }
}
