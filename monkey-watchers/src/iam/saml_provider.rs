//! `samlprovider`: every SAML identity provider the account trusts, with its metadata and the
//! facts auditors check in it (the IdP's entity id, and its certificates' expiry and keys).
//!
//! Calls: ListSAMLProviders (one answer, not paginated) for the account; per provider
//! GetSAMLProvider: 1. Name: the last segment of its ARN (the name it was created with); ARN:
//! the provider's.
//!
//! Config: `Arn`, `SAMLProviderUUID`, `SAMLMetadataDocument`, `CreateDate`, `ValidUntil`,
//! `Tags` [{`Key`, `Value`}], `AssertionEncryptionMode`, `PrivateKeyList` [{`KeyId`,
//! `Timestamp`}] (GetSAMLProvider's fields), plus, read from the metadata: `EntityId` and
//! `X509Certificates` (each certificate's facts, see [`super::x509`], de-duplicated and sorted).

use super::{Collector, Detailed, Problems, date, failed, tags, universal_item, x509};
use crate::aws::regional::stable;
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::operation::get_saml_provider::GetSamlProviderOutput;
use aws_sdk_iam::types::SamlProviderListEntry;
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};

/// The `samlprovider` technology.
#[derive(Debug)]
pub struct SamlProviders;

/// A listed provider with its item name.
#[derive(Debug, Clone)]
pub struct ListedProvider {
    name: String,
    entry: SamlProviderListEntry,
}

#[async_trait]
impl Collector for SamlProviders {
    const TECHNOLOGY: &'static str = "samlprovider";

    type Listed = ListedProvider;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<ListedProvider>, String> {
        let answer = client.list_saml_providers().send().await.map_err(|e| failed("ListSAMLProviders", &e))?;
        Ok(answer
            .saml_provider_list
            .into_iter()
            .flatten()
            .map(|entry| {
                let name = entry.arn().and_then(|arn| arn.rsplit('/').next()).unwrap_or("<no ARN>").to_owned();
                ListedProvider { name, entry }
            })
            .collect())
    }

    fn name(listed: &ListedProvider) -> &str {
        &listed.name
    }

    async fn detail(client: Client, listed: ListedProvider) -> Detailed {
        let mut problems = Problems::default();
        let arn = listed.entry.arn();
        let answer = match arn {
            Some(arn) => problems.take(
                client
                    .get_saml_provider()
                    .saml_provider_arn(arn)
                    .send()
                    .await
                    .map_err(|e| failed(&format!("GetSAMLProvider {arn}"), &e)),
            ),
            None => {
                problems.push("ListSAMLProviders gave a provider without ARN".to_owned());
                None
            }
        };
        let config = config(&listed.entry, answer.as_ref());
        Detailed { item: universal_item(&listed.name, arn, config), problems }
    }
}

/// The provider's configuration; the listed dates stand in when GetSAMLProvider failed.
fn config(entry: &SamlProviderListEntry, answer: Option<&GetSamlProviderOutput>) -> Value {
    let metadata = answer.and_then(GetSamlProviderOutput::saml_metadata_document);
    let certificates = metadata
        .map(|document| {
            let mut certificates = stable(
                x509_certificates(document)
                    .into_iter()
                    .map(|text| x509::facts(&text).unwrap_or_else(|error| json!({"Error": error})))
                    .collect(),
            );
            certificates.dedup();
            certificates
        })
        .unwrap_or_default();
    let mut private_keys: Vec<Value> = answer
        .map(|a| a.private_key_list())
        .unwrap_or_default()
        .iter()
        .map(|key| json!({"KeyId": key.key_id(), "Timestamp": date(key.timestamp())}))
        .collect();
    private_keys = stable(private_keys);
    json!({
        "Arn": entry.arn(),
        "SAMLProviderUUID": answer.and_then(GetSamlProviderOutput::saml_provider_uuid),
        "SAMLMetadataDocument": metadata,
        "CreateDate": date(answer.and_then(GetSamlProviderOutput::create_date).or(entry.create_date())),
        "ValidUntil": date(answer.and_then(GetSamlProviderOutput::valid_until).or(entry.valid_until())),
        "Tags": tags(answer.map(GetSamlProviderOutput::tags).unwrap_or_default()),
        "AssertionEncryptionMode": answer.and_then(|a| a.assertion_encryption_mode()).map(|m| m.as_str()),
        "PrivateKeyList": private_keys,
        "EntityId": metadata.and_then(entity_id),
        "X509Certificates": certificates,
    })
}

/// The `entityID` attribute of the metadata's EntityDescriptor.
fn entity_id(document: &str) -> Option<String> {
    let start = document.find("entityID")? + "entityID".len();
    let rest = document[start..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(unescape(&value[..end]))
}

/// The text of every `X509Certificate` element (any namespace prefix), whitespace removed.
fn x509_certificates(document: &str) -> Vec<String> {
    const ELEMENT: &str = "X509Certificate";
    let mut certificates = Vec::new();
    let mut from = 0;
    while let Some(found) = document[from..].find(ELEMENT) {
        let at = from + found;
        from = at + ELEMENT.len();
        // An opening tag: `<` and an optional `prefix:` right before the name, and the name
        // ending there (not `X509CertificateFoo`).
        let Some(open) = document[..at].rfind('<') else { continue };
        let prefix = &document[open + 1..at];
        let is_open_tag =
            prefix.is_empty() || (prefix.ends_with(':') && prefix[..prefix.len() - 1].chars().all(is_name_char));
        let after = &document[from..];
        if !is_open_tag || !after.starts_with(|c: char| c == '>' || c.is_whitespace()) {
            continue;
        }
        let Some(content_start) = after.find('>') else { continue };
        let content = &after[content_start + 1..];
        let content = &content[..content.find('<').unwrap_or(content.len())];
        let text: String = unescape(content).chars().filter(|c| !c.is_whitespace()).collect();
        if !text.is_empty() {
            certificates.push(text);
        }
    }
    certificates
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The five predefined XML entities.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IdP metadata shaped like Okta's and ADFS's: the signing certificate twice (signing and
    /// encryption key descriptors), under the `ds:` prefix.
    fn metadata() -> String {
        let pem = include_str!("testdata/ec-p256.pem");
        let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n");
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1&amp;2">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>
{bare}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="encryption"><KeyInfo><X509Data><X509Certificate>{bare}</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#
        )
    }

    #[test]
    fn reads_entity_id_and_certificates_from_metadata() {
        let document = metadata();
        assert_eq!(entity_id(&document).as_deref(), Some("http://www.okta.com/exk1&2"));
        assert_eq!(x509_certificates(&document).len(), 2);
        let entry = SamlProviderListEntry::builder().arn("arn:aws:iam::123456789012:saml-provider/okta").build();
        let answer = GetSamlProviderOutput::builder().saml_metadata_document(document).build();
        let config = config(&entry, Some(&answer));
        let certificates = config["X509Certificates"].as_array().expect("certificates");
        assert_eq!(certificates.len(), 1, "the same certificate twice is one");
        assert_eq!(certificates[0]["CommonName"], "shop.acme.test");
        assert_eq!(certificates[0]["NotAfter"], "2026-12-27T06:58:48Z");
    }

    #[test]
    fn metadata_without_those_parts_gives_nothing() {
        assert_eq!(entity_id("<EntityDescriptor/>"), None);
        assert!(x509_certificates("<X509CertificateList>x</X509CertificateList>").is_empty());
        assert!(x509_certificates("X509Certificate").is_empty());
    }
}
