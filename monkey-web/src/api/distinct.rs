//! Distinct values of an item field, for autocomplete.

use super::{invalid, path, query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use monkey_core::model::Role;
use monkey_core::store::DistinctField;
use serde::{Deserialize, Serialize};

/// Values answered unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 20;
/// The most values answered.
const MAX_LIMIT: usize = 1000;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/1/distinct/{field}", get(distinct))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    prefix: String,
    limit: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Values {
    field: &'static str,
    values: Vec<String>,
}

/// `GET /api/1/distinct/{technology|account|region|name}?prefix=&limit=`: sorted values
/// starting with the prefix (case-insensitive); accounts by name.
async fn distinct(
    State(state): State<AppState>,
    caller: Caller,
    field: Result<Path<String>, PathRejection>,
    params: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Values>, ApiError> {
    caller.require(Role::View)?;
    let (field, name) = match path(field)?.as_str() {
        "technology" => (DistinctField::Technology, "technology"),
        "account" => (DistinctField::Account, "account"),
        "region" => (DistinctField::Region, "region"),
        "name" => (DistinctField::Name, "name"),
        other => return Err(invalid("field", format!("{other:?} is not one of technology, account, region, name"))),
    };
    let params = query(params)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(invalid("limit", format!("between 1 and {MAX_LIMIT}")));
    }
    let values = state.store.distinct(field, &params.prefix, limit).await?;
    Ok(Json(Values { field: name, values }))
}
