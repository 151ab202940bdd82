//! What the notification tests share: a real SMTP server on loopback (aiosmtpd writing a
//! Maildir), a redb store on disk, and a small technology with its watcher and auditor.
#![allow(clippy::unwrap_used, clippy::panic, dead_code)] // tests fail by panicking; not every test uses every helper

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, ChangeMails, Interval, Role, Technology, User,
};
use monkey_core::store::Store;
use monkey_core::watcher::{Slurp, SlurpedItem, WatchContext, Watcher};
use monkey_notify::NotifySettings;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A free loopback port.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// aiosmtpd on a loopback port, delivering into a Maildir; killed when dropped.
pub(crate) struct SmtpSink {
    child: Child,
    pub(crate) port: u16,
    pub(crate) maildir: PathBuf,
}

impl SmtpSink {
    /// Starts the server on `port` and waits until it accepts connections.
    pub(crate) fn start(port: u16, maildir: &Path) -> Self {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs: the notification tests need PyPI aiosmtpd (scripts/test installs it)");
        let sink = Self { child, port, maildir: maildir.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on {port}: is PyPI aiosmtpd installed?");
            std::thread::sleep(Duration::from_millis(50));
        }
        sink
    }

    /// Every message received so far, raw, oldest first.
    pub(crate) fn received(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(self.maildir.join("new")) {
            Ok(dir) => dir.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        };
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).unwrap());
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Settings from variable pairs, over the defaults.
pub(crate) fn settings(vars: &[(&str, String)]) -> NotifySettings {
    let vars: HashMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.clone())).collect();
    NotifySettings::from_vars(|name| vars.get(name).cloned()).unwrap()
}

/// Mail to the SMTP sink on `port`, from monkey@example.com, security team sec@example.com.
pub(crate) fn smtp_settings(port: u16) -> NotifySettings {
    settings(&[
        ("MONKEY_MAIL_SERVER", "127.0.0.1".into()),
        ("MONKEY_MAIL_PORT", port.to_string()),
        ("MONKEY_MAIL_TIMEOUT_SECONDS", "5".into()),
        ("MONKEY_MAIL_DEFAULT_SENDER", "monkey@example.com".into()),
        ("MONKEY_MAIL_SECURITY_TEAM", "sec@example.com".into()),
        ("MONKEY_MAIL_BASE_URL", "https://monkey.example.com".into()),
    ])
}

/// A redb store in `dir`.
pub(crate) fn store(dir: &Path) -> Arc<dyn Store> {
    Arc::new(monkey_store::RedbStore::open(dir.join("monkey.redb")).unwrap())
}

pub(crate) fn account(name: &str, n: u64) -> Account {
    Account::new(AccountName::parse(name).unwrap(), AccountNumber::parse(&format!("{n:012}")).unwrap())
}

/// An active user subscribed to `accounts`.
pub(crate) fn user(email: &str, accounts: &[&Account], mails: ChangeMails, daily: bool) -> User {
    let mut user = User::new(email, Role::View).unwrap();
    user.subscriptions.accounts = accounts.iter().map(|a| a.name.clone()).collect();
    user.subscriptions.change_mails = mails;
    user.subscriptions.daily_report = daily;
    user
}

pub(crate) static GADGET_OPEN: Check = Check {
    id: "gadget-open",
    technology: "gadget",
    title: "GadgetOpen",
    category: Category::InternetAccessible,
    default_score: 10,
    status: CheckStatus::Stable,
    docs: "",
};
static CHECKS: [&Check; 1] = [&GADGET_OPEN];

/// Finds a gadget whose `open` is true.
pub(crate) struct GadgetAuditor;

#[async_trait]
impl Auditor for GadgetAuditor {
    fn technology(&self) -> &'static str {
        "gadget"
    }
    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }
    async fn audit(&self, item: &AuditedItem<'_>, _: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        Ok(if item.config["open"] == true {
            vec![Finding::new(&GADGET_OPEN, "Gadget <open> to the world", "port:22")]
        } else {
            vec![]
        })
    }
}

/// Returns whatever items the test sets.
pub(crate) struct GadgetWatcher {
    pub(crate) technology: Technology,
    pub(crate) items: Mutex<Vec<SlurpedItem>>,
}

impl GadgetWatcher {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self { technology: Technology::parse("gadget").unwrap(), items: Mutex::new(Vec::new()) })
    }

    pub(crate) fn set(&self, items: Vec<SlurpedItem>) {
        *self.items.lock().unwrap() = items;
    }
}

#[async_trait]
impl Watcher for GadgetWatcher {
    fn technology(&self) -> &Technology {
        &self.technology
    }
    fn ephemeral_paths(&self) -> &[&str] {
        &["seen"]
    }
    fn default_interval(&self) -> Interval {
        Interval::HOURLY
    }
    async fn slurp(&self, _: &WatchContext) -> Slurp {
        Slurp { items: self.items.lock().unwrap().clone(), failures: vec![] }
    }
}

pub(crate) fn gadget(name: &str, open: bool) -> SlurpedItem {
    SlurpedItem { region: "eu-west-1".into(), name: name.into(), arn: None, config: json!({"open": open, "seen": 1}) }
}

/// Parses one received mail.
pub(crate) fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default().parse(raw).expect("a MIME message")
}

/// The addresses of a header such as `To`.
pub(crate) fn addresses(header: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    let mut out: Vec<String> =
        header.map(|a| a.iter().filter_map(|a| a.address.as_deref().map(str::to_owned)).collect()).unwrap_or_default();
    out.sort();
    out
}
