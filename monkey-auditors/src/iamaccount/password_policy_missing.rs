//! `iamaccount-password-policy-missing`: the account has no password policy.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// The account has no password policy.
    pub static IAMACCOUNT_PASSWORD_POLICY_MISSING = Check {
        id: "iamaccount-password-policy-missing",
        technology: "iamaccount",
        title: "IamAccountPasswordPolicyMissing",
        category: Category::InsecureConfiguration,
        default_score: 5,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account without a password policy: the watcher recorded `PasswordPolicy` as null (GetAccountPasswordPolicy \
answered NoSuchEntity). Items that do not record the field are skipped.\n\n\
## Why it matters\n\
Without a policy, IAM accepts any password of 8 characters or more, never expires it, and lets users reuse it: none \
of the CIS requirements on IAM user passwords holds.\n\n\
## Example\n\
`{\"PasswordPolicy\": null}` gives `PasswordPolicy: [none]`.\n\n\
## How to fix\n\
Set one: `aws iam update-account-password-policy --minimum-password-length 14 --require-uppercase-characters \
--require-lowercase-characters --require-numbers --require-symbols --password-reuse-prevention 24 \
--max-password-age 90`.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7 (Security Hub IAM.7)\n\
- Prowler `iam_password_policy_*`; ScoutSuite `iam-password-policy-*`; CIS AWS Foundations 1.8 and 1.9.\n",
    };
}

/// Flags an account whose password policy is recorded as absent.
pub(super) fn check(config: &Value, findings: &mut Vec<Finding>) {
    if config.get("PasswordPolicy").is_some_and(Value::is_null) {
        let message = "The account has no password policy";
        findings.push(Finding::new(&IAMACCOUNT_PASSWORD_POLICY_MISSING, message, "PasswordPolicy: [none]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn a_missing_password_policy_is_flagged() {
        testing::table(
            &IAMACCOUNT_PASSWORD_POLICY_MISSING,
            &[json!({"PasswordPolicy": null, "AccountSummary": {}})],
            &[json!({"PasswordPolicy": {"MinimumPasswordLength": 6}}), json!({"PasswordPolicy": {}}), json!({})],
        );
        let issues = testing::issues(&IAMACCOUNT_PASSWORD_POLICY_MISSING, json!({"PasswordPolicy": null}));
        assert_eq!(issues[0].score, 5);
        assert_eq!(issues[0].key.notes, "PasswordPolicy: [none]");
    }
}
