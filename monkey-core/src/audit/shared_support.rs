//! Support items read once for the units that audit against them at the same time.
//!
//! An account's IAM account summary, groups, roles and users all read its managed policies, and
//! the engine runs those units one after another or side by side: decoding the policies once
//! for all of them, instead of once each, was a quarter of the work of the last stage of a
//! collection. A set of support items is shared while some audit holds it, and the last set
//! read for each list of technologies is kept for [`KEEP_FOR`] (or until
//! [`SharedSupport::release`]), so memory holds at most one more set per list; a set serves
//! only while nothing it was read from has been committed since ([`SharedSupport::changed`]).

use super::AuditEngine;
use crate::auditor::{Support, SupportItem};
use crate::model::{AccountNumber, Technology};
use crate::store::{Store, StoreResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// How long the last set read for a list of technologies is kept for the next audit.
pub(super) const KEEP_FOR: Duration = Duration::from_secs(60);

/// The support items in use, shared between the audits that want the same ones.
#[derive(Debug, Default)]
pub struct SharedSupport {
    state: Mutex<State>,
}

/// (account, the technologies read, how often each was committed when read).
type Wanted = (AccountNumber, Vec<(Technology, u64)>);

#[derive(Debug, Default)]
struct State {
    /// How many times items of (account, technology) were committed.
    commits: HashMap<(AccountNumber, Technology), u64>,
    /// The support being read or in use; the lock makes a second reader wait for the first.
    live: HashMap<Wanted, Arc<tokio::sync::Mutex<Weak<Support>>>>,
    /// The last set read for each list of technologies, and when.
    recent: HashMap<Vec<Technology>, (Instant, Arc<Support>)>,
}

impl SharedSupport {
    /// The support items the auditors of `technology` read in `account`: the set another audit
    /// holds, if nothing in it has changed since, else read from the store.
    pub async fn get(
        &self,
        store: &dyn Store,
        engine: &AuditEngine,
        account: &AccountNumber,
        technology: &Technology,
    ) -> StoreResult<Arc<Support>> {
        let supporting = engine.support_of(technology.as_str());
        if supporting.is_empty() {
            return Ok(Arc::default());
        }
        let supporting = supporting.into_iter().map(Technology::parse).collect::<Result<Vec<_>, _>>()?;
        let slot = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let wanted = (
                account.clone(),
                supporting
                    .iter()
                    .map(|technology| {
                        let commits = state.commits.get(&(account.clone(), technology.clone())).copied();
                        (technology.clone(), commits.unwrap_or(0))
                    })
                    .collect(),
            );
            state.recent.retain(|_, (read_at, _)| read_at.elapsed() < KEEP_FOR);
            // Sets nobody holds or reads any more are dropped.
            state.live.retain(|_, slot| slot.try_lock().map_or(true, |held| held.strong_count() > 0));
            Arc::clone(state.live.entry(wanted).or_default())
        };
        let mut held = slot.lock().await;
        if let Some(support) = held.upgrade() {
            return Ok(support);
        }
        let mut items = Vec::new();
        for supporting in &supporting {
            for (item, config) in store.configs_of(account, supporting).await? {
                items.push(SupportItem { key: item.key, config });
            }
        }
        let support = Arc::new(Support::from(items));
        *held = Arc::downgrade(&support);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.recent.insert(supporting, (Instant::now(), Arc::clone(&support)));
        Ok(support)
    }

    /// Drops the sets kept for the next audit (those in use stay shared while in use).
    pub fn release(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).recent.clear();
    }

    /// Notes that items of `technology` in `account` were committed: support read before no
    /// longer serves.
    pub fn changed(&self, account: &AccountNumber, technology: &Technology) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state.commits.entry((account.clone(), technology.clone())).or_default() += 1;
    }
}
