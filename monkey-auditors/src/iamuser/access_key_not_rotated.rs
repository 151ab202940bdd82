//! `iamuser-access-key-not-rotated`: an active access key created more than 90 days ago.

use super::credentials::{NINETY_DAYS, User};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// An active access key is older than 90 days.
    pub static IAMUSER_ACCESS_KEY_NOT_ROTATED = Check {
        id: "iamuser-access-key-not-rotated",
        technology: "iamuser",
        title: "IamUserAccessKeyNotRotated",
        category: Category::NeedsRotation,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
An active access key whose `CreateDate` is more than 90 days before the audit (a key exactly 90 days old is not \
flagged), one issue per key. Keys without a readable creation date are skipped.\n\n\
## Why it matters\n\
The older a key, the more copies of it exist in old laptops, CI logs and backups, and the longer a leaked copy has \
been usable. Rotating regularly bounds that window and proves the key's users can survive a rotation when a leak \
forces one.\n\n\
## Example\n\
An active key `AKIAEXAMPLE` created on 2025-01-01, audited on 2026-01-01, gives \
`Active Accesskey [AKIAEXAMPLE] last rotated > 90 days ago on 2025-01-01`.\n\n\
## How to fix\n\
Create a second key, move every user of the old key to it, deactivate the old key, and delete it once nothing \
broke. Better, replace the key with temporary credentials from a role.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-3 (Security Hub IAM.3)\n\
- Security Monkey `IAMUserAuditor.check_access_key_rotation`; Prowler `iam_rotate_access_key_90_days`; ScoutSuite \
`iam-user-no-key-rotation`.\n",
    };
}

/// One finding per active key created more than 90 days before `now`.
pub(super) fn check(user: &User<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    for key in user.active_keys() {
        let Some(created) = key.created.filter(|created| created.older_than(now, NINETY_DAYS)) else { continue };
        let notes = format!("Active Accesskey [{}] last rotated > 90 days ago on {}", key.id, created.day());
        let message = format!("Access key {} was created on {} and not rotated since", key.id, created.day());
        findings.push(Finding::new(&IAMUSER_ACCESS_KEY_NOT_ROTATED, message, notes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::{Value, json};

    fn key(status: &str, created: Value) -> Value {
        json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": status, "CreateDate": created}]})
    }

    #[test]
    fn keys_older_than_90_days_are_flagged() {
        // The audit runs at 2026-01-01T00:00:00Z; 90 days before is 2025-10-03T00:00:00Z.
        testing::table(
            &IAMUSER_ACCESS_KEY_NOT_ROTATED,
            &[key("Active", json!("2025-10-02T23:59:59Z")), key("Active", json!("2019-05-05T10:00:00.123+02:00"))],
            &[
                key("Active", json!("2025-10-03T00:00:00Z")),
                key("Active", json!("2025-12-31T00:00:00Z")),
                key("Inactive", json!("2019-01-01T00:00:00Z")),
                key("Active", json!(null)),
                key("Active", json!("yesterday")),
                json!({"AccessKeys": [{"AccessKeyId": "AKIA1", "Status": "Active"}]}),
            ],
        );
    }

    #[test]
    fn notes_give_the_creation_day() {
        let notes = testing::notes(&IAMUSER_ACCESS_KEY_NOT_ROTATED, key("Active", json!("2025-01-01T08:00:00.5Z")));
        assert_eq!(notes, ["Active Accesskey [AKIA1] last rotated > 90 days ago on 2025-01-01"]);
    }
}
