//! The core of monkey: the model, the `Watcher` / `Auditor` / `Store` / `Notifier` traits,
//! JSON diffing and change detection, and the IAM policy model auditors read policies through
//! ([`policy`]).
//!
//! This crate depends on no AWS SDK, storage engine, mailer or web framework: those live in
//! `monkey-watchers`, `monkey-store`, `monkey-notify` and `monkey-web`, which implement the
//! traits defined here.

pub mod audit;
pub mod auditor;
pub mod change;
pub mod diff;
pub mod engine;
mod error;
pub mod model;
pub mod notifier;
pub mod policy;
pub mod report;
pub mod store;
pub mod store_rpc;
pub mod watcher;

pub use error::ModelError;

#[doc(hidden)]
pub use inventory;
