//! Checks of S3 buckets (`s3`), over the shape the S3 watcher records (one item per bucket:
//! `Policy`, `Grants`, `Owner`, `PublicAccessBlock`, `AccountPublicAccessBlock`, and one key per
//! bucket setting).
//!
//! The checks follow Security Monkey's `S3Auditor` (the resource-policy checks on `Policy`, the
//! ACL checks on `Grants`, "POLICY - No Policy.") and the S3 checks shared by Prowler, Security
//! Hub and ScoutSuite (Block Public Access, public write, TLS-only policy, encryption, logging,
//! versioning, MFA delete, ACLs, lifecycle, notifications, Object Lock, replication).
//!
//! Block Public Access is honoured: a public policy under `RestrictPublicBuckets` and public
//! ACL grants under `IgnorePublicAcls` (bucket or account level) grant nothing, so they are
//! reported as informational instead of internet accessible.
//!
//! A setting the watcher could not read is missing from the configuration: its checks say
//! nothing. A setting the bucket does not have is recorded as null.

mod account_public_access_block_disabled;
mod bucket_access_logging_disabled;
mod bucket_acl_friendly_cross_account;
mod bucket_acl_internet_accessible;
mod bucket_acl_log_delivery;
mod bucket_acl_thirdparty_cross_account;
mod bucket_acl_unknown_access;
mod bucket_acls_enabled;
mod bucket_allows_cleartext;
mod bucket_default_encryption_not_kms;
mod bucket_mfa_delete_disabled;
mod bucket_object_lock_disabled;
mod bucket_policy_cross_account_root;
mod bucket_policy_friendly_cross_account;
mod bucket_policy_internet_accessible;
mod bucket_policy_parse_error;
mod bucket_policy_thirdparty_cross_account;
mod bucket_policy_unknown_access;
mod bucket_public_access_block_disabled;
mod bucket_public_acl_blocked;
mod bucket_public_policy_blocked;
mod bucket_public_write;
mod bucket_versioning_disabled;
mod bucket_without_event_notifications;
mod bucket_without_lifecycle_rules;
mod bucket_without_policy;
mod bucket_without_replication;
mod grants;
mod public_access;

#[cfg(test)]
mod estate;

pub use account_public_access_block_disabled::S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED;
pub use bucket_access_logging_disabled::S3_BUCKET_ACCESS_LOGGING_DISABLED;
pub use bucket_acl_friendly_cross_account::S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT;
pub use bucket_acl_internet_accessible::S3_BUCKET_ACL_INTERNET_ACCESSIBLE;
pub use bucket_acl_log_delivery::S3_BUCKET_ACL_LOG_DELIVERY;
pub use bucket_acl_thirdparty_cross_account::S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT;
pub use bucket_acl_unknown_access::S3_BUCKET_ACL_UNKNOWN_ACCESS;
pub use bucket_acls_enabled::S3_BUCKET_ACLS_ENABLED;
pub use bucket_allows_cleartext::S3_BUCKET_ALLOWS_CLEARTEXT;
pub use bucket_default_encryption_not_kms::S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS;
pub use bucket_mfa_delete_disabled::S3_BUCKET_MFA_DELETE_DISABLED;
pub use bucket_object_lock_disabled::S3_BUCKET_OBJECT_LOCK_DISABLED;
pub use bucket_policy_cross_account_root::S3_BUCKET_POLICY_CROSS_ACCOUNT_ROOT;
pub use bucket_policy_friendly_cross_account::S3_BUCKET_POLICY_FRIENDLY_CROSS_ACCOUNT;
pub use bucket_policy_internet_accessible::S3_BUCKET_POLICY_INTERNET_ACCESSIBLE;
pub use bucket_policy_parse_error::S3_BUCKET_POLICY_PARSE_ERROR;
pub use bucket_policy_thirdparty_cross_account::S3_BUCKET_POLICY_THIRDPARTY_CROSS_ACCOUNT;
pub use bucket_policy_unknown_access::S3_BUCKET_POLICY_UNKNOWN_ACCESS;
pub use bucket_public_access_block_disabled::S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED;
pub use bucket_public_acl_blocked::S3_BUCKET_PUBLIC_ACL_BLOCKED;
pub use bucket_public_policy_blocked::S3_BUCKET_PUBLIC_POLICY_BLOCKED;
pub use bucket_public_write::S3_BUCKET_PUBLIC_WRITE;
pub use bucket_versioning_disabled::S3_BUCKET_VERSIONING_DISABLED;
pub use bucket_without_event_notifications::S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS;
pub use bucket_without_lifecycle_rules::S3_BUCKET_WITHOUT_LIFECYCLE_RULES;
pub use bucket_without_policy::S3_BUCKET_WITHOUT_POLICY;
pub use bucket_without_replication::S3_BUCKET_WITHOUT_REPLICATION;

use crate::fields::{self, Fields, Keys, field};
use crate::resource_policy::{self, Document, PolicyChecks, PublicBlock};
use async_trait::async_trait;
use grants::Grant;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use public_access::{PublicAccess, Setting};
use serde_json::Value;
use std::borrow::Cow;

static CHECKS: [&Check; 27] = [
    &S3_BUCKET_POLICY_INTERNET_ACCESSIBLE,
    &S3_BUCKET_POLICY_FRIENDLY_CROSS_ACCOUNT,
    &S3_BUCKET_POLICY_THIRDPARTY_CROSS_ACCOUNT,
    &S3_BUCKET_POLICY_UNKNOWN_ACCESS,
    &S3_BUCKET_POLICY_CROSS_ACCOUNT_ROOT,
    &S3_BUCKET_POLICY_PARSE_ERROR,
    &S3_BUCKET_PUBLIC_POLICY_BLOCKED,
    &S3_BUCKET_WITHOUT_POLICY,
    &S3_BUCKET_ACL_INTERNET_ACCESSIBLE,
    &S3_BUCKET_PUBLIC_ACL_BLOCKED,
    &S3_BUCKET_ACL_LOG_DELIVERY,
    &S3_BUCKET_ACL_FRIENDLY_CROSS_ACCOUNT,
    &S3_BUCKET_ACL_THIRDPARTY_CROSS_ACCOUNT,
    &S3_BUCKET_ACL_UNKNOWN_ACCESS,
    &S3_ACCOUNT_PUBLIC_ACCESS_BLOCK_DISABLED,
    &S3_BUCKET_PUBLIC_ACCESS_BLOCK_DISABLED,
    &S3_BUCKET_PUBLIC_WRITE,
    &S3_BUCKET_ALLOWS_CLEARTEXT,
    &S3_BUCKET_DEFAULT_ENCRYPTION_NOT_KMS,
    &S3_BUCKET_ACCESS_LOGGING_DISABLED,
    &S3_BUCKET_VERSIONING_DISABLED,
    &S3_BUCKET_MFA_DELETE_DISABLED,
    &S3_BUCKET_ACLS_ENABLED,
    &S3_BUCKET_WITHOUT_LIFECYCLE_RULES,
    &S3_BUCKET_WITHOUT_EVENT_NOTIFICATIONS,
    &S3_BUCKET_OBJECT_LOCK_DISABLED,
    &S3_BUCKET_WITHOUT_REPLICATION,
];

/// The resource-policy checks of the bucket policy.
static POLICY_CHECKS: PolicyChecks = PolicyChecks {
    subject: "Bucket policy",
    internet_accessible: &S3_BUCKET_POLICY_INTERNET_ACCESSIBLE,
    friendly_cross_account: &S3_BUCKET_POLICY_FRIENDLY_CROSS_ACCOUNT,
    thirdparty_cross_account: &S3_BUCKET_POLICY_THIRDPARTY_CROSS_ACCOUNT,
    unknown_access: &S3_BUCKET_POLICY_UNKNOWN_ACCESS,
    cross_account_root: &S3_BUCKET_POLICY_CROSS_ACCOUNT_ROOT,
    parse_error: &S3_BUCKET_POLICY_PARSE_ERROR,
};

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// The top-level settings the checks read, in the order of [`Key`].
const SETTINGS: Keys<13> = Keys::new([
    "AccountPublicAccessBlock",
    "Grants",
    "LifecycleRules",
    "Logging",
    "NotificationConfiguration",
    "ObjectLockConfiguration",
    "Owner",
    "OwnershipControls",
    "Policy",
    "PublicAccessBlock",
    "ReplicationConfiguration",
    "ServerSideEncryptionConfiguration",
    "Versioning",
]);

/// A top-level setting of a bucket configuration (an index into [`SETTINGS`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    AccountPublicAccessBlock,
    Grants,
    LifecycleRules,
    Logging,
    NotificationConfiguration,
    ObjectLockConfiguration,
    Owner,
    OwnershipControls,
    Policy,
    PublicAccessBlock,
    ReplicationConfiguration,
    ServerSideEncryptionConfiguration,
    Versioning,
}

/// What the checks of one bucket share, read once per audit.
pub(crate) struct Bucket<'a> {
    /// The recorded configuration's top-level settings.
    pub(crate) settings: Fields<'a, 13>,
    /// The bucket policy, parsed once, its text borrowed from the configuration.
    pub(crate) policy: Document<Cow<'a, str>>,
    /// The actions the policy lets anyone use (before Block Public Access), lower-cased and
    /// sorted; `None` when it lets no one in.
    pub(crate) public_actions: Option<Vec<String>>,
    /// The bucket's and the account's Block Public Access settings.
    pub(crate) public_access: PublicAccess,
    /// The ACL grants, classified.
    pub(crate) grants: Vec<Grant<'a>>,
}

/// Runs every S3 bucket check.
#[derive(Debug, Default)]
pub struct S3Auditor;

#[async_trait]
impl Auditor for S3Auditor {
    fn technology(&self) -> &'static str {
        "s3"
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        Ok(audit(item, ctx))
    }
}

monkey_core::register_auditor!(S3Auditor);

/// Every finding of the S3 checks on one bucket.
fn audit(item: &AuditedItem<'_>, ctx: &AuditContext) -> Vec<Finding> {
    let settings = Fields::read(item.config, &SETTINGS);
    // The checks below read every setting, one after another: their memory is fetched at once.
    fields::touch(settings.values());
    let mut findings = Vec::new();
    let public_access = PublicAccess::read(
        settings.get(Key::PublicAccessBlock as usize),
        settings.get(Key::AccountPublicAccessBlock as usize),
    );
    let policy = Document::read_borrowed(settings.get(Key::Policy as usize));
    let block = public_access
        .blocked_by(Setting::RestrictPublicBuckets)
        .map(|setting| PublicBlock { check: &S3_BUCKET_PUBLIC_POLICY_BLOCKED, setting });
    let public_actions = resource_policy::audit(&policy, item, ctx, &POLICY_CHECKS, block, &mut findings);
    let grants = grants::read(
        settings.get(Key::Grants as usize),
        settings.get(Key::Owner as usize),
        &item.key.account,
        &ctx.environment,
    );
    let bucket = Bucket { settings, policy, public_actions, public_access, grants };
    bucket_without_policy::check(&bucket, ctx, &mut findings);
    bucket_acl_internet_accessible::check(&bucket, ctx, &mut findings);
    bucket_acl_log_delivery::check(&bucket, ctx, &mut findings);
    grants::cross_account(&bucket, ctx, &mut findings);
    account_public_access_block_disabled::check(&bucket, ctx, &mut findings);
    bucket_public_access_block_disabled::check(&bucket, ctx, &mut findings);
    bucket_public_write::check(&bucket, ctx, &mut findings);
    bucket_allows_cleartext::check(&bucket, ctx, &mut findings);
    bucket_default_encryption_not_kms::check(&bucket, ctx, &mut findings);
    bucket_access_logging_disabled::check(&bucket, ctx, &mut findings);
    bucket_versioning_disabled::check(&bucket, ctx, &mut findings);
    bucket_mfa_delete_disabled::check(&bucket, ctx, &mut findings);
    bucket_acls_enabled::check(&bucket, ctx, &mut findings);
    bucket_without_lifecycle_rules::check(&bucket, ctx, &mut findings);
    bucket_without_event_notifications::check(&bucket, ctx, &mut findings);
    bucket_object_lock_disabled::check(&bucket, ctx, &mut findings);
    bucket_without_replication::check(&bucket, ctx, &mut findings);
    findings
}

impl<'a> Bucket<'a> {
    /// The value of a top-level setting, `None` when the watcher recorded none.
    pub(crate) fn get(&self, key: Key) -> Option<&'a Value> {
        self.settings.get(key as usize)
    }
}

/// A finding of a setting check, when the check is enabled.
fn push(
    findings: &mut Vec<Finding>,
    ctx: &AuditContext,
    check: &'static Check,
    message: &str,
    notes: impl FnOnce() -> String,
) {
    if ctx.is_enabled(check) {
        findings.push(Finding::new(check, message, notes()));
    }
}

/// The text at `key` of `value`, if it is text.
fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    field(value, key).and_then(Value::as_str)
}

/// The list at `key` of `value`, empty when missing or not a list.
fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    field(value, key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Where bucket policies go in a configuration, for the resource-policy conformance tables.
#[cfg(test)]
pub(crate) const SUBJECT: resource_policy::suite::Subject =
    resource_policy::suite::Subject { wrap: |policy| serde_json::json!({ "Policy": policy }), action: "s3:GetObject" };
