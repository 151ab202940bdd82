//! Embedded stores of monkey: where accounts, items, revisions, issues and settings live on one
//! machine, behind [`monkey_core::store::Store`].
//!
//! Two backends share one implementation:
//!
//! - [`RedbStore`], the default (`redb:PATH`, or a bare `PATH`): one file.
//! - [`SledStore`] (`sled:PATH`): one directory; the original design's choice, kept selectable.
//!
//! # Why redb is the default
//!
//! The original design named sled, and sled is supported, but sled 0.34 is from 2021, unmaintained,
//! with open crash-corruption reports and RustSec "unmaintained" advisories in its dependency tree.
//! redb is maintained, ACID and crash-safe. Both are single-process: a second process opening a
//! store that one holds gets [`StoreError::Locked`](monkey_core::store::StoreError::Locked), so
//! `monkey serve` owns the store and other commands go through its API.
//!
//! # How it is built
//!
//! Each backend only provides a small, synchronous, ordered key-value layer (read a key, scan a
//! key prefix in order, and an atomic, durable write transaction). The store logic is written
//! once over that layer, so both backends behave identically and pass one
//! [`conformance`] suite. Keys are a one-byte table prefix followed by an order-preserving
//! encoding of their fields; values are JSON (configurations are arbitrary JSON). Work runs on
//! tokio's blocking pool so that fsyncs never stall the async runtime, so the stores' methods
//! must be called from within a tokio runtime.
//!
//! # Example
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), monkey_core::store::StoreError> {
//! let dir = tempfile::tempdir().expect("a temporary directory");
//! let store = monkey_store::open(&format!("redb:{}", dir.path().join("monkey.redb").display()))?;
//! assert!(store.accounts().await?.is_empty());
//! # Ok(())
//! # }
//! ```

mod engine;
mod error;
mod kv;
mod stores;

pub mod conformance;

pub use engine::Verification;
pub use engine::schema::CURRENT_SCHEMA_VERSION;
pub use stores::{RedbStore, SledStore, open};
