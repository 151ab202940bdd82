//! Change mail end to end: the engine commits a unit of work, its notice is queued in the
//! store's outbox, and the courier delivers it to a real SMTP server (aiosmtpd on loopback),
//! whose Maildir the test reads back as MIME.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use common::*;
use monkey_core::audit::AuditEngine;
use monkey_core::engine::Monkey;
use monkey_core::model::{ChangeMails, Channel, OutboxState, RunOutcome, Technology, now};
use monkey_core::notifier::Delivery;
use monkey_core::store::Store;
use monkey_core::watcher::Watcher;
use monkey_notify::Notifications;
use std::sync::Arc;

fn monkey(store: &Arc<dyn Store>, watcher: &Arc<GadgetWatcher>, notifications: &Notifications) -> Monkey {
    Monkey::builder(Arc::clone(store))
        .watchers([Arc::clone(watcher) as Arc<dyn Watcher>])
        .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor)]))
        .observer(notifications.observer())
        .build()
        .unwrap()
}

async fn subscribers(store: &dyn Store) -> monkey_core::model::Account {
    let prod = account("prod", 111_122_223_333);
    store.put_account(&prod).await.unwrap();
    for user in [
        user("alice@example.com", &[&prod], ChangeMails::All, false),
        user("bob@example.com", &[&prod], ChangeMails::Issues, false),
        user("carol@example.com", &[&prod], ChangeMails::None, true),
    ] {
        store.put_user(&user).await.unwrap();
    }
    prod
}

#[tokio::test]
async fn a_change_mail_reaches_the_smtp_server_once_with_both_parts() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(free_port(), &dir.path().join("maildir"));
    let store = store(dir.path());
    let prod = subscribers(store.as_ref()).await;
    let notifications = Notifications::new(Arc::clone(&store), smtp_settings(sink.port), None).unwrap();
    let watcher = GadgetWatcher::new();
    let monkey = monkey(&store, &watcher, &notifications);
    let gadget_tech = Technology::parse("gadget").unwrap();

    watcher.set(vec![gadget("web", true), gadget("<script>alert(1)</script>", false)]);
    monkey.run_unit(&prod, &gadget_tech).await.unwrap();
    let outbox = store.outbox(10).await.unwrap();
    assert_eq!(outbox.len(), 1, "one mail for the unit: {outbox:?}");
    assert_eq!(outbox[0].channel, Channel::Mail);
    let delivery = notifications.courier().deliver_due(now()).await.unwrap();
    assert_eq!(delivery, Delivery { delivered: 1, retrying: 0, abandoned: 0 });
    assert_eq!(store.outbox(10).await.unwrap()[0].state, OutboxState::Delivered);

    let received = sink.received();
    assert_eq!(received.len(), 1);
    let mail = parse(&received[0]);
    assert_eq!(mail.subject(), Some("NEW ISSUE - [prod] Changes in gadget"));
    assert_eq!(addresses(mail.to()), ["alice@example.com", "bob@example.com", "sec@example.com"]);
    assert_eq!(addresses(mail.from()), ["monkey@example.com"]);
    assert!(
        mail.message_id().is_some_and(|id| id.starts_with("change.111122223333.gadget.")),
        "{:?}",
        mail.message_id()
    );
    let text = mail.body_text(0).unwrap();
    let html = mail.body_html(0).unwrap();
    assert!(text.contains("New: gadget eu-west-1 <script>alert(1)</script>"), "{text}");
    assert!(text.contains("New issue [10] Gadget <open> to the world: port:22"), "{text}");
    assert!(!html.contains("<script>"), "names are escaped: {html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Gadget &lt;open&gt; to the world"));
    assert!(html.contains("color:#116329;background-color:#dafbe1"), "added lines are green: {html}");
    assert!(html.contains("https://monkey.example.com/items/gadget/111122223333/eu-west-1/web"));

    // Nothing changed: no mail. Only an ephemeral field changed: no mail either.
    monkey.run_unit(&prod, &gadget_tech).await.unwrap();
    let mut seen_again = gadget("web", true);
    seen_again.config["seen"] = 2.into();
    watcher.set(vec![seen_again, gadget("<script>alert(1)</script>", false)]);
    monkey.run_unit(&prod, &gadget_tech).await.unwrap();
    assert_eq!(store.outbox(10).await.unwrap().len(), 1);

    // The issue is fixed and nothing else is open: bob (issues only) is left out; the diff
    // shows the removed value in red.
    watcher.set(vec![gadget("web", false), gadget("<script>alert(1)</script>", false)]);
    monkey.run_unit(&prod, &gadget_tech).await.unwrap();
    notifications.courier().deliver_due(now()).await.unwrap();
    let received = sink.received();
    assert_eq!(received.len(), 2);
    let mail = parse(&received[1]);
    assert_eq!(mail.subject(), Some("[prod] Changes in gadget"));
    assert_eq!(addresses(mail.to()), ["alice@example.com", "sec@example.com"]);
    let html = mail.body_html(0).unwrap();
    assert!(html.contains("Fixed Audit Items"), "{html}");
    assert!(html.contains("color:#82071e;background-color:#ffebe9"), "removed lines are red: {html}");

    // Deleted items make mail too.
    watcher.set(vec![gadget("web", false)]);
    monkey.run_unit(&prod, &gadget_tech).await.unwrap();
    notifications.courier().deliver_due(now()).await.unwrap();
    let received = sink.received();
    assert_eq!(received.len(), 3);
    assert!(parse(&received[2]).body_text(0).unwrap().contains("Deleted: gadget eu-west-1 <script>alert(1)</script>"));
}

#[tokio::test]
async fn the_outbox_keeps_mail_while_the_server_is_down_and_sends_it_once_when_up() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let store = store(dir.path());
    let prod = subscribers(store.as_ref()).await;
    let notifications = Notifications::new(Arc::clone(&store), smtp_settings(port), None).unwrap();
    let watcher = GadgetWatcher::new();
    let monkey = monkey(&store, &watcher, &notifications);
    watcher.set(vec![gadget("web", true)]);
    monkey.run_unit(&prod, &Technology::parse("gadget").unwrap()).await.unwrap();

    // Nothing listens: the attempt fails, is recorded, and the mail waits for its backoff.
    let delivery = notifications.courier().deliver_due(now()).await.unwrap();
    assert_eq!(delivery, Delivery { delivered: 0, retrying: 1, abandoned: 0 });
    let waiting = store.outbox(10).await.unwrap().remove(0);
    assert_eq!((waiting.state, waiting.attempts), (OutboxState::Waiting, 1));
    assert!(waiting.last_error.as_deref().is_some_and(|e| e.contains("smtp")), "{:?}", waiting.last_error);
    assert!(waiting.next_attempt_at > now(), "retried later, not at once");
    assert_eq!(notifications.courier().deliver_due(now()).await.unwrap(), Delivery::default(), "not due yet");

    // The server comes up; at the retry time the mail goes out, once.
    let sink = SmtpSink::start(port, &dir.path().join("maildir"));
    let retry_at = waiting.next_attempt_at;
    let delivery = notifications.courier().deliver_due(retry_at).await.unwrap();
    assert_eq!(delivery.delivered, 1);
    assert_eq!(notifications.courier().deliver_due(retry_at).await.unwrap(), Delivery::default());
    assert_eq!(sink.received().len(), 1);
    let sent = store.outbox(10).await.unwrap().remove(0);
    assert_eq!((sent.state, sent.attempts, sent.last_error), (OutboxState::Delivered, 2, None));

    // Queuing the same notice again (a restart rebuilding it) sends nothing.
    assert_eq!(store.enqueue(&[waiting]).await.unwrap(), 0);
    notifications.courier().deliver_due(now()).await.unwrap();
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_run_killed_after_its_commit_is_mailed_at_the_next_start_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(free_port(), &dir.path().join("maildir"));
    let gadget_tech = Technology::parse("gadget").unwrap();
    {
        // The first process commits the unit's changes and audit, then dies before it records
        // the run as finished or queues its notice: its observer never runs.
        let store = store(dir.path());
        let prod = subscribers(store.as_ref()).await;
        let watcher = GadgetWatcher::new();
        watcher.set(vec![gadget("web", true)]);
        let silent = Monkey::builder(Arc::clone(&store))
            .watchers([Arc::clone(&watcher) as Arc<dyn Watcher>])
            .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor)]))
            .build()
            .unwrap();
        silent.run_unit(&prod, &gadget_tech).await.unwrap();
        let mut left = store.last_runs().await.unwrap().remove(0);
        // What a kill between commit and record leaves: the run still marked running.
        left.outcome = RunOutcome::Running;
        left.finished_at = None;
        store.put_run(&left).await.unwrap();
        assert!(store.outbox(10).await.unwrap().is_empty());
    }
    for restart in 0..2 {
        // Each start reopens the store and recovers; the second finds the run recorded, and a
        // recovery that ran twice would queue the same id: still one mail.
        let store = store(dir.path());
        let notifications = Notifications::new(Arc::clone(&store), smtp_settings(sink.port), None).unwrap();
        let monkey = monkey(&store, &GadgetWatcher::new(), &notifications);
        monkey.recover().await.unwrap();
        if restart == 0 {
            let mut run = store.last_runs().await.unwrap().remove(0);
            run.outcome = RunOutcome::Running;
            store.put_run(&run).await.unwrap();
        }
        notifications.courier().deliver_due(now()).await.unwrap();
        assert_eq!(store.outbox(10).await.unwrap().len(), 1, "restart {restart}");
    }
    let received = sink.received();
    assert_eq!(received.len(), 1, "mailed once across two restarts");
    let mail = parse(&received[0]);
    assert_eq!(mail.subject(), Some("NEW ISSUE - [prod] Changes in gadget"));
    assert!(mail.body_text(0).unwrap().contains("New: gadget eu-west-1 web"));
}

#[tokio::test]
async fn disabled_mail_queues_nothing_but_the_webhook_still_gets_its_notice() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let prod = subscribers(store.as_ref()).await;
    let settings = settings(&[
        ("MONKEY_MAIL_DISABLE", "true".into()),
        ("MONKEY_MAIL_SECURITY_TEAM", "sec@example.com".into()),
        ("MONKEY_WEBHOOK_URL", format!("http://127.0.0.1:{}/hook", free_port())),
    ]);
    let notifications = Notifications::new(Arc::clone(&store), settings, None).unwrap();
    let watcher = GadgetWatcher::new();
    let monkey = monkey(&store, &watcher, &notifications);
    watcher.set(vec![gadget("web", true)]);
    monkey.run_unit(&prod, &Technology::parse("gadget").unwrap()).await.unwrap();
    let outbox = store.outbox(10).await.unwrap();
    assert_eq!(outbox.iter().map(|e| e.channel).collect::<Vec<_>>(), [Channel::Webhook]);
    assert!(outbox[0].message.recipients.is_empty());
    assert!(outbox[0].message.id.starts_with("webhook/change/111122223333/gadget/"));
    assert_eq!(notifications.reports().queue(time::macros::date!(2026 - 11 - 27)).await.unwrap(), 0, "no daily report");
}

#[tokio::test]
async fn starttls_and_implicit_tls_refuse_a_server_that_cannot_encrypt() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(free_port(), &dir.path().join("maildir"));
    let message = monkey_core::notifier::Message {
        id: "tls-test".into(),
        recipients: vec!["a@example.com".into()],
        subject: "secret".into(),
        text: "must not travel in clear".into(),
        html: None,
    };
    for (flag, why) in
        [("MONKEY_MAIL_USE_TLS", "STARTTLS is not supported"), ("MONKEY_MAIL_USE_SSL", "corrupt message")]
    {
        let settings = settings(&[
            ("MONKEY_MAIL_SERVER", "localhost".into()),
            ("MONKEY_MAIL_PORT", sink.port.to_string()),
            ("MONKEY_MAIL_TIMEOUT_SECONDS", "5".into()),
            (flag, "true".into()),
        ]);
        let Some(monkey_notify::MailTransport::Smtp(smtp)) = &settings.mail else { panic!("smtp") };
        let notifier = monkey_notify::SmtpNotifier::new(smtp, &settings.sender).unwrap();
        let error = monkey_core::notifier::Notifier::deliver(&notifier, &message).await.unwrap_err();
        assert!(error.reason.contains(why), "{flag}: {error}");
    }
    assert!(sink.received().is_empty(), "nothing was sent in clear");
}
