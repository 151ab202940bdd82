//! `s3-account-public-access-block-disabled`: the account-level Block Public Access is not all on.

use super::Bucket;
use super::public_access::{Setting, is_on, missing_notes};
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A Block Public Access setting is off at the account level.
    pub static S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED = Check {
        id: "s3-account-public-access-block-disabled",
        technology: "s3",
        title: "S3AccountPublicAccessBlockDisabled",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account whose S3 Block Public Access configuration (S3 Control `GetPublicAccessBlock`) does not have all four \
settings on: `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`, `RestrictPublicBuckets`; an account without \
the configuration has all four off. The notes name the settings that are off.\n\n\
monkey has no item for the account's S3 settings: the watcher copies the account-level configuration into every \
bucket as `AccountPublicAccessBlock`, so the issue is raised on each bucket of the account (one per bucket, \
identical notes), and fixing the account fixes them all at the next audit. An account with no bucket has no issue. \
When the watcher could not read the account's configuration, the key is missing and nothing is reported.\n\n\
## Why it matters\n\
The account-level settings are the guard rail that keeps every bucket, present and future, private whatever its own \
ACLs and policy say. Without them one careless `put-bucket-policy` or public ACL exposes data. Security Hub rates \
this Medium; the score is 3 (insecure configuration: nothing is exposed by this setting alone, \
`s3-bucket-policy-internet-accessible` and `s3-bucket-acl-internet-accessible` report actual exposure).\n\n\
## Example\n\
`\"AccountPublicAccessBlock\": {\"BlockPublicAcls\": true, \"IgnorePublicAcls\": true, \"BlockPublicPolicy\": false, \
\"RestrictPublicBuckets\": false}` gives `Missing: [BlockPublicPolicy, RestrictPublicBuckets]`.\n\n\
## How to fix\n\
`aws s3control put-public-access-block --account-id <id> --public-access-block-configuration \
BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`, after moving \
intentionally public content behind CloudFront.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html\n\
- Prowler `s3_account_level_public_access_blocks`; Security Hub S3.1.\n",
    };
}

/// Flags a bucket whose account-level settings were read and are not all on.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(account) = bucket.public_access.account else {
        return;
    };
    if !ctx.is_enabled(&S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED) {
        return;
    }
    if let Some(notes) = missing_notes(|setting: Setting| !is_on(&account, setting)) {
        let message = "The account's S3 Block Public Access settings are not all on";
        findings.push(Finding::new(&S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED, message, notes));
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
            &S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED,
            &[
                json!({"AccountPublicAccessBlock": null}),
                json!({"AccountPublicAccessBlock": {}}),
                json!({"AccountPublicAccessBlock": "on"}),
                json!({"AccountPublicAccessBlock": {"BlockPublicAcls": true, "IgnorePublicAcls": true,
                    "BlockPublicPolicy": true, "RestrictPublicBuckets": null}}),
                json!({"AccountPublicAccessBlock": null, "PublicAccessBlock": all.clone()}),
            ],
            &[json!({}), json!({"PublicAccessBlock": null}), json!({"AccountPublicAccessBlock": all})],
        );
        assert_eq!(
            testing::notes(
                &S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED,
                json!({"AccountPublicAccessBlock": {"BlockPublicAcls": true, "IgnorePublicAcls": true}})
            ),
            ["Missing: [BlockPublicPolicy, RestrictPublicBuckets]"]
        );
        assert_eq!(
            testing::notes(&S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED, json!({"AccountPublicAccessBlock": null})),
            ["Missing: [BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets]"]
        );
    }
}
