//! Who is calling, and what they may do.
//!
//! A caller is a user, found by one of:
//! - an API token (`Authorization: Bearer mk_...`), for scripts: no CSRF check, since a
//!   browser never sends it by itself;
//! - a session cookie (`monkey_session`, HttpOnly, SameSite=Lax, Secure when configured),
//!   made by `POST /api/1/login`: every state-changing request must also carry the session's
//!   CSRF token in `X-CSRF-Token`;
//! - a header set by a trusted reverse proxy (`Remote-User` by default), only when the request
//!   comes from one of the configured proxy addresses; unknown users are created with the
//!   configured default role.
//!
//! Roles are checked on every route with [`Caller::require`]: View < Comment < Justify < Admin.
//! Failed logins are limited per e-mail and per client address ([`limiter`]).

mod extract;
pub mod limiter;
pub mod password;
mod routes;
pub mod sessions;
pub mod tokens;

pub use extract::{Caller, Via};
pub(crate) use routes::routes;

use monkey_core::model::Role;
use std::net::IpAddr;
use std::sync::Arc;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "monkey_session";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How callers are authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSettings {
    /// Mark the session cookie `Secure` (serve behind TLS).
    pub secure_cookies: bool,
    /// The header a trusted proxy names the user in; `None` turns proxy login off.
    pub proxy_header: Option<String>,
    /// Addresses of the proxies whose header is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The role of users a proxy names for the first time.
    pub proxy_default_role: Role,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self { secure_cookies: false, proxy_header: None, trusted_proxies: Vec::new(), proxy_default_role: Role::View }
    }
}

/// Authentication state shared by every handler.
#[derive(Debug, Default)]
pub struct Auth {
    /// The settings.
    pub settings: AuthSettings,
    /// Live sessions.
    pub sessions: sessions::Sessions,
    /// Failed logins.
    pub limiter: limiter::LoginLimiter,
}

impl Auth {
    /// Authentication under `settings`.
    pub fn new(settings: AuthSettings) -> Arc<Self> {
        Arc::new(Self { settings, ..Self::default() })
    }
}
