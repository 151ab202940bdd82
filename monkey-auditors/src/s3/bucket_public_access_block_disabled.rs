//! `s3-bucket-public-access-block-disabled`: a Block Public Access setting is on at neither level.

use super::Bucket;
use super::public_access::{Setting, is_on, missing_notes};
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A Block Public Access setting is off for the bucket, and not on for the account either.
    pub static S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED = Check {
        id: "s3-bucket-public-access-block-disabled",
        technology: "s3",
        title: "S3BucketPublicAccessBlockDisabled",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket for which one of the four Block Public Access settings (`BlockPublicAcls`, `IgnorePublicAcls`, \
`BlockPublicPolicy`, `RestrictPublicBuckets`) is in force at neither level: off in the bucket's own configuration \
(`PublicAccessBlock`; null when it has none) and off or unknown at the account level (`AccountPublicAccessBlock`). \
The notes name those settings. A setting the account turns on protects the bucket, so it is not reported here (as \
in Prowler; Security Hub S3.8 looks at the bucket level alone). Nothing is reported when the bucket's configuration \
could not be read.\n\n\
## Why it matters\n\
Without the settings, nothing stops a public ACL or a public policy from taking effect on this bucket. Security Hub \
rates S3.8 High; the score is 3 (insecure configuration) because the exposure itself is reported by the \
internet-accessible checks at 10.\n\n\
## Example\n\
`\"PublicAccessBlock\": null, \"AccountPublicAccessBlock\": {\"BlockPublicAcls\": true, \"IgnorePublicAcls\": true}` \
gives `Missing: [BlockPublicPolicy, RestrictPublicBuckets]`.\n\n\
## How to fix\n\
`aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration \
BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`, or turn the settings \
on for the whole account (`s3-account-public-access-block-disabled`).\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html\n\
- Prowler `s3_bucket_level_public_access_block`; Security Hub S3.8.\n",
    };
}

/// Flags a bucket whose settings were read and are not all in force at either level.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(own) = bucket.public_access.bucket else {
        return;
    };
    if !ctx.is_enabled(&S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED) {
        return;
    }
    let account = bucket.public_access.account.unwrap_or([false; 4]);
    let off = |setting: Setting| !is_on(&own, setting) && !is_on(&account, setting);
    if let Some(notes) = missing_notes(off) {
        let message = "Block Public Access is not fully on for the bucket";
        findings.push(Finding::new(&S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn table() {
        let all = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
        testing::table(
            &S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED,
            &[
                json!({"PublicAccessBlock": null}),
                json!({"PublicAccessBlock": null, "AccountPublicAccessBlock": null}),
                json!({"PublicAccessBlock": [], "AccountPublicAccessBlock": {"BlockPublicAcls": true}}),
                json!({"PublicAccessBlock": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true}}),
            ],
            &[
                json!({}),
                json!({"AccountPublicAccessBlock": null}),
                json!({"PublicAccessBlock": all.clone()}),
                json!({"PublicAccessBlock": null, "AccountPublicAccessBlock": all}),
                json!({"PublicAccessBlock": {"BlockPublicAcls": true, "IgnorePublicAcls": true},
                       "AccountPublicAccessBlock": {"BlockPublicPolicy": true, "RestrictPublicBuckets": true}}),
            ],
        );
        assert_eq!(
            testing::notes(
                &S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED,
                json!({"PublicAccessBlock": {"IgnorePublicAcls": true}, "AccountPublicAccessBlock": {"BlockPublicAcls": true}})
            ),
            ["Missing: [BlockPublicPolicy, RestrictPublicBuckets]"]
        );
    }
}
