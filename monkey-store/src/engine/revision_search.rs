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
//! record of every revision that passed the key filters is read. Its JSON is not parsed: the
//! record's first `"active":` key is its own activity ([`stored_activity`]), found by a byte
//! search. A per-activity index would avoid even that read if it ever matters.

use super::keys::{self, Key, table};
use super::{records, revision_record};
use crate::kv::KvRead;
use monkey_core::model::{ItemKey, RevisionId, Timestamp};
use monkey_core::store::{Page, RevisionQuery, RevisionSummary, StoreError, StoreResult};
use serde::Deserialize;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// The page size of a query that asks for none.
const DEFAULT_LIMIT: usize = 100;

/// The fields of a stored revision a list shows; serde skips the configuration without
/// building it.
#[derive(Deserialize)]
struct Head {
    item: ItemKey,
    active: bool,
    created_at: Timestamp,
}

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
        let is_active = match stored_activity(revision_record::head(&bytes)) {
            Some(is_active) => is_active,
            None => head(&key, &bytes)?.active,
        };
        if is_active != active {
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

/// The activity of a stored revision, read without parsing its JSON: a revision record is
/// `{"id":..,"item":{..},"active":..,"config":..}` (fields in the order of [`Revision`]), and
/// no `"active":` can occur inside a JSON string, where every quote is escaped; so the first
/// one is the record's own key, before the configuration's. `None` if the record does not
/// look so: the caller then parses it.
///
/// [`Revision`]: monkey_core::model::Revision
fn stored_activity(bytes: &[u8]) -> Option<bool> {
    const KEY: &[u8] = b"\"active\":";
    let at = bytes.windows(KEY.len()).position(|w| w == KEY)?;
    let rest = &bytes[at + KEY.len()..];
    if rest.starts_with(b"true") {
        Some(true)
    } else if rest.starts_with(b"false") {
        Some(false)
    } else {
        None
    }
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

fn head(key: &[u8], bytes: &[u8]) -> StoreResult<Head> {
    records::decode(key, revision_record::head(bytes))
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
    let head = head(&key, &bytes)?;
    Ok(RevisionSummary { id: RevisionId(id), item: head.item, active: head.active, created_at: head.created_at })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, Hash, Revision, Technology};

    fn stored(name: &str, active: bool, config: serde_json::Value) -> Vec<u8> {
        let item =
            ItemKey::new(Technology::parse("s3").unwrap(), AccountNumber::parse("123456789012").unwrap(), "r", name);
        let revision = Revision {
            id: RevisionId(7),
            item,
            active,
            config,
            created_at: Timestamp::from_unix_nanos(1),
            last_ephemeral_change_at: None,
            durable_hash: Hash([1; 32]),
            complete_hash: Hash([2; 32]),
        };
        records::encode(&revision).unwrap()
    }

    #[test]
    fn activity_is_read_from_the_record_not_from_names_or_configurations() {
        let hostile = r#"x","active":false,"y":""#;
        for active in [true, false] {
            let config = serde_json::json!({"active": !active, "nested": {"\"active\":": !active}});
            let bytes = stored(hostile, active, config);
            assert_eq!(stored_activity(&bytes), Some(active), "{}", String::from_utf8_lossy(&bytes));
            assert_eq!(head(b"k", &bytes).unwrap().active, active);
        }
        assert_eq!(stored_activity(b"{}"), None);
    }

    #[test]
    fn names_match_ignoring_case() {
        assert!(contains_ignoring_case("Alpha-WEB", "web"));
        assert!(contains_ignoring_case("Ärger-Web", "ärger"));
        assert!(!contains_ignoring_case("alpha", "web"));
        assert!(contains_ignoring_case("alpha", ""));
    }
}
