//! A server certificate as the `iamssl` watcher records it: IAM's metadata (`UploadDate`,
//! `Expiration`) and the facts it parsed from the body (`Certificate`: `KeySize`,
//! `SignatureAlgorithm`, `Issuer`, `NotBefore`, `NotAfter`, or `Error`), read once per audit.

use monkey_core::model::Timestamp;
use serde_json::Value;

/// One day, in seconds.
pub(super) const DAY: i64 = 86_400;

/// A recorded date: when, and the text it was read from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Date<'a> {
    pub(super) at: Timestamp,
    pub(super) text: &'a str,
}

impl<'a> Date<'a> {
    fn read(value: Option<&'a Value>) -> Option<Self> {
        let text = value?.as_str()?;
        Timestamp::parse_rfc3339(text).ok().map(|at| Date { at, text })
    }
}

/// What the certificate checks read.
#[derive(Debug, Default)]
pub(super) struct Certificate<'a> {
    /// The watcher parsed (or tried to parse) the body: `Certificate` is an object.
    pub(super) examined: bool,
    /// Why the body could not be parsed (`Certificate.Error`).
    pub(super) error: Option<&'a str>,
    /// `Certificate.Issuer`, when not empty.
    pub(super) issuer: Option<&'a str>,
    /// `Certificate.KeyAlgorithm` (`RSA`, `EC`, `DSA`, `Ed25519`...).
    pub(super) key_algorithm: Option<&'a str>,
    /// `Certificate.KeySize`, in bits.
    pub(super) key_size: Option<u64>,
    /// `Certificate.SignatureAlgorithm` (`sha256WithRSAEncryption`).
    pub(super) signature: Option<&'a str>,
    /// When the certificate expires: `Certificate.NotAfter`, else IAM's `Expiration`.
    pub(super) not_after: Option<Date<'a>>,
    /// When the certificate became valid (`Certificate.NotBefore`).
    pub(super) not_before: Option<Date<'a>>,
    /// When it was uploaded to IAM (`UploadDate`).
    pub(super) uploaded: Option<Date<'a>>,
}

impl<'a> Certificate<'a> {
    /// Reads a server-certificate configuration; anything missing or mistyped is left out.
    pub(super) fn read(config: &'a Value) -> Self {
        let facts = config.get("Certificate").filter(|facts| facts.is_object());
        let text = |key: &str| facts.and_then(|f| f.get(key)).and_then(Value::as_str).filter(|t| !t.is_empty());
        Certificate {
            examined: facts.is_some(),
            error: text("Error"),
            issuer: text("Issuer"),
            key_algorithm: text("KeyAlgorithm"),
            key_size: facts.and_then(|f| f.get("KeySize")).and_then(Value::as_u64),
            signature: text("SignatureAlgorithm"),
            not_after: Date::read(facts.and_then(|f| f.get("NotAfter")))
                .or_else(|| Date::read(config.get("Expiration"))),
            not_before: Date::read(facts.and_then(|f| f.get("NotBefore"))),
            uploaded: Date::read(config.get("UploadDate")),
        }
    }

    /// The key size, for key types whose strength it measures (RSA and DSA; EC and EdDSA keys
    /// are strong at 256 bits). A size without an algorithm counts as RSA, as Security Monkey read it.
    pub(super) fn rsa_like_key_size(&self) -> Option<u64> {
        match self.key_algorithm {
            None | Some("RSA" | "DSA") => self.key_size,
            Some(_) => None,
        }
    }

    /// Seconds from `now` until the certificate expires (negative once expired).
    pub(super) fn seconds_left(&self, now: Timestamp) -> Option<i64> {
        self.not_after.map(|date| date.at.unix_seconds().saturating_sub(now.unix_seconds()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_watcher_shape_and_survives_any_other() {
        let config = json!({"UploadDate": "2010-05-08T01:02:03.004Z", "Expiration": "2012-05-08T01:02:03.004Z",
            "Certificate": {"Issuer": "CN=x", "KeyAlgorithm": "EC", "KeySize": 256, "NotAfter": "2027-01-01T00:00:00Z"}});
        let certificate = Certificate::read(&config);
        assert!(certificate.examined);
        assert_eq!(certificate.issuer, Some("CN=x"));
        assert_eq!(certificate.rsa_like_key_size(), None);
        assert_eq!(certificate.not_after.map(|d| d.text), Some("2027-01-01T00:00:00Z"), "the body wins over IAM");

        let config = json!({"Expiration": "2012-05-08T01:02:03.004Z", "Certificate": null});
        let fallback = Certificate::read(&config);
        assert!(!fallback.examined);
        assert_eq!(fallback.not_after.map(|d| d.text), Some("2012-05-08T01:02:03.004Z"));

        for junk in [json!(null), json!([]), json!({"Certificate": "x", "UploadDate": 3})] {
            let certificate = Certificate::read(&junk);
            assert!(!certificate.examined && certificate.uploaded.is_none() && certificate.not_after.is_none());
        }
    }
}
