//! The daily report: every open issue of a set of accounts, highest score first, as HTML and
//! plain text; and the schedule that queues it once a day per recipient.
//!
//! Each report's id is `daily/<date>/<recipient>`, and the outbox keeps ids for two weeks, so
//! a restart on the same day queues nothing again, and a process that was down at the report's
//! time sends it once when it starts.

use crate::html::{escape, item_link};
use crate::settings::NotifySettings;
use monkey_core::model::{Account, AccountNumber, Channel, Issue, ItemKey, OutboxEntry, Timestamp, now};
use monkey_core::notifier::{Message, daily_report_recipients};
use monkey_core::store::{ItemQuery, Store, StoreExt, StoreResult};
use std::collections::HashMap;
use std::fmt::Write;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use time::{Date, OffsetDateTime, Time};
use tokio::sync::Notify;

/// One open issue in a report, with its account's name.
#[derive(Debug, Clone)]
pub struct ReportedIssue {
    /// The account's name.
    pub account: String,
    /// The issue.
    pub issue: Issue,
}

/// The report of one day over some accounts.
#[derive(Debug, Clone)]
pub struct DailyReport {
    /// The day.
    pub date: Date,
    /// Open issues, highest score first.
    pub issues: Vec<ReportedIssue>,
    /// Base URL of the web UI, for links to items.
    pub base_url: Option<String>,
}

/// The open issues of `account` (justified ones too when `include_justified`), read from the
/// items that have a score.
async fn open_issues(store: &dyn Store, account: &Account, include_justified: bool) -> StoreResult<Vec<ReportedIssue>> {
    let query = ItemQuery { accounts: vec![account.number.clone()], min_score: Some(1), ..ItemQuery::default() };
    let mut issues = Vec::new();
    for item in store.search_all(&query).await? {
        for issue in store.issues(&item.key).await? {
            if !issue.fixed && (include_justified || issue.justification.is_none()) {
                issues.push(ReportedIssue { account: account.name.to_string(), issue });
            }
        }
    }
    Ok(issues)
}

impl DailyReport {
    /// Collects the open issues of `accounts` (justified ones too when `include_justified`).
    pub async fn collect(
        store: &dyn Store,
        accounts: &[&Account],
        include_justified: bool,
        date: Date,
        base_url: Option<String>,
    ) -> StoreResult<Self> {
        let mut issues = Vec::new();
        for account in accounts {
            issues.extend(open_issues(store, account, include_justified).await?);
        }
        Ok(Self::new(date, issues, base_url))
    }

    /// The report of `issues`, sorted highest score first.
    pub fn new(date: Date, mut issues: Vec<ReportedIssue>, base_url: Option<String>) -> Self {
        issues.sort_by(|a, b| {
            b.issue.score.cmp(&a.issue.score).then_with(|| {
                (&a.account, &a.issue.key.item, &a.issue.key.check).cmp(&(
                    &b.account,
                    &b.issue.key.item,
                    &b.issue.key.check,
                ))
            })
        });
        Self { date, issues, base_url }
    }

    /// The subject: the day and how many issues are open.
    pub fn subject(&self) -> String {
        let unjustified = self.issues.iter().filter(|i| i.issue.justification.is_none()).count();
        format!("[monkey] Daily report {}: {} open issues, {unjustified} unjustified", self.date, self.issues.len())
    }

    /// Renders the message for `recipients`, with `id` as its idempotency key.
    pub fn render(&self, id: impl Into<String>, recipients: Vec<String>) -> Message {
        Message { id: id.into(), recipients, subject: self.subject(), text: self.text(), html: Some(self.html()) }
    }

    fn link(&self, key: &ItemKey) -> Option<String> {
        self.base_url.as_deref().map(|base| item_link(base, key))
    }

    fn html(&self) -> String {
        let mut out = format!("<html><body><h2>{}</h2>", escape(&self.subject()));
        if self.issues.is_empty() {
            out.push_str("<p>No open issues.</p></body></html>");
            return out;
        }
        out.push_str(
            "<table border=\"1\" cellpadding=\"4\"><tr><th>Score</th><th>Account</th><th>Technology</th>\
             <th>Region</th><th>Item</th><th>Issue</th><th>Notes</th><th>Justification</th></tr>",
        );
        for reported in &self.issues {
            let issue = &reported.issue;
            let item = &issue.key.item;
            let name = escape(&item.name);
            let name = match self.link(item) {
                Some(url) => format!("<a href=\"{}\">{name}</a>", escape(&url)),
                None => name,
            };
            let justification = issue
                .justification
                .as_ref()
                .map(|j| format!("{} ({})", escape(&j.reason), escape(&j.by)))
                .unwrap_or_default();
            let colour = if issue.justification.is_some() {
                "#dafbe1"
            } else if issue.score > 8 {
                "#ffebe9"
            } else {
                "#fff8c5"
            };
            let _ = write!(
                out,
                "<tr style=\"background-color:{colour}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{name}</td>\
                 <td>{}</td><td>{}</td><td>{justification}</td></tr>",
                issue.score,
                escape(&reported.account),
                escape(item.technology.as_str()),
                escape(&item.region),
                escape(&issue.message),
                escape(&issue.key.notes),
            );
        }
        out.push_str("</table></body></html>");
        out
    }

    fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.subject());
        for reported in &self.issues {
            let issue = &reported.issue;
            let item = &issue.key.item;
            let justified = issue
                .justification
                .as_ref()
                .map(|j| format!(" (justified by {}: {})", j.by, j.reason))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "[{}] {} {} {} {}: {} {}{justified}",
                issue.score, reported.account, item.technology, item.region, item.name, issue.message, issue.key.notes
            );
            if let Some(url) = self.link(item) {
                let _ = writeln!(out, "    {url}");
            }
        }
        out
    }
}

/// Queues each day's reports: one per subscribed user over their accounts, and one over every
/// account for the security team.
#[derive(Clone)]
pub struct DailyReports {
    store: Arc<dyn Store>,
    settings: Arc<NotifySettings>,
    queued: Arc<Notify>,
    /// The last day whose reports this process queued: collecting is not repeated each poll.
    done: Arc<std::sync::Mutex<Option<Date>>>,
}

impl std::fmt::Debug for DailyReports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DailyReports").field("settings", &self.settings.daily_report).finish_non_exhaustive()
    }
}

impl DailyReports {
    /// Reports from `store` under `settings`; `queued` is woken after reports are queued.
    pub fn new(store: Arc<dyn Store>, settings: Arc<NotifySettings>, queued: Arc<Notify>) -> Self {
        Self { store, settings, queued, done: Arc::default() }
    }

    /// The day of the latest report time at or before `at`.
    pub fn due_date(&self, at: Timestamp) -> Date {
        let at = OffsetDateTime::from_unix_timestamp_nanos(at.unix_nanos()).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let slot = Time::from_hms(self.settings.daily_report.hour, self.settings.daily_report.minute, 0)
            .unwrap_or(Time::MIDNIGHT);
        if at.time() >= slot { at.date() } else { at.date().previous_day().unwrap_or(at.date()) }
    }

    /// Queues the reports of `date` that are not queued yet; returns how many were new. Nothing
    /// when mail is disabled.
    pub async fn queue(&self, date: Date) -> StoreResult<usize> {
        if self.settings.mail.is_none() {
            return Ok(0);
        }
        let users = self.store.users().await?;
        let accounts = self.store.accounts().await?;
        let include_justified = self.settings.daily_report.include_justified;
        let recipients = daily_report_recipients(&users, &accounts);
        let team = !self.settings.security_team.is_empty();
        // Each account's issues are read once, however many reports list them.
        let mut by_account: HashMap<&AccountNumber, Vec<ReportedIssue>> = HashMap::new();
        for account in &accounts {
            if team || recipients.iter().any(|(_, covered)| covered.iter().any(|a| a.number == account.number)) {
                by_account.insert(&account.number, open_issues(self.store.as_ref(), account, include_justified).await?);
            }
        }
        let report = |covered: &[&Account]| {
            let issues =
                covered.iter().flat_map(|a| by_account.get(&a.number).into_iter().flatten().cloned()).collect();
            DailyReport::new(date, issues, self.settings.base_url.clone())
        };
        let mut entries = Vec::new();
        let queued_at = now();
        for (user, covered) in &recipients {
            let id = format!("daily/{date}/{}", user.email);
            entries.push(OutboxEntry::new(
                report(covered).render(id, vec![user.email.clone()]),
                Channel::Mail,
                queued_at,
            ));
        }
        if team {
            let all: Vec<&Account> = accounts.iter().collect();
            let id = format!("daily/{date}/security-team");
            entries.push(OutboxEntry::new(
                report(&all).render(id, self.settings.security_team.clone()),
                Channel::Mail,
                queued_at,
            ));
        }
        let added = self.store.enqueue(&entries).await?;
        if added > 0 {
            self.queued.notify_one();
        }
        Ok(added)
    }

    /// Queues the due day's reports now and then every `poll` until `stop` resolves.
    pub async fn run(&self, poll: Duration, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let date = self.due_date(now());
            // A poisoned lock only means a panic elsewhere; the date inside is still right.
            let done = *self.done.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if done != Some(date) {
                match self.queue(date).await {
                    Ok(added) => {
                        if added > 0 {
                            tracing::info!(added, %date, "daily reports queued");
                        }
                        *self.done.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(date);
                    }
                    Err(error) => tracing::warn!("cannot queue the daily reports of {date}: {error}"),
                }
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(poll) => {}
            }
        }
    }
}
