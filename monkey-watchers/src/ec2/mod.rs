//! EC2 watchers: one technology per module, each collected region by region in every
//! enabled region of the account.
//!
//! Every technology is a [`Collector`] (what to call in one region and how to shape its
//! items); [`Ec2Watcher`] does the rest the same way for all: the account's session, region
//! discovery, a few regions at a time, region-scoped failures and the ignore list.

mod security_group;

pub use security_group::SecurityGroups;

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
            async move { C::collect(&client, &region, &account).await }
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
