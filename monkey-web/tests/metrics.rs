//! `/metrics`: the latest run of every unit as Prometheus text, labels escaped.
#![allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use monkey_core::model::{Account, AccountName, AccountNumber, RunOutcome, RunRecord, Technology, Timestamp};
use monkey_web::{AppState, router};
use tower::ServiceExt;

#[tokio::test]
async fn metrics_show_the_latest_run_of_each_unit() {
    let dir = tempfile::tempdir().unwrap();
    let store = monkey_store::open(&format!("redb:{}", dir.path().join("m.redb").display())).unwrap();
    let number = AccountNumber::parse("123456789012").unwrap();
    store.put_account(&Account::new(AccountName::parse("prod \"eu\"").unwrap(), number.clone())).await.unwrap();
    let mut run = RunRecord::start(
        number,
        Technology::parse("s3").unwrap(),
        Timestamp::from_unix_nanos(1_000_000_000_000_000_000),
    );
    run.finished_at = Some(Timestamp::from_unix_nanos(1_000_000_002_500_000_000));
    run.outcome = RunOutcome::Succeeded;
    run.items = 7;
    run.created = 2;
    store.put_run(&run).await.unwrap();

    let response =
        router(AppState::new(store)).oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let labels = "account=\"123456789012\",account_name=\"prod \\\"eu\\\"\",technology=\"s3\"";
    for line in [
        format!("monkey_run_items{{{labels}}} 7"),
        format!("monkey_run_items_created{{{labels}}} 2"),
        format!("monkey_run_success{{{labels}}} 1"),
        format!("monkey_run_duration_seconds{{{labels}}} 2.5"),
        "# TYPE monkey_run_issues_new gauge".to_owned(),
    ] {
        assert!(text.contains(&line), "missing {line:?} in:\n{text}");
    }
}
