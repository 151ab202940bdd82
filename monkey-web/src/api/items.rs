//! Item search and the item page: an item with its revisions, issues and comments.

use super::{AccountNames, IssueView, ItemFilters, ItemPath, ItemView, PageView, path, query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use monkey_core::model::{Comment, CommentTarget, Hash, Revision, RevisionId, Role, Timestamp};
use monkey_core::store::ItemQuery;
use serde::Serialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/items", get(search))
        .route("/api/1/items/{technology}/{account}/{region}/{name}", get(item))
}

/// `GET /api/1/items`: items matching the filters, newest change first.
async fn search(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<ItemFilters>, QueryRejection>,
) -> Result<Json<PageView<ItemView>>, ApiError> {
    caller.require(Role::View)?;
    let filters = query(filters)?;
    let paging = filters.paging()?;
    let store = state.store.as_ref();
    let search = filters.to_query(store).await?;
    let found = store.search(&ItemQuery { offset: paging.offset(), limit: paging.count, ..search }).await?;
    let names = AccountNames::load(store).await?;
    Ok(Json(PageView {
        items: found.items.iter().map(|i| ItemView::new(i, &names)).collect(),
        page: paging.page,
        count: paging.count,
        total: found.total,
    }))
}

/// A revision without its configuration, with its comments, as the item page lists them.
#[derive(Debug, Serialize)]
pub(crate) struct RevisionSummary {
    id: RevisionId,
    active: bool,
    created_at: Timestamp,
    last_ephemeral_change_at: Option<Timestamp>,
    durable_hash: Hash,
    complete_hash: Hash,
    comments: Vec<Comment>,
}

impl RevisionSummary {
    fn new(r: &Revision, comments: Vec<Comment>) -> Self {
        Self {
            id: r.id,
            active: r.active,
            created_at: r.created_at,
            last_ephemeral_change_at: r.last_ephemeral_change_at,
            durable_hash: r.durable_hash,
            complete_hash: r.complete_hash,
            comments,
        }
    }
}

#[derive(Debug, Serialize)]
struct ItemPage {
    item: ItemView,
    revisions: Vec<RevisionSummary>,
    issues: Vec<IssueView>,
    comments: Vec<Comment>,
}

/// `GET /api/1/items/{technology}/{account}/{region}/{name}`: the item, its revisions
/// (newest first, without configurations, each with its comments), its issues (open and fixed)
/// and its comments.
async fn item(
    State(state): State<AppState>,
    caller: Caller,
    item_path: Result<Path<ItemPath>, PathRejection>,
) -> Result<Json<ItemPage>, ApiError> {
    caller.require(Role::View)?;
    let store = state.store.as_ref();
    let key = path(item_path)?.key(store).await?;
    let Some(item) = store.item(&key).await? else {
        return Err(ApiError::not_found(format!("item {key}")));
    };
    let names = AccountNames::load(store).await?;
    let revisions = store.revisions(&key).await?;
    let mut issues = store.issues(&key).await?;
    issues.sort_by(|a, b| a.fixed.cmp(&b.fixed).then(b.score.cmp(&a.score)).then_with(|| a.key.cmp(&b.key)));
    let comments = store.comments(&CommentTarget::Item(key)).await?;
    let mut summaries = Vec::with_capacity(revisions.len());
    for revision in &revisions {
        let on_revision = store.comments(&CommentTarget::Revision(revision.id)).await?;
        summaries.push(RevisionSummary::new(revision, on_revision));
    }
    Ok(Json(ItemPage {
        item: ItemView::new(&item, &names),
        revisions: summaries,
        issues: issues.iter().map(|i| IssueView::new(i, &names)).collect(),
        comments,
    }))
}
