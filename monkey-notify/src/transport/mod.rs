//! Transports: what carries a rendered message out of monkey.

mod ses;
mod smtp;
mod webhook;

pub use ses::SesNotifier;
pub use smtp::SmtpNotifier;
pub use webhook::WebhookNotifier;
