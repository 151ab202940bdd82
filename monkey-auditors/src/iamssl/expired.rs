//! `iamssl-expired`: an expired certificate still stored in IAM.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// A server certificate has expired.
    pub static IAMSSL_EXPIRED = Check {
        id: "iamssl-expired",
        technology: "iamssl",
        title: "IamSslExpired",
        category: Category::NeedsRotation,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose validity ended before the audit (`Certificate.NotAfter`, else IAM's `Expiration`).\n\n\
## Why it matters\n\
A listener serving an expired certificate fails every TLS handshake. Unused, it is clutter that someone may deploy \
by mistake; AWS asks to delete expired certificates.\n\n\
## Example\n\
`{\"Certificate\": {\"NotAfter\": \"2025-06-01T00:00:00Z\"}}` audited on 2026-01-01 gives \
`Expired on 2025-06-01T00:00:00Z.`\n\n\
## How to fix\n\
If a listener uses it, replace it with a valid certificate now; then delete it \
(`aws iam delete-server-certificate`).\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html#delete-server-certificate\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-26 (Security Hub IAM.26)\n\
- Security Monkey `IAMSSLAuditor.check_expired` (\"Cert has expired.\"); Prowler \
`iam_no_expired_server_certificates_stored`.\n",
    };
}

/// Flags an expired certificate.
pub(super) fn check(certificate: &Certificate<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    let (Some(left), Some(not_after)) = (certificate.seconds_left(now), certificate.not_after) else { return };
    if left < 0 {
        let notes = format!("Expired on {}.", not_after.text);
        findings.push(Finding::new(&IAMSSL_EXPIRED, "Cert has expired.", notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn expired_certificates_are_flagged() {
        testing::table(
            &IAMSSL_EXPIRED,
            &[
                json!({"Certificate": {"NotAfter": "2025-12-31T23:59:59Z"}}),
                json!({"Expiration": "2012-05-08T01:02:03.004Z"}),
            ],
            &[
                json!({"Certificate": {"NotAfter": "2026-01-01T00:00:00Z"}}),
                json!({"Certificate": {"NotAfter": "2027-01-01T00:00:00Z"}, "Expiration": "2012-05-08T01:02:03.004Z"}),
                json!({"Expiration": 2012}),
                json!({}),
            ],
        );
        let issues = testing::issues(&IAMSSL_EXPIRED, json!({"Certificate": {"NotAfter": "2025-06-01T00:00:00Z"}}));
        assert_eq!(issues[0].key.notes, "Expired on 2025-06-01T00:00:00Z.");
        assert_eq!(issues[0].message, "Cert has expired.");
    }
}
