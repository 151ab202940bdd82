//! `s3-bucket-mfa-delete-disabled`: MFA delete is not enabled.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// Deleting object versions or changing versioning does not require MFA.
    pub static S3_BUCKET_MFA_DELETE_DISABLED = Check {
        id: "s3-bucket-mfa-delete-disabled",
        technology: "s3",
        title: "S3BucketMfaDeleteDisabled",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose `Versioning.MFADelete` is not `Enabled` (null or `Disabled`).\n\n\
## Why it matters\n\
With MFA delete, permanently deleting an object version or suspending versioning needs the root user's MFA code, \
so a stolen access key cannot destroy the bucket's history. It only matters on versioned buckets, can only be set by \
the root user through the API, and is incompatible with lifecycle expiration of versions, so many teams choose \
Object Lock or AWS Backup instead: a recommendation, score 1.\n\n\
## Example\n\
`\"Versioning\": {\"Status\": \"Enabled\", \"MFADelete\": null}` gives `MFADelete: [Disabled]`.\n\n\
## How to fix\n\
As the root user with its MFA device: `aws s3api put-bucket-versioning --versioning-configuration \
Status=Enabled,MFADelete=Enabled --mfa \"<serial> <code>\"`. Or justify the issue when Object Lock or backups \
protect the data.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html\n\
- Prowler `s3_bucket_no_mfa_delete`; Security Hub S3.20; ScoutSuite `s3-bucket-no-mfa-delete`.\n",
    };
}

/// Flags a bucket whose recorded versioning does not require MFA to delete.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(versioning) = bucket.get(Key::Versioning) else {
        return;
    };
    if super::text(versioning, "MFADelete") == Some("Enabled") {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_MFA_DELETE_DISABLED, "MFA delete is not enabled", || {
        "MFADelete: [Disabled]".to_owned()
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
            &S3_BUCKET_MFA_DELETE_DISABLED,
            &[
                json!({"Versioning": {"Status": null, "MFADelete": null}}),
                json!({"Versioning": {"Status": "Enabled", "MFADelete": "Disabled"}}),
                json!({"Versioning": null}),
            ],
            &[json!({}), json!({"Versioning": {"Status": "Enabled", "MFADelete": "Enabled"}})],
        );
        let found = testing::issues(&S3_BUCKET_MFA_DELETE_DISABLED, json!({"Versioning": {"MFADelete": "Disabled"}}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("MFADelete: [Disabled]", 1));
    }
}
