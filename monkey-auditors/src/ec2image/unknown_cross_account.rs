//! `ec2image-unknown-cross-account`: an AMI shared with an account or organization nobody
//! registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// An AMI can be launched by an unknown account or organization.
    pub static EC2IMAGE_UNKNOWN_CROSS_ACCOUNT = Check {
        id: "ec2image-unknown-cross-account",
        technology: "ec2image",
        title: "Ec2ImageUnknownCrossAccount",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A launch permission naming an account that is not stored in monkey (`UserId`), or an organization or organizational \
unit whose AWS Organizations id monkey does not know. One issue per grantee.\n\n\
## Why it matters\n\
Someone nobody knows can launch the image and read everything baked into it.\n\n\
## Example\n\
`{\"LaunchPermissions\": [{\"UserId\": \"999988887777\"}]}` gives `Account: [999988887777] Entity: \
[account:999988887777] Actions: [\"LaunchPermissions\"]`.\n\n\
## How to fix\n\
Find out whose account it is: add it to monkey (friendly or third party) if the share is intended, otherwise \
remove the launch permission.\n\n\
## References\n\
- Security Monkey `EC2ImageAuditor.check_unknown_cross_account` (score 10).\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EC2IMAGE_UNKNOWN_CROSS_ACCOUNT,
            &[
                json!({"LaunchPermissions": [{"UserId": "999988887777"}]}),
                json!({"LaunchPermissions": [{"OrganizationArn": "arn:aws:organizations::999988887777:organization/o-theirs"}]}),
                json!({"LaunchPermissions": [{"OrganizationalUnitArn": "not an arn"}]}),
            ],
            &[
                json!({}),
                json!({"LaunchPermissions": [{"UserId": testing::OURS}, {"Group": "all"}, {}, 5]}),
                json!({"LaunchPermissions": "999988887777"}),
            ],
        );
        let found = testing::issues(
            &EC2IMAGE_UNKNOWN_CROSS_ACCOUNT,
            json!({"LaunchPermissions": [{"UserId": "999988887777"}, {"UserId": "999988887777"}]}),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].key.notes,
            "Account: [999988887777] Entity: [account:999988887777] Actions: [\"LaunchPermissions\"]"
        );
    }
}
