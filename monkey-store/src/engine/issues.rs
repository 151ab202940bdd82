//! Issues: an item's issue set replaced by an audit, justifications kept, item scores derived.

use super::keys;
use super::{items, records};
use crate::kv::{KvRead, KvWrite};
use monkey_core::ModelError;
use monkey_core::model::{Issue, IssueKey, ItemKey, Justification};
use monkey_core::store::{AuditCommit, StoreError, StoreResult, scores};
use std::collections::BTreeMap;

/// Every issue of an item, by (check, notes).
pub(crate) fn of(r: &dyn KvRead, item: &ItemKey) -> StoreResult<Vec<Issue>> {
    records::list(r, &keys::issues_of(item))
}

/// Deletes every issue of an item.
pub(crate) fn delete_of(w: &mut dyn KvWrite, item: &ItemKey) -> StoreResult<()> {
    for key in (w as &dyn KvRead).keys(&keys::issues_of(item))? {
        w.delete(&key)?;
    }
    Ok(())
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

/// Replaces the issue sets of the audited items, keeping stored justifications.
pub(crate) fn commit(w: &mut dyn KvWrite, audit: &AuditCommit) -> StoreResult<()> {
    for item_audit in &audit.items {
        let item = &item_audit.item;
        if items::get(w, item)?.is_none() {
            return Err(StoreError::NotFound { what: format!("item {item} (audited)") });
        }
        let kept: BTreeMap<(String, String), Option<Justification>> =
            of(w, item)?.into_iter().map(|issue| ((issue.key.check, issue.key.notes), issue.justification)).collect();
        // A later issue with the same key replaces an earlier one, as a map insert would.
        let mut fresh: BTreeMap<(String, String), Issue> = BTreeMap::new();
        for issue in &item_audit.issues {
            if issue.key.item != *item {
                return Err(StoreError::Invalid(ModelError::Field {
                    field: "issue",
                    input: format!("{} {} {}", issue.key.item, issue.key.check, issue.key.notes),
                    reason: format!("it belongs to another item than the audited {item}"),
                }));
            }
            let id = (issue.key.check.clone(), issue.key.notes.clone());
            let mut issue = issue.clone();
            issue.justification = kept.get(&id).cloned().flatten();
            fresh.insert(id, issue);
        }
        delete_of(w, item)?;
        for issue in fresh.values() {
            records::put(w, &keys::issue(&issue.key), issue)?;
        }
        rescore(w, item)?;
    }
    Ok(())
}

/// Sets or clears one issue's justification; returns the issue.
pub(crate) fn justify(w: &mut dyn KvWrite, key: &IssueKey, justification: Option<Justification>) -> StoreResult<Issue> {
    let record = keys::issue(key);
    let mut issue: Issue = records::get(w, &record)?
        .ok_or_else(|| StoreError::NotFound { what: format!("issue {} / {} / {}", key.item, key.check, key.notes) })?;
    issue.justification = justification;
    records::put(w, &record, &issue)?;
    rescore(w, &key.item)?;
    Ok(issue)
}
