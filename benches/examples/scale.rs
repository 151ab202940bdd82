//! The scale run of `benches/compare/run`: a recording (from `compare estate`) played through
//! replay watchers into the engine, every (account, technology) one unit of work: slurp,
//! change detection, store commit, audit by every built-in check, audit commit. Run it under
//! `/usr/bin/time -v` for peak memory.
//!
//! ```text
//! scale RECORDING STORE_PATH [PASSES]
//! ```
//!
//! Prints one JSON line per pass: items, units, seconds, items per second, issues opened.
//! The first pass finds every item new; a second one replays the same recording (nothing
//! changed: detection by hash only).
//!
//! With `SCALE_PHASES=1` it runs one unit at a time through the same public steps the engine
//! takes (slurp, load the stored items, detect, audit the changes in hand, commit them with
//! their audit, re-audit the technologies that read the unit's) and prints the seconds spent in
//! each: where the time goes. The audit inputs are loaded once, as the engine keeps them.

#[global_allocator]
static ALLOCATOR: monkey_benches::Allocator = monkey_benches::Allocator;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use monkey_auditors as _; // linked for its inventory registrations: every built-in check runs
use monkey_core::audit::{AuditEngine, AuditInputs, audit_stored, audit_unit_changes};
use monkey_core::change::{EphemeralPaths, detect};
use monkey_core::engine::Monkey;
use monkey_core::model::{Account, AccountName, RunOutcome, Technology, now};
use monkey_core::watcher::{WatchContext, Watcher};
use monkey_watchers::{ReplayWatcher, recording_contents};
use serde_json::json;

#[tokio::main]
async fn main() {
    // As the `monkey` binary does.
    monkey_alloc::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a.starts_with("--")) || args.len() < 2 {
        // `cargo test --all-targets` runs examples' tests only when asked; nothing to do here.
        eprintln!("usage: scale RECORDING STORE_PATH [PASSES]");
        return;
    }
    let recording = PathBuf::from(&args[0]);
    let store_path = PathBuf::from(&args[1]);
    let passes: usize = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(1);
    let units = std::env::var("SCALE_UNITS").is_ok_and(|v| v == "1");
    let concurrency: usize = std::env::var("SCALE_CONCURRENCY").ok().and_then(|c| c.parse().ok()).unwrap_or(4);

    let contents = recording_contents(&recording).expect("read the recording");
    let _ = std::fs::remove_file(&store_path);
    let store = monkey_store::open(&format!("redb:{}", store_path.display())).expect("open the store");
    let mut accounts = Vec::new();
    let mut technologies = Vec::new();
    for (number, technology) in &contents {
        if !accounts.iter().any(|a: &Account| &a.number == number) {
            let account = Account::new(AccountName::parse(&format!("a{number}")).expect("name"), number.clone());
            store.put_account(&account).await.expect("put account");
            accounts.push(account);
        }
        if !technologies.contains(technology) {
            technologies.push(technology.clone());
        }
    }
    if std::env::var("SCALE_PHASES").is_ok_and(|v| v == "1") {
        let engine = AuditEngine::registered();
        let mut spent = [0f64; 6];
        let (mut items, mut issues) = (0usize, 0usize);
        let start = Instant::now();
        let mut inputs = None;
        let mut stages = engine.collection_stages(&technologies);
        stages.sort();
        for (_, technology) in stages {
            for account in &accounts {
                let watcher = ReplayWatcher::new(technology.clone(), &recording);
                let mut at = Instant::now();
                let mut lap = |phase: usize, at: &mut Instant| {
                    spent[phase] += at.elapsed().as_secs_f64();
                    *at = Instant::now();
                };
                let slurp = watcher.slurp(&WatchContext::new(account.clone())).await;
                items += slurp.items.len();
                lap(0, &mut at);
                let previous = store.items_of(&account.number, &technology).await.expect("items_of");
                lap(1, &mut at);
                let detection = detect(&technology, &account.number, &previous, slurp, &EphemeralPaths::none(), now());
                lap(2, &mut at);
                if inputs.is_none() {
                    inputs = Some(AuditInputs::load(store.as_ref()).await.expect("audit inputs"));
                }
                let inputs = inputs.as_ref().expect("loaded above");
                let stored = store.issues_of(&account.number, &technology).await.expect("issues_of");
                let (commit, audit) = audit_unit_changes(store.as_ref(), &engine, inputs, &detection.changeset, stored)
                    .await
                    .expect("audit");
                issues += audit.transitions.len();
                lap(3, &mut at);
                store.commit_audited(&detection.changeset, &commit).await.expect("commit");
                lap(4, &mut at);
                for dependant in engine.dependants(technology.as_str()) {
                    let dependant = Technology::parse(dependant).expect("technology");
                    let (commit, audit) =
                        audit_stored(store.as_ref(), &engine, inputs, &account.number, &dependant, None, now())
                            .await
                            .expect("re-audit");
                    store.commit_audit(&commit).await.expect("commit the re-audit");
                    issues += audit.transitions.len();
                }
                lap(5, &mut at);
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({"phases": {"slurp (read + parse the recording)": spent[0], "load stored items": spent[1],
                              "change detection": spent[2], "audit the changes": spent[3],
                              "commit changes with their audit": spent[4], "re-audit dependants": spent[5]},
                   "items": items, "issue_transitions": issues, "seconds": seconds, "items_per_second": items as f64 / seconds})
        );
        return;
    }
    let watchers: Vec<Arc<dyn Watcher>> =
        technologies.iter().map(|t| Arc::new(ReplayWatcher::new(t.clone(), &recording)) as Arc<dyn Watcher>).collect();
    let monkey = Arc::new(Monkey::builder(Arc::clone(&store)).watchers(watchers).build().expect("assemble the engine"));

    for pass in 1..=passes {
        let start = Instant::now();
        let results = monkey
            .find_changes(&accounts, &[], concurrency, &|result| {
                if let (true, Ok(run)) = (units, result) {
                    let took =
                        run.finished_at.map_or(0.0, |f| (f.unix_nanos() - run.started_at.unix_nanos()) as f64 / 1e9);
                    eprintln!(
                        "{:7.2}s  {} {:<20} {:>7} items in {took:6.2}s",
                        start.elapsed().as_secs_f64(),
                        run.account,
                        run.technology,
                        run.items
                    );
                }
            })
            .await;
        let seconds = start.elapsed().as_secs_f64();
        let (mut items, mut created, mut changed, mut issues, mut failed) = (0, 0, 0, 0, 0);
        for result in &results {
            match result {
                Ok(run) => {
                    items += run.items;
                    created += run.created;
                    changed += run.changed;
                    issues += run.issues_new;
                    if run.outcome != RunOutcome::Succeeded {
                        failed += 1;
                        eprintln!("{} {}: {:?} {:?}", run.account, run.technology, run.outcome, run.failures);
                    }
                }
                Err(error) => {
                    failed += 1;
                    eprintln!("unit failed: {error}");
                }
            }
        }
        println!(
            "{}",
            json!({"pass": pass, "accounts": accounts.len(), "units": results.len(), "failed_units": failed,
                   "items": items, "created": created, "changed": changed, "issues_new": issues,
                   "seconds": seconds, "items_per_second": items as f64 / seconds})
        );
    }
    drop(monkey);
    drop(store);
    let size = std::fs::metadata(&store_path).map(|m| m.len()).unwrap_or(0);
    println!("{}", json!({"store_bytes": size}));
}
