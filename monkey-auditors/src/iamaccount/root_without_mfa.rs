//! `iamaccount-root-without-mfa`: the root user has no MFA device.

use super::summary_flag;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// The root user signs in without MFA.
    pub static IAMACCOUNT_ROOT_WITHOUT_MFA = Check {
        id: "iamaccount-root-without-mfa",
        technology: "iamaccount",
        title: "IamAccountRootWithoutMfa",
        category: Category::InsecureConfiguration,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account whose root user has no MFA device: `AccountSummary.AccountMFAEnabled` (GetAccountSummary) is 0. Accounts \
without a recorded summary are skipped.\n\n\
## Why it matters\n\
The root user can do anything in the account and cannot be restricted by IAM. Without MFA, its e-mail address and \
password (reset by e-mail) are all an attacker needs to take the account over.\n\n\
## Example\n\
`{\"AccountSummary\": {\"AccountMFAEnabled\": 0}}` gives `Root MFA: [disabled]`.\n\n\
## How to fix\n\
Sign in as root and register an MFA device (Security credentials page), preferably a hardware key or passkey kept \
in a safe; in an organization, consider centralised root access management and removing member-account root \
credentials.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9 (Security Hub IAM.9)\n\
- Prowler `iam_root_mfa_enabled`; ScoutSuite `iam-root-account-no-mfa`; CIS AWS Foundations 1.5.\n",
    };
}

/// Flags a root user without MFA.
pub(super) fn check(config: &Value, findings: &mut Vec<Finding>) {
    if summary_flag(config, "AccountMFAEnabled") == Some(false) {
        let message = "The root user has no MFA device";
        findings.push(Finding::new(&IAMACCOUNT_ROOT_WITHOUT_MFA, message, "Root MFA: [disabled]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn root_without_mfa_is_flagged() {
        testing::table(
            &IAMACCOUNT_ROOT_WITHOUT_MFA,
            &[
                json!({"AccountSummary": {"AccountMFAEnabled": 0}}),
                json!({"AccountSummary": {"AccountMFAEnabled": false}}),
            ],
            &[
                json!({"AccountSummary": {"AccountMFAEnabled": 1}}),
                json!({"AccountSummary": {"Users": 3}}),
                json!({"AccountSummary": "n/a"}),
                json!({"AccountSummary": {"AccountMFAEnabled": null}}),
                json!(null),
            ],
        );
    }
}
