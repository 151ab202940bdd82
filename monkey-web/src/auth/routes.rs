//! Login, logout, the caller's own settings and tokens, and user administration.

use super::{Caller, SESSION_COOKIE, Via, password, sessions, tokens};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{Extensions, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use monkey_core::model::{AccountName, ChangeMails, Role, Subscriptions, User, now};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// The routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/login", post(login))
        .route("/api/1/logout", post(logout))
        .route("/api/1/me", get(me))
        .route("/api/1/me/notifications", put(set_notifications))
        .route("/api/1/me/password", put(set_password))
        .route("/api/1/me/tokens", post(create_token))
        .route("/api/1/me/tokens/{id}", delete(revoke_token))
        .route("/api/1/users", get(list_users).post(create_user))
        .route("/api/1/users/{email}", put(update_user).delete(delete_user))
        .route("/api/1/roles", get(roles))
}

/// A user as the API shows them: never the password hash or token hashes.
#[derive(Debug, Serialize)]
pub(crate) struct UserView {
    email: String,
    role: Role,
    active: bool,
    subscriptions: Subscriptions,
    tokens: Vec<TokenView>,
}

#[derive(Debug, Serialize)]
struct TokenView {
    id: String,
    name: String,
    created_at: monkey_core::model::Timestamp,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            email: user.email.clone(),
            role: user.role,
            active: user.active,
            subscriptions: user.subscriptions.clone(),
            tokens: user
                .api_tokens
                .iter()
                .map(|t| TokenView { id: t.id.clone(), name: t.name.clone(), created_at: t.created_at })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Login {
    email: String,
    password: String,
}

/// The client's address, when the server was started with connect info.
fn client(extensions: &Extensions) -> String {
    extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

async fn login(
    State(state): State<AppState>,
    extensions: Extensions,
    Json(body): Json<Login>,
) -> Result<Response, ApiError> {
    let auth = &state.auth;
    let email = body.email.trim().to_lowercase();
    let address = client(&extensions);
    let keys = [email.as_str(), address.as_str()];
    if let Some(wait) = auth.limiter.blocked_for(&keys) {
        let mut response =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too many failed logins; try again later").into_response();
        if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let user = state.store.user(&email).await?;
    let valid = match &user {
        Some(user) => {
            user.active && user.password_hash.as_deref().is_some_and(|h| password::verify_password(&body.password, h))
        }
        None => {
            // Spend the time of a verification so that timing does not tell which users exist.
            let _ = password::verify_password(&body.password, &DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| valid) else {
        auth.limiter.failed(&keys);
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong e-mail or password"));
    };
    auth.limiter.succeeded(&email);
    let (token, session) = auth
        .sessions
        .start(&user.email)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let secure = if auth.settings.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        sessions::ABSOLUTE.as_secs()
    );
    let mut response =
        Json(serde_json::json!({ "user": UserView::from(&user), "csrf_token": session.csrf })).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// A hash of a random password, verified against when the e-mail is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    sessions::random_token().ok().and_then(|p| password::hash_password(&p).ok()).unwrap_or_default()
});

async fn logout(State(state): State<AppState>, caller: Caller) -> Response {
    if let Via::Session { token, .. } = &caller.via {
        state.auth.sessions.end(token);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn me(caller: Caller) -> Json<serde_json::Value> {
    let csrf = match &caller.via {
        Via::Session { csrf, .. } => Some(csrf.clone()),
        _ => None,
    };
    Json(serde_json::json!({ "user": UserView::from(&caller.user), "csrf_token": csrf }))
}

#[derive(Debug, Deserialize)]
struct Notifications {
    accounts: Vec<String>,
    change_mails: ChangeMails,
    daily_report: bool,
}

async fn set_notifications(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<Notifications>,
) -> Result<Json<UserView>, ApiError> {
    let known = state.store.accounts().await?;
    let mut accounts = Vec::new();
    for name in &body.accounts {
        let name = AccountName::parse(name)?;
        if !known.iter().any(|a| a.name == name) {
            return Err(ApiError::not_found(format!("account {name}")));
        }
        accounts.push(name);
    }
    let mut user = caller.user;
    user.subscriptions = Subscriptions { accounts, change_mails: body.change_mails, daily_report: body.daily_report };
    state.store.put_user(&user).await?;
    Ok(Json(UserView::from(&user)))
}

#[derive(Debug, Deserialize)]
struct NewPassword {
    current: String,
    new: String,
}

async fn set_password(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewPassword>,
) -> Result<StatusCode, ApiError> {
    let mut user = caller.user;
    if !user.password_hash.as_deref().is_some_and(|h| password::verify_password(&body.current, h)) {
        return Err(ApiError::forbidden("the current password is wrong"));
    }
    user.password_hash = Some(password::hash_password(&body.new).map_err(|e| ApiError::bad_request(e.to_string()))?);
    state.store.put_user(&user).await?;
    state.auth.sessions.end_all_of(&user.email);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct NewToken {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewToken>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let name = body.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::bad_request("a token needs a name of 1 to 100 characters"));
    }
    let (text, token) =
        tokens::issue(name, now()).map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let mut user = caller.user;
    let id = token.id.clone();
    user.api_tokens.push(token);
    state.store.put_user(&user).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id, "name": name, "token": text }))))
}

async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut user = caller.user;
    let before = user.api_tokens.len();
    user.api_tokens.retain(|t| t.id != id);
    if user.api_tokens.len() == before {
        return Err(ApiError::not_found(format!("token {id}")));
    }
    state.store.put_user(&user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_users(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<UserView>>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json(state.store.users().await?.iter().map(UserView::from).collect()))
}

#[derive(Debug, Deserialize)]
struct NewUser {
    email: String,
    role: Role,
    password: Option<String>,
}

async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    caller.require(Role::Admin)?;
    let mut user = User::new(&body.email, body.role)?;
    if state.store.user(&user.email).await?.is_some() {
        return Err(ApiError::new(StatusCode::CONFLICT, format!("{} already exists", user.email)));
    }
    if let Some(text) = &body.password {
        user.password_hash = Some(password::hash_password(text).map_err(|e| ApiError::bad_request(e.to_string()))?);
    }
    state.store.put_user(&user).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

#[derive(Debug, Deserialize)]
struct UserUpdate {
    role: Option<Role>,
    active: Option<bool>,
}

async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
    Json(body): Json<UserUpdate>,
) -> Result<Json<UserView>, ApiError> {
    caller.require(Role::Admin)?;
    let email = email.trim().to_lowercase();
    if email == caller.user.email {
        return Err(ApiError::forbidden("you cannot change your own role or deactivate yourself"));
    }
    let mut user = state.store.user(&email).await?.ok_or_else(|| ApiError::not_found(format!("user {email}")))?;
    if let Some(role) = body.role {
        user.role = role;
    }
    if let Some(active) = body.active {
        user.active = active;
        if !active {
            state.auth.sessions.end_all_of(&user.email);
        }
    }
    state.store.put_user(&user).await?;
    Ok(Json(UserView::from(&user)))
}

async fn delete_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Admin)?;
    let email = email.trim().to_lowercase();
    if email == caller.user.email {
        return Err(ApiError::forbidden("you cannot delete yourself"));
    }
    if !state.store.delete_user(&email).await? {
        return Err(ApiError::not_found(format!("user {email}")));
    }
    state.auth.sessions.end_all_of(&email);
    Ok(StatusCode::NO_CONTENT)
}

async fn roles(caller: Caller) -> Result<Json<[Role; 4]>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json([Role::View, Role::Comment, Role::Justify, Role::Admin]))
}
