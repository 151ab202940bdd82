//! Watchers: what collects items from cloud accounts for monkey.
//!
//! - [`aws`]: settings, per-account sessions (STS AssumeRole with external id), clients with
//!   endpoint overrides, region discovery.
//! - [`ec2`]: EC2 watchers: security groups, instances, EBS volumes, snapshots and encryption
//!   by default, AMIs, VPCs, subnets, route tables, network ACLs, Elastic IPs, key pairs, flow logs.
//! - [`iam`]: IAM watchers (region `universal`): users, roles, groups, managed policies, SAML
//!   providers, server certificates, and the account's password policy, summary and root facts.
//! - [`s3`]: one item per S3 bucket with its ACL, policy and every bucket setting.
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
pub use replay::{ReplayWatcher, recording_contents, write_recording};
