//! Notification benchmarks: rendering a change mail and a daily report, and the outbox's
//! round trip through redb (queue, read due, record delivered; fsynced as in production).

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, Channel, Issue, IssueKey, ItemKey, OutboxEntry, Technology,
    Timestamp,
};
use monkey_core::notifier::{ChangedItem, Message, UnitChanges};
use monkey_core::store::{ChangeKind, Store};
use monkey_notify::DailyReport;
use monkey_notify::change_mail::ChangeMail;
use monkey_notify::daily_report::ReportedIssue;
use serde_json::json;
use std::hint::black_box;
use std::sync::Arc;

fn account() -> Account {
    Account::new(AccountName::parse("prod").expect("name"), AccountNumber::parse("123456789012").expect("number"))
}

fn key(i: usize) -> ItemKey {
    ItemKey::new(
        Technology::parse("securitygroup").expect("valid"),
        account().number,
        "us-east-1",
        format!("sg-{i:06}"),
    )
}

fn issue(i: usize) -> Issue {
    Issue {
        key: IssueKey { item: key(i), check: "securitygroup-ingress-open-to-world".into(), notes: format!("tcp:{i}") },
        score: (i % 10) as u32 + 1,
        category: Category::InternetAccessible,
        message: "Security group allows ingress from 0.0.0.0/0".into(),
        links: vec![],
        fixed: false,
        justification: None,
        first_seen: Timestamp::from_unix_nanos(0),
        last_seen: Timestamp::from_unix_nanos(0),
    }
}

/// A security group of 20 rules, one of them changed by `round`.
fn group(i: usize, round: usize) -> serde_json::Value {
    let rules: Vec<_> = (0..20)
        .map(|r| json!({"IpProtocol": "tcp", "FromPort": r + round * (r == 0) as usize, "ToPort": r, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}))
        .collect();
    json!({"GroupId": format!("sg-{i:06}"), "Description": "web", "IpPermissions": rules})
}

fn changes(items: usize) -> UnitChanges {
    UnitChanges {
        account: account(),
        technology: Technology::parse("securitygroup").expect("valid"),
        since: Timestamp::from_unix_nanos(0),
        items: (0..items)
            .map(|i| ChangedItem {
                key: key(i),
                kind: ChangeKind::Changed,
                old: Some(group(i, 0)),
                new: group(i, 1),
                new_issues: vec![issue(i)],
                fixed_issues: vec![],
                existing_issues: vec![issue(i + 1)],
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("notify");
    group.sample_size(20);
    for items in [10usize, 100] {
        let changes = changes(items);
        group.throughput(Throughput::Elements(items as u64));
        group.bench_with_input(BenchmarkId::new("change_mail", items), &changes, |b, changes| {
            b.iter(|| {
                let mail = ChangeMail { changes, base_url: Some("https://monkey.example.com") };
                black_box(mail.render("id", vec!["team@example.com".into()]))
            });
        });
    }
    let issues = 1_000usize;
    let report = DailyReport {
        date: time::macros::date!(2026 - 11 - 27),
        issues: (0..issues).map(|i| ReportedIssue { account: "prod".into(), issue: issue(i) }).collect(),
        base_url: Some("https://monkey.example.com".into()),
    };
    group.throughput(Throughput::Elements(issues as u64));
    group.bench_function(BenchmarkId::new("daily_report", issues), |b| {
        b.iter(|| black_box(report.render("daily", vec!["team@example.com".into()])));
    });

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store: Arc<dyn Store> =
        monkey_store::open(&format!("redb:{}", dir.path().join("bench").display())).expect("the store opens");
    let message = ChangeMail { changes: &changes(10), base_url: None }.render("x", vec!["team@example.com".into()]);
    let batch = 100usize;
    let mut round = 0usize;
    group.throughput(Throughput::Elements(batch as u64));
    group.bench_function(BenchmarkId::new("outbox_round_trip", batch), |b| {
        b.iter_batched(
            || {
                round += 1;
                (0..batch)
                    .map(|i| {
                        let message = Message { id: format!("{round}/{i}"), ..message.clone() };
                        OutboxEntry::new(message, Channel::Mail, Timestamp::from_unix_nanos(round as i128))
                    })
                    .collect::<Vec<_>>()
            },
            |entries| {
                runtime.block_on(async {
                    store.enqueue(&entries).await.expect("queued");
                    let due = store.outbox_due(Timestamp::from_unix_nanos(i128::MAX / 2), batch).await.expect("due");
                    for entry in due {
                        let at = entry.queued_at;
                        store.update_outbox(&entry.delivered(at)).await.expect("recorded");
                    }
                })
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
