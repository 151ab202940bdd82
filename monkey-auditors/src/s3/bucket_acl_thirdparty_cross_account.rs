//! `s3-bucket-acl-thirdparty-cross-account`: ACL grants to a known third party.

use monkey_core::auditor::{Check, CheckStatus};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants a known third-party account.
    pub static S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT = Check {
        id: "s3-bucket-acl-thirdparty-cross-account",
        technology: "s3",
        title: "S3BucketAclThirdpartyCrossAccount",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A grantee of the bucket ACL that is a stored account marked third party: by canonical user id (`canonical_id`), or \
by display name or e-mail address (`s3_name`, legacy grants). One issue per grantee with all its permissions.\n\n\
## Why it matters\n\
Access by a registered third party was agreed on, so the score is 0, as in Security Monkey; the issue keeps it \
reviewable.\n\n\
## Example\n\
A `READ` grant to the canonical id of the third-party account `vendor` (333333333333) gives `Account: \
[333333333333/vendor] Entity: [ACL:<canonical id>] Actions: [\"READ\"]`.\n\n\
## How to fix\n\
Nothing while the agreement stands. Prefer a bucket policy naming the vendor's role, and disable ACLs with Object \
Ownership `BucketOwnerEnforced`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html\n\
- Security Monkey `S3Auditor.check_acl_thirdparty_canonical` and `check_acl_thirdparty_legacy`.\n",
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource_policy::suite::{self, FRIEND_CANONICAL, VENDOR, VENDOR_CANONICAL, VENDOR_S3_NAME};
    use serde_json::json;

    #[test]
    fn table() {
        suite::table(
            &S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT,
            &[
                json!({"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": VENDOR_CANONICAL}, "Permission": "READ"}]}),
                json!({"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "legacy-id", "DisplayName": "Vendor-Logs"},
                    "Permission": "READ"}]}),
                json!({"Grants": [{"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": VENDOR_S3_NAME},
                    "Permission": "WRITE"}]}),
            ],
            &[
                json!({"Grants": []}),
                json!({"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": FRIEND_CANONICAL}, "Permission": "READ"}]}),
                json!({"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "someone", "DisplayName": "someone"},
                    "Permission": "READ"}]}),
            ],
        );
        let legacy = json!({"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "legacy-id", "DisplayName": VENDOR_S3_NAME},
            "Permission": "READ"}]});
        assert_eq!(
            suite::notes(&S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT, legacy),
            [format!("Account: [{VENDOR}/vendor] Entity: [ACL:legacy-id] Actions: [\"READ\"]")]
        );
    }
}
