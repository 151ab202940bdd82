//! S3 watcher (`s3`): one item per bucket, each bucket read in its own region.
//!
//! **Calls.** ListBuckets (paginated, in the default region) once per account; per bucket,
//! GetBucketLocation only when ListBuckets did not name the bucket's region (AWS names it
//! when asked with a page size, as the paginator does; moto does not), then from the
//! bucket's region: GetBucketAcl, GetBucketPolicy, GetPublicAccessBlock,
//! GetBucketOwnershipControls, GetBucketEncryption, GetBucketVersioning, GetBucketLogging,
//! GetBucketWebsite, GetBucketCors, GetBucketLifecycleConfiguration, GetBucketTagging,
//! GetBucketNotificationConfiguration, GetBucketReplication, GetObjectLockConfiguration. Once
//! per account, when it has buckets to read, S3 Control GetPublicAccessBlock with the account
//! id (in the default region).
//!
//! **Item.** Name = the bucket's name, region = its region, ARN `arn:aws:s3:::<name>`. The
//! config keeps the S3 API's field names: `Name`, `Region`, `Owner` {`ID`, `DisplayName`},
//! `Grants` [{`Grantee` {`Type`, `ID`, `URI`, `EmailAddress`, `DisplayName`}, `Permission`}],
//! `Policy` (the parsed document), `PublicAccessBlock`, `OwnershipControls`,
//! `ServerSideEncryptionConfiguration`, `Versioning` {`Status`, `MFADelete`}, `Logging` (the
//! `LoggingEnabled` contents), `Website`, `CORSRules`, `LifecycleRules`, `Tags` [{`Key`,
//! `Value`}], `NotificationConfiguration`, `ReplicationConfiguration`,
//! `ObjectLockConfiguration`, and the account's block as `AccountPublicAccessBlock` (the
//! fields of `PublicAccessBlock`) in every bucket: S3 enforces the stricter of the two, and an
//! auditor judges one bucket at a time. A part that is not configured is null, whether S3 says
//! so with its documented error code (`NoSuchBucketPolicy`, `NoSuchTagSet`, ...) or with an empty
//! answer (logging, notifications); `Versioning` is a state every bucket has, so it is always
//! an object. A part that could not be read is left out of the config, never null, and the
//! bucket gets an item-scoped failure, so change detection leaves it alone for that run.
//!
//! **Ephemeral.** The display names (`Owner.DisplayName`, `Grants.*.Grantee.DisplayName`,
//! `Logging.TargetGrants.*.Grantee.DisplayName`): S3 stopped returning them in 2025 and they
//! follow account renames; who is granted what is said by the canonical ID, type, URI and
//! e-mail, all durable. Security Monkey's `GrantReferences` played the same part.
//!
//! **Failures.** ListBuckets failing hides every bucket: account-scoped. A bucket whose region
//! cannot be found is also account-scoped, since an item is identified by its region and no
//! narrower scope would surely cover the stored one. A bucket deleted while being read
//! (`NoSuchBucket`) is simply not reported, which is what it is: deleted. An account block that
//! cannot be read is a part like any other: left out of every bucket, each bucket's failure
//! naming `GetPublicAccessBlock (account)`. Not an account-scoped failure: the listing was read,
//! so deleted buckets are still told, and the failure stays on the items whose config lacks
//! the part, which is what an item failure means everywhere else.
//!
//! **Concurrency.** Every bucket is a task that waits for its turn
//! ([`AwsSession::permit`], shared by all watchers of the account): at most `concurrency`
//! buckets per (account, region) are read at once, each bucket's calls one after the other, so
//! no more than `concurrency` S3 requests per (account, region) are in flight.

mod bucket;
mod shape;

use crate::aws::AwsSession;
use crate::aws::describe;
use async_trait::async_trait;
use aws_sdk_s3::Client;
use bucket::Outcome;
use monkey_core::model::Technology;
use monkey_core::watcher::{Failure, FailureScope, Slurp, WatchContext, Watcher};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use tokio::task::JoinSet;

/// The display names, which S3 no longer returns and which name no one durably.
const EPHEMERAL_PATHS: &[&str] =
    &["Owner.DisplayName", "Grants.*.Grantee.DisplayName", "Logging.TargetGrants.*.Grantee.DisplayName"];

/// The service name of this watcher's turns ([`AwsSession::permit`]).
const SERVICE: &str = "s3";

/// The service name of the account block's turn: S3 Control has rate limits of its own.
const CONTROL_SERVICE: &str = "s3control";

/// ListBuckets page size; asking with one also makes S3 name each bucket's region.
const PAGE_SIZE: i32 = 1000;

/// Watches S3 buckets.
pub struct S3Watcher {
    session: Arc<AwsSession>,
    technology: Technology,
}

impl S3Watcher {
    /// A watcher over `session`.
    pub fn new(session: Arc<AwsSession>) -> Self {
        let technology = Technology::parse("s3").expect("built-in technologies are valid");
        Self { session, technology }
    }
}

impl std::fmt::Debug for S3Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Watcher").field("technology", &self.technology).finish_non_exhaustive()
    }
}

/// A bucket as ListBuckets names it.
struct Listed {
    name: String,
    region: Option<String>,
}

#[async_trait]
impl Watcher for S3Watcher {
    fn technology(&self) -> &Technology {
        &self.technology
    }

    fn ephemeral_paths(&self) -> &[&str] {
        EPHEMERAL_PATHS
    }

    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        let home_region = self.session.settings().default_region.clone();
        let account = ctx.account.number.clone();
        let config = self.session.account_config(&ctx.account).await;
        let home = self.session.s3(&config, &home_region);
        let listed = {
            let _turn = self.session.permit(&account, &home_region, SERVICE).await;
            list(&home).await
        };
        let listed = match listed {
            Ok(listed) => listed,
            Err(message) => return Slurp { items: vec![], failures: vec![account_failure(message)] },
        };
        let (located, unlocated): (Vec<Listed>, Vec<Listed>) = listed
            .into_iter()
            .filter(|bucket| !ctx.is_ignored(&self.technology, &bucket.name))
            .partition(|bucket| bucket.region.is_some());
        let mut slurp = Slurp::default();

        let mut buckets: Vec<(String, String)> =
            located.into_iter().filter_map(|b| Some((b.name, b.region?))).collect();
        let lookups = unlocated.into_iter().map(|bucket| {
            let (session, account, home, home_region) =
                (Arc::clone(&self.session), account.clone(), home.clone(), home_region.clone());
            async move {
                let _turn = session.permit(&account, &home_region, SERVICE).await;
                let found = bucket::locate(&home, &bucket.name).await;
                (bucket.name, found)
            }
        });
        for done in all(lookups).await {
            match done {
                Ok((name, Ok(Some(region)))) => buckets.push((name, region)),
                Ok((_, Ok(None))) => {}
                Ok((name, Err(message))) => {
                    slurp.failures.push(account_failure(format!("cannot tell where bucket {name} is: {message}")))
                }
                Err(message) => slurp.failures.push(account_failure(message)),
            }
        }

        if buckets.is_empty() {
            return slurp;
        }
        let account_block = {
            let control = self.session.s3control(&config);
            let _turn = self.session.permit(&account, &home_region, CONTROL_SERVICE).await;
            Arc::new(bucket::account_block(&control, account.as_str()).await)
        };

        let mut clients: BTreeMap<String, Client> = BTreeMap::new();
        let reads = buckets.into_iter().map(|(name, region)| {
            let client = clients.entry(region.clone()).or_insert_with(|| self.session.s3(&config, &region)).clone();
            let (session, account, account_block) =
                (Arc::clone(&self.session), account.clone(), Arc::clone(&account_block));
            async move {
                let _turn = session.permit(&account, &region, SERVICE).await;
                bucket::read(&client, &name, &region, &account_block).await
            }
        });
        for done in all(reads).await {
            match done {
                Ok(Outcome::Read { item, failure }) => {
                    slurp.items.push(item);
                    slurp.failures.extend(failure);
                }
                Ok(Outcome::Gone) => {}
                Err(message) => slurp.failures.push(account_failure(message)),
            }
        }
        slurp.items.sort_by(|a, b| (&a.region, &a.name).cmp(&(&b.region, &b.name)));
        slurp
    }
}

/// Every bucket of the account, with its region when S3 names it.
async fn list(home: &Client) -> Result<Vec<Listed>, String> {
    let buckets: Vec<_> = home
        .list_buckets()
        .into_paginator()
        .page_size(PAGE_SIZE)
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| format!("ListBuckets failed: {}", describe(&e)))?;
    // A bucket without a name cannot be addressed nor stored, so it hides nothing.
    Ok(buckets
        .into_iter()
        .filter_map(|b| {
            let region = b.bucket_region().filter(|r| !r.is_empty()).map(str::to_owned);
            Some(Listed { name: b.name?, region })
        })
        .collect())
}

/// Runs every job as its own task (each waits for its turn); a job that panicked comes back
/// as an error message.
async fn all<T, Fut>(jobs: impl IntoIterator<Item = Fut>) -> Vec<Result<T, String>>
where
    T: Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let mut tasks = JoinSet::new();
    for job in jobs {
        tasks.spawn(job);
    }
    let mut done = Vec::with_capacity(tasks.len());
    while let Some(joined) = tasks.join_next().await {
        done.push(joined.map_err(|e| format!("a bucket task failed: {e}")));
    }
    done
}

/// A failure that hides an unknown set of buckets, hence all of them.
fn account_failure(message: String) -> Failure {
    Failure { scope: FailureScope::Account, message }
}
