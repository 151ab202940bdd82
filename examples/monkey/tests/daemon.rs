//! The whole pipeline against moto through the real `monkey` binary: the daemon picks up an
//! account added while it runs, CLI commands go through it while it holds the store, an
//! interval change shows at once, change mail reaches a real SMTP server (aiosmtpd), and
//! `kill -9` in the middle of its work followed by a restart loses nothing and duplicates
//! nothing: no item, no revision, no mail.

use monkey_core::model::{Account, AccountName, AccountNumber};
use monkey_core::store::Store;
use monkey_watchers::aws::{AwsSession, AwsSettings};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn endpoint() -> String {
    std::env::var("MONKEY_TEST_AWS_ENDPOINT")
        .expect("MONKEY_TEST_AWS_ENDPOINT is not set: run the AWS tests through scripts/test, which starts moto")
}

/// An account number no other test uses: moto keeps each account's resources apart.
fn fresh_number(offset: u64) -> String {
    format!("4{:06}{:05}", std::process::id() % 1_000_000, offset)
}

/// aiosmtpd on a loopback port, delivering into a Maildir; killed when dropped.
struct SmtpSink {
    child: Child,
    maildir: PathBuf,
}

impl SmtpSink {
    fn start(port: u16, maildir: PathBuf) -> Self {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs: the mail tests need PyPI aiosmtpd (scripts/test installs it)");
        wait_for("aiosmtpd", Duration::from_secs(20), || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        Self { child, maildir }
    }

    /// Every mail received so far, as text.
    fn received(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
            .unwrap_or_default()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A header's value in a raw mail.
fn header<'a>(mail: &'a str, name: &str) -> Option<&'a str> {
    mail.lines().find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(": ")))
}

/// A daemon killed when the test ends, passed or not, so that no process outlives a test.
struct Daemon(Child);

impl std::ops::Deref for Daemon {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Daemon {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    smtp_port: u16,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let smtp_port = std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("port").port();
        let config = format!(
            "[aws]\nendpoint_url = \"{}\"\nregions = [\"us-east-1\"]\n\
             [mail]\nserver = \"127.0.0.1\"\nport = {smtp_port}\ntimeout_seconds = 5\n\
             default_sender = \"monkey@example.com\"\nsecurity_team = [\"sec@example.com\"]\n",
            endpoint()
        );
        std::fs::write(dir.path().join("monkey.toml"), config).expect("config");
        Self { dir, smtp_port }
    }

    fn smtp(&self) -> SmtpSink {
        SmtpSink::start(self.smtp_port, self.dir.path().join("maildir"))
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_monkey"));
        command
            .arg("--data-dir")
            .arg(self.data())
            .arg("--config")
            .arg(self.dir.path().join("monkey.toml"))
            .env_remove("MONKEY_STORE")
            .env_remove("MONKEY_AWS_ENDPOINT_URL")
            .env_remove("MONKEY_AWS_REGIONS")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true");
        command
    }

    fn monkey(&self, args: &[&str]) -> Output {
        let out = self.command().args(args).output().expect("run monkey");
        assert!(
            out.status.success(),
            "monkey {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn daemon(&self) -> Daemon {
        let child = self
            .command()
            .arg("run")
            .env("MONKEY_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start monkey run");
        wait_for("the daemon's API file", Duration::from_secs(30), || self.data().join("monkey.api").exists());
        Daemon(child)
    }

    fn status(&self) -> Vec<Value> {
        let out = self.monkey(&["status", "--format", "json"]);
        serde_json::from_slice::<Value>(&out.stdout).expect("status JSON").as_array().cloned().unwrap_or_default()
    }

    fn runs_of(&self, number: &str) -> Vec<Value> {
        self.status().into_iter().filter(|r| r["account"] == number).collect()
    }
}

fn wait_for(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Opens SSH to the world on a new security group of `number` in moto.
async fn open_ssh(number: &str) {
    let settings = AwsSettings {
        endpoint_url: Some(endpoint()),
        static_credentials: Some(("testing".into(), "testing".into())),
        regions: Some(vec!["us-east-1".into()]),
        ..AwsSettings::default()
    };
    let session = AwsSession::new(settings).await;
    let account =
        Account::new(AccountName::parse("fixture").expect("name"), AccountNumber::parse(number).expect("number"));
    let ec2 = session.ec2(&session.account_config(&account).await, "us-east-1");
    let group = ec2.create_security_group().group_name("bastion").description("bastion").send().await.expect("group");
    let id = group.group_id().expect("an id").to_owned();
    ec2.authorize_security_group_ingress()
        .group_id(&id)
        .ip_protocol("tcp")
        .from_port(22)
        .to_port(22)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .expect("ingress");
}

/// Only security groups and S3 are watched in these tests, so each run is quick.
fn watch_only_security_groups(f: &Fixture) {
    let list = f.monkey(&["watcher-config", "list", "--format", "json"]);
    let configs: Value = serde_json::from_slice(&list.stdout).expect("JSON");
    for config in configs.as_array().expect("a list") {
        let technology = config["technology"].as_str().expect("a technology");
        if technology != "securitygroup" {
            f.monkey(&["watcher-config", "set", technology, "--enabled", "false"]);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_added_while_the_daemon_runs_is_watched_and_cli_commands_go_through_it() {
    let f = Fixture::new();
    let smtp = f.smtp();
    let (first, second) = (fresh_number(1), fresh_number(2));
    open_ssh(&first).await;
    open_ssh(&second).await;
    f.monkey(&["add-account-aws", "--number", &first, "--name", "first"]);
    watch_only_security_groups(&f);
    let mut daemon = f.daemon();

    wait_for("the first account's run", Duration::from_secs(60), || {
        f.runs_of(&first).iter().any(|r| r["outcome"] == "succeeded")
    });
    let change_mails = || -> Vec<String> {
        smtp.received()
            .into_iter()
            .filter(|m| header(m, "Subject").is_some_and(|s| !s.contains("Daily report")))
            .collect()
    };
    wait_for("the change mail", Duration::from_secs(30), || !change_mails().is_empty());
    let mail = change_mails().remove(0);
    assert_eq!(header(&mail, "Subject"), Some("NEW ISSUE - [first] Changes in securitygroup"), "{mail}");
    assert_eq!(header(&mail, "To"), Some("sec@example.com"));
    let outbox = f.monkey(&["outbox", "--format", "json"]);
    let outbox: Value = serde_json::from_slice(&outbox.stdout).expect("JSON");
    assert!(outbox.as_array().expect("a list").iter().all(|e| e["state"] == "delivered"), "{outbox}");
    // While the daemon holds the store, commands go through its API.
    f.monkey(&["add-account-aws", "--number", &second, "--name", "second"]);
    wait_for("the added account's run, without a restart", Duration::from_secs(30), || {
        f.runs_of(&second).iter().any(|r| r["outcome"] == "succeeded")
    });
    let export = f.monkey(&["export", "--format", "json", "-a", "second"]);
    let report: Value = serde_json::from_slice(&export.stdout).expect("JSON");
    let bastion = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["name"].as_str().is_some_and(|n| n.starts_with("bastion")));
    let bastion = bastion.expect("the added account's security group was collected");
    let checks: Vec<&str> =
        bastion["issues"].as_array().expect("issues").iter().filter_map(|i| i["key"]["check"].as_str()).collect();
    assert!(checks.contains(&"securitygroup-ingress-open-to-world"), "and audited: {bastion}");
    assert_eq!(bastion["score"], 0, "an unattached group scores its exposure 0");

    // An interval change is in force at once: the next run is due 15 minutes after the last.
    f.monkey(&["watcher-config", "set", "securitygroup", "--interval", "15m"]);
    let run = f.runs_of(&first).pop().expect("a run");
    let started =
        monkey_core::model::Timestamp::parse_rfc3339(run["started_at"].as_str().expect("start")).expect("time");
    let due = monkey_core::model::Timestamp::parse_rfc3339(run["next_due"].as_str().expect("due")).expect("time");
    assert_eq!(due.unix_seconds() - started.unix_seconds(), 15 * 60);

    // find-changes while the daemon runs: the daemon does the work.
    let found = f.monkey(&["find-changes", "-a", "first", "-m", "securitygroup"]);
    assert!(
        String::from_utf8_lossy(&found.stderr).contains("running through the monkey"),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );

    // The daemon stops cleanly on SIGTERM and removes its API file.
    let pid = daemon.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let status = daemon.wait().expect("the daemon exits");
    assert!(status.success(), "{status}");
    assert!(!f.data().join("monkey.api").exists());
    assert!(f.status().iter().all(|r| r["outcome"] != "running"), "no half-written run");
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_work_and_a_restart_lose_nothing_and_duplicate_nothing() {
    let f = Fixture::new();
    let number = fresh_number(3);
    open_ssh(&number).await;
    f.monkey(&["add-account-aws", "--number", &number, "--name", "victim"]);
    // The mail server is down until the restart: what the first process queued must wait in
    // the outbox across the kill.
    let mut daemon = f.daemon();
    // Every technology starts within the first seconds: kill while they run.
    std::thread::sleep(Duration::from_millis(2500));
    daemon.kill().expect("kill -9");
    daemon.wait().expect("reaped");
    assert!(f.data().join("monkey.api").exists(), "kill -9 leaves the API file behind");

    // A restart recovers: runs left `running` are re-audited and marked interrupted, and
    // their change mail queued if the kill came before it was.
    let smtp = f.smtp();
    let mut daemon = f.daemon();
    wait_for("every technology's run after the restart", Duration::from_secs(120), || {
        let runs = f.runs_of(&number);
        runs.len() >= 21 && runs.iter().all(|r| r["outcome"] != "running")
    });
    // Mail that failed before the kill is retried after its one-minute backoff.
    let waiting = || {
        let out = f.monkey(&["outbox", "--format", "json", "--limit", "1000"]);
        let entries: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        entries.as_array().expect("a list").iter().filter(|e| e["state"] != "delivered").count()
    };
    wait_for("the outbox to empty", Duration::from_secs(150), || waiting() == 0);
    // The daily report may go out too (its time of day has passed): only change mails count.
    let mails: Vec<String> = smtp
        .received()
        .into_iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| !s.contains("Daily report")))
        .collect();
    let mut subjects: Vec<&str> = mails.iter().filter_map(|m| header(m, "Subject")).collect();
    subjects.sort_unstable();
    let outbox = String::from_utf8_lossy(&f.monkey(&["outbox", "--format", "json"]).stdout).to_string();
    let status = String::from_utf8_lossy(&f.monkey(&["status", "--format", "json"]).stdout).to_string();
    assert!(
        subjects.contains(&"NEW ISSUE - [victim] Changes in securitygroup"),
        "{subjects:?}\noutbox: {outbox}\nstatus: {status}"
    );
    let mut unique = subjects.clone();
    unique.dedup();
    assert_eq!(subjects, unique, "each technology's changes were mailed once, across the kill");
    let mut ids: Vec<&str> = mails.iter().filter_map(|m| header(m, "Message-ID")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), mails.len());
    let pid = daemon.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    assert!(daemon.wait().expect("exits").success());

    // Nothing lost: the group is stored and audited. Nothing duplicated: one revision per item.
    let store = monkey_store::RedbStore::open(f.data().join("monkey.redb")).expect("store");
    let account = AccountNumber::parse(&number).expect("number");
    let technology = monkey_core::model::Technology::parse("securitygroup").expect("technology");
    let items = store.items_of(&account, &technology).await.expect("items");
    let bastion = items.iter().find(|i| i.key.name.starts_with("bastion")).expect("the group survived the kill");
    let issues = store.issues(&bastion.key).await.expect("issues");
    assert!(
        issues.iter().any(|i| i.key.check == "securitygroup-ingress-open-to-world" && !i.fixed),
        "audited: {issues:?}"
    );
    for item in &items {
        assert_eq!(store.revisions(&item.key).await.expect("revisions").len(), 1, "{} has one revision", item.key);
    }
    assert!(store.verify().await.expect("the indexes agree with the records").items > 0);
}
