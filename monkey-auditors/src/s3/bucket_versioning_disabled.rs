//! `s3-bucket-versioning-disabled`: versioning is not enabled.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket keeps no previous versions of its objects.
    pub static S3_BUCKET_VERSIONING_DISABLED = Check {
        id: "s3-bucket-versioning-disabled",
        technology: "s3",
        title: "S3BucketVersioningDisabled",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose `Versioning.Status` is not `Enabled`: never enabled (null) or `Suspended`. The notes give the status.\n\n\
## Why it matters\n\
Without versioning an overwrite or delete, by mistake, by a compromised credential or by ransomware, is final. \
A recommendation, score 1 (Security Hub rates S3.14 Low): it protects availability, not confidentiality.\n\n\
## Example\n\
`\"Versioning\": {\"Status\": null, \"MFADelete\": null}` gives `Versioning: [Disabled]`.\n\n\
## How to fix\n\
`aws s3api put-bucket-versioning --versioning-configuration Status=Enabled`, with a lifecycle rule expiring \
noncurrent versions to bound the cost.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html\n\
- Prowler `s3_bucket_object_versioning`; Security Hub S3.14; ScoutSuite `s3-bucket-no-versioning`.\n",
    };
}

/// Flags a bucket whose recorded versioning is not enabled.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(versioning) = bucket.get(Key::Versioning) else {
        return;
    };
    let status = super::text(versioning, "Status");
    if status == Some("Enabled") {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_VERSIONING_DISABLED, "Versioning is not enabled", || {
        format!("Versioning: [{}]", status.filter(|s| !s.is_empty()).unwrap_or("Disabled"))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        testing::table(
            &S3_BUCKET_VERSIONING_DISABLED,
            &[
                json!({"Versioning": {"Status": null, "MFADelete": null}}),
                json!({"Versioning": {"Status": "Suspended"}}),
                json!({"Versioning": null}),
                json!({"Versioning": {"Status": true}}),
            ],
            &[json!({}), json!({"Versioning": {"Status": "Enabled", "MFADelete": null}})],
        );
        assert_eq!(
            testing::notes(&S3_BUCKET_VERSIONING_DISABLED, json!({"Versioning": {"Status": null}})),
            ["Versioning: [Disabled]"]
        );
        let found = testing::issues(&S3_BUCKET_VERSIONING_DISABLED, json!({"Versioning": {"Status": "Suspended"}}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("Versioning: [Suspended]", 1));
    }
}
