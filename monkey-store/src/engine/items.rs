//! Items and revisions: changesets, the item indexes, history, search and distinct values.
//!
//! Search and distinct values answer from the in-memory [`Catalog`] of the date index and read
//! only the item records of the page asked for.

use super::catalog::{self, Catalog};
use super::keys::{self, Key, table};
use super::prepared::{PreparedChange, PreparedChangeset};
use super::records::{self, Summary};
use super::revision_record::{self, RevisionHead};
use super::{comments, issues, item_record};
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{AccountNumber, CommentTarget, Item, ItemKey, Revision, RevisionId, Technology, Timestamp};
use monkey_core::store::{ChangeKind, CommitReceipt, DistinctField, ItemQuery, Page, StoreError, StoreResult};
use std::collections::HashMap;

/// The page size of a query that asks for none.
const DEFAULT_LIMIT: usize = 100;

/// One item.
pub(crate) fn get(r: &dyn KvRead, key: &ItemKey) -> StoreResult<Option<Item>> {
    let stored = keys::item(key);
    r.get(&stored)?.map(|bytes| item_record::decode_of(key, &stored, &bytes)).transpose()
}

/// Stores an item record and refreshes its date-index summary (its date must be indexed).
pub(crate) fn put(w: &mut dyn KvWrite, item: &Item) -> StoreResult<()> {
    w.put(&keys::item(&item.key), &item_record::encode(item))?;
    let summary = Summary::of(item);
    w.put(&keys::item_by_date(item.latest_revision_at, &item.key), &summary.encode())
}

/// The item holding `arn`.
pub(crate) fn by_arn(r: &dyn KvRead, arn: &str) -> StoreResult<Option<Item>> {
    let key = keys::item_by_arn(arn);
    match r.get(&key)? {
        Some(fields) => get(r, &keys::item_key_at(&Key::new(table::ITEM).raw(&fields), 0)?),
        None => Ok(None),
    }
}

/// Every item of one technology in one account, by (region, name).
pub(crate) fn of(r: &dyn KvRead, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Item>> {
    item_record::list(r, &keys::items_of(technology, account))
}

/// Every active item of one technology in one account with its latest configuration.
pub(crate) fn configs_of(
    r: &dyn KvRead,
    account: &AccountNumber,
    technology: &Technology,
) -> StoreResult<Vec<(Item, serde_json::Value)>> {
    let mut out = Vec::new();
    for item in of(r, account, technology)?.into_iter().filter(|item| item.active) {
        let latest = revision(r, item.latest_revision)?.ok_or_else(|| StoreError::Corrupt {
            what: format!("item {} points at revision {} which does not exist", item.key, item.latest_revision),
        })?;
        out.push((item, latest.config));
    }
    Ok(out)
}

/// The keys of an account's items.
///
/// Every item key is read: deleting an account is rare, and an index of accounts' items cost
/// a write for every new item.
pub(crate) fn keys_of_account(r: &dyn KvRead, account: &AccountNumber) -> StoreResult<Vec<ItemKey>> {
    let mut out = Vec::new();
    r.scan(&[table::ITEM], &mut |key, _| {
        let item = keys::item_key_at(key, 0)?;
        if item.account == *account {
            out.push(item);
        }
        Ok(true)
    })?;
    Ok(out)
}

/// One revision.
pub(crate) fn revision(r: &dyn KvRead, id: RevisionId) -> StoreResult<Option<Revision>> {
    let key = keys::revision(id);
    r.get(&key)?.map(|bytes| revision_record::decode(&key, &bytes)).transpose()
}

/// The revision ids of an item, newest first.
pub(crate) fn revision_ids(r: &dyn KvRead, key: &ItemKey) -> StoreResult<Vec<RevisionId>> {
    let prefix = keys::revisions_of(key);
    let mut out = Vec::new();
    r.scan(&prefix, &mut |entry, _| {
        let mut reader = keys::Reader::new(entry);
        reader.item()?;
        let id = reader.u64_desc()?;
        reader.end()?;
        out.push(RevisionId(id));
        Ok(true)
    })?;
    Ok(out)
}

/// Every revision of an item, newest first.
pub(crate) fn revisions(r: &dyn KvRead, key: &ItemKey) -> StoreResult<Vec<Revision>> {
    revision_ids(r, key)?
        .into_iter()
        .map(|id| {
            revision(r, id)?.ok_or_else(|| StoreError::Corrupt {
                what: format!("revision {id} of item {key} is indexed but missing"),
            })
        })
        .collect()
}

/// Deletes an item with its revisions, issues, comments and index entries.
pub(crate) fn purge(w: &mut dyn KvWrite, key: &ItemKey) -> StoreResult<()> {
    let Some(item) = get(w, key)? else { return Ok(()) };
    for id in revision_ids(w, key)? {
        comments::delete_on(w, &CommentTarget::Revision(id))?;
        w.delete(&keys::revision(id))?;
        w.delete(&keys::revision_by_item(key, id))?;
    }
    comments::delete_on(w, &CommentTarget::Item(key.clone()))?;
    issues::delete_of(w, key)?;
    if let Some(arn) = &item.arn {
        release_arn(w, arn, key)?;
    }
    w.delete(&keys::item_by_date(item.latest_revision_at, key))?;
    w.delete(&keys::item(key))
}

/// Removes `arn` from the ARN index if `holder` holds it there.
fn release_arn(w: &mut dyn KvWrite, arn: &str, holder: &ItemKey) -> StoreResult<()> {
    let index = keys::item_by_arn(arn);
    if w.get(&index)?.as_deref() == Some(keys::item_fields(holder).as_slice()) {
        w.delete(&index)?;
    }
    Ok(())
}

/// Gives `item` the ARN `arn`, taking it from any other item that holds it (ARNs are unique,
/// and a resource recreated under another key keeps its ARN). The item record is not written.
fn set_arn(w: &mut dyn KvWrite, item: &mut Item, arn: Option<String>) -> StoreResult<()> {
    if item.arn == arn {
        return Ok(());
    }
    if let Some(old) = &item.arn {
        release_arn(w, old, &item.key)?;
    }
    if let Some(new) = &arn {
        if let Some(mut holder) = by_arn(w, new)?
            && holder.key != item.key
        {
            holder.arn = None;
            put(w, &holder)?;
        }
        w.put(&keys::item_by_arn(new), &keys::item_fields(&item.key))?;
    }
    item.arn = arn;
    Ok(())
}

/// Applies a changeset inside a write transaction.
pub(crate) fn commit(w: &mut dyn KvWrite, changeset: &PreparedChangeset) -> StoreResult<CommitReceipt> {
    commit_scored(w, changeset, &Scores::new())
}

/// The scores an audit in the same transaction gives items, by item.
pub(crate) type Scores<'a> = HashMap<&'a ItemKey, (u32, u32)>;

/// Applies a changeset inside a write transaction, giving the items in `scores` those scores
/// (so that an audit committed with it does not write their records a second time).
pub(crate) fn commit_scored(
    w: &mut dyn KvWrite,
    changeset: &PreparedChangeset,
    scores: &Scores<'_>,
) -> StoreResult<CommitReceipt> {
    let mut receipt = CommitReceipt::default();
    // Ids are taken from the counter once per changeset, not once per change.
    let first = records::get_u64(w, keys::meta::NEXT_REVISION)?.unwrap_or(1);
    let mut next = first;
    for change in &changeset.changes {
        let scored = scores.get(&change.key).copied();
        let id = match change.kind {
            ChangeKind::Ephemeral => apply_ephemeral(w, change, changeset.at, scored)?,
            ChangeKind::Created | ChangeKind::Changed | ChangeKind::Deleted => {
                let id = RevisionId(next);
                next = next.checked_add(1).ok_or_else(|| StoreError::Corrupt {
                    what: format!("{} has run out of ids", keys::describe(keys::meta::NEXT_REVISION)),
                })?;
                apply_revision(w, change, id, changeset.at, scored)?;
                id
            }
        };
        receipt.revisions.push((change.key.clone(), id));
    }
    if next != first {
        w.put(keys::meta::NEXT_REVISION, &next.to_be_bytes())?;
    }
    Ok(receipt)
}

/// An ARN as given, with a blank one meaning none.
fn clean_arn(arn: &Option<String>) -> Option<String> {
    arn.as_ref().filter(|a| !a.trim().is_empty()).cloned()
}

/// Updates the latest revision of an existing item in place.
fn apply_ephemeral(
    w: &mut dyn KvWrite,
    change: &PreparedChange,
    at: Timestamp,
    scored: Option<(u32, u32)>,
) -> StoreResult<RevisionId> {
    let mut item = get(w, &change.key)?.ok_or_else(|| StoreError::NotFound {
        what: format!("item {} (an ephemeral change updates an existing item)", change.key),
    })?;
    let latest = revision(w, item.latest_revision)?.ok_or_else(|| StoreError::Corrupt {
        what: format!("revision {} of item {} is missing", item.latest_revision, item.key),
    })?;
    let head = RevisionHead {
        id: latest.id,
        item: &latest.item,
        active: latest.active,
        created_at: latest.created_at,
        last_ephemeral_change_at: Some(at),
        durable_hash: change.durable_hash,
        complete_hash: change.complete_hash,
    };
    w.put(&keys::revision(latest.id), &head.record(&change.config)?)?;
    item.durable_hash = change.durable_hash;
    item.complete_hash = change.complete_hash;
    // The ARN is not ephemeral: no ARN in an ephemeral change keeps the stored one.
    let arn = clean_arn(&change.arn).or_else(|| item.arn.clone());
    set_arn(w, &mut item, arn)?;
    if let Some((score, unjustified)) = scored {
        (item.score, item.unjustified_score) = (score, unjustified);
    }
    put(w, &item)?;
    Ok(latest.id)
}

/// Makes a new revision (created, changed or deleted), creating the item if needed.
fn apply_revision(
    w: &mut dyn KvWrite,
    change: &PreparedChange,
    id: RevisionId,
    at: Timestamp,
    scored: Option<(u32, u32)>,
) -> StoreResult<()> {
    let deleted = change.kind == ChangeKind::Deleted;
    let head = RevisionHead {
        id,
        item: &change.key,
        active: !deleted,
        created_at: at,
        last_ephemeral_change_at: None,
        durable_hash: change.durable_hash,
        complete_hash: change.complete_hash,
    };
    w.put(&keys::revision(id), &head.record(&change.config)?)?;
    w.put(&keys::revision_by_item(&change.key, id), &[])?;
    let mut item = match get(w, &change.key)? {
        Some(item) => {
            w.delete(&keys::item_by_date(item.latest_revision_at, &item.key))?;
            item
        }
        None => Item {
            key: change.key.clone(),
            arn: None,
            latest_revision: id,
            latest_revision_at: at,
            active: true,
            durable_hash: change.durable_hash,
            complete_hash: change.complete_hash,
            score: 0,
            unjustified_score: 0,
        },
    };
    item.latest_revision = id;
    item.latest_revision_at = at;
    item.active = !deleted;
    item.durable_hash = change.durable_hash;
    item.complete_hash = change.complete_hash;
    // A deletion carries the last known ARN, or none: either way the item keeps it.
    let arn = if deleted { clean_arn(&change.arn).or_else(|| item.arn.clone()) } else { clean_arn(&change.arn) };
    set_arn(w, &mut item, arn)?;
    if let Some((score, unjustified)) = scored {
        (item.score, item.unjustified_score) = (score, unjustified);
    }
    put(w, &item)
}

/// Items matching `query`, newest latest revision first, ties by key.
///
/// The catalog answers every filter but `config_contains`, which reads the latest revision of
/// each item that passed the rest; ARNs are looked up in the ARN index first, so that the
/// catalog considers only the items holding them.
pub(crate) fn search(r: &dyn KvRead, catalog: &Catalog, query: &ItemQuery) -> StoreResult<Page<Item>> {
    let limit = if query.limit == 0 { DEFAULT_LIMIT } else { query.limit };
    let holders = if query.arns.is_empty() { None } else { Some(holders_of(r, &query.arns)?) };
    let among = holders.as_deref();
    let Some(needle) = query.config_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty()) else {
        let found = catalog.search(query, among, limit, false);
        return Ok(Page { total: found.total, items: listed(r, found.keys)? });
    };
    let mut page = Page { total: 0, items: Vec::new() };
    for key in catalog.search(query, among, limit, true).keys {
        let Some(item) = record(r, &key)? else { continue };
        if !config_contains(r, &item, &needle)? {
            continue;
        }
        if page.total >= query.offset && page.items.len() < limit {
            page.items.push(item);
        }
        page.total += 1;
    }
    Ok(page)
}

/// The item records under `keys`, skipping those a commit removed since the catalog listed them.
fn listed(r: &dyn KvRead, keys: Vec<Vec<u8>>) -> StoreResult<Vec<Item>> {
    let mut items = Vec::with_capacity(keys.len());
    for key in keys {
        items.extend(record(r, &key)?);
    }
    Ok(items)
}

/// The item record under `key`.
fn record(r: &dyn KvRead, key: &[u8]) -> StoreResult<Option<Item>> {
    r.get(key)?.map(|bytes| item_record::decode(key, &bytes)).transpose()
}

/// The key fields (as stored) of the items holding `arns`, from the ARN index.
fn holders_of(r: &dyn KvRead, arns: &[String]) -> StoreResult<Vec<Vec<u8>>> {
    let mut holders = Vec::with_capacity(arns.len());
    for arn in arns {
        holders.extend(r.get(&keys::item_by_arn(arn))?);
    }
    Ok(holders)
}

/// Whether the latest configuration of `item` contains `needle` (lower-cased) in its JSON text.
fn config_contains(r: &dyn KvRead, item: &Item, needle: &str) -> StoreResult<bool> {
    let latest = revision(r, item.latest_revision)?.ok_or_else(|| StoreError::Corrupt {
        what: format!("revision {} of item {} is missing", item.latest_revision, item.key),
    })?;
    Ok(latest.config.to_string().to_lowercase().contains(needle))
}

/// Sorted distinct values of an item field starting with `prefix` (case-insensitive).
pub(crate) fn distinct(
    r: &dyn KvRead,
    catalog: &Catalog,
    field: DistinctField,
    prefix: &str,
    limit: usize,
) -> StoreResult<Vec<String>> {
    let prefix = prefix.to_lowercase();
    let field = match field {
        DistinctField::Account => return super::accounts::names_starting_with(r, &prefix, limit),
        DistinctField::Technology => catalog::Field::Technology,
        DistinctField::Region => catalog::Field::Region,
        DistinctField::Name => catalog::Field::Name,
    };
    Ok(catalog.distinct(field, &prefix, limit))
}
