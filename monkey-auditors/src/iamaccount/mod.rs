//! Checks of the account's IAM settings (`iamaccount`: `AccountSummary`, `PasswordPolicy`,
//! `CredentialReport`): the root user's credentials and use, the password policy, and a support
//! role (the CIS / Security Hub account-level IAM controls).

mod no_support_role;
mod password_policy_missing;
mod password_policy_weak;
mod root_access_keys;
mod root_used_recently;
mod root_without_mfa;

pub use no_support_role::IAMACCOUNT_NO_SUPPORT_ROLE;
pub use password_policy_missing::IAMACCOUNT_PASSWORD_POLICY_MISSING;
pub use password_policy_weak::IAMACCOUNT_PASSWORD_POLICY_WEAK;
pub use root_access_keys::IAMACCOUNT_ROOT_ACCESS_KEYS;
pub use root_used_recently::IAMACCOUNT_ROOT_USED_RECENTLY;
pub use root_without_mfa::IAMACCOUNT_ROOT_WITHOUT_MFA;

use async_trait::async_trait;
use monkey_core::auditor::{AuditContext, AuditError, AuditedItem, Auditor, Check, Finding};
use serde_json::Value;

static CHECKS: [&Check; 6] = [
    &IAMACCOUNT_ROOT_ACCESS_KEYS,
    &IAMACCOUNT_ROOT_WITHOUT_MFA,
    &IAMACCOUNT_ROOT_USED_RECENTLY,
    &IAMACCOUNT_PASSWORD_POLICY_WEAK,
    &IAMACCOUNT_PASSWORD_POLICY_MISSING,
    &IAMACCOUNT_NO_SUPPORT_ROLE,
];

/// Every check of this module.
pub(crate) fn builtin() -> Vec<&'static Check> {
    CHECKS.to_vec()
}

/// A GetAccountSummary counter read as a flag (`AccountMFAEnabled: 1`); `None` when not recorded.
fn summary_flag(config: &Value, key: &str) -> Option<bool> {
    match config.get("AccountSummary")?.get(key)? {
        Value::Number(number) => number.as_u64().map(|n| n > 0),
        Value::Bool(flag) => Some(*flag),
        _ => None,
    }
}

/// Runs every account-level IAM check.
#[derive(Debug, Default)]
pub struct IamAccountAuditor;

#[async_trait]
impl Auditor for IamAccountAuditor {
    fn technology(&self) -> &'static str {
        "iamaccount"
    }

    /// Managed policies: to find whether `AWSSupportAccess` is attached.
    fn support(&self) -> &'static [&'static str] {
        &["policy"]
    }

    fn checks(&self) -> &'static [&'static Check] {
        &CHECKS
    }

    async fn audit(&self, item: &AuditedItem<'_>, ctx: &AuditContext) -> Result<Vec<Finding>, AuditError> {
        let config = item.config;
        let mut findings = Vec::new();
        if ctx.is_enabled(&IAMACCOUNT_ROOT_ACCESS_KEYS) {
            root_access_keys::check(config, &mut findings);
        }
        if ctx.is_enabled(&IAMACCOUNT_ROOT_WITHOUT_MFA) {
            root_without_mfa::check(config, &mut findings);
        }
        if ctx.is_enabled(&IAMACCOUNT_ROOT_USED_RECENTLY) {
            root_used_recently::check(config, ctx.now, &mut findings);
        }
        if ctx.is_enabled(&IAMACCOUNT_PASSWORD_POLICY_WEAK) {
            password_policy_weak::check(config, &mut findings);
        }
        if ctx.is_enabled(&IAMACCOUNT_PASSWORD_POLICY_MISSING) {
            password_policy_missing::check(config, &mut findings);
        }
        if ctx.is_enabled(&IAMACCOUNT_NO_SUPPORT_ROLE) {
            no_support_role::check(ctx, &mut findings);
        }
        Ok(findings)
    }
}

monkey_core::register_auditor!(IamAccountAuditor);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity_policy::estate;
    use crate::testing;

    #[test]
    fn recorded_estate_account() {
        let pairs = |found: &[(&str, &str)]| -> Vec<(String, String)> {
            found.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect()
        };
        assert_eq!(
            estate::issues("iamaccount", "account", &CHECKS),
            pairs(&[
                ("iamaccount-no-support-role", "Policy: [AWSSupportAccess] Attached: [no]"),
                ("iamaccount-password-policy-weak", "Requirement: [MaxPasswordAge <= 90]"),
                ("iamaccount-password-policy-weak", "Requirement: [MinimumPasswordLength >= 14]"),
                ("iamaccount-password-policy-weak", "Requirement: [PasswordReusePrevention >= 24]"),
                ("iamaccount-password-policy-weak", "Requirement: [RequireSymbols]"),
                ("iamaccount-password-policy-weak", "Requirement: [RequireUppercaseCharacters]"),
                ("iamaccount-root-without-mfa", "Root MFA: [disabled]"),
            ])
        );
        for (_, config) in estate::items("iamaccount") {
            assert_eq!(testing::notes(&IAMACCOUNT_PASSWORD_POLICY_WEAK, config.clone()).len(), 5);
            assert!(testing::issues(&IAMACCOUNT_ROOT_ACCESS_KEYS, config.clone()).is_empty());
            assert!(testing::issues(&IAMACCOUNT_PASSWORD_POLICY_MISSING, config).is_empty());
        }
    }
}
