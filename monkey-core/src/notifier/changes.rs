//! What one unit of work (account, technology) changed, read back from the store: the items
//! with a revision made since the run started, their configurations before and after, and
//! their issues sorted into new, fixed and pre-existing.
//!
//! Reading it from the store rather than from the run's memory is what lets a restarted
//! process rebuild the same notice for a run it was killed during.

use crate::audit::Transition;
use crate::model::{Account, Issue, IssueKey, ItemKey, Technology, Timestamp};
use crate::store::{ChangeKind, Store, StoreResult};
use serde_json::Value;
use std::collections::HashMap;

/// One changed item: its configurations before and after, and its issues.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedItem {
    /// The item.
    pub key: ItemKey,
    /// Created, changed or deleted.
    pub kind: ChangeKind,
    /// The configuration before (none for a created item).
    pub old: Option<Value>,
    /// The configuration after (an empty object for a deleted item).
    pub new: Value,
    /// Issues found for the first time, or again after they had been fixed.
    pub new_issues: Vec<Issue>,
    /// Issues the run no longer found.
    pub fixed_issues: Vec<Issue>,
    /// Issues that were already open.
    pub existing_issues: Vec<Issue>,
}

/// The changes one unit of work made in one account.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitChanges {
    /// The account.
    pub account: Account,
    /// The technology.
    pub technology: Technology,
    /// When the run started: its changes are the revisions made since.
    pub since: Timestamp,
    /// The changed items, by key.
    pub items: Vec<ChangedItem>,
}

impl UnitChanges {
    /// Reads what changed in (`account`, `technology`) since `since`. `transitions` are the
    /// audit's own account of its issues when known (a regression is new although first seen
    /// long ago); without them, issues are sorted by when they were first and last seen.
    pub async fn collect(
        store: &dyn Store,
        account: &Account,
        technology: &Technology,
        since: Timestamp,
        transitions: &[(IssueKey, Transition)],
    ) -> StoreResult<Self> {
        let known: HashMap<&IssueKey, Transition> = transitions.iter().map(|(k, t)| (k, *t)).collect();
        let mut items = Vec::new();
        for item in store.items_of(&account.number, technology).await? {
            if item.latest_revision_at < since {
                continue;
            }
            let revisions = store.revisions(&item.key).await?;
            let Some(latest) = revisions.iter().find(|r| r.id == item.latest_revision) else { continue };
            if latest.created_at < since {
                continue;
            }
            let before = revisions.iter().filter(|r| r.id < latest.id).max_by_key(|r| r.id);
            let kind = match (latest.active, before) {
                (false, _) => ChangeKind::Deleted,
                (true, Some(previous)) if previous.active => ChangeKind::Changed,
                (true, _) => ChangeKind::Created,
            };
            let old = before.filter(|r| r.active).map(|r| r.config.clone());
            let mut changed = ChangedItem {
                key: item.key.clone(),
                kind,
                old,
                new: latest.config.clone(),
                new_issues: Vec::new(),
                fixed_issues: Vec::new(),
                existing_issues: Vec::new(),
            };
            for issue in store.issues(&item.key).await? {
                let transition =
                    known.get(&issue.key).copied().unwrap_or(match (issue.fixed, issue.first_seen >= since) {
                        (true, _) => Transition::Fixed,
                        (false, true) => Transition::New,
                        (false, false) => Transition::Existing,
                    });
                match transition {
                    Transition::New | Transition::Regressed => changed.new_issues.push(issue),
                    Transition::Fixed if issue.last_seen >= since => changed.fixed_issues.push(issue),
                    Transition::Fixed => {}
                    Transition::Existing => changed.existing_issues.push(issue),
                }
            }
            items.push(changed);
        }
        Ok(Self { account: account.clone(), technology: technology.clone(), since, items })
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether any changed item carries an open issue (new or pre-existing).
    pub fn carries_issues(&self) -> bool {
        self.items.iter().any(|i| !i.new_issues.is_empty() || !i.existing_issues.is_empty())
    }

    /// Whether the run found a new (or regressed) issue.
    pub fn has_new_issues(&self) -> bool {
        self.items.iter().any(|i| !i.new_issues.is_empty())
    }

    /// The notice's idempotency key: the same unit and run always give the same id, so a
    /// restarted process that rebuilds it queues nothing twice.
    pub fn id(&self) -> String {
        format!("change/{}/{}/{}", self.account.number, self.technology, self.since.unix_nanos())
    }
}
