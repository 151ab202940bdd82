//! `monkey audit --input DIR`: audits a recording offline with every linked-in check.

use crate::Failure;
use crate::cli::ReportFormat;
use anyhow::Context;
use monkey_core::audit::{AuditEngine, AuditSettings, Environment, SnapshotItem, audit_snapshot};
use monkey_core::model::{Account, AccountName, ItemKey, now};
use monkey_core::report::{Format, Report};
use monkey_core::store::Store;
use monkey_core::watcher::{WatchContext, Watcher};
use monkey_watchers::{ReplayWatcher, recording_contents};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Audits the recording in `input` and writes the report in `format` to `output` (or stdout).
///
/// With a `store`, its accounts, whitelist and score overrides are used, so cross-account
/// access is classified as it would be live.
pub(crate) async fn audit(
    store: Option<Arc<dyn Store>>,
    input: &Path,
    format: ReportFormat,
    output: Option<&Path>,
    min_score: u32,
) -> Result<(), Failure> {
    if !input.is_dir() {
        return Err(Failure::usage(format!("--input {}: not a directory holding a recording", input.display())));
    }
    let contents =
        recording_contents(input).with_context(|| format!("cannot read the recording {}", input.display()))?;
    if contents.is_empty() {
        return Err(Failure::usage(format!(
            "--input {}: no <account number>/<technology>.json files; `monkey record` writes recordings",
            input.display()
        )));
    }
    let (mut accounts, whitelist, overrides) = match &store {
        Some(store) => (store.accounts().await?, store.whitelist().await?, store.score_overrides().await?),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let mut items = Vec::new();
    let mut failures = 0;
    for (number, technology) in &contents {
        // Accounts in a recording are ours even when no store knows them.
        if !accounts.iter().any(|a| &a.number == number) {
            accounts.push(Account::new(AccountName::parse(number.as_str())?, number.clone()));
        }
        let Some(account) = accounts.iter().find(|a| &a.number == number).cloned() else { continue };
        let slurp = ReplayWatcher::new(technology.clone(), input).slurp(&WatchContext::new(account)).await;
        for failure in &slurp.failures {
            eprintln!("warning: {number}/{technology}: {:?}: {}", failure.scope, failure.message);
        }
        failures += slurp.failures.len();
        for item in slurp.items {
            let key = ItemKey::new(technology.clone(), number.clone(), item.region, item.name);
            items.push(SnapshotItem { key, arn: item.arn, config: item.config });
        }
    }
    let engine = AuditEngine::registered();
    let at = now();
    let audit =
        audit_snapshot(&engine, Environment::new(accounts, whitelist), AuditSettings::new(overrides), items, at).await;
    for error in &audit.errors {
        eprintln!("warning: {error}");
    }
    let mut report = Report::from_snapshot(&audit, at);
    if min_score > 0 {
        for item in &mut report.items {
            item.issues.retain(|i| i.score >= min_score);
        }
    }
    let rendered = report.render(match format {
        ReportFormat::Text => Format::Text,
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Sarif => Format::Sarif,
    });
    match output {
        Some(path) => std::fs::write(path, rendered).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(rendered.as_bytes()).context("cannot write the report")?;
        }
    }
    if failures > 0 {
        eprintln!("warning: the recording holds {failures} collection failures; their items may be missing");
    }
    Ok(())
}

/// The store, if one exists: an audit of a recording must not create one, and a store held by
/// a running monkey is skipped with a warning (the audit then knows the recording's accounts).
pub(crate) fn existing_store(spec: &Option<String>, data_dir: &Path) -> Option<Arc<dyn Store>> {
    let spec = match spec {
        Some(spec) => spec.clone(),
        None => {
            let path = data_dir.join("monkey.redb");
            if !path.exists() {
                return None;
            }
            format!("redb:{}", path.display())
        }
    };
    match monkey_store::open(&spec) {
        Ok(store) => Some(store),
        Err(error) => {
            eprintln!("warning: {error}; auditing with the recording's accounts only");
            None
        }
    }
}
