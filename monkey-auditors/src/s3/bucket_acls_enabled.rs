//! `s3-bucket-acls-enabled`: Object Ownership does not disable ACLs.

use super::Bucket;
use super::Key;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket still honours ACLs (Object Ownership is not `BucketOwnerEnforced`).
    pub static S3_BUCKET_ACLS_ENABLED = Check {
        id: "s3-bucket-acls-enabled",
        technology: "s3",
        title: "S3BucketAclsEnabled",
        category: Category::InsecureConfiguration,
        default_score: 2,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose Object Ownership (`OwnershipControls`) is not `BucketOwnerEnforced`: `BucketOwnerPreferred`, \
`ObjectWriter`, or not configured (null, which behaves as `ObjectWriter`). The notes give the setting.\n\n\
## Why it matters\n\
While ACLs are honoured, anyone allowed `s3:PutBucketAcl` or `s3:PutObjectAcl` can make data public or grant it to \
another account outside the bucket policy, and objects uploaded by other accounts belong to them. ACLs are the \
origin of most S3 exposure reported by the ACL checks. Security Hub rates S3.12 Medium; the score is 2 \
(insecure configuration, below the Block Public Access checks because it exposes nothing by itself).\n\n\
## Example\n\
`\"OwnershipControls\": null` gives `ObjectOwnership: [ObjectWriter]`.\n\n\
## How to fix\n\
Move any needed ACL grant into the bucket policy, then `aws s3api put-bucket-ownership-controls \
--ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]`. New buckets have this setting by default since \
April 2023.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html\n\
- Prowler `s3_bucket_acl_prohibited`; Security Hub S3.12.\n",
    };
}

/// Flags a bucket whose recorded Object Ownership leaves ACLs on.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(controls) = bucket.get(Key::OwnershipControls) else {
        return;
    };
    let rules = super::list(controls, "Rules");
    let setting = |rule: &'_ serde_json::Value| super::text(rule, "ObjectOwnership").map(str::to_owned);
    if rules.iter().any(|rule| super::text(rule, "ObjectOwnership") == Some("BucketOwnerEnforced")) {
        return;
    }
    super::push(
        findings,
        ctx,
        &S3_BUCKET_ACLS_ENABLED,
        "ACLs are enabled (Object Ownership is not BucketOwnerEnforced)",
        || {
            let found = rules.iter().find_map(setting).unwrap_or_else(|| "ObjectWriter".to_owned());
            format!("ObjectOwnership: [{found}]")
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let ownership = |setting: &str| json!({"OwnershipControls": {"Rules": [{"ObjectOwnership": setting}]}});
        testing::table(
            &S3_BUCKET_ACLS_ENABLED,
            &[
                json!({"OwnershipControls": null}),
                json!({"OwnershipControls": {"Rules": []}}),
                ownership("ObjectWriter"),
                ownership("BucketOwnerPreferred"),
            ],
            &[json!({}), ownership("BucketOwnerEnforced")],
        );
        assert_eq!(
            testing::notes(&S3_BUCKET_ACLS_ENABLED, ownership("BucketOwnerPreferred")),
            ["ObjectOwnership: [BucketOwnerPreferred]"]
        );
        let found = testing::issues(&S3_BUCKET_ACLS_ENABLED, json!({"OwnershipControls": null}));
        assert_eq!((found[0].key.notes.as_str(), found[0].score), ("ObjectOwnership: [ObjectWriter]", 2));
    }
}
