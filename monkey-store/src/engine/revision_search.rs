//! Revision search across items (Security Monkey's revisions tab), newest first.
//!
//! Revision ids grow with time, so the newest revisions are those with the highest ids. No
//! index orders every revision by id and the key layer scans ascending only, so a search reads
//! the keys of the revisions-by-item index under the narrowest prefixes its filters allow (one
//! per technology, or per technology and account), filters them on the item key they hold and
//! keeps the ids; then it decodes only the page's revision records, and of those only the head
//! (item, activity, time): never the configurations. O(matching index keys) per query, with no
//! JSON decoded for the revisions outside the page.
//!
//! The activity filter is the exception: activity lives in the record, so with that filter the
//! record of every revision that passed the key filters is read, but not decoded
//! ([`revision_record::activity`]). A per-activity index would avoid even that read if it ever
//! matters.

use super::keys::{self, Key, table};
use super::revision_record;
use crate::kv::KvRead;
use monkey_core::model::RevisionId;
use monkey_core::store::{Page, RevisionQuery, RevisionSummary, StoreError, StoreResult};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// The page size of a query that asks for none.
const DEFAULT_LIMIT: usize = 100;

/// Revisions matching `query`, highest id first.
pub(crate) fn search(r: &dyn KvRead, query: &RevisionQuery) -> StoreResult<Page<RevisionSummary>> {
    let limit = if query.limit == 0 { DEFAULT_LIMIT } else { query.limit };
    let wanted = query.offset.saturating_add(limit);
    let name_contains = query.name_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty());
    // Scanned under (technology, account) prefixes, every key is of an account asked for.
    let by_account = !query.technologies.is_empty() && !query.accounts.is_empty();

    // Without the activity filter only the top `wanted` ids are kept; with it every candidate.
    let mut top: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut candidates = Vec::new();
    let mut matched = 0usize;
    for prefix in prefixes(query) {
        r.scan(&prefix, &mut |key, _| {
            let mut reader = keys::Reader::new(key);
            let fields = reader.item_fields()?;
            let id = reader.u64_desc()?;
            reader.end()?;
            let keep = (by_account
                || query.accounts.is_empty()
                || query.accounts.iter().any(|a| a.as_str() == fields.account))
                && (query.regions.is_empty() || query.regions.iter().any(|g| *g == fields.region))
                && name_contains.as_ref().is_none_or(|n| contains_ignoring_case(&fields.name, n));
            if !keep {
                return Ok(true);
            }
            if query.active.is_some() {
                candidates.push(id);
            } else {
                matched += 1;
                if top.len() < wanted {
                    top.push(Reverse(id));
                } else if top.peek().is_some_and(|Reverse(least)| *least < id) {
                    top.pop();
                    top.push(Reverse(id));
                }
            }
            Ok(true)
        })?;
    }

    let Some(active) = query.active else {
        // Ascending order of `Reverse` is descending order of ids.
        let newest = top.into_sorted_vec().into_iter().map(|Reverse(id)| id);
        let items = newest.skip(query.offset).take(limit).map(|id| summary(r, id)).collect::<StoreResult<Vec<_>>>()?;
        return Ok(Page { total: matched, items });
    };
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    let mut page = Vec::new();
    let mut total = 0usize;
    for id in candidates {
        let key = keys::revision(RevisionId(id));
        let bytes = r.get(&key)?.ok_or_else(|| missing(id))?;
        if revision_record::activity(&key, &bytes)? != active {
            continue;
        }
        if total >= query.offset && page.len() < limit {
            page.push(id);
        }
        total += 1;
    }
    let items = page.into_iter().map(|id| summary(r, id)).collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { total, items })
}

/// Whether `name` contains `needle` (lower-cased), ignoring case; without allocating for ASCII
/// names, which item names mostly are.
fn contains_ignoring_case(name: &str, needle: &str) -> bool {
    if name.is_ascii() && needle.is_ascii() {
        let (name, needle) = (name.as_bytes(), needle.as_bytes());
        return needle.is_empty() || name.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
    }
    name.to_lowercase().contains(needle)
}

fn missing(id: u64) -> StoreError {
    StoreError::Corrupt { what: format!("revision {id} is in the revisions-by-item index but missing") }
}

/// The index prefixes to scan: one per technology (and account) asked for, else the whole index.
fn prefixes(query: &RevisionQuery) -> Vec<Key> {
    let index = || Key::new(table::REVISION_BY_ITEM);
    let technologies: BTreeSet<&str> = query.technologies.iter().map(|t| t.as_str()).collect();
    let accounts: BTreeSet<&str> = query.accounts.iter().map(|a| a.as_str()).collect();
    if technologies.is_empty() {
        return vec![index()];
    }
    let mut out = Vec::new();
    for technology in technologies {
        if accounts.is_empty() {
            out.push(index().str(technology));
        } else {
            out.extend(accounts.iter().map(|account| index().str(technology).str(account)));
        }
    }
    out
}

/// The revision `id` as a list shows it, from its record's head.
fn summary(r: &dyn KvRead, id: u64) -> StoreResult<RevisionSummary> {
    let key = keys::revision(RevisionId(id));
    let bytes = r.get(&key)?.ok_or_else(|| missing(id))?;
    let head = revision_record::outline(&key, &bytes)?;
    Ok(RevisionSummary { id: RevisionId(id), item: head.item, active: head.active, created_at: head.created_at })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case() {
        assert!(contains_ignoring_case("Alpha-WEB", "web"));
        assert!(contains_ignoring_case("Ärger-Web", "ärger"));
        assert!(!contains_ignoring_case("alpha", "web"));
        assert!(contains_ignoring_case("alpha", ""));
    }
}
