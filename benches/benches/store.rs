//! Store benchmarks: redb (the default) against sled, on the two operations that matter most —
//! committing a watcher run's changeset of 1,000 items, and a filtered search over 10,000 items.
//!
//! Each commit is durable (fsynced) as in production, so the commit figures include the disk.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use monkey_core::model::{AccountNumber, Hash, ItemKey, Technology, Timestamp};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, ItemQuery, Store};
use serde_json::json;
use std::hint::black_box;
use std::sync::Arc;
use tokio::runtime::Runtime;

const BACKENDS: [&str; 2] = ["redb", "sled"];
const CHANGESET_ITEMS: usize = 1_000;
const SEARCH_ITEMS: usize = 10_000;
const TECHNOLOGIES: [&str; 4] = ["securitygroup", "s3", "iamrole", "elb"];
const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime")
}

fn open(backend: &str, dir: &tempfile::TempDir) -> Arc<dyn Store> {
    monkey_store::open(&format!("{backend}:{}", dir.path().join("bench").display())).expect("the store opens")
}

fn account(n: usize) -> AccountNumber {
    AccountNumber::parse(&format!("{:012}", 100_000_000_000 + n)).expect("12 digits")
}

fn at(seconds: usize) -> Timestamp {
    Timestamp::from_unix_nanos((1_700_000_000 + seconds as i128) * 1_000_000_000)
}

fn hash(a: usize, b: usize) -> Hash {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&(a as u64).to_be_bytes());
    bytes[8..16].copy_from_slice(&(b as u64).to_be_bytes());
    Hash(bytes)
}

fn item_key(account_n: usize, i: usize) -> ItemKey {
    ItemKey::new(
        Technology::parse(TECHNOLOGIES[i % TECHNOLOGIES.len()]).expect("valid"),
        account(account_n),
        REGIONS[(i / TECHNOLOGIES.len()) % REGIONS.len()],
        format!("resource-{i:05}"),
    )
}

/// A security-group-sized configuration (about 1 KiB of JSON).
fn config(i: usize, round: usize) -> serde_json::Value {
    let rules: Vec<_> = (0..8)
        .map(|r| {
            json!({
                "IpProtocol": "tcp",
                "FromPort": 1000 + r,
                "ToPort": 1000 + r,
                "CidrIp": format!("10.{round}.{r}.0/24"),
            })
        })
        .collect();
    json!({
        "GroupId": format!("sg-{i:08x}"),
        "Description": "benchmark",
        "VpcId": "vpc-1234",
        "IpPermissions": rules,
        "Tags": {"round": round},
    })
}

fn changeset(account_n: usize, count: usize, kind: ChangeKind, round: usize) -> Changeset {
    let changes = (0..count)
        .map(|i| ItemChange {
            key: item_key(account_n, i),
            arn: Some(format!("arn:aws:bench:::{account_n}/{i}")),
            kind,
            config: config(i, round),
            durable_hash: hash(i, round),
            complete_hash: hash(i, round),
        })
        .collect();
    Changeset { at: at(round), changes }
}

fn commit(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("store/commit_1000_items");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CHANGESET_ITEMS as u64));
    for backend in BACKENDS {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = open(backend, &dir);
        // Created: 1,000 new items each time, under a fresh account number.
        let mut round = 0;
        group.bench_function(BenchmarkId::new("created", backend), |b| {
            b.iter_batched(
                || {
                    round += 1;
                    changeset(round, CHANGESET_ITEMS, ChangeKind::Created, round)
                },
                |changes| rt.block_on(store.commit_changeset(&changes)).expect("commits"),
                BatchSize::PerIteration,
            );
        });
        // Changed: the same 1,000 items get a new revision each time.
        rt.block_on(store.commit_changeset(&changeset(0, CHANGESET_ITEMS, ChangeKind::Created, 0))).expect("commits");
        let mut round = 0;
        group.bench_function(BenchmarkId::new("changed", backend), |b| {
            b.iter_batched(
                || {
                    round += 1;
                    changeset(0, CHANGESET_ITEMS, ChangeKind::Changed, round)
                },
                |changes| rt.block_on(store.commit_changeset(&changes)).expect("commits"),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn search(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("store/search_10000_items");
    for backend in BACKENDS {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = open(backend, &dir);
        // 10 accounts of 1,000 items, every tenth item with a scored issue.
        let accounts = SEARCH_ITEMS / CHANGESET_ITEMS;
        for n in 0..accounts {
            let changes = changeset(n, CHANGESET_ITEMS, ChangeKind::Created, n);
            rt.block_on(store.commit_changeset(&changes)).expect("commits");
            let items = (0..CHANGESET_ITEMS)
                .step_by(10)
                .map(|i| {
                    let item = item_key(n, i);
                    let issue = monkey_core::model::Issue {
                        key: monkey_core::model::IssueKey {
                            item: item.clone(),
                            check: "bench-check".into(),
                            notes: String::new(),
                        },
                        score: (i % 30) as u32,
                        category: monkey_core::model::Category::InsecureConfiguration,
                        message: "found".into(),
                        links: Vec::new(),
                        fixed: false,
                        justification: None,
                        first_seen: at(n),
                        last_seen: at(n),
                    };
                    ItemAudit { item, issues: vec![issue] }
                })
                .collect();
            rt.block_on(store.commit_audit(&AuditCommit { at: at(n), items })).expect("audits");
        }
        let filtered = ItemQuery {
            accounts: vec![account(2), account(7)],
            technologies: vec![Technology::parse("s3").expect("valid"), Technology::parse("iamrole").expect("valid")],
            name_contains: Some("RESOURCE-00".into()),
            active: Some(true),
            limit: 50,
            ..ItemQuery::default()
        };
        let expected = rt.block_on(store.search(&filtered)).expect("searches");
        assert!(expected.total > 50, "the filtered query matches more than a page");
        group.bench_function(BenchmarkId::new("filtered_page_of_50", backend), |b| {
            b.iter(|| rt.block_on(store.search(black_box(&filtered))).expect("searches"));
        });
        let scored = ItemQuery { min_score: Some(20), offset: 50, limit: 50, ..ItemQuery::default() };
        group.bench_function(BenchmarkId::new("min_score_second_page", backend), |b| {
            b.iter(|| rt.block_on(store.search(black_box(&scored))).expect("searches"));
        });
        let first = ItemQuery { limit: 50, ..ItemQuery::default() };
        group.bench_function(BenchmarkId::new("unfiltered_first_page", backend), |b| {
            b.iter(|| rt.block_on(store.search(black_box(&first))).expect("searches"));
        });
    }
    group.finish();
}

criterion_group!(benches, commit, search);
criterion_main!(benches);
