//! The [`Caller`] extractor: the user behind a request, or 401.

use super::{CSRF_HEADER, SESSION_COOKIE, tokens};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use monkey_core::model::{Role, User};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;

/// How a caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A session cookie, with the session's token and CSRF token.
    Session {
        /// The session token.
        token: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// An API token, by its id.
    Token(String),
    /// A trusted proxy's header.
    Proxy,
}

/// The user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user (active).
    pub user: User,
    /// How they proved it.
    pub via: Via,
}

impl Caller {
    /// `Ok` when the caller has at least `role`; 403 naming both roles otherwise.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.user.can(role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("this needs the {role} role; {} has {}", self.user.email, self.user.role)))
        }
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let store = state.store.as_ref();
        let auth = &state.auth;

        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let text = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
            let (id, secret) = text.and_then(tokens::parse).ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "the Authorization header is not a monkey API token",
                )
            })?;
            for user in store.users().await? {
                if let Some(token) = user.api_tokens.iter().find(|t| t.id == id) {
                    if user.active && tokens::matches(token, secret) {
                        let id = token.id.clone();
                        return Ok(Self { user, via: Via::Token(id) });
                    }
                    break;
                }
            }
            return Err(ApiError::new(axum::http::StatusCode::UNAUTHORIZED, "unknown or revoked API token"));
        }

        if let Some(token) = cookie(parts, SESSION_COOKIE)
            && let Some(session) = auth.sessions.get(token)
        {
            let user = match store.user(&session.email).await? {
                Some(user) if user.active => user,
                _ => {
                    auth.sessions.end(token);
                    return Err(ApiError::unauthorized());
                }
            };
            if !is_safe(&parts.method) {
                let sent = parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
                if !bool::from(sent.ct_eq(session.csrf.as_bytes())) {
                    return Err(ApiError::forbidden(
                        "missing or wrong CSRF token: send the session's token (from GET /api/1/me) in X-CSRF-Token",
                    ));
                }
            }
            return Ok(Self { user, via: Via::Session { token: token.to_owned(), csrf: session.csrf } });
        }

        if let Some(name) = &auth.settings.proxy_header {
            let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            let trusted = peer.is_some_and(|ip| auth.settings.trusted_proxies.contains(&ip));
            if let (true, Some(value)) = (trusted, parts.headers.get(name.as_str())) {
                let email = value
                    .to_str()
                    .map_err(|_| ApiError::bad_request(format!("the {name} header is not text")))?
                    .trim()
                    .to_lowercase();
                let user = match store.user(&email).await? {
                    Some(user) => user,
                    None => {
                        let user = User::new(&email, auth.settings.proxy_default_role)?;
                        store.put_user(&user).await?;
                        user
                    }
                };
                if !user.active {
                    return Err(ApiError::forbidden(format!("{email} is deactivated")));
                }
                return Ok(Self { user, via: Via::Proxy });
            }
        }
        Err(ApiError::unauthorized())
    }
}
