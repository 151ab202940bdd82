//! `s3-bucket-without-replication`: no enabled replication rule.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket's objects are not replicated anywhere.
    pub static S3_BUCKET_WITHOUT_REPLICATION = Check {
        id: "s3-bucket-without-replication",
        technology: "s3",
        title: "S3BucketWithoutReplication",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose `ReplicationConfiguration` is null or has no rule with `Status` `Enabled`.\n\n\
## Why it matters\n\
Replication to another region (or account) keeps a copy through a regional outage and, to another account, through \
the compromise or deletion of this one. It doubles storage costs and most buckets do not need it: a \
recommendation, score 1 (Security Hub S3.7); justify the issue on buckets whose data can be rebuilt.\n\n\
## Example\n\
`\"ReplicationConfiguration\": null` gives `ReplicationRules: [none enabled]`.\n\n\
## How to fix\n\
Enable versioning on both buckets, then `aws s3api put-bucket-replication` with a role and a destination in another \
region or account.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html\n\
- Prowler `s3_bucket_cross_region_replication`; Security Hub S3.7.\n",
    };
}

/// Flags a bucket whose recorded replication has no enabled rule.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(configuration) = bucket.get(Key::ReplicationConfiguration) else {
        return;
    };
    if super::list(configuration, "Rules").iter().any(|rule| super::text(rule, "Status") == Some("Enabled")) {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_WITHOUT_REPLICATION, "No replication rule is enabled", || {
        "ReplicationRules: [none enabled]".to_owned()
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
            &S3_BUCKET_WITHOUT_REPLICATION,
            &[
                json!({"ReplicationConfiguration": null}),
                json!({"ReplicationConfiguration": {"Role": "r", "Rules": [{"ID": "a", "Status": "Disabled"}]}}),
            ],
            &[
                json!({}),
                json!({"ReplicationConfiguration": {"Role": "arn:aws:iam::111111111111:role/r", "Rules": [{"ID": "a",
                    "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::copy"}}]}}),
            ],
        );
        let found = testing::issues(&S3_BUCKET_WITHOUT_REPLICATION, json!({"ReplicationConfiguration": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("ReplicationRules: [none enabled]", 1));
    }
}
