//! The facts auditors check on an X.509 certificate (key size, signature algorithm, issuer,
//! validity, names), read from its PEM or base64 DER text with a small DER reader: IAM
//! returns certificates as text, and these few fields do not justify an ASN.1 dependency.
//!
//! Facts: `SerialNumber` (hex), `SignatureAlgorithm` (`sha256WithRSAEncryption`, ...; the
//! dotted OID when unknown), `KeyAlgorithm` (`RSA`, `EC`, `Ed25519`, `DSA` or the OID),
//! `KeySize` (bits, or null), `Issuer` and `Subject` (`C=US, O="Example Corp, Inc.", CN=...`,
//! in certificate order), `IssuerOrganization`, `CommonName`, `SubjectAlternativeNames` (DNS
//! names, sorted), `IsWildcard`, `NotBefore`, `NotAfter` (RFC 3339).

use serde_json::{Value, json};

/// The facts of the first certificate in `text` (PEM, or bare base64 DER as SAML metadata
/// holds it), or why they could not be read.
pub(crate) fn facts(text: &str) -> Result<Value, String> {
    let der = der_of(text).ok_or("the certificate is neither PEM nor base64")?;
    parse(&der).ok_or_else(|| "the certificate is not a well-formed X.509 certificate".to_owned())
}

/// The DER bytes of the first PEM block, or of the whole text read as base64.
fn der_of(text: &str) -> Option<Vec<u8>> {
    let body = match text.find("-----BEGIN") {
        Some(start) => {
            let after_header = start + text[start..].find('\n')? + 1;
            let end = after_header + text[after_header..].find("-----END")?;
            &text[after_header..end]
        }
        None => text,
    };
    base64_decode(body)
}

/// Standard base64 with padding; whitespace is skipped.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut padding = 0;
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (!out.is_empty() && padding <= 2).then_some(out)
}

/// One DER element: its tag, its content, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count].iter().fold(0usize, |n, b| n << 8 | usize::from(*b));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// The content of an element with `tag`, and what follows.
fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (found, content, rest) = element(input)?;
    (found == tag).then_some((content, rest))
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const BOOLEAN: u8 = 0x01;

fn parse(der: &[u8]) -> Option<Value> {
    let (certificate, _) = expect(der, SEQUENCE)?;
    let (tbs, rest) = expect(certificate, SEQUENCE)?;
    let (signature_algorithm, _) = expect(rest, SEQUENCE)?;
    let (signature_oid, _) = expect(signature_algorithm, OID)?;

    let mut tbs = tbs;
    // [0] EXPLICIT version, absent for v1 certificates.
    if let Some((0xa0, _, rest)) = element(tbs) {
        tbs = rest;
    }
    let (serial, tbs) = expect(tbs, INTEGER)?;
    let (_, tbs) = expect(tbs, SEQUENCE)?;
    let (issuer, tbs) = expect(tbs, SEQUENCE)?;
    let (validity, tbs) = expect(tbs, SEQUENCE)?;
    let (subject, tbs) = expect(tbs, SEQUENCE)?;
    let (key_info, mut tbs) = expect(tbs, SEQUENCE)?;

    let (not_before, validity) = time(validity)?;
    let (not_after, _) = time(validity)?;
    let issuer = name(issuer)?;
    let subject = name(subject)?;
    let (key_algorithm, key_size) = public_key(key_info)?;

    let mut alternative_names = Vec::new();
    while let Some((tag, content, rest)) = element(tbs) {
        // [3] EXPLICIT extensions; [1] and [2] are unique ids, skipped.
        if tag == 0xa3 {
            alternative_names = subject_alternative_names(content)?;
        }
        tbs = rest;
    }
    alternative_names.sort();
    alternative_names.dedup();

    let common_name = attribute(&subject, "CN");
    let is_wildcard =
        common_name.is_some_and(|cn| cn.starts_with("*.")) || alternative_names.iter().any(|n| n.starts_with("*."));
    Some(json!({
        "SerialNumber": hex(serial.strip_prefix(&[0]).filter(|s| !s.is_empty()).unwrap_or(serial)),
        "SignatureAlgorithm": signature_name(&oid(signature_oid)),
        "KeyAlgorithm": key_algorithm,
        "KeySize": key_size,
        "Issuer": distinguished_name(&issuer),
        "IssuerOrganization": attribute(&issuer, "O"),
        "Subject": distinguished_name(&subject),
        "CommonName": common_name,
        "SubjectAlternativeNames": alternative_names,
        "IsWildcard": is_wildcard,
        "NotBefore": not_before,
        "NotAfter": not_after,
    }))
}

/// A UTCTime or GeneralizedTime as RFC 3339, and what follows.
fn time(input: &[u8]) -> Option<(String, &[u8])> {
    let (tag, content, rest) = element(input)?;
    let text = std::str::from_utf8(content).ok()?.strip_suffix('Z')?;
    let full = match tag {
        // UTCTime: two-digit years, 50-99 meaning 19xx (RFC 5280).
        0x17 if text.len() == 12 => {
            let century = if text.as_bytes()[0] >= b'5' { "19" } else { "20" };
            format!("{century}{text}")
        }
        0x18 if text.len() == 14 => text.to_owned(),
        _ => return None,
    };
    if !full.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = |range: std::ops::Range<usize>| &full[range];
    Some((format!("{}-{}-{}T{}:{}:{}Z", at(0..4), at(4..6), at(6..8), at(8..10), at(10..12), at(12..14)), rest))
}

/// A Name's attributes in certificate order, as (short type, value).
fn name(mut input: &[u8]) -> Option<Vec<(String, String)>> {
    let mut attributes = Vec::new();
    while !input.is_empty() {
        let (set, rest) = expect(input, SET)?;
        let mut set = set;
        while !set.is_empty() {
            let (pair, after) = expect(set, SEQUENCE)?;
            let (kind, value) = expect(pair, OID)?;
            let (tag, value, _) = element(value)?;
            let value = match tag {
                // BMPString: UTF-16 big-endian.
                0x1e => String::from_utf16(
                    &value.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>(),
                )
                .ok()?,
                _ => String::from_utf8_lossy(value).into_owned(),
            };
            attributes.push((attribute_name(&oid(kind)), value));
            set = after;
        }
        input = rest;
    }
    Some(attributes)
}

/// The first value of attribute `kind`.
fn attribute<'a>(attributes: &'a [(String, String)], kind: &str) -> Option<&'a str> {
    attributes.iter().find(|(k, _)| k == kind).map(|(_, v)| v.as_str())
}

/// `C=US, O="Example Corp, Inc.", CN=example.com`: quoted where a value holds a separator.
fn distinguished_name(attributes: &[(String, String)]) -> String {
    attributes
        .iter()
        .map(|(kind, value)| {
            if value.contains([',', '=', '+', '"']) {
                format!("{kind}=\"{}\"", value.replace('"', "\\\""))
            } else {
                format!("{kind}={value}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key's algorithm and size in bits.
fn public_key(key_info: &[u8]) -> Option<(String, Option<u32>)> {
    let (algorithm, rest) = expect(key_info, SEQUENCE)?;
    let (algorithm_oid, parameters) = expect(algorithm, OID)?;
    let (key, _) = expect(rest, BIT_STRING)?;
    let key = key.get(1..)?; // the count of unused bits
    Some(match oid(algorithm_oid).as_str() {
        "1.2.840.113549.1.1.1" => {
            let (numbers, _) = expect(key, SEQUENCE)?;
            let (modulus, _) = expect(numbers, INTEGER)?;
            ("RSA".to_owned(), Some(bit_length(modulus)))
        }
        "1.2.840.10045.2.1" => {
            let curve = expect(parameters, OID).map(|(curve, _)| oid(curve));
            let size = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => Some(256),
                Some("1.3.132.0.34") => Some(384),
                Some("1.3.132.0.35") => Some(521),
                Some("1.3.132.0.10") => Some(256),
                _ => None,
            };
            ("EC".to_owned(), size)
        }
        "1.3.101.112" => ("Ed25519".to_owned(), Some(256)),
        "1.3.101.113" => ("Ed448".to_owned(), Some(456)),
        "1.2.840.10040.4.1" => {
            // DSA parameters: p, q, g; the size is p's.
            let size = expect(parameters, SEQUENCE)
                .and_then(|(numbers, _)| expect(numbers, INTEGER))
                .map(|(p, _)| bit_length(p));
            ("DSA".to_owned(), size)
        }
        other => (other.to_owned(), None),
    })
}

/// The DNS names of the subjectAltName extension (2.5.29.17), if any.
fn subject_alternative_names(explicit: &[u8]) -> Option<Vec<String>> {
    let (mut extensions, _) = expect(explicit, SEQUENCE)?;
    let mut names = Vec::new();
    while !extensions.is_empty() {
        let (extension, rest) = expect(extensions, SEQUENCE)?;
        extensions = rest;
        let (id, mut extension) = expect(extension, OID)?;
        if let Some((BOOLEAN, _, after)) = element(extension) {
            extension = after;
        }
        let (value, _) = expect(extension, OCTET_STRING)?;
        if oid(id) != "2.5.29.17" {
            continue;
        }
        let (mut general_names, _) = expect(value, SEQUENCE)?;
        while let Some((tag, content, rest)) = element(general_names) {
            // dNSName is [2] IMPLICIT IA5String; IP addresses, URIs and the rest are skipped.
            if tag == 0x82 {
                names.push(String::from_utf8_lossy(content).into_owned());
            }
            general_names = rest;
        }
    }
    Some(names)
}

/// An OID's dotted form.
fn oid(bytes: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value = 0u64;
    for byte in bytes {
        value = value << 7 | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// The usual short name of a Name attribute type.
fn attribute_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.25" => "DC",
        other => other,
    }
    .to_owned()
}

/// The name of a signature algorithm.
fn signature_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa-with-SHA256",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        other => other,
    }
    .to_owned()
}

/// The number of significant bits of an unsigned big-endian integer.
fn bit_length(integer: &[u8]) -> u32 {
    let significant = match integer.iter().position(|b| *b != 0) {
        Some(first) => &integer[first..],
        None => return 0,
    };
    (significant.len() as u32 - 1) * 8 + (8 - significant[0].leading_zeros())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_rsa_certificate() {
        let facts = facts(include_str!("testdata/rsa2048.pem")).expect("facts");
        assert_eq!(
            facts,
            json!({
                "SerialNumber": "3EEE4A8DC75F71040DB16565EB84980DD8559BFD",
                "SignatureAlgorithm": "sha256WithRSAEncryption",
                "KeyAlgorithm": "RSA",
                "KeySize": 2048,
                "Issuer": "C=US, O=\"Example Corp, Inc.\", CN=*.example.com",
                "IssuerOrganization": "Example Corp, Inc.",
                "Subject": "C=US, O=\"Example Corp, Inc.\", CN=*.example.com",
                "CommonName": "*.example.com",
                "SubjectAlternativeNames": ["*.example.com", "example.com"],
                "IsWildcard": true,
                "NotBefore": "2026-11-27T06:56:20Z",
                "NotAfter": "2036-11-24T06:56:20Z",
            })
        );
    }

    #[test]
    fn reads_an_ec_certificate_given_as_bare_base64() {
        let pem = include_str!("testdata/ec-p256.pem");
        let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let facts = facts(&bare).expect("facts");
        assert_eq!(facts["SignatureAlgorithm"], "ecdsa-with-SHA256");
        assert_eq!(facts["KeyAlgorithm"], "EC");
        assert_eq!(facts["KeySize"], 256);
        assert_eq!(facts["Issuer"], "O=Acme, OU=Web, OU=Edge, CN=shop.acme.test");
        assert_eq!(facts["SubjectAlternativeNames"], json!(["shop.acme.test"]), "the IP address is no DNS name");
        assert_eq!(facts["IsWildcard"], false);
        assert_eq!(facts["NotAfter"], "2026-12-27T06:58:48Z");
    }

    #[test]
    fn refuses_what_is_no_certificate() {
        assert!(facts("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----").is_err());
        assert!(facts("aGVsbG8gd29ybGQ=").is_err(), "base64, but no DER");
        let pem = include_str!("testdata/rsa2048.pem");
        let der = der_of(pem).expect("der");
        for cut in [1, 10, 100, der.len() - 1] {
            assert_eq!(parse(&der[..cut]), None, "truncated at {cut}");
        }
    }

    #[test]
    fn decodes_base64_and_oids() {
        assert_eq!(base64_decode("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64_decode("aGk=aGk="), None, "data after padding");
        assert_eq!(oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), "1.2.840.113549.1.1.11");
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
    }
}
