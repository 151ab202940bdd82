//! The Rust side of `benches/compare/run`: writes the shared inputs (diff pairs, a policy corpus,
//! a synthetic estate) and times monkey-core on them. Depends on monkey-core only, so it builds
//! in seconds.
//!
//! ```text
//! compare diff-inputs DIR               writes DIR/<input>.json, each {"old": ..., "new": ...}
//! compare diff-time DIR                 times monkey_core::diff on every DIR/*.json, JSON lines out
//! compare policy-corpus FILE            writes a varied corpus of policies (a JSON list)
//! compare policy-eval FILE ANSWERS      answers and times monkey_core::policy on the corpus
//! compare estate TEMPLATE OUT ACCOUNTS ITEMS   writes a replay recording of ACCOUNTS x ITEMS items
//! ```
//!
//! Timings are medians over samples of many iterations on inputs parsed beforehand, as the
//! Python side does with `timeit`. Run with `--test` (as `cargo test` does for bins) it does nothing.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use monkey_benches::fixtures;
use monkey_core::diff::diff;
use monkey_core::policy::Policy;
use serde_json::{Value, json};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str { args.get(i).map(String::as_str).unwrap_or_else(|| usage()) };
    match args.first().map(String::as_str) {
        Some("diff-inputs") => diff_inputs(Path::new(arg(1))),
        Some("diff-time") => diff_time(Path::new(arg(1))),
        Some("policy-corpus") => policy_corpus(Path::new(arg(1))),
        Some("policy-eval") => policy_eval(Path::new(arg(1)), Path::new(arg(2))),
        Some("estate") => estate(
            Path::new(arg(1)),
            Path::new(arg(2)),
            arg(3).parse().unwrap_or_else(|_| usage()),
            arg(4).parse().unwrap_or_else(|_| usage()),
        ),
        // `cargo test --all-targets` runs bins with the test harness off: nothing to do.
        _ if args.iter().any(|a| a.starts_with("--")) => {}
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: compare diff-inputs DIR | diff-time DIR | policy-corpus FILE | policy-eval FILE ANSWERS | estate TEMPLATE OUT ACCOUNTS ITEMS"
    );
    std::process::exit(2)
}

/// Median nanoseconds per call of `f`: samples of enough iterations to last ~20 ms each, for
/// about `budget` in all.
fn median_ns(budget: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut iterations = 1u64;
    loop {
        let at = Instant::now();
        for _ in 0..iterations {
            f();
        }
        if at.elapsed() >= Duration::from_millis(20) || iterations >= 1 << 30 {
            break;
        }
        iterations *= 2;
    }
    let mut samples = Vec::new();
    while samples.len() < 7 || (start.elapsed() < budget && samples.len() < 200) {
        let at = Instant::now();
        for _ in 0..iterations {
            f();
        }
        samples.push(at.elapsed().as_nanos() as f64 / iterations as f64);
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

// ---------------------------------------------------------------------------------------------
// Diffing

/// The inputs: name, old, new, what changed.
fn diff_pairs() -> Vec<(&'static str, Value, Value, &'static str)> {
    let mut pairs = Vec::new();
    for (name, statements, changed, what) in [
        ("iam_policy_10", 10, 1, "10 statements, 1 changed"),
        ("iam_policy_100", 100, 10, "100 statements, 10 changed"),
        ("iam_policy_1000", 1000, 10, "1,000 statements, 10 changed"),
    ] {
        let old = fixtures::iam_policy(statements);
        let new = fixtures::change_statements(&old, changed);
        pairs.push((name, old, new, what));
    }
    for (name, rules, changed, what) in
        [("security_group_5", 5, 2, "5 rules, 2 changed"), ("security_group_500", 500, 5, "500 rules, 5 changed")]
    {
        let old = fixtures::security_group(rules);
        let new = fixtures::change_rules(&old, changed);
        pairs.push((name, old, new, what));
    }
    let old = fixtures::s3_bucket();
    let new = fixtures::change_bucket(&old);
    pairs.push(("s3_bucket", old, new, "full configuration, 5 settings changed"));
    pairs
}

fn diff_inputs(dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the diff input directory");
    for (name, old, new, what) in diff_pairs() {
        let file = dir.join(format!("{name}.json"));
        let body = json!({"name": name, "what": what, "old": old, "new": new});
        std::fs::write(&file, serde_json::to_vec(&body).expect("serialise")).expect("write a diff input");
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the input directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// One JSON line per input: `{"input", "diff_ns", "diff_patch_ns", "patch_ops"}`.
fn diff_time(dir: &Path) {
    for file in json_files(dir) {
        let pair: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("parse");
        let (old, new) = (&pair["old"], &pair["new"]);
        let patch = diff(old, new).to_json_patch();
        let ops = patch.as_array().map_or(0, Vec::len);
        assert!(ops > 0, "{}: no change found", file.display());
        let diff_ns = median_ns(Duration::from_secs(2), || {
            black_box(diff(black_box(old), black_box(new)).is_empty());
        });
        let diff_patch_ns = median_ns(Duration::from_secs(2), || {
            black_box(diff(black_box(old), black_box(new)).to_json_patch());
        });
        println!(
            "{}",
            json!({"input": pair["name"], "diff_ns": diff_ns, "diff_patch_ns": diff_patch_ns, "patch_ops": ops})
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Policies

const OTHER_ACCOUNT: &str = "999988887777";
const OWN_ACCOUNT: &str = "123456789012";

/// The principal forms of the corpus (`None`: an identity policy, no principal).
fn principals() -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("none", None),
        ("star", Some(json!("*"))),
        ("aws_star", Some(json!({"AWS": "*"}))),
        ("aws_star_list", Some(json!({"AWS": ["*"]}))),
        ("account", Some(json!({"AWS": OTHER_ACCOUNT}))),
        ("root_arn", Some(json!({"AWS": format!("arn:aws:iam::{OTHER_ACCOUNT}:root")}))),
        ("role_arn", Some(json!({"AWS": format!("arn:aws:iam::{OWN_ACCOUNT}:role/deploy")}))),
        ("arns_and_account", Some(json!({"AWS": [format!("arn:aws:iam::{OWN_ACCOUNT}:user/alice"), OTHER_ACCOUNT]}))),
        ("wildcard_account_arn", Some(json!({"AWS": "arn:aws:iam::*:root"}))),
        ("service", Some(json!({"Service": "cloudtrail.amazonaws.com"}))),
        ("services", Some(json!({"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]}))),
        ("federated", Some(json!({"Federated": "cognito-identity.amazonaws.com"}))),
        ("saml", Some(json!({"Federated": format!("arn:aws:iam::{OWN_ACCOUNT}:saml-provider/okta")}))),
        (
            "canonical",
            Some(json!({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})),
        ),
        ("deleted_principal", Some(json!({"AWS": "AROAJQABLZS4A3QDU576Q"}))),
        ("star_and_service", Some(json!({"AWS": "*", "Service": "s3.amazonaws.com"}))),
    ]
}

/// The condition forms of the corpus.
fn conditions() -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("none", None),
        ("source_ip", Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        ("source_ips", Some(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}))),
        ("source_ip_world", Some(json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))),
        ("not_source_ip", Some(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        ("source_vpc", Some(json!({"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}))),
        ("source_vpce", Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))),
        ("source_vpce_wildcard", Some(json!({"StringLike": {"aws:SourceVpce": "vpce-*"}}))),
        ("source_vpce_if_exists", Some(json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))),
        ("source_vpce_not", Some(json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))),
        ("org_id", Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))),
        ("org_id_wildcard", Some(json!({"StringLike": {"aws:PrincipalOrgID": "o-*"}}))),
        ("org_paths", Some(json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}}))),
        ("source_account", Some(json!({"StringEquals": {"aws:SourceAccount": OWN_ACCOUNT}}))),
        ("source_owner", Some(json!({"StringEquals": {"aws:SourceOwner": OWN_ACCOUNT}}))),
        (
            "source_arn",
            Some(json!({"ArnLike": {"aws:SourceArn": format!("arn:aws:sns:us-east-1:{OWN_ACCOUNT}:alerts")}})),
        ),
        ("source_arn_upper", Some(json!({"ArnEquals": {"AWS:SourceArn": "arn:aws:s3:::acme-logs"}}))),
        ("source_arn_wildcard_account", Some(json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:alerts"}}))),
        ("source_arn_s3_star", Some(json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}))),
        (
            "principal_arn",
            Some(json!({"ArnLike": {"aws:PrincipalArn": format!("arn:aws:iam::{OWN_ACCOUNT}:role/ci-*")}})),
        ),
        ("userid", Some(json!({"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}))),
        ("secure_transport", Some(json!({"Bool": {"aws:SecureTransport": "true"}}))),
        ("mfa", Some(json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}))),
        ("external_id", Some(json!({"StringEquals": {"sts:ExternalId": "acme-42"}}))),
        (
            "vpce_and_ip",
            Some(
                json!({"StringEquals": {"aws:SourceVpce": "vpce-9z8y7x6w"}, "IpAddress": {"aws:SourceIp": "192.168.0.0/16"}}),
            ),
        ),
        ("kms_caller", Some(json!({"StringEquals": {"kms:CallerAccount": OWN_ACCOUNT}}))),
    ]
}

/// A corpus of policies: single statements over every principal and condition form, Allow
/// and Deny, NotPrincipal, pairs of an open Allow with a Deny, and malformed documents.
fn corpus() -> Vec<Value> {
    let mut policies = Vec::new();
    let actions = [json!("s3:GetObject"), json!(["s3:GetObject", "s3:PutObject"]), json!("*"), json!("sqs:*")];
    let resources =
        [json!("arn:aws:s3:::acme-data/*"), json!("*"), json!(["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"])];
    let mut n = 0usize;
    for (_, principal) in principals() {
        for (_, condition) in conditions() {
            let mut statement = serde_json::Map::new();
            statement.insert("Effect".into(), json!(if n % 13 == 12 { "Deny" } else { "Allow" }));
            if let Some(principal) = &principal {
                statement.insert("Principal".into(), principal.clone());
            }
            statement.insert("Action".into(), actions[n % actions.len()].clone());
            statement.insert("Resource".into(), resources[n % resources.len()].clone());
            if let Some(condition) = &condition {
                statement.insert("Condition".into(), condition.clone());
            }
            // Alternate the spellings IAM accepts: a lone statement, a list, JSON text.
            let document = match n % 5 {
                0 => json!({"Version": "2012-10-17", "Statement": Value::Object(statement)}),
                3 => Value::from(json!({"Version": "2012-10-17", "Statement": [Value::Object(statement)]}).to_string()),
                _ => json!({"Version": "2012-10-17", "Statement": [Value::Object(statement)]}),
            };
            policies.push(document);
            n += 1;
        }
    }
    // NotPrincipal: everyone but the named.
    for (_, condition) in conditions().into_iter().step_by(3) {
        let mut statement = json!({
            "Effect": "Allow",
            "NotPrincipal": {"AWS": format!("arn:aws:iam::{OWN_ACCOUNT}:user/mallory")},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::acme-data/*"
        });
        if let Some(condition) = condition {
            statement["Condition"] = condition;
        }
        policies.push(json!({"Version": "2012-10-17", "Statement": [statement]}));
    }
    // An open Allow with a Deny beside it: some take it back, some do not.
    let denies = [
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}),
        json!({"Effect": "Deny", "Principal": {"AWS": OTHER_ACCOUNT}, "Action": "*", "Resource": "*"}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::other/*", "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}}),
    ];
    let opens = [
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*"}),
        json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"]}),
        json!({"Effect": "Allow", "Principal": "*", "NotAction": "s3:DeleteObject", "Resource": "*"}),
    ];
    for deny in &denies {
        for open in &opens {
            policies.push(json!({"Version": "2012-10-17", "Statement": [open, deny]}));
        }
    }
    // Several statements: a bucket policy of a realistic shape, and big identity policies.
    policies.push(fixtures::s3_bucket()["Policy"].clone());
    policies.push(fixtures::change_bucket(&fixtures::s3_bucket())["Policy"].clone());
    for statements in [5, 20, 50] {
        policies.push(fixtures::iam_policy(statements));
    }
    // Malformed documents.
    policies.extend([
        json!({}),
        json!({"Version": "2012-10-17"}),
        json!({"Statement": []}),
        json!({"Statement": "not a statement"}),
        json!({"Statement": [{"Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": 42, "Action": "s3:GetObject", "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": 42}, "Action": "s3:GetObject"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {"Martian": "x"}, "Action": "s3:GetObject"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": "x"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": "x"}}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:SourceVpc": 7}}}]}),
        json!({"Statement": [{"Effect": "allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": "", "Action": "s3:GetObject", "Resource": "*"}]}),
        json!("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\""),
        json!("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22%2A%22%2C%22Action%22%3A%22s3%3AGetObject%22%7D%5D%7D"),
        json!([{"Effect": "Allow", "Principal": "*"}]),
        json!(null),
    ]);
    policies
}

/// Writes the corpus to `file`, and realistic large policies (bucket policies and identity
/// policies of 5 to 100 statements) to `file` with `-large` before its extension.
fn policy_corpus(file: &Path) {
    std::fs::write(file, serde_json::to_vec_pretty(&corpus()).expect("serialise")).expect("write the corpus");
    let mut large = vec![
        fixtures::s3_bucket()["Policy"].clone(),
        fixtures::change_bucket(&fixtures::s3_bucket())["Policy"].clone(),
    ];
    large.extend((1..=20).map(|k| fixtures::iam_policy(5 * k)));
    std::fs::write(large_corpus(file), serde_json::to_vec_pretty(&large).expect("serialise"))
        .expect("write the large corpus");
}

/// `policies.json` -> `policies-large.json`.
fn large_corpus(file: &Path) -> PathBuf {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("policies");
    file.with_file_name(format!("{stem}-large.json"))
}

/// Our answer for one policy: `{"error"}` or `{"internet", "who"}`.
fn answer(document: &Value) -> Value {
    match Policy::parse(document) {
        Err(error) => json!({"error": error.to_string()}),
        Ok(policy) => {
            let who: Vec<String> = policy.whos_allowed().iter().map(ToString::to_string).collect();
            json!({"internet": policy.is_internet_accessible(), "who": who})
        }
    }
}

/// Writes our answers to ANSWERS and prints the time per policy (parse, internet
/// accessibility and who is allowed), as one JSON line.
fn policy_eval(file: &Path, answers: &Path) {
    let policies: Vec<Value> = serde_json::from_slice(&std::fs::read(file).expect("read")).expect("parse");
    let ours: Vec<Value> = policies.iter().map(answer).collect();
    std::fs::write(answers, serde_json::to_vec_pretty(&ours).expect("serialise")).expect("write answers");
    let per_corpus = median_ns(Duration::from_secs(3), || {
        for document in &policies {
            if let Ok(policy) = Policy::parse(black_box(document)) {
                black_box(policy.is_internet_accessible());
                black_box(policy.whos_allowed());
            }
        }
    });
    let borrowed = median_ns(Duration::from_secs(3), || {
        for document in &policies {
            if let Ok(policy) = Policy::parse_borrowed(black_box(document)) {
                black_box(policy.is_internet_accessible());
                black_box(policy.whos_allowed());
            }
        }
    });
    println!(
        "{}",
        json!({"policies": policies.len(), "ns_per_policy": per_corpus / policies.len() as f64,
               "ns_per_policy_borrowed": borrowed / policies.len() as f64})
    );
}

// ---------------------------------------------------------------------------------------------
// The synthetic estate

/// Share of an account's items per technology (the rest of the recorded technologies get one
/// item per template each). Roughly a large AWS account: many volumes, snapshots, instances and
/// security groups, then roles, policies and buckets.
const WEIGHTS: [(&str, u32); 12] = [
    ("ebssnapshot", 20),
    ("ebsvolume", 16),
    ("ec2instance", 14),
    ("securitygroup", 14),
    ("iamrole", 8),
    ("policy", 8),
    ("s3", 6),
    ("networkacl", 3),
    ("routetable", 3),
    ("subnet", 3),
    ("iamuser", 3),
    ("ec2image", 2),
];

/// Writes a replay recording of `accounts` accounts of about `items` items each to `out`,
/// from the recorded estate in `template` (`<account>/<technology>.json`): every item a
/// recorded one with its ids, names and account renamed, security groups and managed policies
/// grown with the benchmark fixtures' rules and statements.
fn estate(template: &Path, out: &Path, accounts: usize, items: usize) {
    let account_dir = std::fs::read_dir(template)
        .expect("read the template recording")
        .map(|e| e.expect("entry").path())
        .find(|p| p.is_dir())
        .expect("a template account directory");
    let template_account = account_dir.file_name().and_then(|n| n.to_str()).expect("account name").to_owned();
    let mut templates: Vec<(String, Vec<Value>)> = Vec::new();
    for file in json_files(&account_dir) {
        let technology = file.file_stem().and_then(|s| s.to_str()).expect("technology").to_owned();
        let slurp: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("parse");
        let list = slurp["items"].as_array().cloned().unwrap_or_default();
        if !list.is_empty() {
            templates.push((technology, list));
        }
    }
    let total_weight: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
    let weighted_items: usize = items.saturating_sub(templates.len());
    let _ = std::fs::remove_dir_all(out);
    let mut written = 0usize;
    for a in 0..accounts {
        let account = format!("{:012}", 200_000_000_000u64 + a as u64);
        let dir = out.join(&account);
        std::fs::create_dir_all(&dir).expect("create the account directory");
        for (technology, list) in &templates {
            let count = match WEIGHTS.iter().find(|(t, _)| t == technology) {
                Some((_, w)) => (weighted_items * *w as usize / total_weight as usize).max(list.len()),
                None => list.len(),
            };
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{technology}.json"))).expect("create"));
            use std::io::Write;
            file.write_all(b"{\"failures\": [], \"items\": [").expect("write");
            for k in 0..count {
                let template = &list[k % list.len()];
                let item = synthetic_item(technology, template, &template_account, &account, k);
                if k > 0 {
                    file.write_all(b",\n").expect("write");
                }
                serde_json::to_writer(&mut file, &item).expect("write an item");
            }
            file.write_all(b"]}\n").expect("write");
            written += count;
        }
    }
    println!("{}", json!({"accounts": accounts, "items": written, "out": out}));
}

/// Item `k` of `technology`: `template` renamed apart (its name and every id in it suffixed
/// with `k`), moved to `account`, and for security groups and managed policies grown with the
/// fixtures' rules and statements so that sizes vary as in a real account.
fn synthetic_item(technology: &str, template: &Value, from: &str, account: &str, k: usize) -> Value {
    let name = template["name"].as_str().unwrap_or("item");
    let suffix = format!("-{k:06}");
    let mut text = template.to_string().replace(from, account);
    // Rename the item and the ids it carries (`sg-...`, `vol-...`, `i-...`), so each is unique.
    let own_ids: Vec<String> = name
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .filter(|part| part.len() > 3)
        .map(str::to_owned)
        .collect();
    for id in own_ids {
        text = text
            .replace(&format!("\"{id}"), &format!("\"{id}{suffix}"))
            .replace(&format!("/{id}"), &format!("/{id}{suffix}"));
        text = text
            .replace(&format!("({id}"), &format!("({id}{suffix}"))
            .replace(&format!(":{id}"), &format!(":{id}{suffix}"));
    }
    let mut item: Value = serde_json::from_str(&text).expect("a renamed item is JSON");
    if item["name"].as_str() == Some(name) {
        item["name"] = Value::from(format!("{name}{suffix}"));
    }
    match technology {
        "securitygroup" if k.is_multiple_of(4) => {
            let rules = fixtures::security_group(1 + k % 12)["IpPermissions"].clone();
            if let Some(config) = item.get_mut("config") {
                config["IpPermissions"] = rules;
            }
        }
        "policy" if k.is_multiple_of(3) => {
            if let Some(config) = item.get_mut("config") {
                config["Document"] = fixtures::iam_policy(1 + k % 25);
            }
        }
        _ => {}
    }
    item
}
