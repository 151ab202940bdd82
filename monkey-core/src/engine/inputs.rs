//! The audit inputs of the engine's units, kept between units.
//!
//! Learning networks and VPCs reads every stored item of [`Environment::LEARNS_FROM`] in every
//! account: doing that for each unit made a full collection quadratic in the estate. The
//! engine keeps what it learned per (account, technology), replaces a part when one of its own
//! units changes that technology, and reads everything again after [`RELEARN_AFTER`] (changes
//! another process committed). Accounts, whitelist and score overrides are small and are read
//! for every unit.

use crate::audit::{AuditInputs, Environment, SharedSupport, learn};
use crate::model::{Account, AccountNumber, NetworkWhitelistEntry, ScoreOverride, Technology};
use crate::store::{ChangeKind, Changeset, Store, StoreResult};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long learned networks are trusted before they are read from the store again.
pub const RELEARN_AFTER: Duration = Duration::from_secs(600);

/// What the audit inputs were assembled from.
#[derive(Default)]
struct Known {
    accounts: Vec<Account>,
    whitelist: Vec<NetworkWhitelistEntry>,
    overrides: Vec<ScoreOverride>,
    learned: BTreeMap<(AccountNumber, Technology), Environment>,
    learned_at: Option<Instant>,
    assembled: Option<AuditInputs>,
}

/// The engine's audit inputs, assembled again only when what they come from changed.
#[derive(Default)]
pub(super) struct InputsCache {
    known: tokio::sync::Mutex<Known>,
    /// One for the engine's life, so that every unit's inputs share it.
    support: Arc<SharedSupport>,
}

impl InputsCache {
    /// The inputs to audit `changeset`, a run of `technology` in `account` about to be
    /// committed: when the environment learns from `technology`, what the changeset changes
    /// is already learned.
    pub(super) async fn for_changeset(
        &self,
        store: &dyn Store,
        account: &AccountNumber,
        technology: &Technology,
        changeset: &Changeset,
    ) -> StoreResult<AuditInputs> {
        let mut known = self.known.lock().await;
        let accounts = store.accounts().await?;
        let whitelist = store.whitelist().await?;
        let overrides = store.score_overrides().await?;
        if (&known.accounts, &known.whitelist, &known.overrides) != (&accounts, &whitelist, &overrides) {
            (known.accounts, known.whitelist, known.overrides) = (accounts, whitelist, overrides);
            known.assembled = None;
        }
        if known.learned_at.is_none_or(|at| at.elapsed() > RELEARN_AFTER) {
            known.learned.clear();
            known.learned_at = Some(Instant::now());
            known.assembled = None;
        }
        let numbers: Vec<AccountNumber> = known.accounts.iter().map(|a| a.number.clone()).collect();
        let before = known.learned.len();
        known.learned.retain(|(number, _), _| numbers.contains(number));
        if known.learned.len() != before {
            known.assembled = None;
        }
        // The part this changeset changes is learned below, from the store and the changes.
        let relearned = Environment::LEARNS_FROM.contains(&technology.as_str()) && !changeset.changes.is_empty();
        for number in &numbers {
            for learns_from in Environment::LEARNS_FROM {
                let learns_from = Technology::parse(learns_from)?;
                if relearned && number == account && learns_from == *technology {
                    continue;
                }
                let part = (number.clone(), learns_from);
                if let std::collections::btree_map::Entry::Vacant(missing) = known.learned.entry(part) {
                    let (number, learns_from) = missing.key();
                    let configs = store.configs_of(number, learns_from).await?;
                    let learned = learn(learns_from, number, configs.iter().map(|(_, config)| config));
                    missing.insert(learned);
                    known.assembled = None;
                }
            }
        }
        if relearned {
            let stored = store.configs_of(account, technology).await?;
            let mut configs: HashMap<ItemName<'_>, &Value> = stored
                .iter()
                .map(|(item, config)| ((item.key.region.as_str(), item.key.name.as_str()), config))
                .collect();
            for change in &changeset.changes {
                let name = (change.key.region.as_str(), change.key.name.as_str());
                match change.kind {
                    ChangeKind::Deleted => {
                        configs.remove(&name);
                    }
                    ChangeKind::Created | ChangeKind::Changed | ChangeKind::Ephemeral => {
                        configs.insert(name, &change.config);
                    }
                }
            }
            let learned = learn(technology, account, configs.into_values());
            known.learned.insert((account.clone(), technology.clone()), learned);
            known.assembled = None;
        }
        if let Some(inputs) = &known.assembled {
            return Ok(inputs.clone());
        }
        let mut inputs = AuditInputs::assemble(
            known.accounts.clone(),
            known.whitelist.clone(),
            known.overrides.clone(),
            known.learned.values(),
        );
        inputs.support = Arc::clone(&self.support);
        known.assembled = Some(inputs.clone());
        Ok(inputs)
    }

    /// Notes that a unit of `technology` in `account` committed changes: support items read
    /// before no longer serve.
    pub(super) fn committed(&self, account: &AccountNumber, technology: &Technology) {
        self.support.changed(account, technology);
    }

    /// Drops the support items kept for the next unit.
    pub(super) fn release_support(&self) {
        self.support.release();
    }

    /// Forgets what was learned from `technology` in `account` (its commit failed: the part
    /// learned ahead of it may be wrong).
    pub(super) async fn forget(&self, account: &AccountNumber, technology: &Technology) {
        self.support.changed(account, technology);
        let mut known = self.known.lock().await;
        if known.learned.remove(&(account.clone(), technology.clone())).is_some() {
            known.assembled = None;
        }
    }
}

/// (region, name): an item within its (account, technology).
type ItemName<'a> = (&'a str, &'a str);
