//! `s3-bucket-public-acl-blocked`: public ACL grants that Block Public Access neutralises.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants the public, but `IgnorePublicAcls` makes S3 ignore the grant.
    pub static S3_BUCKET_PUBLIC_ACL_BLOCKED = Check {
        id: "s3-bucket-public-acl-blocked",
        technology: "s3",
        title: "S3BucketPublicAclBlocked",
        category: Category::Informational,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A grant that `s3-bucket-acl-internet-accessible` would report (to `AllUsers` or `AuthenticatedUsers`) on a bucket \
whose `IgnorePublicAcls` Block Public Access setting is on, at the bucket or the account level; one issue per \
permission, the notes ending with the setting: `... Blocked by: [PublicAccessBlock.IgnorePublicAcls]`.\n\n\
## Why it matters\n\
While the setting is on, S3 ignores public ACL grants, so nothing is exposed and the score is 0. The grant is still \
there: turning the setting off exposes the bucket again.\n\n\
## Example\n\
An `AllUsers` `READ` grant with `\"PublicAccessBlock\": {\"IgnorePublicAcls\": true}` gives `Entity: \
[ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"] Blocked by: \
[PublicAccessBlock.IgnorePublicAcls]`.\n\n\
## How to fix\n\
Remove the public grant, and disable ACLs with Object Ownership `BucketOwnerEnforced`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html\n\
- Complements Security Monkey's `S3Auditor.check_acl_internet_accessible`, which predates Block Public Access.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite;
    use serde_json::{Value, json};

    fn public_read(extra: Value) -> Value {
        let mut config = json!({"Grants": [{"Grantee": {"Type": "Group",
            "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]});
        if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
            config.extend(extra.clone());
        }
        config
    }

    #[test]
    fn table() {
        suite::table(
            &S3_BUCKET_PUBLIC_ACL_BLOCKED,
            &[
                public_read(json!({"PublicAccessBlock": {"IgnorePublicAcls": true}})),
                public_read(json!({"PublicAccessBlock": null, "AccountPublicAccessBlock": {"IgnorePublicAcls": true}})),
            ],
            &[
                public_read(json!({})),
                public_read(json!({"PublicAccessBlock": {"BlockPublicAcls": true, "RestrictPublicBuckets": true}})),
                json!({"Grants": [], "PublicAccessBlock": {"IgnorePublicAcls": true}}),
            ],
        );
    }

    #[test]
    fn notes_name_the_level() {
        let bucket = suite::issues(
            &S3_BUCKET_PUBLIC_ACL_BLOCKED,
            public_read(json!({"PublicAccessBlock": {"IgnorePublicAcls": true}})),
        );
        assert_eq!(
            bucket[0].key.notes,
            "Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"] Blocked by: \
             [PublicAccessBlock.IgnorePublicAcls]"
        );
        assert_eq!(bucket[0].score, 0);
        let account = suite::notes(
            &S3_BUCKET_PUBLIC_ACL_BLOCKED,
            public_read(json!({"AccountPublicAccessBlock": {"IgnorePublicAcls": true}})),
        );
        assert_eq!(
            account,
            ["Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"] Blocked by: \
              [AccountPublicAccessBlock.IgnorePublicAcls]"]
        );
    }
}
