//! `s3-bucket-acl-unknown-access`: ACL grants to an account nobody registered.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants an account nobody registered.
    pub static S3_BUCKET_ACL_UNKNOWN_ACCESS = Check {
        id: "s3-bucket-acl-unknown-access",
        technology: "s3",
        title: "S3BucketAclUnknownAccess",
        category: Category::UnknownAccess,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A grantee of the bucket ACL that is neither the bucket owner (`Owner.ID`) nor a stored account (by canonical id, \
display name or e-mail address), or a group other than the three S3 defines; one issue per grantee with all its \
permissions.\n\n\
Security Monkey also reported the bucket owner's own canonical id unless it was configured as an account's \
`canonical_id`, which flagged the default `FULL_CONTROL` grant of nearly every bucket. monkey compares grantees with \
the owner recorded with the ACL and never reports the owner.\n\n\
## Why it matters\n\
An account outside every one you registered can read or write the bucket (or its ACL).\n\n\
## Example\n\
A `READ` grant to an unknown canonical id gives `Entity: [ACL:<canonical id>] Actions: [\"READ\"]`.\n\n\
## How to fix\n\
Find out whose account it is: register it (with its canonical id) if the access is intended, otherwise remove the \
grant. Then disable ACLs with Object Ownership `BucketOwnerEnforced`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html\n\
- Security Monkey `S3Auditor.check_acl_unknown` (Unknown Access, 10); Security Hub S3.6.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite::{self, FRIEND_CANONICAL, OUR_CANONICAL};
    use serde_json::json;

    const STRANGER: &str = "ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000";

    #[test]
    fn table() {
        let grant = |id: &str, permission: &str| json!({"Grantee": {"Type": "CanonicalUser", "ID": id}, "Permission": permission});
        suite::table(
            &S3_BUCKET_ACL_UNKNOWN_ACCESS,
            &[
                json!({"Owner": {"ID": "owner"}, "Grants": [grant("owner", "FULL_CONTROL"), grant(STRANGER, "READ")]}),
                json!({"Grants": [grant("owner", "FULL_CONTROL")]}),
                json!({"Grants": [{"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": "x@example.com"},
                    "Permission": "READ"}]}),
                json!({"Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/other"},
                    "Permission": "READ"}]}),
            ],
            &[
                json!({}),
                json!({"Owner": {"ID": "owner"}, "Grants": [grant("owner", "FULL_CONTROL")]}),
                json!({"Owner": {"ID": "OWNER"}, "Grants": [grant("owner", "FULL_CONTROL")]}),
                json!({"Grants": [grant(OUR_CANONICAL, "FULL_CONTROL"), grant(FRIEND_CANONICAL, "READ")]}),
                json!({"Grants": [{"Grantee": {"Type": "CanonicalUser"}, "Permission": "READ"}]}),
                json!({"Owner": "owner", "Grants": [{"Grantee": "owner", "Permission": "READ"}]}),
            ],
        );
        let found = suite::issues(
            &S3_BUCKET_ACL_UNKNOWN_ACCESS,
            json!({"Owner": {"ID": "owner"}, "Grants": [grant(STRANGER, "WRITE"), grant(STRANGER, "READ")]}),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key.notes, format!("Entity: [ACL:{STRANGER}] Actions: [\"READ\", \"WRITE\"]"));
        assert_eq!(found[0].score, 10);
    }
}
