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

/// A `[web]` setting that could not be read; the message names its variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AuthSettingsError(String);

impl AuthSettings {
    /// Settings from variables looked up by `var`: `MONKEY_WEB_SECURE_COOKIES` (true/false),
    /// `MONKEY_WEB_PROXY_HEADER` with `MONKEY_WEB_TRUSTED_PROXIES` (comma-separated addresses)
    /// and `MONKEY_WEB_PROXY_DEFAULT_ROLE`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, AuthSettingsError> {
        let secure_cookies = match var("MONKEY_WEB_SECURE_COOKIES").map(|v| v.trim().to_ascii_lowercase()) {
            None => false,
            Some(v) if v == "true" || v == "1" || v == "yes" => true,
            Some(v) if v == "false" || v == "0" || v == "no" || v.is_empty() => false,
            Some(v) => {
                return Err(AuthSettingsError(format!(
                    "MONKEY_WEB_SECURE_COOKIES: expected true or false (got {v:?})"
                )));
            }
        };
        let mut trusted_proxies = Vec::new();
        for text in
            var("MONKEY_WEB_TRUSTED_PROXIES").unwrap_or_default().split(',').map(str::trim).filter(|t| !t.is_empty())
        {
            trusted_proxies.push(text.parse().map_err(|_| {
                AuthSettingsError(format!("MONKEY_WEB_TRUSTED_PROXIES: {text:?} is not an IP address"))
            })?);
        }
        let proxy_header =
            var("MONKEY_WEB_PROXY_HEADER").map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty());
        if proxy_header.is_some() && trusted_proxies.is_empty() {
            return Err(AuthSettingsError(
                "MONKEY_WEB_PROXY_HEADER needs MONKEY_WEB_TRUSTED_PROXIES: the addresses of the proxies that set it"
                    .into(),
            ));
        }
        let proxy_default_role = match var("MONKEY_WEB_PROXY_DEFAULT_ROLE") {
            None => Role::View,
            Some(text) => text.parse().map_err(|_| {
                AuthSettingsError(format!(
                    "MONKEY_WEB_PROXY_DEFAULT_ROLE: expected View, Comment, Justify or Admin (got {text:?})"
                ))
            })?,
        };
        Ok(Self { secure_cookies, proxy_header, trusted_proxies, proxy_default_role })
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<AuthSettings, AuthSettingsError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        AuthSettings::from_vars(|name| vars.get(name).map(|v| (*v).to_owned()))
    }

    #[test]
    fn web_settings_are_read_and_bad_ones_name_their_variable() {
        assert_eq!(settings(&[]).unwrap(), AuthSettings::default());
        let proxied = settings(&[
            ("MONKEY_WEB_SECURE_COOKIES", "yes"),
            ("MONKEY_WEB_PROXY_HEADER", "Remote-User"),
            ("MONKEY_WEB_TRUSTED_PROXIES", "10.0.0.5, ::1"),
            ("MONKEY_WEB_PROXY_DEFAULT_ROLE", "justify"),
        ])
        .unwrap();
        assert!(proxied.secure_cookies);
        assert_eq!(proxied.proxy_header.as_deref(), Some("remote-user"));
        assert_eq!(proxied.trusted_proxies.len(), 2);
        assert_eq!(proxied.proxy_default_role, Role::Justify);
        for (vars, variable) in [
            (vec![("MONKEY_WEB_SECURE_COOKIES", "maybe")], "MONKEY_WEB_SECURE_COOKIES"),
            (vec![("MONKEY_WEB_TRUSTED_PROXIES", "proxy.example.com")], "MONKEY_WEB_TRUSTED_PROXIES"),
            (vec![("MONKEY_WEB_PROXY_HEADER", "remote-user")], "MONKEY_WEB_PROXY_HEADER"),
            (vec![("MONKEY_WEB_PROXY_DEFAULT_ROLE", "root")], "MONKEY_WEB_PROXY_DEFAULT_ROLE"),
        ] {
            assert!(settings(&vars).unwrap_err().to_string().starts_with(variable), "{vars:?}");
        }
    }
}
