//! Collecting region by region, a few regions at a time, each region's failure kept to itself.

use monkey_core::watcher::{Failure, FailureScope, Slurp};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Runs `collect` for every region with at most `concurrency` at once; a region that fails
/// becomes a region-scoped failure, so its items are neither deleted nor changed.
pub(crate) async fn per_region<F, Fut>(regions: Vec<String>, concurrency: usize, collect: F) -> Slurp
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Slurp, String>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for region in regions {
        let work = collect(region.clone());
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = permits.acquire_owned().await.ok();
            (region, work.await)
        });
    }
    let mut slurp = Slurp::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(part))) => {
                slurp.items.extend(part.items);
                slurp.failures.extend(part.failures);
            }
            Ok((region, Err(message))) => {
                slurp.failures.push(Failure { scope: FailureScope::Region { region }, message });
            }
            // A panicking task hid an unknown region: the whole account is in doubt.
            Err(e) => slurp
                .failures
                .push(Failure { scope: FailureScope::Account, message: format!("a collection task failed: {e}") }),
        }
    }
    slurp.items.sort_by(|a, b| (&a.region, &a.name).cmp(&(&b.region, &b.name)));
    slurp
}

/// An item-scoped failure.
pub(crate) fn item_failure(region: &str, name: &str, message: impl Into<String>) -> Failure {
    Failure { scope: FailureScope::Item { region: region.to_owned(), name: name.to_owned() }, message: message.into() }
}

/// Sorts a list of JSON values into a stable order (by their text), so a re-ordered API
/// answer is no change.
pub(crate) fn stable(mut values: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    values.sort_by_cached_key(serde_json::Value::to_string);
    values
}
