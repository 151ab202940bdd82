//! Changes and audits encoded before their write transaction.
//!
//! Write transactions run one at a time, so whatever they do is done for every unit of work in
//! turn. Encoding configurations and issues needs nothing from the store: it is done by the
//! caller's thread beforehand, and the transaction only copies bytes.

use super::{issue_set, records, revision_record};
use monkey_core::model::{Hash, Issue, ItemKey, Timestamp};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, StoreResult};

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
                ChangeKind::Deleted => revision_record::compress(b"{}"),
                ChangeKind::Created | ChangeKind::Changed | ChangeKind::Ephemeral => {
                    revision_record::compress(&records::encode(&change.config)?)
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
    pub(crate) issues: Vec<PreparedIssue>,
}

/// Encodes the issues of `audit`.
pub(crate) fn prepare_audit(audit: &AuditCommit) -> StoreResult<Vec<PreparedAudit>> {
    let mut out = Vec::with_capacity(audit.items.len());
    for item in &audit.items {
        let mut issues = Vec::with_capacity(item.issues.len());
        for issue in &item.issues {
            issues.push(PreparedIssue { record: issue_set::encode_issue(issue)?, issue: issue.clone() });
        }
        out.push(PreparedAudit { item: item.item.clone(), issues });
    }
    Ok(out)
}
