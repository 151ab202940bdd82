//! Issues: an item's issue set replaced by an audit, justifications kept, item scores derived.
//!
//! An item's issues are one record, its issue set (a JSON array by (check, notes)): an audit
//! replaces the whole set anyway, and one write per item is a third of one per issue.

use super::keys;
use super::prepared::{PreparedAudit, PreparedChangeset, PreparedIssue};
use super::{issue_set, items};
use crate::kv::{KvRead, KvWrite};
use monkey_core::ModelError;
use monkey_core::model::{AccountNumber, Issue, IssueKey, ItemKey, Justification, Technology};
use monkey_core::store::{CommitReceipt, StoreError, StoreResult, scores};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    let mut stored: HashMap<(String, String), Option<Justification>> = HashMap::new();
    for issue in of(w, item)? {
        if issue.justification.is_some() {
            stored.insert((issue.key.check, issue.key.notes), issue.justification);
        }
    }
    // A later issue with the same key replaces an earlier one, as a map insert would.
    let mut fresh: BTreeMap<(&str, &str), &PreparedIssue> = BTreeMap::new();
    for prepared in &item_audit.issues {
        let issue = &prepared.issue;
        if issue.key.item != *item {
            return Err(StoreError::Invalid(ModelError::Field {
                field: "issue",
                input: format!("{} {} {}", issue.key.item, issue.key.check, issue.key.notes),
                reason: format!("it belongs to another item than the audited {item}"),
            }));
        }
        fresh.insert((&issue.key.check, &issue.key.notes), prepared);
    }
    if fresh.is_empty() {
        delete_of(w, item)?;
        return Ok((0, 0));
    }
    let mut total = (0u32, 0u32);
    let mut add = |issue: &Issue| {
        let (score, unjustified) = scores(std::slice::from_ref(issue));
        total = (total.0.saturating_add(score), total.1.saturating_add(unjustified));
    };
    // The set's record is the issues' records, already encoded, joined into a JSON array.
    let mut record = Vec::with_capacity(fresh.values().map(|p| p.record.len() + 1).sum::<usize>() + 1);
    record.push(b'[');
    for ((check, notes), prepared) in fresh {
        if record.len() > 1 {
            record.push(b',');
        }
        let justification =
            if stored.is_empty() { None } else { stored.remove(&(check.to_owned(), notes.to_owned())).flatten() };
        if justification == prepared.issue.justification {
            record.extend_from_slice(&prepared.record);
            add(&prepared.issue);
        } else {
            // The store's justification wins over whatever the audit carried.
            let issue = Issue { justification, ..prepared.issue.clone() };
            record.extend_from_slice(&issue_set::encode_issue(&issue)?);
            add(&issue);
        }
    }
    record.push(b']');
    w.put(&keys::issue_set(item), &record)?;
    Ok(total)
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
