//! `securitygroup-friendly-cross-account`: rules naming another account of ours.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group lets in (or out to) a group or network of another of our accounts.
    pub static SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "securitygroup-friendly-cross-account",
        technology: "securitygroup",
        title: "SecurityGroupFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ingress or egress rule (the direction is in the notes) whose source is a security group owned by another account \
of ours (`UserIdGroupPairs` with a `UserId` of a stored account that is not third party), or a network other than \
`/0` that lies in a VPC or Elastic IP learned from such an account. One issue per source, direction, protocol and \
port range. Whitelisted networks and the account's own groups and networks raise nothing; prefix lists are \
skipped.\n\n\
## Why it matters\n\
Trust between our own accounts is expected, but it is the path an intruder takes from a weaker account to a \
stronger one. The issue scores 0: it documents the trust so a reviewer can see it.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432, \"UserIdGroupPairs\": [{\"UserId\": \"222222222222\", \
\"GroupId\": \"sg-1\"}]}` gives `Account: [222222222222/friend] Entity: [security_group:222222222222/sg-1] Access: \
[ingress:tcp:5432]`.\n\n\
## How to fix\n\
Nothing to fix if the trust is intended. Remove the rule when the other account no longer needs access.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_friendly_cross_account_ingress` / `_egress` (score 0).\n\
- ScoutSuite `ec2-security-group-whitelists-aws`.\n\
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
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "222222222222", "GroupId": "sg-1"}]})),
            rule(
                "IpPermissionsEgress",
                json!({"UserIdGroupPairs": [{"UserId": "222222222222", "GroupName": "legacy"}]}),
            ),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "203.0.113.9/32"}]})),
        ];
        let pass = [
            json!({}),
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": testing::OURS, "GroupId": "sg-1"}]})),
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "333333333333", "GroupId": "sg-1"}]})),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "198.51.100.0/24"}]})),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "203.0.113.0/24"}]})),
        ];
        let fixture = || testing::Fixture { environment: environment(), ..Default::default() };
        table_with(&SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT, fixture, &fail, &pass);
        // Without the environment nobody is friendly: they are unknown.
        for config in &fail {
            assert!(
                testing::issues(&SECURITYGROUP_FRIENDLY_CROSS_ACCOUNT, config.clone()).is_empty(),
                "unknown without the environment: {config}"
            );
        }
    }
}
