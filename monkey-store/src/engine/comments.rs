//! Comments on items and revisions: records by id and each target's comments in time order.

use super::keys;
use super::{items, records};
use crate::kv::{KvRead, KvWrite};
use monkey_core::ModelError;
use monkey_core::model::{Comment, CommentId, CommentTarget};
use monkey_core::store::{StoreError, StoreResult};

/// The longest comment, as the model allows.
const MAX_CHARS: usize = 1024;

/// Stores a new comment on an existing target; returns its id.
pub(crate) fn add(w: &mut dyn KvWrite, comment: &Comment) -> StoreResult<CommentId> {
    let chars = comment.text.chars().count();
    if comment.text.trim().is_empty() || chars > MAX_CHARS {
        return Err(StoreError::Invalid(ModelError::Field {
            field: "comment",
            input: comment.text.clone(),
            reason: "a comment has 1 to 1024 characters".into(),
        }));
    }
    let exists = match &comment.target {
        CommentTarget::Item(key) => items::get(w, key)?.is_some(),
        CommentTarget::Revision(id) => w.get(&keys::revision(*id))?.is_some(),
    };
    if !exists {
        let what = match &comment.target {
            CommentTarget::Item(key) => format!("item {key} (commented on)"),
            CommentTarget::Revision(id) => format!("revision {id} (commented on)"),
        };
        return Err(StoreError::NotFound { what });
    }
    let id = CommentId(records::next_id(w, keys::meta::NEXT_COMMENT)?);
    let stored = Comment { id, ..comment.clone() };
    records::put(w, &keys::comment(id), &stored)?;
    w.put(&keys::comment_by_target(&stored.target, stored.at, id), &[])?;
    Ok(id)
}

/// The ids of a target's comments, oldest first.
fn ids_on(r: &dyn KvRead, target: &CommentTarget) -> StoreResult<Vec<CommentId>> {
    let prefix = keys::comments_on(target);
    let mut out = Vec::new();
    r.scan(&prefix, &mut |key, _| {
        // After the target come the time (16 bytes) and the id (8 bytes), nothing else.
        let id = key
            .get(prefix.len()..)
            .filter(|tail| tail.len() == 24)
            .and_then(|tail| <[u8; 8]>::try_from(&tail[16..]).ok())
            .map(u64::from_be_bytes)
            .ok_or_else(|| StoreError::Corrupt { what: format!("{} is malformed", keys::describe(key)) })?;
        out.push(CommentId(id));
        Ok(true)
    })?;
    Ok(out)
}

/// A target's comments, oldest first.
pub(crate) fn on(r: &dyn KvRead, target: &CommentTarget) -> StoreResult<Vec<Comment>> {
    ids_on(r, target)?
        .into_iter()
        .map(|id| {
            records::get(r, &keys::comment(id))?
                .ok_or_else(|| StoreError::Corrupt { what: format!("comment {} is indexed but missing", id.0) })
        })
        .collect()
}

/// One comment, by id.
pub(crate) fn get(r: &dyn KvRead, id: CommentId) -> StoreResult<Option<Comment>> {
    records::get(r, &keys::comment(id))
}

/// Deletes one comment; whether it existed.
pub(crate) fn delete(w: &mut dyn KvWrite, id: CommentId) -> StoreResult<bool> {
    let key = keys::comment(id);
    let Some(comment) = records::get::<Comment>(w, &key)? else { return Ok(false) };
    w.delete(&keys::comment_by_target(&comment.target, comment.at, id))?;
    w.delete(&key)?;
    Ok(true)
}

/// Deletes every comment on a target.
pub(crate) fn delete_on(w: &mut dyn KvWrite, target: &CommentTarget) -> StoreResult<()> {
    for id in ids_on(w, target)? {
        delete(w, id)?;
    }
    Ok(())
}
