//! Revisions: the list across items (Security Monkey's revisions tab), and one revision with
//! its configuration and comments, compared with another on request.

use super::{AccountNames, ItemFilters, KeyView, PageView, path, query};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use monkey_core::diff;
use monkey_core::model::{Comment, CommentTarget, Hash, RevisionId, Role, Timestamp};
use monkey_core::store::{RevisionQuery, Store};
use serde::{Deserialize, Serialize};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/1/revisions", get(list)).route("/api/1/revisions/{id}", get(revision))
}

/// A revision as the list shows it: its item's key flattened in, no configuration.
#[derive(Debug, Serialize)]
struct RevisionRow {
    id: RevisionId,
    #[serde(flatten)]
    item: KeyView,
    active: bool,
    created_at: Timestamp,
}

/// `GET /api/1/revisions`: revisions of the items matching accounts, technologies, regions and
/// names, filtered on their own `active`, newest first, paginated.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    filters: Result<Query<ItemFilters>, QueryRejection>,
) -> Result<Json<PageView<RevisionRow>>, ApiError> {
    caller.require(Role::View)?;
    let filters = query(filters)?;
    let paging = filters.paging()?;
    let store = state.store.as_ref();
    let search = filters.to_revision_query(store).await?;
    let found =
        store.search_revisions(&RevisionQuery { offset: paging.offset(), limit: paging.count, ..search }).await?;
    let names = AccountNames::load(store).await?;
    Ok(Json(PageView {
        items: found
            .items
            .iter()
            .map(|r| RevisionRow {
                id: r.id,
                item: KeyView::new(&r.item, &names),
                active: r.active,
                created_at: r.created_at,
            })
            .collect(),
        page: paging.page,
        count: paging.count,
        total: found.total,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Compare {
    /// Another revision's id.
    compare: Option<u64>,
}

#[derive(Debug, Serialize)]
struct RevisionPage {
    id: RevisionId,
    item: KeyView,
    active: bool,
    created_at: Timestamp,
    last_ephemeral_change_at: Option<Timestamp>,
    durable_hash: Hash,
    complete_hash: Hash,
    /// The configuration as the watcher saw it.
    config: serde_json::Value,
    comments: Vec<Comment>,
    /// With `?compare`: the revision compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    compared_with: Option<RevisionId>,
    /// With `?compare`: this configuration as HTML, added parts green, removed red, of the
    /// canonical forms of both (an IAM policy re-encoded by AWS is no change).
    #[serde(skip_serializing_if = "Option::is_none")]
    diff_html: Option<String>,
    /// With `?compare`: the RFC 6902 JSON Patch that turns the other stored configuration into
    /// this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_patch: Option<serde_json::Value>,
}

/// The revision `id`, or 404.
pub(super) async fn existing(store: &dyn Store, id: u64) -> Result<monkey_core::model::Revision, ApiError> {
    store.revision(RevisionId(id)).await?.ok_or_else(|| ApiError::not_found(format!("revision {id}")))
}

/// `GET /api/1/revisions/{id}[?compare={other}]`.
async fn revision(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<u64>, PathRejection>,
    compare: Result<Query<Compare>, QueryRejection>,
) -> Result<Json<RevisionPage>, ApiError> {
    caller.require(Role::View)?;
    let store = state.store.as_ref();
    let id = path(id)?;
    let compare = query(compare)?.compare;
    let this = existing(store, id).await?;
    let names = AccountNames::load(store).await?;
    let (mut diff_html, mut json_patch) = (None, None);
    if let Some(other) = compare {
        let other = existing(store, other).await?;
        let (old, new) = diff::diff_canonical(&other.config, &this.config);
        diff_html = Some(diff::diff(&old, &new).to_html());
        json_patch = Some(diff::diff(&other.config, &this.config).to_json_patch());
    }
    let comments = store.comments(&CommentTarget::Revision(this.id)).await?;
    Ok(Json(RevisionPage {
        id: this.id,
        item: KeyView::new(&this.item, &names),
        active: this.active,
        created_at: this.created_at,
        last_ephemeral_change_at: this.last_ephemeral_change_at,
        durable_hash: this.durable_hash,
        complete_hash: this.complete_hash,
        config: this.config,
        comments,
        compared_with: compare.map(RevisionId),
        diff_html,
        json_patch,
    }))
}
