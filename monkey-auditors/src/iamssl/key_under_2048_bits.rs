//! `iamssl-key-under-2048-bits`: an RSA or DSA key of 1024 to 2047 bits.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A server certificate's key has 1024 to 2047 bits.
    pub static IAMSSL_KEY_UNDER_2048_BITS = Check {
        id: "iamssl-key-under-2048-bits",
        technology: "iamssl",
        title: "IamSslKeyUnder2048Bits",
        category: Category::InsecureTls,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose RSA or DSA public key has 1024 to 2047 bits (`Certificate.KeySize`; shorter keys are \
reported by `iamssl-key-under-1024-bits`). EC and EdDSA keys are skipped.\n\n\
## Why it matters\n\
1024-bit RSA is within reach of well-funded attackers and has been disallowed for certificates by NIST and the \
CA/Browser Forum since 2013-2014: browsers and many TLS clients reject such certificates, and a factored key means \
impersonation.\n\n\
## Example\n\
`{\"Certificate\": {\"KeyAlgorithm\": \"RSA\", \"KeySize\": 1024}}` gives `Actual size is 1024 bits.`\n\n\
## How to fix\n\
Issue a new certificate with an RSA key of 2048 bits or more (or ECDSA P-256), upload it, move the listeners, and \
delete the old certificate.\n\n\
## References\n\
- https://csrc.nist.gov/pubs/sp/800/131/a/r2/final (NIST SP 800-131A)\n\
- https://cabforum.org/working-groups/server/baseline-requirements/ (CA/Browser Forum Baseline Requirements)\n\
- Security Monkey `IAMSSLAuditor.check_cert_size_lt_2048` (\"Cert size is less than 2048 bits.\").\n",
    };
}

/// Flags a key of 1024 to 2047 bits.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    if let Some(size) = certificate.rsa_like_key_size().filter(|size| (1024..2048).contains(size)) {
        let notes = format!("Actual size is {size} bits.");
        findings.push(Finding::new(&IAMSSL_KEY_UNDER_2048_BITS, "Cert size is less than 2048 bits.", notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn keys_of_1024_to_2047_bits_are_flagged() {
        testing::table(
            &IAMSSL_KEY_UNDER_2048_BITS,
            &[
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": 1024}}),
                json!({"Certificate": {"KeySize": 2047}}),
            ],
            &[
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": 2048}}),
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": 512}}),
                json!({"Certificate": {"KeyAlgorithm": "Ed25519", "KeySize": 256}}),
                json!({"Certificate": {"KeyAlgorithm": "RSA"}}),
                json!({"Certificate": []}),
            ],
        );
        let issues = testing::issues(&IAMSSL_KEY_UNDER_2048_BITS, json!({"Certificate": {"KeySize": 1024}}));
        assert_eq!(issues[0].key.notes, "Actual size is 1024 bits.");
        assert_eq!(issues[0].score, 3);
    }
}
