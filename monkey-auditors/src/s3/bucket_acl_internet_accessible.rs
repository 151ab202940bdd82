//! `s3-bucket-acl-internet-accessible`: ACL grants to everyone or to every AWS account.

use super::Bucket;
use super::grants::{self, Grantee};
use super::public_access::Setting;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants a permission to `AllUsers` or `AuthenticatedUsers`.
    pub static S3_BUCKET_ACL_INTERNET_ACCESSIBLE = Check {
        id: "s3-bucket-acl-internet-accessible",
        technology: "s3",
        title: "S3BucketAclInternetAccessible",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A grant of the bucket ACL to the `AllUsers` group (anyone, anonymous included) or the `AuthenticatedUsers` group \
(anyone with an AWS account, in any account), one issue per permission. When `IgnorePublicAcls` is on (bucket or \
account level), S3 ignores these grants and `s3-bucket-public-acl-blocked` reports them instead.\n\n\
## Why it matters\n\
`READ` lets anyone list the bucket, `READ_ACP` read its ACL, `WRITE` create and overwrite objects, `WRITE_ACP` \
change the ACL and `FULL_CONTROL` all of these. `AuthenticatedUsers` is not \"our users\": it is every AWS customer.\n\n\
## Example\n\
`{\"Grantee\": {\"Type\": \"Group\", \"URI\": \"http://acs.amazonaws.com/groups/global/AllUsers\"}, \"Permission\": \
\"READ\"}` gives `Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"]`.\n\n\
## How to fix\n\
Remove the grant (`put-bucket-acl` with a private canned ACL), then disable ACLs altogether with Object Ownership \
`BucketOwnerEnforced`, and turn on Block Public Access.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html\n\
- Security Monkey `S3Auditor.check_acl_internet_accessible`; Prowler `s3_bucket_public_access`, \
`s3_bucket_public_list_acl`; Security Hub S3.2; ScoutSuite `s3-bucket-world-acl`.\n",
    };
}

/// Reports every public grant, to this check or, under `IgnorePublicAcls`, to the blocked check.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let blocked = bucket.public_access.blocked_by(Setting::IgnorePublicAcls);
    let check: &'static Check = match blocked {
        None => &S3_BUCKET_ACL_INTERNET_ACCESSIBLE,
        Some(_) => &super::S3_BUCKET_PUBLIC_ACL_BLOCKED,
    };
    if !ctx.is_enabled(check) {
        return;
    }
    for (index, grant) in bucket.grants.iter().enumerate() {
        let Grantee::Public(uri) = grant.grantee else {
            continue;
        };
        if bucket.grants[..index].contains(grant) {
            continue;
        }
        let mut notes = grants::notes(&ctx.environment, None, uri, &[grant.permission]);
        let group = uri.rsplit('/').next().unwrap_or(uri);
        let message = match blocked {
            None => format!("Bucket ACL grants {} to {group}", grant.permission),
            Some(setting) => {
                notes.push_str(" Blocked by: [");
                notes.push_str(setting);
                notes.push(']');
                format!("Bucket ACL grants {} to {group}, but {setting} makes S3 ignore it", grant.permission)
            }
        };
        findings.push(Finding::new(check, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn grant(uri: &str, permission: &str) -> Value {
        json!({"Grantee": {"Type": "Group", "URI": uri, "ID": null, "DisplayName": null}, "Permission": permission})
    }

    const ALL: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
    const AUTH: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    #[test]
    fn table() {
        let owner = json!({"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"});
        testing::table(
            &S3_BUCKET_ACL_INTERNET_ACCESSIBLE,
            &[
                json!({"Grants": [owner.clone(), grant(ALL, "READ")]}),
                json!({"Grants": [grant(AUTH, "WRITE")]}),
                json!({"Grants": [grant("https://acs.amazonaws.com/groups/global/AllUsers", "READ_ACP")]}),
                json!({"Grants": [grant(ALL, "READ")], "PublicAccessBlock": {"BlockPublicAcls": true}}),
                json!({"Grants": [grant(ALL, "READ")], "PublicAccessBlock": null, "AccountPublicAccessBlock": null}),
            ],
            &[
                json!({}),
                json!({"Grants": null}),
                json!({"Grants": "READ"}),
                json!({"Grants": [owner, grant("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE")]}),
                json!({"Grants": [{"Grantee": null, "Permission": "READ"}, {"Permission": "READ"}, grant(ALL, "")]}),
                json!({"Grants": [{"Grantee": {"URI": ALL}}]}),
                json!({"Grants": [grant(ALL, "READ")], "PublicAccessBlock": {"IgnorePublicAcls": true}}),
                json!({"Grants": [grant(ALL, "READ")], "AccountPublicAccessBlock": {"IgnorePublicAcls": true}}),
            ],
        );
    }

    #[test]
    fn one_issue_per_group_and_permission() {
        let config =
            json!({"Grants": [grant(ALL, "READ"), grant(ALL, "WRITE"), grant(ALL, "READ"), grant(AUTH, "READ")]});
        let found = testing::issues(&S3_BUCKET_ACL_INTERNET_ACCESSIBLE, config);
        let notes: Vec<&str> = found.iter().map(|i| i.key.notes.as_str()).collect();
        assert_eq!(
            notes,
            [
                "Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"READ\"]",
                "Entity: [ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"WRITE\"]",
                "Entity: [ACL:http://acs.amazonaws.com/groups/global/AuthenticatedUsers] Actions: [\"READ\"]",
            ]
        );
        assert!(found.iter().all(|i| i.score == 10));
    }
}
