//! `ebsvolume-unencrypted`: an EBS volume stored without encryption.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// An EBS volume is not encrypted.
    pub static EBSVOLUME_UNENCRYPTED = Check {
        id: "ebsvolume-unencrypted",
        technology: "ebsvolume",
        title: "EbsVolumeUnencrypted",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A volume whose `Encrypted` is `false`, attached or not. Security Hub EC2.3 only looks at attached volumes; monkey \
reports unattached ones too, because a detached volume holds the same data and is one `attach-volume` or snapshot \
away from being read. Volumes whose encryption was not recorded are skipped.\n\n\
## Why it matters\n\
Data at rest on an unencrypted volume, and on every snapshot taken of it, is readable by anyone who obtains a \
copy, without any KMS key policy being consulted; many compliance regimes require encryption at rest.\n\n\
## Example\n\
`{\"Encrypted\": false, \"Attachments\": [{\"InstanceId\": \"i-1\"}]}` gives `Encrypted: [false]`.\n\n\
## How to fix\n\
Snapshot the volume, copy the snapshot with encryption, create a volume from the copy and swap it in; turn on EBS \
encryption by default so new volumes are encrypted.\n\n\
## References\n\
- Security Hub EC2.3; Prowler `ec2_ebs_volume_encryption`; ScoutSuite `ec2-ebs-volume-not-encrypted`.\n\
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html\n",
    };
}

/// Flags an unencrypted volume.
pub(super) fn check(config: &Value) -> Vec<Finding> {
    if config.get("Encrypted").and_then(Value::as_bool) != Some(false) {
        return Vec::new();
    }
    vec![Finding::new(&EBSVOLUME_UNENCRYPTED, "The volume is not encrypted", "Encrypted: [false]")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &EBSVOLUME_UNENCRYPTED,
            &[
                json!({"Encrypted": false, "Attachments": [{"InstanceId": "i-1"}]}),
                json!({"Encrypted": false, "Attachments": []}),
            ],
            &[json!({}), json!({"Encrypted": true}), json!({"Encrypted": null}), json!({"Encrypted": 0})],
        );
    }
}
