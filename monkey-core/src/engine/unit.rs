//! One unit of work, (account, technology), from slurp to observers; many at once; and the
//! recovery of units a stopped process left unfinished.

use super::{EngineError, Monkey};
use crate::audit::{AuditSummary, Transition, audit_changes, audit_stored, audit_unit_changes};
use crate::change::detect;
use crate::model::{
    Account, AccountNumber, Issue, IssueKey, Item, ItemKey, RunOutcome, RunRecord, Technology, Timestamp, now,
};
use crate::store::{ChangeKind, Changeset, StoreError, StoreResult};
use crate::watcher::{FailureScope, WatchContext};
use async_trait::async_trait;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What one unit of work did, for observers.
#[derive(Debug, Clone)]
pub struct UnitReport {
    /// The account.
    pub account: Account,
    /// The run as recorded.
    pub run: RunRecord,
    /// The committed changes.
    pub changeset: Changeset,
    /// What the audit did.
    pub audit: AuditSummary,
}

/// A unit whose changes and audit are committed and whose run is not yet recorded as finished.
#[derive(Debug, Clone, Copy)]
pub struct CommittedUnit<'a> {
    /// The account.
    pub account: &'a Account,
    /// The technology.
    pub technology: &'a Technology,
    /// When the run started: the unit's changes are the revisions made since.
    pub since: Timestamp,
    /// The audit's issue transitions; empty when a recovery re-audited the unit.
    pub transitions: &'a [(IssueKey, Transition)],
    /// Whether the unit may have created, changed or deleted items: `false` only when it is
    /// known that it did not (so observers need not look).
    pub may_have_changed: bool,
}

/// Told about every unit of work (change mails, metrics). Hooks default to nothing.
#[async_trait]
pub trait RunObserver: Send + Sync {
    /// The unit's changes and audit are committed and its run is about to be recorded as
    /// finished; also called by [`Monkey::recover`] for a run a stopped process left running.
    /// Work that must not be lost (queuing change mail) belongs here: if the process stops
    /// before the run is recorded, the next start calls this again for the same run. An error
    /// fails the run.
    async fn on_unit_committed(&self, _unit: &CommittedUnit<'_>) -> Result<(), StoreError> {
        Ok(())
    }

    /// A unit finished and its run is recorded.
    async fn on_unit_finished(&self, _report: &UnitReport) {}
}

impl Monkey {
    /// Runs one unit of work and records it (waiting if the same unit is running); the record says what happened, including
    /// collection failures. `Err` only when the store failed (the run is then recorded as
    /// failed if the store still takes writes).
    pub async fn run_unit(&self, account: &Account, technology: &Technology) -> Result<RunRecord, EngineError> {
        let watched = self.watched.get(technology).ok_or_else(|| EngineError::UnknownTechnology(technology.clone()))?;
        // Two runs of one unit would detect against the same stored state and commit the same
        // changes twice: the second waits for the first.
        let held = self.lease(&account.number, technology).lock_owned().await;
        let mut run = RunRecord::start(account.number.clone(), technology.clone(), now());
        match self.work(account, technology, watched, &mut run, held).await {
            Ok(report) => {
                for observer in &self.observers {
                    observer.on_unit_finished(&report).await;
                }
                Ok(report.run)
            }
            Err(error) => {
                run.outcome = RunOutcome::Failed;
                run.finished_at = Some(now());
                run.failures.push(error.to_string());
                // Best effort: the store that just failed may refuse this too; recovery then
                // finds the run still `Running` at the next start.
                let _ = self.store.put_run(&run).await;
                Err(error)
            }
        }
    }

    async fn work(
        &self,
        account: &Account,
        technology: &Technology,
        watched: &super::Watched,
        run: &mut RunRecord,
        held: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<UnitReport, EngineError> {
        let ignore = self.store.ignore_entries().await?;
        let ctx = WatchContext::new(account.clone()).with_ignore(ignore);
        // The run is recorded while the watcher collects: the record waits its turn behind
        // other units' commits, and collecting writes nothing.
        let (started, slurp) = tokio::join!(self.store.put_run(run), watched.watcher.slurp(&ctx));
        started?;
        run.items = slurp.items.len();
        let previous = self.store.items_of(&account.number, technology).await?;
        let detection = detect(technology, &account.number, &previous, slurp, &watched.ephemeral, now());
        let audit = self.commit_audited(account, technology, &previous, &detection.changeset, held).await?;
        run.created = detection.count(ChangeKind::Created);
        run.changed = detection.count(ChangeKind::Changed);
        run.deleted = detection.count(ChangeKind::Deleted);
        run.issues_new = audit.count(Transition::New) + audit.count(Transition::Regressed);
        run.issues_fixed = audit.count(Transition::Fixed);
        run.failures = detection
            .failures
            .iter()
            .map(|f| match &f.scope {
                FailureScope::Account => f.message.clone(),
                FailureScope::Region { region } => format!("{region}: {}", f.message),
                FailureScope::Item { region, name } => format!("{region}/{name}: {}", f.message),
            })
            .chain(audit.errors.iter().map(ToString::to_string))
            .collect();
        let whole_account_failed = detection.failures.iter().any(|f| matches!(f.scope, FailureScope::Account));
        run.outcome = match (run.failures.is_empty(), whole_account_failed) {
            (true, _) => RunOutcome::Succeeded,
            (false, true) if run.items == 0 => RunOutcome::Failed,
            (false, _) => RunOutcome::Partial,
        };
        let may_have_changed = run.created + run.changed + run.deleted > 0;
        let committed = CommittedUnit {
            account,
            technology,
            since: run.started_at,
            transitions: &audit.transitions,
            may_have_changed,
        };
        for observer in &self.observers {
            observer.on_unit_committed(&committed).await?;
        }
        run.finished_at = Some(now());
        self.store.put_run(run).await?;
        Ok(UnitReport { account: account.clone(), run: run.clone(), changeset: detection.changeset, audit })
    }

    /// Audits a unit's changes with the configurations in hand, commits them with the
    /// changeset in one transaction, and then re-audits the technologies that read this one
    /// in the account, each under its own unit's lock (the unit's own `held` lock is released
    /// first, so that no unit ever waits for another while holding its own).
    async fn commit_audited(
        &self,
        account: &Account,
        technology: &Technology,
        previous: &[Item],
        changeset: &Changeset,
        held: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<AuditSummary, EngineError> {
        if changeset.changes.is_empty() {
            return Ok(AuditSummary::default());
        }
        let store = self.store.as_ref();
        let number = &account.number;
        let inputs = self.inputs.for_changeset(store, number, technology, changeset).await?;
        let stored = self.stored_issues(number, technology, previous, changeset).await?;
        let (commit, mut audit) = audit_unit_changes(store, &self.auditing, &inputs, changeset, stored).await?;
        if let Err(error) = store.commit_audited(changeset, &commit).await {
            self.inputs.forget(number, technology).await;
            return Err(error.into());
        }
        self.inputs.committed(number, technology);
        drop(held);
        if changeset.changes.iter().all(|c| c.kind == ChangeKind::Ephemeral) {
            return Ok(audit);
        }
        for dependant in self.auditing.dependants(technology.as_str()) {
            let dependant = Technology::parse(dependant).map_err(StoreError::Invalid)?;
            // A re-audit that has not started reading yet will see this commit: one is enough.
            // (An account's instances are re-audited for its security groups and for its images.)
            let Some(queued) = self.queue_reaudit(number, &dependant) else { continue };
            let _held = self.lease(number, &dependant).lock_owned().await;
            drop(queued);
            let (commit, summary) =
                audit_stored(store, &self.auditing, &inputs, number, &dependant, None, now()).await?;
            if !commit.items.is_empty() {
                store.commit_audit(&commit).await?;
            }
            audit.absorb(summary);
        }
        Ok(audit)
    }

    /// The stored issues of the items `changeset` audits: none when the unit had no items,
    /// item by item when few of its items changed, else all of the unit's in one read.
    async fn stored_issues(
        &self,
        account: &AccountNumber,
        technology: &Technology,
        previous: &[Item],
        changeset: &Changeset,
    ) -> StoreResult<Vec<Issue>> {
        if previous.is_empty() {
            return Ok(Vec::new());
        }
        let known: HashSet<&ItemKey> = previous.iter().map(|item| &item.key).collect();
        let audited: Vec<&ItemKey> = changeset
            .changes
            .iter()
            .filter(|c| c.kind != ChangeKind::Ephemeral && known.contains(&c.key))
            .map(|c| &c.key)
            .collect();
        if audited.len().saturating_mul(8) >= previous.len() {
            return self.store.issues_of(account, technology).await;
        }
        let mut issues = Vec::new();
        for key in audited {
            issues.extend(self.store.issues(key).await?);
        }
        Ok(issues)
    }

    /// Runs every (account, technology) of `accounts` × `technologies` (all watched ones when
    /// empty), at most `concurrency` at once, calling `progress` as each finishes. In each
    /// account, units start in the stages of [`AuditEngine::collection_stages`], a stage once
    /// the account's earlier ones have finished, so that what an auditor reads is mostly
    /// collected before its items are audited.
    ///
    /// [`AuditEngine::collection_stages`]: crate::audit::AuditEngine::collection_stages
    pub async fn find_changes(
        self: &Arc<Self>,
        accounts: &[Account],
        technologies: &[Technology],
        concurrency: usize,
        progress: &(dyn Fn(&Result<RunRecord, EngineError>) + Sync),
    ) -> Vec<Result<RunRecord, EngineError>> {
        let technologies = if technologies.is_empty() { self.technologies() } else { technologies.to_vec() };
        // Account by account, and within an account stage by stage: units running at once are
        // mostly of different technologies, so that the large ones do not all peak together.
        // An account's later stage does not wait for other accounts' earlier ones: its audits
        // (CPU) overlap their commits (the store's one writer).
        let stages = self.auditing.collection_stages(&technologies);
        let mut pending: Vec<(usize, usize, Technology, &Account)> = Vec::new();
        for (index, account) in accounts.iter().enumerate() {
            pending.extend(stages.iter().map(|(stage, technology)| (index, *stage, technology.clone(), account)));
        }
        pending.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        // Units of each (account, stage) not finished yet.
        let mut unfinished: HashMap<(usize, usize), usize> = HashMap::new();
        for (index, stage, _, _) in &pending {
            *unfinished.entry((*index, *stage)).or_default() += 1;
        }
        let ready = |unfinished: &HashMap<(usize, usize), usize>, index: usize, stage: usize| {
            (0..stage).all(|earlier| unfinished.get(&(index, earlier)).is_none_or(|&left| left == 0))
        };
        let mut tasks = tokio::task::JoinSet::new();
        let mut running = HashMap::new();
        let mut results = Vec::new();
        loop {
            while tasks.len() < concurrency.max(1) {
                let Some(next) = pending.iter().position(|(index, stage, _, _)| ready(&unfinished, *index, *stage))
                else {
                    break;
                };
                let (index, stage, technology, account) = pending.remove(next);
                let account = account.clone();
                let monkey = Arc::clone(self);
                let task = tasks.spawn(async move { monkey.run_unit(&account, &technology).await });
                running.insert(task.id(), (index, stage));
            }
            let Some(done) = tasks.join_next_with_id().await else { break };
            let id = match &done {
                Ok((id, _)) => *id,
                Err(error) => error.id(),
            };
            if let Some(left) = running.remove(&id).and_then(|unit| unfinished.get_mut(&unit)) {
                *left = left.saturating_sub(1);
            }
            let result = done.map(|(_, result)| result).unwrap_or_else(|e| {
                Err(EngineError::Store(crate::store::StoreError::Backend {
                    backend: "engine",
                    message: format!("a unit of work did not finish: {e}"),
                    retryable: false,
                }))
            });
            progress(&result);
            results.push(result);
        }
        self.inputs.release_support();
        results
    }

    /// Finds runs a stopped process left `Running`, re-audits what they had committed (their
    /// technology and its dependants in that account) and records them as interrupted;
    /// returns how many. Call it once at start, before scheduling.
    pub async fn recover(&self) -> Result<usize, EngineError> {
        let mut recovered = 0;
        for mut run in self.store.last_runs().await? {
            if run.outcome != RunOutcome::Running {
                continue;
            }
            let mut technologies = vec![run.technology.clone()];
            for dependant in self.auditing.dependants(run.technology.as_str()) {
                technologies.push(Technology::parse(dependant).map_err(crate::store::StoreError::Invalid)?);
            }
            if let Some(account) = self.store.account_by_number(&run.account).await? {
                audit_changes(
                    self.store.as_ref(),
                    &self.auditing,
                    std::slice::from_ref(&run.account),
                    &technologies,
                    now(),
                )
                .await?;
                let committed = CommittedUnit {
                    account: &account,
                    technology: &run.technology,
                    since: run.started_at,
                    transitions: &[],
                    may_have_changed: true,
                };
                for observer in &self.observers {
                    observer.on_unit_committed(&committed).await?;
                }
            }
            run.outcome = RunOutcome::Interrupted;
            run.finished_at = Some(now());
            run.failures
                .push("the process stopped during this run; what it committed was audited at the next start".into());
            self.store.put_run(&run).await?;
            recovered += 1;
        }
        Ok(recovered)
    }
}
