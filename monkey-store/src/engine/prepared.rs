//! Changes and audits encoded before their write transaction.
//!
//! Write transactions run one at a time, so whatever they do is done for every unit of work in
//! turn. Encoding configurations and issues needs nothing from the store: it is done by the
//! caller's thread beforehand, and the transaction only copies bytes.

use super::{issue_set, records};
use monkey_core::model::{Hash, Issue, ItemKey, RevisionId, Timestamp};
use monkey_core::store::{AuditCommit, ChangeKind, Changeset, StoreResult};
use serde::Serialize;

/// One change with its configuration encoded.
pub(crate) struct PreparedChange {
    pub(crate) key: ItemKey,
    pub(crate) arn: Option<String>,
    pub(crate) kind: ChangeKind,
    /// The configuration's JSON (`{}` for a deletion).
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
                ChangeKind::Deleted => b"{}".to_vec(),
                ChangeKind::Created | ChangeKind::Changed | ChangeKind::Ephemeral => records::encode(&change.config)?,
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

/// Every field of a stored revision but its configuration.
#[derive(Serialize)]
pub(crate) struct RevisionHead<'a> {
    pub(crate) id: RevisionId,
    pub(crate) item: &'a ItemKey,
    pub(crate) active: bool,
    pub(crate) created_at: Timestamp,
    pub(crate) last_ephemeral_change_at: Option<Timestamp>,
    pub(crate) durable_hash: Hash,
    pub(crate) complete_hash: Hash,
}

impl RevisionHead<'_> {
    /// The stored revision with this encoded configuration: it decodes as the
    /// [`Revision`](monkey_core::model::Revision) it describes.
    pub(crate) fn record(&self, config: &[u8]) -> StoreResult<Vec<u8>> {
        let mut record = records::encode(self)?;
        // `{...}` becomes `{...,"config":<config>}`.
        record.pop();
        record.reserve(config.len() + 12);
        record.extend_from_slice(b",\"config\":");
        record.extend_from_slice(config);
        record.push(b'}');
        Ok(record)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use monkey_core::model::{AccountNumber, Revision, Technology};
    use serde_json::json;

    #[test]
    fn a_revision_record_decodes_as_the_revision() {
        let item = ItemKey::new(
            Technology::parse("s3").unwrap(),
            AccountNumber::parse("111111111111").unwrap(),
            "us-east-1",
            "bucket \"quoted\"",
        );
        let at = Timestamp::parse_rfc3339("2026-11-27T10:00:00Z").unwrap();
        for (config, last) in [(json!({"Name": "b", "Tags": [1, "x", null]}), None), (json!({}), Some(at))] {
            let head = RevisionHead {
                id: RevisionId(7),
                item: &item,
                active: true,
                created_at: at,
                last_ephemeral_change_at: last,
                durable_hash: Hash([3; 32]),
                complete_hash: Hash([4; 32]),
            };
            let record = head.record(&records::encode(&config).unwrap()).unwrap();
            let decoded: Revision = serde_json::from_slice(&record).unwrap();
            let expected = Revision {
                id: RevisionId(7),
                item: item.clone(),
                active: true,
                config,
                created_at: at,
                last_ephemeral_change_at: last,
                durable_hash: Hash([3; 32]),
                complete_hash: Hash([4; 32]),
            };
            assert_eq!(decoded, expected);
        }
    }
}
