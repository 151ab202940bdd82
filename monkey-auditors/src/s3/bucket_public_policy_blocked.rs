//! `s3-bucket-public-policy-blocked`: a public bucket policy that Block Public Access neutralises.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A bucket policy is public, but `RestrictPublicBuckets` keeps the public out.
    pub static S3_BUCKET_PUBLIC_POLICY_BLOCKED = Check {
        id: "s3-bucket-public-policy-blocked",
        technology: "s3",
        title: "S3BucketPublicPolicyBlocked",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket policy that `s3-bucket-policy-internet-accessible` would report (principal `*` without a narrowing \
condition) on a bucket whose `RestrictPublicBuckets` Block Public Access setting is on, at the bucket level \
(`PublicAccessBlock`) or the account level (`AccountPublicAccessBlock`). The notes name the actions and the setting: \
`... Blocked by: [PublicAccessBlock.RestrictPublicBuckets]`.\n\n\
## Why it matters\n\
While the setting is on, S3 lets only AWS services and principals of the bucket's own account use a bucket with a \
public policy, so nothing is exposed and the score is 0. But the policy still says public: turning the setting off \
(or moving the bucket's policy to an account without it) exposes the bucket at once. Peers that ignore Block Public \
Access report these buckets as public, a common false positive.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\"}` with `\"PublicAccessBlock\": \
{\"RestrictPublicBuckets\": true}` gives `Entity: [principal:*] Actions: [\"s3:getobject\"] Blocked by: \
[PublicAccessBlock.RestrictPublicBuckets]`.\n\n\
## How to fix\n\
Remove the public statement from the policy (or narrow it with a condition) so that the bucket stays private even \
without Block Public Access.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html\n\
- Complements Security Monkey's `check_internet_accessible`, which predates Block Public Access; Prowler \
`s3_bucket_public_access` also passes such buckets.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;
    use serde_json::{Value, json};

    fn public(level: &str, flags: Value) -> Value {
        let mut config = crate::s3::SUBJECT.allow(json!("*"));
        config[level] = flags;
        config
    }

    #[test]
    fn table() {
        let restrict = json!({"RestrictPublicBuckets": true});
        suite::table(
            &S3_BUCKET_PUBLIC_POLICY_BLOCKED,
            &[public("PublicAccessBlock", restrict.clone()), public("AccountPublicAccessBlock", restrict.clone())],
            &[
                crate::s3::SUBJECT.allow(json!("*")),
                public("PublicAccessBlock", json!({"BlockPublicPolicy": true, "RestrictPublicBuckets": false})),
                public("PublicAccessBlock", json!({"RestrictPublicBuckets": "true"})),
                public("AccountPublicAccessBlock", Value::Null),
                json!({"Policy": null, "PublicAccessBlock": restrict}),
                json!({"PublicAccessBlock": {"RestrictPublicBuckets": true}, "Policy": {"Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}}),
            ],
        );
    }

    #[test]
    fn notes_name_the_level() {
        let restrict = json!({"RestrictPublicBuckets": true});
        let bucket = suite::issues(&S3_BUCKET_PUBLIC_POLICY_BLOCKED, public("PublicAccessBlock", restrict.clone()));
        assert_eq!(
            bucket[0].key.notes,
            "Entity: [principal:*] Actions: [\"s3:getobject\"] Blocked by: [PublicAccessBlock.RestrictPublicBuckets]"
        );
        assert_eq!(bucket[0].score, 0);
        let account = suite::notes(&S3_BUCKET_PUBLIC_POLICY_BLOCKED, public("AccountPublicAccessBlock", restrict));
        assert_eq!(
            account,
            [
                "Entity: [principal:*] Actions: [\"s3:getobject\"] Blocked by: [AccountPublicAccessBlock.RestrictPublicBuckets]"
            ]
        );
    }
}
