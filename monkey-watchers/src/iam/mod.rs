//! IAM watchers: users, roles, groups, managed policies, SAML providers, server certificates
//! and the account's own IAM settings, every item in region `universal`.
//!
//! Every technology is a [`Collector`]: one paginated listing for the whole account, then the
//! details of each listed resource. [`IamWatcher`] does the rest the same way for all:
//!
//! - a failed listing hides the whole account: one account-scoped failure, no items, so
//!   nothing is taken for deleted;
//! - the ignore list is checked on the listing, before any per-item call is spent;
//! - each item's details are read in a task of a tokio [`JoinSet`], its calls one after the
//!   other, under a turn from [`AwsSession::permit`] for (account, `universal`, `iam`): at most
//!   [`AwsSettings::concurrency`](crate::aws::AwsSettings::concurrency) items (so requests) in flight per account across every IAM
//!   watcher, since IAM's rate limits are per account;
//! - a failed per-item call becomes a failure scoped to that item, and the item is still
//!   emitted with what could be read: change detection leaves an item covered by a failure
//!   alone, so a half-read item is neither changed nor deleted.
//!
//! | technology | collector | calls per account | calls per item | ephemeral |
//! |---|---|---|---|---|
//! | `iamrole` | [`Roles`] | ListRoles | GetRole, ListRolePolicies, GetRolePolicy ×inline, ListAttachedRolePolicies, ListInstanceProfilesForRole | `RoleLastUsed` |
//! | `iamuser` | [`Users`] | ListUsers | GetUser, ListGroupsForUser, ListUserPolicies, GetUserPolicy ×inline, ListAttachedUserPolicies, ListAccessKeys, GetAccessKeyLastUsed ×key, ListMFADevices, GetLoginProfile, ListSigningCertificates | `PasswordLastUsed`, `AccessKeys.*.AccessKeyLastUsed` |
//! | `iamgroup` | [`Groups`] | ListGroups | GetGroup, ListGroupPolicies, GetGroupPolicy ×inline, ListAttachedGroupPolicies | — |
//! | `policy` | [`ManagedPolicies`] | ListPolicies ×2 (customer-managed; AWS-managed and attached) | GetPolicyVersion, ListEntitiesForPolicy (unless unused) | attachment counts and lists |
//! | `samlprovider` | [`SamlProviders`] | ListSAMLProviders | GetSAMLProvider | — |
//! | `iamssl` | [`ServerCertificates`] | ListServerCertificates | GetServerCertificate | — |
//! | `iamaccount` | [`AccountSettings`] | — | GetAccountPasswordPolicy, GetAccountSummary, GenerateCredentialReport (until complete), GetCredentialReport | usage counts, root last use |
//!
//! Every List call is paginated. Each module gives its config's keys and why its ephemeral
//! fields are ephemeral.
//!
//! Configurations keep AWS's field names (`RoleName`, `AssumeRolePolicyDocument`,
//! `AttachedManagedPolicies`, ...), policy documents are decoded and parsed into JSON objects
//! ([`policy_document`]), dates are RFC 3339 strings, and every list is in a stable order.
//! Inline policies are an object `InlinePolicies` {policy name: document}, the shape auditors
//! address as `InlinePolicies.*`.

/// Every item of a paginated IAM call, or the call's failure as one line naming it.
macro_rules! all_pages {
    ($request:expr, $($call:tt)+) => {
        $request
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| $crate::iam::failed(&format!($($call)+), &e))
    };
}

mod account;
mod group;
mod managed_policy;
pub mod policy_document;
mod role;
mod saml_provider;
mod server_certificate;
mod user;
mod x509;

pub use account::AccountSettings;
pub use group::Groups;
pub use managed_policy::ManagedPolicies;
pub use role::Roles;
pub use saml_provider::SamlProviders;
pub use server_certificate::ServerCertificates;
pub use user::Users;

use crate::aws::regional::item_failure;
use crate::aws::{AwsSession, describe};
use async_trait::async_trait;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_iam::types::{AttachedPolicy, Tag};
use monkey_core::model::{AccountNumber, Technology, UNIVERSAL_REGION};
use monkey_core::watcher::{Failure, FailureScope, Slurp, SlurpedItem, WatchContext, Watcher};
use serde_json::{Map, Value, json};
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use tokio::task::JoinSet;

/// The service name of IAM's turns ([`AwsSession::permit`]).
const SERVICE: &str = "iam";

/// What one IAM technology lists for an account and reads for each listed resource.
#[async_trait]
pub trait Collector: Send + Sync + 'static {
    /// The technology's index.
    const TECHNOLOGY: &'static str;

    /// Fields that change without meaning anything (last-used dates, usage counts).
    const EPHEMERAL_PATHS: &'static [&'static str] = &[];

    /// What the listing yields for one resource.
    type Listed: Send + 'static;

    /// Every resource of the technology in the account (paginated); an error hides the account.
    async fn list(client: &aws_sdk_iam::Client, account: &AccountNumber) -> Result<Vec<Self::Listed>, String>;

    /// The item name of a listed resource.
    fn name(listed: &Self::Listed) -> &str;

    /// Another name the ignore list is checked against (a policy's ARN).
    fn also_known_as(_listed: &Self::Listed) -> Option<&str> {
        None
    }

    /// The item of one listed resource, with every problem met while reading its details.
    async fn detail(client: aws_sdk_iam::Client, listed: Self::Listed) -> Detailed;
}

/// One item and the per-item calls that failed while reading it.
#[derive(Debug)]
pub struct Detailed {
    /// The item, with whatever could be read.
    pub item: SlurpedItem,
    /// One message per failed call; each becomes a failure scoped to the item.
    pub problems: Problems,
}

/// Failed per-item calls, collected while the rest of the item is still read.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// The value of `result`, or `None` with its error noted.
    pub fn take<T>(&mut self, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.0.push(message);
                None
            }
        }
    }

    /// Notes a problem.
    pub fn push(&mut self, message: String) {
        self.0.push(message);
    }

    /// The messages noted so far.
    pub fn messages(&self) -> &[String] {
        &self.0
    }
}

/// Watches one IAM technology in an account.
pub struct IamWatcher<C> {
    session: Arc<AwsSession>,
    technology: Technology,
    collector: PhantomData<fn() -> C>,
}

impl<C: Collector> IamWatcher<C> {
    /// A watcher over `session`.
    pub fn new(session: Arc<AwsSession>) -> Self {
        let technology = Technology::parse(C::TECHNOLOGY).expect("built-in technologies are valid");
        Self { session, technology, collector: PhantomData }
    }
}

impl<C> std::fmt::Debug for IamWatcher<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IamWatcher").field("technology", &self.technology).finish_non_exhaustive()
    }
}

#[async_trait]
impl<C: Collector> Watcher for IamWatcher<C> {
    fn technology(&self) -> &Technology {
        &self.technology
    }

    fn ephemeral_paths(&self) -> &[&str] {
        C::EPHEMERAL_PATHS
    }

    async fn slurp(&self, ctx: &WatchContext) -> Slurp {
        let account = &ctx.account.number;
        let config = self.session.account_config(&ctx.account).await;
        let client = self.session.iam(&config);
        let listing = {
            let _turn = self.session.permit(account, UNIVERSAL_REGION, SERVICE).await;
            C::list(&client, account).await
        };
        let listed = match listing {
            Ok(listed) => listed,
            Err(message) => {
                return Slurp { items: vec![], failures: vec![Failure { scope: FailureScope::Account, message }] };
            }
        };
        let wanted = listed.into_iter().filter(|listed| {
            !ctx.is_ignored(&self.technology, C::name(listed))
                && !C::also_known_as(listed).is_some_and(|name| ctx.is_ignored(&self.technology, name))
        });
        per_item(wanted, |listed| {
            let (session, account) = (Arc::clone(&self.session), account.clone());
            let work = C::detail(client.clone(), listed);
            async move {
                let _turn = session.permit(&account, UNIVERSAL_REGION, SERVICE).await;
                work.await
            }
        })
        .await
    }
}

/// Reads every listed resource, each in its own task (`detail` waits for its turn itself);
/// problems become item-scoped failures and the items come back sorted by name.
pub(crate) async fn per_item<L, F, Fut>(listed: impl IntoIterator<Item = L>, detail: F) -> Slurp
where
    F: Fn(L) -> Fut,
    Fut: Future<Output = Detailed> + Send + 'static,
{
    let mut tasks = JoinSet::new();
    for one in listed {
        tasks.spawn(detail(one));
    }
    let mut slurp = Slurp::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Detailed { item, problems }) => {
                slurp.failures.extend(problems.0.into_iter().map(|m| item_failure(&item.region, &item.name, m)));
                slurp.items.push(item);
            }
            // A panicking task hid an item we cannot name: the whole account is in doubt.
            Err(e) => slurp
                .failures
                .push(Failure { scope: FailureScope::Account, message: format!("a collection task failed: {e}") }),
        }
    }
    slurp.items.sort_by(|a, b| a.name.cmp(&b.name));
    slurp
}

/// An item in region `universal`.
pub(crate) fn universal_item(name: &str, arn: Option<&str>, config: Value) -> SlurpedItem {
    SlurpedItem { region: UNIVERSAL_REGION.to_owned(), name: name.to_owned(), arn: arn.map(str::to_owned), config }
}

/// "`call` failed: <the error on one line>".
pub(crate) fn failed(call: &str, error: &(dyn std::error::Error + 'static)) -> String {
    format!("{call} failed: {}", describe(error))
}

/// A date as RFC 3339 text (`2024-01-31T12:00:00Z`), or null when absent.
pub(crate) fn date(value: Option<&DateTime>) -> Value {
    match value {
        // Sub-second digits are kept when AWS sends them; a date too far out for RFC 3339
        // falls back to epoch seconds rather than being lost.
        Some(date) => Value::String(date.fmt(DateTimeFormat::DateTime).unwrap_or_else(|_| date.secs().to_string())),
        None => Value::Null,
    }
}

/// Tags as AWS lists them, sorted by key.
pub(crate) fn tags(tags: &[Tag]) -> Value {
    let mut tags: Vec<&Tag> = tags.iter().collect();
    tags.sort_by(|a, b| (a.key(), a.value()).cmp(&(b.key(), b.value())));
    Value::Array(tags.into_iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect())
}

/// Attached managed policies (`PolicyName`, `PolicyArn`), sorted by ARN.
pub(crate) fn attached_policies(policies: &[AttachedPolicy]) -> Value {
    let mut policies: Vec<&AttachedPolicy> = policies.iter().collect();
    policies.sort_by(|a, b| (a.policy_arn(), a.policy_name()).cmp(&(b.policy_arn(), b.policy_name())));
    Value::Array(
        policies.into_iter().map(|p| json!({"PolicyName": p.policy_name(), "PolicyArn": p.policy_arn()})).collect(),
    )
}

/// Inline policies as {name: parsed document}: each named policy read with `get`; one that
/// cannot be read is left out and noted.
pub(crate) async fn inline_policies<F, Fut>(names: Vec<String>, get: F, problems: &mut Problems) -> Value
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    let mut policies = Map::new();
    for name in names {
        if let Some(document) = problems.take(get(name.clone()).await) {
            policies.insert(name, policy_document::parse(&document));
        }
    }
    Value::Object(policies)
}

/// Watches IAM users.
pub type UserWatcher = IamWatcher<Users>;
/// Watches IAM roles.
pub type RoleWatcher = IamWatcher<Roles>;
/// Watches IAM groups.
pub type GroupWatcher = IamWatcher<Groups>;
/// Watches managed policies (customer-managed, and AWS-managed ones while attached).
pub type ManagedPolicyWatcher = IamWatcher<ManagedPolicies>;
/// Watches SAML providers.
pub type SamlProviderWatcher = IamWatcher<SamlProviders>;
/// Watches server certificates.
pub type ServerCertificateWatcher = IamWatcher<ServerCertificates>;
/// Watches the account's own IAM settings (one item).
pub type AccountWatcher = IamWatcher<AccountSettings>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attachments_come_in_a_stable_order() {
        let a = Tag::builder().key("b").value("1").build().expect("tag");
        let b = Tag::builder().key("a").value("2").build().expect("tag");
        assert_eq!(tags(&[a.clone(), b.clone()]), tags(&[b, a]));
        let x = AttachedPolicy::builder().policy_name("X").policy_arn("arn:aws:iam::1:policy/X").build();
        let y = AttachedPolicy::builder().policy_name("Y").policy_arn("arn:aws:iam::1:policy/Y").build();
        assert_eq!(attached_policies(&[y.clone(), x.clone()]), attached_policies(&[x, y]));
    }

    #[tokio::test]
    async fn a_failed_detail_call_is_scoped_to_its_item_which_is_still_emitted() {
        let slurp = per_item(["b", "a"], |name| async move {
            let mut problems = Problems::default();
            if name == "b" {
                problems.push("GetRole b failed: AccessDenied".to_owned());
            }
            Detailed { item: universal_item(name, None, json!({"RoleName": name})), problems }
        })
        .await;
        let names: Vec<&str> = slurp.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a", "b"], "both emitted, sorted");
        assert_eq!(
            slurp.failures,
            vec![Failure {
                scope: FailureScope::Item { region: UNIVERSAL_REGION.to_owned(), name: "b".to_owned() },
                message: "GetRole b failed: AccessDenied".to_owned(),
            }]
        );
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(date(Some(&DateTime::from_secs(1_700_000_000))), json!("2023-11-14T22:13:20Z"));
        assert_eq!(date(None), Value::Null);
    }
}
