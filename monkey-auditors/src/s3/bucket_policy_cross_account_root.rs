//! `s3-bucket-policy-cross-account-root`: a bucket policy grants another account's root.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy lets in the root of another account, so every principal that account allows.
    pub static S3_BUCKET_POLICY_CROSS_ACCOUNT_ROOT = Check {
        id: "s3-bucket-policy-cross-account-root",
        technology: "s3",
        title: "S3BucketPolicyCrossAccountRoot",
        category: Category::CrossAccountRootIam,
        default_score: 6,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An Allow statement of the bucket policy whose principal is another account's root: `arn:aws:iam::<account>:root`, \
or a bare account id in `Principal.AWS` (or a root ARN in an `aws:PrincipalArn` condition), whether that account \
is friendly, third party or unknown. Reported besides that principal's cross-account issue.\n\n\
## Why it matters\n\
Granting an account's root delegates the decision to that account: any user or role there whose own policies allow \
the actions can use the bucket, including ones created later or by someone who took over a weak identity.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::999988887777:root\"}` gives `Account: [999988887777] Entity: \
[principal:arn:aws:iam::999988887777:root] Actions: [\"s3:*\"]`.\n\n\
## How to fix\n\
Name the roles of the other account that need access (`arn:aws:iam::999988887777:role/reader`) instead of its \
root, or add an `aws:PrincipalArn` condition.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts\n\
- Security Monkey `ResourcePolicyAuditor.check_root_cross_account` (S3Auditor).\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::cross_account_root(&S3_BUCKET_POLICY_CROSS_ACCOUNT_ROOT, crate::s3::SUBJECT);
    }
}
