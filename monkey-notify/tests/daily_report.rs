//! The daily report: every open issue by score to each subscribed user, queued once a day even
//! across restarts, and delivered to a real SMTP server.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use common::*;
use monkey_core::audit::AuditEngine;
use monkey_core::engine::Monkey;
use monkey_core::model::{ChangeMails, IssueKey, Justification, Timestamp, now};
use monkey_core::store::Store;
use monkey_core::watcher::Watcher;
use monkey_notify::{DailyReports, Notifications};
use std::sync::Arc;
use time::macros::date;

/// Two accounts with open issues, one of them justified.
async fn estate(store: &Arc<dyn Store>) {
    let (prod, test) = (account("prod", 111_122_223_333), account("test", 444_455_556_666));
    for account in [&prod, &test] {
        store.put_account(account).await.unwrap();
    }
    store.put_user(&user("alice@example.com", &[&prod], ChangeMails::None, true)).await.unwrap();
    store.put_user(&user("bob@example.com", &[&prod, &test], ChangeMails::None, true)).await.unwrap();
    store.put_user(&user("carol@example.com", &[&prod], ChangeMails::All, false)).await.unwrap();
    let watcher = GadgetWatcher::new();
    let monkey = Monkey::builder(Arc::clone(store))
        .watchers([Arc::clone(&watcher) as Arc<dyn Watcher>])
        .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor)]))
        .build()
        .unwrap();
    let tech = monkey_core::model::Technology::parse("gadget").unwrap();
    watcher.set(vec![gadget("<img src=x onerror=alert(1)>", true), gadget("justified", true), gadget("closed", false)]);
    monkey.run_unit(&prod, &tech).await.unwrap();
    watcher.set(vec![gadget("test-web", true)]);
    monkey.run_unit(&test, &tech).await.unwrap();
    let key = IssueKey {
        item: monkey_core::model::ItemKey::new(tech.clone(), prod.number.clone(), "eu-west-1", "justified"),
        check: "gadget-open".into(),
        notes: "port:22".into(),
    };
    let justification = Justification { by: "alice@example.com".into(), at: now(), reason: "a bastion".into() };
    store.justify(&key, Some(justification)).await.unwrap();
}

#[tokio::test]
async fn each_subscriber_gets_one_report_a_day_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(free_port(), &dir.path().join("maildir"));
    let day = date!(2026 - 11 - 27);
    {
        let store = store(dir.path());
        estate(&store).await;
        let notifications = Notifications::new(Arc::clone(&store), smtp_settings(sink.port), None).unwrap();
        assert_eq!(notifications.reports().queue(day).await.unwrap(), 3, "alice, bob and the security team");
        assert_eq!(notifications.reports().queue(day).await.unwrap(), 0, "the same day again");
        notifications.courier().deliver_due(now()).await.unwrap();
    }
    {
        // A restart on the same day queues nothing; the next day queues again.
        let store = store(dir.path());
        let notifications = Notifications::new(Arc::clone(&store), smtp_settings(sink.port), None).unwrap();
        assert_eq!(notifications.reports().queue(day).await.unwrap(), 0);
        assert_eq!(notifications.reports().queue(day.next_day().unwrap()).await.unwrap(), 3);
    }
    let received = sink.received();
    assert_eq!(received.len(), 3);
    let mails: Vec<_> = received.iter().map(|raw| parse(raw)).collect();
    let to = |mail: &mail_parser::Message<'_>| addresses(mail.to());
    let alice = mails.iter().find(|m| to(m) == ["alice@example.com"]).unwrap();
    let bob = mails.iter().find(|m| to(m) == ["bob@example.com"]).unwrap();
    let team = mails.iter().find(|m| to(m) == ["sec@example.com"]).unwrap();
    assert_eq!(alice.subject(), Some("[monkey] Daily report 2026-11-27: 1 open issues, 1 unjustified"));
    assert_eq!(bob.subject(), Some("[monkey] Daily report 2026-11-27: 2 open issues, 2 unjustified"));
    assert_eq!(team.subject(), bob.subject());
    let text = bob.body_text(0).unwrap();
    assert!(
        text.contains("[10] prod gadget eu-west-1 <img src=x onerror=alert(1)>: Gadget <open> to the world port:22"),
        "{text}"
    );
    assert!(text.contains("[10] test gadget eu-west-1 test-web"), "{text}");
    assert!(!text.contains("justified:"), "justified issues are left out by default: {text}");
    let html = alice.body_html(0).unwrap();
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains(
        "https://monkey.example.com/items/gadget/111122223333/eu-west-1/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"
    ));
}

#[tokio::test]
async fn justified_issues_are_listed_when_asked_and_the_due_day_follows_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    estate(&store).await;
    let mut settings = smtp_settings(free_port());
    settings.daily_report.include_justified = true;
    settings.daily_report.hour = 8;
    settings.daily_report.minute = 30;
    let reports = DailyReports::new(Arc::clone(&store), Arc::new(settings), Default::default());
    let at = |text: &str| Timestamp::parse_rfc3339(text).unwrap();
    assert_eq!(reports.due_date(at("2026-11-27T08:29:59Z")), date!(2026 - 11 - 26));
    assert_eq!(reports.due_date(at("2026-11-27T08:30:00Z")), date!(2026 - 11 - 27));
    assert_eq!(reports.queue(date!(2026 - 11 - 27)).await.unwrap(), 3);
    let alice =
        store.outbox(10).await.unwrap().into_iter().find(|e| e.message.recipients == ["alice@example.com"]).unwrap();
    assert_eq!(alice.message.id, "daily/2026-11-27/alice@example.com");
    assert_eq!(alice.message.subject, "[monkey] Daily report 2026-11-27: 2 open issues, 1 unjustified");
    assert!(alice.message.text.contains("(justified by alice@example.com: a bastion)"), "{}", alice.message.text);
}
