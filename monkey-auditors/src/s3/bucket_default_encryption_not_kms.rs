//! `s3-bucket-default-encryption-not-kms`: default encryption is not SSE-KMS.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket's default encryption does not use KMS keys.
    pub static S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS = Check {
        id: "s3-bucket-default-encryption-not-kms",
        technology: "s3",
        title: "S3BucketDefaultEncryptionNotKms",
        category: Category::Recommendation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose default encryption (`ServerSideEncryptionConfiguration`) has no rule with `SSEAlgorithm` \
`aws:kms` or `aws:kms:dsse`, or that has no default encryption configured at all. The notes name the algorithms \
found (`SSEAlgorithm: [AES256]`, `SSEAlgorithm: [none]`).\n\n\
## Why it matters\n\
Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3), so data is encrypted at rest either \
way. SSE-KMS adds a second, auditable permission (`kms:Decrypt`) that a leaked bucket policy or ACL does not grant, \
CloudTrail records of every use of the key, and the ability to revoke access by disabling the key. A \
recommendation, score 1.\n\n\
## Example\n\
`\"ServerSideEncryptionConfiguration\": {\"Rules\": [{\"ApplyServerSideEncryptionByDefault\": {\"SSEAlgorithm\": \
\"AES256\"}}]}` gives `SSEAlgorithm: [AES256]`.\n\n\
## How to fix\n\
`aws s3api put-bucket-encryption` with `SSEAlgorithm` `aws:kms`, a customer managed key and `BucketKeyEnabled` \
(to keep KMS request costs low). Existing objects keep their encryption until rewritten.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html\n\
- Prowler `s3_bucket_kms_encryption`; Security Hub S3.17; ScoutSuite `s3-bucket-no-default-encryption`.\n",
    };
}

/// Flags a bucket whose recorded default encryption uses no KMS key.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(configuration) = bucket.get(Key::ServerSideEncryptionConfiguration) else {
        return;
    };
    let algorithms = || {
        super::list(configuration, "Rules").iter().filter_map(|rule| {
            crate::fields::field(rule, "ApplyServerSideEncryptionByDefault")
                .and_then(|d| super::text(d, "SSEAlgorithm"))
        })
    };
    if algorithms().any(|algorithm| algorithm.starts_with("aws:kms")) {
        return;
    }
    super::push(findings, ctx, &S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS, "Default encryption does not use KMS", || {
        let mut found: Vec<&str> = algorithms().collect();
        found.sort_unstable();
        found.dedup();
        let found = if found.is_empty() { "none".to_owned() } else { found.join(", ") };
        format!("SSEAlgorithm: [{found}]")
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn rule(algorithm: &str) -> Value {
        json!({"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault":
            {"SSEAlgorithm": algorithm, "KMSMasterKeyID": null}, "BucketKeyEnabled": false}]}})
    }

    #[test]
    fn table() {
        testing::table(
            &S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS,
            &[
                json!({"ServerSideEncryptionConfiguration": null}),
                json!({"ServerSideEncryptionConfiguration": {"Rules": []}}),
                json!({"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": null}]}}),
                rule("AES256"),
            ],
            &[json!({}), rule("aws:kms"), rule("aws:kms:dsse")],
        );
        assert_eq!(testing::notes(&S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS, rule("AES256")), ["SSEAlgorithm: [AES256]"]);
        let found =
            testing::issues(&S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS, json!({"ServerSideEncryptionConfiguration": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("SSEAlgorithm: [none]", 1));
    }
}
