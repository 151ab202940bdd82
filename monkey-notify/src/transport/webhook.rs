//! A Slack-compatible incoming webhook: one JSON `{"text": ...}` POST per message.

use async_trait::async_trait;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use monkey_core::notifier::{Message, Notifier, NotifyError};
use std::time::Duration;

/// Slack shows at most about 40,000 characters of a message; longer texts are cut.
const MAX_TEXT: usize = 35_000;

/// Posts every message to one webhook URL.
#[derive(Clone)]
pub struct WebhookNotifier {
    url: hyper::Uri,
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

impl std::fmt::Debug for WebhookNotifier {
    // The URL of an incoming webhook is its secret: only the host is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookNotifier").field("host", &self.url.host()).finish_non_exhaustive()
    }
}

impl WebhookNotifier {
    /// A notifier posting to `url` (http or https, the system's root certificates).
    pub fn new(url: &str, timeout: Duration) -> Result<Self, NotifyError> {
        let refuse = |reason: String| NotifyError {
            notifier: "webhook".into(),
            message_id: String::new(),
            reason,
            retryable: false,
        };
        let url: hyper::Uri = url.parse().map_err(|e| refuse(format!("the webhook URL is invalid: {e}")))?;
        if !matches!(url.scheme_str(), Some("http" | "https")) || url.host().is_none() {
            return Err(refuse("the webhook URL must be an http:// or https:// URL with a host".into()));
        }
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
            .map_err(|e| refuse(format!("cannot load the system's root certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Self { url, client: Client::builder(TokioExecutor::new()).build(connector), timeout })
    }

    /// The JSON body for `message`: its subject in bold, then its text.
    pub fn payload(message: &Message) -> serde_json::Value {
        let mut text = format!("*{}*\n{}", message.subject, message.text);
        if text.len() > MAX_TEXT {
            let mut cut = MAX_TEXT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("\n…");
        }
        serde_json::json!({ "text": text })
    }
}

#[async_trait]
impl Notifier for WebhookNotifier {
    fn name(&self) -> &str {
        "webhook"
    }

    async fn deliver(&self, message: &Message) -> Result<(), NotifyError> {
        let failure = |reason: String, retryable: bool| NotifyError {
            notifier: format!("webhook ({})", self.url.host().unwrap_or("?")),
            message_id: message.id.clone(),
            reason,
            retryable,
        };
        let body = serde_json::to_vec(&Self::payload(message)).map_err(|e| failure(e.to_string(), false))?;
        let request = hyper::Request::post(self.url.clone())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| failure(format!("cannot build the request: {e}"), false))?;
        let response = match tokio::time::timeout(self.timeout, self.client.request(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Err(failure(format!("cannot reach the webhook: {e}"), true)),
            Err(_) => return Err(failure(format!("no answer within {:?}", self.timeout), true)),
        };
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // Rate limits and server errors pass later; any other refusal will not.
        let retryable = status == hyper::StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        Err(failure(format!("the webhook answered {status}"), retryable))
    }
}
