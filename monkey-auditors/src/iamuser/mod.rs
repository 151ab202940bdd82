//! Checks of IAM users (`iamuser`): their policies (the shared identity-policy checks over
//! `InlinePolicies`, administrator and direct attachments) and their credentials (access keys,
//! console password, MFA), after Security Monkey's `IAMUserAuditor` and the CIS / Security Hub
//! IAM controls.

mod access_key_not_rotated;
mod access_key_unused;
mod active_access_key;
mod admin_policy_attached;
mod credentials;
mod direct_policy;
mod inactive_access_key;
mod initial_access_key_unused;
mod multiple_active_access_keys;
mod password_and_access_key;
mod password_unused;
mod password_without_mfa;

pub use access_key_not_rotated::IAMUSER_ACCESS_KEY_NOT_ROTATED;
pub use access_key_unused::IAMUSER_ACCESS_KEY_UNUSED;
pub use active_access_key::IAMUSER_ACTIVE_ACCESS_KEY;
pub use admin_policy_attached::IAMUSER_ADMIN_POLICY_ATTACHED;
pub use direct_policy::IAMUSER_DIRECT_POLICY;
pub use inactive_access_key::IAMUSER_INACTIVE_ACCESS_KEY;
pub use initial_access_key_unused::IAMUSER_INITIAL_ACCESS_KEY_UNUSED;
pub use multiple_active_access_keys::IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS;
pub use password_and_access_key::IAMUSER_PASSWORD_AND_ACCESS_KEY;
pub use password_unused::IAMUSER_PASSWORD_UNUSED;
pub use password_without_mfa::IAMUSER_PASSWORD_WITHOUT_MFA;

use crate::identity_policy;
use async_trait::async_trait;
use credentials::User;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use std::sync::LazyLock;

identity_policy::declare_identity_policy_checks! {
    /// The identity-policy checks of IAM users' inline policies (`iamuser-policy-*`).
    pub mod policy {
        technology: "iamuser",
        id: "iamuser-policy",
        title: "IamUserPolicy",
        what: "an inline policy of an IAM user",
        scope: "",
    }
}

/// The checks of this module besides the identity-policy family.
static OWN: [&Check; 11] = [
    &IAMUSER_ADMIN_POLICY_ATTACHED,
    &IAMUSER_DIRECT_POLICY,
    &IAMUSER_ACTIVE_ACCESS_KEY,
    &IAMUSER_INACTIVE_ACCESS_KEY,
    &IAMUSER_ACCESS_KEY_NOT_ROTATED,
    &IAMUSER_ACCESS_KEY_UNUSED,
    &IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS,
    &IAMUSER_INITIAL_ACCESS_KEY_UNUSED,
    &IAMUSER_PASSWORD_WITHOUT_MFA,
    &IAMUSER_PASSWORD_AND_ACCESS_KEY,
    &IAMUSER_PASSWORD_UNUSED,
];

static CHECKS: LazyLock<Vec<&'static Check>> = LazyLock::new(|| [&policy::CHECKS[..], &OWN[..]].concat());

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// Runs every IAM user check.
#[derive(Debug, Default)]
pub struct IamUserAuditor;

#[async_trait]
impl Auditor for IamUserAuditor {
    fn technology(&self) -> &'static str {
        "iamuser"
    }

    /// Managed policies: to tell which attached policies grant administrator access.
    fn support(&self) -> &'static [&'static str] {
        &["policy"]
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let config = item.config;
        let mut findings = Vec::new();
        identity_policy::audit(&policy::FAMILY, identity_policy::inline_policies(config), ctx, &mut findings);
        if ctx.is_enabled(&IAMUSER_ADMIN_POLICY_ATTACHED) {
            identity_policy::check_attached_admin_policies(&IAMUSER_ADMIN_POLICY_ATTACHED, config, ctx, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_DIRECT_POLICY) {
            direct_policy::check(config, &mut findings);
        }
        let user = User::read(config);
        let now = ctx.now;
        if ctx.is_enabled(&IAMUSER_ACTIVE_ACCESS_KEY) {
            active_access_key::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_INACTIVE_ACCESS_KEY) {
            inactive_access_key::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_ACCESS_KEY_NOT_ROTATED) {
            access_key_not_rotated::check(&user, now, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_ACCESS_KEY_UNUSED) {
            access_key_unused::check(&user, now, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_MULTIPLE_ACTIVE_ACCESS_KEYS) {
            multiple_active_access_keys::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_INITIAL_ACCESS_KEY_UNUSED) {
            initial_access_key_unused::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_PASSWORD_WITHOUT_MFA) {
            password_without_mfa::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_PASSWORD_AND_ACCESS_KEY) {
            password_and_access_key::check(&user, &mut findings);
        }
        if ctx.is_enabled(&IAMUSER_PASSWORD_UNUSED) {
            password_unused::check(&user, now, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamUserAuditor);

#[cfg(test)]
mod tests;
