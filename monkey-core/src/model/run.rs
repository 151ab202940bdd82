//! Run history: one record per unit of work (account, technology), kept for `monkey status`
//! and `/metrics`, and read at start to resume the schedule.

use super::{AccountNumber, Technology, Timestamp};
use serde::{Deserialize, Serialize};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// Started and not finished (yet, or ever: see `Interrupted`).
    Running,
    /// Collected, committed and audited without a failure.
    Succeeded,
    /// Committed and audited, but some regions or items could not be collected.
    Partial,
    /// Nothing could be collected or stored.
    Failed,
    /// The process stopped during the run; a later start re-audited what it had committed.
    Interrupted,
}

/// One run of one (account, technology): when, what it saw and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The account.
    pub account: AccountNumber,
    /// The technology.
    pub technology: Technology,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ended.
    pub finished_at: Option<Timestamp>,
    /// How it ended.
    pub outcome: RunOutcome,
    /// Items collected.
    pub items: usize,
    /// Items seen for the first time (or again after a deletion).
    pub created: usize,
    /// Items whose durable configuration changed.
    pub changed: usize,
    /// Items no longer seen.
    pub deleted: usize,
    /// Issues found for the first time (regressions included).
    pub issues_new: usize,
    /// Issues no longer found.
    pub issues_fixed: usize,
    /// What could not be collected or done.
    #[serde(default)]
    pub failures: Vec<String>,
}

impl RunRecord {
    /// A run of (account, technology) that starts at `at`.
    pub fn start(account: AccountNumber, technology: Technology, at: Timestamp) -> Self {
        Self {
            account,
            technology,
            started_at: at,
            finished_at: None,
            outcome: RunOutcome::Running,
            items: 0,
            created: 0,
            changed: 0,
            deleted: 0,
            issues_new: 0,
            issues_fixed: 0,
            failures: Vec::new(),
        }
    }
}
