//! IAM policy documents: IAM returns them URL-encoded (`%7B%22Version%22...`); these are decoded
//! and parsed into JSON objects, so configurations hold documents, not strings.
//!
//! Text that starts like JSON is parsed as it is first, since decoding plain JSON would turn a
//! literal `%41` inside a condition value into `A`. A document that still does not parse is
//! kept as its (decoded) text: it is AWS's answer, and dropping it would hide a change.

use serde_json::Value;

/// The document `raw` holds: a JSON object when it parses (URL-encoded or plain), else its text.
///
/// ```
/// use monkey_watchers::iam::policy_document::parse;
/// let document = parse("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
/// assert_eq!(document["Version"], "2012-10-17");
/// assert!(document["Statement"].is_array());
/// ```
pub fn parse(raw: &str) -> Value {
    if raw.trim_start().starts_with('{')
        && let Ok(document @ Value::Object(_)) = serde_json::from_str(raw)
    {
        return document;
    }
    match percent_decode(raw) {
        Some(decoded) => match serde_json::from_str(&decoded) {
            Ok(document @ Value::Object(_)) => document,
            _ => Value::String(decoded),
        },
        None => Value::String(raw.to_owned()),
    }
}

/// Decodes `%XX` escapes (RFC 3986; `+` stays `+`, as IAM encodes a plus as `%2B`); `None`
/// when the bytes are not UTF-8. A `%` not followed by two hex digits is kept as it is.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex))
        {
            decoded.push(high << 4 | low);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The value of one hex digit.
fn hex(digit: &u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A trust policy exactly as IAM's GetRole returns it.
    const ENCODED: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    #[test]
    fn decodes_and_parses_what_iam_returns() {
        assert_eq!(
            parse(ENCODED),
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"
            }]})
        );
    }

    #[test]
    fn plain_json_is_not_decoded_again() {
        let plain =
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/100%41"}]}"#;
        assert_eq!(parse(plain)["Statement"][0]["Resource"], "arn:aws:s3:::b/100%41");
        let spaced = format!("\n  {plain}");
        assert_eq!(parse(&spaced), parse(plain));
    }

    #[test]
    fn what_does_not_parse_is_kept_as_text() {
        assert_eq!(parse("%7Bnot json"), json!("{not json"));
        assert_eq!(parse("%FF%FE"), json!("%FF%FE"), "not UTF-8 once decoded: kept as received");
        assert_eq!(parse("%5B1%5D"), json!("[1]"), "a document is an object");
    }

    #[test]
    fn percent_decoding_leaves_stray_percents_and_plus_signs() {
        assert_eq!(percent_decode("a%2Bb+c%zz%4"), Some("a+b+c%zz%4".to_owned()));
        assert_eq!(percent_decode("%E2%9C%93"), Some("✓".to_owned()));
    }
}
