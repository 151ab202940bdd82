//! `s3-bucket-object-lock-disabled`: Object Lock is not enabled.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// Objects of the bucket can be deleted or overwritten at any time.
    pub static S3_BUCKET_OBJECT_LOCK_DISABLED = Check {
        id: "s3-bucket-object-lock-disabled",
        technology: "s3",
        title: "S3BucketObjectLockDisabled",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose `ObjectLockConfiguration` is null or whose `ObjectLockEnabled` is not `Enabled`.\n\n\
## Why it matters\n\
Object Lock (write once, read many) keeps object versions from being deleted or overwritten for a retention period, \
even by an administrator in compliance mode: protection against ransomware and for records that regulations \
require to keep. Most buckets do not need it, so it is a recommendation, score 1; justify the issue elsewhere.\n\n\
## Example\n\
`\"ObjectLockConfiguration\": null` gives `ObjectLockEnabled: [no]`.\n\n\
## How to fix\n\
Enable Object Lock (it requires versioning) with `aws s3api put-object-lock-configuration` and a default retention \
rule suited to the data.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html\n\
- Prowler `s3_bucket_object_lock`; Security Hub S3.15.\n",
    };
}

/// Flags a bucket whose recorded Object Lock is not enabled.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(configuration) = bucket.get(Key::ObjectLockConfiguration) else {
        return;
    };
    if super::text(configuration, "ObjectLockEnabled") == Some("Enabled") {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_OBJECT_LOCK_DISABLED, "Object Lock is not enabled", || {
        "ObjectLockEnabled: [no]".to_owned()
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
            &S3_BUCKET_OBJECT_LOCK_DISABLED,
            &[
                json!({"ObjectLockConfiguration": null}),
                json!({"ObjectLockConfiguration": {"ObjectLockEnabled": null}}),
            ],
            &[
                json!({}),
                json!({"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention":
                    {"Mode": "GOVERNANCE", "Days": 30, "Years": null}}}}),
            ],
        );
        let found = testing::issues(&S3_BUCKET_OBJECT_LOCK_DISABLED, json!({"ObjectLockConfiguration": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("ObjectLockEnabled: [no]", 1));
    }
}
