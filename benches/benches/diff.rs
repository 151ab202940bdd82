//! Benchmarks of monkey-core's diff: realistic policies, security groups and buckets.
//!
//! Target: a 1,000-statement policy with 10 changed statements diffed (with its JSON Patch)
//! in under 1 ms on a 2-core machine.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use monkey_benches::fixtures;
use monkey_core::diff::{canonicalize, diff, unified};
use serde_json::Value;

/// The fixtures must be canonical (as stored) and their edits must be real changes.
fn check_fixtures() {
    let pairs = [
        (fixtures::iam_policy(1000), fixtures::change_statements(&fixtures::iam_policy(1000), 10)),
        (fixtures::security_group(500), fixtures::change_rules(&fixtures::security_group(500), 5)),
        (fixtures::s3_bucket(), fixtures::change_bucket(&fixtures::s3_bucket())),
    ];
    for (old, new) in &pairs {
        for value in [old, new] {
            let mut canonical = value.clone();
            canonicalize(&mut canonical);
            assert_eq!(&canonical, value, "fixture not in canonical form");
        }
        assert!(!diff(old, new).is_empty(), "fixture edit is no change");
    }
}

fn policies(c: &mut Criterion) {
    check_fixtures();
    let mut group = c.benchmark_group("policy_diff_patch");
    for statements in [10, 100, 1000] {
        let old = fixtures::iam_policy(statements);
        let mut counts = vec![(statements / 100).max(1), 10];
        counts.dedup();
        for changed in counts {
            let new = fixtures::change_statements(&old, changed);
            group.bench_with_input(
                BenchmarkId::new(format!("{statements}_statements"), format!("{changed}_changed")),
                &(&old, &new),
                |b, (old, new)| b.iter(|| diff(black_box(old), black_box(new)).to_json_patch()),
            );
        }
    }
    let old = fixtures::iam_policy(1000);
    let same = old.clone();
    group
        .bench_function("1000_statements/identical", |b| b.iter(|| diff(black_box(&old), black_box(&same)).is_empty()));
    group.finish();
}

fn renderings(c: &mut Criterion) {
    let old = fixtures::iam_policy(1000);
    let new = fixtures::change_statements(&old, 10);
    let mut group = c.benchmark_group("policy_render_1000_statements_10_changed");
    group.bench_function("diff_only", |b| b.iter(|| diff(black_box(&old), black_box(&new)).is_empty()));
    group.bench_function("html", |b| b.iter(|| diff(black_box(&old), black_box(&new)).to_html()));
    group.bench_function("ansi", |b| b.iter(|| diff(black_box(&old), black_box(&new)).to_ansi()));
    group.bench_function("unified", |b| b.iter(|| unified(black_box(&old), black_box(&new), 3)));
    group.finish();
}

fn canonical(c: &mut Criterion) {
    let mut group = c.benchmark_group("canonicalize_1000_statements");
    let mut policy = fixtures::iam_policy(1000);
    group.bench_function("already_canonical", |b| b.iter(|| canonicalize(black_box(&mut policy))));
    let text = Value::from(fixtures::iam_policy(1000).to_string());
    group.bench_function("json_text", |b| {
        b.iter_batched(
            || text.clone(),
            |mut value| {
                canonicalize(&mut value);
                value
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn other_configurations(c: &mut Criterion) {
    let mut group = c.benchmark_group("config_diff_patch");
    for (rules, changed) in [(5, 2), (500, 5)] {
        let old = fixtures::security_group(rules);
        let new = fixtures::change_rules(&old, changed);
        group.bench_with_input(
            BenchmarkId::new("security_group", format!("{rules}_rules_{changed}_changed")),
            &(&old, &new),
            |b, (old, new)| b.iter(|| diff(black_box(old), black_box(new)).to_json_patch()),
        );
    }
    let old = fixtures::s3_bucket();
    let new = fixtures::change_bucket(&old);
    group.bench_function("s3_bucket", |b| b.iter(|| diff(black_box(&old), black_box(&new)).to_json_patch()));
    group.bench_function("s3_bucket_html", |b| b.iter(|| diff(black_box(&old), black_box(&new)).to_html()));
    group.finish();
}

criterion_group!(benches, policies, renderings, canonical, other_configurations);
criterion_main!(benches);
