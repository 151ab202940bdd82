//! `iamuser-password-unused`: a console password not used for more than 90 days.

use super::credentials::{NINETY_DAYS, User};
use monkey_core::auditor::{Check, CheckStatus, Finding};
use monkey_core::model::{Category, Timestamp};

monkey_core::declare_check! {
    /// A console password has not been used for more than 90 days.
    pub static IAMUSER_PASSWORD_UNUSED = Check {
        id: "iamuser-password-unused",
        technology: "iamuser",
        title: "IamUserPasswordUnused",
        category: Category::UnusedAccess,
        default_score: 1,
        status: CheckStatus::Stable,
        docs: "## What it finds\n\
A user with a console password (`LoginProfile` recorded) whose `PasswordLastUsed` is more than 90 days before the \
audit, or who never signed in and whose password was set (`LoginProfile.CreateDate`) more than 90 days before it. \
Exactly 90 days is not flagged; users without either date are skipped.\n\n\
## Why it matters\n\
A password nobody uses still opens the console. It belongs to someone who left or changed jobs, is rarely \
protected by MFA, and its use by someone else would go unnoticed.\n\n\
## Example\n\
`{\"LoginProfile\": {...}, \"PasswordLastUsed\": \"2025-06-01T08:00:00Z\"}` audited on 2026-01-01 gives \
`Password last used > 90 days ago on 2025-06-01`; a password set on 2025-01-01 and never used gives \
`Password never used, set > 90 days ago on 2025-01-01`.\n\n\
## How to fix\n\
Delete the login profile (`aws iam delete-login-profile`); recreate it if the person turns out to need the \
console.\n\n\
## References\n\
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html\n\
- https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-8 (Security Hub IAM.8)\n\
- Prowler `iam_user_console_access_unused`; ScoutSuite `iam-unused-credentials-not-disabled`.\n",
    };
}

/// Flags a password idle for more than 90 days before `now`.
pub(super) fn check(user: &User<'_>, now: Timestamp, findings: &mut Vec<Finding>) {
    if !user.has_password {
        return;
    }
    let (notes, message) = match (user.password_last_used, user.password_created) {
        (Some(used), _) if used.older_than(now, NINETY_DAYS) => (
            format!("Password last used > 90 days ago on {}", used.day()),
            format!("The console password was last used on {}", used.day()),
        ),
        (None, Some(set)) if set.older_than(now, NINETY_DAYS) => (
            format!("Password never used, set > 90 days ago on {}", set.day()),
            format!("The console password set on {} was never used", set.day()),
        ),
        _ => return,
    };
    findings.push(Finding::new(&IAMUSER_PASSWORD_UNUSED, message, notes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use serde_json::json;

    #[test]
    fn passwords_idle_for_more_than_90_days_are_flagged() {
        let old = json!({"CreateDate": "2024-01-01T00:00:00Z"});
        testing::table(
            &IAMUSER_PASSWORD_UNUSED,
            &[
                json!({"LoginProfile": old, "PasswordLastUsed": "2025-10-02T23:59:59Z"}),
                json!({"LoginProfile": old, "PasswordLastUsed": null}),
                json!({"LoginProfile": old}),
            ],
            &[
                json!({"LoginProfile": old, "PasswordLastUsed": "2025-10-03T00:00:00Z"}),
                json!({"LoginProfile": {"CreateDate": "2025-12-01T00:00:00Z"}, "PasswordLastUsed": null}),
                json!({"LoginProfile": null, "PasswordLastUsed": "2020-01-01T00:00:00Z"}),
                json!({"LoginProfile": {}, "PasswordLastUsed": null}),
                json!({"LoginProfile": {"CreateDate": 5}}),
            ],
        );
    }

    #[test]
    fn notes() {
        let old = json!({"CreateDate": "2024-01-01T00:00:00Z"});
        assert_eq!(
            testing::notes(
                &IAMUSER_PASSWORD_UNUSED,
                json!({"LoginProfile": old, "PasswordLastUsed": "2025-06-01T08:00:00Z"})
            ),
            ["Password last used > 90 days ago on 2025-06-01"]
        );
        assert_eq!(
            testing::notes(&IAMUSER_PASSWORD_UNUSED, json!({"LoginProfile": old})),
            ["Password never used, set > 90 days ago on 2024-01-01"]
        );
    }
}
