//! `iamaccount-root-access-keys`: the root user has access keys.

use super::summary_flag;
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::Category;
use serde_json::Value;

monkey_core::declare_check! {
    /// The root user has access keys.
    pub static IAMACCOUNT_ROOT_ACCESS_KEYS = Check {
        id: "iamaccount-root-access-keys",
        technology: "iamaccount",
        title: "IamAccountRootAccessKeys",
        category: Category::InsecureConfiguration,
        default_score: 10,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account whose root user has access keys: `AccountSummary.AccountAccessKeysPresent` (GetAccountSummary) is not 0. \
Accounts without a recorded summary are skipped.\n\n\
## Why it matters\n\
The root user cannot be restricted by IAM policies (only by organization SCPs), so its access key is an \
unrestricted, long-lived credential to everything in the account, including closing it. There is no task that needs \
one.\n\n\
## Example\n\
`{\"AccountSummary\": {\"AccountAccessKeysPresent\": 1}}` gives `Root access keys: [present]`.\n\n\
## How to fix\n\
Sign in as root, check in the credential report that nothing uses the key, then deactivate and delete it \
(Security credentials page). Use IAM roles for automation.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-4 (Security Hub IAM.4)\n\
- Prowler `iam_no_root_access_key`; ScoutSuite `iam-root-account-with-active-keys`; CIS AWS Foundations 1.4.\n",
    };
}

/// Flags root access keys.
pub(super) fn check(config: &Value, findings: &mut Vec<Finding>) {
    if summary_flag(config, "AccountAccessKeysPresent") == Some(true) {
        let message = "The root user has access keys";
        findings.push(Finding::new(&IAMACCOUNT_ROOT_ACCESS_KEYS, message, "Root access keys: [present]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn root_access_keys_are_flagged() {
        testing::table(
            &IAMACCOUNT_ROOT_ACCESS_KEYS,
            &[
                json!({"AccountSummary": {"AccountAccessKeysPresent": 1}}),
                json!({"AccountSummary": {"AccountAccessKeysPresent": true}}),
            ],
            &[
                json!({"AccountSummary": {"AccountAccessKeysPresent": 0}}),
                json!({"AccountSummary": {}}),
                json!({"AccountSummary": null}),
                json!({"AccountSummary": {"AccountAccessKeysPresent": "1"}}),
                json!({}),
            ],
        );
        let issues =
            testing::issues(&IAMACCOUNT_ROOT_ACCESS_KEYS, json!({"AccountSummary": {"AccountAccessKeysPresent": 1}}));
        assert_eq!(issues[0].key.notes, "Root access keys: [present]");
        assert_eq!(issues[0].score, 10);
    }
}
