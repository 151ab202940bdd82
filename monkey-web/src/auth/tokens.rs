//! API tokens for scripts: `mk_<id>_<secret>`, shown once; the user keeps the id and a BLAKE3
//! hash of the secret.

use monkey_core::model::{ApiToken, Timestamp};
use subtle::ConstantTimeEq;

/// A new token named `name`: its text (to show once) and what the user keeps.
pub fn issue(name: &str, at: Timestamp) -> Result<(String, ApiToken), getrandom::Error> {
    let mut id = [0u8; 6];
    getrandom::fill(&mut id)?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let secret = super::sessions::random_token()?;
    let text = format!("mk_{id}_{secret}");
    let token = ApiToken {
        id,
        name: name.to_owned(),
        secret_hash: blake3::hash(secret.as_bytes()).to_hex().to_string(),
        created_at: at,
    };
    Ok((text, token))
}

/// The id and secret of a token's text, if it has the shape of one.
pub fn parse(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("mk_")?;
    let (id, secret) = rest.split_once('_')?;
    (id.len() == 12 && secret.len() == 64 && id.bytes().chain(secret.bytes()).all(|b| b.is_ascii_hexdigit()))
        .then_some((id, secret))
}

/// Whether `secret` is the secret of `token`, compared in constant time.
pub fn matches(token: &ApiToken, secret: &str) -> bool {
    let hash = blake3::hash(secret.as_bytes()).to_hex();
    bool::from(hash.as_bytes().ct_eq(token.secret_hash.as_bytes()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_only_their_secret_matches() {
        let (text, token) = issue("ci", Timestamp::from_unix_nanos(0)).unwrap();
        let (id, secret) = parse(&text).unwrap();
        assert_eq!(id, token.id);
        assert!(matches(&token, secret));
        assert!(!matches(&token, &"0".repeat(64)));
        assert!(!text.contains(&token.secret_hash));
        for bad in ["", "mk_", "mk_abc_def", "xx_000000000000_0", &text.replace("mk_", "mq_")] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
