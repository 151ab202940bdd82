//! Mail through Amazon SES, against moto (MONKEY_TEST_AWS_ENDPOINT, started by scripts/test)
//! through the real SDK; what moto recorded is read back from its `/moto-api/data.json`.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use aws_config::{BehaviorVersion, Region};
use aws_sdk_ses::config::Credentials;
use monkey_core::notifier::{Message, Notifier};
use monkey_notify::SesNotifier;

fn endpoint() -> String {
    std::env::var("MONKEY_TEST_AWS_ENDPOINT")
        .expect("MONKEY_TEST_AWS_ENDPOINT is not set: run the AWS tests through scripts/test, which starts moto")
}

async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await
}

/// GETs `url` over plain HTTP and returns the body.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_once("\r\n\r\n").unwrap().1.to_owned()
}

#[tokio::test]
async fn ses_sends_the_same_mime_and_refuses_an_unverified_sender() {
    let endpoint = endpoint();
    let config = sdk_config().await;
    let sender = "monkey-ses-test@example.com";
    let client =
        aws_sdk_ses::Client::from_conf(aws_sdk_ses::config::Builder::from(&config).endpoint_url(&endpoint).build());
    client.verify_email_identity().email_address(sender).send().await.unwrap();

    let id = format!("change/123456789012/s3/{}", std::process::id());
    let message = Message {
        id: id.clone(),
        recipients: vec!["team@example.com".into(), "alice@example.com".into()],
        subject: "NEW ISSUE - [prod] Changes in s3".into(),
        text: "New: s3 us-east-1 <bucket>".into(),
        html: Some("<p>&lt;bucket&gt;</p>".into()),
    };
    let notifier = SesNotifier::new(&config, "eu-west-1", Some(&endpoint), sender);
    notifier.deliver(&message).await.unwrap();

    let data: serde_json::Value = serde_json::from_str(&http_get(&format!("{endpoint}/moto-api/data.json"))).unwrap();
    let local = format!("<{}@monkey>", id.replace('/', "."));
    let sent: Vec<&serde_json::Value> = data["ses"]["RawMessage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["raw_data"].as_str().is_some_and(|raw| raw.contains(&local)))
        .collect();
    assert_eq!(sent.len(), 1, "moto recorded the mail once");
    let raw = sent[0]["raw_data"].as_str().unwrap();
    assert!(raw.contains("Subject: NEW ISSUE - [prod] Changes in s3"), "{raw}");
    assert!(raw.contains("From: monkey-ses-test@example.com"));
    assert!(raw.contains("multipart/alternative") && raw.contains("text/html"));
    let destinations: Vec<&str> =
        sent[0]["destinations"].as_array().unwrap().iter().filter_map(|d| d.as_str()).collect();
    assert!(
        destinations.contains(&"team@example.com") && destinations.contains(&"alice@example.com"),
        "{destinations:?}"
    );

    let stranger = SesNotifier::new(&config, "eu-west-1", Some(&endpoint), "unverified@example.org");
    let error = stranger.deliver(&message).await.unwrap_err();
    assert!(!error.retryable, "{error}");
    assert!(error.reason.contains("MessageRejected") || error.reason.contains("authority"), "{error}");
}
