//! The outbox: messages written to the store before delivery, so that a crash or a mail server
//! that is down neither loses nor repeats them.
//!
//! A message's id is its idempotency key: queueing an id the outbox already holds (waiting,
//! delivered or abandoned) does nothing, so whatever queues a message may queue it again after
//! a restart without sending it twice.

use super::Timestamp;
use crate::notifier::Message;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Which notifier delivers a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail (SMTP or SES).
    Mail,
    /// The webhook (Slack-compatible JSON).
    Webhook,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Mail => "mail",
            Self::Webhook => "webhook",
        })
    }
}

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for its next attempt.
    Waiting,
    /// Delivered.
    Delivered,
    /// Given up: refused for good, or still failing after [`GIVE_UP_AFTER`].
    Abandoned,
}

/// How long a message is retried before it is abandoned.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(2 * 24 * 3600);

/// How long delivered and abandoned messages are kept, so that a late duplicate is recognised.
pub const OUTBOX_KEPT: Duration = Duration::from_secs(14 * 24 * 3600);

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The message; its id keys the entry.
    pub message: Message,
    /// Which notifier delivers it.
    pub channel: Channel,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// Where it is.
    pub state: OutboxState,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// When to try next (while waiting), or when it was delivered or abandoned.
    pub next_attempt_at: Timestamp,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl OutboxEntry {
    /// A message queued at `at`, to be tried at once.
    pub fn new(message: Message, channel: Channel, at: Timestamp) -> Self {
        Self {
            message,
            channel,
            queued_at: at,
            state: OutboxState::Waiting,
            attempts: 0,
            next_attempt_at: at,
            last_error: None,
        }
    }

    /// The entry after a successful attempt at `at`.
    pub fn delivered(mut self, at: Timestamp) -> Self {
        self.attempts = self.attempts.saturating_add(1);
        self.state = OutboxState::Delivered;
        self.next_attempt_at = at;
        self.last_error = None;
        self
    }

    /// The entry after a failed attempt at `at`: retried after a backoff that doubles from a
    /// minute up to an hour, abandoned when `retryable` is false or after [`GIVE_UP_AFTER`].
    pub fn failed(mut self, error: String, retryable: bool, at: Timestamp) -> Self {
        self.attempts = self.attempts.saturating_add(1);
        self.last_error = Some(error);
        let waited = at.unix_nanos().saturating_sub(self.queued_at.unix_nanos());
        if !retryable || waited >= GIVE_UP_AFTER.as_nanos() as i128 {
            self.state = OutboxState::Abandoned;
            self.next_attempt_at = at;
        } else {
            self.next_attempt_at =
                Timestamp::from_unix_nanos(at.unix_nanos() + backoff(self.attempts).as_nanos() as i128);
        }
        self
    }
}

/// The wait after `attempts` failed attempts: 1 min, 2, 4, … up to 1 h.
pub fn backoff(attempts: u32) -> Duration {
    let minutes = 1u64 << attempts.saturating_sub(1).min(6);
    Duration::from_secs(minutes.min(60) * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            id: "m1".into(),
            recipients: vec!["a@example.com".into()],
            subject: "s".into(),
            text: "t".into(),
            html: None,
        }
    }

    #[test]
    fn failures_back_off_then_give_up() {
        let start = Timestamp::from_unix_nanos(0);
        let entry = OutboxEntry::new(message(), Channel::Mail, start);
        assert_eq!(entry.next_attempt_at, start);
        let once = entry.clone().failed("down".into(), true, start);
        assert_eq!((once.state, once.attempts), (OutboxState::Waiting, 1));
        assert_eq!(once.next_attempt_at.unix_seconds(), 60);
        let twice = once.failed("down".into(), true, Timestamp::from_unix_nanos(60_000_000_000));
        assert_eq!(twice.next_attempt_at.unix_seconds(), 60 + 120);
        assert_eq!(backoff(20), Duration::from_secs(3600));
        let late = Timestamp::from_unix_nanos(GIVE_UP_AFTER.as_nanos() as i128);
        assert_eq!(twice.clone().failed("down".into(), true, late).state, OutboxState::Abandoned);
        let refused = entry.clone().failed("no such user".into(), false, start);
        assert_eq!((refused.state, refused.last_error.as_deref()), (OutboxState::Abandoned, Some("no such user")));
        let sent = twice.delivered(late);
        assert_eq!((sent.state, sent.attempts, sent.last_error), (OutboxState::Delivered, 3, None));
    }
}
