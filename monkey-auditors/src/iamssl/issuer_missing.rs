//! `iamssl-issuer-missing`: no issuer could be read from the certificate.

use super::certificate::Certificate;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;

monkey_core::declare_check! {
    /// A server certificate has no readable issuer.
    pub static IAMSSL_ISSUER_MISSING = Check {
        id: "iamssl-issuer-missing",
        technology: "iamssl",
        title: "IamSslIssuerMissing",
        category: Category::InsecureTls,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A server certificate whose body the watcher examined (`Certificate` recorded) but that yields no issuer: the body is \
not a well-formed X.509 certificate (`Certificate.Error`), or its issuer is empty. Certificates whose body was not \
fetched are skipped.\n\n\
## Why it matters\n\
Clients cannot validate a certificate without a valid issuer: a listener serving it fails every TLS handshake, or \
pushes clients to disable verification, which removes the protection TLS gives.\n\n\
## Example\n\
`{\"Certificate\": {\"Error\": \"the certificate is neither PEM nor base64\"}}` gives \
`Issuer: [missing] Error: [the certificate is neither PEM nor base64]`.\n\n\
## How to fix\n\
Upload the certificate again from the PEM file issued by the CA (`aws iam upload-server-certificate`), or move to \
AWS Certificate Manager, and delete the broken one.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html\n\
- Security Monkey `IAMSSLAuditor.check_issuer` (\"Could not extract valid certificate issuer.\").\n",
    };
}

/// Flags an examined certificate without an issuer.
pub(super) fn check(certificate: &Certificate<'_>, findings: &mut Vec<Finding>) {
    if !certificate.examined || certificate.issuer.is_some() {
        return;
    }
    let notes = match certificate.error {
        Some(error) => format!("Issuer: [missing] Error: [{error}]"),
        None => "Issuer: [missing]".to_owned(),
    };
    findings.push(Finding::new(&IAMSSL_ISSUER_MISSING, "Could not extract valid certificate issuer.", notes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn certificates_without_issuer_are_flagged() {
        testing::table(
            &IAMSSL_ISSUER_MISSING,
            &[
                json!({"Certificate": {"Error": "the certificate is not a well-formed X.509 certificate"}}),
                json!({"Certificate": {"Issuer": "", "KeySize": 2048}}),
                json!({"Certificate": {"Issuer": 7}}),
            ],
            &[
                json!({"Certificate": {"Issuer": "CN=Example CA, O=Example"}}),
                json!({"Certificate": null}),
                json!({"CertificateBody": "-----BEGIN CERTIFICATE-----"}),
                json!({"Certificate": "CN=x"}),
            ],
        );
        let issues = testing::issues(&IAMSSL_ISSUER_MISSING, json!({"Certificate": {"Error": "bad"}}));
        assert_eq!(issues[0].key.notes, "Issuer: [missing] Error: [bad]");
        assert_eq!(issues[0].message, "Could not extract valid certificate issuer.");
        assert_eq!(issues[0].score, 10);
    }
}
