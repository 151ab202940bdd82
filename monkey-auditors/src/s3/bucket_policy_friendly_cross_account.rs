//! `s3-bucket-policy-friendly-cross-account`: a bucket policy grants another account of ours.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy lets in a principal of another account of ours.
    pub static S3_BUCKET_POLICY_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "s3-bucket-policy-friendly-cross-account",
        technology: "s3",
        title: "S3BucketPolicyFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the bucket policy's Allow statements that belongs to another account \
of ours (a stored account not marked third party): account ids, IAM ARNs, canonical user ids, VPC endpoints learned \
from that account, our organisation id. One issue per principal, with the actions of every statement naming it.\n\n\
## Why it matters\n\
Cross-account access inside the organisation is usually intended, so the score is 0, as in Security Monkey; the \
issue keeps an inventory of who can reach the bucket, and a change to it shows up in the history.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::222222222222:root\"}` with `s3:GetObject`, where 222222222222 is the \
account `prod`, gives `Account: [222222222222/prod] Entity: [principal:arn:aws:iam::222222222222:root] Actions: \
[\"s3:getobject\"]`.\n\n\
## How to fix\n\
Nothing to fix if the access is intended; remove the principal from the policy otherwise. Name roles rather than \
account roots (see `s3-bucket-policy-cross-account-root`).\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html\n\
- Security Monkey `ResourcePolicyAuditor.check_friendly_cross_account` (S3Auditor); Security Hub S3.6; Prowler \
`s3_bucket_cross_account_access`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::friendly_cross_account(&S3_BUCKET_POLICY_FRIENDLY_CROSS_ACCOUNT, crate::s3::SUBJECT);
    }
}
