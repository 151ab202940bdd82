//! Mail through an SMTP server (lettre): implicit TLS, STARTTLS or none; login; timeouts.

use crate::mime;
use crate::settings::{SmtpSettings, Tls};
use async_trait::async_trait;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use monkey_core::notifier::{Message, Notifier, NotifyError};

/// Delivers mail through one SMTP server.
pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    sender: String,
    server: String,
}

impl std::fmt::Debug for SmtpNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpNotifier").field("server", &self.server).field("sender", &self.sender).finish()
    }
}

impl SmtpNotifier {
    /// A notifier for `settings`, sending as `sender`. Fails only on a server name TLS cannot use.
    pub fn new(settings: &SmtpSettings, sender: &str) -> Result<Self, NotifyError> {
        let refuse = |reason: String| NotifyError {
            notifier: "smtp".into(),
            message_id: String::new(),
            reason,
            retryable: false,
        };
        let builder = match settings.tls {
            Tls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.server)
                .map_err(|e| refuse(format!("cannot use TLS with {}: {e}", settings.server)))?,
            Tls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.server)
                .map_err(|e| refuse(format!("cannot use STARTTLS with {}: {e}", settings.server)))?,
            Tls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.server),
        };
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self {
            transport: builder.build(),
            sender: sender.to_owned(),
            server: format!("{}:{}", settings.server, settings.port),
        })
    }
}

#[async_trait]
impl Notifier for SmtpNotifier {
    fn name(&self) -> &str {
        "smtp"
    }

    async fn deliver(&self, message: &Message) -> Result<(), NotifyError> {
        let mail = mime::build("smtp", message, &self.sender)?;
        self.transport.send(mail).await.map(|_| ()).map_err(|e| NotifyError {
            notifier: format!("smtp ({})", self.server),
            message_id: message.id.clone(),
            // A 5xx reply refuses this mail for good; anything else (down, timeout, 4xx) may pass later.
            retryable: !e.is_permanent(),
            reason: e.to_string(),
        })
    }
}
