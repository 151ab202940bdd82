//! Auditing 100,000 items with every built-in check: security groups, S3 buckets, and the
//! recorded moto estate (every technology) replicated, one core, through the audit engine.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use monkey_auditors as _; // links the built-in auditors into the registry
use monkey_benches::fixtures;
use monkey_core::audit::{AuditEngine, Environment};
use monkey_core::auditor::{AuditContext, AuditedItem, Auditor, SupportItem, registered_auditors};
use monkey_core::diff::canonicalize;
use monkey_core::model::{Account, AccountName, AccountNumber, ItemKey, NetworkWhitelistEntry, Technology, Timestamp};
use serde_json::{Value, json};
use std::hint::black_box;
use std::sync::Arc;

const COUNT: usize = 100_000;

struct Case {
    items: Vec<(ItemKey, Value)>,
    contexts: Vec<(Technology, AuditContext)>,
}

fn account() -> AccountNumber {
    AccountNumber::parse(fixtures::ACCOUNT).expect("account")
}

fn environment() -> Arc<Environment> {
    let mut friendly = Account::new(
        AccountName::parse("friend").expect("name"),
        AccountNumber::parse("222222222222").expect("number"),
    );
    friendly.canonical_id = Some("a".repeat(64));
    let mut vendor = Account::new(
        AccountName::parse("vendor").expect("name"),
        AccountNumber::parse("333333333333").expect("number"),
    );
    vendor.third_party = true;
    let ours = Account::new(AccountName::parse("prod").expect("name"), account());
    let office = NetworkWhitelistEntry::new("office", "10.0.0.0/8", "").expect("cidr");
    Arc::new(Environment::new(vec![ours, friendly, vendor], vec![office]))
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-06-01T00:00:00Z").expect("time")
}

/// `COUNT` copies of `template` with distinct names; every tenth opened to the world.
fn replicated(technology: &str, template: Value, vary: fn(&mut Value, usize)) -> Case {
    let technology = Technology::parse(technology).expect("technology");
    let items = (0..COUNT)
        .map(|i| {
            let mut config = template.clone();
            vary(&mut config, i);
            canonicalize(&mut config);
            (ItemKey::new(technology.clone(), account(), "us-east-1", format!("item-{i:06}")), config)
        })
        .collect();
    let ctx = AuditContext::new(environment(), now());
    Case { items, contexts: vec![(technology, ctx)] }
}

fn security_groups() -> Case {
    replicated("securitygroup", fixtures::security_group(5), |config, i| {
        config["GroupId"] = json!(format!("sg-{i:017x}"));
        config["assigned_to"] = json!([{"NetworkInterfaceId": format!("eni-{i:x}"), "InstanceId": format!("i-{i:x}")}]);
        if i % 10 == 0 {
            config["IpPermissions"][0]["IpRanges"] = json!([{"CidrIp": "0.0.0.0/0"}]);
        }
    })
}

fn buckets() -> Case {
    replicated("s3", fixtures::s3_bucket(), |config, i| {
        config["Name"] = json!(format!("bucket-{i:06}"));
        if i % 10 == 0 {
            // Open to the world: anyone may read through the policy and the ACL, and Block
            // Public Access does not stop it.
            config["Policy"]["Statement"][1]["Principal"] = json!("*");
            if let Some(statement) = config["Policy"]["Statement"][1].as_object_mut() {
                statement.remove("Condition");
            }
            if let Some(grants) = config["Grants"].as_array_mut() {
                let everyone = json!({"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"});
                grants.push(json!({"Grantee": everyone, "Permission": "READ"}));
            }
            config["PublicAccessBlock"] = json!({"BlockPublicAcls": false, "IgnorePublicAcls": false,
                                                 "BlockPublicPolicy": false, "RestrictPublicBuckets": false});
        }
    })
}

/// The recorded moto estate (every technology, risky and safe items) replicated to `COUNT`.
fn estate() -> Case {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/estate/recording/111122223333");
    let mut recorded: Vec<(Technology, Value)> = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the estate recording") {
        let path = entry.expect("entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        let technology = Technology::parse(stem).expect("technology");
        let slurp: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        for item in slurp["items"].as_array().into_iter().flatten() {
            let mut config = item["config"].clone();
            canonicalize(&mut config);
            recorded.push((technology.clone(), config));
        }
    }
    recorded.sort_by(|a, b| a.0.cmp(&b.0));
    let engine = AuditEngine::registered();
    let mut contexts = Vec::new();
    let technologies: std::collections::BTreeSet<Technology> = recorded.iter().map(|(t, _)| t.clone()).collect();
    for technology in technologies {
        let support_technologies = engine.support_of(technology.as_str());
        let support: Vec<SupportItem> = recorded
            .iter()
            .enumerate()
            .filter(|(_, (t, _))| support_technologies.contains(&t.as_str()))
            .map(|(i, (t, config))| SupportItem {
                key: ItemKey::new(t.clone(), account(), "us-east-1", format!("support-{i}")),
                config: config.clone(),
            })
            .collect();
        contexts.push((technology, AuditContext::new(environment(), now()).with_support(support)));
    }
    let items = (0..COUNT)
        .map(|i| {
            let (technology, config) = &recorded[i % recorded.len()];
            (ItemKey::new(technology.clone(), account(), "us-east-1", format!("item-{i:06}")), config.clone())
        })
        .collect();
    Case { items, contexts }
}

/// Builds one bench case (lazily: each case holds 100,000 items).
type Fixture = fn() -> Case;

async fn audit_all(engine: &AuditEngine, case: &Case) -> usize {
    let mut issues = 0;
    for (key, config) in &case.items {
        let ctx =
            case.contexts.iter().find(|(t, _)| t == &key.technology).map(|(_, c)| c).unwrap_or(&case.contexts[0].1);
        let item = AuditedItem { key, arn: None, config };
        issues += engine.audit_item(&item, Vec::new(), ctx).await.reconciled.issues.len();
    }
    issues
}

/// The auditors alone, without scoring and the issue lifecycle: the engine's share is the rest.
async fn checks_only(auditors: &[Box<dyn Auditor>], case: &Case) -> usize {
    let mut findings = 0;
    for (key, config) in &case.items {
        let ctx =
            case.contexts.iter().find(|(t, _)| t == &key.technology).map(|(_, c)| c).unwrap_or(&case.contexts[0].1);
        let item = AuditedItem { key, arn: None, config };
        for auditor in auditors.iter().filter(|a| a.technology() == key.technology.as_str()) {
            findings += auditor.audit(&item, ctx).await.map_or(0, |f| f.len());
        }
    }
    findings
}

fn bench(c: &mut Criterion) {
    let engine = AuditEngine::registered();
    let auditors = registered_auditors();
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    group.throughput(Throughput::Elements(COUNT as u64));
    let cases: [(&str, Fixture); 3] = [("securitygroup", security_groups), ("s3", buckets), ("estate_mix", estate)];
    for (label, build) in cases {
        let case = build();
        let found = runtime.block_on(audit_all(&engine, &case));
        eprintln!("audit/{label}: {found} issues over {COUNT} items");
        group.bench_with_input(BenchmarkId::new(label, COUNT), &case, |b, case| {
            b.iter(|| black_box(runtime.block_on(audit_all(&engine, case))));
        });
        group.bench_with_input(BenchmarkId::new(format!("{label}_checks_only"), COUNT), &case, |b, case| {
            b.iter(|| black_box(runtime.block_on(checks_only(&auditors, case))));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
