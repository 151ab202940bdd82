//! Change detection over 10,000 and 100,000 security groups: all unchanged, and 1% changed.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use monkey_benches::fixtures;
use monkey_core::change::{EphemeralPaths, detect, hashes};
use monkey_core::diff::canonicalize;
use monkey_core::model::{AccountNumber, Item, ItemKey, RevisionId, Technology, Timestamp};
use monkey_core::watcher::{Slurp, SlurpedItem};
use serde_json::Value;
use std::hint::black_box;

struct Case {
    previous: Vec<Item>,
    slurp: Slurp,
}

fn case(count: usize, changed_every: Option<usize>, paths: &EphemeralPaths) -> Case {
    let technology = Technology::parse("securitygroup").expect("technology");
    let account = AccountNumber::parse("123456789012").expect("account");
    let template = fixtures::security_group(5);
    let mut previous = Vec::with_capacity(count);
    let mut items = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("sg-{i:08x}");
        let mut config = template.clone();
        config["GroupId"] = Value::String(name.clone());
        canonicalize(&mut config);
        let (durable_hash, complete_hash) = hashes(&config, paths);
        previous.push(Item {
            key: ItemKey::new(technology.clone(), account.clone(), "us-east-1", name.clone()),
            arn: None,
            latest_revision: RevisionId(i as u64),
            latest_revision_at: Timestamp::from_unix_nanos(0),
            active: true,
            durable_hash,
            complete_hash,
            score: 0,
            unjustified_score: 0,
        });
        if changed_every.is_some_and(|n| i % n == 0) {
            config["Description"] = Value::String("changed".into());
        }
        items.push(SlurpedItem { region: "us-east-1".into(), name, arn: None, config });
    }
    previous.sort_by(|a, b| (&a.key.region, &a.key.name).cmp(&(&b.key.region, &b.key.name)));
    Case { previous, slurp: Slurp { items, failures: vec![] } }
}

fn bench(c: &mut Criterion) {
    let technology = Technology::parse("securitygroup").expect("technology");
    let account = AccountNumber::parse("123456789012").expect("account");
    let paths = EphemeralPaths::parse(&["assigned_to"]).expect("paths");
    let mut group = c.benchmark_group("change_detection");
    group.sample_size(10);
    for count in [10_000usize, 100_000] {
        for (label, changed_every) in [("unchanged", None), ("1pct_changed", Some(100))] {
            let case = case(count, changed_every, &paths);
            group.bench_with_input(BenchmarkId::new(label, count), &case, |b, case| {
                b.iter_batched(
                    || case.slurp.clone(),
                    |slurp| {
                        black_box(detect(
                            &technology,
                            &account,
                            &case.previous,
                            slurp,
                            &paths,
                            Timestamp::from_unix_nanos(1),
                        ))
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
