//! `s3-bucket-without-policy`: a bucket with no bucket policy.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// A bucket has no bucket policy.
    pub static S3_BUCKET_WITHOUT_POLICY = Check {
        id: "s3-bucket-without-policy",
        technology: "s3",
        title: "S3BucketWithoutPolicy",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose policy is recorded as null: S3 answered `NoSuchBucketPolicy`. (A policy the watcher could not read \
is left out of the configuration and not reported.)\n\n\
## Why it matters\n\
Without a policy, the bucket cannot deny unencrypted transport (`s3-bucket-allows-cleartext`) or restrict access to \
a VPC endpoint or the organisation; access is governed by IAM policies and ACLs alone. Informational, score 0, as \
in Security Monkey.\n\n\
## Example\n\
`{\"Policy\": null}` gives `Policy: [none]`.\n\n\
## How to fix\n\
Add a bucket policy with at least a Deny of requests where `aws:SecureTransport` is `false`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html\n\
- Security Monkey `S3Auditor.check_policy_exists` (\"POLICY - No Policy.\", 0).\n",
    };
}

/// Flags a bucket whose policy is null.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    if bucket.get(Key::Policy).is_some_and(Value::is_null) {
        super::push(findings, ctx, &S3_BUCKET_WITHOUT_POLICY, "POLICY - No Policy.", || "Policy: [none]".to_owned());
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
            &S3_BUCKET_WITHOUT_POLICY,
            &[json!({"Policy": null}), json!({"Policy": null, "Grants": []})],
            &[
                json!({}),
                json!({"Policy": {"Statement": []}}),
                json!({"Policy": "{\"Statement\": []}"}),
                json!({"Policy": "garbage"}),
            ],
        );
        let found = testing::issues(&S3_BUCKET_WITHOUT_POLICY, json!({"Policy": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("Policy: [none]", 0));
    }
}
