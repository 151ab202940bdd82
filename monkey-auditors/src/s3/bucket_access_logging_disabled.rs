//! `s3-bucket-access-logging-disabled`: server access logging is off.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket does not log the requests made to it.
    pub static S3_BUCKET_ACCESS_LOGGING_DISABLED = Check {
        id: "s3-bucket-access-logging-disabled",
        technology: "s3",
        title: "S3BucketAccessLoggingDisabled",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose server access logging (`Logging`) is off (null) or names no target bucket.\n\n\
## Why it matters\n\
Access logs record every request (who, what, when, from where, with what result): without them, or CloudTrail data \
events, nobody can tell after an incident what was read or deleted. A recommendation, score 1, as Security Monkey \
scored missing access logs on load balancers; Security Hub rates S3.9 Medium.\n\n\
## Example\n\
`\"Logging\": null` gives `Logging: [disabled]`.\n\n\
## How to fix\n\
`aws s3api put-bucket-logging` with a target bucket in the same region (not the bucket itself), or enable CloudTrail \
S3 data events for the bucket.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html\n\
- Prowler `s3_bucket_server_access_logging_enabled`; Security Hub S3.9; ScoutSuite `s3-bucket-no-logging`; \
Security Monkey's \"Enable access logs\" (ELB, ALB).\n",
    };
}

/// Flags a bucket whose recorded logging names no target.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(logging) = bucket.get(Key::Logging) else {
        return;
    };
    if super::text(logging, "TargetBucket").is_some_and(|target| !target.is_empty()) {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_ACCESS_LOGGING_DISABLED, "Server access logging is off", || {
        "Logging: [disabled]".to_owned()
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
            &S3_BUCKET_ACCESS_LOGGING_DISABLED,
            &[
                json!({"Logging": null}),
                json!({"Logging": {}}),
                json!({"Logging": {"TargetBucket": ""}}),
                json!({"Logging": 3}),
            ],
            &[json!({}), json!({"Logging": {"TargetBucket": "logs", "TargetPrefix": "b/", "TargetGrants": []}})],
        );
        let found = testing::issues(&S3_BUCKET_ACCESS_LOGGING_DISABLED, json!({"Logging": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("Logging: [disabled]", 1));
    }
}
