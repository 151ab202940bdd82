//! `ec2instance-internet-accessible`: a public instance whose security groups open ports to the
//! internet, linked to those groups.

use super::exposures;
use crate::securitygroup::rules::{Direction, grants};
use monkey_core::auditor::{AuditContext, AuditedItem, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The internet reaches an instance through one of its security groups.
    pub static EC2INSTANCE_INTERNET_ACCESSIBLE = Check {
        id: "ec2instance-internet-accessible",
        technology: "ec2instance",
        title: "Ec2InstanceInternetAccessible",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance reachable from the internet: a security group on one of its network interfaces (`NetworkInterfaces[].\
Groups`, or `SecurityGroups` when no interface is recorded) allows ingress from `0.0.0.0/0` while that interface has \
a public IPv4 address, or from `::/0` while it has an IPv6 address. One issue per group, source, protocol and port \
range, linked to the security group item (read from the account's recorded security groups in the same region). \
Groups that were not recorded are skipped.\n\n\
## Why it matters\n\
An open rule on an unused group is harmless; the same rule on the group of a public instance is a service on the \
internet. This is the combination Security Monkey reported for load balancers and databases through linked \
security-group issues, applied to instances.\n\n\
## Example\n\
An instance with `PublicIpAddress` and an interface in `sg-1`, whose rule opens tcp/22 to `0.0.0.0/0`, gives \
`Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] Via: [sg-1]`.\n\n\
## How to fix\n\
Remove the public address (private subnet, load balancer, Session Manager) or narrow the group's rule. Justify the \
issue for a deliberately public service.\n\n\
## References\n\
- Security Monkey `link_to_support_item_issues` (ELB, ALB and RDS auditors linking `securitygroup` issues).\n\
- Security Hub EC2.9 with EC2.18 / EC2.19.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security-groups.html\n",
    };
}

/// One finding per internet-open ingress grant of each security group the internet reaches the
/// instance through.
pub(super) fn check(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    let exposed = exposures(item.config);
    let mut findings: Vec<Finding> = Vec::new();
    if !exposed.iter().any(|e| e.ipv4 || e.ipv6) {
        return findings;
    }
    let groups = exposed.iter().flat_map(|exposure| {
        let found = ctx.support_where("securitygroup", "GroupId", exposure.group);
        found.into_iter().filter(|g| g.key.region == item.key.region).map(move |group| (exposure, group))
    });
    for (exposure, group) in groups {
        let id = exposure.group;
        for grant in grants(&group.config) {
            if grant.direction != Direction::Ingress || !grant.is_world() {
                continue;
            }
            let cidr = grant.cidr().unwrap_or_default();
            let reached = if cidr.contains(':') { exposure.ipv6 } else { exposure.ipv4 };
            if !reached {
                continue;
            }
            let mut notes = grant.notes("");
            notes.push_str(" Via: [");
            notes.push_str(id);
            notes.push(']');
            let message = format!("Instance is reachable from the internet through security group {id}");
            let finding = Finding::new(&EC2INSTANCE_INTERNET_ACCESSIBLE, message, notes);
            findings.push(finding.with_links(vec![group.key.clone()]));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, Fixture};
    use serde_json::{Value, json};

    fn groups() -> Vec<(&'static str, &'static str, Value)> {
        vec![
            (
                "securitygroup",
                "ssh",
                json!({"GroupId": "sg-ssh", "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]},
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
                "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
            ),
            (
                "securitygroup",
                "private",
                json!({"GroupId": "sg-private", "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]}),
            ),
            ("securitygroup", "broken", json!({"GroupId": 7, "IpPermissions": "x"})),
        ]
    }

    fn issues(config: Value) -> Vec<monkey_core::model::Issue> {
        testing::issues_with(
            &EC2INSTANCE_INTERNET_ACCESSIBLE,
            config,
            Fixture { support: groups(), ..Default::default() },
        )
    }

    fn instance(public: Option<&str>, ipv6: bool, group: &str) -> Value {
        let ipv6: Vec<Value> = if ipv6 { vec![json!({"Ipv6Address": "2600::1"})] } else { vec![] };
        json!({"PublicIpAddress": public, "NetworkInterfaces": [{
            "Association": {"PublicIp": public}, "Ipv6Addresses": ipv6, "Groups": [{"GroupId": group}]}]})
    }

    #[test]
    fn table() {
        let fail = [
            instance(Some("54.1.1.1"), false, "sg-ssh"),
            instance(None, true, "sg-ssh"),
            json!({"PublicIpAddress": "54.1.1.1", "SecurityGroups": [{"GroupId": "sg-ssh"}]}),
        ];
        let pass = [
            json!({}),
            instance(None, false, "sg-ssh"),
            instance(Some("54.1.1.1"), true, "sg-private"),
            instance(Some("54.1.1.1"), false, "sg-unrecorded"),
            json!({"PublicIpAddress": "54.1.1.1", "NetworkInterfaces": "oops"}),
        ];
        for config in &fail {
            assert!(!issues(config.clone()).is_empty(), "should flag {config}");
        }
        for config in pass {
            assert!(issues(config.clone()).is_empty(), "should not flag {config}");
        }
        // Without the groups recorded nothing can be said.
        assert!(testing::issues(&EC2INSTANCE_INTERNET_ACCESSIBLE, fail[0].clone()).is_empty());
    }

    #[test]
    fn each_open_rule_is_reported_through_its_group_with_a_link() {
        let found = issues(instance(Some("54.1.1.1"), true, "sg-ssh"));
        let summary: Vec<(&str, u32, &[monkey_core::model::ItemKey])> =
            found.iter().map(|i| (i.key.notes.as_str(), i.score, i.links.as_slice())).collect();
        let link = [testing::key("securitygroup", "ssh")];
        assert_eq!(
            summary,
            vec![
                ("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22] Via: [sg-ssh]", 10, &link[..]),
                ("Entity: [cidr:::/0] Access: [ingress:tcp:443] Via: [sg-ssh]", 10, &link[..]),
            ]
        );
        let ipv4_only = issues(instance(Some("54.1.1.1"), false, "sg-ssh"));
        assert_eq!(ipv4_only.len(), 1, "::/0 does not reach an instance without IPv6");
    }
}
