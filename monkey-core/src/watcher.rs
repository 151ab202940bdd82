//! The `Watcher` trait: what collects one technology's items from one account.

use crate::model::{Account, IgnoreEntry, Interval, Technology};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What a watcher needs to collect one account: the account and the ignore list of its
/// technology.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WatchContext {
    /// The account to collect.
    pub account: Account,
    /// Entries of the ignore list for the watcher's technology.
    pub ignore: Vec<IgnoreEntry>,
}

impl WatchContext {
    /// A context with an empty ignore list.
    pub fn new(account: Account) -> Self {
        Self { account, ignore: Vec::new() }
    }

    /// Adds ignore entries (only those of `technology` are kept by watchers that filter).
    pub fn with_ignore(mut self, ignore: Vec<IgnoreEntry>) -> Self {
        self.ignore = ignore;
        self
    }

    /// Whether the ignore list skips an item named `name`.
    pub fn is_ignored(&self, technology: &Technology, name: &str) -> bool {
        self.ignore.iter().any(|e| &e.technology == technology && e.matches(name))
    }
}

/// One resource as a watcher saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlurpedItem {
    /// The region, or [`crate::model::UNIVERSAL_REGION`].
    pub region: String,
    /// The resource's name.
    pub name: String,
    /// Its ARN, when it has one.
    #[serde(default)]
    pub arn: Option<String>,
    /// Its whole configuration.
    pub config: serde_json::Value,
}

/// What a failure hid: the whole account, one region, or one item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum FailureScope {
    /// Nothing of the account could be collected.
    Account,
    /// One region could not be collected.
    Region {
        /// The region.
        region: String,
    },
    /// One item could not be collected.
    Item {
        /// Its region.
        region: String,
        /// Its name.
        name: String,
    },
}

impl FailureScope {
    /// Whether this scope covers the item `(region, name)`.
    pub fn covers(&self, region: &str, name: &str) -> bool {
        match self {
            Self::Account => true,
            Self::Region { region: r } => r == region,
            Self::Item { region: r, name: n } => r == region && n == name,
        }
    }
}

/// A collection error, scoped to what it hid so that those items are neither deleted nor
/// changed by this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// What it hid.
    #[serde(flatten)]
    pub scope: FailureScope,
    /// What went wrong, for people.
    pub message: String,
}

/// The result of one watcher run over one account: the items seen, and what could not be seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Slurp {
    /// Every item collected.
    pub items: Vec<SlurpedItem>,
    /// Every failure, scoped.
    pub failures: Vec<Failure>,
}

/// Collects every item of one technology in one account.
///
/// A watcher never fails as a whole: what it could not collect goes into [`Slurp::failures`],
/// scoped to the account, a region or an item, so change detection does not take those
/// items for deleted.
///
/// ```
/// use async_trait::async_trait;
/// use monkey_core::model::Technology;
/// use monkey_core::watcher::{Slurp, SlurpedItem, WatchContext, Watcher};
///
/// struct Static(Technology);
///
/// #[async_trait]
/// impl Watcher for Static {
///     fn technology(&self) -> &Technology { &self.0 }
///     async fn slurp(&self, ctx: &WatchContext) -> Slurp {
///         let item = SlurpedItem {
///             region: "us-east-1".into(),
///             name: "web".into(),
///             arn: None,
///             config: serde_json::json!({"port": 443}),
///         };
///         let items = if ctx.is_ignored(&self.0, &item.name) { vec![] } else { vec![item] };
///         Slurp { items, failures: vec![] }
///     }
/// }
/// let watcher: Box<dyn Watcher> = Box::new(Static(Technology::parse("demo").unwrap()));
/// assert_eq!(watcher.technology().as_str(), "demo");
/// ```
#[async_trait]
pub trait Watcher: Send + Sync {
    /// The technology this watcher collects.
    fn technology(&self) -> &Technology;

    /// Paths of fields that change without meaning anything (last-used dates, usage lists);
    /// `*` matches any one key or list index, e.g. `AccessKeys.*.LastUsedDate`.
    fn ephemeral_paths(&self) -> &[&str] {
        &[]
    }

    /// How often this watcher runs unless configured otherwise.
    fn default_interval(&self) -> Interval {
        Interval::HOURLY
    }

    /// Collects every item of this technology in `ctx.account`.
    async fn slurp(&self, ctx: &WatchContext) -> Slurp;
}
