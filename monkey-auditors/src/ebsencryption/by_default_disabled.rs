//! `ebsencryption-by-default-disabled`: new EBS volumes of a region are not encrypted by
//! default.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// EBS encryption by default is off in a region.
    pub static EBSENCRYPTION_BY_DEFAULT_DISABLED = Check {
        id: "ebsencryption-by-default-disabled",
        technology: "ebsencryption",
        title: "EbsEncryptionByDefaultDisabled",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A region of an account whose `EbsEncryptionByDefault` is `false`. A setting that was not recorded is skipped.\n\n\
## Why it matters\n\
Without it, every volume created without asking for encryption (by hand, by an old template, by an AMI with \
unencrypted snapshots) is unencrypted, and so is every snapshot taken of it. Turning it on costs nothing and \
makes encryption the default instead of a discipline.\n\n\
## Example\n\
`{\"EbsEncryptionByDefault\": false}` gives `EbsEncryptionByDefault: [false]`.\n\n\
## How to fix\n\
`aws ec2 enable-ebs-encryption-by-default --region <region>` in every region (optionally with a customer-managed \
key through `modify-ebs-default-kms-key-id`).\n\n\
## References\n\
- Security Hub EC2.7; Prowler `ec2_ebs_default_encryption`; ScoutSuite `ec2-ebs-default-encryption-disabled`.\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html\n",
    };
}

/// Flags a region without encryption by default.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    if config.get("EbsEncryptionByDefault").and_then(Value::as_bool) != Some(false) {
        return Vec::new();
    }
    let message = "EBS encryption by default is off in this region";
    vec![Finding::new(&EBSENCRYPTION_BY_DEFAULT_DISABLED, message, "EbsEncryptionByDefault: [false]")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSENCRYPTION_BY_DEFAULT_DISABLED,
            &[json!({"EbsEncryptionByDefault": false, "KmsKeyId": null})],
            &[
                json!({}),
                json!({"EbsEncryptionByDefault": true}),
                json!({"EbsEncryptionByDefault": "false"}),
                json!(null),
            ],
        );
    }
}
