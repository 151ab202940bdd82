//! The webhook notifier against a real HTTP server on loopback: the Slack-compatible body, and
//! which refusals are retried.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use monkey_core::notifier::{Message, Notifier};
use monkey_notify::WebhookNotifier;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers one request with `status` and returns what it received (head and body).
async fn answer_once(listener: TcpListener, status: &'static str) -> String {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = socket.read(&mut buffer).await.unwrap();
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
        if n == 0 {
            break;
        }
    }
    let response = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    socket.write_all(response.as_bytes()).await.unwrap();
    String::from_utf8(received).unwrap()
}

fn message() -> Message {
    Message {
        id: "webhook/change/1".into(),
        recipients: vec![],
        subject: "NEW ISSUE - [prod] Changes in s3".into(),
        text: "New: s3 us-east-1 \"quoted\" <bucket>".into(),
        html: Some("<p>ignored</p>".into()),
    }
}

#[tokio::test]
async fn posts_slack_json_and_retries_only_what_may_pass() {
    for (status, outcome) in [
        ("200 OK", None),
        ("500 Internal Server Error", Some(true)),
        ("429 Too Many Requests", Some(true)),
        ("404 Not Found", Some(false)),
    ] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(answer_once(listener, status));
        let notifier =
            WebhookNotifier::new(&format!("http://127.0.0.1:{port}/services/T0/B0/secret"), Duration::from_secs(5))
                .unwrap();
        let result = notifier.deliver(&message()).await;
        let received = server.await.unwrap();
        assert!(received.starts_with("POST /services/T0/B0/secret HTTP/1.1"), "{received}");
        assert!(received.to_ascii_lowercase().contains("content-type: application/json"));
        let body: serde_json::Value = serde_json::from_str(received.split_once("\r\n\r\n").unwrap().1).unwrap();
        assert_eq!(body["text"], "*NEW ISSUE - [prod] Changes in s3*\nNew: s3 us-east-1 \"quoted\" <bucket>");
        match outcome {
            None => assert!(result.is_ok(), "{status}: {result:?}"),
            Some(retryable) => assert_eq!(result.unwrap_err().retryable, retryable, "{status}"),
        }
    }
    assert!(
        !format!("{:?}", WebhookNotifier::new("https://hooks.example.com/secret", Duration::from_secs(1)).unwrap())
            .contains("secret")
    );
}

#[tokio::test]
async fn an_unreachable_webhook_is_retried_and_a_bad_url_refused() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let notifier = WebhookNotifier::new(&format!("http://127.0.0.1:{port}/hook"), Duration::from_secs(5)).unwrap();
    assert!(notifier.deliver(&message()).await.unwrap_err().retryable);
    for bad in ["ftp://example.com/x", "not a url", "/relative"] {
        assert!(WebhookNotifier::new(bad, Duration::from_secs(1)).is_err(), "{bad}");
    }
    let long = Message { text: "é".repeat(40_000), ..message() };
    let text = WebhookNotifier::payload(&long)["text"].as_str().unwrap().to_owned();
    assert!(text.len() <= 35_010 && text.ends_with('…'));
}
