//! `s3-bucket-public-write`: anyone may write to the bucket, through its ACL or its policy.

use super::Bucket;
use super::grants::{self, Grantee};
use super::public_access::Setting;
use crate::resource_policy::json_list;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use monkey_core::policy::{AccessLevel, actions};

monkey_core::declare_check! {
    /// Anyone on the internet may write to the bucket or its access control.
    pub static S3_BUCKET_PUBLIC_WRITE = Check {
        id: "s3-bucket-public-write",
        technology: "s3",
        title: "S3BucketPublicWrite",
        category: Category::InternetAccessible,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Write access for everyone: an ACL grant of `WRITE`, `WRITE_ACP` or `FULL_CONTROL` to `AllUsers` or \
`AuthenticatedUsers` (one issue per permission), or internet-accessible bucket-policy actions that include S3 \
actions of the Write or Permissions management access level (`s3:PutObject`, `s3:DeleteObject`, \
`s3:PutBucketPolicy`, `s3:*`, `*`; one issue listing them). Grants that Block Public Access neutralises \
(`IgnorePublicAcls` for ACLs, `RestrictPublicBuckets` for the policy) are not reported.\n\n\
## Why it matters\n\
Public write is worse than public read: anyone can plant malware or phishing pages served under your name, \
overwrite or delete data, run up storage costs, or (with `WRITE_ACP` or `s3:PutBucketPolicy`) take the bucket \
over. Security Hub rates S3.3 Critical; the score is 10, on top of the internet-accessible issue that lists every \
public action.\n\n\
## Example\n\
`{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"]}` gives `Entity: \
[principal:*] Actions: [\"s3:putobject\"]`; an `AllUsers` `WRITE` grant gives `Entity: \
[ACL:http://acs.amazonaws.com/groups/global/AllUsers] Actions: [\"WRITE\"]`.\n\n\
## How to fix\n\
Remove the write actions from the public statement and the public write grants; upload through signed requests or \
pre-signed URLs instead. Turn on Block Public Access.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions\n\
- https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html\n\
- Security Monkey records the actions in its internet-accessible issues; Prowler `s3_bucket_public_write_acl`, \
`s3_bucket_policy_public_write_access`; Security Hub S3.3; ScoutSuite `s3-bucket-world-acl`, \
`s3-bucket-world-policy-arg`.\n",
    };
}

/// ACL permissions that let the grantee write objects or the ACL.
const WRITE_PERMISSIONS: [&str; 3] = ["WRITE", "WRITE_ACP", "FULL_CONTROL"];

/// Whether an action pattern covers an S3 action that writes data or permissions.
fn writes(pattern: &str) -> bool {
    actions().levels(pattern).into_iter().any(|(service, level)| {
        service == "s3" && matches!(level, AccessLevel::Write | AccessLevel::PermissionsManagement)
    })
}

/// Reports public write grants and public write actions that are in force.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    if !ctx.is_enabled(&S3_BUCKET_PUBLIC_WRITE) {
        return;
    }
    if bucket.public_access.blocked_by(Setting::IgnorePublicAcls).is_none() {
        for (index, grant) in bucket.grants.iter().enumerate() {
            let Grantee::Public(uri) = grant.grantee else {
                continue;
            };
            if !WRITE_PERMISSIONS.contains(&grant.permission) || bucket.grants[..index].contains(grant) {
                continue;
            }
            let notes = grants::notes(&ctx.environment, None, uri, &[grant.permission]);
            let group = uri.rsplit('/').next().unwrap_or(uri);
            let message = format!("Bucket ACL lets {group} write ({})", grant.permission);
            findings.push(Finding::new(&S3_BUCKET_PUBLIC_WRITE, message, notes));
        }
    }
    let Some(public_actions) = &bucket.public_actions else {
        return;
    };
    if bucket.public_access.blocked_by(Setting::RestrictPublicBuckets).is_some() {
        return;
    }
    let written: Vec<&str> = public_actions.iter().map(String::as_str).filter(|a| writes(a)).collect();
    if !written.is_empty() {
        let notes = format!("Entity: [principal:*] Actions: {}", json_list(&written));
        let message = format!("Bucket policy lets anyone on the internet write ({})", written.join(", "));
        findings.push(Finding::new(&S3_BUCKET_PUBLIC_WRITE, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    const ALL: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
    const AUTH: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    fn acl(uri: &str, permission: &str) -> Value {
        json!({"Grants": [{"Grantee": {"Type": "Group", "URI": uri}, "Permission": permission}]})
    }

    fn policy(actions: Value) -> Value {
        json!({"Policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": actions, "Resource": "*"}]}})
    }

    fn with(mut config: Value, key: &str, value: Value) -> Value {
        config[key] = value;
        config
    }

    #[test]
    fn table() {
        testing::table(
            &S3_BUCKET_PUBLIC_WRITE,
            &[
                acl(ALL, "WRITE"),
                acl(AUTH, "WRITE_ACP"),
                acl(ALL, "FULL_CONTROL"),
                policy(json!("s3:PutObject")),
                policy(json!(["s3:GetObject", "s3:DeleteObject"])),
                policy(json!("s3:*")),
                policy(json!("*")),
                policy(json!("s3:PutBucketPolicy")),
                policy(json!("s3:Put*")),
                with(acl(ALL, "WRITE"), "PublicAccessBlock", json!({"RestrictPublicBuckets": true})),
                with(policy(json!("s3:PutObject")), "PublicAccessBlock", json!({"IgnorePublicAcls": true})),
            ],
            &[
                json!({}),
                acl(ALL, "READ"),
                acl(ALL, "READ_ACP"),
                acl("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE"),
                policy(json!(["s3:GetObject", "s3:ListBucket"])),
                policy(json!("s3:Get*")),
                policy(json!("ec2:*")),
                json!({"Policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
                    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}}),
                with(acl(ALL, "WRITE"), "PublicAccessBlock", json!({"IgnorePublicAcls": true})),
                with(acl(ALL, "WRITE"), "AccountPublicAccessBlock", json!({"IgnorePublicAcls": true})),
                with(policy(json!("s3:PutObject")), "PublicAccessBlock", json!({"RestrictPublicBuckets": true})),
                with(policy(json!("s3:PutObject")), "AccountPublicAccessBlock", json!({"RestrictPublicBuckets": true})),
            ],
        );
    }

    #[test]
    fn notes_list_the_write_actions_and_grants() {
        assert_eq!(
            testing::notes(&S3_BUCKET_PUBLIC_WRITE, policy(json!(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]))),
            ["Entity: [principal:*] Actions: [\"s3:deleteobject\", \"s3:putobject\"]"]
        );
        let found = testing::issues(&S3_BUCKET_PUBLIC_WRITE, acl(ALL, "WRITE"));
        assert_eq!(found[0].key.notes, format!("Entity: [ACL:{ALL}] Actions: [\"WRITE\"]"));
        assert_eq!(found[0].score, 10);
    }
}
