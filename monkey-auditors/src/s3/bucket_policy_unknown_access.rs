//! `s3-bucket-policy-unknown-access`: a bucket policy grants an account or network nobody registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy lets in an account, network, VPC or organisation nobody registered.
    pub static S3_BUCKET_POLICY_UNKNOWN_ACCESS = Check {
        id: "s3-bucket-policy-unknown-access",
        technology: "s3",
        title: "S3BucketPolicyUnknownAccess",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Every principal or narrowing-condition value of the bucket policy's Allow statements that is neither the bucket's \
account nor a stored account: account ids and IAM ARNs of unknown accounts, unknown canonical user ids, IAM unique \
ids (`AROA...`, what IAM shows for a deleted principal), source IPs outside the network whitelist and the networks \
learned from our VPCs and Elastic IPs, unknown VPCs and VPC endpoints, organisations other than ours, and \
account-less ARNs (`aws:SourceArn` = `arn:aws:s3:::bucket`) in a statement that names no account. AWS service \
principals are not reported. As in Security Monkey, nothing is reported when the policy is internet accessible: \
that issue says more.\n\n\
## Why it matters\n\
Someone outside every account you registered can use the bucket: a forgotten vendor, a deleted account's number \
reused, a typo in an account id, or an attacker's account added to the policy.\n\n\
## Example\n\
`\"Principal\": {\"AWS\": \"arn:aws:iam::999988887777:root\"}` gives `Account: [999988887777] Entity: \
[principal:arn:aws:iam::999988887777:root] Actions: [\"s3:*\"]`.\n\n\
## How to fix\n\
Find out who owns the account or network. Register it (as a friendly or third-party account, or in the network \
whitelist) if the access is intended, or remove it from the policy.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html\n\
- Security Monkey `ResourcePolicyAuditor.check_unknown_cross_account` (S3Auditor); Security Hub S3.6; Prowler \
`s3_bucket_cross_account_access`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::unknown_access(&S3_BUCKET_POLICY_UNKNOWN_ACCESS, crate::s3::SUBJECT);
    }
}
