//! Notifications: what monkey tells people about changes and issues.
//!
//! [`change_mail`] renders the mail sent after a watcher run changed items (Security
//! Monkey's change e-mail: subject flags, contents per technology, issues and a coloured
//! diff per item) as a [`monkey_core::notifier::Message`] with HTML and plain-text parts.
//! Transports (SMTP, SES) deliver such messages through the `Notifier` trait. Core decides
//! who gets what; this crate renders and delivers.

pub mod change_mail;
mod html;
