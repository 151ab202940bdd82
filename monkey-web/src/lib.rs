//! The web side of monkey: the REST API under `/api/1/` and the web UI, served by axum over
//! any [`Store`].
//!
//! It reads and writes the store only; it never talks to AWS.
//!
//! # One store, one process
//!
//! Embedded stores are single-process, so while `monkey serve` (or `monkey run`) holds the
//! store, other monkey commands on the machine use it through this process: the [`admin`] API
//! (`POST /api/1/admin/store`) runs any store call, authenticated by a token that the running
//! process writes, with its address, to an owner-only file in the data directory
//! ([`admin::AdminFile`]); [`client::RemoteStore`] is a [`Store`] that sends its calls there.
//!
//! ```no_run
//! use monkey_web::admin::{AdminFile, AdminToken};
//! use monkey_web::{AppState, router};
//! use std::path::Path;
//! use std::sync::Arc;
//!
//! # async fn serve(store: Arc<dyn monkey_core::store::Store>) -> std::io::Result<()> {
//! let data_dir = Path::new("monkey-data");
//! let token = AdminToken::generate()?;
//! let plan_changed = Arc::new(tokio::sync::Notify::new());
//! let poke = plan_changed.clone();
//! let state = AppState::new(store).with_admin_token(token.clone()).with_poke(move || poke.notify_one());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! // Removed again when `published` is dropped, after the server stopped.
//! let published = AdminFile::new(listener.local_addr()?, token).publish(data_dir)?;
//! axum::serve(listener, router(state)).await?;
//! drop(published);
//! # Ok(())
//! # }
//! ```

pub mod admin;
mod api;
pub mod auth;
pub mod client;
pub mod error;
mod health;
pub mod runs;
mod ui;

use admin::AdminToken;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use monkey_core::store::Store;
use std::sync::Arc;

/// Called after each call of the admin API that changed the store, so that whoever plans work
/// from the store (the scheduler) looks at it again at once instead of at its next tick.
pub type Poke = Arc<dyn Fn() + Send + Sync>;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The store the API reads and writes.
    pub store: Arc<dyn Store>,
    /// The token admin calls must carry; without one the admin API refuses every call.
    pub admin_token: Option<AdminToken>,
    /// Called after each admin call that changed the store.
    pub poke: Option<Poke>,
    /// The engine, when this process runs watchers (`find-changes` goes through it).
    pub engine: Option<Arc<monkey_core::engine::Monkey>>,
    /// Sessions, login limits and how callers authenticate.
    pub auth: Arc<auth::Auth>,
}

impl AppState {
    /// State over `store`, with the admin API off and nobody to poke.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store, admin_token: None, poke: None, engine: None, auth: Arc::default() }
    }

    /// Turns the admin API on: calls carrying `token` are run.
    pub fn with_admin_token(self, token: AdminToken) -> Self {
        Self { admin_token: Some(token), ..self }
    }

    /// Runs `find-changes` requests with `engine`.
    pub fn with_engine(self, engine: Arc<monkey_core::engine::Monkey>) -> Self {
        Self { engine: Some(engine), ..self }
    }

    /// Authenticates callers under `settings`.
    pub fn with_auth(self, settings: auth::AuthSettings) -> Self {
        Self { auth: auth::Auth::new(settings), ..self }
    }

    /// Calls `poke` after each admin call that changed the store.
    pub fn with_poke(self, poke: impl Fn() + Send + Sync + 'static) -> Self {
        Self { poke: Some(Arc::new(poke)), ..self }
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/1/healthcheck", get(health::healthcheck))
        .route("/metrics", get(runs::metrics))
        .route(runs::FIND_CHANGES_PATH, post(runs::find_changes))
        .route(admin::STORE_PATH, post(admin::store_call).layer(DefaultBodyLimit::max(admin::MAX_CALL_BYTES)))
        .merge(auth::routes())
        .merge(ui::routes())
        .merge(api::routes())
        .with_state(state)
}
