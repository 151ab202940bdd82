//! The scheduler: every watched (account, technology) at its interval, with no restarts.
//!
//! Every few seconds (or at once when woken, e.g. by the API after a change) it re-reads the
//! accounts, watcher configurations and latest runs from the store, so an account added,
//! disabled or deleted, or an interval changed, by any process, takes effect within seconds.
//! A unit is due at its last start plus its interval; a unit never run is due at start, spread
//! by a jitter derived from its name so a thousand units do not start in the same second.
//! Concurrency is bounded overall and per account (AWS rate limits are per account), and a unit
//! never overlaps itself. On shutdown no new unit starts; running ones get a grace period to
//! finish, then are dropped between their atomic commits (recovery completes them at the next
//! start).

use super::{EngineError, Monkey};
use crate::model::{AccountNumber, Interval, Technology, Timestamp, now};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// How the scheduler paces work.
#[derive(Debug, Clone)]
pub struct SchedulerSettings {
    /// Units running at once, overall.
    pub concurrency: usize,
    /// Units running at once in one account.
    pub per_account: usize,
    /// How often the plan is re-read from the store.
    pub reload: Duration,
    /// The longest first-run delay of a unit never run (spread by jitter).
    pub first_run_spread: Duration,
    /// How long running units may take to finish at shutdown.
    pub grace: Duration,
    /// The time, for deciding what is due (tests move it forward).
    pub clock: fn() -> Timestamp,
}

impl Default for SchedulerSettings {
    fn default() -> Self {
        Self {
            concurrency: 8,
            per_account: 2,
            reload: Duration::from_secs(2),
            first_run_spread: Duration::from_secs(10),
            grace: Duration::from_secs(30),
            clock: now,
        }
    }
}

type Unit = (AccountNumber, Technology);

/// Runs units of work on schedule until told to stop.
pub struct Scheduler {
    monkey: Arc<Monkey>,
    settings: SchedulerSettings,
    wake: Arc<Notify>,
}

impl Scheduler {
    /// A scheduler of `monkey`'s units.
    pub fn new(monkey: Arc<Monkey>, settings: SchedulerSettings) -> Self {
        Self { monkey, settings, wake: Arc::new(Notify::new()) }
    }

    /// Wakes the scheduler to re-read its plan at once (after an account or interval change).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown` completes; returns how many units ran.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> Result<usize, EngineError> {
        let started = (self.settings.clock)();
        let mut running: HashSet<Unit> = HashSet::new();
        let mut tasks: JoinSet<Unit> = JoinSet::new();
        let mut finished = 0usize;
        tokio::pin!(shutdown);
        loop {
            for (account, technology) in self.due(started, &running).await? {
                let per_account = running.iter().filter(|(a, _)| a == &account).count();
                if running.len() >= self.settings.concurrency || per_account >= self.settings.per_account {
                    continue;
                }
                let Some(stored) = self.monkey.store.account_by_number(&account).await? else { continue };
                running.insert((account.clone(), technology.clone()));
                let monkey = Arc::clone(&self.monkey);
                tasks.spawn(async move {
                    if let Err(error) = monkey.run_unit(&stored, &technology).await {
                        tracing::warn!(%account, %technology, %error, "unit of work failed");
                    }
                    (account, technology)
                });
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.settings.reload) => {}
                Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                    if let Ok(unit) = done {
                        running.remove(&unit);
                    }
                    finished += 1;
                }
            }
        }
        let deadline = tokio::time::sleep(self.settings.grace);
        tokio::pin!(deadline);
        while !tasks.is_empty() {
            tokio::select! {
                () = &mut deadline => {
                    tasks.abort_all();
                    while tasks.join_next().await.is_some() {}
                    break;
                }
                Some(_) = tasks.join_next() => finished += 1,
            }
        }
        Ok(finished)
    }

    /// The units due now that are not running, most overdue first.
    async fn due(&self, started: Timestamp, running: &HashSet<Unit>) -> Result<Vec<Unit>, EngineError> {
        let store = &self.monkey.store;
        let configs: HashMap<Technology, crate::model::WatcherConfig> =
            store.watcher_configs().await?.into_iter().map(|c| (c.technology.clone(), c)).collect();
        let last: HashMap<Unit, crate::model::RunRecord> =
            store.last_runs().await?.into_iter().map(|r| ((r.account.clone(), r.technology.clone()), r)).collect();
        let at = (self.settings.clock)();
        let mut due: Vec<(Timestamp, Unit)> = Vec::new();
        for account in store.accounts().await?.into_iter().filter(Monkey::is_watched) {
            for technology in self.monkey.watched.keys() {
                let config = configs.get(technology);
                if config.is_some_and(|c| !c.enabled) {
                    continue;
                }
                let unit = (account.number.clone(), technology.clone());
                if running.contains(&unit) {
                    continue;
                }
                let interval = config
                    .map(|c| c.interval_for(&account.number))
                    .or_else(|| self.monkey.default_interval(technology))
                    .unwrap_or(Interval::HOURLY);
                // A run left `Running` by a stopped process counts as a start too: recovery has
                // audited what it committed, and it is not repeated before its interval.
                let when = match last.get(&unit) {
                    Some(run) => add(run.started_at, interval.as_duration()),
                    None => add(started, jitter(&unit, self.settings.first_run_spread.min(interval.as_duration()))),
                };
                if when <= at {
                    due.push((when, unit));
                }
            }
        }
        due.sort();
        Ok(due.into_iter().map(|(_, unit)| unit).collect())
    }
}

fn add(at: Timestamp, by: Duration) -> Timestamp {
    Timestamp::from_unix_nanos(at.unix_nanos().saturating_add(by.as_nanos() as i128))
}

/// A stable fraction of `spread` for `unit`: the same unit starts at the same offset.
fn jitter(unit: &Unit, spread: Duration) -> Duration {
    let hash = blake3::hash(format!("{}/{}", unit.0, unit.1).as_bytes());
    let bytes = hash.as_bytes();
    let fraction = u64::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
    let nanos = (spread.as_nanos() as u64).max(1);
    Duration::from_nanos(fraction % nanos)
}
