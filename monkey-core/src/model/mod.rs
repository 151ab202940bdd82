//! The domain model: accounts, technologies, items, revisions, issues and settings.
//!
//! Every type that carries user input validates it in its constructor (or its `FromStr`
//! and `Deserialize`), so a value of these types is always valid.

mod account;
mod comment;
mod ignore;
mod issue;
mod item;
mod score_override;
mod technology;
mod time;
mod user;
mod watcher_config;
mod whitelist;

pub use account::{Account, AccountKind, AccountName, AccountNumber, DEFAULT_ROLE_NAME};
pub use comment::{Comment, CommentId, CommentTarget};
pub use ignore::IgnoreEntry;
pub use issue::{Category, Issue, IssueKey, Justification};
pub use item::{Hash, Item, ItemKey, Revision, RevisionId, UNIVERSAL_REGION};
pub use score_override::{AccountField, AccountPattern, ScoreOverride};
pub use technology::Technology;
pub use time::{Timestamp, now};
pub use user::{ChangeMails, Role, Subscriptions, User};
pub use watcher_config::{Interval, WatcherConfig};
pub use whitelist::NetworkWhitelistEntry;
