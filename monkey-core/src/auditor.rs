//! The `Auditor` trait, check metadata, and their registration through `inventory`.
//!
//! A check is a named `static` [`Check`] declared with [`declare_check!`]; an auditor is a
//! type implementing [`Auditor`] registered with [`register_auditor!`]. Both land in
//! link-time registries, so a plugin crate that is linked in (e.g. with `use my_checks as _;`)
//! is found without any list to edit.

mod support;

pub use support::Support;

use crate::audit::{AuditSettings, Environment};
use crate::model::{Category, ItemKey, Timestamp};
use async_trait::async_trait;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Whether a check is ready to be relied on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// New; its findings may change.
    Preview,
    /// Relied on.
    Stable,
    /// Kept for old configurations; will be removed.
    Deprecated,
}

/// A check's metadata: the single source of its id, score, category and docs.
#[derive(Debug, Serialize)]
pub struct Check {
    /// Stable kebab-case id, technology first: `s3-bucket-public-read`.
    pub id: &'static str,
    /// The technology whose items it audits.
    pub technology: &'static str,
    /// A short title naming the pattern flagged.
    pub title: &'static str,
    /// The kind of risk.
    pub category: Category,
    /// The score of its issues unless overridden.
    pub default_score: u32,
    /// Preview, stable or deprecated.
    pub status: CheckStatus,
    /// Markdown with the headings What it finds / Why it matters / Example / How to fix / References.
    pub docs: &'static str,
}

impl PartialEq for Check {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Check {}

/// A registered check (submitted by [`declare_check!`]).
#[derive(Debug)]
pub struct CheckRegistration(pub &'static Check);

inventory::collect!(CheckRegistration);

/// A registered auditor (submitted by [`register_auditor!`]).
pub struct AuditorRegistration {
    /// The auditor type's name, for messages.
    pub name: &'static str,
    /// Builds the auditor.
    pub make: fn() -> Box<dyn Auditor>,
}

impl fmt::Debug for AuditorRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditorRegistration").field("name", &self.name).finish()
    }
}

inventory::collect!(AuditorRegistration);

/// Every check linked into this program, sorted by id.
pub fn registered_checks() -> Vec<&'static Check> {
    let mut checks: Vec<&'static Check> = inventory::iter::<CheckRegistration>.into_iter().map(|r| r.0).collect();
    checks.sort_by_key(|c| c.id);
    checks
}

/// Every auditor linked into this program, built, sorted by name.
pub fn registered_auditors() -> Vec<Box<dyn Auditor>> {
    let mut registrations: Vec<&AuditorRegistration> = inventory::iter::<AuditorRegistration>.into_iter().collect();
    registrations.sort_by_key(|r| r.name);
    registrations.into_iter().map(|r| (r.make)()).collect()
}

/// Declares a check as a named `static` and registers it.
///
/// ```
/// use monkey_core::auditor::{Check, CheckStatus};
/// use monkey_core::model::Category;
///
/// monkey_core::declare_check! {
///     /// Flags buckets named `public-*`.
///     pub static BUCKET_NAMED_PUBLIC = Check {
///         id: "s3-bucket-named-public",
///         technology: "s3",
///         title: "S3BucketNamedPublic",
///         category: Category::Informational,
///         default_score: 1,
///         status: CheckStatus::Preview,
///         docs: "## What it finds\nBuckets named public-*.",
///     };
/// }
/// assert!(monkey_core::auditor::registered_checks().iter().any(|c| c.id == "s3-bucket-named-public"));
/// ```
#[macro_export]
macro_rules! declare_check {
    ($(#[$meta:meta])* $vis:vis static $name:ident = $check:ident { $($field:ident : $value:expr),* $(,)? };) => {
        $(#[$meta])*
        $vis static $name: $check = $check { $($field: $value),* };
        $crate::inventory::submit! { $crate::auditor::CheckRegistration(&$name) }
    };
}

/// Registers an auditor type (which implements [`Auditor`] and `Default`).
///
/// ```
/// use async_trait::async_trait;
/// use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
///
/// #[derive(Default)]
/// struct Quiet;
///
/// #[async_trait]
/// impl Auditor for Quiet {
///     fn technology(&self) -> &'static str { "demo" }
///     fn checks(&self) -> &'static [&'static Check] { &[] }
///     async fn audit(&self, _: &AuditedItem<'_>, _: &AuditContext) -> Result<Vec<Finding>, AuditError> {
///         Ok(vec![])
///     }
/// }
/// monkey_core::register_auditor!(Quiet);
/// assert!(monkey_core::auditor::registered_auditors().iter().any(|a| a.technology() == "demo"));
/// ```
#[macro_export]
macro_rules! register_auditor {
    ($auditor:ty) => {
        $crate::inventory::submit! {
            $crate::auditor::AuditorRegistration {
                name: ::core::stringify!($auditor),
                make: || ::std::boxed::Box::new(<$auditor as ::core::default::Default>::default()),
            }
        }
    };
}

/// The item being audited: its identity and latest configuration.
#[derive(Debug, Clone, Copy)]
pub struct AuditedItem<'a> {
    /// Its identity.
    pub key: &'a ItemKey,
    /// Its ARN.
    pub arn: Option<&'a str>,
    /// Its latest configuration.
    pub config: &'a serde_json::Value,
}

/// An item of another technology that an auditor reads for support.
#[derive(Debug, Clone)]
pub struct SupportItem {
    /// Its identity.
    pub key: ItemKey,
    /// Its latest configuration.
    pub config: serde_json::Value,
}

/// What an auditor may consult besides the item: what is known of accounts and networks, the
/// audit settings, the support items it asked for, and the time of the audit.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuditContext {
    /// Accounts, the network whitelist and learned networks, to classify who is allowed.
    pub environment: Arc<Environment>,
    /// Score overrides and disabled checks.
    pub settings: Arc<AuditSettings>,
    /// Latest active items of the technologies in [`Auditor::support`], of the audited account.
    pub support: Arc<Support>,
    /// When the audit runs: the reference for ages (key rotation, certificate expiry).
    pub now: Timestamp,
}

impl Default for AuditContext {
    fn default() -> Self {
        Self::new(Arc::new(Environment::default()), crate::model::now())
    }
}

impl AuditContext {
    /// A context with default settings and no support items.
    pub fn new(environment: Arc<Environment>, now: Timestamp) -> Self {
        Self { environment, settings: Arc::new(AuditSettings::default()), support: Arc::default(), now }
    }

    /// The same context with these settings.
    pub fn with_settings(mut self, settings: Arc<AuditSettings>) -> Self {
        self.settings = settings;
        self
    }

    /// The same context with these support items.
    pub fn with_support(self, support: Vec<SupportItem>) -> Self {
        self.with_shared_support(Arc::new(Support::from(support)))
    }

    /// The same context with support items shared with other audits.
    pub fn with_shared_support(mut self, support: Arc<Support>) -> Self {
        self.support = support;
        self
    }

    /// Support items of one technology.
    pub fn support_of<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a SupportItem> + 'a {
        self.support.iter().filter(move |s| s.key.technology.as_str() == technology)
    }

    /// Support items of one technology whose top-level string field `field` is `value` (a
    /// security group by `GroupId`, a policy by `Arn`), through an index built on first use.
    pub fn support_where(&self, technology: &str, field: &'static str, value: &str) -> Vec<&SupportItem> {
        self.support.find(technology, field, value)
    }

    /// Whether `check` runs (it is not disabled by a score override).
    #[inline]
    pub fn is_enabled(&self, check: &Check) -> bool {
        !self.settings.is_disabled(check)
    }
}

/// What one check found on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check.
    pub check: &'static Check,
    /// A sentence for people.
    pub message: String,
    /// What exactly it found (part of the issue's identity), e.g. `tcp/22 from 0.0.0.0/0`.
    pub notes: String,
    /// Other items involved.
    pub links: Vec<ItemKey>,
    /// Multiplies the score: 0 for exposure nothing uses (an unattached security group), else 1.
    pub weight: u32,
}

impl Finding {
    /// A finding with no links and weight 1.
    pub fn new(check: &'static Check, message: impl Into<String>, notes: impl Into<String>) -> Self {
        Self { check, message: message.into(), notes: notes.into(), links: Vec::new(), weight: 1 }
    }

    /// The same finding linked to `items`.
    pub fn with_links(mut self, items: Vec<ItemKey>) -> Self {
        self.links = items;
        self
    }

    /// The same finding with its score multiplied by `weight`.
    pub fn with_weight(mut self, weight: u32) -> Self {
        self.weight = weight;
        self
    }
}

/// An auditor could not evaluate an item (findings are not errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{auditor} could not audit {item}: {reason}")]
pub struct AuditError {
    /// The auditor.
    pub auditor: String,
    /// The item.
    pub item: String,
    /// Why.
    pub reason: String,
}

/// Audits items of one technology with one or more checks.
///
/// `audit` returns findings; it returns `Err` only when it could not evaluate the item.
/// Auditors never fetch anything: what they read besides the item comes in the context.
#[async_trait]
pub trait Auditor: Send + Sync {
    /// The technology whose items it audits.
    fn technology(&self) -> &'static str;

    /// Technologies whose items it reads for support (e.g. instances read security groups);
    /// a change to those re-audits this auditor's items.
    fn support(&self) -> &'static [&'static str] {
        &[]
    }

    /// The checks it runs.
    fn checks(&self) -> &'static [&'static Check];

    /// Audits one item.
    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError>;
}
