//! Issues: an item's issue set replaced by an audit, justifications kept, item scores derived.
//!
//! An item's issues are one record, its issue set (by (check, notes), see [`issue_set`]): an
//! audit replaces the whole set anyway, and one write per item is a third of one per issue.

use super::keys;
use super::prepared::{PreparedAudit, PreparedChangeset};
use super::{issue_set, items};
use crate::kv::{KvRead, KvWrite};
use monkey_core::model::{AccountNumber, Issue, IssueKey, ItemKey, Justification, Technology};
use monkey_core::store::{CommitReceipt, StoreError, StoreResult, scores, scores_of};
use std::collections::{HashMap, HashSet};

/// Every issue of an item, by (check, notes).
pub(crate) fn of(r: &dyn KvRead, item: &ItemKey) -> StoreResult<Vec<Issue>> {
    let key = keys::issue_set(item);
    match r.get(&key)? {
        Some(bytes) => issue_set::decode(&key, &bytes),
        None => Ok(Vec::new()),
    }
}

/// Deletes every issue of an item.
pub(crate) fn delete_of(w: &mut dyn KvWrite, item: &ItemKey) -> StoreResult<()> {
    w.delete(&keys::issue_set(item))
}

/// Stores an item's issues (sorted by (check, notes)), or removes the set when there are none.
fn put_set(w: &mut dyn KvWrite, item: &ItemKey, issues: &[Issue]) -> StoreResult<()> {
    if issues.is_empty() {
        return delete_of(w, item);
    }
    w.put(&keys::issue_set(item), &issue_set::encode(issues)?)
}

/// Sets the item's scores from its stored issues.
fn rescore(w: &mut dyn KvWrite, item: &ItemKey) -> StoreResult<()> {
    let mut stored = items::get(w, item)?.ok_or_else(|| StoreError::NotFound { what: format!("item {item}") })?;
    let (score, unjustified) = scores(&of(w, item)?);
    if (stored.score, stored.unjustified_score) != (score, unjustified) {
        stored.score = score;
        stored.unjustified_score = unjustified;
        items::put(w, &stored)?;
    }
    Ok(())
}

/// Every issue of the items of one technology in one account, by item then (check, notes).
pub(crate) fn of_unit(r: &dyn KvRead, account: &AccountNumber, technology: &Technology) -> StoreResult<Vec<Issue>> {
    let mut issues = Vec::new();
    r.scan(&keys::issue_sets_of_unit(technology, account), &mut |key, value| {
        issues.extend(issue_set::decode(key, value)?);
        Ok(true)
    })?;
    Ok(issues)
}

/// Replaces the issue sets of the audited items, keeping stored justifications.
pub(crate) fn commit(w: &mut dyn KvWrite, audit: &[PreparedAudit]) -> StoreResult<()> {
    for item_audit in audit {
        let item = &item_audit.item;
        let mut record =
            items::get(w, item)?.ok_or_else(|| StoreError::NotFound { what: format!("item {item} (audited)") })?;
        let (score, unjustified) = replace(w, item_audit)?;
        if (record.score, record.unjustified_score) != (score, unjustified) {
            (record.score, record.unjustified_score) = (score, unjustified);
            items::put(w, &record)?;
        }
    }
    Ok(())
}

/// Applies a changeset and the audit of its items: the issues first, so that each changed
/// item's record is written once, with its new scores.
pub(crate) fn commit_audited(
    w: &mut dyn KvWrite,
    changeset: &PreparedChangeset,
    audit: &[PreparedAudit],
) -> StoreResult<CommitReceipt> {
    let changed: HashSet<&ItemKey> = changeset.changes.iter().map(|change| &change.key).collect();
    let mut scored = items::Scores::with_capacity(audit.len());
    let (with_changes, without): (Vec<&PreparedAudit>, Vec<&PreparedAudit>) =
        audit.iter().partition(|item_audit| changed.contains(&item_audit.item));
    for item_audit in with_changes {
        scored.insert(&item_audit.item, replace(w, item_audit)?);
    }
    let receipt = items::commit_scored(w, changeset, &scored)?;
    for item_audit in without {
        commit(w, std::slice::from_ref(item_audit))?;
    }
    Ok(receipt)
}

/// Replaces one item's issue set, keeping stored justifications; returns the item's scores.
fn replace(w: &mut dyn KvWrite, item_audit: &PreparedAudit) -> StoreResult<(u32, u32)> {
    let item = &item_audit.item;
    let key = keys::issue_set(item);
    if item_audit.issues.is_empty() {
        w.delete(&key)?;
        return Ok((0, 0));
    }
    let mut stored = match w.get(&key)? {
        Some(bytes) => issue_set::justifications(&key, &bytes)?,
        None => HashMap::new(),
    };
    if stored.is_empty()
        && let Some((record, scores)) = &item_audit.unjustified
    {
        w.put(&key, record)?;
        return Ok(*scores);
    }
    // The store's justification wins over whatever the audit carried.
    let mut records = Vec::with_capacity(item_audit.issues.len());
    let mut issues = Vec::with_capacity(item_audit.issues.len());
    for prepared in &item_audit.issues {
        let key = (prepared.issue.key.check.clone(), prepared.issue.key.notes.clone());
        let justification = stored.remove(&key);
        if justification == prepared.issue.justification {
            records.push(std::borrow::Cow::Borrowed(prepared.record.as_slice()));
            issues.push(std::borrow::Cow::Borrowed(&prepared.issue));
        } else {
            let issue = Issue { justification, ..prepared.issue.clone() };
            records.push(std::borrow::Cow::Owned(issue_set::encode_issue(&issue)?));
            issues.push(std::borrow::Cow::Owned(issue));
        }
    }
    w.put(&key, &issue_set::join(records.iter().map(|record| record.as_ref()))?)?;
    Ok(scores_of(issues.iter().map(|issue| issue.as_ref())))
}

/// Sets or clears one issue's justification; returns the issue.
pub(crate) fn justify(w: &mut dyn KvWrite, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue> {
    let mut issues = of(w, &key.item)?;
    let issue = issues
        .iter_mut()
        .find(|issue| issue.key == *key)
        .ok_or_else(|| StoreError::NotFound { what: format!("issue {} / {} / {}", key.item, key.check, key.notes) })?;
    issue.justification = justification;
    let issue = issue.clone();
    put_set(w, &key.item, &issues)?;
    rescore(w, &key.item)?;
    Ok(issue)
}
