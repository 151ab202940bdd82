//! `s3-bucket-policy-thirdparty-cross-account`: a bucket policy grants a known third party.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy lets in a principal of a known third-party account.
    pub static S3_BUCKET_POLICY_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "s3-bucket-policy-thirdparty-cross-account",
        technology: "s3",
        title: "S3BucketPolicyThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the bucket policy's Allow statements that belongs to a stored \
account marked third party (a vendor, a partner, an AWS service account such as a log-delivery account): account \
ids, IAM ARNs, canonical user ids, `aws:SourceAccount` values. One issue per principal, with the actions of every \
statement naming it.\n\n\
## Why it matters\n\
Access by a registered third party was agreed on, so the score is 0, as in Security Monkey; the issue keeps the list \
of outsiders who can reach the bucket reviewable, and its history shows when one was added.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::333333333333:role/reader\"}`, where 333333333333 is the third-party account \
`vendor`, gives `Account: [333333333333/vendor] Entity: [principal:arn:aws:iam::333333333333:role/reader] Actions: \
[\"s3:getobject\"]`.\n\n\
## How to fix\n\
Nothing to fix while the agreement stands; remove the principal when it ends. Raise the score with an override to \
review third-party access more closely.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html\n\
- Security Monkey `ResourcePolicyAuditor.check_thirdparty_cross_account` (S3Auditor); Security Hub S3.6; Prowler \
`s3_bucket_cross_account_access`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::thirdparty_cross_account(&S3_BUCKET_POLICY_THIRDPARTY_CROSS_ACCOUNT, crate::s3::SUBJECT);
    }
}
