//! Comments people leave on items and revisions.

use super::{ItemKey, RevisionId, Timestamp};
use crate::ModelError;
use serde::{Deserialize, Serialize};

const MAX_COMMENT_CHARS: usize = 1024;

/// A comment's id, unique in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommentId(pub u64);

/// What a comment is attached to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentTarget {
    /// An item as a whole.
    Item(ItemKey),
    /// One revision of an item.
    Revision(RevisionId),
}

/// A comment: who wrote what, when, on what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Its id (assigned by the store; 0 before).
    pub id: CommentId,
    /// What it is about.
    pub target: CommentTarget,
    /// The author's e-mail.
    pub author: String,
    /// When it was written.
    pub at: Timestamp,
    /// The text, 1 to 1024 characters.
    pub text: String,
}

impl Comment {
    /// A new comment, not yet stored; the text must be 1 to 1024 characters.
    pub fn new(
        target: CommentTarget,
        author: impl Into<String>,
        at: Timestamp,
        text: impl Into<String>,
    ) -> Result<Self, ModelError> {
        let text = text.into();
        let count = text.trim().chars().count();
        if count == 0 || text.chars().count() > MAX_COMMENT_CHARS {
            return Err(ModelError::Field {
                field: "comment",
                input: text,
                reason: "a comment has 1 to 1024 characters".into(),
            });
        }
        Ok(Self { id: CommentId(0), target, author: author.into(), at, text })
    }
}
