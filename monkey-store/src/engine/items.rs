//! Items and revisions: changesets, the item indexes, history, search and distinct values.
//!
//! Search walks the date index newest first and filters on what the index holds (the item key,
//! activity and score), reading only the items of the requested page: O(matching entries in
//! the store) per query, with no JSON decoded for entries that are filtered out. The filters the
//! index cannot answer (ARNs, unjustified score, configuration text) read the item record, and
//! the configuration filter its latest revision, of the entries that passed the cheap filters
//! only. That is fine for the tens of thousands of items one installation watches; a per-field
//! index would be the next step if it stops being so.

use super::keys::{self, Key, table};
use super::records::{self, Summary};
use super::{comments, issues};
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{AccountNumber, CommentTarget, Item, ItemKey, Revision, RevisionId, Technology, Timestamp};
use monkey_core::store::{
    ChangeKind, Changeset, CommitReceipt, DistinctField, ItemChange, ItemQuery, Page, StoreError, StoreResult,
};
use std::collections::BTreeSet;

/// The page size of a query that asks for none.
const DEFAULT_LIMIT: usize = 100;

/// One item.
pub(crate) fn get(r: &dyn KvRead, key: &ItemKey) -> StoreResult<Option<Item>> {
    records::get(r, &keys::item(key))
}

/// Stores an item record and refreshes its date-index summary (its date must be indexed).
pub(crate) fn put(w: &mut dyn KvWrite, item: &Item) -> StoreResult<()> {
    records::put(w, &keys::item(&item.key), item)?;
    let summary = Summary { active: item.active, score: item.score };
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
    records::list(r, &keys::items_of(technology, account))
}

/// The keys of an account's items.
pub(crate) fn keys_of_account(r: &dyn KvRead, account: &AccountNumber) -> StoreResult<Vec<ItemKey>> {
    let prefix = keys::items_by_account(account);
    let mut out = Vec::new();
    r.scan(&prefix, &mut |key, _| {
        let mut reader = keys::Reader::new(key);
        let account = AccountNumber::parse(&reader.str()?);
        let technology = Technology::parse(&reader.str()?);
        let (Ok(account), Ok(technology)) = (account, technology) else {
            return Err(StoreError::Corrupt { what: keys::describe(key) });
        };
        let region = reader.str()?.into_owned();
        let name = reader.str()?.into_owned();
        reader.end()?;
        out.push(ItemKey { technology, account, region, name });
        Ok(true)
    })?;
    Ok(out)
}

/// One revision.
pub(crate) fn revision(r: &dyn KvRead, id: RevisionId) -> StoreResult<Option<Revision>> {
    records::get(r, &keys::revision(id))
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
    w.delete(&keys::item_by_account(key))?;
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
pub(crate) fn commit(w: &mut dyn KvWrite, changeset: &Changeset) -> StoreResult<CommitReceipt> {
    let mut receipt = CommitReceipt::default();
    for change in &changeset.changes {
        let id = match change.kind {
            ChangeKind::Ephemeral => apply_ephemeral(w, change, changeset.at)?,
            ChangeKind::Created | ChangeKind::Changed | ChangeKind::Deleted => apply_revision(w, change, changeset.at)?,
        };
        receipt.revisions.push((change.key.clone(), id));
    }
    Ok(receipt)
}

/// An ARN as given, with a blank one meaning none.
fn clean_arn(arn: &Option<String>) -> Option<String> {
    arn.as_ref().filter(|a| !a.trim().is_empty()).cloned()
}

/// Updates the latest revision of an existing item in place.
fn apply_ephemeral(w: &mut dyn KvWrite, change: &ItemChange, at: Timestamp) -> StoreResult<RevisionId> {
    let mut item = get(w, &change.key)?.ok_or_else(|| StoreError::NotFound {
        what: format!("item {} (an ephemeral change updates an existing item)", change.key),
    })?;
    let mut latest = revision(w, item.latest_revision)?.ok_or_else(|| StoreError::Corrupt {
        what: format!("revision {} of item {} is missing", item.latest_revision, item.key),
    })?;
    latest.config = change.config.clone();
    latest.durable_hash = change.durable_hash;
    latest.complete_hash = change.complete_hash;
    latest.last_ephemeral_change_at = Some(at);
    records::put(w, &keys::revision(latest.id), &latest)?;
    item.durable_hash = change.durable_hash;
    item.complete_hash = change.complete_hash;
    // The ARN is not ephemeral: no ARN in an ephemeral change keeps the stored one.
    let arn = clean_arn(&change.arn).or_else(|| item.arn.clone());
    set_arn(w, &mut item, arn)?;
    put(w, &item)?;
    Ok(latest.id)
}

/// Makes a new revision (created, changed or deleted), creating the item if needed.
fn apply_revision(w: &mut dyn KvWrite, change: &ItemChange, at: Timestamp) -> StoreResult<RevisionId> {
    let id = RevisionId(records::next_id(w, keys::meta::NEXT_REVISION)?);
    let deleted = change.kind == ChangeKind::Deleted;
    let revision = Revision {
        id,
        item: change.key.clone(),
        active: !deleted,
        config: if deleted { serde_json::json!({}) } else { change.config.clone() },
        created_at: at,
        last_ephemeral_change_at: None,
        durable_hash: change.durable_hash,
        complete_hash: change.complete_hash,
    };
    records::put(w, &keys::revision(id), &revision)?;
    w.put(&keys::revision_by_item(&change.key, id), &[])?;
    let mut item = match get(w, &change.key)? {
        Some(item) => {
            w.delete(&keys::item_by_date(item.latest_revision_at, &item.key))?;
            item
        }
        None => {
            w.put(&keys::item_by_account(&change.key), &[])?;
            Item {
                key: change.key.clone(),
                arn: None,
                latest_revision: id,
                latest_revision_at: at,
                active: true,
                durable_hash: change.durable_hash,
                complete_hash: change.complete_hash,
                score: 0,
                unjustified_score: 0,
            }
        }
    };
    item.latest_revision = id;
    item.latest_revision_at = at;
    item.active = revision.active;
    item.durable_hash = change.durable_hash;
    item.complete_hash = change.complete_hash;
    // A deletion carries the last known ARN, or none: either way the item keeps it.
    let arn = if deleted { clean_arn(&change.arn).or_else(|| item.arn.clone()) } else { clean_arn(&change.arn) };
    set_arn(w, &mut item, arn)?;
    put(w, &item)?;
    Ok(id)
}

/// Items matching `query`, newest latest revision first, ties by key.
///
/// The filters the date index answers (key fields, activity, score) run first; the item record
/// is read only for entries that pass them and only when a filter needs it (ARNs, unjustified
/// score), and the latest revision only for those that pass that too (`config_contains`).
pub(crate) fn search(r: &dyn KvRead, query: &ItemQuery) -> StoreResult<Page<Item>> {
    let limit = if query.limit == 0 { DEFAULT_LIMIT } else { query.limit };
    let name_contains = query.name_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty());
    let config_contains = query.config_contains.as_ref().map(|n| n.to_lowercase()).filter(|n| !n.is_empty());
    let needs_record = !query.arns.is_empty() || query.min_unjustified_score.is_some() || config_contains.is_some();
    let mut total = 0usize;
    let mut page = Vec::new();
    r.scan(&Key::new(table::ITEM_BY_DATE), &mut |key, value| {
        let mut reader = keys::Reader::new(key);
        reader.time_desc()?;
        let fields_at = key.len() - reader.rest().len();
        let fields = reader.item_fields()?;
        let summary = Summary::decode(key, value)?;
        let cheap = (query.accounts.is_empty() || query.accounts.iter().any(|a| a.as_str() == fields.account))
            && (query.technologies.is_empty() || query.technologies.iter().any(|t| t.as_str() == fields.technology))
            && (query.regions.is_empty() || query.regions.iter().any(|g| *g == fields.region))
            && name_contains.as_ref().is_none_or(|n| fields.name.to_lowercase().contains(n.as_str()))
            && query.min_score.is_none_or(|min| summary.score >= min)
            && query.active.is_none_or(|active| summary.active == active);
        if !cheap {
            return Ok(true);
        }
        let record_key = Key::new(table::ITEM).raw(&key[fields_at..]);
        if needs_record {
            let item: Item = records::get(r, &record_key)?.ok_or_else(|| StoreError::Corrupt {
                what: format!("{} is in the date index but missing", keys::describe(&record_key)),
            })?;
            if !matches_record(r, &item, query, config_contains.as_deref())? {
                return Ok(true);
            }
        }
        if total >= query.offset && page.len() < limit {
            page.push(record_key);
        }
        total += 1;
        Ok(true)
    })?;
    let items = page
        .into_iter()
        .map(|key| {
            records::get(r, &key)?.ok_or_else(|| StoreError::Corrupt {
                what: format!("{} is in the date index but missing", keys::describe(&key)),
            })
        })
        .collect::<StoreResult<Vec<Item>>>()?;
    Ok(Page { total, items })
}

/// Whether `item` passes the filters the date index cannot answer; `config_contains` is
/// lower-cased.
fn matches_record(r: &dyn KvRead, item: &Item, query: &ItemQuery, config_contains: Option<&str>) -> StoreResult<bool> {
    if !query.arns.is_empty() && !item.arn.as_ref().is_some_and(|arn| query.arns.contains(arn)) {
        return Ok(false);
    }
    if query.min_unjustified_score.is_some_and(|min| item.unjustified_score < min) {
        return Ok(false);
    }
    let Some(needle) = config_contains else { return Ok(true) };
    let latest = revision(r, item.latest_revision)?.ok_or_else(|| StoreError::Corrupt {
        what: format!("revision {} of item {} is missing", item.latest_revision, item.key),
    })?;
    Ok(latest.config.to_string().to_lowercase().contains(needle))
}

/// Sorted distinct values of an item field starting with `prefix` (case-insensitive).
///
/// Reads every item key: O(items). Autocomplete asks for few values, and keys are small.
pub(crate) fn distinct(r: &dyn KvRead, field: DistinctField, prefix: &str, limit: usize) -> StoreResult<Vec<String>> {
    if field == DistinctField::Account {
        return super::accounts::names_starting_with(r, prefix, limit);
    }
    let prefix = prefix.to_lowercase();
    let mut values = BTreeSet::new();
    r.scan(&Key::new(table::ITEM), &mut |key, _| {
        let fields = keys::Reader::new(key).item_fields()?;
        let value = match field {
            DistinctField::Technology => fields.technology,
            DistinctField::Region => fields.region,
            DistinctField::Name | DistinctField::Account => fields.name,
        };
        if !values.contains(value.as_ref()) && value.to_lowercase().starts_with(&prefix) {
            values.insert(value.into_owned());
        }
        Ok(true)
    })?;
    Ok(values.into_iter().take(limit).collect())
}
