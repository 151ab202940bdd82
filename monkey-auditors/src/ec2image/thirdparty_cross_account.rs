//! `ec2image-thirdparty-cross-account`: an AMI shared with a known third party.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An AMI can be launched by a third-party account.
    pub static EC2IMAGE_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "ec2image-thirdparty-cross-account",
        technology: "ec2image",
        title: "Ec2ImageThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A launch permission naming (`UserId`) an account stored as third party, one issue per account.\n\n\
## Why it matters\n\
The vendor can launch the image and read everything baked into it. The issue scores 0 and documents the share.\n\n\
## Example\n\
`{\"LaunchPermissions\": [{\"UserId\": \"333333333333\"}]}` gives `Account: [333333333333/vendor] Entity: \
[account:333333333333] Actions: [\"LaunchPermissions\"]`.\n\n\
## How to fix\n\
Keep the share only while the vendor needs it and keep secrets out of shared images.\n\n\
## References\n\
- Security Monkey `EC2ImageAuditor.check_thirdparty_cross_account` (score 0).\n\
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
            &EC2IMAGE_THIRDPARTY_CROSS_ACCOUNT,
            || Fixture { environment: super::super::environment(), ..Default::default() },
            &[json!({"LaunchPermissions": [{"UserId": "333333333333"}]})],
            &[json!({}), json!({"LaunchPermissions": [{"UserId": "222233334444"}, {"UserId": "999988887777"}]})],
        );
    }
}
