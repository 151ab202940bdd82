//! `iamssl-key-under-1024-bits`: an RSA or DSA key shorter than 1024 bits.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A server certificate's key is shorter than 1024 bits.
    pub static IAMSSL_KEY_UNDER_1024_BITS = Check {
        id: "iamssl-key-under-1024-bits",
        technology: "iamssl",
        title: "IamSslKeyUnder1024Bits",
        category: Category::InsecureTls,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose RSA or DSA public key (`Certificate.KeyAlgorithm`; a size without an algorithm counts as \
RSA) is shorter than 1024 bits (`Certificate.KeySize`). EC and EdDSA keys are skipped: 256 bits is strong for them.\n\n\
## Why it matters\n\
RSA keys of 512 or 768 bits have been factored publicly, for little money: whoever factors the key can impersonate \
the site and, without forward secrecy, decrypt recorded traffic.\n\n\
## Example\n\
`{\"Certificate\": {\"KeyAlgorithm\": \"RSA\", \"KeySize\": 512}}` gives `Actual size is 512 bits.`\n\n\
## How to fix\n\
Issue a new certificate with a new RSA key of 2048 bits or more (or an ECDSA P-256 key), upload it, switch the \
listeners to it, and delete the old one.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html\n\
- https://csrc.nist.gov/pubs/sp/800/131/a/r2/final (NIST SP 800-131A: transitions of key lengths)\n\
- Security Monkey `IAMSSLAuditor.check_cert_size_lt_1024` (\"Cert size is less than 1024 bits.\").\n",
    };
}

/// Flags a key shorter than 1024 bits.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    if let Some(size) = certificate.rsa_like_key_size().filter(|size| *size < 1024) {
        let notes = format!("Actual size is {size} bits.");
        findings.push(Finding::new(&IAMSSL_KEY_UNDER_1024_BITS, "Cert size is less than 1024 bits.", notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn keys_under_1024_bits_are_flagged() {
        testing::table(
            &IAMSSL_KEY_UNDER_1024_BITS,
            &[
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": 512}}),
                json!({"Certificate": {"KeySize": 1023}}),
                json!({"Certificate": {"KeyAlgorithm": "DSA", "KeySize": 768}}),
            ],
            &[
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": 1024}}),
                json!({"Certificate": {"KeyAlgorithm": "EC", "KeySize": 256}}),
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": null}}),
                json!({"Certificate": {"KeyAlgorithm": "RSA", "KeySize": "512"}}),
                json!({}),
            ],
        );
        assert_eq!(
            testing::notes(&IAMSSL_KEY_UNDER_1024_BITS, json!({"Certificate": {"KeySize": 512}})),
            ["Actual size is 512 bits."]
        );
    }
}
