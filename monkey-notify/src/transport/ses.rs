//! Mail through Amazon SES (`SendRawEmail`), with the same MIME as SMTP.

use crate::mime;
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_ses::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::RawMessage;
use monkey_core::notifier::{Message, Notifier, NotifyError};

/// Delivers mail through SES in one region.
#[derive(Debug, Clone)]
pub struct SesNotifier {
    client: aws_sdk_ses::Client,
    sender: String,
    region: String,
}

impl SesNotifier {
    /// A notifier in `region` with `config`'s credentials, sending as `sender` (an identity
    /// SES has verified); `endpoint_url` overrides the endpoint (moto, a VPC endpoint).
    pub fn new(config: &SdkConfig, region: &str, endpoint_url: Option<&str>, sender: &str) -> Self {
        let mut builder = aws_sdk_ses::config::Builder::from(config).region(aws_config::Region::new(region.to_owned()));
        if let Some(url) = endpoint_url {
            builder = builder.endpoint_url(url);
        }
        Self {
            client: aws_sdk_ses::Client::from_conf(builder.build()),
            sender: sender.to_owned(),
            region: region.to_owned(),
        }
    }
}

#[async_trait]
impl Notifier for SesNotifier {
    fn name(&self) -> &str {
        "ses"
    }

    async fn deliver(&self, message: &Message) -> Result<(), NotifyError> {
        let mail = mime::build("ses", message, &self.sender)?;
        let failure = |reason: String, retryable: bool| NotifyError {
            notifier: format!("ses ({})", self.region),
            message_id: message.id.clone(),
            reason,
            retryable,
        };
        let raw = RawMessage::builder()
            .data(Blob::new(mail.formatted()))
            .build()
            .map_err(|e| failure(format!("cannot build the raw message: {e}"), false))?;
        match self.client.send_raw_email().source(self.sender.clone()).raw_message(raw).send().await {
            Ok(_) => Ok(()),
            Err(error) => {
                // Throttling and server errors pass later; a rejected message or an unverified
                // sender does not until someone changes something.
                let retryable = match &error {
                    SdkError::ServiceError(service) => {
                        service.raw().status().is_server_error()
                            || matches!(service.err().code(), Some("Throttling" | "ThrottlingException"))
                    }
                    SdkError::ConstructionFailure(_) => false,
                    _ => true,
                };
                Err(failure(DisplayErrorContext(&error).to_string(), retryable))
            }
        }
    }
}
