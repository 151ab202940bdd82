//! `iamssl`: every server certificate stored in IAM, with what its X.509 body says.
//!
//! Calls: ListServerCertificates (paginated) for the account; per certificate
//! GetServerCertificate: 1. Name: `ServerCertificateName`; ARN: `Arn`.
//!
//! Config: `Path`, `ServerCertificateName`, `ServerCertificateId`, `Arn`, `UploadDate`,
//! `Expiration` (ServerCertificateMetadata's fields), `CertificateBody`, `CertificateChain`,
//! `Tags` [{`Key`, `Value`}], and `Certificate`: the body's facts (see [`super::x509`]:
//! `SignatureAlgorithm`, `KeySize`, `IssuerOrganization`, `CommonName`,
//! `SubjectAlternativeNames`, `NotAfter`, ...), or {`Error`: why they could not be read}.

use super::{Collector, Detailed, Problems, date, failed, tags, universal_item, x509};
use async_trait::async_trait;
use aws_sdk_iam::Client;
use aws_sdk_iam::types::{ServerCertificate, ServerCertificateMetadata};
use monkey_core::model::AccountNumber;
use serde_json::{Value, json};

/// The `iamssl` technology.
#[derive(Debug)]
pub struct ServerCertificates;

#[async_trait]
impl Collector for ServerCertificates {
    const TECHNOLOGY: &'static str = "iamssl";

    type Listed = ServerCertificateMetadata;

    async fn list(client: &Client, _account: &AccountNumber) -> Result<Vec<ServerCertificateMetadata>, String> {
        client
            .list_server_certificates()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| failed("ListServerCertificates", &e))
    }

    fn name(metadata: &ServerCertificateMetadata) -> &str {
        metadata.server_certificate_name()
    }

    async fn detail(client: Client, listed: ServerCertificateMetadata) -> Detailed {
        let mut problems = Problems::default();
        let name = listed.server_certificate_name();
        let certificate = problems
            .take(
                client
                    .get_server_certificate()
                    .server_certificate_name(name)
                    .send()
                    .await
                    .map_err(|e| failed(&format!("GetServerCertificate {name}"), &e)),
            )
            .and_then(|answer| answer.server_certificate);
        let config = config(&listed, certificate.as_ref());
        Detailed { item: universal_item(name, Some(listed.arn()), config), problems }
    }
}

/// The listed metadata (or GetServerCertificate's, fresher, when read), body and facts.
fn config(listed: &ServerCertificateMetadata, certificate: Option<&ServerCertificate>) -> Value {
    let metadata = certificate.and_then(ServerCertificate::server_certificate_metadata).unwrap_or(listed);
    let facts = certificate.map(|c| x509::facts(c.certificate_body()).unwrap_or_else(|error| json!({"Error": error})));
    json!({
        "Path": metadata.path(),
        "ServerCertificateName": metadata.server_certificate_name(),
        "ServerCertificateId": metadata.server_certificate_id(),
        "Arn": metadata.arn(),
        "UploadDate": date(metadata.upload_date()),
        "Expiration": date(metadata.expiration()),
        "CertificateBody": certificate.map(ServerCertificate::certificate_body),
        "CertificateChain": certificate.and_then(ServerCertificate::certificate_chain),
        "Tags": tags(certificate.map(ServerCertificate::tags).unwrap_or_default()),
        "Certificate": facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata() -> ServerCertificateMetadata {
        ServerCertificateMetadata::builder()
            .path("/cloudfront/")
            .server_certificate_name("shop")
            .server_certificate_id("ASCAEXAMPLE")
            .arn("arn:aws:iam::123456789012:server-certificate/cloudfront/shop")
            .build()
            .expect("metadata")
    }

    #[test]
    fn a_body_that_is_no_certificate_is_said_so() {
        let certificate = ServerCertificate::builder()
            .server_certificate_metadata(metadata())
            .certificate_body("not a certificate!")
            .build()
            .expect("certificate");
        let config = config(&metadata(), Some(&certificate));
        assert_eq!(config["Certificate"]["Error"], "the certificate is neither PEM nor base64");
        assert_eq!(config["CertificateChain"], Value::Null);
    }

    #[test]
    fn an_unread_certificate_keeps_its_listed_metadata() {
        let config = config(&metadata(), None);
        assert_eq!(config["Path"], "/cloudfront/");
        assert_eq!(config["Certificate"], Value::Null);
        assert_eq!(config["Tags"], json!([]));
    }
}
