//! The audit engine: runs the auditors of an item's technology and turns their findings into
//! the item's issues.

use super::lifecycle::{Reconciled, ScoredFinding, reconcile};
use crate::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, registered_auditors};
use crate::model::{Issue, Technology, Timestamp};
use std::collections::BTreeSet;
use std::fmt;

/// What auditing one item produced.
#[derive(Debug, Clone, Default)]
pub struct ItemOutcome {
    /// The item's issues and what happened to them.
    pub reconciled: Reconciled,
    /// Auditors that could not evaluate the item (their issues were left as they were).
    pub errors: Vec<AuditError>,
}

/// A set of auditors, indexed by technology.
///
/// ```
/// use monkey_core::audit::AuditEngine;
///
/// let engine = AuditEngine::registered(); // every auditor linked into this program
/// for technology in engine.technologies() {
///     let checks = engine.checks(Some(technology)).len();
///     println!("{technology}: {checks} checks, reads {:?}", engine.support_of(technology));
/// }
/// ```
pub struct AuditEngine {
    auditors: Vec<Box<dyn Auditor>>,
}

impl fmt::Debug for AuditEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditEngine").field("technologies", &self.technologies()).finish()
    }
}

impl AuditEngine {
    /// An engine running these auditors.
    pub fn new(auditors: Vec<Box<dyn Auditor>>) -> Self {
        Self { auditors }
    }

    /// An engine running every auditor linked into this program.
    pub fn registered() -> Self {
        Self::new(registered_auditors())
    }

    fn auditors_of<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a dyn Auditor> + 'a {
        self.auditors.iter().map(|a| a.as_ref()).filter(move |a| a.technology() == technology)
    }

    /// Whether any auditor audits `technology`.
    pub fn audits(&self, technology: &str) -> bool {
        self.auditors_of(technology).next().is_some()
    }

    /// The technologies audited, sorted.
    pub fn technologies(&self) -> Vec<&'static str> {
        let set: BTreeSet<&'static str> = self.auditors.iter().map(|a| a.technology()).collect();
        set.into_iter().collect()
    }

    /// The checks run on `technology` (or on every technology), sorted by id.
    pub fn checks(&self, technology: Option<&str>) -> Vec<&'static Check> {
        let mut checks: Vec<&'static Check> = self
            .auditors
            .iter()
            .filter(|a| technology.is_none_or(|t| a.technology() == t))
            .flat_map(|a| a.checks().iter().copied())
            .collect();
        checks.sort_by_key(|c| c.id);
        checks.dedup_by_key(|c| c.id);
        checks
    }

    /// The technologies whose items the auditors of `technology` read, sorted.
    pub fn support_of(&self, technology: &str) -> Vec<&'static str> {
        let set: BTreeSet<&'static str> =
            self.auditors_of(technology).flat_map(|a| a.support().iter().copied()).collect();
        set.into_iter().collect()
    }

    /// The technologies to re-audit when items of `technology` change: those whose auditors
    /// read it, directly or through another, sorted (without `technology` itself).
    pub fn dependants(&self, technology: &str) -> Vec<&'static str> {
        let mut found: BTreeSet<&'static str> = BTreeSet::new();
        let mut frontier: Vec<&str> = vec![technology];
        while let Some(changed) = frontier.pop() {
            for auditor in &self.auditors {
                if auditor.support().contains(&changed)
                    && auditor.technology() != technology
                    && found.insert(auditor.technology())
                {
                    frontier.push(auditor.technology());
                }
            }
        }
        found.into_iter().collect()
    }

    /// The stage of each of `technologies` in a collection, so that what an auditor reads is
    /// current when its items are audited: 0 for the technologies
    /// [`Environment::LEARNS_FROM`], then each one a stage after those its auditors read.
    ///
    /// [`Environment::LEARNS_FROM`]: super::Environment::LEARNS_FROM
    pub fn collection_stages(&self, technologies: &[Technology]) -> Vec<(usize, Technology)> {
        // The depth of a technology: 0 for what the environment learns from, else one more
        // than the deepest technology its auditors read. Bounded by the number of technologies,
        // so that a support cycle cannot recurse forever.
        fn depth(engine: &AuditEngine, technology: &str, limit: usize) -> usize {
            if super::Environment::LEARNS_FROM.contains(&technology) {
                return 0;
            }
            let deepest = if limit == 0 {
                0
            } else {
                engine.support_of(technology).iter().map(|s| depth(engine, s, limit - 1)).max().unwrap_or(0)
            };
            deepest + 1
        }
        technologies.iter().map(|t| (depth(self, t.as_str(), technologies.len().max(8)), t.clone())).collect()
    }

    /// Audits one item whose stored issues are `stored`, at `ctx.now`.
    ///
    /// Disabled checks do not run and their open issues become fixed; findings are scored
    /// with the overrides of `ctx.settings` for the item's account.
    pub async fn audit_item(&self, item: &AuditedItem<'_>, stored: Vec<Issue>, ctx: &AuditContext) -> ItemOutcome {
        let settings = &*ctx.settings;
        // Without overrides no check is disabled and every score is the default: items are
        // audited in bulk, so the per-check lookups and the account are skipped then.
        let overridden = !settings.is_empty();
        let account = if overridden { ctx.environment.account(item.key.account.as_str()) } else { None };
        // Which checks ran only matters to stored issues (those of a check that ran and found
        // nothing are fixed): an item without any, as on its first audit, needs no list.
        let track = !stored.is_empty();
        let mut ran: Vec<&'static str> = Vec::new();
        let mut findings: Vec<ScoredFinding> = Vec::new();
        let mut errors = Vec::new();
        for auditor in self.auditors_of(item.key.technology.as_str()) {
            let checks = auditor.checks();
            if track {
                ran.reserve(checks.len());
            }
            let disabled = if overridden { checks.iter().filter(|c| settings.is_disabled(c)).count() } else { 0 };
            if disabled > 0 && track {
                ran.extend(checks.iter().filter(|c| settings.is_disabled(c)).map(|c| c.id));
            }
            if disabled > 0 && disabled == checks.len() {
                continue;
            }
            match auditor.audit(item, ctx).await {
                Ok(found) => {
                    if track {
                        ran.extend(checks.iter().filter(|c| disabled == 0 || !settings.is_disabled(c)).map(|c| c.id));
                    }
                    findings.reserve(found.len());
                    for finding in found {
                        if disabled > 0 && settings.is_disabled(finding.check) {
                            continue;
                        }
                        if track
                            && !checks.iter().any(|c| std::ptr::eq(*c, finding.check))
                            && !ran.contains(&finding.check.id)
                        {
                            ran.push(finding.check.id);
                        }
                        let score = settings.score(finding.check, account).saturating_mul(finding.weight);
                        findings.push(ScoredFinding {
                            check: finding.check.id,
                            category: finding.check.category,
                            score,
                            message: finding.message,
                            notes: finding.notes,
                            links: finding.links,
                        });
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        ItemOutcome { reconciled: reconcile(item.key, stored, findings, &ran, ctx.now), errors }
    }
}

/// The issues of an item that no longer exists: every open one becomes fixed at `at`.
pub fn retire(stored: Vec<Issue>, at: Timestamp) -> Reconciled {
    let mut out = Reconciled::default();
    for (index, mut issue) in stored.into_iter().enumerate() {
        if !issue.fixed {
            issue.fixed = true;
            issue.last_seen = at;
            out.transitions.push((index, super::Transition::Fixed));
        }
        out.issues.push(issue);
    }
    out
}
