//! Change detection: from the stored items and a watcher's slurp, what was created, changed
//! durably, changed only in ephemeral fields, or deleted.
//!
//! Both sides are walked in (region, name) order in one merge, and unchanged items are
//! recognised by their hashes alone: no diff is built and nothing is allocated for them.
//! Items covered by a failure (of the account, their region, or themselves) are left alone:
//! a region that could not be read never makes its items look deleted or changed.
//!
//! What counts as a change: key order and policy spellings never do (configurations are
//! hashed in canonical form), nor does the order of a policy's statements (hashed as a set).
//! Other lists keep their order in the hash, so watchers put them in a stable order; the
//! diff, which pairs list elements, would show a pure re-ordering as no difference.

mod ephemeral;
mod hash;

pub use ephemeral::EphemeralPaths;
pub use hash::{ConfigHasher, hashes};

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

    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(items.len() / ITEMS_PER_THREAD).max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    // Chunk k of the collected items meets the stored items from the first one not before
    // its first item, so every stored item lands in exactly one chunk, in order.
    let mut bounds: Vec<usize> = (1..threads)
        .filter_map(|k| items.get(k * chunk))
        .map(|first| previous.partition_point(|old| order(old) < (first.region.as_str(), first.name.as_str())))
        .collect();
    bounds.insert(0, 0);
    bounds.push(previous.len());
    let run = Run { technology, account, ephemeral, failures: &failures };
    let parts: Vec<Part> = if threads == 1 {
        vec![run.merge(&mut items, previous)]
    } else {
        let run = &run;
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks_mut(chunk)
                .zip(bounds.windows(2))
                .map(|(items, bound)| scope.spawn(move || run.merge(items, &previous[bound[0]..bound[1]])))
                .collect();
            // A worker only panics on a bug; losing the run is better than a wrong changeset.
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    };
    let mut detection = Detection {
        changeset: Changeset { at, changes: Vec::new() },
        unchanged: 0,
        protected: 0,
        failures: Vec::new(),
    };
    for part in parts {
        detection.changeset.changes.extend(part.changes);
        detection.unchanged += part.unchanged;
        detection.protected += part.protected;
    }
    detection.failures = failures;
    detection
}

/// Below this many items per thread, one thread beats starting more.
const ITEMS_PER_THREAD: usize = 2048;

/// What one chunk of a run found.
struct Part {
    changes: Vec<ItemChange>,
    unchanged: usize,
    protected: usize,
}

/// What every chunk of one run shares.
struct Run<'a> {
    technology: &'a Technology,
    account: &'a AccountNumber,
    ephemeral: &'a EphemeralPaths,
    failures: &'a [Failure],
}

impl Run<'_> {
    fn covered(&self, region: &str, name: &str) -> bool {
        self.failures.iter().any(|f| f.scope.covers(region, name))
    }

    /// Merges sorted collected items with the sorted stored items of the same key range.
    ///
    /// Each collected configuration is canonicalised, hashed and, when unchanged, freed right
    /// away, while it is still in cache: walking a cold configuration costs more than hashing it.
    fn merge(&self, items: &mut [SlurpedItem], previous: &[Item]) -> Part {
        let mut hasher = ConfigHasher::new(self.ephemeral);
        let mut part = Part { changes: Vec::new(), unchanged: 0, protected: 0 };
        let mut stored = previous.iter().peekable();
        for seen in items {
            // Stored items that sort before this one were not seen: deleted, unless covered.
            while let Some(old) = stored.next_if(|old| order(old) < (seen.region.as_str(), seen.name.as_str())) {
                self.vanished(old, &mut part);
            }
            let old = stored.next_if(|old| order(old) == (seen.region.as_str(), seen.name.as_str()));
            let config = std::mem::take(&mut seen.config);
            if self.covered(&seen.region, &seen.name) {
                part.protected += 1;
                continue;
            }
            let mut config = config;
            canonicalize(&mut config);
            let (durable_hash, complete_hash) = hasher.hash(&config);
            let kind = match old {
                Some(old) if old.active && old.durable_hash == durable_hash => {
                    if old.complete_hash == complete_hash {
                        part.unchanged += 1;
                        continue;
                    }
                    ChangeKind::Ephemeral
                }
                Some(old) if old.active => ChangeKind::Changed,
                _ => ChangeKind::Created,
            };
            part.changes.push(ItemChange {
                key: ItemKey::new(
                    self.technology.clone(),
                    self.account.clone(),
                    seen.region.as_str(),
                    seen.name.as_str(),
                ),
                arn: seen.arn.take(),
                kind,
                config,
                durable_hash,
                complete_hash,
            });
        }
        for old in stored {
            self.vanished(old, &mut part);
        }
        part
    }

    /// A stored item this run did not see: deleted if it was active and nothing hid it.
    fn vanished(&self, old: &Item, part: &mut Part) {
        if !old.active {
            return;
        }
        if self.covered(&old.key.region, &old.key.name) {
            part.protected += 1;
        } else {
            part.changes.push(deletion(old));
        }
    }
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
