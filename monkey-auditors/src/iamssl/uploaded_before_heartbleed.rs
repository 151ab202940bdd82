//! `iamssl-uploaded-before-heartbleed`: a certificate uploaded before Heartbleed was disclosed.

use super::certificate::{Certificate, DAY};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

/// 2014-04-01T00:00:00Z, Security Monkey's Heartbleed date, in Unix seconds.
const HEARTBLEED: i64 = 1_396_310_400;

monkey_core::declare_check! {
    /// A server certificate was uploaded before Heartbleed.
    pub static IAMSSL_UPLOADED_BEFORE_HEARTBLEED = Check {
        id: "iamssl-uploaded-before-heartbleed",
        technology: "iamssl",
        title: "IamSslUploadedBeforeHeartbleed",
        category: Category::NeedsRotation,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate uploaded to IAM (`UploadDate`) before 2014-04-01, when Heartbleed (CVE-2014-0160) was about \
to be disclosed. A certificate that only became valid on or after that day (`Certificate.NotBefore`) is not \
flagged: it cannot have been uploaded before it was issued, so such an upload date is a recording artefact.\n\n\
## Why it matters\n\
Heartbleed let anyone read the memory of servers running vulnerable OpenSSL, private keys included. A key that \
served TLS before the fix may have leaked; whoever holds it can impersonate the site.\n\n\
## Example\n\
`{\"UploadDate\": \"2014-03-01T00:00:00Z\"}` gives `Cert was uploaded 31 days before heartbleed.`\n\n\
## How to fix\n\
Issue a new certificate with a new key, upload it, move the listeners, and delete the old certificate.\n\n\
## References\n\
- https://nvd.nist.gov/vuln/detail/CVE-2014-0160\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html\n\
- Security Monkey `IAMSSLAuditor.check_upload_date_for_heartbleed` (\"Cert may have been compromised by heartbleed.\").\n",
    };
}

/// Flags an upload before Heartbleed.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    let Some(uploaded) = certificate.uploaded else { return };
    let uploaded = uploaded.at.unix_seconds();
    let issued_after = certificate.not_before.is_some_and(|date| date.at.unix_seconds() >= HEARTBLEED);
    if uploaded < HEARTBLEED && !issued_after {
        let notes = format!("Cert was uploaded {} days before heartbleed.", (HEARTBLEED - uploaded) / DAY);
        findings.push(Finding::new(
            &IAMSSL_UPLOADED_BEFORE_HEARTBLEED,
            "Cert may have been compromised by heartbleed.",
            notes,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use monkey_core::model::Timestamp;
    use serde_json::json;

    #[test]
    fn the_date_is_security_monkeys() {
        let date = Timestamp::parse_rfc3339("2014-04-01T00:00:00Z").expect("a valid date");
        assert_eq!(date.unix_seconds(), HEARTBLEED);
    }

    #[test]
    fn uploads_before_heartbleed_are_flagged() {
        testing::table(
            &IAMSSL_UPLOADED_BEFORE_HEARTBLEED,
            &[
                json!({"UploadDate": "2014-03-31T23:59:59Z"}),
                json!({"UploadDate": "2010-05-08T01:02:03.004Z", "Certificate": {"NotBefore": "2010-01-01T00:00:00Z"}}),
            ],
            &[
                json!({"UploadDate": "2014-04-01T00:00:00Z"}),
                json!({"UploadDate": "2020-01-01T00:00:00Z"}),
                json!({"UploadDate": "2010-05-08T01:02:03.004Z", "Certificate": {"NotBefore": "2026-11-27T08:18:48Z"}}),
                json!({"UploadDate": null}),
                json!({}),
            ],
        );
        let issues = testing::issues(&IAMSSL_UPLOADED_BEFORE_HEARTBLEED, json!({"UploadDate": "2014-03-01T00:00:00Z"}));
        assert_eq!(issues[0].key.notes, "Cert was uploaded 31 days before heartbleed.");
        assert_eq!(issues[0].message, "Cert may have been compromised by heartbleed.");
        assert_eq!(issues[0].score, 10);
    }
}
