//! `s3-bucket-policy-internet-accessible`: a bucket policy that lets anyone in.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy grants access to principal `*` without a condition naming who.
    pub static S3_BUCKET_POLICY_INTERNET_ACCESSIBLE = Check {
        id: "s3-bucket-policy-internet-accessible",
        technology: "s3",
        title: "S3BucketPolicyInternetAccessible",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket policy with an Allow statement for any principal (`\"Principal\": \"*\"`, `{\"AWS\": \"*\"}` or a \
`NotPrincipal`) and no narrowing condition (a positive condition on `aws:SourceIp`, `aws:SourceVpc`, \
`aws:SourceVpce`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceArn`, ... with concrete values), which no \
Deny statement takes back. One issue per bucket, listing the actions anyone may use. A bucket whose \
`RestrictPublicBuckets` setting (bucket or account level) is on is reported by `s3-bucket-public-policy-blocked` \
instead, because S3 then ignores the public statements.\n\n\
## Why it matters\n\
Anyone on the internet, signed in or not, can use those actions on the bucket: read its objects, list it, or, with \
write actions, plant or delete data. Public buckets are the most common cause of cloud data leaks.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}` \
gives `Entity: [principal:*] Actions: [\"s3:getobject\"]`.\n\n\
## How to fix\n\
Name the principals that need access, or add a narrowing condition (`aws:SourceVpce` for a VPC endpoint, \
`aws:PrincipalOrgID` for your organisation). Serve public content through CloudFront with origin access control. \
Turn on Block Public Access (`RestrictPublicBuckets`) to make S3 ignore public statements. If the bucket is meant to \
be public, justify the issue.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html\n\
- Security Monkey `ResourcePolicyAuditor.check_internet_accessible` (S3Auditor); Prowler `s3_bucket_public_access`; \
Security Hub S3.2 / S3.3; ScoutSuite `s3-bucket-world-policy-star`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;

    #[test]
    fn table() {
        suite::internet_accessible(&S3_BUCKET_POLICY_INTERNET_ACCESSIBLE, crate::s3::SUBJECT);
    }

    #[test]
    fn restrict_public_buckets_turns_it_off() {
        let public = suite::Subject::allow(crate::s3::SUBJECT, serde_json::json!("*"));
        let mut bucket_level = public.clone();
        bucket_level["PublicAccessBlock"] = serde_json::json!({"RestrictPublicBuckets": true});
        let mut account_level = public.clone();
        account_level["AccountPublicAccessBlock"] = serde_json::json!({"RestrictPublicBuckets": true});
        let mut other_settings = public.clone();
        other_settings["PublicAccessBlock"] = serde_json::json!({"BlockPublicAcls": true, "IgnorePublicAcls": true,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": false});
        other_settings["AccountPublicAccessBlock"] = serde_json::Value::Null;
        suite::table(&S3_BUCKET_POLICY_INTERNET_ACCESSIBLE, &[public, other_settings], &[bucket_level, account_level]);
    }
}
