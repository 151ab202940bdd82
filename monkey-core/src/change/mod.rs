//! Change detection: from the stored items and a watcher's slurp, what was created, changed
//! durably, changed only in ephemeral fields, or deleted.
//!
//! Both sides are walked in (region, name) order in one merge, and unchanged items are
//! recognised by their hashes alone: no diff is built and nothing is allocated for them.
//! Items covered by a failure (of the account, their region, or themselves) are left alone:
//! a region that could not be read never makes its items look deleted or changed.

mod ephemeral;
mod hash;

pub use ephemeral::EphemeralPaths;
pub use hash::hashes;

use crate::diff::canonicalize;
use crate::model::{AccountNumber, Item, ItemKey, Technology, Timestamp};
use crate::store::{ChangeKind, Changeset, ItemChange};
use crate::watcher::{Failure, FailureScope, Slurp, SlurpedItem};

/// What one watcher run changed, and what it left alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The changes to commit.
    pub changeset: Changeset,
    /// Items seen unchanged.
    pub unchanged: usize,
    /// Stored or seen items left alone because a failure covers them.
    pub protected: usize,
    /// The watcher's failures, plus one per duplicate item it returned.
    pub failures: Vec<Failure>,
}

impl Detection {
    /// How many changes of `kind` there are.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changeset.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// Compares a watcher's slurp of one (account, technology) with the stored items of it.
///
/// `previous` are the stored items of that account and technology (any order; the store
/// returns them sorted, which saves a sort). Each collected configuration is put in canonical
/// form ([`canonicalize`]) before it is hashed, so key order and policy encoding are no change.
pub fn detect(
    technology: &Technology,
    account: &AccountNumber,
    previous: &[Item],
    slurp: Slurp,
    ephemeral: &EphemeralPaths,
    at: Timestamp,
) -> Detection {
    let Slurp { mut items, mut failures } = slurp;
    items.sort_unstable_by(|a, b| (a.region.as_str(), a.name.as_str()).cmp(&(b.region.as_str(), b.name.as_str())));
    drop_duplicates(&mut items, &mut failures);

    let sorted_previous;
    let previous: &[Item] = if is_sorted(previous) {
        previous
    } else {
        let mut copy = previous.to_vec();
        copy.sort_unstable_by(|a, b| order(a).cmp(&order(b)));
        sorted_previous = copy;
        &sorted_previous
    };

    let covered = |region: &str, name: &str| failures.iter().any(|f| f.scope.covers(region, name));
    let mut changes = Vec::new();
    let mut unchanged = 0;
    let mut protected = 0;
    let key = |region: &str, name: &str| ItemKey::new(technology.clone(), account.clone(), region, name);

    let mut stored = previous.iter().peekable();
    for mut seen in items {
        // Stored items that sort before this one were not seen: deleted, unless covered.
        while let Some(old) = stored.next_if(|old| order(old) < (seen.region.as_str(), seen.name.as_str())) {
            if old.active {
                if covered(&old.key.region, &old.key.name) {
                    protected += 1;
                } else {
                    changes.push(deletion(old));
                }
            }
        }
        if covered(&seen.region, &seen.name) {
            protected += 1;
            stored.next_if(|old| order(old) == (seen.region.as_str(), seen.name.as_str()));
            continue;
        }
        canonicalize(&mut seen.config);
        let (durable_hash, complete_hash) = hashes(&seen.config, ephemeral);
        let old = stored.next_if(|old| order(old) == (seen.region.as_str(), seen.name.as_str()));
        let kind = match old {
            Some(old) if old.active && old.durable_hash == durable_hash => {
                if old.complete_hash == complete_hash {
                    unchanged += 1;
                    continue;
                }
                ChangeKind::Ephemeral
            }
            Some(old) if old.active => ChangeKind::Changed,
            _ => ChangeKind::Created,
        };
        changes.push(ItemChange {
            key: key(&seen.region, &seen.name),
            arn: seen.arn,
            kind,
            config: seen.config,
            durable_hash,
            complete_hash,
        });
    }
    for old in stored {
        if old.active {
            if covered(&old.key.region, &old.key.name) {
                protected += 1;
            } else {
                changes.push(deletion(old));
            }
        }
    }
    Detection { changeset: Changeset { at, changes }, unchanged, protected, failures }
}

fn order(item: &Item) -> (&str, &str) {
    (item.key.region.as_str(), item.key.name.as_str())
}

fn is_sorted(items: &[Item]) -> bool {
    items.windows(2).all(|w| order(&w[0]) <= order(&w[1]))
}

fn deletion(old: &Item) -> ItemChange {
    let config = serde_json::Value::Object(serde_json::Map::new());
    let (durable_hash, complete_hash) = hashes(&config, &EphemeralPaths::none());
    ItemChange {
        key: old.key.clone(),
        arn: old.arn.clone(),
        kind: ChangeKind::Deleted,
        config,
        durable_hash,
        complete_hash,
    }
}

/// Keeps the first of items with the same (region, name) and records a failure for it, so
/// the ambiguous item is neither changed nor deleted in this run.
fn drop_duplicates(items: &mut Vec<SlurpedItem>, failures: &mut Vec<Failure>) {
    let mut duplicates: Vec<(String, String)> = Vec::new();
    items.dedup_by(|later, first| {
        let same = later.region == first.region && later.name == first.name;
        if same && duplicates.last().is_none_or(|(r, n)| (r, n) != (&first.region, &first.name)) {
            duplicates.push((first.region.clone(), first.name.clone()));
        }
        same
    });
    failures.extend(duplicates.into_iter().map(|(region, name)| Failure {
        message: format!("the watcher returned more than one item named {name:?} in {region}"),
        scope: FailureScope::Item { region, name },
    }));
}

#[cfg(test)]
mod tests;
