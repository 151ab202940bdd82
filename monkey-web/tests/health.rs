//! The health check answers through the real router over a real store.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use monkey_web::{AppState, router};
use tower::ServiceExt;

#[tokio::test]
async fn healthcheck_reports_ok_over_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("m.redb").display())).unwrap();
    let app = router(AppState::new(store));
    let response = app.oneshot(Request::get("/api/1/healthcheck").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["status"], "ok");
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("sled:{}", dir.path().join("m.sled").display())).unwrap();
    let response =
        router(AppState::new(store)).oneshot(Request::get("/api/1/nope").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
