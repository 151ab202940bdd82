//! `s3-bucket-allows-cleartext`: no bucket-policy statement denies requests without TLS.

use super::Bucket;
use super::Key;
use crate::resource_policy::Document;
use monkey_core::auditor::{AuditContext, Check, CheckStatus, Finding};
use monkey_core::model::Category;
use monkey_core::policy::{Principals, Statement};
use std::borrow::Cow;

monkey_core::declare_check! {
    /// The bucket policy does not deny requests made over plain HTTP.
    pub static S3_BUCKET_ALLOWS_CLEARTEXT = Check {
        id: "s3-bucket-allows-cleartext",
        technology: "s3",
        title: "S3BucketAllowsCleartext",
        category: Category::InsecureConfiguration,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A bucket whose policy has no statement that denies everyone (`\"Principal\": \"*\"`) `s3:GetObject` and \
`s3:PutObject` (`s3:*` or `*` cover both) under the condition `Bool` (or `BoolIfExists`) `aws:SecureTransport` = \
`false`; a bucket without a policy has none. A policy that could not be parsed is reported by \
`s3-bucket-policy-parse-error`, not here.\n\n\
## Why it matters\n\
S3 accepts plain HTTP requests unless the bucket policy refuses them: data and request signatures cross the network \
unencrypted, open to interception and tampering. Security Hub rates S3.5 Medium; the score is 3 (insecure \
configuration).\n\n\
## Example\n\
`{\"Policy\": null}` gives `Condition: [aws:SecureTransport=false] Deny: [missing]`.\n\n\
## How to fix\n\
Add `{\"Sid\": \"TlsOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \
[\"arn:aws:s3:::<bucket>\", \"arn:aws:s3:::<bucket>/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \
\"false\"}}}` to the bucket policy.\n\n\
## References\n\
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit\n\
- https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule\n\
- Prowler `s3_bucket_secure_transport_policy`; Security Hub S3.5; ScoutSuite `s3-bucket-allowing-cleartext`.\n",
    };
}

/// Whether a statement denies everyone plain-HTTP reads and writes.
fn denies_cleartext(statement: &Statement<Cow<'_, str>>) -> bool {
    !statement.is_allow()
        && statement.principal.as_ref().is_some_and(Principals::is_any)
        && statement.action_matches("s3:GetObject")
        && statement.action_matches("s3:PutObject")
        && statement.conditions.iter().any(|condition| {
            condition.operator == "Bool"
                && condition.key == "aws:securetransport"
                && condition.values.iter().any(|value| value.eq_ignore_ascii_case("false"))
        })
}

/// Flags a bucket that has no policy (null) or a policy without a TLS-only Deny.
pub(super) fn check(bucket: &Bucket<'_>, ctx: &AuditContext, findings: &mut Vec<Finding>) {
    let missing = match &bucket.policy {
        Document::Valid(policy) => !policy.statements.iter().any(denies_cleartext),
        Document::Absent => bucket.get(Key::Policy).is_some(),
        Document::Invalid(_) => false,
    };
    if missing {
        super::push(
            findings,
            ctx,
            &S3_BUCKET_ALLOWS_CLEARTEXT,
            "Bucket policy does not deny requests without TLS",
            || "Condition: [aws:SecureTransport=false] Deny: [missing]".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn deny(principal: Value, action: Value, condition: Value) -> Value {
        json!({"Policy": {"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:*"},
            {"Effect": "Deny", "Principal": principal, "Action": action, "Resource": "*", "Condition": condition}
        ]}})
    }

    #[test]
    fn table() {
        let tls = json!({"Bool": {"aws:SecureTransport": "false"}});
        testing::table(
            &S3_BUCKET_ALLOWS_CLEARTEXT,
            &[
                json!({"Policy": null}),
                json!({"Policy": {"Statement": []}}),
                deny(json!("*"), json!("s3:*"), json!({"Bool": {"aws:SecureTransport": "true"}})),
                deny(json!("*"), json!("s3:GetObject"), tls.clone()),
                deny(json!({"AWS": "222222222222"}), json!("s3:*"), tls.clone()),
                deny(json!("*"), json!("s3:*"), json!({"NumericLessThan": {"s3:TlsVersion": "1.2"}})),
                json!({"Policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}),
            ],
            &[
                json!({}),
                json!({"Policy": "not a policy"}),
                deny(json!("*"), json!("s3:*"), tls.clone()),
                deny(json!({"AWS": "*"}), json!("*"), json!({"Bool": {"aws:securetransport": false}})),
                deny(
                    json!("*"),
                    json!(["s3:GetObject", "s3:PutObject"]),
                    json!({"BoolIfExists": {"aws:SecureTransport": "false"}}),
                ),
                deny(
                    json!("*"),
                    json!("s3:*"),
                    json!({"Bool": {"aws:SecureTransport": ["false"]},
                    "StringNotEquals": {"aws:SourceVpce": "vpce-1"}}),
                ),
            ],
        );
        let found = testing::issues(&S3_BUCKET_ALLOWS_CLEARTEXT, json!({"Policy": null}));
        assert_eq!(
            (found[0].key.notes.as_str(), found[0].score),
            ("Condition: [aws:SecureTransport=false] Deny: [missing]", 3)
        );
    }
}
