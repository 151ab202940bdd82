//! `GET /api/1/healthcheck`: whether the server and its store answer.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

/// The health report.
#[derive(Debug, Serialize)]
pub(crate) struct Health {
    status: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// 200 when the store answers a read, 503 with the store's error otherwise.
pub(crate) async fn healthcheck(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let version = env!("CARGO_PKG_VERSION");
    match state.store.watcher_configs().await {
        Ok(_) => (StatusCode::OK, Json(Health { status: "ok", version, error: None })),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health { status: "unavailable", version, error: Some(e.to_string()) }),
        ),
    }
}
