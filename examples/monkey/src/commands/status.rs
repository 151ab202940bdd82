//! `monkey status`: the latest run of every account and technology, when each is due next,
//! and the latest failures.

use crate::Failure;
use crate::cli::Format;
use crate::output;
use crate::output::say;
use monkey_core::model::{Interval, RunRecord, Timestamp};
use monkey_core::store::Store;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Row {
    account_name: String,
    #[serde(flatten)]
    run: RunRecord,
    next_due: Option<Timestamp>,
}

/// Prints the run history's latest state.
pub(crate) async fn status(store: &dyn Store, format: Format) -> Result<(), Failure> {
    let names: HashMap<String, String> =
        store.accounts().await?.into_iter().map(|a| (a.number.to_string(), a.name.to_string())).collect();
    let configs = store.watcher_configs().await?;
    let rows: Vec<Row> = store
        .last_runs()
        .await?
        .into_iter()
        .map(|run| {
            let config = configs.iter().find(|c| c.technology == run.technology);
            let enabled = config.is_none_or(|c| c.enabled);
            let interval = config.map_or(Interval::HOURLY, |c| c.interval_for(&run.account));
            let next_due = enabled.then(|| {
                Timestamp::from_unix_nanos(run.started_at.unix_nanos() + interval.as_duration().as_nanos() as i128)
            });
            Row { account_name: names.get(run.account.as_str()).cloned().unwrap_or_default(), run, next_due }
        })
        .collect();
    match format {
        Format::Json => output::json(&rows)?,
        Format::Table => {
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    let run = &row.run;
                    let seconds = run
                        .finished_at
                        .map(|f| format!("{:.1}s", (f.unix_nanos() - run.started_at.unix_nanos()) as f64 / 1e9))
                        .unwrap_or_default();
                    vec![
                        if row.account_name.is_empty() { run.account.to_string() } else { row.account_name.clone() },
                        run.technology.to_string(),
                        run.started_at.to_string(),
                        seconds,
                        serde_json::to_value(run.outcome)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        run.items.to_string(),
                        format!("+{} ~{} -{}", run.created, run.changed, run.deleted),
                        format!("+{} -{}", run.issues_new, run.issues_fixed),
                        row.next_due.map(|t| t.to_string()).unwrap_or_else(|| "disabled".into()),
                    ]
                })
                .collect();
            output::table(
                &["ACCOUNT", "TECHNOLOGY", "LAST RUN", "TOOK", "OUTCOME", "ITEMS", "CHANGES", "ISSUES", "NEXT DUE"],
                &table,
            );
            for row in rows.iter().filter(|r| !r.run.failures.is_empty()) {
                for failure in &row.run.failures {
                    say!("{}/{}: {failure}", row.run.account, row.run.technology);
                }
            }
            if rows.is_empty() {
                say!("No runs yet: `monkey find-changes` or `monkey run` collects.");
            }
        }
    }
    Ok(())
}
