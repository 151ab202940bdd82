//! Watchers: what collects items from cloud accounts for monkey.
//!
//! [`ReplayWatcher`] plays recorded snapshots from disk, for demos, tests and offline
//! analysis; the AWS watchers (EC2, S3, IAM over the AWS SDK) join it here. Watchers only
//! collect: auditing is `monkey-auditors`' job.

mod replay;

pub use replay::ReplayWatcher;
