//! `ec2image-public`: an AMI anyone can launch.

use super::{ACTIONS, launch_permissions};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An AMI is public.
    pub static EC2IMAGE_PUBLIC = Check {
        id: "ec2image-public",
        technology: "ec2image",
        title: "Ec2ImagePublic",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An image of the account that is public: `Public` is `true` or `LaunchPermissions` hold `{\"Group\": \"all\"}`. One \
issue per image.\n\n\
## Why it matters\n\
Every AWS account can launch the image and read its snapshots: baked-in credentials, keys, source code and \
configuration go with it. Public AMIs are crawled for secrets.\n\n\
## Example\n\
`{\"Public\": true, \"LaunchPermissions\": [{\"Group\": \"all\"}]}` gives `Entity: [account:all] Actions: \
[\"LaunchPermissions\"]`.\n\n\
## How to fix\n\
`aws ec2 modify-image-attribute --image-id <id> --launch-permission \"Remove=[{Group=all}]\"`, share with specific \
accounts or the organization instead, and turn on block public access for AMIs.\n\n\
## References\n\
- Security Monkey `EC2ImageAuditor.check_internet_accessible` (score 10).\n\
- Prowler `ec2_ami_public`; ScoutSuite `ec2-ami-public`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html\n",
    };
}

/// Flags a public image.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let public = config.get("Public").and_then(Value::as_bool) == Some(true)
        || launch_permissions(config).any(|p| p.get("Group").and_then(Value::as_str) == Some("all"));
    if !public {
        return Vec::new();
    }
    vec![Finding::new(&EC2IMAGE_PUBLIC, "Anyone can launch the image", format!("Entity: [account:all] {ACTIONS}"))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EC2IMAGE_PUBLIC,
            &[
                json!({"Public": true}),
                json!({"Public": false, "LaunchPermissions": [{"Group": "all"}]}),
                json!({"Public": true, "LaunchPermissions": null}),
            ],
            &[
                json!({}),
                json!({"Public": false, "LaunchPermissions": []}),
                json!({"Public": "true"}),
                json!({"LaunchPermissions": [{"UserId": "999988887777"}, {"Group": 3}]}),
                json!({"LaunchPermissions": {"Group": "all"}}),
            ],
        );
        let found = testing::issues(&EC2IMAGE_PUBLIC, json!({"Public": true, "LaunchPermissions": [{"Group": "all"}]}));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].key.notes.as_str(), found[0].score),
            ("Entity: [account:all] Actions: [\"LaunchPermissions\"]", 10)
        );
    }
}
