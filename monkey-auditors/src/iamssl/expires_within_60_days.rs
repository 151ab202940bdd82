//! `iamssl-expires-within-60-days`: a certificate expiring in 30 to 60 days.

use super::certificate::{Certificate, DAY};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// A server certificate expires in 30 to 60 days.
    pub static IAMSSL_EXPIRES_WITHIN_60_DAYS = Check {
        id: "iamssl-expires-within-60-days",
        technology: "iamssl",
        title: "IamSslExpiresWithin60Days",
        category: Category::NeedsRotation,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate that expires more than 30 and at most 60 days after the audit (`Certificate.NotAfter`, else \
IAM's `Expiration`). Within 30 days, `iamssl-expires-within-30-days` takes over and this issue is fixed.\n\n\
## Why it matters\n\
Renewing a certificate takes time (validation with the CA, a change window for the listeners); two months ahead is \
when to start, before the expiry causes an outage.\n\n\
## Example\n\
`{\"Certificate\": {\"NotAfter\": \"2026-02-15T00:00:00Z\"}}` audited on 2026-01-01 gives \
`Expires on 2026-02-15T00:00:00Z.`\n\n\
## How to fix\n\
Renew the certificate, upload the new one, move the listeners, and delete the old one; or move to AWS Certificate \
Manager, which renews automatically.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html#update-server-certificate\n\
- Security Monkey `IAMSSLAuditor.check_future_expiration` (\"Cert will expire soon.\", 5).\n",
    };
}

/// Flags a certificate with more than 30 and at most 60 days left.
pub(super) fn check(certificate: &Certificate<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    let (Some(left), Some(not_after)) = (certificate.seconds_left(now), certificate.not_after) else { return };
    if left > 30 * DAY && left <= 60 * DAY {
        let notes = format!("Expires on {}.", not_after.text);
        findings.push(Finding::new(&IAMSSL_EXPIRES_WITHIN_60_DAYS, "Cert will expire soon.", notes));
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
    fn certificates_expiring_in_30_to_60_days_are_flagged() {
        testing::table(
            &IAMSSL_EXPIRES_WITHIN_60_DAYS,
            &[expiring("2026-01-31T00:00:01Z"), expiring("2026-02-15T00:00:00Z"), expiring("2026-03-02T00:00:00Z")],
            &[
                expiring("2026-01-31T00:00:00Z"),
                expiring("2026-03-02T00:00:01Z"),
                expiring("2025-06-01T00:00:00Z"),
                json!({"Certificate": {"NotAfter": null}}),
            ],
        );
        let issues = testing::issues(&IAMSSL_EXPIRES_WITHIN_60_DAYS, expiring("2026-02-15T00:00:00Z"));
        assert_eq!((issues[0].key.notes.as_str(), issues[0].score), ("Expires on 2026-02-15T00:00:00Z.", 5));
    }
}
