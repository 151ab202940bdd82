//! CSV exports of items and of open issues, with the item filters of `GET /api/1/items`.
//!
//! Cells that start with `=`, `+`, `-` or `@` are prefixed with `'`, so that a spreadsheet
//! does not run a resource name as a formula ([`monkey_core::report::csv_row`]).

use super::{AccountNames, ItemFilters, query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use monkey_core::model::{Role, now};
use monkey_core::report::{Format, Report, ReportItem, csv_row};
use monkey_core::store::StoreExt;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/1/export/items.csv", get(items)).route("/api/1/export/issues.csv", get(issues))
}

fn csv(file: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], text)
        .into_response()
}

/// `GET /api/1/export/items.csv`: one row per matching item.
async fn items(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<ItemFilters>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Role::View)?;
    let store = state.store.as_ref();
    let search = query(filters)?.to_query(store).await?;
    let names = AccountNames::load(store).await?;
    let mut out = String::new();
    csv_row(
        &mut out,
        [
            "technology",
            "account",
            "account_name",
            "region",
            "name",
            "arn",
            "active",
            "score",
            "unjustified_score",
            "last_changed",
        ],
    );
    for item in store.search_all(&search).await? {
        let key = &item.key;
        csv_row(
            &mut out,
            [
                key.technology.to_string(),
                key.account.to_string(),
                names.get(&key.account).unwrap_or_default(),
                key.region.to_string(),
                key.name.to_string(),
                item.arn.clone().unwrap_or_default(),
                item.active.to_string(),
                item.score.to_string(),
                item.unjustified_score.to_string(),
                item.latest_revision_at.to_string(),
            ],
        );
    }
    Ok(csv("items.csv", out))
}

/// `GET /api/1/export/issues.csv`: one row per open issue of the matching items (the report's
/// CSV), highest scored items first.
async fn issues(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<ItemFilters>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Role::View)?;
    let store = state.store.as_ref();
    let mut search = query(filters)?.to_query(store).await?;
    search.min_score = Some(search.min_score.unwrap_or(0).max(1));
    let mut report_items = Vec::new();
    for item in store.search_all(&search).await? {
        let report_item = ReportItem::new(&item.key, item.arn.clone(), store.issues(&item.key).await?);
        if !report_item.issues.is_empty() {
            report_items.push(report_item);
        }
    }
    Ok(csv("issues.csv", Report::new(report_items, now()).render(Format::Csv)))
}
