//! The web side of monkey: the REST API under `/api/1/` and the web UI, served by axum over
//! any [`Store`].
//!
//! It reads and writes the store only; it never talks to AWS.

mod health;

use axum::Router;
use monkey_core::store::Store;
use std::sync::Arc;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The store the API reads and writes.
    pub store: Arc<dyn Store>,
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new().route("/api/1/healthcheck", axum::routing::get(health::healthcheck)).with_state(state)
}
