//! EC2 watchers: one technology per module, each collected region by region in every
//! enabled region of the account.
//!
//! Every technology is a [`Collector`] (what to call in one region and how to shape its
//! items); [`Ec2Watcher`] does the rest the same way for all: the account's session, region
//! discovery, a few regions at a time, region-scoped failures and the ignore list.
//!
//! | technology | collector | calls per region | per item |
//! |---|---|---|---|
//! | `securitygroup` | [`SecurityGroups`] | DescribeSecurityGroups, DescribeNetworkInterfaces | — |
//! | `ec2instance` | [`Instances`] | DescribeInstances | — |
//! | `ebsvolume` | [`Volumes`] | DescribeVolumes | — |
//! | `ebssnapshot` | [`Snapshots`] | DescribeSnapshots (own) | DescribeSnapshotAttribute |
//! | `ec2image` | [`Images`] | DescribeImages (own) | DescribeImageAttribute |
//! | `vpc` | [`Vpcs`] | DescribeVpcs, DescribeInternetGateways, DescribeFlowLogs | DescribeVpcAttribute ×2 |
//! | `subnet` | [`Subnets`] | DescribeSubnets | — |
//! | `routetable` | [`RouteTables`] | DescribeRouteTables | — |
//! | `networkacl` | [`NetworkAcls`] | DescribeNetworkAcls | — |
//! | `elasticip` | [`ElasticIps`] | DescribeAddresses | — |
//! | `keypair` | [`KeyPairs`] | DescribeKeyPairs | — |
//! | `flowlog` | [`FlowLogs`] | DescribeFlowLogs | — |
//! | `ebsencryption` | [`EbsEncryption`] | GetEbsEncryptionByDefault, GetEbsDefaultKmsKeyId | — |
//!
//! Shared rules: a config keeps the EC2 API's field names (PascalCase) and every list in it
//! is in a stable order, so a re-ordered answer is no change. Items are named as Security
//! Monkey named them, `"<Name tag> (<id>)"` or the bare id, and the ignore list is checked
//! against that name and the bare id. A failing list call fails its region; a failing
//! per-item call fails only that item, which is still emitted. Each module says which of its
//! fields are ephemeral and why.

mod ebs_encryption;
mod elastic_ip;
mod flow_log;
mod image;
mod instance;
mod key_pair;
mod network_acl;
mod route_table;
mod security_group;
mod shape;
mod snapshot;
mod subnet;
mod volume;
mod vpc;

pub use ebs_encryption::EbsEncryption;
pub use elastic_ip::ElasticIps;
pub use flow_log::FlowLogs;
pub use image::Images;
pub use instance::Instances;
pub use key_pair::KeyPairs;
pub use network_acl::NetworkAcls;
pub use route_table::RouteTables;
pub use security_group::SecurityGroups;
pub use snapshot::Snapshots;
pub use subnet::Subnets;
pub use volume::Volumes;
pub use vpc::Vpcs;

use crate::aws::regional::per_region;
use crate::aws::{AwsSession, regions};
use async_trait::async_trait;
use monkey_core::model::{AccountNumber, Technology};
use monkey_core::watcher::{Failure, FailureScope, Slurp, WatchContext, Watcher};
use serde_json::Value;
use std::marker::PhantomData;
use std::sync::Arc;

/// What one EC2 technology collects in one region.
#[async_trait]
pub trait Collector: Send + Sync + 'static {
    /// The technology's index.
    const TECHNOLOGY: &'static str;

    /// Fields that change without meaning anything.
    const EPHEMERAL_PATHS: &'static [&'static str] = &[];

    /// Every item of the technology in `region` of `account`.
    async fn collect(client: &aws_sdk_ec2::Client, region: &str, account: &AccountNumber) -> Result<Slurp, String>;

    /// Another name the ignore list is checked against (e.g. a group's bare name).
    fn also_known_as(_config: &Value) -> Option<&str> {
        None
    }
}

/// Watches one EC2 technology in every region.
pub struct Ec2Watcher<C> {
    session: Arc<AwsSession>,
    technology: Technology,
    collector: PhantomData<fn() -> C>,
}

impl<C: Collector> Ec2Watcher<C> {
    /// A watcher over `session`.
    pub fn new(session: Arc<AwsSession>) -> Self {
        let technology = Technology::parse(C::TECHNOLOGY).expect("built-in technologies are valid");
        Self { session, technology, collector: PhantomData }
    }
}

impl<C> std::fmt::Debug for Ec2Watcher<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ec2Watcher").field("technology", &self.technology).finish_non_exhaustive()
    }
}

#[async_trait]
impl<C: Collector> Watcher for Ec2Watcher<C> {
    fn technology(&self) -> &Technology {
        &self.technology
    }

    fn ephemeral_paths(&self) -> &[&str] {
        C::EPHEMERAL_PATHS
    }

    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        let config = self.session.account_config(&ctx.account).await;
        let regions = match regions(&self.session, &config).await {
            Ok(regions) => regions,
            Err(message) => {
                return Slurp { items: vec![], failures: vec![Failure { scope: FailureScope::Account, message }] };
            }
        };
        let session = Arc::clone(&self.session);
        let account = ctx.account.number.clone();
        let mut slurp = per_region(regions, self.session.settings().concurrency, |region| {
            let client = session.ec2(&config, &region);
            let account = account.clone();
            let session = Arc::clone(&session);
            async move {
                let _turn = session.permit(&account, &region, "ec2").await;
                C::collect(&client, &region, &account).await
            }
        })
        .await;
        slurp.items.retain(|item| {
            !ctx.is_ignored(&self.technology, &item.name)
                && !C::also_known_as(&item.config).is_some_and(|name| ctx.is_ignored(&self.technology, name))
        });
        slurp
    }
}

/// Watches security groups.
pub type SecurityGroupWatcher = Ec2Watcher<SecurityGroups>;
/// Watches instances.
pub type InstanceWatcher = Ec2Watcher<Instances>;
/// Watches the account's own EBS snapshots.
pub type SnapshotWatcher = Ec2Watcher<Snapshots>;
/// Watches the account's own AMIs.
pub type ImageWatcher = Ec2Watcher<Images>;
/// Watches VPCs.
pub type VpcWatcher = Ec2Watcher<Vpcs>;
/// Watches subnets.
pub type SubnetWatcher = Ec2Watcher<Subnets>;
/// Watches route tables.
pub type RouteTableWatcher = Ec2Watcher<RouteTables>;
/// Watches network ACLs.
pub type NetworkAclWatcher = Ec2Watcher<NetworkAcls>;
/// Watches EBS volumes.
pub type VolumeWatcher = Ec2Watcher<Volumes>;
/// Watches Elastic IP addresses.
pub type ElasticIpWatcher = Ec2Watcher<ElasticIps>;
/// Watches key pairs.
pub type KeyPairWatcher = Ec2Watcher<KeyPairs>;
/// Watches VPC flow logs.
pub type FlowLogWatcher = Ec2Watcher<FlowLogs>;
/// Watches the EBS encryption-by-default setting, one item per region.
pub type EbsEncryptionWatcher = Ec2Watcher<EbsEncryption>;
