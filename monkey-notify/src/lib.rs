//! Notifications: what monkey tells people about changes and issues, and how it gets there.
//!
//! - [`change_mail`] renders the mail sent after a unit of work changed items (Security
//!   Monkey's change e-mail: subject flags, contents per technology, issues and a coloured
//!   diff per item) with HTML and plain-text parts; [`ChangeNotices`] queues it for the
//!   recipients core picks ([`monkey_core::notifier::change_recipients`]), and for the webhook.
//! - [`daily_report`] renders and schedules the daily report of open issues.
//! - [`transport`] delivers: SMTP ([`SmtpNotifier`]), Amazon SES ([`SesNotifier`]) and a
//!   Slack-compatible webhook ([`WebhookNotifier`]).
//! - [`Notifications`] wires them to a store: notices and reports go to the store's outbox
//!   first, and a [`Courier`] delivers them with retries, so a crash or a mail server that is
//!   down loses nothing and sends nothing twice.
//!
//! Settings: [`NotifySettings`] (Security Monkey's mail settings as `MONKEY_MAIL_*`).

pub mod change_mail;
pub mod daily_report;
mod html;
mod mime;
mod notices;
pub mod settings;
pub mod transport;

pub use daily_report::{DailyReport, DailyReports};
pub use notices::ChangeNotices;
pub use settings::{MailTransport, NotifySettings, SettingsError};
pub use transport::{SesNotifier, SmtpNotifier, WebhookNotifier};

use aws_config::SdkConfig;
use monkey_core::engine::RunObserver;
use monkey_core::model::Channel;
use monkey_core::notifier::{Courier, NotifyError};
use monkey_core::store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often the outbox is read when nothing wakes the courier, and the daily schedule checked.
const POLL: Duration = Duration::from_secs(30);

/// Change notices, daily reports and their delivery, for one store.
#[derive(Debug, Clone)]
pub struct Notifications {
    courier: Courier,
    notices: ChangeNotices,
    reports: DailyReports,
}

impl Notifications {
    /// Everything `settings` asks for. `aws` (monkey's own AWS configuration and endpoint
    /// override) is needed only when mail goes through SES.
    pub fn new(
        store: Arc<dyn Store>,
        settings: NotifySettings,
        aws: Option<(&SdkConfig, Option<&str>)>,
    ) -> Result<Self, NotifyError> {
        let settings = Arc::new(settings);
        let mut courier = Courier::new(Arc::clone(&store));
        match &settings.mail {
            Some(MailTransport::Smtp(smtp)) => {
                courier = courier.with_notifier(Channel::Mail, Arc::new(SmtpNotifier::new(smtp, &settings.sender)?));
            }
            Some(MailTransport::Ses { region }) => {
                let Some((config, endpoint)) = aws else {
                    return Err(NotifyError {
                        notifier: "ses".into(),
                        message_id: String::new(),
                        reason: "mail through SES needs an AWS configuration".into(),
                        retryable: false,
                    });
                };
                let ses = SesNotifier::new(config, region, endpoint, &settings.sender);
                courier = courier.with_notifier(Channel::Mail, Arc::new(ses));
            }
            None => {}
        }
        if let Some(url) = &settings.webhook {
            courier =
                courier.with_notifier(Channel::Webhook, Arc::new(WebhookNotifier::new(url, Duration::from_secs(30))?));
        }
        let queued = courier.waker();
        Ok(Self {
            notices: ChangeNotices::new(Arc::clone(&store), Arc::clone(&settings), Arc::clone(&queued)),
            reports: DailyReports::new(store, settings, queued),
            courier,
        })
    }

    /// The observer to give the engine: it queues each unit's change notices.
    pub fn observer(&self) -> Arc<dyn RunObserver> {
        Arc::new(self.notices.clone())
    }

    /// The courier that delivers the outbox.
    pub fn courier(&self) -> &Courier {
        &self.courier
    }

    /// The daily reports.
    pub fn reports(&self) -> &DailyReports {
        &self.reports
    }

    /// Delivers the outbox and queues the daily reports until `stop` resolves.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let courier = self.courier.run(POLL, stopped(rx.clone()));
        let reports = self.reports.run(POLL, stopped(rx));
        let signal = async {
            stop.await;
            let _ = tx.send(true);
        };
        tokio::join!(courier, reports, signal);
    }
}
