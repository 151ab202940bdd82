//! The engine and scheduler over a real redb store: units of work end to end, accounts and
//! intervals changed while the scheduler runs, clean shutdown, and recovery of a unit a
//! stopped process left half done.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use async_trait::async_trait;
use monkey_core::audit::AuditEngine;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, CheckStatus, Finding};
use monkey_core::change::{EphemeralPaths, detect};
use monkey_core::engine::{Monkey, RunObserver, Scheduler, SchedulerSettings, UnitReport};
use monkey_core::model::{
    Account, AccountName, AccountNumber, Category, Interval, RunOutcome, Technology, Timestamp, WatcherConfig, now,
};
use monkey_core::store::Store;
use monkey_core::watcher::{Slurp, SlurpedItem, WatchContext, Watcher};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

static GADGET_OPEN: Check = Check {
    id: "gadget-open",
    technology: "gadget",
    title: "GadgetOpen",
    category: Category::InternetAccessible,
    default_score: 10,
    status: CheckStatus::Stable,
    docs: "",
};
static CHECKS: [&Check; 1] = [&GADGET_OPEN];

struct GadgetAuditor;

#[async_trait]
impl Auditor for GadgetAuditor {
    fn technology(&self) -> &'static str {
        "gadget"
    }
    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }
    async fn audit(&self, item: &AuditedItem<'_>, _: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        Ok(if item.config["open"] == true { vec![Finding::new(&GADGET_OPEN, "open", "")] } else { vec![] })
    }
}

/// Returns the same items for every account, counting slurps per account.
struct GadgetWatcher {
    technology: Technology,
    items: Mutex<Vec<SlurpedItem>>,
    slurps: Mutex<Vec<AccountNumber>>,
}

#[async_trait]
impl Watcher for GadgetWatcher {
    fn technology(&self) -> &Technology {
        &self.technology
    }
    fn ephemeral_paths(&self) -> &[&str] {
        &["seen"]
    }
    fn default_interval(&self) -> Interval {
        Interval::HOURLY
    }
    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        self.slurps.lock().unwrap().push(ctx.account.number.clone());
        Slurp { items: self.items.lock().unwrap().clone(), failures: vec![] }
    }
}

fn gadget(name: &str, open: bool) -> SlurpedItem {
    SlurpedItem { region: "eu-west-1".into(), name: name.into(), arn: None, config: json!({"open": open, "seen": 1}) }
}

fn account(name: &str, n: u64) -> Account {
    Account::new(AccountName::parse(name).unwrap(), AccountNumber::parse(&format!("{n:012}")).unwrap())
}

#[derive(Default)]
struct Counting(AtomicUsize);

#[async_trait]
impl RunObserver for Counting {
    async fn on_unit_finished(&self, report: &UnitReport) {
        assert!(report.run.finished_at.is_some());
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    watcher: Arc<GadgetWatcher>,
    observer: Arc<Counting>,
    monkey: Arc<Monkey>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display())).unwrap();
    let watcher = Arc::new(GadgetWatcher {
        technology: Technology::parse("gadget").unwrap(),
        items: Mutex::new(vec![gadget("g1", true), gadget("g2", false)]),
        slurps: Mutex::new(vec![]),
    });
    let observer = Arc::new(Counting::default());
    let monkey = Arc::new(
        Monkey::builder(Arc::clone(&store))
            .watchers([Arc::clone(&watcher) as Arc<dyn Watcher>])
            .auditors(AuditEngine::new(vec![Box::new(GadgetAuditor)]))
            .observer(Arc::clone(&observer) as Arc<dyn RunObserver>)
            .build()
            .unwrap(),
    );
    Fixture { _dir: dir, store, watcher, observer, monkey }
}

fn technology() -> Technology {
    Technology::parse("gadget").unwrap()
}

#[tokio::test]
async fn a_unit_of_work_collects_commits_audits_and_records() {
    let f = fixture();
    let prod = account("prod", 1);
    f.store.put_account(&prod).await.unwrap();
    let run = f.monkey.run_unit(&prod, &technology()).await.unwrap();
    assert_eq!((run.outcome, run.items, run.created, run.issues_new), (RunOutcome::Succeeded, 2, 2, 1));
    let items = f.store.items_of(&prod.number, &technology()).await.unwrap();
    assert_eq!(items.iter().map(|i| i.score).collect::<Vec<_>>(), vec![10, 0]);
    assert_eq!(f.observer.0.load(Ordering::SeqCst), 1);

    // Ephemeral-only changes make no revision and no issue change; a real change does.
    f.watcher.items.lock().unwrap()[0].config["seen"] = json!(2);
    let again = f.monkey.run_unit(&prod, &technology()).await.unwrap();
    assert_eq!((again.created, again.changed, again.issues_new, again.issues_fixed), (0, 0, 0, 0));
    *f.watcher.items.lock().unwrap() = vec![gadget("g1", false)];
    let fixed = f.monkey.run_unit(&prod, &technology()).await.unwrap();
    assert_eq!((fixed.changed, fixed.deleted, fixed.issues_fixed), (1, 1, 1));
    let runs = f.store.runs(10).await.unwrap();
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().all(|r| r.outcome == RunOutcome::Succeeded));

    let unknown = f.monkey.run_unit(&prod, &Technology::parse("nothing").unwrap()).await;
    assert!(unknown.unwrap_err().to_string().contains("no watcher collects nothing"));
}

static MINUTES_AHEAD: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// The scheduler's view of time, moved forward by the test.
fn shifted_clock() -> Timestamp {
    let ahead = i128::from(MINUTES_AHEAD.load(Ordering::SeqCst)) * 60 * 1_000_000_000;
    Timestamp::from_unix_nanos(now().unix_nanos() + ahead)
}

async fn within(seconds: u64, what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_scheduler_follows_accounts_and_intervals_without_a_restart() {
    let f = fixture();
    let first = account("first", 11);
    let second = account("second", 12);
    f.store.put_account(&first).await.unwrap();
    let settings = SchedulerSettings {
        reload: Duration::from_millis(50),
        first_run_spread: Duration::from_millis(1),
        clock: shifted_clock,
        ..SchedulerSettings::default()
    };
    let scheduler = Scheduler::new(Arc::clone(&f.monkey), settings);
    let waker = scheduler.waker();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(scheduler.run(async move {
        let _ = stopped.await;
    }));
    let slurps_of = |n: &AccountNumber| f.watcher.slurps.lock().unwrap().iter().filter(|a| *a == n).count();
    within(5, "the first account's run at start", || slurps_of(&first.number) == 1).await;
    // Added while running: picked up within seconds, no restart.
    f.store.put_account(&second).await.unwrap();
    waker.notify_one();
    within(5, "the added account's run", || slurps_of(&second.number) == 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(slurps_of(&first.number), 1, "not due again before its interval");

    // An interval change takes effect: 20 minutes later the unit is due at 15m, not at 1h.
    MINUTES_AHEAD.store(20, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(slurps_of(&first.number), 1, "1h has not passed");
    let mut config = WatcherConfig::new(technology(), Interval::HOURLY);
    config.account_intervals.insert(first.number.clone(), Interval::MIN);
    f.store.put_watcher_config(&config).await.unwrap();
    // The clock stays 20 minutes ahead, so it is due again after every run: at least one more.
    within(5, "the run at the new interval", || slurps_of(&first.number) >= 2).await;

    // Disabled accounts and disabled technologies stop being watched.
    let mut disabled = second.clone();
    disabled.active = false;
    f.store.put_account(&disabled).await.unwrap();
    MINUTES_AHEAD.store(200, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(slurps_of(&second.number), 1, "a disabled account is not watched");

    stop.send(()).unwrap();
    let ran = tokio::time::timeout(Duration::from_secs(10), handle).await.unwrap().unwrap().unwrap();
    assert!(ran >= 3, "{ran}");
    assert!(
        f.store.last_runs().await.unwrap().iter().all(|r| r.outcome == RunOutcome::Succeeded),
        "no half-written run"
    );
}

#[tokio::test]
async fn recovery_audits_what_an_interrupted_run_committed() {
    let f = fixture();
    let prod = account("prod", 21);
    f.store.put_account(&prod).await.unwrap();
    // What a process killed between the changeset commit and the audit commit leaves behind.
    let mut run = monkey_core::model::RunRecord::start(prod.number.clone(), technology(), now());
    f.store.put_run(&run).await.unwrap();
    *f.watcher.items.lock().unwrap() = vec![gadget("g1", true)];
    let slurp = Slurp { items: vec![gadget("g1", true)], failures: vec![] };
    let paths = EphemeralPaths::parse(&["seen"]).unwrap();
    let detection = detect(&technology(), &prod.number, &[], slurp, &paths, now());
    f.store.commit_changeset(&detection.changeset).await.unwrap();
    assert_eq!(f.store.items_of(&prod.number, &technology()).await.unwrap()[0].score, 0, "not audited yet");

    assert_eq!(f.monkey.recover().await.unwrap(), 1);
    assert_eq!(f.store.items_of(&prod.number, &technology()).await.unwrap()[0].score, 10, "audited by recovery");
    run = f.store.last_runs().await.unwrap().pop().unwrap();
    assert_eq!(run.outcome, RunOutcome::Interrupted);
    assert_eq!(f.monkey.recover().await.unwrap(), 0, "once");

    // The next run finds nothing new: nothing is duplicated.
    let next = f.monkey.run_unit(&prod, &technology()).await.unwrap();
    assert_eq!((next.created, next.changed, next.issues_new), (0, 0, 0));
    assert_eq!(
        f.store.revisions(&f.store.items_of(&prod.number, &technology()).await.unwrap()[0].key).await.unwrap().len(),
        1
    );
}
