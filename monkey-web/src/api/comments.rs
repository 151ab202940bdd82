//! Comments on items and on revisions: adding and deleting them.
//!
//! Deleting is addressed under the comment's target, as in Security Monkey, because who may
//! delete depends on it: a revision comment, anyone with the Comment role; an item comment,
//! its author with the Justify role, or an Admin. `DELETE /api/1/comments/{id}` deletes by id
//! alone, for the UI and scripts that hold only the id: the caller's own comments (an item
//! comment still needs the Justify role), or any with the Admin role.

use super::{ItemPath, body, path};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use monkey_core::model::{Comment, CommentId, CommentTarget, Role, now};
use monkey_core::store::Store;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/1/items/{technology}/{account}/{region}/{name}/comments", post(add_to_item))
        .route("/api/1/items/{technology}/{account}/{region}/{name}/comments/{id}", delete(delete_from_item))
        .route("/api/1/revisions/{id}/comments", post(add_to_revision))
        .route("/api/1/revisions/{id}/comments/{comment_id}", delete(delete_from_revision))
        .route("/api/1/comments/{id}", delete(delete_by_id))
}

#[derive(Debug, Deserialize)]
struct NewComment {
    text: String,
}

/// Stores a comment by the caller on `target`; answers it with its id.
async fn add(
    store: &dyn Store,
    caller: &Caller,
    target: CommentTarget,
    text: String,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let comment = Comment::new(target, caller.user.email.clone(), now(), text)?;
    let id = store.add_comment(&comment).await?;
    Ok((StatusCode::CREATED, Json(Comment { id, ..comment })))
}

/// `POST /api/1/items/{technology}/{account}/{region}/{name}/comments` with `{text}`.
async fn add_to_item(
    State(state): State<AppState>,
    caller: Caller,
    item: Result<Path<ItemPath>, PathRejection>,
    request: Result<Json<NewComment>, JsonRejection>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    caller.require(Role::Comment)?;
    let store = state.store.as_ref();
    let key = path(item)?.key(store).await?;
    let text = body(request)?.text;
    if store.item(&key).await?.is_none() {
        return Err(ApiError::not_found(format!("item {key}")));
    }
    add(store, &caller, CommentTarget::Item(key), text).await
}

/// `POST /api/1/revisions/{id}/comments` with `{text}`.
async fn add_to_revision(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<u64>, PathRejection>,
    request: Result<Json<NewComment>, JsonRejection>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    caller.require(Role::Comment)?;
    let store = state.store.as_ref();
    let revision = super::revisions::existing(store, path(id)?).await?;
    let text = body(request)?.text;
    add(store, &caller, CommentTarget::Revision(revision.id), text).await
}

/// The comment `id` on `target`, or 404.
async fn comment_on(store: &dyn Store, target: CommentTarget, id: u64) -> Result<Comment, ApiError> {
    store
        .comments(&target)
        .await?
        .into_iter()
        .find(|c| c.id == CommentId(id))
        .ok_or_else(|| ApiError::not_found(format!("comment {id}")))
}

async fn remove(store: &dyn Store, comment: &Comment) -> Result<StatusCode, ApiError> {
    if !store.delete_comment(comment.id).await? {
        return Err(ApiError::not_found(format!("comment {}", comment.id.0)));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct ItemCommentPath {
    technology: String,
    account: String,
    region: String,
    name: String,
    id: u64,
}

/// `DELETE /api/1/items/{technology}/{account}/{region}/{name}/comments/{id}`: the author
/// (with the Justify role) or an Admin.
async fn delete_from_item(
    State(state): State<AppState>,
    caller: Caller,
    comment_path: Result<Path<ItemCommentPath>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Justify)?;
    let store = state.store.as_ref();
    let ItemCommentPath { technology, account, region, name, id } = path(comment_path)?;
    let key = ItemPath { technology, account, region, name }.key(store).await?;
    let comment = comment_on(store, CommentTarget::Item(key), id).await?;
    let own = comment.author.eq_ignore_ascii_case(&caller.user.email);
    if !own && !caller.user.can(Role::Admin) {
        return Err(ApiError::forbidden(format!(
            "comment {id} is by someone else: only its author or an Admin may delete it"
        )));
    }
    remove(store, &comment).await
}

/// `DELETE /api/1/comments/{id}`: the caller's own comment (an item comment with the Justify
/// role, as under its item), or any with the Admin role.
async fn delete_by_id(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Comment)?;
    let store = state.store.as_ref();
    let id = path(id)?;
    let comment = store.comment(CommentId(id)).await?.ok_or_else(|| ApiError::not_found(format!("comment {id}")))?;
    if !caller.user.can(Role::Admin) {
        if !comment.author.eq_ignore_ascii_case(&caller.user.email) {
            return Err(ApiError::forbidden(format!(
                "comment {id} is by someone else: only its author or an Admin may delete it"
            )));
        }
        if matches!(comment.target, CommentTarget::Item(_)) {
            caller.require(Role::Justify)?;
        }
    }
    remove(store, &comment).await
}

/// `DELETE /api/1/revisions/{id}/comments/{comment_id}`.
async fn delete_from_revision(
    State(state): State<AppState>,
    caller: Caller,
    ids: Result<Path<(u64, u64)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Role::Comment)?;
    let store = state.store.as_ref();
    let (revision, id) = path(ids)?;
    let comment = comment_on(store, CommentTarget::Revision(monkey_core::model::RevisionId(revision)), id).await?;
    remove(store, &comment).await
}
