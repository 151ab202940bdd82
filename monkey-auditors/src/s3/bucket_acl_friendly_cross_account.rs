//! `s3-bucket-acl-friendly-cross-account`: ACL grants to another account of ours.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants another account of ours.
    pub static S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT = Check {
        id: "s3-bucket-acl-friendly-cross-account",
        technology: "s3",
        title: "S3BucketAclFriendlyCrossAccount",
        category: Category::FriendlyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A grantee of the bucket ACL that is another account of ours: its canonical user id is a stored account's \
`canonical_id`, or its display name or e-mail address is a stored account's `s3_name` (legacy grants). One issue \
per grantee with all its permissions. Grants to the bucket owner's own canonical id are never reported.\n\n\
## Why it matters\n\
Access within the organisation is usually intended, so the score is 0, as in Security Monkey; the issue records it.\n\n\
## Example\n\
A `READ` grant to the canonical id of the stored account `prod` (222222222222) gives `Account: \
[222222222222/prod] Entity: [ACL:<canonical id>] Actions: [\"READ\"]`.\n\n\
## How to fix\n\
Prefer a bucket policy naming the account's roles, then disable ACLs with Object Ownership `BucketOwnerEnforced`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html\n\
- https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html#FindCanonicalId\n\
- Security Monkey `S3Auditor.check_acl_friendly_canonical` and `check_acl_friendly_legacy`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite::{self, FRIEND, FRIEND_CANONICAL, VENDOR_CANONICAL};
    use serde_json::json;

    #[test]
    fn table() {
        let grant = |id: &str, permission: &str| json!({"Grantee": {"Type": "CanonicalUser", "ID": id}, "Permission": permission});
        suite::table(
            &S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT,
            &[
                json!({"Grants": [grant(FRIEND_CANONICAL, "READ")]}),
                json!({"Grants": [grant(&FRIEND_CANONICAL.to_ascii_uppercase(), "WRITE")]}),
            ],
            &[
                json!({}),
                json!({"Grants": [grant(VENDOR_CANONICAL, "READ")]}),
                json!({"Owner": {"ID": FRIEND_CANONICAL}, "Grants": [grant(FRIEND_CANONICAL, "FULL_CONTROL")]}),
            ],
        );
        let config = json!({"Grants": [grant(FRIEND_CANONICAL, "WRITE"), grant(FRIEND_CANONICAL, "READ")]});
        let found = suite::issues(&S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT, config);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].key.notes,
            format!("Account: [{FRIEND}/friend] Entity: [ACL:{FRIEND_CANONICAL}] Actions: [\"READ\", \"WRITE\"]")
        );
        assert_eq!(found[0].score, 0);
    }
}
