//! `iamaccount-root-used-recently`: the root user was used in the last 90 days.

use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};
use serde_json::Value;

/// How recent a use of the root user is reported.
const NINETY_DAYS: i64 = 90 * 86_400;

monkey_core::declare_check! {
    /// The root user was used recently.
    pub static IAMACCOUNT_ROOT_USED_RECENTLY = Check {
        id: "iamaccount-root-used-recently",
        technology: "iamaccount",
        title: "IamAccountRootUsedRecently",
        category: Category::Informational,
        default_score: 3,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An account whose root user was used in the 90 days before the audit (exactly 90 days included): \
`CredentialReport.RootLastUsed`, the latest of the root row's password and access-key last-use dates in the \
credential report. The notes do not hold the date, so repeated use keeps one issue open.\n\n\
## Why it matters\n\
Few tasks need the root user; everyday use of it means unrestricted credentials are being typed or stored, and an \
unexpected use may be an intrusion. Each use deserves a look.\n\n\
## Example\n\
`{\"CredentialReport\": {\"RootLastUsed\": \"2025-12-20T10:00:00+00:00\"}}` audited on 2026-01-01 gives \
`Root used within 90 days`.\n\n\
## How to fix\n\
Find who used it and why (CloudTrail events with `userIdentity.type` = `Root`). Do the work with IAM roles \
instead; keep root for the tasks that require it, and justify the issue after such a task.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-20 (Security Hub IAM.20)\n\
- Prowler `iam_avoid_root_usage`; ScoutSuite `iam-root-account-used-recently`; CIS AWS Foundations 1.7.\n",
    };
}

/// Flags a root use within 90 days of `now`.
pub(super) fn check(config: &Value, now: Timestamp, findings: &mut Vec<Finding>) {
    let Some(text) = config.get("CredentialReport").and_then(|r| r.get("RootLastUsed")).and_then(Value::as_str) else {
        return;
    };
    let Ok(used) = Timestamp::parse_rfc3339(text) else { return };
    if now.unix_seconds().saturating_sub(used.unix_seconds()) <= NINETY_DAYS {
        let message = format!("The root user was last used on {text}");
        findings.push(Finding::new(&IAMACCOUNT_ROOT_USED_RECENTLY, message, "Root used within 90 days"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn recent_root_use_is_flagged() {
        let used = |date: Value| json!({"CredentialReport": {"RootLastUsed": date}});
        // The audit runs at 2026-01-01T00:00:00Z; 90 days before is 2025-10-03T00:00:00Z.
        testing::table(
            &IAMACCOUNT_ROOT_USED_RECENTLY,
            &[used(json!("2025-12-20T10:00:00+00:00")), used(json!("2025-10-03T00:00:00Z"))],
            &[
                used(json!("2025-10-02T23:59:59Z")),
                used(json!(null)),
                used(json!("N/A")),
                json!({"CredentialReport": null}),
                json!({}),
            ],
        );
        let issues = testing::issues(&IAMACCOUNT_ROOT_USED_RECENTLY, used(json!("2025-12-20T10:00:00+00:00")));
        assert_eq!(issues[0].key.notes, "Root used within 90 days");
        assert_eq!(issues[0].message, "The root user was last used on 2025-12-20T10:00:00+00:00");
        assert_eq!(issues[0].score, 3);
    }
}
