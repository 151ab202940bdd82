//! The courier: takes due messages from the store's outbox and delivers each through the
//! notifier of its channel, recording every attempt, so that a message is retried with backoff
//! until delivered and never sent again once recorded as delivered.
//!
//! A message is recorded as delivered after its notifier accepted it: a process killed between
//! the two sends it again at the next start. The message id travels with it (as `Message-ID`
//! in mail) so that the receiving side can recognise that one duplicate.

use super::{Notifier, NotifyError};
use crate::model::{Channel, OutboxEntry, OutboxState, Timestamp, now};
use crate::store::{Store, StoreResult};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Messages delivered.
    pub delivered: usize,
    /// Messages that failed and wait for a retry.
    pub retrying: usize,
    /// Messages given up.
    pub abandoned: usize,
}

/// Delivers the outbox's messages through one notifier per channel.
#[derive(Clone)]
pub struct Courier {
    store: Arc<dyn Store>,
    notifiers: BTreeMap<Channel, Arc<dyn Notifier>>,
    wake: Arc<Notify>,
    batch: usize,
}

impl std::fmt::Debug for Courier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let channels: Vec<String> = self.notifiers.iter().map(|(c, n)| format!("{c}: {}", n.name())).collect();
        f.debug_struct("Courier").field("notifiers", &channels).finish_non_exhaustive()
    }
}

impl Courier {
    /// A courier for `store`'s outbox, with no notifier yet.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store, notifiers: BTreeMap::new(), wake: Arc::new(Notify::new()), batch: 50 }
    }

    /// Delivers `channel`'s messages through `notifier`.
    pub fn with_notifier(mut self, channel: Channel, notifier: Arc<dyn Notifier>) -> Self {
        self.notifiers.insert(channel, notifier);
        self
    }

    /// The channels that have a notifier.
    pub fn channels(&self) -> Vec<Channel> {
        self.notifiers.keys().copied().collect()
    }

    /// Wakes [`Courier::run`] at once (after queuing), instead of at its next poll.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Attempts every message due at `at`, once each, and records the outcomes.
    pub async fn deliver_due(&self, at: Timestamp) -> StoreResult<Delivery> {
        let mut done = Delivery::default();
        let mut seen = std::collections::HashSet::new();
        loop {
            let due = self.store.outbox_due(at, self.batch).await?;
            let fresh: Vec<OutboxEntry> = due.into_iter().filter(|e| seen.insert(e.message.id.clone())).collect();
            if fresh.is_empty() {
                return Ok(done);
            }
            for entry in fresh {
                let outcome = match self.notifiers.get(&entry.channel) {
                    Some(notifier) => notifier.deliver(&entry.message).await,
                    None => Err(NotifyError {
                        notifier: entry.channel.to_string(),
                        message_id: entry.message.id.clone(),
                        reason: format!("no {} notifier is configured", entry.channel),
                        retryable: true,
                    }),
                };
                let updated = match outcome {
                    Ok(()) => entry.delivered(now()),
                    Err(error) => {
                        tracing::warn!("{error}");
                        entry.failed(error.to_string(), error.retryable, now())
                    }
                };
                match updated.state {
                    OutboxState::Delivered => done.delivered += 1,
                    OutboxState::Waiting => done.retrying += 1,
                    OutboxState::Abandoned => done.abandoned += 1,
                }
                self.store.update_outbox(&updated).await?;
            }
        }
    }

    /// Delivers due messages every `poll` (and whenever woken) until `stop` resolves; a failing
    /// store is logged and tried again at the next poll.
    pub async fn run(&self, poll: Duration, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            match self.deliver_due(now()).await {
                Ok(done) if done != Delivery::default() => tracing::info!(
                    delivered = done.delivered,
                    retrying = done.retrying,
                    abandoned = done.abandoned,
                    "outbox"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!("cannot read the outbox: {error}"),
            }
            tokio::select! {
                () = &mut stop => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }
}
