//! `ec2image-friendly-cross-account`: an AMI shared with another account of ours or our
//! organization.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An AMI can be launched by a friendly account or our organization.
    pub static EC2IMAGE_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "ec2image-friendly-cross-account",
        technology: "ec2image",
        title: "Ec2ImageFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A launch permission naming another stored account that is not third party (`UserId`), or an organization or \
organizational unit of an AWS Organizations id known to monkey (`OrganizationArn`, `OrganizationalUnitArn`). One \
issue per grantee.\n\n\
## Why it matters\n\
Sharing golden images across our accounts is normal; the issue scores 0 and keeps the list of who can launch the \
image visible.\n\n\
## Example\n\
`{\"LaunchPermissions\": [{\"UserId\": \"222233334444\"}]}` gives `Account: [222233334444/friend] Entity: \
[account:222233334444] Actions: [\"LaunchPermissions\"]`; `{\"OrganizationArn\": \
\"arn:aws:organizations::111122223333:organization/o-ours\"}` gives `Entity: \
[organization:arn:aws:organizations::111122223333:organization/o-ours] Actions: [\"LaunchPermissions\"]`.\n\n\
## How to fix\n\
Nothing if intended; remove the permission when the account no longer needs the image.\n\n\
## References\n\
- Security Monkey `EC2ImageAuditor.check_friendly_cross_account` (score 0).\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitygroup::test_support::table_with;
    use crate::testing::Fixture;
    use serde_json::json;

    #[test]
    fn table() {
        table_with(
            &EC2IMAGE_FRIENDLY_CROSS_ACCOUNT,
            || Fixture { environment: super::super::environment(), ..Default::default() },
            &[
                json!({"LaunchPermissions": [{"UserId": "222233334444"}]}),
                json!({"LaunchPermissions": [{"OrganizationArn": "arn:aws:organizations::111122223333:organization/o-ours"}]}),
                json!({"LaunchPermissions": [{"OrganizationalUnitArn": "arn:aws:organizations::111122223333:ou/o-ours/ou-1"}]}),
            ],
            &[
                json!({}),
                json!({"LaunchPermissions": [{"UserId": crate::testing::OURS}, {"UserId": "333333333333"}, {"Group": "all"}]}),
                json!({"LaunchPermissions": [{"OrganizationArn": "arn:aws:organizations::999988887777:organization/o-theirs"}]}),
            ],
        );
    }
}
