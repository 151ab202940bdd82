//! `securitygroup-thirdparty-cross-account`: rules naming a known third-party account.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A security group lets in (or out to) a group or network of a known third party.
    pub static SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "securitygroup-thirdparty-cross-account",
        technology: "securitygroup",
        title: "SecurityGroupThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An ingress or egress rule (the direction is in the notes) whose source is a security group of an account stored as \
third party (a vendor, a partner), or a network other than `/0` inside a VPC or Elastic IP learned from such an \
account. One issue per source, direction, protocol and port range. Prefix lists are skipped.\n\n\
## Why it matters\n\
A vendor's network reaching ours is a supply-chain path: a breach at the vendor becomes a breach here. The issue \
scores 0 and records the relationship for review.\n\n\
## Example\n\
`{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"UserIdGroupPairs\": [{\"UserId\": \"333333333333\", \
\"GroupId\": \"sg-9\"}]}` gives `Account: [333333333333/vendor] Entity: [security_group:333333333333/sg-9] Access: \
[ingress:tcp:443]`.\n\n\
## How to fix\n\
Keep the rule as narrow as the integration needs (one port, one group) and remove it when the contract ends.\n\n\
## References\n\
- Security Monkey `SecurityGroupAuditor.check_thirdparty_cross_account_ingress` / `_egress` (score 0).\n\
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
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "333333333333", "GroupId": "sg-9"}]})),
            rule("IpPermissionsEgress", json!({"IpRanges": [{"CidrIp": "100.70.0.0/24"}]})),
        ];
        let pass = [
            json!({"IpPermissions": 3}),
            rule("IpPermissions", json!({"UserIdGroupPairs": [{"UserId": "222222222222", "GroupId": "sg-1"}]})),
            rule("IpPermissions", json!({"IpRanges": [{"CidrIp": "100.70.0.0/15"}]})),
            rule("IpPermissions", json!({"PrefixListIds": [{"PrefixListId": "pl-1"}]})),
        ];
        let fixture = || testing::Fixture { environment: environment(), ..Default::default() };
        table_with(&SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT, fixture, &fail, &pass);
        for config in &fail {
            assert!(
                testing::issues(&SECURITYGROUP_THIRDPARTY_CROSS_ACCOUNT, config.clone()).is_empty(),
                "unknown without the environment: {config}"
            );
        }
    }
}
