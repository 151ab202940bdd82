//! `securitygroup-wide-public-range`: a rule naming a large public IPv4 range that is not ours.

use super::Group;
use super::cidr::Ipv4Net;
use monkey_core::audit::Relation;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group trusts a public IPv4 range wider than /24.
    pub static SECURITYGROUP_WIDE_PUBLIC_RANGE = Check {
        id: "securitygroup-wide-public-range",
        technology: "securitygroup",
        title: "SecurityGroupWidePublicRange",
        category: Category::InternetAccessible,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ingress or egress rule whose IPv4 network has a prefix from `/1` to `/23` and holds public addresses (it is not \
entirely inside a private, shared, loopback, link-local, documentation or reserved range), unless the network is \
whitelisted or one of the account's own learned networks. `/0` is left to the internet checks. One issue per \
network, direction, protocol and port range; groups nothing uses keep their issues with weight 0.\n\n\
## Why it matters\n\
A `/16` is 65,536 addresses of somebody else's network, a `/8` is a sixteenth of a percent of the internet, and \
`0.0.0.0/1` plus `128.0.0.0/1` is all of it while dodging `/0` checks. Such ranges are usually a typo or a lazy \
approximation of a provider's addresses.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"52.0.0.0/8\"}]}` gives \
`Entity: [cidr:52.0.0.0/8] Access: [ingress:tcp:443]`.\n\n\
## How to fix\n\
Narrow the range to the addresses that need access (a provider publishes its ranges; use managed prefix lists for \
AWS services), or whitelist the network in monkey if it really is yours.\n\n\
## References\n\
- Prowler `ec2_securitygroup_allow_wide_open_public_ipv4`; ScoutSuite `ec2-security-group-whitelists-unknown-cidrs`.\n\
- Security Monkey `check_securitygroup_large_subnet` (RDS and older security-group auditors, score 3).\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

/// Finds every wide public network a group names.
pub(super) fn check(group: &Group<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    for grant in &group.grants {
        let Some(cidr) = grant.cidr() else { continue };
        // Most networks are /24 or narrower: decide from the prefix before parsing the address.
        if !Ipv4Net::prefix_of(cidr).is_some_and(|prefix| (1..=23).contains(&prefix)) {
            continue;
        }
        let Some(network) = Ipv4Net::parse(cidr) else { continue };
        if !network.has_public_addresses() {
            continue;
        }
        if ctx.environment.classify_cidr(&group.key.account, cidr) == Relation::Same {
            continue;
        }
        let notes = grant.notes("");
        let message = "Security group trusts a public network wider than /24";
        findings.push(Finding::new(&SECURITYGROUP_WIDE_PUBLIC_RANGE, message, notes).with_weight(group.weight()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use monkey_core::model::NetworkWhitelistEntry;
    use serde_json::{Value, json};

    fn ingress(cidr: &str) -> Value {
        json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": cidr}]}]})
    }

    #[test]
    fn table() {
        testing::table(
            &SECURITYGROUP_WIDE_PUBLIC_RANGE,
            &[
                ingress("52.0.0.0/8"),
                ingress("0.0.0.0/1"),
                ingress("128.0.0.0/1"),
                ingress("8.8.0.0/23"),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "35.0.0.0/16"}]}]}),
            ],
            &[
                json!({}),
                ingress("0.0.0.0/0"),
                ingress("8.8.8.0/24"),
                ingress("10.0.0.0/8"),
                ingress("100.64.0.0/10"),
                ingress("172.16.0.0/12"),
                ingress("not a network"),
                json!({"IpPermissions": [{"IpProtocol": "tcp", "Ipv6Ranges": [{"CidrIpv6": "2600::/16"}]}]}),
            ],
        );
    }

    #[test]
    fn whitelisted_and_own_networks_are_fine() {
        let office = NetworkWhitelistEntry::new("office", "52.0.0.0/8", "").expect("an entry");
        let environment = monkey_core::audit::Environment::new(vec![], vec![office]);
        let fixture = testing::Fixture { environment, ..Default::default() };
        assert!(testing::issues_with(&SECURITYGROUP_WIDE_PUBLIC_RANGE, ingress("52.1.0.0/16"), fixture).is_empty());
        let fixture = testing::Fixture {
            support: vec![("vpc", "vpc-1", json!({"VpcId": "vpc-1", "CidrBlock": "54.0.0.0/16"}))],
            ..Default::default()
        };
        // A VPC of the same account learned from the snapshot makes its range ours.
        assert!(testing::issues_with(&SECURITYGROUP_WIDE_PUBLIC_RANGE, ingress("54.0.0.0/16"), fixture).is_empty());
        let found = testing::issues(
            &SECURITYGROUP_WIDE_PUBLIC_RANGE,
            json!({"assigned_to": [], "IpPermissions": ingress("52.0.0.0/8")["IpPermissions"]}),
        );
        assert_eq!(
            (found[0].key.notes.as_str(), found[0].score),
            ("Entity: [cidr:52.0.0.0/8] Access: [ingress:tcp:443]", 0)
        );
    }
}
