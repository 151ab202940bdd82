//! Open issues across items, and justifying or unjustifying one.
//!
//! The store has no issue index: an issue list searches the items whose score can hold a
//! matching issue (score at least the issue's minimum, and at least 1) and reads their issues.
//! That costs one read per scored item that passes the item filters: fine for the few thousand
//! scored items of an installation, and the item filters narrow it further.

use super::{
    AccountNames, IssueView, ItemFilters, ItemPath, PageView, account_number, body, invalid, path, query, technology,
};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use monkey_core::model::{Issue, IssueKey, ItemKey, Justification, Role, now};
use monkey_core::store::{ItemQuery, Store, StoreExt};
use serde::Deserialize;

/// The longest justification reason, as Security Monkey allowed.
const MAX_REASON_CHARS: usize = 512;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/issues", get(list))
        .route("/api/1/issues/justification", post(justify).delete(unjustify))
        .route("/api/1/issues/{technology}/{account}/{region}/{name}/{check}", get(one))
}

/// An issue's path: its item's key, then its check.
#[derive(Debug, Deserialize)]
struct IssuePath {
    technology: String,
    account: String,
    region: String,
    name: String,
    check: String,
}

/// An issue's notes, which may be empty and so travel in the query.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notes {
    notes: String,
}

/// `GET /api/1/issues/{technology}/{account}/{region}/{name}/{check}?notes=`: one issue, open
/// or fixed, by its key (the item, the check and the notes, empty unless given).
async fn one(
    State(state): State<AppState>,
    caller: Caller,
    issue_path: Result<Path<IssuePath>, PathRejection>,
    notes: Result<Query<Notes>, QueryRejection>,
) -> Result<Json<IssueView>, ApiError> {
    caller.require(Role::View)?;
    let IssuePath { technology, account, region, name, check } = path(issue_path)?;
    let notes = query(notes)?.notes;
    let store = state.store.as_ref();
    let item = ItemPath { technology, account, region, name }.key(store).await?;
    let issue = store.issues(&item).await?.into_iter().find(|i| i.key.check == check && i.key.notes == notes);
    let Some(issue) = issue else {
        return Err(ApiError::not_found(format!("issue {check} ({notes:?}) of item {item}")));
    };
    Ok(Json(IssueView::new(&issue, &AccountNames::load(store).await?)))
}

/// The open issues of the items `search` finds that pass `keep`, unjustified first, then by
/// score (highest first), item and check.
pub(super) async fn open_issues(
    store: &dyn Store,
    search: ItemQuery,
    keep: impl Fn(&Issue) -> bool,
) -> Result<Vec<Issue>, ApiError> {
    let mut out = Vec::new();
    for item in store.search_all(&search).await? {
        out.extend(store.issues(&item.key).await?.into_iter().filter(|i| !i.fixed && keep(i)));
    }
    out.sort_by(|a, b| {
        a.justification
            .is_some()
            .cmp(&b.justification.is_some())
            .then(b.score.cmp(&a.score))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}

/// `GET /api/1/issues`: open issues of the items matching the item filters; `justified`
/// and `min_score` (of the issue) filter the issues themselves.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<ItemFilters>, QueryRejection>,
) -> Result<Json<PageView<IssueView>>, ApiError> {
    caller.require(Role::View)?;
    let filters = query(filters)?;
    let paging = filters.paging()?;
    let justified = filters.justified()?;
    let store = state.store.as_ref();
    let mut search = filters.to_query(store).await?;
    let min_score = search.min_score.unwrap_or(0);
    // An item's score is the sum of its open issues' scores, so it bounds theirs.
    search.min_score = Some(min_score.max(1));
    if justified == Some(false) {
        search.min_unjustified_score = Some(search.min_unjustified_score.unwrap_or(0).max(min_score).max(1));
    }
    let issues = open_issues(store, search, |issue| {
        issue.score >= min_score && justified.is_none_or(|j| j == issue.justification.is_some())
    })
    .await?;
    let names = AccountNames::load(store).await?;
    Ok(Json(PageView {
        total: issues.len(),
        items: issues.iter().skip(paging.offset()).take(paging.count).map(|i| IssueView::new(i, &names)).collect(),
        page: paging.page,
        count: paging.count,
    }))
}

/// An issue named in a request body, with the reason of a justification.
#[derive(Debug, Deserialize)]
struct IssueRef {
    technology: String,
    account: String,
    region: String,
    name: String,
    check: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    reason: Option<String>,
}

impl IssueRef {
    async fn key(&self, store: &dyn Store) -> Result<IssueKey, ApiError> {
        let item = ItemKey::new(
            technology("technology", &self.technology)?,
            account_number(store, "account", &self.account).await?,
            self.region.clone(),
            self.name.clone(),
        );
        Ok(IssueKey { item, check: self.check.clone(), notes: self.notes.clone() })
    }
}

/// `POST /api/1/issues/justification`: accepts an issue's risk, as the caller, now.
async fn justify(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<IssueRef>, JsonRejection>,
) -> Result<Json<IssueView>, ApiError> {
    caller.require(Role::Justify)?;
    let request = body(request)?;
    let reason = request.reason.as_deref().map(str::trim).unwrap_or_default();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(invalid("reason", format!("a justification needs a reason of 1 to {MAX_REASON_CHARS} characters")));
    }
    let store = state.store.as_ref();
    let key = request.key(store).await?;
    let justification = Justification { by: caller.user.email.clone(), at: now(), reason: reason.to_owned() };
    let issue = store.justify(&key, Some(justification)).await?;
    Ok(Json(IssueView::new(&issue, &AccountNames::load(store).await?)))
}

/// `DELETE /api/1/issues/justification`: takes an issue's justification back.
async fn unjustify(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<IssueRef>, JsonRejection>,
) -> Result<Json<IssueView>, ApiError> {
    caller.require(Role::Justify)?;
    let request = body(request)?;
    let store = state.store.as_ref();
    let key = request.key(store).await?;
    let issue = store.justify(&key, None).await?;
    Ok(Json(IssueView::new(&issue, &AccountNames::load(store).await?)))
}
