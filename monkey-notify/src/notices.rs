//! Change notices: after each unit of work, the change mail to its subscribers and the
//! security team, and the same notice to the webhook, queued in the outbox.

use crate::change_mail::ChangeMail;
use crate::settings::NotifySettings;
use async_trait::async_trait;
use monkey_core::engine::{CommittedUnit, RunObserver};
use monkey_core::model::{Channel, OutboxEntry, now};
use monkey_core::notifier::{UnitChanges, change_recipients};
use monkey_core::store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::Notify;

/// Queues the change notices of every unit of work that changed items.
#[derive(Clone)]
pub struct ChangeNotices {
    store: Arc<dyn Store>,
    settings: Arc<NotifySettings>,
    queued: Arc<Notify>,
}

impl std::fmt::Debug for ChangeNotices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeNotices").finish_non_exhaustive()
    }
}

impl ChangeNotices {
    /// Notices from `store` under `settings`; `queued` is woken after notices are queued.
    pub fn new(store: Arc<dyn Store>, settings: Arc<NotifySettings>, queued: Arc<Notify>) -> Self {
        Self { store, settings, queued }
    }

    /// The outbox entries for `changes`: the mail (unless mail is disabled or nobody wants it)
    /// and the webhook notice (when a webhook is configured).
    pub async fn entries(&self, changes: &UnitChanges) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut entries = Vec::new();
        if changes.is_empty() {
            return Ok(entries);
        }
        let mail = ChangeMail { changes, base_url: self.settings.base_url.as_deref() };
        if mail.is_empty() {
            return Ok(entries);
        }
        let at = now();
        if self.settings.mail.is_some() {
            let users = self.store.users().await?;
            let recipients =
                change_recipients(&users, &changes.account, changes.carries_issues(), &self.settings.security_team);
            if !recipients.is_empty() {
                entries.push(OutboxEntry::new(mail.render(changes.id(), recipients), Channel::Mail, at));
            }
        }
        if self.settings.webhook.is_some() {
            let id = format!("webhook/{}", changes.id());
            entries.push(OutboxEntry::new(mail.render(id, Vec::new()), Channel::Webhook, at));
        }
        Ok(entries)
    }
}

#[async_trait]
impl RunObserver for ChangeNotices {
    async fn on_unit_committed(&self, unit: &CommittedUnit<'_>) -> Result<(), StoreError> {
        if !unit.may_have_changed || (self.settings.mail.is_none() && self.settings.webhook.is_none()) {
            return Ok(());
        }
        let changes =
            UnitChanges::collect(self.store.as_ref(), unit.account, unit.technology, unit.since, unit.transitions)
                .await?;
        let entries = self.entries(&changes).await?;
        if !entries.is_empty() && self.store.enqueue(&entries).await? > 0 {
            self.queued.notify_one();
        }
        Ok(())
    }
}
