//! `securitygroup-unknown-cross-account`: rules naming accounts or networks nobody registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group lets in (or out to) a group or network nobody registered.
    pub static SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT = Check {
        id: "securitygroup-unknown-cross-account",
        technology: "securitygroup",
        title: "SecurityGroupUnknownCrossAccount",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ingress or egress rule (the direction is in the notes) whose source is a security group of an account that is not \
stored, or a network other than `/0` that is neither whitelisted nor inside a VPC or Elastic IP learned from a \
stored account. One issue per source, direction, protocol and port range. `/0` networks are reported by the \
internet checks; prefix lists are skipped (AWS-managed ones name AWS services). A group nothing uses (recorded \
`assigned_to` empty) keeps its issues with weight 0 (Security Monkey did not apply its multiplier here, only because \
its recorder fixed the score).\n\n\
## Why it matters\n\
Nobody can say who is behind an unknown network or account: a forgotten vendor, a former office, someone else's \
cloud address. Access from there is access nobody reviews.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"203.0.113.0/24\"}]}` gives \
`Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:443]`; a group pair of account 999988887777 gives \
`Account: [999988887777] Entity: [security_group:999988887777/sg-1] Access: [ingress:tcp:5432]`.\n\n\
## How to fix\n\
Find out who owns the network or account. If it is ours or trusted, add the account (friendly or third party) or \
whitelist the network in monkey; otherwise remove the rule.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_unknown_cross_account_ingress` / `_egress` (score 10).\n\
- ScoutSuite `ec2-security-group-whitelists-unknown-cidrs`, `ec2-security-group-whitelists-unknown-aws`.\n\
- https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::cross_account::{environment, rule};
    use crate::securitygroup::test_support::table_with;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let fail = [
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "999988887777", "GroupId": "sg-1"}]})),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "203.0.113.0/24"}]})),
            rule("IpPermissionsEgress", json!({"Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}]})),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "not a network"}]})),
        ];
        let pass = [
            json!({}),
            json!({"IpPermissions": [{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}),
            rule(
                "IpPermissions",
                json!({"UserIdGroupPairs": [{"UserId": testing::OURS, "GroupId": "sg-1"}, {"GroupId": "sg-2"}]}),
            ),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "198.51.100.7/32"}]})),
            rule("IpPermissions", json!({"PrefixListIds": [{"PrefixListId": "pl-63a5400a"}]})),
        ];
        let fixture = || testing::Fixture { environment: environment(), ..Default::default() };
        table_with(&SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT, fixture, &fail, &pass);
        // With no environment, every other account and network is unknown.
        testing::table(
            &SECURITYGROUP_UNKNOWN_CROSS_ACCOUNT,
            &[rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "222222222222", "GroupId": "sg-1"}]}))],
            &[rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": testing::OURS, "GroupId": "sg-1"}]}))],
        );
    }
}
