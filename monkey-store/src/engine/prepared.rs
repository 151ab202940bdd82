//! Changes and audits encoded before their write transaction.
//!
//! Write transactions run one at a time, so whatever they do is done for every unit of work in
//! turn. Encoding configurations and issues needs nothing from the store: it is done by the
//! caller's thread beforehand, and the transaction only copies bytes.

use super::{issue_set, records, revision_record};
use monkey_core::ModelError;
use monkey_core::model::{Hash, Issue, ItemKey, Timestamp};
use monkey_core::store::{self, AuditCommit, ChangeKind, Changeset, StoreError, StoreResult};
use std::collections::BTreeMap;

/// One change with its configuration encoded.
pub(crate) struct PreparedChange {
    pub(crate) key: ItemKey,
    pub(crate) arn: Option<String>,
    pub(crate) kind: ChangeKind,
    /// The configuration's JSON (`{}` for a deletion), compressed as revisions store it.
    pub(crate) config: Vec<u8>,
    pub(crate) durable_hash: Hash,
    pub(crate) complete_hash: Hash,
}

/// A changeset with its configurations encoded.
pub(crate) struct PreparedChangeset {
    pub(crate) at: Timestamp,
    pub(crate) changes: Vec<PreparedChange>,
}

impl PreparedChangeset {
    /// Encodes the configurations of `changeset`.
    pub(crate) fn of(changeset: &Changeset) -> StoreResult<Self> {
        let mut changes = Vec::with_capacity(changeset.changes.len());
        for change in &changeset.changes {
            let config = match change.kind {
                ChangeKind::Deleted => revision_record::compress(b"{}")?,
                ChangeKind::Created | ChangeKind::Changed | ChangeKind::Ephemeral => {
                    revision_record::compress(&records::encode(&change.config)?)?
                }
            };
            changes.push(PreparedChange {
                key: change.key.clone(),
                arn: change.arn.clone(),
                kind: change.kind,
                config,
                durable_hash: change.durable_hash,
                complete_hash: change.complete_hash,
            });
        }
        Ok(Self { at: changeset.at, changes })
    }
}

/// An issue as the audit carries it, with its record as an element of its item's issue set.
pub(crate) struct PreparedIssue {
    pub(crate) issue: Issue,
    pub(crate) record: Vec<u8>,
}

/// One audited item's issues, encoded.
pub(crate) struct PreparedAudit {
    pub(crate) item: ItemKey,
    /// By (check, notes); of issues with the same key the audit's last.
    pub(crate) issues: Vec<PreparedIssue>,
    /// The set's record with its scores, when no issue carries a justification: what is
    /// stored unless the store holds justifications for the item.
    pub(crate) unjustified: Option<(Vec<u8>, (u32, u32))>,
}

/// Encodes the issues of `audit`.
pub(crate) fn prepare_audit(audit: &AuditCommit) -> StoreResult<Vec<PreparedAudit>> {
    let mut out = Vec::with_capacity(audit.items.len());
    for item in &audit.items {
        // A later issue with the same key replaces an earlier one, as a map insert would.
        let mut fresh: BTreeMap<(&str, &str), &Issue> = BTreeMap::new();
        for issue in &item.issues {
            if issue.key.item != item.item {
                return Err(StoreError::Invalid(ModelError::Field {
                    field: "issue",
                    input: format!("{} {} {}", issue.key.item, issue.key.check, issue.key.notes),
                    reason: format!("it belongs to another item than the audited {}", item.item),
                }));
            }
            fresh.insert((&issue.key.check, &issue.key.notes), issue);
        }
        let mut issues = Vec::with_capacity(fresh.len());
        for issue in fresh.into_values() {
            issues.push(PreparedIssue { record: issue_set::encode_issue(issue)?, issue: issue.clone() });
        }
        let unjustified = if issues.is_empty() || issues.iter().any(|p| p.issue.justification.is_some()) {
            None
        } else {
            let record = issue_set::join(issues.iter().map(|p| p.record.as_slice()))?;
            Some((record, store::scores_of(issues.iter().map(|p| &p.issue))))
        };
        out.push(PreparedAudit { item: item.item.clone(), issues, unjustified });
    }
    Ok(out)
}
