//! Item search and item view of `monkey serve` over a large store, timed from a real HTTP
//! client on loopback: latency percentiles per request kind.
//!
//! `cargo bench -p monkey-benches --bench web` generates (once, then reuses) a redb store of
//! 1,000,000 items with 2,000,000 revisions under the target dir, serves it with the real
//! router and asks it 1,000 times per kind. Target: p99 under 50 ms for search and item view.
//! `MONKEY_BENCH_ITEMS` changes the size. Run by `cargo test` (without `--bench`), it checks
//! the same path on 2,000 items in a temporary directory.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use monkey_benches::fixtures;
use monkey_core::diff::canonicalize;
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, Hash, Issue, IssueKey, ItemKey, Role, Technology, Timestamp, User,
};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, ItemChange, Store};
use monkey_web::{AppState, router};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 20;
const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
/// Items per committed changeset while generating.
const BATCH: usize = 5_000;

fn account(i: usize) -> AccountNumber {
    AccountNumber::parse(&format!("{:012}", 100_000_000_000 + i)).expect("account number")
}

/// The key of item `i`: technologies, accounts and regions spread evenly.
fn key(i: usize) -> ItemKey {
    let (technology, name) = match i % 3 {
        0 => ("securitygroup", format!("sg-web-tier-{i:07}")),
        1 => ("s3", format!("acme-assets-{i:07}")),
        _ => ("iamrole", format!("Service-Role-{i:07}")),
    };
    let technology = Technology::parse(technology).expect("technology");
    ItemKey::new(technology, account(i % ACCOUNTS), REGIONS[i % REGIONS.len()], name)
}

/// A realistic configuration of item `i` at `version` (1 or 2): 1–4 KB of JSON.
fn config(i: usize, version: usize, templates: &Templates) -> Value {
    let mut config = match i % 3 {
        0 => templates.group.clone(),
        1 => templates.bucket.clone(),
        _ => templates.role.clone(),
    };
    config["Name"] = json!(key(i).name);
    config["Version"] = json!(version);
    if version == 2 && i.is_multiple_of(3) {
        config["IpPermissions"][0]["IpRanges"] = json!([{"CidrIp": format!("10.{}.0.0/16", i % 250)}]);
    }
    canonicalize(&mut config);
    config
}

struct Templates {
    group: Value,
    bucket: Value,
    role: Value,
}

fn hash(config: &Value) -> Hash {
    Hash(*blake3::hash(config.to_string().as_bytes()).as_bytes())
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos(i128::from(1_780_000_000 + seconds) * 1_000_000_000)
}

/// Two revisions per item and an open issue on every tenth, committed in batches.
async fn generate(store: &dyn Store, items: usize) {
    let started = Instant::now();
    let templates = Templates {
        group: fixtures::security_group(8),
        bucket: fixtures::s3_bucket(),
        role: json!({"AssumeRolePolicyDocument": fixtures::iam_policy(3), "InlinePolicies": {"main": fixtures::iam_policy(6)}}),
    };
    for i in 0..ACCOUNTS {
        let name = AccountName::parse(&format!("account-{i:02}")).expect("account name");
        store.put_account(&Account::new(name, account(i))).await.expect("account");
    }
    for version in 1..=2 {
        for start in (0..items).step_by(BATCH) {
            let changes = (start..(start + BATCH).min(items))
                .map(|i| {
                    let config = config(i, version, &templates);
                    let hash = hash(&config);
                    let kind = if version == 1 { ChangeKind::Created } else { ChangeKind::Changed };
                    ItemChange { key: key(i), arn: None, kind, config, durable_hash: hash, complete_hash: hash }
                })
                .collect();
            let seconds = i64::try_from(version * items + start).expect("time");
            store.commit_changeset(&Changeset { at: at(seconds), changes }).await.expect("commit");
        }
        eprintln!("web: revision {version} of {items} items written after {:.0?}", started.elapsed());
    }
    for start in (0..items).step_by(BATCH * 10) {
        let audits = (start..(start + BATCH * 10).min(items))
            .step_by(10)
            .map(|i| {
                let item = key(i);
                let issue = Issue {
                    key: IssueKey {
                        item: item.clone(),
                        check: "bench-open-to-world".into(),
                        notes: "0.0.0.0/0".into(),
                    },
                    score: 10,
                    category: Category::InternetAccessible,
                    message: "Open to the world".into(),
                    links: Vec::new(),
                    fixed: false,
                    justification: None,
                    first_seen: at(0),
                    last_seen: at(0),
                };
                ItemAudit { item, issues: vec![issue] }
            })
            .collect();
        store.commit_audit(&AuditCommit { at: at(0), items: audits }).await.expect("audit");
    }
    eprintln!("web: {items} items generated in {:.1?}", started.elapsed());
}

/// Opens the store for `items`, generating it first unless a complete one is there.
async fn store(items: usize, dir: &std::path::Path) -> Arc<dyn Store> {
    let path = dir.join(format!("web-{items}.redb"));
    let done = dir.join(format!("web-{items}.done"));
    if !done.exists() {
        let _ = std::fs::remove_file(&path);
    }
    let opened = Instant::now();
    let store = monkey_store::open(&format!("redb:{}", path.display())).expect("store");
    eprintln!("web: store opened (item catalog loaded) in {:.1?}", opened.elapsed());
    if !done.exists() {
        generate(store.as_ref(), items).await;
        std::fs::write(&done, b"").expect("marker");
    }
    store
}

/// A keep-alive HTTP/1.1 connection with the API token.
struct Client {
    sender: SendRequest<Empty<Bytes>>,
    token: String,
}

impl Client {
    async fn connect(address: std::net::SocketAddr, token: String) -> Self {
        let stream = tokio::net::TcpStream::connect(address).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.expect("handshake");
        tokio::spawn(connection);
        Self { sender, token }
    }

    /// Time to the last byte of the answer to `GET path`, which must be a 200 with JSON.
    async fn get(&mut self, path: &str) -> (Duration, Value) {
        let request = hyper::Request::get(path)
            .header("host", "localhost")
            .header("authorization", format!("Bearer {}", self.token))
            .body(Empty::new())
            .expect("request");
        let started = Instant::now();
        self.sender.ready().await.expect("ready");
        let response = self.sender.send_request(request).await.expect("send");
        let status = response.status();
        let body = response.into_body().collect().await.expect("body").to_bytes();
        let elapsed = started.elapsed();
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        (elapsed, serde_json::from_slice(&body).expect("json"))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The request paths of one kind, `rounds` of them.
fn paths(kind: &str, items: usize, rounds: usize) -> Vec<String> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % (1 << 31)).unwrap_or(0)
    };
    (0..rounds)
        .map(|_| match kind {
            "search, first page" => "/api/1/items?count=25".to_owned(),
            "search, deep page" => format!("/api/1/items?count=25&page={}", 1 + next() % (items / 25).max(1)),
            "search by technology and account" => {
                let technology = ["s3", "securitygroup", "iamrole"][next() % 3];
                format!("/api/1/items?technologies={technology}&accounts=account-{:02}&count=25", next() % ACCOUNTS)
            }
            "search by name" => format!("/api/1/items?names={}&count=25", 1000 + next() % 9000),
            "search by score, active" => "/api/1/items?min_score=10&active=true&count=25".to_owned(),
            _ => {
                let key = key(next() % items);
                format!("/api/1/items/{}/{}/{}/{}", key.technology, key.account, key.region, key.name)
            }
        })
        .collect()
}

const KINDS: [&str; 6] = [
    "search, first page",
    "search, deep page",
    "search by technology and account",
    "search by name",
    "search by score, active",
    "item view",
];

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let items: usize = match std::env::var("MONKEY_BENCH_ITEMS") {
        Ok(n) => n.parse().expect("MONKEY_BENCH_ITEMS is a number"),
        Err(_) if bench => 1_000_000,
        Err(_) => 2_000,
    };
    let rounds = if bench { 1_000 } else { 20 };
    let scratch = tempfile::tempdir().expect("temp dir");
    let dir = if bench { PathBuf::from(env!("CARGO_TARGET_TMPDIR")) } else { scratch.path().to_owned() };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = store(items, &dir).await;
        let mut admin = User::new("bench@example.com", Role::Admin).expect("user");
        let (token, api_token) = monkey_web::auth::tokens::issue("bench", at(0)).expect("token");
        admin.api_tokens.push(api_token);
        store.put_user(&admin).await.expect("user");

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router(AppState::new(store))).await });
        let mut client = Client::connect(address, token).await;

        let (_, first) = client.get("/api/1/items?count=1").await;
        assert_eq!(first["total"], json!(items), "every item is counted");
        println!("| request ({items} items, {} revisions) | p50 | p95 | p99 | max |", 2 * items);
        println!("|---|---|---|---|---|");
        for kind in KINDS {
            let paths = paths(kind, items, rounds);
            for path in paths.iter().take(rounds / 10) {
                client.get(path).await; // warm-up
            }
            let mut times = Vec::with_capacity(rounds);
            for path in &paths {
                let (elapsed, body) = client.get(path).await;
                assert!(body.is_object(), "{path}");
                times.push(elapsed);
            }
            times.sort();
            let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
            println!(
                "| {kind} | {} | {} | {} | {} |",
                ms(percentile(&times, 50.0)),
                ms(percentile(&times, 95.0)),
                ms(percentile(&times, 99.0)),
                ms(times[times.len() - 1])
            );
        }
    });
}
