//! `s3-bucket-without-lifecycle-rules`: no enabled lifecycle rule.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket has no enabled lifecycle rule.
    pub static S3_BUCKET_WITHOUT_LIFECYCLE_RULES = Check {
        id: "s3-bucket-without-lifecycle-rules",
        technology: "s3",
        title: "S3BucketWithoutLifecycleRules",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket without lifecycle rules (`LifecycleRules` null or empty) or whose rules are all `Disabled`.\n\n\
## Why it matters\n\
Without expiration, data is kept forever: more data to leak, to pay for, and to account for under retention rules. \
On versioned buckets, noncurrent versions and incomplete multipart uploads pile up unseen. A recommendation, score 1 \
(Security Hub S3.13 Low).\n\n\
## Example\n\
`\"LifecycleRules\": null` gives `LifecycleRules: [none enabled]`.\n\n\
## How to fix\n\
`aws s3api put-bucket-lifecycle-configuration` with rules expiring objects (or noncurrent versions) after the \
retention period and aborting incomplete multipart uploads.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html\n\
- Prowler `s3_bucket_lifecycle_enabled`; Security Hub S3.13 (and S3.10 for versioned buckets).\n",
    };
}

/// Flags a bucket whose recorded lifecycle has no enabled rule.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(rules) = bucket.get(Key::LifecycleRules) else {
        return;
    };
    let rules = rules.as_array().map_or(&[][..], Vec::as_slice);
    if rules.iter().any(|rule| super::text(rule, "Status") == Some("Enabled")) {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_WITHOUT_LIFECYCLE_RULES, "No lifecycle rule is enabled", || {
        "LifecycleRules: [none enabled]".to_owned()
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
            &S3_BUCKET_WITHOUT_LIFECYCLE_RULES,
            &[
                json!({"LifecycleRules": null}),
                json!({"LifecycleRules": []}),
                json!({"LifecycleRules": [{"ID": "x", "Status": "Disabled"}]}),
                json!({"LifecycleRules": {"Status": "Enabled"}}),
            ],
            &[
                json!({}),
                json!({"LifecycleRules": [{"ID": "a", "Status": "Disabled"}, {"ID": "b", "Status": "Enabled"}]}),
            ],
        );
        let found = testing::issues(&S3_BUCKET_WITHOUT_LIFECYCLE_RULES, json!({"LifecycleRules": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("LifecycleRules: [none enabled]", 1));
    }
}
