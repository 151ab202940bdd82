//! `monkey record`: an account's live configuration written as a replay recording.

use crate::Failure;
use crate::output::say;
use monkey_core::store::{Store, StoreExt};
use monkey_core::watcher::WatchContext;
use monkey_watchers::aws::{AwsSession, AwsSettings};
use monkey_watchers::{aws_watchers, write_recording};
use std::path::Path;
use std::sync::Arc;

/// Slurps every selected technology of one account and writes what it saw, failures included.
pub(crate) async fn record(
    store: &dyn Store,
    settings: AwsSettings,
    which: &str,
    out: &Path,
    technologies: &[String],
) -> Result<(), Failure> {
    let account = store.find_account(which).await?.ok_or_else(|| {
        Failure::usage(format!("no account named or numbered {which:?}; `monkey accounts list` shows them"))
    })?;
    let session = Arc::new(AwsSession::new(settings).await);
    let mut watchers = aws_watchers(&session);
    if !technologies.iter().any(|t| t.eq_ignore_ascii_case("all")) {
        let known: Vec<String> = watchers.iter().map(|w| w.technology().to_string()).collect();
        if let Some(unknown) = technologies.iter().find(|t| !known.contains(t)) {
            return Err(Failure::usage(format!("unknown technology {unknown:?}; known: {}", known.join(", "))));
        }
        watchers.retain(|w| technologies.iter().any(|t| t == w.technology().as_str()));
    }
    let ignore = store.ignore_entries().await?;
    let ctx = WatchContext::new(account.clone()).with_ignore(ignore);
    let mut failed = 0;
    for watcher in &watchers {
        let slurp = watcher.slurp(&ctx).await;
        let path = write_recording(out, &account.number, watcher.technology(), &slurp).map_err(|e| {
            Failure::Runtime(anyhow::anyhow!("cannot write the recording under {}: {e}", out.display()))
        })?;
        say!(
            "{}: {} items, {} failures -> {}",
            watcher.technology(),
            slurp.items.len(),
            slurp.failures.len(),
            path.display()
        );
        for failure in &slurp.failures {
            eprintln!("warning: {}: {:?}: {}", watcher.technology(), failure.scope, failure.message);
        }
        failed += slurp.failures.len();
    }
    if failed > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!("recorded with {failed} failures (kept in the recording)")));
    }
    Ok(())
}
