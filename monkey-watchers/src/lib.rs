//! Watchers: what collects items from cloud accounts for monkey.
//!
//! - [`aws`]: settings, per-account sessions (STS AssumeRole with external id), clients with
//!   endpoint overrides, region discovery.
//! - [`ec2`]: EC2 watchers (security groups so far).
//! - [`ReplayWatcher`] plays recorded snapshots from disk, for demos, tests and offline analysis.
//!
//! Watchers only collect: auditing is `monkey-auditors`' job. A watcher never fails as a
//! whole; what it could not read is a failure scoped to the account, a region or an item.

pub mod aws;
mod catalog;
pub mod ec2;
pub mod iam;
mod replay;
pub mod s3;

pub use catalog::aws_watchers;
pub use replay::{ReplayWatcher, write_recording};
