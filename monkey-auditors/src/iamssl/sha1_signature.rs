//! `iamssl-sha1-signature`: a certificate signed with SHA-1.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A server certificate is signed with a SHA-1 hash.
    pub static IAMSSL_SHA1_SIGNATURE = Check {
        id: "iamssl-sha1-signature",
        technology: "iamssl",
        title: "IamSslSha1Signature",
        category: Category::InsecureTls,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose signature algorithm (`Certificate.SignatureAlgorithm`) uses SHA-1 \
(`sha1WithRSAEncryption`, `ecdsa-with-SHA1`, `dsa-with-SHA1`), matched case-insensitively on `sha1`.\n\n\
## Why it matters\n\
SHA-1 collisions have been practical since 2017 (SHAttered) and chosen-prefix collisions since 2020, the attack that \
forges certificates. Browsers stopped trusting SHA-1 certificates in 2017.\n\n\
## Example\n\
`{\"Certificate\": {\"SignatureAlgorithm\": \"sha1WithRSAEncryption\"}}` gives `sha1WithRSAEncryption`.\n\n\
## How to fix\n\
Have the CA issue a new certificate signed with SHA-256 or better, upload it, move the listeners, and delete the old \
one.\n\n\
## References\n\
- https://shattered.io/\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html\n\
- Security Monkey `IAMSSLAuditor.check_signature_algorith_for_sha1` (\"Cert uses an SHA1 signature Algorithm\").\n",
    };
}

/// Flags a SHA-1 signature.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    if let Some(algorithm) =
        certificate.signature.filter(|a| a.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"sha1")))
    {
        findings.push(Finding::new(&IAMSSL_SHA1_SIGNATURE, "Cert uses an SHA1 signature Algorithm", algorithm));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn sha1_signatures_are_flagged() {
        testing::table(
            &IAMSSL_SHA1_SIGNATURE,
            &[
                json!({"Certificate": {"SignatureAlgorithm": "sha1WithRSAEncryption"}}),
                json!({"Certificate": {"SignatureAlgorithm": "ecdsa-with-SHA1"}}),
            ],
            &[
                json!({"Certificate": {"SignatureAlgorithm": "sha256WithRSAEncryption"}}),
                json!({"Certificate": {"SignatureAlgorithm": "ecdsa-with-SHA384"}}),
                json!({"Certificate": {"SignatureAlgorithm": 1}}),
                json!({"Certificate": null}),
            ],
        );
        let issues = testing::issues(
            &IAMSSL_SHA1_SIGNATURE,
            json!({"Certificate": {"SignatureAlgorithm": "sha1WithRSAEncryption"}}),
        );
        assert_eq!((issues[0].key.notes.as_str(), issues[0].score), ("sha1WithRSAEncryption", 1));
    }
}
