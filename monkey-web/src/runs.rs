//! Work the running monkey does on request (`monkey find-changes` while it holds the store),
//! and its run history as Prometheus metrics.

use crate::AppState;
use crate::admin::Admin;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use monkey_core::model::{AccountNumber, RunOutcome, RunRecord, Technology};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Where `POST` asks the running monkey to find changes now.
pub const FIND_CHANGES_PATH: &str = "/api/1/admin/find-changes";

/// Which units `find-changes` runs: empty lists mean every watched account or technology.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FindChanges {
    /// Accounts.
    pub accounts: Vec<AccountNumber>,
    /// Technologies.
    pub technologies: Vec<Technology>,
}

/// One unit's result: its run, or why it could not run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitResult {
    /// The recorded run.
    Run(RunRecord),
    /// Why the unit failed.
    Error(String),
}

/// `POST /api/1/admin/find-changes`: runs the units now (each waits for a scheduled run of the
/// same unit to finish first) and answers with their runs.
pub(crate) async fn find_changes(
    State(state): State<AppState>,
    _admin: Admin,
    Json(request): Json<FindChanges>,
) -> Response {
    let Some(monkey) = state.engine.clone() else {
        let error = serde_json::json!({"error": {"kind": "bad_call", "message": "this monkey runs no watchers"}});
        return (StatusCode::SERVICE_UNAVAILABLE, Json(error)).into_response();
    };
    let accounts = match monkey.store().accounts().await {
        Ok(accounts) => accounts
            .into_iter()
            .filter(|a| {
                if request.accounts.is_empty() {
                    monkey_core::engine::Monkey::is_watched(a)
                } else {
                    request.accounts.contains(&a.number)
                }
            })
            .collect::<Vec<_>>(),
        Err(e) => {
            let error = serde_json::json!({"error": {"kind": "internal", "message": e.to_string()}});
            return (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response();
        }
    };
    let results = monkey.find_changes(&accounts, &request.technologies, 4, &|_| {}).await;
    let results: Vec<UnitResult> = results
        .into_iter()
        .map(|r| match r {
            Ok(run) => UnitResult::Run(run),
            Err(e) => UnitResult::Error(e.to_string()),
        })
        .collect();
    (StatusCode::OK, Json(results)).into_response()
}

/// A metric's name, help text, and value from a unit's latest run.
type Gauge = (&'static str, &'static str, fn(&RunRecord) -> f64);

/// `GET /metrics`: the latest run of every unit, as Prometheus text.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let runs = match state.store.last_runs().await {
        Ok(runs) => runs,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, format!("# the store failed: {e}\n")).into_response(),
    };
    let accounts = state.store.accounts().await.unwrap_or_default();
    let name =
        |n: &AccountNumber| accounts.iter().find(|a| &a.number == n).map(|a| a.name.to_string()).unwrap_or_default();
    let mut out = String::new();
    let gauges: [Gauge; 9] = [
        ("monkey_run_started_seconds", "Start of the latest run, Unix time.", |r| r.started_at.unix_seconds() as f64),
        ("monkey_run_duration_seconds", "How long the latest finished run took.", |r| {
            r.finished_at.map_or(0.0, |f| (f.unix_nanos() - r.started_at.unix_nanos()) as f64 / 1e9)
        }),
        ("monkey_run_success", "1 if the latest run collected everything, else 0.", |r| {
            f64::from(u8::from(r.outcome == RunOutcome::Succeeded))
        }),
        ("monkey_run_items", "Items the latest run collected.", |r| r.items as f64),
        ("monkey_run_items_created", "Items the latest run saw for the first time.", |r| r.created as f64),
        ("monkey_run_items_changed", "Items whose configuration the latest run saw change.", |r| r.changed as f64),
        ("monkey_run_items_deleted", "Items the latest run no longer saw.", |r| r.deleted as f64),
        ("monkey_run_issues_new", "Issues the latest run found.", |r| r.issues_new as f64),
        ("monkey_run_failures", "Collection failures of the latest run.", |r| r.failures.len() as f64),
    ];
    for (metric, help, value) in gauges {
        let _ = writeln!(out, "# HELP {metric} {help}\n# TYPE {metric} gauge");
        for run in &runs {
            let _ = writeln!(
                out,
                "{metric}{{account=\"{}\",account_name=\"{}\",technology=\"{}\"}} {}",
                run.account,
                escape(&name(&run.account)),
                run.technology,
                value(run)
            );
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

/// Label values are quoted: a backslash, quote or newline in an account name must not break out.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
