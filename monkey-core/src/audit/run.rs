//! Audits of stored items: after a watcher run's changeset, or on demand (`audit_changes`).

use super::engine::{AuditEngine, retire};
use super::environment::Environment;
use super::lifecycle::Transition;
use super::settings::AuditSettings;
use crate::auditor::{AuditContext, AuditError, AuditedItem, SupportItem};
use crate::model::{AccountNumber, IssueKey, Item, ItemKey, Technology, Timestamp};
use crate::store::{AuditCommit, ChangeKind, Changeset, ItemAudit, Store, StoreError, StoreResult};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
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

    fn absorb(&mut self, other: AuditSummary) {
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
}

impl AuditInputs {
    /// Loads the accounts, whitelist and score overrides, and learns networks and VPCs from
    /// the stored items of [`Environment::LEARNS_FROM`] in every account.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        let accounts = store.accounts().await?;
        let mut environment = Environment::new(accounts.clone(), store.whitelist().await?);
        for account in &accounts {
            for technology in Environment::LEARNS_FROM {
                let technology = Technology::parse(technology)?;
                for (key, config) in latest_configs(store, &account.number, &technology, None).await? {
                    environment.learn_from_item(technology.as_str(), &key.account, &config);
                }
            }
        }
        let settings = AuditSettings::new(store.score_overrides().await?);
        Ok(Self { environment: Arc::new(environment), settings: Arc::new(settings) })
    }
}

/// The latest configuration of every active item of one technology in one account (only
/// the named ones when `only` is given).
async fn latest_configs(
    store: &dyn Store,
    account: &AccountNumber,
    technology: &Technology,
    only: Option<&HashSet<String>>,
) -> StoreResult<Vec<(ItemKey, serde_json::Value)>> {
    let items = store.items_of(account, technology).await?;
    let mut configs = Vec::with_capacity(items.len());
    for item in items.into_iter().filter(|i| i.active && only.is_none_or(|names| names.contains(&i.key.name))) {
        let config = config_of(store, &item).await?;
        configs.push((item.key, config));
    }
    Ok(configs)
}

async fn config_of(store: &dyn Store, item: &Item) -> StoreResult<serde_json::Value> {
    match store.revision(item.latest_revision).await? {
        Some(revision) => Ok(revision.config),
        None => Err(StoreError::Corrupt {
            what: format!("item {} points at revision {} which does not exist", item.key, item.latest_revision.0),
        }),
    }
}

/// Audits stored items of one technology in one account and commits the result atomically:
/// every active item (or only those named in `only`), and the open issues of deleted items
/// become fixed.
async fn audit_unit(
    store: &dyn Store,
    engine: &AuditEngine,
    inputs: &AuditInputs,
    account: &AccountNumber,
    technology: &Technology,
    only: Option<&HashSet<String>>,
    now: Timestamp,
) -> StoreResult<AuditSummary> {
    let mut summary = AuditSummary::default();
    let mut support = Vec::new();
    for supporting in engine.support_of(technology.as_str()) {
        let supporting = Technology::parse(supporting)?;
        for (key, config) in latest_configs(store, account, &supporting, None).await? {
            support.push(SupportItem { key, config });
        }
    }
    let ctx = AuditContext::new(Arc::clone(&inputs.environment), now)
        .with_settings(Arc::clone(&inputs.settings))
        .with_support(Arc::new(support));

    let mut commit = AuditCommit { at: now, items: Vec::new() };
    for item in store.items_of(account, technology).await? {
        if only.is_some_and(|names| !names.contains(&item.key.name)) {
            continue;
        }
        let stored = store.issues(&item.key).await?;
        let reconciled = if item.active {
            let config = config_of(store, &item).await?;
            let audited = AuditedItem { key: &item.key, arn: item.arn.as_deref(), config: &config };
            let outcome = engine.audit_item(&audited, stored, &ctx).await;
            summary.errors.extend(outcome.errors);
            outcome.reconciled
        } else if stored.iter().any(|i| !i.fixed) {
            retire(stored, now)
        } else {
            continue;
        };
        summary.items += 1;
        summary.transitions.extend(reconciled.keyed_transitions().map(|(key, t)| (key.clone(), t)));
        commit.items.push(ItemAudit { item: item.key, issues: reconciled.issues });
    }
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
            summary.absorb(audit_unit(store, engine, &inputs, account, technology, None, now).await?);
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
                .insert(change.key.name.clone());
        }
    }
    if touched.is_empty() {
        return Ok(AuditSummary::default());
    }
    let inputs = AuditInputs::load(store).await?;
    let mut dependants: BTreeSet<(AccountNumber, Technology)> = BTreeSet::new();
    let mut summary = AuditSummary::default();
    for ((account, technology), names) in &touched {
        summary.absorb(audit_unit(store, engine, &inputs, account, technology, Some(names), now).await?);
        for dependant in engine.dependants(technology.as_str()) {
            dependants.insert((account.clone(), Technology::parse(dependant)?));
        }
    }
    for (account, technology) in dependants {
        summary.absorb(audit_unit(store, engine, &inputs, &account, &technology, None, now).await?);
    }
    Ok(summary)
}
