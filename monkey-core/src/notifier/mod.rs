//! The `Notifier` trait: what delivers a rendered message to its recipients; and what core
//! decides about notifications: who gets what ([`recipients`]), what a unit of work changed
//! ([`UnitChanges`]), and the outbox that delivers each message once ([`Courier`]).
//!
//! Rendering and transports live in `monkey-notify`.

mod changes;
mod courier;
mod recipients;

pub use changes::{ChangedItem, UnitChanges};
pub use courier::{Courier, Delivery};
pub use recipients::{change_recipients, daily_report_recipients};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// A rendered message, ready to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Idempotency key: delivering the same id twice must not send twice where the
    /// transport allows it to be detected.
    pub id: String,
    /// Recipients' e-mail addresses.
    pub recipients: Vec<String>,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body, if any.
    pub html: Option<String>,
}

/// A delivery that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{notifier} could not deliver message {message_id}: {reason}")]
pub struct NotifyError {
    /// The notifier.
    pub notifier: String,
    /// The message's id.
    pub message_id: String,
    /// Why.
    pub reason: String,
    /// Whether trying again later may succeed (a server down, a timeout).
    pub retryable: bool,
}

/// Delivers messages; reports failures and never panics.
///
/// ```
/// use async_trait::async_trait;
/// use monkey_core::notifier::{Message, Notifier, NotifyError};
///
/// struct Stdout;
///
/// #[async_trait]
/// impl Notifier for Stdout {
///     fn name(&self) -> &str { "stdout" }
///     async fn deliver(&self, message: &Message) -> Result<(), NotifyError> {
///         println!("{}: {}", message.subject, message.text);
///         Ok(())
///     }
/// }
/// let notifier: Box<dyn Notifier> = Box::new(Stdout);
/// assert_eq!(notifier.name(), "stdout");
/// ```
#[async_trait]
pub trait Notifier: Send + Sync {
    /// A short name for logs (`smtp`, `ses`, `webhook`).
    fn name(&self) -> &str;

    /// Delivers one message to all its recipients.
    async fn deliver(&self, message: &Message) -> Result<(), NotifyError>;
}
