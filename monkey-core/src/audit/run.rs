//! Audits of items: a watcher run's changes with the configurations in hand, what a committed
//! changeset touched, or what is stored (`audit_changes`).

use super::engine::{AuditEngine, retire};
use super::environment::Environment;
use super::lifecycle::Transition;
use super::settings::AuditSettings;
use super::shared_support::SharedSupport;
use crate::auditor::{AuditContext, AuditError, AuditedItem};
use crate::model::{
    Account, AccountNumber, Issue, IssueKey, ItemKey, NetworkWhitelistEntry, ScoreOverride, Technology, Timestamp,
};
use crate::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, Store, StoreResult};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// What an audit run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditSummary {
    /// Items audited (including deleted items whose issues were fixed).
    pub items: usize,
    /// What happened to each issue the audit touched.
    pub transitions: Vec<(IssueKey, Transition)>,
    /// Auditors that could not evaluate an item.
    #[serde(serialize_with = "errors_as_text")]
    pub errors: Vec<AuditError>,
}

fn errors_as_text<S: serde::Serializer>(errors: &[AuditError], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(errors.iter().map(ToString::to_string))
}

impl AuditSummary {
    /// How many issues went through `transition`.
    pub fn count(&self, transition: Transition) -> usize {
        self.transitions.iter().filter(|(_, t)| *t == transition).count()
    }

    /// Adds what another audit did.
    pub fn absorb(&mut self, other: AuditSummary) {
        self.items += other.items;
        self.transitions.extend(other.transitions);
        self.errors.extend(other.errors);
    }
}

/// Everything an audit consults that is the same for every unit: the environment and settings.
#[derive(Debug, Clone)]
pub struct AuditInputs {
    /// Accounts, whitelist and learned networks.
    pub environment: Arc<Environment>,
    /// Score overrides.
    pub settings: Arc<AuditSettings>,
    /// Support items other audits are using.
    pub support: Arc<SharedSupport>,
}

impl AuditInputs {
    /// Loads the accounts, whitelist and score overrides, and learns networks and VPCs from
    /// the stored items of [`Environment::LEARNS_FROM`] in every account.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let accounts = store.accounts().await?;
        let mut learned = Vec::new();
        for account in &accounts {
            for technology in Environment::LEARNS_FROM {
                let technology = Technology::parse(technology)?;
                let configs = store.configs_of(&account.number, &technology).await?;
                learned.push(learn(&technology, &account.number, configs.iter().map(|(_, config)| config)));
            }
        }
        Ok(Self::assemble(accounts, store.whitelist().await?, store.score_overrides().await?, &learned))
    }

    /// Inputs of these accounts, whitelist and overrides, with what was learned per account
    /// and technology.
    pub fn assemble<'a>(
        accounts: Vec<Account>,
        whitelist: Vec<NetworkWhitelistEntry>,
        overrides: Vec<ScoreOverride>,
        learned: impl IntoIterator<Item = &'a Environment>,
    ) -> Self {
        let mut environment = Environment::new(accounts, whitelist);
        for part in learned {
            environment.learn_from(part);
        }
        Self {
            environment: Arc::new(environment),
            settings: Arc::new(AuditSettings::new(overrides)),
            support: Arc::default(),
        }
    }
}

/// What the items of one technology in one account teach (see [`Environment::learn_from_item`]).
pub fn learn<'a>(
    technology: &Technology,
    account: &AccountNumber,
    configs: impl IntoIterator<Item = &'a Value>,
) -> Environment {
    let mut part = Environment::default();
    for config in configs {
        part.learn_from_item(technology.as_str(), account, config);
    }
    part
}

/// One item to audit: its configuration, or `None` when it no longer exists (its open issues
/// become fixed).
struct Subject<'a> {
    key: &'a ItemKey,
    arn: Option<&'a str>,
    config: Option<&'a Value>,
}

/// Stored issues grouped by item.
fn by_item(issues: Vec<Issue>) -> HashMap<ItemKey, Vec<Issue>> {
    let mut grouped: HashMap<ItemKey, Vec<Issue>> = HashMap::new();
    for issue in issues {
        match grouped.get_mut(&issue.key.item) {
            Some(list) => list.push(issue),
            None => {
                grouped.insert(issue.key.item.clone(), vec![issue]);
            }
        }
    }
    grouped
}

/// Audits `subjects` of one (account, technology) against their `stored` issues; reads the
/// support items only if there is something to audit.
async fn audit_subjects(
    store: &dyn Store,
    engine: &AuditEngine,
    inputs: &AuditInputs,
    (account, technology): (&AccountNumber, &Technology),
    subjects: Vec<Subject<'_>>,
    mut stored: HashMap<ItemKey, Vec<Issue>>,
    now: Timestamp,
) -> StoreResult<(AuditCommit, AuditSummary)> {
    let mut summary = AuditSummary::default();
    let mut commit = AuditCommit { at: now, items: Vec::new() };
    let audits = engine.audits(technology.as_str());
    let mut ctx = None;
    for subject in subjects {
        let issues = stored.remove(subject.key).unwrap_or_default();
        let had_issues = !issues.is_empty();
        let reconciled = match subject.config {
            // Nothing audits it (a plugin that is not linked in): its issues stay as they are.
            Some(_) if !audits => continue,
            Some(config) => {
                let ctx = match &mut ctx {
                    Some(ctx) => ctx,
                    None => ctx.insert(
                        AuditContext::new(Arc::clone(&inputs.environment), now)
                            .with_settings(Arc::clone(&inputs.settings))
                            .with_shared_support(inputs.support.get(store, engine, account, technology).await?),
                    ),
                };
                let audited = AuditedItem { key: subject.key, arn: subject.arn, config };
                let outcome = engine.audit_item(&audited, issues, ctx).await;
                summary.errors.extend(outcome.errors);
                outcome.reconciled
            }
            None if issues.iter().any(|i| !i.fixed) => retire(issues, now),
            None => continue,
        };
        summary.items += 1;
        summary.transitions.extend(reconciled.keyed_transitions().map(|(key, t)| (key.clone(), t)));
        // An item that had no issues and has none changes nothing in the store.
        if had_issues || !reconciled.issues.is_empty() {
            commit.items.push(ItemAudit { item: subject.key.clone(), issues: reconciled.issues });
        }
    }
    Ok((commit, summary))
}

/// Audits what a watcher run of one (account, technology) found changed, with the
/// configurations in hand, before the changeset is committed: created and changed items are
/// audited, deleted ones have their open issues fixed. `stored` holds the stored issues of
/// (at least) the changed items. Commit the result with the changeset
/// ([`Store::commit_audited`]).
pub async fn audit_unit_changes(
    store: &dyn Store,
    engine: &AuditEngine,
    inputs: &AuditInputs,
    changeset: &Changeset,
    stored: Vec<Issue>,
) -> StoreResult<(AuditCommit, AuditSummary)> {
    let subjects: Vec<Subject<'_>> = changeset
        .changes
        .iter()
        .filter_map(|change| match change.kind {
            ChangeKind::Ephemeral => None,
            ChangeKind::Deleted => Some(Subject { key: &change.key, arn: None, config: None }),
            ChangeKind::Created | ChangeKind::Changed => Some(Subject {
                key: &change.key,
                arn: change.arn.as_deref().filter(|a| !a.trim().is_empty()),
                config: Some(&change.config),
            }),
        })
        .collect();
    let Some(first) = subjects.first() else {
        return Ok((AuditCommit { at: changeset.at, items: Vec::new() }, AuditSummary::default()));
    };
    let unit = (first.key.account.clone(), first.key.technology.clone());
    audit_subjects(store, engine, inputs, (&unit.0, &unit.1), subjects, by_item(stored), changeset.at).await
}

/// Audits stored items of one technology in one account (only those named in `only`, if
/// given): active items against their latest configuration, and the open issues of deleted
/// items become fixed. Returns the audit to commit.
pub async fn audit_stored(
    store: &dyn Store,
    engine: &AuditEngine,
    inputs: &AuditInputs,
    account: &AccountNumber,
    technology: &Technology,
    only: Option<&HashSet<String>>,
    now: Timestamp,
) -> StoreResult<(AuditCommit, AuditSummary)> {
    let wanted = |key: &ItemKey| only.is_none_or(|names| names.contains(key.name.as_str()));
    let configs: Vec<_> =
        store.configs_of(account, technology).await?.into_iter().filter(|(i, _)| wanted(&i.key)).collect();
    let stored = by_item(store.issues_of(account, technology).await?);
    let active: HashSet<&ItemKey> = configs.iter().map(|(item, _)| &item.key).collect();
    // Items with issues that are not active were deleted: their open issues become fixed.
    let gone: Vec<ItemKey> = stored.keys().filter(|key| !active.contains(key) && wanted(key)).cloned().collect();
    let subjects: Vec<Subject<'_>> = configs
        .iter()
        .map(|(item, config)| Subject { key: &item.key, arn: item.arn.as_deref(), config: Some(config) })
        .chain(gone.iter().map(|key| Subject { key, arn: None, config: None }))
        .collect();
    audit_subjects(store, engine, inputs, (account, technology), subjects, stored, now).await
}

/// Commits an audit of stored items (atomically) and returns what it did.
async fn committed(store: &dyn Store, (commit, summary): (AuditCommit, AuditSummary)) -> StoreResult<AuditSummary> {
    if !commit.items.is_empty() {
        store.commit_audit(&commit).await?;
    }
    Ok(summary)
}

/// Re-audits what is stored: every item of `technologies` in `accounts` (empty means every
/// stored account, or every audited technology), one atomic commit per (account, technology).
pub async fn audit_changes(
    store: &dyn Store,
    engine: &AuditEngine,
    accounts: &[AccountNumber],
    technologies: &[Technology],
    now: Timestamp,
) -> StoreResult<AuditSummary> {
    let inputs = AuditInputs::load(store).await?;
    let accounts: Vec<AccountNumber> = if accounts.is_empty() {
        inputs.environment.accounts().iter().map(|a| a.number.clone()).collect()
    } else {
        accounts.to_vec()
    };
    let technologies: Vec<Technology> = if technologies.is_empty() {
        engine.technologies().into_iter().map(Technology::parse).collect::<Result<_, _>>()?
    } else {
        technologies.iter().filter(|t| engine.audits(t.as_str())).cloned().collect()
    };
    let mut summary = AuditSummary::default();
    for account in &accounts {
        for technology in &technologies {
            let audit = audit_stored(store, engine, &inputs, account, technology, None, now).await?;
            summary.absorb(committed(store, audit).await?);
        }
    }
    Ok(summary)
}

/// Audits what a committed changeset touched: its created and changed items, the issues of
/// its deleted items (fixed), and every item of the technologies that read the changed ones
/// (e.g. instances when their security groups change), in the same accounts.
pub async fn audit_changeset(
    store: &dyn Store,
    engine: &AuditEngine,
    changeset: &Changeset,
    now: Timestamp,
) -> StoreResult<AuditSummary> {
    let mut touched: BTreeMap<(AccountNumber, Technology), HashSet<String>> = BTreeMap::new();
    for change in &changeset.changes {
        if change.kind != ChangeKind::Ephemeral {
            touched
                .entry((change.key.account.clone(), change.key.technology.clone()))
                .or_default()
                .insert(change.key.name.to_string());
        }
    }
    if touched.is_empty() {
        return Ok(AuditSummary::default());
    }
    let inputs = AuditInputs::load(store).await?;
    let mut dependants: BTreeSet<(AccountNumber, Technology)> = BTreeSet::new();
    let mut summary = AuditSummary::default();
    for ((account, technology), names) in &touched {
        let audit = audit_stored(store, engine, &inputs, account, technology, Some(names), now).await?;
        summary.absorb(committed(store, audit).await?);
        for dependant in engine.dependants(technology.as_str()) {
            dependants.insert((account.clone(), Technology::parse(dependant)?));
        }
    }
    for (account, technology) in dependants {
        let audit = audit_stored(store, engine, &inputs, &account, &technology, None, now).await?;
        summary.absorb(committed(store, audit).await?);
    }
    Ok(summary)
}
