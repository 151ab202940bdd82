//! `iamssl-expires-within-30-days`: a certificate expiring within 30 days.

use super::certificate::{Certificate, DAY};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// A server certificate expires within 30 days.
    pub static IAMSSL_EXPIRES_WITHIN_30_DAYS = Check {
        id: "iamssl-expires-within-30-days",
        technology: "iamssl",
        title: "IamSslExpiresWithin30Days",
        category: Category::NeedsRotation,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate that has not expired yet and expires within 30 days of the audit (30 days exactly included): \
`Certificate.NotAfter` read from the certificate body, else IAM's `Expiration`.\n\n\
## Why it matters\n\
When the certificate expires, every client of the load balancer or CloudFront distribution serving it fails its \
TLS handshake: an outage, and users trained to click through warnings.\n\n\
## Example\n\
`{\"Certificate\": {\"NotAfter\": \"2026-01-20T00:00:00Z\"}}` audited on 2026-01-01 gives \
`Expires on 2026-01-20T00:00:00Z.`\n\n\
## How to fix\n\
Renew the certificate with the CA, upload the new one, move the listeners to it, and delete the old one. AWS \
Certificate Manager renews its own certificates automatically.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html#update-server-certificate\n\
- https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html\n\
- Security Monkey `IAMSSLAuditor.check_upcoming_expiration` (\"Cert will expire soon.\", 10).\n",
    };
}

/// Flags a certificate with 0 to 30 days left.
pub(super) fn check(certificate: &Certificate<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    let (Some(left), Some(not_after)) = (certificate.seconds_left(now), certificate.not_after) else { return };
    if (0..=30 * DAY).contains(&left) {
        let notes = format!("Expires on {}.", not_after.text);
        findings.push(Finding::new(&IAMSSL_EXPIRES_WITHIN_30_DAYS, "Cert will expire soon.", notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn expiring(at: &str) -> Value {
        json!({"Certificate": {"NotAfter": at}})
    }

    #[test]
    fn certificates_expiring_within_30_days_are_flagged() {
        // The audit runs at 2026-01-01T00:00:00Z.
        testing::table(
            &IAMSSL_EXPIRES_WITHIN_30_DAYS,
            &[
                expiring("2026-01-01T00:00:00Z"),
                expiring("2026-01-20T00:00:00Z"),
                expiring("2026-01-31T00:00:00Z"),
                json!({"Expiration": "2026-01-10T00:00:00Z", "Certificate": null}),
            ],
            &[
                expiring("2026-01-31T00:00:01Z"),
                expiring("2025-12-31T23:59:59Z"),
                expiring("2027-01-01T00:00:00Z"),
                json!({"Certificate": {"NotAfter": "soon"}}),
                json!({}),
            ],
        );
        let issues = testing::issues(&IAMSSL_EXPIRES_WITHIN_30_DAYS, expiring("2026-01-20T00:00:00Z"));
        assert_eq!(issues[0].key.notes, "Expires on 2026-01-20T00:00:00Z.");
        assert_eq!(issues[0].message, "Cert will expire soon.");
        assert_eq!(issues[0].score, 10);
    }
}
