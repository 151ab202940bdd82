//! Checks of IAM server certificates (`iamssl`), after Security Monkey's `IAMSSLAuditor`: the
//! issuer, key size and signature hash parsed from the certificate body by the watcher, its
//! expiry, and uploads that predate Heartbleed.

mod certificate;
mod expired;
mod expires_within_30_days;
mod expires_within_60_days;
mod issuer_missing;
mod key_under_1024_bits;
mod key_under_2048_bits;
mod md5_signature;
mod sha1_signature;
mod uploaded_before_heartbleed;

pub use expired::IAMSSL_EXPIRED;
pub use expires_within_30_days::IAMSSL_EXPIRES_WITHIN_30_DAYS;
pub use expires_within_60_days::IAMSSL_EXPIRES_WITHIN_60_DAYS;
pub use issuer_missing::IAMSSL_ISSUER_MISSING;
pub use key_under_1024_bits::IAMSSL_KEY_UNDER_1024_BITS;
pub use key_under_2048_bits::IAMSSL_KEY_UNDER_2048_BITS;
pub use md5_signature::IAMSSL_MD5_SIGNATURE;
pub use sha1_signature::IAMSSL_SHA1_SIGNATURE;
pub use uploaded_before_heartbleed::IAMSSL_UPLOADED_BEFORE_HEARTBLEED;

use async_trait::async_trait;
use certificate::Certificate;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};

static CHECKS: [&Check; 9] = [
    &IAMSSL_ISSUER_MISSING,
    &IAMSSL_KEY_UNDER_1024_BITS,
    &IAMSSL_KEY_UNDER_2048_BITS,
    &IAMSSL_MD5_SIGNATURE,
    &IAMSSL_SHA1_SIGNATURE,
    &IAMSSL_EXPIRES_WITHIN_30_DAYS,
    &IAMSSL_EXPIRES_WITHIN_60_DAYS,
    &IAMSSL_EXPIRED,
    &IAMSSL_UPLOADED_BEFORE_HEARTBLEED,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every server-certificate check.
#[derive(Debug, Default)]
pub struct IamSslAuditor;

#[async_trait]
impl Auditor for IamSslAuditor {
    fn technology(&self) -> &'static str {
        "iamssl"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let certificate = Certificate::read(item.config);
        let now = ctx.now;
        let mut findings = Vec::new();
        if ctx.is_enabled(&IAMSSL_ISSUER_MISSING) {
            issuer_missing::check(&certificate, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_KEY_UNDER_1024_BITS) {
            key_under_1024_bits::check(&certificate, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_KEY_UNDER_2048_BITS) {
            key_under_2048_bits::check(&certificate, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_MD5_SIGNATURE) {
            md5_signature::check(&certificate, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_SHA1_SIGNATURE) {
            sha1_signature::check(&certificate, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_EXPIRES_WITHIN_30_DAYS) {
            expires_within_30_days::check(&certificate, now, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_EXPIRES_WITHIN_60_DAYS) {
            expires_within_60_days::check(&certificate, now, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_EXPIRED) {
            expired::check(&certificate, now, &mut findings);
        }
        if ctx.is_enabled(&IAMSSL_UPLOADED_BEFORE_HEARTBLEED) {
            uploaded_before_heartbleed::check(&certificate, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamSslAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity_policy::estate;
    use crate::testing;

    #[test]
    fn recorded_estate_certificates() {
        let pairs = |found: &[(&str, &str)]| -> Vec<(String, String)> {
            found.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect()
        };
        // Audited the day after recording: weak-soon has 19 days left.
        assert_eq!(
            estate::issues("iamssl", "weak-soon", &CHECKS),
            pairs(&[
                ("iamssl-expires-within-30-days", "Expires on 2026-12-17T08:18:48Z."),
                ("iamssl-key-under-2048-bits", "Actual size is 1024 bits."),
                ("iamssl-sha1-signature", "sha1WithRSAEncryption"),
            ])
        );
        // moto records every certificate as uploaded in 2010 and expiring in 2012; the body's
        // dates (issued 2026, valid a year) are the ones that count.
        assert_eq!(estate::clean("iamssl", &CHECKS), ["strong"]);
        for (name, config) in estate::items("iamssl") {
            let weak = !testing::issues(&IAMSSL_KEY_UNDER_2048_BITS, config.clone()).is_empty();
            let sha1 = !testing::issues(&IAMSSL_SHA1_SIGNATURE, config).is_empty();
            assert_eq!((weak, sha1), (name == "weak-soon", name == "weak-soon"), "{name}");
        }
    }
}
