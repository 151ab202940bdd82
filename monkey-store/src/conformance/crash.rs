//! The kill -9 test: a child process commits in a loop and is killed at a random moment; the
//! reopened store must hold every commit the child saw acknowledged.
//!
//! A backend's test file holds two tests: an ignored child test that opens the store named by
//! [`CHILD_ENV`] and runs [`child_workload`], and a parent test that calls [`run_and_kill`]
//! (which re-executes the test binary to run the child), reopens the store and checks it with
//! [`check_acknowledged`], [`super::check_invariants`] and the backend's own index check.
//!
//! ```no_run
//! # async fn example() {
//! use monkey_store::conformance::crash;
//! // In the parent test:
//! let acks = crash::run_and_kill("crash_child", "redb:/tmp/crash.redb", 10).expect("the child ran");
//! let store = monkey_store::open("redb:/tmp/crash.redb").expect("the store reopens");
//! crash::check_acknowledged(store.as_ref(), &acks).await.expect("no acknowledged commit is lost");
//! # }
//! ```

use super::fixtures::{account, at, change, issue, key};
use monkey_core::model::{ItemKey, RevisionId};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, Store, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The environment variable that names the store spec for the child (and marks it as the child).
pub const CHILD_ENV: &str = "MONKEY_STORE_CRASH_CHILD";

/// The start of the line the child prints for each acknowledged commit.
const ACK: &str = "monkey-store-crash-ack ";

/// The account the workload writes to.
const ACCOUNT: u64 = 900_000_009_001;

/// How many items the workload cycles through: few enough that ARNs move and items come back.
const POOL: u64 = 40;

/// Changes per changeset, at most.
const CHANGES: u64 = 12;

/// A commit the child saw succeed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ack {
    /// The commit's number in the child's loop.
    pub commit: u64,
    /// The revisions it made (or, for ephemeral changes, updated), with their items.
    pub revisions: Vec<(ItemKey, RevisionId)>,
}

/// A small deterministic generator (SplitMix64): the workload must not depend on a random crate.
struct Mix(u64);

impl Mix {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n.max(1)
    }
}

/// The child's side: commits up to `commits` changesets (creations, changes, ephemeral changes,
/// deletions, moving ARNs, with an audit every third commit), printing one line on stdout after
/// each acknowledged changeset. Returns early if stdout is closed.
pub async fn child_workload(store: &dyn Store, commits: u64) -> StoreResult<()> {
    store.put_account(&account("crash", ACCOUNT)).await?;
    let pool: Vec<ItemKey> = (0..POOL)
        .map(|n| {
            let technology = if n % 2 == 0 { "crash-a" } else { "crash-b" };
            let region = if n % 3 == 0 { "universal" } else { "eu-west-1" };
            key(technology, ACCOUNT, region, &format!("item-{n:02}"))
        })
        .collect();
    let mut active: BTreeMap<ItemKey, bool> = BTreeMap::new();
    for commit in 0..commits {
        let mut mix = Mix(commit.wrapping_mul(7919).wrapping_add(1));
        let mut chosen = BTreeSet::new();
        let mut changes = Vec::new();
        for _ in 0..CHANGES {
            let n = mix.below(POOL);
            if !chosen.insert(n) {
                continue;
            }
            let item = &pool[n as usize];
            // One change in ten claims another item's ARN, which must move.
            let arn_of = if mix.below(10) == 0 { mix.below(POOL) } else { n };
            let arn = format!("arn:aws:crash:::{arn_of:02}");
            let roll = mix.below(10);
            let kind = match active.get(item) {
                None | Some(false) => ChangeKind::Created,
                Some(true) if roll == 0 => ChangeKind::Deleted,
                Some(true) if roll <= 2 => ChangeKind::Ephemeral,
                Some(true) => ChangeKind::Changed,
            };
            let padding = "p".repeat(512 + mix.below(2048) as usize);
            let config = json!({"name": item.name, "commit": commit, "t": roll, "padding": padding});
            changes.push(change(item, kind, Some(&arn), config));
        }
        let seconds = i64::try_from(commit).unwrap_or(i64::MAX);
        let receipt = store.commit_changeset(&Changeset { at: at(seconds), changes: changes.clone() }).await?;
        for c in &changes {
            active.insert(c.key.clone(), c.kind != ChangeKind::Deleted);
        }
        let ack = Ack { commit, revisions: receipt.revisions };
        let line = serde_json::to_string(&ack).map_err(|e| StoreError::Backend {
            backend: "crash test",
            message: e.to_string(),
            retryable: false,
        })?;
        // `println!` rather than a raw stdout handle, so a parent test that runs the workload
        // in-process keeps these lines in its captured output.
        println!("{ACK}{line}");
        if std::io::stdout().flush().is_err() {
            return Ok(());
        }
        if commit % 3 == 2 {
            let items = changes
                .iter()
                .filter(|c| c.kind != ChangeKind::Deleted)
                .take(3)
                .map(|c| ItemAudit {
                    item: c.key.clone(),
                    issues: vec![issue(&c.key, "crash-check", "", 1 + (commit % 7) as u32)],
                })
                .collect();
            store.commit_audit(&AuditCommit { at: at(seconds), items }).await?;
        }
    }
    Ok(())
}

/// Up to 15 ms (a few commits' time), different from run to run, so that the kill lands at a
/// different moment of a commit each time.
fn jitter() -> Duration {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    Duration::from_micros(u64::from(nanos % 15_000))
}

/// The parent's side: runs the test `child_test` of this test binary as a child process with
/// [`CHILD_ENV`] set to `spec`, kills it with SIGKILL a random few milliseconds after its
/// `acks`-th acknowledged commit, and returns every commit it acknowledged before dying.
pub fn run_and_kill(child_test: &str, spec: &str, acks: usize) -> Result<Vec<Ack>, String> {
    run_and_kill_with(child_test, spec, acks, || Ok(()))
}

/// [`run_and_kill`], running `while_alive` after the `acks`-th acknowledgement and before the
/// kill, while the child holds the store (to show that another process is locked out).
pub fn run_and_kill_with(
    child_test: &str,
    spec: &str,
    acks: usize,
    while_alive: impl FnOnce() -> Result<(), String>,
) -> Result<Vec<Ack>, String> {
    let mut while_alive = Some(while_alive);
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    let mut child = Command::new(exe)
        .args([child_test, "--exact", "--nocapture", "--ignored", "--test-threads=1"])
        .env(CHILD_ENV, spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err("the child has no pipes".into());
    };
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut reader = BufReader::new(stdout);
    let mut acked = Vec::new();
    let mut killed = false;
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        // A line the kill cut short was never acknowledged.
        if !line.ends_with('\n') {
            break;
        }
        if let Some(json) = line.trim_end().strip_prefix(ACK) {
            acked.push(serde_json::from_str::<Ack>(json).map_err(|e| format!("unreadable ack {json:?}: {e}"))?);
        }
        if !killed && acked.len() >= acks {
            let checked = while_alive.take().map_or(Ok(()), |f| f());
            std::thread::sleep(jitter());
            child.kill().map_err(|e| format!("cannot kill the child: {e}"))?;
            killed = true;
            checked?;
        }
    }
    let status = child.wait().map_err(|e| format!("cannot reap the child: {e}"))?;
    let errors = errors.join().unwrap_or_default();
    if !killed {
        return Err(format!(
            "the child stopped by itself after {} acknowledged commits ({status}): {errors}",
            acked.len()
        ));
    }
    Ok(acked)
}

/// Checks that every acknowledged commit survived: each revision it made exists and belongs to
/// its item, and each item is at that revision or a later one.
pub async fn check_acknowledged(store: &dyn Store, acks: &[Ack]) -> Result<(), String> {
    let mut problems = Vec::new();
    for ack in acks {
        for (item, id) in &ack.revisions {
            match store.revision(*id).await.map_err(|e| e.to_string())? {
                Some(revision) if &revision.item == item => {}
                Some(_) => problems.push(format!("revision {id} of commit {} belongs to another item", ack.commit)),
                None => problems.push(format!("revision {id} of acknowledged commit {} is lost", ack.commit)),
            }
            match store.item(item).await.map_err(|e| e.to_string())? {
                Some(stored) if stored.latest_revision >= *id => {}
                Some(stored) => problems.push(format!(
                    "{item} went back to revision {} from the acknowledged {id}",
                    stored.latest_revision
                )),
                None => problems.push(format!("{item} of acknowledged commit {} is lost", ack.commit)),
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}
