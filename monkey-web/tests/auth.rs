//! Logins, sessions, CSRF, API tokens, roles, rate limiting and trusted-proxy login, through the
//! router over a real redb store.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use monkey_core::model::{Role, User};
use monkey_core::store::Store;
use monkey_web::auth::AuthSettings;
use monkey_web::auth::password::hash_password;
use monkey_web::{AppState, router};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

async fn user(store: &dyn Store, email: &str, role: Role) {
    let mut user = User::new(email, role).unwrap();
    user.password_hash = Some(hash_password(PASSWORD).unwrap());
    store.put_user(&user).await.unwrap();
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

async fn call(
    app: &axum::Router,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
    peer: Option<&str>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Reply { status, headers, body }
}

/// Logs in; returns the `Cookie` header value and the CSRF token.
async fn login(app: &axum::Router, email: &str) -> (String, String) {
    let reply =
        call(app, Method::POST, "/api/1/login", Some(json!({"email": email, "password": PASSWORD})), &[], None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    let pair = cookie.split(';').next().unwrap().to_owned();
    (pair, reply.body["csrf_token"].as_str().unwrap().to_owned())
}

fn app(store: &Arc<dyn Store>, settings: AuthSettings) -> axum::Router {
    router(AppState::new(Arc::clone(store)).with_auth(settings))
}

#[tokio::test]
async fn a_session_needs_its_csrf_token_for_every_change_and_ends_at_logout() {
    let (store, _dir) = common::redb_store();
    user(store.as_ref(), "alice@example.com", Role::Justify).await;
    let app = app(&store, AuthSettings::default());

    let wrong = call(
        &app,
        Method::POST,
        "/api/1/login",
        Some(json!({"email": "alice@example.com", "password": "nope nope nope"})),
        &[],
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let unknown = call(
        &app,
        Method::POST,
        "/api/1/login",
        Some(json!({"email": "bob@example.com", "password": PASSWORD})),
        &[],
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body, "the same answer whether or not the user exists");

    let reply = call(
        &app,
        Method::POST,
        "/api/1/login",
        Some(json!({"email": "Alice@Example.com", "password": PASSWORD})),
        &[],
        None,
    )
    .await;
    let set_cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"));
    assert!(reply.body["user"].get("password_hash").is_none(), "{}", reply.body);
    let (cookie, csrf) = login(&app, "alice@example.com").await;

    let me = call(&app, Method::GET, "/api/1/me", None, &[("cookie", &cookie)], None).await;
    assert_eq!((me.status, me.body["user"]["role"].as_str()), (StatusCode::OK, Some("Justify")));
    let settings = json!({"accounts": [], "change_mails": "ISSUES", "daily_report": true});
    let forged =
        call(&app, Method::PUT, "/api/1/me/notifications", Some(settings.clone()), &[("cookie", &cookie)], None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    let forged = call(
        &app,
        Method::PUT,
        "/api/1/me/notifications",
        Some(settings.clone()),
        &[("cookie", &cookie), ("x-csrf-token", "0000")],
        None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a wrong CSRF token");
    let saved = call(
        &app,
        Method::PUT,
        "/api/1/me/notifications",
        Some(settings),
        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
        None,
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(store.user("alice@example.com").await.unwrap().unwrap().subscriptions.daily_report);

    let out =
        call(&app, Method::POST, "/api/1/logout", None, &[("cookie", &cookie), ("x-csrf-token", &csrf)], None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    let me = call(&app, Method::GET, "/api/1/me", None, &[("cookie", &cookie)], None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);

    let secure = self::app(&store, AuthSettings { secure_cookies: true, ..AuthSettings::default() });
    let reply = call(
        &secure,
        Method::POST,
        "/api/1/login",
        Some(json!({"email": "alice@example.com", "password": PASSWORD})),
        &[],
        None,
    )
    .await;
    assert!(reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn roles_are_checked_and_nobody_edits_themselves() {
    let (store, _dir) = common::redb_store();
    user(store.as_ref(), "viewer@example.com", Role::View).await;
    user(store.as_ref(), "admin@example.com", Role::Admin).await;
    let app = app(&store, AuthSettings::default());
    assert_eq!(call(&app, Method::GET, "/api/1/users", None, &[], None).await.status, StatusCode::UNAUTHORIZED);
    let (viewer, _) = login(&app, "viewer@example.com").await;
    let refused = call(&app, Method::GET, "/api/1/users", None, &[("cookie", &viewer)], None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body["error"].as_str().unwrap().contains("Admin"), "{}", refused.body);

    let (admin, csrf) = login(&app, "admin@example.com").await;
    let listed = call(&app, Method::GET, "/api/1/users", None, &[("cookie", &admin)], None).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    let auth = [("cookie", admin.as_str()), ("x-csrf-token", csrf.as_str())];
    let created = call(
        &app,
        Method::POST,
        "/api/1/users",
        Some(json!({"email": "carol@example.com", "role": "Comment", "password": PASSWORD})),
        &auth,
        None,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let again = call(
        &app,
        Method::POST,
        "/api/1/users",
        Some(json!({"email": "carol@example.com", "role": "View"})),
        &auth,
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let weak = call(
        &app,
        Method::POST,
        "/api/1/users",
        Some(json!({"email": "dan@example.com", "role": "View", "password": "short"})),
        &auth,
        None,
    )
    .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    let bad =
        call(&app, Method::POST, "/api/1/users", Some(json!({"email": "not an address", "role": "View"})), &auth, None)
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own =
        call(&app, Method::PUT, "/api/1/users/admin@example.com", Some(json!({"role": "View"})), &auth, None).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let own = call(&app, Method::DELETE, "/api/1/users/admin@example.com", None, &auth, None).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    // Deactivating a user ends their sessions at once.
    let off =
        call(&app, Method::PUT, "/api/1/users/viewer@example.com", Some(json!({"active": false})), &auth, None).await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(
        call(&app, Method::GET, "/api/1/me", None, &[("cookie", &viewer)], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let login_again = call(
        &app,
        Method::POST,
        "/api/1/login",
        Some(json!({"email": "viewer@example.com", "password": PASSWORD})),
        &[],
        None,
    )
    .await;
    assert_eq!(login_again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&app, Method::DELETE, "/api/1/users/carol@example.com", None, &auth, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert!(store.user("carol@example.com").await.unwrap().is_none());
}

#[tokio::test]
async fn api_tokens_work_without_csrf_until_revoked() {
    let (store, _dir) = common::redb_store();
    user(store.as_ref(), "ci@example.com", Role::Comment).await;
    let app = app(&store, AuthSettings::default());
    let (cookie, csrf) = login(&app, "ci@example.com").await;
    let auth = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let made = call(&app, Method::POST, "/api/1/me/tokens", Some(json!({"name": "nightly export"})), &auth, None).await;
    assert_eq!(made.status, StatusCode::CREATED);
    let token = made.body["token"].as_str().unwrap().to_owned();
    let id = made.body["id"].as_str().unwrap().to_owned();
    let stored = store.user("ci@example.com").await.unwrap().unwrap();
    assert!(
        !serde_json::to_string(&stored).unwrap().contains(token.rsplit('_').next().unwrap()),
        "only a hash is kept"
    );

    let bearer = format!("Bearer {token}");
    let me = call(&app, Method::GET, "/api/1/me", None, &[("authorization", &bearer)], None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["csrf_token"], Value::Null);
    let settings = json!({"accounts": [], "change_mails": "ALL", "daily_report": false});
    let changed =
        call(&app, Method::PUT, "/api/1/me/notifications", Some(settings), &[("authorization", &bearer)], None).await;
    assert_eq!(changed.status, StatusCode::OK, "a token needs no CSRF token");
    // The last hex digit changed (to another one: a fixed replacement would be the same digit
    // one time in sixteen).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let forged = format!("Bearer {}{last}", &token[..token.len() - 1]);
    assert_eq!(
        call(&app, Method::GET, "/api/1/me", None, &[("authorization", &forged)], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&app, Method::GET, "/api/1/me", None, &[("authorization", "Bearer nonsense")], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let revoked = call(&app, Method::DELETE, &format!("/api/1/me/tokens/{id}"), None, &auth, None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(
        call(&app, Method::GET, "/api/1/me", None, &[("authorization", &bearer)], None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn failed_logins_are_limited_per_email_and_address() {
    let (store, _dir) = common::redb_store();
    user(store.as_ref(), "alice@example.com", Role::View).await;
    let app = app(&store, AuthSettings::default());
    let attempt = |email: &'static str, password: &'static str, peer: &'static str| {
        let app = app.clone();
        async move {
            call(
                &app,
                Method::POST,
                "/api/1/login",
                Some(json!({"email": email, "password": password})),
                &[],
                Some(peer),
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("alice@example.com", "guess guess guess", "10.0.0.1:5000").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = attempt("alice@example.com", PASSWORD, "10.0.0.2:5000").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "even the right password, from elsewhere");
    assert!(blocked.headers.get(header::RETRY_AFTER).is_some());
    let other = attempt("bob@example.com", PASSWORD, "10.0.0.1:5000").await;
    assert_eq!(other.status, StatusCode::TOO_MANY_REQUESTS, "the address is blocked too");
}

#[tokio::test]
async fn a_trusted_proxy_names_the_user_and_nobody_else_can() {
    let (store, _dir) = common::redb_store();
    let settings = AuthSettings {
        proxy_header: Some("remote-user".into()),
        trusted_proxies: vec!["10.1.1.1".parse().unwrap()],
        proxy_default_role: Role::Comment,
        ..AuthSettings::default()
    };
    let app = app(&store, settings);
    let trusted =
        call(&app, Method::GET, "/api/1/me", None, &[("remote-user", "Dana@Example.com")], Some("10.1.1.1:443")).await;
    assert_eq!(trusted.status, StatusCode::OK);
    assert_eq!(trusted.body["user"]["email"], "dana@example.com");
    assert_eq!(trusted.body["user"]["role"], "Comment");
    let spoofed =
        call(&app, Method::GET, "/api/1/me", None, &[("remote-user", "admin@example.com")], Some("10.9.9.9:443")).await;
    assert_eq!(spoofed.status, StatusCode::UNAUTHORIZED);
    let direct = call(&app, Method::GET, "/api/1/me", None, &[("remote-user", "admin@example.com")], None).await;
    assert_eq!(direct.status, StatusCode::UNAUTHORIZED);
}
