//! `ec2instance-imdsv1-allowed`: the instance metadata service answers without a session token.

use super::text;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An instance allows IMDSv1 (metadata requests without a session token).
    pub static EC2INSTANCE_IMDSV1_ALLOWED = Check {
        id: "ec2instance-imdsv1-allowed",
        technology: "ec2instance",
        title: "Ec2InstanceImdsv1Allowed",
        category: Category::InsecureConfiguration,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An instance whose metadata options have `HttpTokens` other than `required` (normally `optional`) while the \
metadata endpoint is on (`HttpEndpoint` not `disabled`). Instances whose metadata options were not recorded are \
skipped.\n\n\
## Why it matters\n\
IMDSv1 answers any plain GET: a server-side request forgery in an application on the instance (the Capital One \
breach) or a misconfigured proxy hands out the credentials of the instance's role. IMDSv2's session token, \
obtained by a PUT with a hop limit, stops those requests.\n\n\
## Example\n\
`{\"MetadataOptions\": {\"HttpEndpoint\": \"enabled\", \"HttpTokens\": \"optional\"}}` gives \
`HttpTokens: [optional]`.\n\n\
## How to fix\n\
`aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required` after checking that the \
software on the instance uses a current AWS SDK; set IMDSv2 as the default in launch templates, AMIs and the \
account's EC2 defaults.\n\n\
## References\n\
- Security Hub EC2.8; Prowler `ec2_instance_imdsv2_enabled`.\n\
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html\n",
    };
}

/// Flags an instance whose metadata service accepts IMDSv1.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    let Some(options) = config.get("MetadataOptions").filter(|o| o.is_object()) else {
        return Vec::new();
    };
    if text(options, "HttpEndpoint") == Some("disabled") {
        return Vec::new();
    }
    match text(options, "HttpTokens") {
        Some(tokens) if tokens != "required" => {
            let message = "Instance metadata service accepts IMDSv1 requests without a session token";
            vec![Finding::new(&EC2INSTANCE_IMDSV1_ALLOWED, message, format!("HttpTokens: [{tokens}]"))]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EC2INSTANCE_IMDSV1_ALLOWED,
            &[
                json!({"MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "optional"}}),
                json!({"MetadataOptions": {"HttpTokens": "optional"}}),
            ],
            &[
                json!({}),
                json!({"MetadataOptions": null}),
                json!({"MetadataOptions": "optional"}),
                json!({"MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required"}}),
                json!({"MetadataOptions": {"HttpEndpoint": "disabled", "HttpTokens": "optional"}}),
                json!({"MetadataOptions": {"HttpEndpoint": "enabled"}}),
                json!({"MetadataOptions": {"HttpTokens": 1}}),
            ],
        );
        assert_eq!(
            testing::notes(&EC2INSTANCE_IMDSV1_ALLOWED, json!({"MetadataOptions": {"HttpTokens": "optional"}})),
            vec!["HttpTokens: [optional]".to_owned()]
        );
    }
}
