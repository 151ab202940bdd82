//! `s3-bucket-acl-log-delivery`: ACL grants to the S3 log-delivery group.

use super::Bucket;
use super::grants::{self, Grantee};
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// The bucket ACL grants the S3 log-delivery group.
    pub static S3_BUCKET_ACL_LOG_DELIVERY = Check {
        id: "s3-bucket-acl-log-delivery",
        technology: "s3",
        title: "S3BucketAclLogDelivery",
        category: Category::ThirdpartyCrossAccount,
        default_score: 0,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
Grants of the bucket ACL to the `LogDelivery` group (`http://acs.amazonaws.com/groups/s3/LogDelivery`), one issue \
with all the group's permissions.\n\n\
## Why it matters\n\
The group is how S3 server access logging wrote into target buckets before bucket policies replaced it: an AWS \
service outside the account can write to the bucket. That is expected on a log bucket, so the score is 0, as in \
Security Monkey; on any other bucket it is a leftover worth removing.\n\n\
## Example\n\
`WRITE` and `READ_ACP` grants to the group give `Entity: [ACL:http://acs.amazonaws.com/groups/s3/LogDelivery] \
Actions: [\"READ_ACP\", \"WRITE\"]`.\n\n\
## How to fix\n\
Grant `logging.s3.amazonaws.com` `s3:PutObject` in the target bucket's policy (with `aws:SourceAccount`), remove the \
ACL grant and set Object Ownership to `BucketOwnerEnforced`.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general\n\
- Security Monkey `S3Auditor.check_acl_log_delivery` (Thirdparty Cross Account, 0).\n",
    };
}

/// Reports the log-delivery group's permissions.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let Some(uri) = bucket.grants.iter().find_map(|g| match g.grantee {
        Grantee::LogDelivery(uri) => Some(uri),
        _ => None,
    }) else {
        return;
    };
    if !ctx.is_enabled(&S3_BUCKET_ACL_LOG_DELIVERY) {
        return;
    }
    let permissions = grants::permissions_of(&bucket.grants, |g| matches!(g, Grantee::LogDelivery(_)));
    let notes = grants::notes(&ctx.environment, None, uri, &permissions);
    let mut message = String::with_capacity(48 + permissions.iter().map(|p| p.len() + 2).sum::<usize>());
    message.push_str("Bucket ACL grants ");
    grants::push_joined(&mut message, &permissions);
    message.push_str(" to the S3 log-delivery group");
    findings.push(Finding::new(&S3_BUCKET_ACL_LOG_DELIVERY, message, notes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    const LOGS: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    #[test]
    fn table() {
        let grant = |permission: &str| json!({"Grantee": {"Type": "Group", "URI": LOGS}, "Permission": permission});
        testing::table(
            &S3_BUCKET_ACL_LOG_DELIVERY,
            &[json!({"Grants": [grant("WRITE"), grant("READ_ACP")]})],
            &[
                json!({}),
                json!({"Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                    "Permission": "READ"}]}),
            ],
        );
        let found = testing::issues(
            &S3_BUCKET_ACL_LOG_DELIVERY,
            json!({"Grants": [grant("WRITE"), grant("READ_ACP"), grant("WRITE")]}),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key.notes, format!("Entity: [ACL:{LOGS}] Actions: [\"READ_ACP\", \"WRITE\"]"));
        assert_eq!(found[0].score, 0);
    }
}
