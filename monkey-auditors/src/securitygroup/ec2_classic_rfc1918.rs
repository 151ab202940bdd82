//! `securitygroup-ec2-classic-rfc1918`: an EC2-Classic group trusting private (RFC 1918) networks.

use super::Group;
use super::cidr::Ipv4Net;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An EC2-Classic security group names an RFC 1918 network.
    pub static SECURITYGROUP_EC2_CLASSIC_RFC1918 = Check {
        id: "securitygroup-ec2-classic-rfc1918",
        technology: "securitygroup",
        title: "SecurityGroupEc2ClassicRfc1918",
        category: Category::InsecureConfiguration,
        default_score: 5,
        status: CheckStatus::Deprecated,
        docs: "## What it finds\n\
A security group outside any VPC (no `VpcId`: an EC2-Classic group) with a rule whose network lies in \
`10.0.0.0/8`, `172.16.0.0/12` or `192.168.0.0/16`, one issue per network (the notes are the CIDR, as in Security \
Monkey). Groups nothing uses keep their issues with weight 0. Deprecated: AWS retired EC2-Classic in 2022, so the \
check only matters for records of old accounts.\n\n\
## Why it matters\n\
EC2-Classic's private network was shared by every customer in the region: a private address there could belong to \
anyone, so trusting `10.0.0.0/8` trusted strangers.\n\n\
## Example\n\
A group without `VpcId` and the rule `{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": \
[{\"CidrIp\": \"10.0.0.0/8\"}]}` gives the notes `10.0.0.0/8`.\n\n\
## How to fix\n\
Migrate the workload into a VPC, where private ranges are yours alone, and delete the Classic group.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_securitygroup_ec2_rfc1918` (score 5, unattached × 0).\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-classic-platform.html\n\
- https://datatracker.ietf.org/doc/html/rfc1918\n",
    };
}

/// Finds every RFC 1918 network named by a group that is not in a VPC.
pub(super) fn check(group: &Group<'_>, findings: &mut Vec<Finding>) {
    if group.vpc.and_then(Value::as_str).is_some_and(|vpc| !vpc.is_empty()) {
        return;
    }
    for cidr in group.grants.iter().filter_map(|g| g.cidr()) {
        let reported = |f: &Finding| f.check == &SECURITYGROUP_EC2_CLASSIC_RFC1918 && f.notes == cidr;
        if !Ipv4Net::parse(cidr).is_some_and(Ipv4Net::is_rfc1918) || findings.iter().any(reported) {
            continue;
        }
        let message = "Non-VPC security group contains a private RFC-1918 CIDR";
        findings.push(Finding::new(&SECURITYGROUP_EC2_CLASSIC_RFC1918, message, cidr).with_weight(group.weight()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    fn group(vpc: Value, cidr: &str) -> Value {
        json!({"VpcId": vpc, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}]})
    }

    #[test]
    fn table() {
        testing::table(
            &SECURITYGROUP_EC2_CLASSIC_RFC1918,
            &[
                group(Value::Null, "10.0.0.0/8"),
                group(json!(""), "192.168.1.0/24"),
                json!({"IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "172.20.0.5/32"}]}]}),
            ],
            &[
                json!({}),
                group(json!("vpc-1"), "10.0.0.0/8"),
                group(Value::Null, "172.32.0.0/16"),
                group(Value::Null, "0.0.0.0/0"),
                group(Value::Null, "fd00::/8"),
            ],
        );
    }

    #[test]
    fn notes_are_the_cidr_once() {
        let config = json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]});
        let found = testing::issues(&SECURITYGROUP_EC2_CLASSIC_RFC1918, config);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("10.0.0.0/8", 5));
    }
}
