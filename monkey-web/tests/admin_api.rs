//! `POST /api/1/admin/store` through the router: authentication, statuses and error bodies.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

mod common;

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{Request, StatusCode};
use common::{account, redb_store};
use monkey_core::store_rpc::StoreCall;
use monkey_web::admin::{AdminToken, STORE_PATH};
use monkey_web::{AppState, router};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn post(state: &AppState, authorization: Option<&str>, body: impl Into<Body>) -> (StatusCode, Value, bool) {
    let mut request = Request::post(STORE_PATH);
    if let Some(value) = authorization {
        request = request.header(AUTHORIZATION, value);
    }
    let response = router(state.clone()).oneshot(request.body(body.into()).unwrap()).await.unwrap();
    let status = response.status();
    let challenge = response.headers().get(WWW_AUTHENTICATE).is_some_and(|v| v == "Bearer");
    let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap(), challenge)
}

fn call(call: &StoreCall) -> String {
    serde_json::to_string(call).unwrap()
}

#[tokio::test]
async fn calls_need_the_admin_token() {
    let (store, _dir) = redb_store();
    let token = AdminToken::generate().unwrap();
    let state = AppState::new(store).with_admin_token(token.clone());
    let accounts = call(&StoreCall::Accounts);

    let (status, body, challenge) = post(&state, None, accounts.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["kind"], "unauthorized");
    assert!(body["error"]["message"].as_str().unwrap().contains("Bearer"), "{body}");
    assert!(challenge, "a 401 says which scheme it wants");

    let basic = format!("Basic {}", token.expose());
    let (status, body, _) = post(&state, Some(&basic), accounts.clone()).await;
    assert_eq!((status, &body["error"]["kind"]), (StatusCode::UNAUTHORIZED, &json!("unauthorized")));

    let wrong = format!("Bearer {}", AdminToken::generate().unwrap().expose());
    let (status, body, challenge) = post(&state, Some(&wrong), accounts.clone()).await;
    assert_eq!((status, &body["error"]["kind"]), (StatusCode::FORBIDDEN, &json!("forbidden")));
    assert!(!challenge);
    let truncated = format!("Bearer {}", &token.expose()[..63]);
    assert_eq!(post(&state, Some(&truncated), accounts.clone()).await.0, StatusCode::FORBIDDEN);

    for good in [format!("Bearer {}", token.expose()), format!("bearer  {} ", token.expose())] {
        let (status, body, _) = post(&state, Some(&good), accounts.clone()).await;
        assert_eq!((status, body), (StatusCode::OK, json!([])), "{good:?}");
    }
}

#[tokio::test]
async fn without_a_token_the_admin_api_is_off() {
    let (store, _dir) = redb_store();
    let state = AppState::new(store);
    for authorization in [None, Some("Bearer "), Some("Bearer x")] {
        let (status, body, _) = post(&state, authorization, call(&StoreCall::Accounts)).await;
        assert_eq!((status, &body["error"]["kind"]), (StatusCode::FORBIDDEN, &json!("forbidden")), "{authorization:?}");
    }
}

#[tokio::test]
async fn answers_carry_fitting_statuses() {
    let (store, _dir) = redb_store();
    let token = AdminToken::generate().unwrap();
    let state = AppState::new(store).with_admin_token(token.clone());
    let bearer = format!("Bearer {}", token.expose());
    let send = |body: String| {
        let (state, bearer) = (state.clone(), bearer.clone());
        async move { post(&state, Some(&bearer), body).await }
    };

    let prod = account("prod", "111111111111");
    let (status, body, _) = send(call(&StoreCall::PutAccount { account: prod.clone() })).await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    let (status, body, _) = send(call(&StoreCall::AccountByName { name: prod.name.clone() })).await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::to_value(&prod).unwrap()));

    let (status, body, _) = send(call(&StoreCall::PutAccount { account: account("prod", "222222222222") })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["kind"], "name_taken");
    assert_eq!((&body["error"]["name"], &body["error"]["number"]), (&json!("prod"), &json!("111111111111")));

    let mut invalid = prod.clone();
    invalid.notes = "n".repeat(300);
    let (status, body, _) = send(call(&StoreCall::PutAccount { account: invalid })).await;
    assert_eq!((status, &body["error"]["kind"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid")));
    assert!(body["error"]["message"].as_str().unwrap().contains("notes"), "{body}");

    let key = monkey_core::model::IssueKey {
        item: monkey_core::model::ItemKey::new("s3".parse().unwrap(), prod.number.clone(), "r", "n"),
        check: "c".into(),
        notes: String::new(),
    };
    let (status, body, _) = send(call(&StoreCall::Justify { key, justification: None })).await;
    assert_eq!((status, &body["error"]["kind"]), (StatusCode::NOT_FOUND, &json!("not_found")));

    for bad in ["", "not json", r#"{"method": "drop_everything"}"#, r#"{"method": "runs", "params": {}}"#] {
        let (status, body, _) = send(bad.to_owned()).await;
        assert_eq!((status, &body["error"]["kind"]), (StatusCode::BAD_REQUEST, &json!("bad_call")), "{bad}");
        assert!(body["error"]["message"].as_str().unwrap().starts_with("the call could not be read"), "{body}");
    }
}

#[tokio::test]
async fn large_calls_are_taken() {
    let (store, _dir) = redb_store();
    let token = AdminToken::generate().unwrap();
    let state = AppState::new(store).with_admin_token(token.clone());
    let mut big = account("prod", "111111111111");
    // Past axum's default limit of 2 MiB; the store then refuses the notes, not the server the body.
    big.notes = "n".repeat(3 << 20);
    let (status, body, _) =
        post(&state, Some(&format!("Bearer {}", token.expose())), call(&StoreCall::PutAccount { account: big })).await;
    assert_eq!((status, &body["error"]["kind"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid")));
}
