//! `iamssl-md5-signature`: a certificate signed with MD5.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A server certificate is signed with an MD5 hash.
    pub static IAMSSL_MD5_SIGNATURE = Check {
        id: "iamssl-md5-signature",
        technology: "iamssl",
        title: "IamSslMd5Signature",
        category: Category::InsecureTls,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose signature algorithm (`Certificate.SignatureAlgorithm`) uses MD5 \
(`md5WithRSAEncryption`), matched case-insensitively on `md5`.\n\n\
## Why it matters\n\
MD5 collisions are cheap: in 2008 researchers forged a rogue CA certificate from an MD5-signed one. Clients no \
longer accept MD5 signatures, and a listener serving one fails its handshakes.\n\n\
## Example\n\
`{\"Certificate\": {\"SignatureAlgorithm\": \"md5WithRSAEncryption\"}}` gives `md5WithRSAEncryption`.\n\n\
## How to fix\n\
Have the CA issue a new certificate signed with SHA-256 or better, upload it, move the listeners, and delete the old \
one.\n\n\
## References\n\
- https://www.rfc-editor.org/rfc/rfc6151 (security considerations for MD5)\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html\n\
- Security Monkey `IAMSSLAuditor.check_signature_algorith_for_md5` (\"Cert uses an MD5 signature Algorithm\").\n",
    };
}

/// Flags an MD5 signature.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    if let Some(algorithm) =
        certificate.signature.filter(|a| a.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"md5")))
    {
        findings.push(Finding::new(&IAMSSL_MD5_SIGNATURE, "Cert uses an MD5 signature Algorithm", algorithm));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn md5_signatures_are_flagged() {
        testing::table(
            &IAMSSL_MD5_SIGNATURE,
            &[
                json!({"Certificate": {"SignatureAlgorithm": "md5WithRSAEncryption"}}),
                json!({"Certificate": {"SignatureAlgorithm": "MD5-RSA"}}),
            ],
            &[
                json!({"Certificate": {"SignatureAlgorithm": "sha256WithRSAEncryption"}}),
                json!({"Certificate": {"SignatureAlgorithm": "sha1WithRSAEncryption"}}),
                json!({"Certificate": {"SignatureAlgorithm": null}}),
                json!({}),
            ],
        );
        let issues = testing::issues(
            &IAMSSL_MD5_SIGNATURE,
            json!({"Certificate": {"SignatureAlgorithm": "md5WithRSAEncryption"}}),
        );
        assert_eq!((issues[0].key.notes.as_str(), issues[0].score), ("md5WithRSAEncryption", 3));
    }
}
