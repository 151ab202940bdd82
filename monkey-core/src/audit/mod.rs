//! The audit engine: auditors run over items, findings become issues with a lifecycle, scores
//! follow the overrides, and cross-account access is classified against known accounts.
//!
//! - [`Environment`] classifies accounts, canonical ids, networks and VPCs as the same account,
//!   friendly, third party or unknown.
//! - [`AuditEngine`] runs the auditors of an item's technology; [`reconcile`] merges findings into
//!   stored issues (new, existing, regressed, fixed) without ever dropping a justification.
//! - [`audit_changeset`] audits what a watcher run changed (and the technologies that read it);
//!   [`audit_changes`] re-audits what is stored; [`audit_snapshot`] audits items in memory.

mod engine;
mod environment;
mod lifecycle;
mod run;
mod settings;
mod shared_support;
mod snapshot;

pub use engine::{AuditEngine, ItemOutcome, retire};
pub use environment::{Environment, Relation, is_whole_internet};
pub use lifecycle::{Reconciled, ScoredFinding, Transition, reconcile};
pub use run::{AuditInputs, AuditSummary, audit_changes, audit_changeset, audit_stored, audit_unit_changes, learn};
pub use settings::AuditSettings;
pub use shared_support::SharedSupport;
pub use snapshot::{AuditedSnapshotItem, SnapshotAudit, SnapshotItem, audit_snapshot};
