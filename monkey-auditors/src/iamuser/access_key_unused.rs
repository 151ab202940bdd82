//! `iamuser-access-key-unused`: an active access key not used for more than 90 days.

use super::credentials::{NINETY_DAYS, User};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// An active access key has not been used for more than 90 days.
    pub static IAMUSER_ACCESS_KEY_UNUSED = Check {
        id: "iamuser-access-key-unused",
        technology: "iamuser",
        title: "IamUserAccessKeyUnused",
        category: Category::UnusedAccess,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An active access key last used more than 90 days before the audit (`AccessKeyLastUsed.LastUsedDate`), or never used \
and created more than 90 days before it (`CreateDate`), one issue per key. A key exactly 90 days idle is not \
flagged.\n\n\
## Why it matters\n\
A key nobody uses is pure risk: it grants access no workload needs, and nobody will notice when someone else starts \
using it. Unused credentials are also the easiest to remove, since nothing depends on them.\n\n\
## Example\n\
An active key `AKIAEXAMPLE` last used on 2025-06-01, audited on 2026-01-01, gives \
`Active Accesskey [AKIAEXAMPLE] last used > 90 days ago on 2025-06-01`; one never used and created on 2025-01-01 gives \
`Active Accesskey [AKIAEXAMPLE] never used, created > 90 days ago on 2025-01-01`.\n\n\
## How to fix\n\
Deactivate the key; delete it if nothing complains within a few weeks.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-8 (Security Hub IAM.8)\n\
- Security Monkey `IAMUserAuditor.check_access_key_last_used`; Prowler `iam_user_accesskey_unused`; ScoutSuite \
`iam-unused-credentials-not-disabled`.\n",
    };
}

/// One finding per active key idle for more than 90 days before `now`.
pub(super) fn check(user: &User<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    for key in user.active_keys() {
        let (notes, message) = match (key.last_used, key.created) {
            (Some(used), _) if used.older_than(now, NINETY_DAYS) => (
                format!("Active Accesskey [{}] last used > 90 days ago on {}", key.id, used.day()),
                format!("Access key {} was last used on {}", key.id, used.day()),
            ),
            (None, Some(created)) if created.older_than(now, NINETY_DAYS) => (
                format!("Active Accesskey [{}] never used, created > 90 days ago on {}", key.id, created.day()),
                format!("Access key {} was never used since it was created on {}", key.id, created.day()),
            ),
            _ => continue,
        };
        findings.push(Finding::new(&IAMUSER_ACCESS_KEY_UNUSED, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn key(status: &str, created: &str, used: Value) -> Value {
        json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": status, "CreateDate": created,
                               "AccessKeyLastUsed": {"LastUsedDate": used, "Region": "N/A", "ServiceName": "N/A"}}]})
    }

    #[test]
    fn keys_idle_for_more_than_90_days_are_flagged() {
        let old = "2024-01-01T00:00:00Z";
        testing::table(
            &IAMUSER_ACCESS_KEY_UNUSED,
            &[
                key("Active", old, json!("2025-10-02T23:59:59Z")),
                key("Active", old, json!(null)),
                key("Active", "2025-10-02T00:00:00Z", json!(null)),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": old}]}),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active", "CreateDate": old, "LastUsedDate": "2025-01-01T00:00:00Z"}]}),
            ],
            &[
                key("Active", old, json!("2025-10-03T00:00:00Z")),
                key("Active", old, json!("2025-12-30T00:00:00Z")),
                key("Active", "2025-12-01T00:00:00Z", json!(null)),
                key("Inactive", old, json!(null)),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active"}]}),
            ],
        );
    }

    #[test]
    fn notes_tell_idle_from_never_used() {
        let notes = testing::notes(
            &IAMUSER_ACCESS_KEY_UNUSED,
            key("Active", "2024-01-01T00:00:00Z", json!("2025-06-01T12:00:00Z")),
        );
        assert_eq!(notes, ["Active Accesskey [AKIA1] last used > 90 days ago on 2025-06-01"]);
        let notes = testing::notes(&IAMUSER_ACCESS_KEY_UNUSED, key("Active", "2024-01-01T00:00:00Z", json!(null)));
        assert_eq!(notes, ["Active Accesskey [AKIA1] never used, created > 90 days ago on 2024-01-01"]);
    }
}
