//! The domain model: accounts, technologies, items, revisions, issues and settings.
//!
//! Every type that carries user input validates it in its constructor (or its `FromStr`
//! and `Deserialize`), so a value of these types is always valid.

/// Implements `FromStr`, `Display`, validating `Deserialize` and `as_str` for a newtype over
/// `String` whose `parse` constructor validates, so no unvalidated value can be built.
macro_rules! validated_text {
    ($ty:ident) => {
        impl $ty {
            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::ModelError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
            }
        }
    };
}

mod account;
mod comment;
mod ignore;
mod issue;
mod item;
mod outbox;
mod run;
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
pub use outbox::{Channel, GIVE_UP_AFTER, OUTBOX_KEPT, OutboxEntry, OutboxState, backoff};
pub use run::{RunOutcome, RunRecord};
pub use score_override::{AccountField, AccountPattern, ScoreOverride};
pub use technology::Technology;
pub use time::{Timestamp, now};
pub use user::{ApiToken, ChangeMails, Role, Subscriptions, User};
pub use watcher_config::{Interval, WatcherConfig};
pub use whitelist::NetworkWhitelistEntry;
