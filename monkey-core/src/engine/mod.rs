//! The engine: a store, watchers, the audit engine and observers wired into units of work.
//!
//! One unit of work is (account, technology): slurp → detect changes → commit the changeset →
//! audit what changed (and the technologies that read it) → commit the audit → tell the
//! observers. Each commit is atomic; a run is recorded as `Running` before it starts and
//! finished after, so a process killed in between is found by [`Monkey::recover`] at the next
//! start, which re-audits what that run had committed: nothing is lost, nothing duplicated.
//!
//! ```no_run
//! # async fn example(store: std::sync::Arc<dyn monkey_core::store::Store>, watchers: Vec<std::sync::Arc<dyn monkey_core::watcher::Watcher>>) -> Result<(), monkey_core::engine::EngineError> {
//! use monkey_core::engine::{Monkey, Scheduler, SchedulerSettings};
//!
//! let monkey = std::sync::Arc::new(Monkey::builder(store).watchers(watchers).build()?);
//! monkey.recover().await?;
//! let scheduler = Scheduler::new(monkey, SchedulerSettings::default());
//! scheduler.run(tokio::time::sleep(std::time::Duration::from_secs(3600))).await?; // or until a signal
//! # Ok(()) }
//! ```

mod inputs;
mod scheduler;
mod unit;

pub use inputs::RELEARN_AFTER;
pub use scheduler::{Scheduler, SchedulerSettings};
pub use unit::{CommittedUnit, RunObserver, UnitReport};

use crate::ModelError;
use crate::audit::AuditEngine;
use crate::change::EphemeralPaths;
use crate::model::{Account, AccountNumber, Interval, Technology};
use crate::store::{Store, StoreError};
use crate::watcher::Watcher;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Why the engine could not do something.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A watcher declared invalid ephemeral paths.
    #[error("the {technology} watcher's ephemeral paths are invalid: {source}")]
    EphemeralPaths {
        /// The watcher's technology.
        technology: Technology,
        /// What is wrong.
        source: ModelError,
    },
    /// Two watchers of the same technology.
    #[error("two watchers collect {0}")]
    DuplicateWatcher(Technology),
    /// No watcher collects this technology.
    #[error("no watcher collects {0}")]
    UnknownTechnology(Technology),
}

/// The lock of each unit of work that has run.
type Leases = std::collections::HashMap<(AccountNumber, Technology), Arc<tokio::sync::Mutex<()>>>;

/// A technology's watcher and its compiled ephemeral paths.
struct Watched {
    watcher: Arc<dyn Watcher>,
    ephemeral: EphemeralPaths,
}

/// The assembled engine (build it with [`Monkey::builder`]).
pub struct Monkey {
    store: Arc<dyn Store>,
    watched: BTreeMap<Technology, Watched>,
    auditing: AuditEngine,
    observers: Vec<Arc<dyn RunObserver>>,
    /// One lock per (account, technology): a unit never runs twice at once, whoever asks.
    leases: std::sync::Mutex<Leases>,
    /// What units audit against, kept between them.
    inputs: inputs::InputsCache,
    /// Re-audits of (account, technology) waiting for their unit's lock, not yet reading.
    queued_reaudits: std::sync::Mutex<std::collections::HashSet<(AccountNumber, Technology)>>,
}

/// A re-audit waiting for its unit's lock; dropped when it starts (or is abandoned).
struct QueuedReaudit<'a> {
    monkey: &'a Monkey,
    key: (AccountNumber, Technology),
}

impl Drop for QueuedReaudit<'_> {
    fn drop(&mut self) {
        let mut queued = self.monkey.queued_reaudits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        queued.remove(&self.key);
    }
}

impl fmt::Debug for Monkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monkey").field("technologies", &self.watched.keys().collect::<Vec<_>>()).finish()
    }
}

/// Assembles a [`Monkey`].
pub struct MonkeyBuilder {
    store: Arc<dyn Store>,
    watchers: Vec<Arc<dyn Watcher>>,
    auditing: Option<AuditEngine>,
    observers: Vec<Arc<dyn RunObserver>>,
}

impl MonkeyBuilder {
    /// Adds watchers (one per technology).
    pub fn watchers(mut self, watchers: impl IntoIterator<Item = Arc<dyn Watcher>>) -> Self {
        self.watchers.extend(watchers);
        self
    }

    /// Audits with these auditors instead of every registered one.
    pub fn auditors(mut self, auditing: AuditEngine) -> Self {
        self.auditing = Some(auditing);
        self
    }

    /// Adds an observer of finished units (change mails, metrics).
    pub fn observer(mut self, observer: Arc<dyn RunObserver>) -> Self {
        self.observers.push(observer);
        self
    }

    /// The engine; fails on two watchers of one technology or invalid ephemeral paths.
    pub fn build(self) -> Result<Monkey, EngineError> {
        let mut watched = BTreeMap::new();
        for watcher in self.watchers {
            let technology = watcher.technology().clone();
            let ephemeral = EphemeralPaths::parse(watcher.ephemeral_paths())
                .map_err(|source| EngineError::EphemeralPaths { technology: technology.clone(), source })?;
            if watched.insert(technology.clone(), Watched { watcher, ephemeral }).is_some() {
                return Err(EngineError::DuplicateWatcher(technology));
            }
        }
        Ok(Monkey {
            store: self.store,
            watched,
            auditing: self.auditing.unwrap_or_else(AuditEngine::registered),
            observers: self.observers,
            leases: std::sync::Mutex::new(std::collections::HashMap::new()),
            queued_reaudits: std::sync::Mutex::default(),
            inputs: inputs::InputsCache::default(),
        })
    }
}

impl Monkey {
    /// Starts assembling an engine over `store`.
    pub fn builder(store: Arc<dyn Store>) -> MonkeyBuilder {
        MonkeyBuilder { store, watchers: Vec::new(), auditing: None, observers: Vec::new() }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The audit engine.
    pub fn auditing(&self) -> &AuditEngine {
        &self.auditing
    }

    /// The technologies watched, sorted.
    pub fn technologies(&self) -> Vec<Technology> {
        self.watched.keys().cloned().collect()
    }

    /// The default interval of a technology's watcher.
    pub fn default_interval(&self, technology: &Technology) -> Option<Interval> {
        self.watched.get(technology).map(|w| w.watcher.default_interval())
    }

    /// Queues a re-audit of `technology` in `account`, unless one is already waiting to start;
    /// it stays queued until the returned guard is dropped.
    fn queue_reaudit(&self, account: &AccountNumber, technology: &Technology) -> Option<QueuedReaudit<'_>> {
        let key = (account.clone(), technology.clone());
        let mut queued = self.queued_reaudits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        queued.insert(key.clone()).then_some(QueuedReaudit { monkey: self, key })
    }

    /// The lock of one unit of work.
    fn lease(&self, account: &AccountNumber, technology: &Technology) -> Arc<tokio::sync::Mutex<()>> {
        let mut leases = self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(leases.entry((account.clone(), technology.clone())).or_default())
    }

    /// Accounts a scheduler watches: active and not third party.
    pub fn is_watched(account: &Account) -> bool {
        account.active && !account.third_party
    }
}
