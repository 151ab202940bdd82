//! Audits of items held in memory (a recorded slurp, a test table): no store, no history.

use super::engine::AuditEngine;
use super::environment::Environment;
use super::settings::AuditSettings;
use crate::auditor::{AuditContext, AuditError, AuditedItem, SupportItem};
use crate::model::{AccountNumber, Issue, ItemKey, Timestamp};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One item to audit.
#[derive(Debug, Clone)]
pub struct SnapshotItem {
    /// Its identity.
    pub key: ItemKey,
    /// Its ARN.
    pub arn: Option<String>,
    /// Its configuration.
    pub config: serde_json::Value,
}

/// The issues found on one item of a snapshot.
#[derive(Debug, Clone)]
pub struct AuditedSnapshotItem {
    /// The item.
    pub key: ItemKey,
    /// Its ARN.
    pub arn: Option<String>,
    /// Its open issues, by (check, notes).
    pub issues: Vec<Issue>,
}

/// The result of auditing a snapshot.
#[derive(Debug, Clone, Default)]
pub struct SnapshotAudit {
    /// Every item, in input order, with its issues.
    pub items: Vec<AuditedSnapshotItem>,
    /// Auditors that could not evaluate an item.
    pub errors: Vec<AuditError>,
}

/// Audits `items` as they would be stored (configurations in canonical form): networks are
/// learned from the snapshot's own VPCs and Elastic IPs, support items come from the snapshot
/// (same account), and every issue is new.
pub async fn audit_snapshot(
    engine: &AuditEngine,
    mut environment: Environment,
    settings: AuditSettings,
    mut items: Vec<SnapshotItem>,
    now: Timestamp,
) -> SnapshotAudit {
    for item in &mut items {
        crate::diff::canonicalize(&mut item.config);
    }
    for item in &items {
        environment.learn_from_item(item.key.technology.as_str(), &item.key.account, &item.config);
    }
    let environment = Arc::new(environment);
    let settings = Arc::new(settings);
    let mut contexts: BTreeMap<(AccountNumber, &'static str), AuditContext> = BTreeMap::new();
    let mut out = SnapshotAudit::default();
    for item in &items {
        let technology = item.key.technology.as_str();
        let Some(audited_as) = engine.technologies().into_iter().find(|t| *t == technology) else {
            out.items.push(AuditedSnapshotItem { key: item.key.clone(), arn: item.arn.clone(), issues: Vec::new() });
            continue;
        };
        let ctx = contexts.entry((item.key.account.clone(), audited_as)).or_insert_with(|| {
            let support_technologies = engine.support_of(technology);
            let support: Vec<SupportItem> = items
                .iter()
                .filter(|s| {
                    s.key.account == item.key.account && support_technologies.contains(&s.key.technology.as_str())
                })
                .map(|s| SupportItem { key: s.key.clone(), config: s.config.clone() })
                .collect();
            AuditContext::new(Arc::clone(&environment), now).with_settings(Arc::clone(&settings)).with_support(support)
        });
        let audited = AuditedItem { key: &item.key, arn: item.arn.as_deref(), config: &item.config };
        let outcome = engine.audit_item(&audited, Vec::new(), ctx).await;
        out.errors.extend(outcome.errors);
        out.items.push(AuditedSnapshotItem {
            key: item.key.clone(),
            arn: item.arn.clone(),
            issues: outcome.reconciled.issues,
        });
    }
    out
}
